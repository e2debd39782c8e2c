// LTspice's .meas op cards in a deck: ngspice 39 prints "unrecognized analysis type 'op'"
// for each and runs the rest (measured on this deck: its .meas tran vt = 2.000000e+00).
// Here: a warning at the card's analysis type, and the other measures as without it.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "sim/support.hpp"

namespace ns::test {
namespace {

TEST(MeasOp, WarnedAndSkippedTheRestMeasured) {
  const auto run = run_neurospice(
      "meas op beside meas tran\n"
      "v1 in 0 3\n"
      "r1 in mid 1k\n"
      "r2 mid 0 2k\n"
      ".op\n"
      ".tran 1u 10u\n"
      ".meas OP vmid FIND V(mid)\n"
      ".meas op ratio param vmid/2\n"
      ".meas tran vt find v(mid) at=5u\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("deck.cir:7:7: warning: '.meas op' is not supported"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("deck.cir:8:7: warning: '.meas op' is not supported"), std::string::npos) << run.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run.out, m, std::regex(R"(vt\s*=\s*(\S+))"))) << run.out;
  EXPECT_NEAR(std::stod(m[1]), 2.0, 1e-9);  // 3 V * 2k / (1k + 2k)
  EXPECT_EQ(run.out.find("vmid"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace ns::test
