// A capacitor in a loop with voltage sources: the sources' currents are C·dv/dt of a voltage
// the loop fixes (index 2). They must not throttle the step (src/engine/integrator.cpp,
// exclude_index2_currents), and are still the exact derivative of the capacitor's charge.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// i(vm) = C dv/dt = C w cos(w t) for v = sin(w t), 1 kHz, C = 5 nF: an amplitude of 31.4 uA.
void expect_capacitor_current(const NeurospiceRun& run, double bound) {
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const double w = 2 * std::numbers::pi * 1e3, amplitude = 5e-9 * w;
  double worst = 0;
  for (std::size_t k = 1; k < t.rows(); ++k)
    worst = std::max(worst, std::abs(t.col("i(vm)")[k] - amplitude * std::cos(w * t.col("time")[k])));
  std::cout << "[index2] max |i(vm) - C w cos(w t)| = " << worst / amplitude << " of the amplitude, "
            << transient_steps(run) << " steps\n";
  EXPECT_LT(worst, bound * amplitude);
}

// Before, at reltol 1e-5: 6 million steps (5.9 million error-test failures) for 2.7 ms of
// the 3 ms. Now 141 steps; the current at the output rows (IDA's interpolation) is within
// 4.5e-5 of its amplitude. The decks give tmax (a fiftieth of the span), so that the error
// test, not the default cap of tstep (3000 steps here, as ngspice), sets the step.
TEST(IndexTwo, CapacitorBehindAnAmmeterOnASineSource) {
  const auto run = run_neurospice(
      "t\n.options reltol=1e-5\nV1 in 0 sin(0 1 1k)\nVm in m 0\nC1 m 0 5n\n.tran 1u 3m 0 60u\n.end\n", {"--stats"});
  expect_capacitor_current(run, 1e-4);
  EXPECT_LT(transient_steps(run), 3000);
}

// The same charge written as a behavioural ddt(): 6 million steps too before.
TEST(IndexTwo, BehaviouralChargeBehindAnAmmeter) {
  const auto run = run_neurospice(
      "t\n.options reltol=1e-5\nV1 in 0 sin(0 1 1k)\nVm in m 0\nB1 m 0 I={ddt(5n*v(m))}\n.tran 1u 3m 0 60u\n.end\n",
      {"--stats"});
  expect_capacitor_current(run, 1e-4);
  EXPECT_LT(transient_steps(run), 3000);
}

}  // namespace
}  // namespace ns::test
