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

}  // namespace
}  // namespace ns::test
