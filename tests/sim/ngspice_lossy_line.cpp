// The lossy lines O (ltra) and Y (txl) (models/ltra.cpp, models/txl.cpp on
// models/lossy_segments.hpp) against closed forms: the lossless limit (the exact delayed
// pulse), the DC resistance, and the attenuation exp(-r len / (2 z0)) of a step's front.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "sim/support.hpp"

namespace ns::test {
namespace {

double pulse(double t) {  // pulse(0 1 1n 0.2n 0.2n 3n 20n)
  if (t <= 1e-9) return 0;
  t -= 1e-9;
  if (t < 0.2e-9) return t / 0.2e-9;
  if (t < 3.2e-9) return 1;
  if (t < 3.4e-9) return 1 - (t - 3.2e-9) / 0.2e-9;
  return 0;
}

// r = g = 0 is one lossless segment: the method of characteristics, exact on a
// piecewise-linear drive (as the T line, tests/sim/ngspice_tline.cpp): allow 1e-9 V.
TEST(LossyLine, LosslessLimitIsTheDelayedPulse) {
  const auto run = run_neurospice(deck_file("lossy_lossless_limit.cir"));
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  double err = 0;
  for (std::size_t k = 0; k < t.rows(); ++k)
    err = std::max(err, std::abs(t.col("v(c)")[k] - 0.5 * pulse(t.col("time")[k] - 2e-9)));
  std::cout << "[lossy] lossless limit: max |v(c) - pulse/2 delayed| " << err << " V\n";
  EXPECT_LT(err, 1e-9);
}

TEST(LossyLine, DcResistanceIsRTimesLength) {
  const auto run = run_neurospice(deck_file("lossy_dc.cir"));
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NEAR(run.table().col("v(c)")[0], 0.8, 1e-9);
  EXPECT_NEAR(run.table().col("v(d)")[0], 0.8, 1e-9);
}

// The front of a step on a line of series loss r into its z0 arrives attenuated by
// exp(-r len / (2 z0)) (here exp(-0.25)): the launched 0.5 V times that, read just after
// the ramp ends at the far end (1.1 ns + 2 ns). Lumping the loss at K = 10 places makes it
// (1 + r len / (2 K z0))^-K, 0.3% above: allow 0.5%. Before the front: nothing.
TEST(LossyLine, StepFrontIsAttenuatedByTheSeriesLoss) {
  const auto run = run_neurospice(deck_file("lossy_front.cir"));
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  double before = 0, front = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    const double time = t.col("time")[k];
    if (time < 2.99e-9) before = std::max(before, std::abs(t.col("v(c)")[k]));
    if (std::abs(time - 3.1e-9) < 1e-15) front = t.col("v(c)")[k];
  }
  const double exact = 0.5 * std::exp(-25.0 / 100.0);
  std::cout << "[lossy] front " << front << " V, exp(-r len / 2 z0) / 2 = " << exact << " V\n";
  EXPECT_LT(before, 1e-9);
  EXPECT_NEAR(front, exact, 5e-3 * exact);
}

}  // namespace
}  // namespace ns::test
