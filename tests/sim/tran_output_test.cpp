// Which transient rows are written: every multiple of tstep from tstart, and tstop.
#include <gtest/gtest.h>

#include "sim/support.hpp"

namespace ns::test {
namespace {

TEST(TranOutput, RowsAtEveryTstepAndAtTstop) {
  const auto run = run_neurospice("grid\nV1 a 0 1\nR1 a b 1k\nC1 b 0 1u\n.tran 0.3m 1m\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const std::vector<double> expected{0, 0.3e-3, 0.6e-3, 0.9e-3, 1e-3};
  const auto& time = run.table().col("time");
  ASSERT_EQ(time.size(), expected.size());
  for (std::size_t k = 0; k < time.size(); ++k) EXPECT_NEAR(time[k], expected[k], 1e-15);
}

TEST(TranOutput, TstartSkipsEarlierRows) {
  const auto run = run_neurospice("grid\nV1 a 0 1\nR1 a b 1k\nC1 b 0 1u\n.tran 0.1m 1m 0.5m\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const auto& time = run.table().col("time");
  ASSERT_EQ(time.size(), 6u);
  EXPECT_NEAR(time.front(), 0.5e-3, 1e-15);
  EXPECT_NEAR(time.back(), 1e-3, 1e-15);
}

// A PWL edge of 10 ps in a 4 s run (2.5e-12 of it): its two corners are two stops, so the
// steps' rows (--every-step) draw the ramp as the source has it. Every row within the
// edges is on the source's straight line, and some rows are inside each edge (before, the
// corners within 1e-11 of tstop merged: no row inside, and the rows drew a 400 us ramp).
TEST(TranOutput, PicosecondEdgeInALongRunIsDrawn) {
  const auto run = run_neurospice("edge\nV1 a 0 pwl(0 0 1 0 1.00000000001 1 3 1 3.00000000001 0)\nR1 a 0 1k\n"
                                  ".tran 0.01 4\n.end\n", {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const auto& time = run.table().col("time");
  const auto& v = run.table().col("v(a)");
  int inside_rise = 0, inside_fall = 0;
  for (std::size_t k = 0; k < time.size(); ++k) {
    const double t = time[k];
    if (t > 1 && t < 1 + 1e-11) {
      ++inside_rise;
      EXPECT_NEAR(v[k], (t - 1) / 1e-11, 1e-4) << t;
    }
    if (t > 3 && t < 3 + 1e-11) {
      ++inside_fall;
      EXPECT_NEAR(v[k], 1 - (t - 3) / 1e-11, 1e-4) << t;
    }
  }
  EXPECT_GT(inside_rise, 0);
  EXPECT_GT(inside_fall, 0);
}

}  // namespace
}  // namespace ns::test
