// Element initial conditions (C ic=, L ic=) under .tran uic, and .ic overriding them.
#include <cmath>

#include <gtest/gtest.h>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// An LC tank started with 1 V on C and no current in L: v(t) = cos(t / sqrt(LC)),
// i(L) = sqrt(C/L) sin(t / sqrt(LC)). Five periods at reltol 1e-6.
TEST(InitialConditions, ElementIcStartsLcTank) {
  const auto run = run_neurospice(
      "lc tank\n"
      "C1 a 0 1u ic=1\n"
      "L1 a 0 1m ic=0\n"
      ".options reltol=1e-6\n"
      ".tran 1u 1m uic\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const double w = 1 / std::sqrt(1e-3 * 1e-6);
  double worst_v = 0, worst_i = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    const double time = t.col("time")[k];
    worst_v = std::max(worst_v, std::abs(t.col("v(a)")[k] - std::cos(w * time)));
    worst_i = std::max(worst_i, std::abs(t.col("i(l1)")[k] - std::sqrt(1e-6 / 1e-3) * std::sin(w * time)));
  }
  EXPECT_LT(worst_v, 1e-4);
  EXPECT_LT(worst_i, 1e-4 * std::sqrt(1e-6 / 1e-3));
}

// An inductor's ic= sets its current; .ic on the node wins over the capacitor's ic=.
TEST(InitialConditions, IcCardOverridesElementIc) {
  const auto run = run_neurospice(
      "rc discharge\n"
      "C1 a 0 1u ic=5\n"
      "R1 a 0 1k\n"
      ".ic v(a)=2\n"
      ".options reltol=1e-6\n"
      ".tran 10u 1m uic\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  for (std::size_t k = 0; k < t.rows(); ++k)
    EXPECT_NEAR(t.col("v(a)")[k], 2 * std::exp(-t.col("time")[k] / 1e-3), 1e-5);
}

}  // namespace
}  // namespace ns::test
