// plot, gnuplot and hardcopy under --plots DIR: each writes DIR/NAME.csv of what it draws
// and tools/plot draws DIR/NAME.png from it. What is drawn is checked against ngspice's
// own gnuplot data file of the same deck (ngspice -b writes NAME.data before it tries to
// run gnuplot): an .ac vector's real part, as ngspice draws it. The tests that need an
// image are skipped when /usr/bin/python3 has no matplotlib (as tools.plot is).
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "control/graphs.hpp"
#include "support.hpp"

namespace {

namespace fs = std::filesystem;
using Outcome = ns::control_test::Run;

bool have_matplotlib() { return std::system("/usr/bin/python3 -c 'import matplotlib' 2>/dev/null") == 0; }

Outcome with_plots(const std::string& name, const std::string& deck, bool plots = true) {
  Outcome r;
  r.dir = ns::control_test::fresh_dir(name);
  std::ofstream(r.dir / "deck.cir") << deck;
  const fs::path before = fs::current_path();
  fs::current_path(r.dir);
  std::ostringstream out, err;
  std::vector<std::string> args{"deck.cir"};
  if (plots) args = {"--plots", "figures", "deck.cir"};
  r.status = ns::run_app(args, out, err);
  fs::current_path(before);
  r.out = out.str();
  r.err = err.str();
  return r;
}

bool is_png(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, 8);
  return in && std::string(head + 1, 3) == "PNG" && fs::file_size(path) > 1000;
}

// A CSV's rows of numbers, after its header.
std::vector<std::vector<double>> csv_rows(const fs::path& path, std::string* header = nullptr) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  if (header) *header = line;
  std::string rest((std::istreambuf_iterator<char>(in)), {});
  for (char& c : rest) c = c == ',' ? ' ' : c;
  return ns::control_test::numbers(rest);
}

const char* deck = R"(rc low-pass, plotted
v1 in 0 dc 0 ac 1 pulse(0 1 0 1u 1u 1 2)
r1 in out 1k
c1 out 0 1u
.control
ac dec 2 10 1e4
gnuplot gp v(out) vdb(out)
tran 0.1m 3m
plot v(out) v(in) title 'step response' xlimit 0 3m
hardcopy hc.ps v(out) vs v(in)
plot v(out) ylog
.endc
.end
)";

TEST(Graphs, EachCommandWritesItsCsvAndPng) {
  if (!have_matplotlib()) GTEST_SKIP() << "matplotlib is missing (apt install python3-matplotlib)";
  const Outcome r = with_plots("graphs", deck);
  EXPECT_EQ(r.status, 0) << r.err;
  for (const char* name : {"gp", "plot1", "hc", "plot2"}) {
    EXPECT_TRUE(fs::exists(r.dir / "figures" / (std::string(name) + ".csv"))) << name << r.err;
    EXPECT_TRUE(is_png(r.dir / "figures" / (std::string(name) + ".png"))) << name << r.err;
  }
  std::string header;
  const auto step = csv_rows(r.dir / "figures" / "plot1.csv", &header);
  EXPECT_EQ(header, "time,v(out),v(in)");
  ASSERT_GT(step.size(), 30u);
  for (const auto& row : step)  // the RC step response, 1 - exp(-t/RC) after the 1 us rise
    if (row[0] > 2e-6) {
      EXPECT_NEAR(row[1], 1 - std::exp(-(row[0] - 0.5e-6) / 1e-3), 2e-3) << row[0];
    }
  const auto vs = csv_rows(r.dir / "figures" / "hc.csv", &header);
  EXPECT_EQ(header, "v(in),v(out)");
}

// ngspice's gp.data: x and y of each vector in turn; ours: frequency, then the vectors.
TEST(Graphs, AcPlotDrawsWhatNgspiceDraws) {
  if (!have_matplotlib()) GTEST_SKIP() << "matplotlib is missing (apt install python3-matplotlib)";
  const Outcome ours = with_plots("graphs_ac", deck);
  const auto dir = ns::control_test::fresh_dir("graphs_deck");
  std::ofstream(dir / "deck.cir") << deck;
  const Outcome theirs = ns::control_test::ngspice("graphs_ngspice", (dir / "deck.cir").string());
  std::ifstream in(theirs.dir / "gp.data");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const auto b = ns::control_test::numbers(text);
  const auto a = csv_rows(ours.dir / "figures" / "gp.csv");
  ASSERT_EQ(b.size(), 7u) << theirs.err;
  ASSERT_EQ(a.size(), b.size()) << ours.err;
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_NEAR(a[k][0], b[k][0], 1e-6 * b[k][0]);
    EXPECT_NEAR(a[k][1], b[k][1], 1e-6 * std::fabs(b[k][1]) + 1e-9) << "real part of v(out) at " << b[k][0];
    EXPECT_NEAR(a[k][2], b[k][3], 1e-6 * std::fabs(b[k][3]) + 1e-9) << "vdb(out) at " << b[k][0];
  }
}

TEST(Graphs, WithoutPlotsOneNoteAndNoFiles) {
  const Outcome r = with_plots("graphs_none", deck, false);
  EXPECT_EQ(r.status, 0) << r.err;
  std::size_t notes = 0;
  for (std::size_t at = r.err.find("is skipped"); at != std::string::npos; at = r.err.find("is skipped", at + 1)) ++notes;
  EXPECT_EQ(notes, 1u) << r.err;
  EXPECT_FALSE(fs::exists(r.dir / "figures"));
}

TEST(Graphs, ReadsNgspicePlotOptions) {
  const auto g = ns::control::parse_graph("plot", "v(out) v(in)*2 vs time title 'a b c' xlimit 0 1m loglog xlabel t");
  EXPECT_EQ(g.vectors, "v(out) v(in)*2 ");
  EXPECT_EQ(g.vs, "time ");
  EXPECT_TRUE(g.xlog && g.ylog);
  const auto h = ns::control::parse_graph("gnuplot", "out/file v(1) ylog");
  EXPECT_EQ(h.file, "out/file");
  EXPECT_EQ(h.vectors, "v(1) ");
  EXPECT_TRUE(!h.xlog && h.ylog);
}

}  // namespace
