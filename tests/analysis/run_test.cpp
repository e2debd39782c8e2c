// The run layer on its own, without the command line: a .step value goes from the deck's
// text through the knob and the run to its column of the CSV.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/run.hpp"

namespace ns {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Run, StepValueReachesItsColumnWithoutTheCommandLine) {
  const fs::path dir = fs::temp_directory_path() / "neurospice_run_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path deck = dir / "divider.cir";
  std::ofstream(deck) << "divider\n.param rl=1k\nv1 a 0 1\nr1 a b 1k\nr2 b 0 {rl}\n"
                         ".step param rl list 1k 3k\n.print v(b)\n.op\n";
  std::vector<std::string> messages;
  const RunResult result = run(RunOptions{.output = {.netlist = deck.string(), .path = (dir / "out.csv").string()},
                                          .jobs = 2},
                               RunEvents{.message = [&](const std::string& m) { messages.push_back(m); }});
  EXPECT_TRUE(messages.empty());
  ASSERT_EQ(result.outputs.size(), 1u);
  EXPECT_EQ(result.outputs[0].written, "op: wrote " + (dir / "out.csv").string() + " (2 rows)");
  // v(b) = rl / (1k + rl): 1/2 and 3/4, exact in binary.
  EXPECT_EQ(read(dir / "out.csv"), "rl,v(b)\n1000,0.5\n3000,0.75\n");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ns
