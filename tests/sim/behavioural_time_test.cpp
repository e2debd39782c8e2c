// ddt() as a charge, ddt() inside an expression and idt() as states: against a plain
// capacitor and against exact derivatives and integrals of the sources driving them.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <utility>

#include "sim/support.hpp"

namespace ns::test {
namespace {

constexpr double w = 2 * std::numbers::pi * 1e3;  // a 1 kHz sine's angular frequency

TEST(BehaviouralTime, DdtIsACapacitor) {
  // B1 I={1u*ddt(v(b))} and C2 1u in two copies of an RC circuit: the same waveform; both
  // against the exact charging curve after the pulse's 1 us edge (tau = 1 ms).
  const auto run = run_neurospice(
      "t\n"
      ".options reltol=1e-6\n"
      "V1 in 0 pulse(0 1 0 1u 1u 5m 10m)\n"
      "R1 in a 1k\n"
      "C1 a 0 1u\n"
      "R2 in b 1k\n"
      "B1 b 0 I={1u*ddt(v(b))}\n"
      ".tran 10u 3m\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  EXPECT_LT(max_abs_error(t.col("v(a)"), t.col("v(b)")), 1e-9);  // the same equations
  double worst = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    const double time = t.col("time")[k];
    if (time < 1e-4) continue;
    // A 1 us ramp delays the exponential by half its length, to first order in 1u/tau.
    worst = std::max(worst, std::abs(t.col("v(b)")[k] - (1 - std::exp(-(time - 0.5e-6) / 1e-3))));
  }
  EXPECT_LT(worst, 1e-5);
}

TEST(BehaviouralTime, DdtInAnExpressionAndInAVoltage) {
  // y = x * dx/dt (a ddt state) and z = 1m * dx/dt (a charge in a V source's branch row),
  // x behind an RC low-pass, its dx/dt measured by a plain capacitor's current: i(vm)/1u.
  // (x straight from a voltage source would make dx/dt an index-2 unknown, which the
  // integrator refuses for plain elements too: C1 x 0 1u with V1 x, its current mirrored
  // by an F into a resistor, fails at the sine's first peak.)
  const auto run = run_neurospice(
      "t\n"
      ".options reltol=1e-6\n"
      "V1 s 0 sin(0 1 1k)\n"
      "R1 s x 1k\n"
      "C1 x m 1u\n"
      "Vm m 0 0\n"
      "B1 y 0 V={v(x)*ddt(v(x))}\n"
      "B2 z 0 V={ddt(v(x))*1m}\n"
      "R2 y 0 1k\n"
      "R3 z 0 1k\n"
      ".tran 5u 2m\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  double worst_y = 0, worst_z = 0, big = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    const double dx = t.col("i(vm)")[k] / 1e-6;
    big = std::max(big, std::abs(dx));
    worst_y = std::max(worst_y, std::abs(t.col("v(y)")[k] - t.col("v(x)")[k] * dx));
    worst_z = std::max(worst_z, std::abs(t.col("v(z)")[k] - 1e-3 * dx));
  }
  ASSERT_GT(big, 500);  // dx/dt peaks near w/sqrt(1 + (w tau)^2) = 990 V/s
  // The same BDF derivative of the same x, through two formulations: equal to within
  // the Newton tolerance (reltol 1e-6 of values of ~1e3).
  EXPECT_LT(worst_y, 1e-6 * big);
  EXPECT_LT(worst_z, 1e-9 * big);
}

TEST(BehaviouralTime, IdtIntegratesFromItsInitialValue) {
  // y = 0.5 + the integral of sin(w t) = 0.5 + (1 - cos w t) / w; 0.5 at the operating point.
  const auto run = run_neurospice(
      "t\n"
      ".options reltol=1e-6\n"
      "V1 x 0 sin(0 1 1k)\n"
      "B1 y 0 V={1k*idt(v(x), 0.5m)}\n"
      "B2 s 0 V={sdt(2)}\n"
      "R1 y 0 1k\n"
      "R2 s 0 1k\n"
      ".tran 5u 2m\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  EXPECT_NEAR(t.col("v(y)")[0], 0.5, 1e-12);
  double worst = 0, worst_ramp = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    const double time = t.col("time")[k];
    worst = std::max(worst, std::abs(t.col("v(y)")[k] - (0.5 + 1e3 * (1 - std::cos(w * time)) / w)));
    worst_ramp = std::max(worst_ramp, std::abs(t.col("v(s)")[k] - 2 * time));
  }
  EXPECT_LT(worst, 1e-5);  // of an amplitude 2e3/w = 0.32
  EXPECT_LT(worst_ramp, 1e-9);
}

}  // namespace
}  // namespace ns::test

namespace ns::test {
namespace {

TEST(BehaviouralTime, ANonFiniteValueNamesTheExpressionAndItsInputs) {
  // sqrt(v(a)+0.5) loses its slope where v(a) reaches -0.5, at t = 1.75 ms.
  const auto run = run_neurospice(
      "t\n"
      "V1 a 0 pwl(0 1 1m 1 2m -1)\n"
      "B1 b 0 V={sqrt(v(a)+0.5)*2 + time}\n"
      "R1 b 0 1k\n"
      ".tran 10u 2m\n");
  EXPECT_EQ(run.status, 1);
  for (const char* part : {"'b1'", "'sqrt(v(a)+0.5)*2 + time'", "deck.cir:3:11", "at t = 0.00175 s",
                           "with v(a) = -0.5, time = 0.00175"})
    EXPECT_NE(run.err.find(part), std::string::npos) << part << " not in: " << run.err;
}

}  // namespace
}  // namespace ns::test

namespace ns::test {
namespace {

TEST(BehaviouralTime, TemperAndHertz) {
  // temper is the circuit temperature in degrees Celsius, read again when .dc sweeps it;
  // hertz is 0 outside a small-signal analysis.
  const auto run = run_neurospice(
      "t\n"
      "B1 a 0 V={temper + 1000*hertz}\n"
      "R1 a 0 1k\n"
      ".dc temp -40 85 25\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  ASSERT_EQ(t.rows(), 6u);
  for (std::size_t k = 0; k < t.rows(); ++k) EXPECT_NEAR(t.col("v(a)")[k], -40 + 25.0 * k, 1e-9);
  const auto op = run_neurospice("t\n.temp 50\nB1 a 0 V={temper}\nR1 a 0 1k\n.op\n");
  ASSERT_EQ(op.status, 0) << op.err;
  EXPECT_NEAR(op.table().col("v(a)")[0], 50, 1e-9);
}

}  // namespace
}  // namespace ns::test

namespace ns::test {
namespace {

TEST(BehaviouralTime, CornersInTimeAreBreakpoints) {
  // pwl(time, ...) and u(time - 1.5m): the integrator stops at 1 ms, 1.5 ms and 2 ms, so
  // the corners are rows of --every-step output, with their exact values.
  const auto run = run_neurospice(
      "t\n"
      "B1 a 0 V={pwl(time, 0,0, 1m,1, 2m,0) + u(time - 1.5m)}\n"
      "R1 a 0 1k\n"
      ".tran 10u 3m\n",
      {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  for (const auto& [corner, value] : {std::pair{1e-3, 1.0}, {1.5e-3, 0.5}, {2e-3, 1.0}}) {
    bool found = false;
    for (std::size_t k = 0; k < t.rows(); ++k)
      if (std::abs(t.col("time")[k] - corner) < 1e-15) {
        found = true;
        EXPECT_NEAR(t.col("v(a)")[k], value, 1e-9) << "at " << corner;
      }
    EXPECT_TRUE(found) << "no step at " << corner;
  }
}

}  // namespace
}  // namespace ns::test
