// .save/.print/.probe of a node, source or device that is not in the circuit: ngspice 39
// warns ("can't parse 'gone': ignored" on .print; nothing on .save) and runs with the
// outputs that exist; with none left it saves nothing and skips the analysis. Here: a
// warning at the request, the other columns written; none left, the request's error.
#include <gtest/gtest.h>

#include <string>

#include "sim/support.hpp"

namespace ns::test {
namespace {

const std::string divider =
    "missing outputs\n"
    "v1 in 0 3\n"
    "r1 in mid 1k\n"
    "r2 mid 0 2k\n"
    ".tran 1u 3u\n";

TEST(MissingOutputs, SkippedWithAWarningAndTheRestWritten) {
  const std::string deck = divider +
                           ".save v(mid) v(nope) i(vx)\n"
                           ".end\n";
  const auto run = run_neurospice(deck);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("deck.cir:6:14: warning: no node 'nope' in the circuit"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("deck.cir:6:22: warning: no current 'i(vx)'"), std::string::npos) << run.err;
  const Table& t = run.table();
  EXPECT_FALSE(t.has("v(nope)"));
  EXPECT_FALSE(t.has("i(vx)"));
  for (double v : t.col("v(mid)")) EXPECT_NEAR(v, 2.0, 1e-9);  // 3 V * 2k / 3k

  // ngspice writes the same vector, v(mid), and leaves the missing ones out.
  const auto plots = run_ngspice(deck);
  ASSERT_EQ(plots.size(), 1u);
  EXPECT_FALSE(plots[0].table.has("v(nope)"));
  for (double v : plots[0].table.col("v(mid)")) EXPECT_NEAR(v, 2.0, 1e-9);
}

TEST(MissingOutputs, NoneLeftIsTheRequestsError) {
  const auto run = run_neurospice(divider + ".print tran v(gone)\n.end\n");
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("deck.cir:6:13: error: no node 'gone' in the circuit"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace ns::test
