// Transient accuracy at default tolerances on circuits without capacitance, where every
// time point is a DC solution that an independent bisection gives exactly (issue 16):
// at the steps the integrator accepts, algebraic nodes must be converged like an
// operating point, not to the integrator's local error tolerance. (Rows on the tstep
// grid between steps come from IDA's interpolating polynomial, whose error is the
// integration error, ~1e-4 V here at reltol 1e-3; they are not what this tests.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <numbers>
#include <string>
#include <utility>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// Exact 2019 SI k and q (src/circuit/constants.hpp), default 27 degC.
constexpr double kVt = 1.380649e-23 * (27 + 273.15) / 1.602176634e-19;
constexpr double kGmin = 1e-12;  // .options gmin default, across the diode junction

// The root of an increasing function on [lo, hi], to the last bit.
// With --every-step the table holds the tstep grid's rows and the accepted steps; the
// latter are the rows off the grid.
bool on_grid(double t, double tstep) { return std::abs(t / tstep - std::round(t / tstep)) < 1e-6; }

double bisect(const std::function<double(double)>& f, double lo, double hi) {
  for (int k = 0; k < 200 && lo < hi; ++k) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    (f(mid) > 0 ? hi : lo) = mid;
  }
  return 0.5 * (lo + hi);
}

// SPICE level-1 diode current without breakdown: Shockley above -3 n Vt, the cubic
// reverse tail below, plus gmin.
double diode_current(double vd, double is, double n) {
  const double vte = n * kVt;
  if (vd >= -3 * vte) return is * std::expm1(vd / vte) + kGmin * vd;
  const double a = 3 * vte / (vd * std::numbers::e);
  return -is * (1 + a * a * a) + kGmin * vd;
}

// The deck of issue 16: D1 in out, R1 out 0 100k, a 1 V 1 kHz sine. ngspice-39 at its
// defaults is within 2.1e-7 V of this exact v(out) at its own time points.
TEST(TransientAccuracy, DiodeResistorSineAtDefaultTolerances) {
  const auto run = run_neurospice(
      "diode and resistor driven by a sine\n"
      "D1 in out dm\n"
      "R1 out 0 100k\n"
      "V1 in 0 sin(0 1 1k)\n"
      ".model dm D(is=1e-13 n=1.05)\n"
      ".tran 1u 4m\n"
      ".end\n",
      {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto& time = t.col("time");
  const auto& out = t.col("v(out)");
  double worst = 0, at = 0;
  std::size_t steps = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    if (on_grid(time[k], 1e-6)) continue;
    ++steps;
    const double vin = std::sin(2 * std::numbers::pi * 1e3 * time[k]);
    const double exact = bisect([&](double v) { return v / 1e5 - diode_current(vin - v, 1e-13, 1.05); },
                                std::min(0.0, vin) - 1, std::max(0.0, vin) + 1);
    if (std::abs(out[k] - exact) > worst) worst = std::abs(out[k] - exact), at = time[k];
  }
  std::cout << "[accuracy] diode deck: max |v(out) - exact| over " << steps << " steps " << worst
            << " V at t = " << at << " s\n";
  EXPECT_GT(steps, 100u);
  EXPECT_LE(worst, 1e-6);
}

// A resistor-loaded level-1 NMOS inverter whose input sweeps 0..5 V as a slow sine:
// every row is the inverter's DC transfer at that input. The drain junction's leakage
// (IS = 1e-14 A) and gmin move v(out) by under 1e-7 V through the 10 kOhm load. At the
// accepted steps (both methods) v(out) is converged like an operating point: 1e-6 V
// (measured: gear 6.7e-7 V, largest where the transistor crosses from saturation into
// the linear region; trap 5.0e-8 V). The rows on the tstep grid between steps: gear
// solves the algebraic unknowns there again (engine/consistent_output.hpp), converged as
// at its steps (measured 5.1e-8 V; interpolated, as before it, 8.7e-4 V); trap's are
// interpolated, their error the integration tolerance, reltol of the 5 V swing (1.2e-3 V,
// 2.0e-2 V before its midpoint test, the quadratic across the kink where the transistor
// leaves cut-off; ngspice-39, whose rows are its steps, 5.9e-4 V).
TEST(TransientAccuracy, ResistiveNmosInverterSweptInTime) {
  for (const char* method : {"gear", "trap"}) {
    const auto run = run_neurospice(
        "resistive nmos inverter, input swept by a sine\n"
        "VDD vdd 0 5\n"
        "VIN in 0 sin(2.5 2.5 1k)\n"
        "RL vdd out 10k\n"
        "M1 out in 0 0 nch W=10u L=1u\n"
        ".model nch nmos (level=1 vto=0.8 kp=100u lambda=0.02)\n"
        ".options method=" + std::string(method) + "\n"
        ".tran 1u 2m\n"
        ".end\n",
        {"--every-step"});
    ASSERT_EQ(run.status, 0) << run.err;
    const Table& t = run.table();
    const auto& time = t.col("time");
    const auto& out = t.col("v(out)");
    const double beta = 100e-6 * 10, vto = 0.8, lambda = 0.02;
    auto drain_current = [&](double vgs, double vds) {
      const double vov = vgs - vto;
      if (vov <= 0) return 0.0;
      if (vds < vov) return beta * (vov - vds / 2) * vds * (1 + lambda * vds);
      return beta / 2 * vov * vov * (1 + lambda * vds);
    };
    double worst = 0, at = 0, worst_row = 0;
    std::size_t steps = 0;
    for (std::size_t k = 0; k < t.rows(); ++k) {
      const double vin = 2.5 + 2.5 * std::sin(2 * std::numbers::pi * 1e3 * time[k]);
      const double exact = bisect([&](double v) { return drain_current(vin, v) - (5 - v) / 1e4; }, 0, 5);
      worst_row = std::max(worst_row, std::abs(out[k] - exact));
      if (on_grid(time[k], 1e-6)) continue;
      ++steps;
      if (std::abs(out[k] - exact) > worst) worst = std::abs(out[k] - exact), at = time[k];
    }
    std::cout << "[accuracy] nmos inverter (" << method << "): max |v(out) - exact| over " << steps << " steps "
              << worst << " V at t = " << at << " s; over all rows " << worst_row << " V\n";
    EXPECT_GT(steps, 100u);
    EXPECT_LE(worst, 1e-6);
    EXPECT_LE(worst_row, std::string(method) == "gear" ? 1e-6 : 1e-3 * 5);
  }
}

// A 10 uF coupling capacitor from a 1 V 1 kHz sine onto a node biased at 2.32 V by a
// 100k/24k divider: a high-pass with tau = C (R1 || R2) = 0.19 s, so v(b) = Vbias + x with
// x' + x / tau = vin', x(0) = 0, and i(v1) = -x / (R1 || R2). With the start step at
// 1e-6 tstep, y' read C eps |v| / h ~ 4e-10 A of current that is not there (the true
// one is 1e-12 A) and the run failed at t = 2e-11 s; the start is now sized by its
// local error. The bounds are the tolerance a user sets, reltol times the signal's
// swing (1 V, 52 uA); measured 2.8e-5 V and 1.5e-9 A (ngspice-39, its steps capped at
// tstep: 5.4e-7 V and 2.8e-11 A).
TEST(TransientAccuracy, CouplingCapacitorOntoABiasedNode) {
  const auto run = run_neurospice(
      "coupling capacitor onto a biased node\n"
      "Vcc vcc 0 12\n"
      "V1 in 0 sin(0 1 1k)\n"
      "C1 in b 10u\n"
      "R1 vcc b 100k\n"
      "R2 b 0 24k\n"
      ".tran 10u 2m\n"
      ".end\n",
      {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const double w = 2 * std::numbers::pi * 1e3, rth = 1 / (1 / 100e3 + 1 / 24e3), a = 1 / (rth * 10e-6);
  const double A = w * a / (a * a + w * w), B = w * w / (a * a + w * w), bias = 12 * 24 / 124.0;
  double worst_v = 0, worst_i = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    const double time = t.col("time")[k];
    const double x = A * std::cos(w * time) + B * std::sin(w * time) - A * std::exp(-a * time);
    worst_v = std::max(worst_v, std::abs(t.col("v(b)")[k] - bias - x));
    worst_i = std::max(worst_i, std::abs(t.col("i(v1)")[k] + x / rth));
  }
  std::cout << "[accuracy] coupling capacitor: max |v(b) - exact| " << worst_v << " V, |i(v1) - exact| "
            << worst_i << " A over " << t.rows() << " rows\n";
  EXPECT_LE(worst_v, 1e-3 * 1.0);
  EXPECT_LE(worst_i, 1e-3 * 1.0 / rth);
}

// Charge conservation on a nonlinear capacitance: 10 pF in series with a reverse-biased
// junction (cjo 10 pF, m 0.5) on a floating node, a 5 V pulse each 10 us. With gmin at
// 1e-20 S nothing leaks from the node, so v(mid) returns to 0 after every pulse. C(v) x'
// integrated by BDF (IDA) or by the trapezoid of C (method=trap) is not d/dt q(v)
// discretised: each step leaves a quadrature error of the line integral of C, which adds
// up pulse after pulse (measured when this test was written: gear +2.7e-2 V, trap
// +3.3e-2 V; on main before the fix, with steps of at most tstep: gear -6.4e-5 V, trap
// +4.2e-6 V). ngspice-39, which integrates the junction's charge, -3.8e-6 V. v(mid)'s row
// now integrates its charge (engine/charge_rows.hpp): measured gear 6.4e-13 V, trap
// -1.1e-6 V.
TEST(TransientAccuracy, NonlinearCapacitanceConservesCharge) {
  for (const char* method : {"gear", "trap"}) {
    const auto run = run_neurospice(
        "linear capacitor in series with a junction capacitance\n"
        "V1 in 0 pulse(0 5 1u 1u 1u 3u 10u)\n"
        "C1 in mid 10p\n"
        "D1 0 mid dv\n"
        ".model dv D(is=1e-30 cjo=10p vj=0.7 m=0.5)\n"
        ".options gmin=1e-20 method=" + std::string(method) + "\n"
        ".tran 10n 100u\n"
        ".end\n");
    ASSERT_EQ(run.status, 0) << run.err;
    const Table& t = run.table();
    double drift = 0;
    for (std::size_t k = 0; k < t.rows(); ++k)
      if (std::abs(t.col("time")[k] - 99.5e-6) < 1e-9) drift = t.col("v(mid)")[k];
    std::cout << "[accuracy] charge on a floating node (" << method << "): v(mid) after 10 pulses " << drift << " V\n";
    // A conserving method leaves the Newton residual of each step: ngspice's 3.8e-6 V.
    EXPECT_LE(std::abs(drift), 1e-5);
  }
}

// Which rows get a charge unknown (--stats counts them): the junction's node, whose charge
// is nonlinear; none on a linear RC deck (C x' is exact there and costs nothing); none on
// a level-1 MOSFET with tox, whose Meyer capacitances have no charge behind them, not even
// for its nonlinear junction charges (the rows it shares with them would mix the two).
TEST(TransientAccuracy, ChargeUnknownsOnlyWhereTheChargeIsNonlinearAndComplete) {
  const std::pair<const char*, const char*> decks[] = {
      {"junction\nV1 in 0 pulse(0 5 1u 1u 1u 3u 10u)\nC1 in mid 10p\nD1 0 mid dv\n"
       ".model dv D(is=1e-30 cjo=10p vj=0.7 m=0.5)\n.tran 10n 20u\n.end\n",
       "1 charge unknowns"},
      {"rc\nV1 in 0 pulse(0 5 1u 1u 1u 3u 10u)\nR1 in mid 1k\nC1 mid 0 1n\n.tran 10n 20u\n.end\n",
       "0 charge unknowns"},
      {"meyer\nVD d 0 sin(0.5 1 50meg)\nVG g 0 pulse(0 3.3 10n 1n 1n 20n 60n)\nMN d g s 0 nch W=10u L=1u AD=20p AS=20p\n"
       "CS s 0 100f\n.model nch nmos (level=1 vto=0.7 kp=110u tox=20n cj=3e-4 mj=0.5)\n.tran 0.1n 60n\n.end\n",
       "0 charge unknowns"},
  };
  for (const auto& [deck, expected] : decks) {
    const auto run = run_neurospice(deck, {"--stats"});
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_NE(run.err.find(expected), std::string::npos) << deck << run.err;
  }
}

// A common-emitter stage on a 10 MHz sine, its steps capped at tstep (1 ns) by the default
// maximum step. IDA scaled each capped step by a factor 1 within an ulp, counted it as a
// new step size and never raised the order: all 1005 steps at order 2 (ida_order.hpp).
// Against a reltol 1e-7 run of the same deck, v(c) at the default run's steps and rows
// was 0.68 of the corpus agreement tolerance (1e-3 of its swing + 1 uV) off with the order
// held; 0.23 with the step held (984 steps at order 5, 2014 Newton iterations instead of
// 2629). The bound is half that tolerance.
TEST(TransientAccuracy, StepsAtTheCapRaiseTheOrder) {
  const std::string deck =
      "common-emitter stage on a sine\n"
      "VCC vcc 0 5\n"
      "VIN in 0 sin(0.7 5m 10meg)\n"
      "RB in b 1k\n"
      "Q1 c b 0 qn\n"
      "RC vcc c 10k\n"
      "CL c 0 2p\n"
      ".model qn npn is=1e-16 bf=100 cje=50f cjc=20f tf=20p vaf=50 rb=50\n"
      ".tran 1n 1u\n";
  const auto run = run_neurospice(deck + ".end\n", {"--every-step"});
  const auto tight = run_neurospice(deck + ".options reltol=1e-7 abstol=1e-16 vntol=1e-11\n.end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(tight.status, 0) << tight.err;
  const auto& time = run.table().col("time");
  const auto& c = run.table().col("v(c)");
  const auto& reference = tight.table().col("v(c)");
  const auto expected = interpolate(tight.table().col("time"), reference, time);
  const double swing = *std::max_element(reference.begin(), reference.end()) -
                       *std::min_element(reference.begin(), reference.end());
  const double worst = max_abs_error(c, expected);
  std::cout << "[accuracy] common-emitter stage: max |v(c) - tight| " << worst << " V over " << time.size()
            << " rows; swing " << swing << " V\n";
  EXPECT_GT(swing, 0.1);
  EXPECT_LE(worst, 0.5 * (1e-3 * swing + 1e-6));
}

// An RC low-pass (1 ms) on a DC-biased 1 kHz sine, steps capped at tstep = 20 us from the
// start-up on. IDA raises the order only after k + 2 equal steps at the present one; with
// its own test made after each pair of equal capped steps (ida_order.hpp, rule 5) the
// order is 5 from the fifth capped step on. Exact: the linear ODE's closed form,
// v(0) = 1 V (the operating point). v(out) at the steps and rows was 1.97e-5 V off before,
// 1.06e-5 V now; ngspice-39 (trapezoidal) at its own steps 1.63e-4 V.
TEST(TransientAccuracy, CappedStartRaisesTheOrder) {
  const auto run = run_neurospice(
      "rc low-pass on a dc-biased sine\n"
      "V1 in 0 sin(1 0.5 1k)\n"
      "R1 in out 1k\n"
      "C1 out 0 1u\n"
      ".tran 20u 5m\n"
      ".end\n",
      {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const auto& time = run.table().col("time");
  const auto& out = run.table().col("v(out)");
  const double wt = 2 * std::numbers::pi * 1e3 * 1e-3, d = 1 + wt * wt;
  double worst = 0, at = 0;
  for (std::size_t k = 0; k < time.size(); ++k) {
    const double w = 2 * std::numbers::pi * 1e3 * time[k];
    const double exact = 1 + 0.5 * ((std::sin(w) - wt * std::cos(w)) / d + wt / d * std::exp(-time[k] / 1e-3));
    if (std::abs(out[k] - exact) > worst) worst = std::abs(out[k] - exact), at = time[k];
  }
  std::cout << "[accuracy] capped RC on a sine: max |v(out) - exact| " << worst << " V at t = " << at << " s over "
            << time.size() << " rows\n";
  EXPECT_GT(time.size(), 400u);
  EXPECT_LE(worst, 1.3e-5);
}

// A VBIC differential pair with a mirror load on a 5 MHz sine, steps capped at 10 ns, its
// 1 ns rows against a reltol 1e-7 run's (the same rows: no interpolation in the check), in
// multiples of the corpus agreement tolerance (1e-3 of the reference's swing + 1 uV or
// 1 nA). The base current i(vin) flows over RBX = 20 ohm from the sine's node into a
// capacitance's: at rows between steps it was 3000x off (consistent_output.hpp), now 5.2x.
// The output v(c2) was 30.9x off: IDA lowered the order to 1 at the sine's inflections
// and cut the steps after it (ida_order.hpp, rule 4); now 14.8x (ngspice's default run,
// at its own steps, 6x). Measured on c32f677: i(vin) 7.9x, v(c2) 8.4x (ngspice at its
// default settings against its own reltol 1e-7 run: 3.9x and 5.9x at its steps). i(vin)'s
// worst rows are not spread over the run: they come in bursts every 400 ns (80, 480,
// 880 ns: 7.8x; elsewhere below 3x), at the steps (7.8x with --every-step) as at the rows.
// In the one at 880 ns a 10 ns step lands 4e-9 A off (883.2 ns); the next one's Newton
// solve fails: IDA's Newton keeps the Jacobian of its first iteration, the predictor of
// i(vin) is 260x its tolerance off, and 4 iterations (IDA's maximum) converging at rate
// 0.2-0.3 are not enough, so the step is cut to 2.5 ns, and i(vin) swings +-8e-9 A about
// the reference for ~15 ns. The error test does not see it: i(vin) has the charge
// allowance, reltol |q| / h, about 1e-8 A at 10 ns for the ~1e-13 C of junction charge on
// the base node (an estimate, not measured), 9x the agreement tolerance. Neither knob
// alone helps (i(vin) at 8 / 20 Newton iterations: 16.5x / 6.7x; at maximum order 2 / 3:
// 4.0x / 4.4x after 100 ns, 5.2x at 9 ns, v(c2) 14.8x / 12.0x). Nor a better start of
// that Newton solve (acc42, measured on db0113e, not kept): it is the predictor's v(c2), 10 mV
// off with Q2's base-collector junction forward-biased by 0.6 V, that makes the Jacobian
// taken there 25 % wrong; a fresh Jacobian at the last iterate when a fresh-Jacobian solve
// fails converging (SPICE-like full Newton) removes the failure and the cut, and gives
// i(vin) 6.7x but v(c2) 11.9x (the 10 ns steps that follow carry it); starting capped
// steps from y + h y' instead of IDA's predictor failed 112 solves (106 cuts).
// Why the capped steps are let through (step43, measured on 4648f28): the error test never
// fails here (135 steps, all but the cuts at the 10 ns cap; ngspice: 111 points), because
// i(vin)'s error-test tolerance is 3.4e-5 A, not its own reltol |i| + abstol (1.7e-10 A on
// a current of -0.86 ... -1.68e-7 A): AlgebraicTolerance (algebraic_tolerance.hpp) raises it
// to what its row passes on, the base node's tolerance, reltol of its 2.5 V of bias, through
// RBX = 20 ohm. Without that raise the charge allowance holds it to reltol |C x| / h with
// |C x| = 4.6e-13 C (1.2e-7 A at the 4 ns steps it then takes, 4.6e-8 A at 10 ns): more than
// the current itself. So the test is applied to i(vin) in name only, and to the base's
// charge through node voltages tested against their absolute potential, where SPICE tests
// the charge itself. Measured with each left out of error_weights: without the raise,
// i(vin) 2.6x, v(c2) 10.3x in 390 steps; without the raise and the allowance, i(vin) 0.28x,
// v(c2) 0.90x in 352 steps. Not kept: raising only node voltages (currents keep their own
// tolerance) gives the same here, but the Wien-bridge oscillator (corpus OpWien.sp, R and C
// constant, 0.1 s), whose op-amp E-source currents need the raise as its gain node does,
// then took 18005 steps instead of 7936. Tried (vbictol44, on 3a3bca8, not kept): a current
// into a device's terminal, its charge behind the series resistance, not raised and held
// to its charge allowance. With the allowance's charge as it is, the largest of the
// device's internal nodes (VBIC's full grid of entries reaches the collector node's
// 4.6e-13 C from the base): 6.9x / 10.4x; with the base node's own (bi, 6.8e-14 C) 33.8x /
// 14.2x; with the smallest (ci, 3.7e-14 C) 3.4x / 5.8x in 185 steps (ngspice's default
// run against our tight run, its first 0.2 ns left out: 3.9x / 5.95x in 111 points), and
// within 15 % of the raise's error or below it over 16 variations of this deck, OpWien
// and the bench decks unchanged. But the corpus's tests/vbic/diffamp.cir then took 1257
// steps instead of 146 and its worst node (v(e1_p), tools/corpus-accuracy) went 2.0e-3 ->
// 5.3e-3 V off (ngspice 3.7e-3). The error here is the ringing after the failed Newton
// solve (i(vin) +-3.6e-8 A at 3.6 ns steps near 497 ns): whether a tolerance of
// reltol |q| / h catches it turns on a factor of two in q. Also measured: op-amp
// macromodel E sources into their own capacitor's row need the raise as OpWien's do
// (ngspice's op-test-adi.cir, 0.5 ms: 110 steps with it, 9266 without).
TEST(TransientAccuracy, DrivenVbicPairRowsAndOrder) {
  const std::string deck =
      "vbic pair with a mirror load, sine drive\n"
      "VCC vcc 0 5\n"
      "VIN inp mid sin(0 20m 5meg)\n"
      "VM mid 0 2.5\n"
      "VREF inn 0 2.5\n"
      "Q1 c1 inp e 0 nv\n"
      "Q2 c2 inn e 0 nv\n"
      "Q3 c1 c1 vcc vcc pv\n"
      "Q4 c2 c1 vcc vcc pv\n"
      "IT e 0 20u\n"
      "RL c2 0 200k\n"
      ".model nv npn level=4 is=2e-16 bf=120 rbx=20 rbi=60 rcx=15 rci=40 re=3 cje=80f cjc=30f cjcp=200f\n"
      "+ tf=15p tr=200p vef=20 ver=5 ikf=3m ibei=1.5e-18 ibci=3e-17\n"
      ".model pv pnp level=4 is=1e-16 rbx=20 rbi=50 rcx=20 rci=50 re=3 cje=100f cjc=40f cjcp=300f\n"
      "+ tf=30p tr=300p vef=15 ver=5 ikf=1m ibei=2e-18 ibci=3e-17\n"
      ".probe v(c2) i(vin)\n"
      ".tran 1n 1u 0 10n\n";
  const auto run = run_neurospice(deck + ".end\n");
  const auto tight = run_neurospice(deck + ".options reltol=1e-7 abstol=1e-16 vntol=1e-11\n.end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(tight.status, 0) << tight.err;
  ASSERT_EQ(run.table().rows(), tight.table().rows());
  auto excess = [&](const std::string& name, double floor) {
    const auto& reference = tight.table().col(name);
    const double swing = *std::max_element(reference.begin(), reference.end()) -
                         *std::min_element(reference.begin(), reference.end());
    return max_abs_error(run.table().col(name), reference) / (1e-3 * swing + floor);
  };
  const double current = excess("i(vin)", 1e-9), output = excess("v(c2)", 1e-6);
  std::cout << "[accuracy] driven VBIC pair: i(vin) " << current << " x, v(c2) " << output
            << " x the agreement tolerance\n";
  EXPECT_LE(current, 10.0);
  EXPECT_LE(output, 20.0);
}

}  // namespace
}  // namespace ns::test
