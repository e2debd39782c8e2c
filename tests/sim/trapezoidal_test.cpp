// .options method=trap (src/engine/trapezoidal.cpp) against exact answers: an ideal LC
// tank over 1000 periods (amplitude and period), a diode-resistor deck where every step
// is a DC solution, an RC step response, and the STNO auto-oscillator's steady power.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <iostream>
#include <numbers>
#include <string>

#include <fmt/format.h>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// With --every-step, the rows off the tstep grid are the integrator's accepted steps.
bool on_grid(double t, double tstep) { return std::abs(t / tstep - std::round(t / tstep)) < 1e-6; }

// 1 uH and C = 1 / ((2 pi 1 MHz)^2 L): T = 2 pi sqrt(LC) = 1 us, from v = 1 V, i = 0,
// for 1000 periods under `method`: the table (every accepted step) and the amplitude
// sqrt(v^2 + (L/C) i^2) at the accepted steps, lowest, highest and last.
struct LcTank {
  Table table;
  double lowest = INFINITY, highest = 0, last = 0;
};
LcTank lc_tank(const std::string& method) {
  const double l = 1e-6, c = 1 / (std::pow(2 * std::numbers::pi * 1e6, 2) * l);
  const auto run = run_neurospice(fmt::format(
      "ideal lc tank\n"
      "L1 a 0 1u\n"
      "C1 a 0 {:.17g}\n"
      ".ic v(a)=1\n"
      ".options method={}\n"
      ".probe v(a) i(l1)\n"
      ".tran 10n 1m uic\n"
      ".end\n", c, method), {"--every-step"});
  EXPECT_EQ(run.status, 0) << run.err;
  LcTank tank{run.table()};
  const auto& time = tank.table.col("time");
  const auto& v = tank.table.col("v(a)");
  const auto& i = tank.table.col("i(l1)");
  for (std::size_t k = 0; k < tank.table.rows(); ++k) {
    if (on_grid(time[k], 10e-9)) continue;
    tank.last = std::sqrt(v[k] * v[k] + l / c * i[k] * i[k]);
    tank.lowest = std::min(tank.lowest, tank.last);
    tank.highest = std::max(tank.highest, tank.last);
  }
  return tank;
}

TEST(Trapezoidal, IdealLcTankKeepsItsAmplitudeOver1000Periods) {
  const LcTank tank = lc_tank("trap");
  const Table& t = tank.table;
  const auto& time = t.col("time");
  const auto& v = t.col("v(a)");
  // The amplitude sqrt(v^2 + (L/C) i^2) at the accepted steps: the trapezoid keeps the
  // tank's energy exactly on a linear circuit, so only the backward-Euler start steps
  // and the Newton tolerance can lose any (measured: 0.9999992 V at 1 ms; IDA's BDF
  // keeps 0.998996 V, below; ngspice's trapezoid 0.9999915 V).
  const double lowest = tank.lowest, last = tank.last;
  // Period from the upward zero crossings of v over the run (all rows).
  std::vector<double> crossings;
  for (std::size_t k = 1; k < t.rows(); ++k)
    if (v[k - 1] < 0 && v[k] >= 0) crossings.push_back(time[k - 1] + (time[k] - time[k - 1]) * -v[k - 1] / (v[k] - v[k - 1]));
  ASSERT_GT(crossings.size(), 990u);
  const double period = (crossings.back() - crossings.front()) / static_cast<double>(crossings.size() - 1);
  std::cout << fmt::format("[trap] LC tank: amplitude {:.9f} V at 1 ms (lowest {:.9f}), period {:.9g} s\n", last,
                           lowest, period);
  EXPECT_NEAR(lowest, 1.0, 1e-5);
  // The trapezoid's period is long by (w h)^2 / 12 at step h; its error test holds
  // h^3 w^3 / 12 to reltol at the peaks, w h <= (12 reltol)^(1/3), so at most 4.4e-3
  // (measured +1.7e-3; ngspice, its steps capped at tstep = 10 ns: +3.2e-4).
  EXPECT_NEAR(period, 1e-6, std::pow(12 * 1e-3, 2.0 / 3) / 12 * 1e-6);
}

// The tank under the default method (method=gear, IDA's BDF), whose damping the
// issue asked to measure: its steps capped at tstep (min(tstep, span/50), as SPICE3's
// rule), 100 a period, the amplitude falls linearly by 1.0e-6 a period, 1.0e-3 of the
// amplitude after 1000 periods (0.998996 V), about reltol. ngspice-39 on the same deck:
// method=gear (its BDF2) keeps 0.680 V, its default trapezoid 0.99997 V. The bound is
// twice reltol: BDF's damping at default settings is at the tolerance, not below it.
TEST(Trapezoidal, GearLcTankLosesAboutReltolOver1000Periods) {
  const LcTank tank = lc_tank("gear");
  const double lowest = tank.lowest, highest = tank.highest;
  std::cout << fmt::format("[gear] LC tank: amplitude {:.9f} .. {:.9f} V over 1 ms\n", lowest, highest);
  EXPECT_GE(lowest, 1 - 2e-3);
  EXPECT_LE(highest, 1 + 1e-4);  // BDF adds no energy
}

double bisect(const std::function<double(double)>& f, double lo, double hi) {
  for (int k = 0; k < 200 && lo < hi; ++k) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    (f(mid) > 0 ? hi : lo) = mid;
  }
  return 0.5 * (lo + hi);
}

TEST(Trapezoidal, DiodeResistorSineAtEveryStep) {
  // Issue 16's deck (transient_accuracy_test.cpp has it for BDF): no capacitance, so
  // each accepted step is a DC solution of the diode equation, found here by bisection.
  const auto run = run_neurospice(
      "diode and resistor driven by a sine\n"
      "D1 in out dm\n"
      "R1 out 0 100k\n"
      "V1 in 0 sin(0 1 1k)\n"
      ".model dm D(is=1e-13 n=1.05)\n"
      ".options method=trap\n"
      ".tran 1u 4m\n"
      ".end\n",
      {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const double vt = 1.380649e-23 * (27 + 273.15) / 1.602176634e-19, vte = 1.05 * vt;
  auto diode = [&](double vd) {  // SPICE level 1 without breakdown, plus gmin
    if (vd >= -3 * vte) return 1e-13 * std::expm1(vd / vte) + 1e-12 * vd;
    const double a = 3 * vte / (vd * std::numbers::e);
    return -1e-13 * (1 + a * a * a) + 1e-12 * vd;
  };
  double worst = 0;
  std::size_t steps = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    const double time = t.col("time")[k];
    if (on_grid(time, 1e-6)) continue;
    ++steps;
    const double vin = std::sin(2 * std::numbers::pi * 1e3 * time);
    const double exact = bisect([&](double v) { return v / 1e5 - diode(vin - v); }, std::min(0.0, vin) - 1,
                                std::max(0.0, vin) + 1);
    worst = std::max(worst, std::abs(t.col("v(out)")[k] - exact));
  }
  std::cout << fmt::format("[trap] diode deck: max |v(out) - exact| {:.3g} V over {} steps\n", worst, steps);
  EXPECT_GT(steps, 100u);
  EXPECT_LE(worst, 1e-6);
}

TEST(Trapezoidal, RcStepResponse) {
  // A 1 V step with 10 ns edges at 1 us into R = 1k, C = 1n (tau = 1 us). Exact: the
  // response to the ramp, then to the flat top.
  const auto run = run_neurospice(
      "rc step\n"
      "V1 in 0 pulse(0 1 1u 10n 10n 1 2)\n"
      "R1 in out 1k\n"
      "C1 out 0 1n\n"
      ".options method=trap\n"
      ".tran 10n 10u\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const double tau = 1e-6, t0 = 1e-6, tr = 10e-9;
  auto exact = [&](double time) {
    const double s = time - t0;
    if (s <= 0) return 0.0;
    if (s <= tr) return (s - tau * (1 - std::exp(-s / tau))) / tr;
    return 1 - tau / tr * std::expm1(tr / tau) * std::exp(-s / tau);
  };
  double worst = 0;
  for (std::size_t k = 0; k < t.rows(); ++k)
    worst = std::max(worst, std::abs(t.col("v(out)")[k] - exact(t.col("time")[k])));
  std::cout << fmt::format("[trap] RC step: max |v(out) - exact| {:.3g} V\n", worst);
  // reltol times the 1 V swing, twice: the local error of each step is held to reltol
  // |v| + vntol and the rows between steps are the quadratic through the last three
  // (measured 8.7e-4 V).
  EXPECT_LE(worst, 2e-3);
}

TEST(Trapezoidal, StnoAutoOscillatorPowerOver10us) {
  // netlists/mtj/stno_free_running.cir at the default reltol: 8 mA, twice the threshold,
  // the power settles at (zeta - 1) / (zeta + Q) = 1/3. Measured p at 10 us: trap
  // 0.333333334; BDF 0.3299 (0.33186 with tstep 0.1 ns), and 0.333223 at reltol 1e-7.
  auto power = [](const std::string& method) {
    const auto run = run_neurospice(
        "stno free running\n"
        ".model so stno\n"
        "I1 0 a dc 8m\n"
        "N1 a 0 so\n"
        ".options method=" + method + "\n"
        ".probe @n1[p]\n"
        ".tran 1n 10u\n"
        ".end\n");
    EXPECT_EQ(run.status, 0) << run.err;
    return run.table().col("@n1[p]").back();
  };
  const double trap = power("trap"), gear = power("gear");
  std::cout << fmt::format("[trap] STNO p at 10 us: trap {:.9f}, gear {:.9f}, analytic {:.9f}\n", trap, gear, 1 / 3.0);
  // The deck's own bound for the integrator's amplitude error at a step's reltol
  // against the orbit's restoring rate is ~3e-3 relative; a method that does not damp
  // the orbit should be well inside a third of it.
  EXPECT_NEAR(trap, 1 / 3.0, 1e-3 / 3);
}

TEST(Trapezoidal, CapacitorCurrentBehindAnAmmeterDoesNotSaw) {
  // 5 nF behind a 0 V ammeter on a 1 V, 1 kHz sine: v(b) is the source's, so i(vam) is
  // C dv/dt exactly, and only the trapezoid's own derivative gives it. That derivative
  // keeps any error with its sign flipped at each step; unguarded it sawed by 2.3 % of
  // the amplitude here. The guard replaces it by the derivative of the quadratic through
  // the last three charges, whose error is (w h)^2 / 3, and v(b)'s error test holds
  // (w h)^3 / 12 to reltol: w h <= (12e-3)^(1/3), so 1.8 % at most (measured 0.14 % in
  // 422 steps, which the midpoint test on the source rows sets; 0.92 % in 161 steps
  // before it; BDF 0.27 %).
  const auto run = run_neurospice(
      "capacitor behind an ammeter\n"
      "V1 in 0 sin(0 1 1k)\n"
      "Vam in b 0\n"
      "C1 b 0 5n\n"
      "R1 in 0 1k\n"
      ".options method=trap\n"
      ".tran 1u 4m\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const double w = 2 * std::numbers::pi * 1e3, amplitude = 5e-9 * w;
  double worst = 0;
  for (std::size_t k = 1; k < t.rows(); ++k)  // row 0 is the operating point (no current)
    worst = std::max(worst, std::abs(t.col("i(vam)")[k] - amplitude * std::cos(w * t.col("time")[k])));
  std::cout << fmt::format("[trap] i(vam): max error {:.3g} of its amplitude\n", worst / amplitude);
  EXPECT_LE(worst, std::pow(12e-3, 2.0 / 3) / 3 * amplitude);
}

}  // namespace
}  // namespace ns::test
