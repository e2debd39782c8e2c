// JacobianReuse's back-off by cost (engine/jacobian_reuse.hpp). A run of solves with known
// costs: an iteration 1 ms, a fresh solve 2 iterations, a solve on an old Jacobian that
// converges 2 iterations, one that fails 3 iterations thrown away and then a fresh solve's
// 2; of the old tries that follow a failure, every other one fails (p = 1/2). Trying the
// old Jacobian then costs (1 - p)·2 + p·(3 + setup + 2) ms against setup + 2 ms for a fresh
// one at once. By hand: a set-up of 1 ms, 4.0 ms against 3 ms (back off; the break-even p
// is 1/4); a set-up of 100 ms, 53.5 ms against 102 ms (keep trying; break-even p 0.97).
#include <gtest/gtest.h>

#include "engine/jacobian_reuse.hpp"

namespace ns {
namespace {

JacobianReuse run(double setup) {
  constexpr double it = 1e-3;
  JacobianReuse reuse;
  auto fresh = [&] { reuse.solved(false, false, 2, 2 * it + setup, setup); };
  auto kept = [&] { reuse.solved(true, true, 2, 2 * it, 0); };
  auto failed = [&] { reuse.solved(true, false, 5, 5 * it + setup, setup); };
  fresh();
  for (int round = 0; round < 40; ++round) {
    kept();    // after the last round's failure: one of p's successes
    failed();  // after a success: not in p
    while (reuse.fresh_next()) fresh();
    failed();  // after a failure: one of p's failures
    while (reuse.fresh_next()) fresh();
  }
  kept();
  failed();
  return reuse;
}

TEST(JacobianReuse, BacksOffWhenAJacobianCostsLittle) {
  JacobianReuse reuse = run(1e-3);
  EXPECT_TRUE(reuse.back_off_pays());
  EXPECT_TRUE(reuse.fresh_next());  // the solve after the failure takes a fresh Jacobian
}

TEST(JacobianReuse, KeepsTryingOldJacobiansWhenOneCostsMuch) {
  JacobianReuse reuse = run(100e-3);
  EXPECT_FALSE(reuse.back_off_pays());
  EXPECT_FALSE(reuse.fresh_next());
}

TEST(JacobianReuse, BacksOffBeforeAnythingIsMeasured) {
  JacobianReuse reuse;
  reuse.solved(true, false, 5, 5e-3, 1e-3);
  EXPECT_TRUE(reuse.fresh_next());
  EXPECT_FALSE(reuse.fresh_next());  // one fresh solve after the first failure in a row
}

}  // namespace
}  // namespace ns
