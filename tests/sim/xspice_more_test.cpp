// More XSPICE analog code models: zener, square, and int / s_xfer in .ac; against
// their formulas and against ngspice on the same decks (tests/sim/decks/xspice_*.cir).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <iostream>
#include <numbers>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

constexpr double pi = std::numbers::pi;

// The zener's current from z+ to z- as the header of models/xspice_zener.cpp states it,
// written again: diode + breakdown + leakage, for xspice_zener.cir's parameters.
double zener(double v) {
  const double nvt = 1.2 * 0.026, rk = 2 * 1e-2;
  return 1e-13 * (std::exp(v / nvt) - 1) - 1e-2 * std::exp(-(v + 5.1) / rk) + v * 1e-6 / 5.1;
}

// The current through r1 is the zener's at v(z), to Newton's tolerance (reltol 1e-3 of
// the current, which reaches 25 mA; abstol 1e-12 A).
TEST(XspiceMore, ZenerAgainstItsFormula) {
  const auto run = run_neurospice(deck_file("xspice_zener.cir"));
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  ASSERT_EQ(t.rows(), 191u);
  double worst = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    const double v1 = t.col("v(1)")[k], vz = t.col("v(z)")[k];
    const double i = (v1 - vz) / 100;
    worst = std::max(worst, std::abs(i - zener(vz)) / (1e-3 * std::abs(i) + 1e-9));
  }
  std::cout << "[formula] zener: worst |i(r1) - i(zener)| / (1e-3 |i| + 1e-9 A) = " << worst << '\n';
  EXPECT_LE(worst, 1.0);
  // In breakdown at 8 V, about 2.9 V across r1: v(z) is 2 r_breakdown-ish past -5.1 V.
  EXPECT_LT(t.col("v(z)")[0], -5.1);
  EXPECT_GT(t.col("v(z)")[0], -5.3);
}

// ngspice's zener on the same sweep: it stops Newton within reltol 1e-3 of each unknown.
TEST(XspiceMore, ZenerAgainstNgspice) { expect_dc_agrees("xspice_zener.cir", {"v(z)", "i(v1)"}, 1e-3, 1e-6); }

// int: 2 / (j w); the s_xfer 3 (s + 5) / s: 3 + 15 / (j w). Their states are free in .ac
// (held at int_ic/out_ic only at the operating point), so the one complex LU is exact.
TEST(XspiceMore, IntegratorsInAc) {
  const auto run = run_neurospice(deck_file("xspice_int_ac.cir"));
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  ASSERT_EQ(t.rows(), 21u);
  const Table theirs = plot(run_ngspice(deck_file("xspice_int_ac.cir")), "AC");
  ASSERT_EQ(theirs.rows(), t.rows());
  double exact = 0, ng = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    const double w = 2 * pi * t.col("frequency")[k];
    const std::complex<double> jw(0, w);
    const std::complex<double> hi = 2.0 / jw, hx = 3.0 + 15.0 / jw;
    for (const auto& [n, h] : {std::pair{"i", hi}, std::pair{"x", hx}}) {
      const std::complex<double> ours(t.col(std::string("vr(") + n + ")")[k], t.col(std::string("vi(") + n + ")")[k]);
      const std::complex<double> ref(theirs.col(std::string("vr(") + n + ")")[k],
                                     theirs.col(std::string("vi(") + n + ")")[k]);
      exact = std::max(exact, std::abs(ours - h) / std::abs(h));
      ng = std::max(ng, std::abs(ours - ref) / std::abs(ref));
    }
  }
  std::cout << "[analytic] int, s_xfer in .ac: max rel error " << exact << "; vs ngspice " << ng << '\n';
  EXPECT_LE(exact, 1e-12);
  EXPECT_LE(ng, 1e-5);  // ngspice prints 6 digits
}

// Times where `v` crosses `level` upward (rising) or downward, linearly interpolated.
std::vector<double> crossings(const std::vector<double>& t, const std::vector<double>& v, double level, bool rising) {
  std::vector<double> out;
  for (std::size_t k = 1; k < t.size(); ++k) {
    const bool up = v[k - 1] < level && v[k] >= level, down = v[k - 1] > level && v[k] <= level;
    if (rising ? up : down) out.push_back(t[k - 1] + (level - v[k - 1]) / (v[k] - v[k - 1]) * (t[k] - t[k - 1]));
  }
  return out;
}

// square: f(t) = 1 kHz + 1.5 MHz/s t, so its phase is 1000 t + 0.75e6 t^2 cycles. It rises
// from phase n + 0.7 over 20 us and falls from n + 1 over 40 us; half way (0.75 V) is
// 10 us and 20 us later (the frequency changes by under 2% in a ramp: 0.2 us).
TEST(XspiceMore, SquareEdgesAgainstItsPhaseAndNgspice) {
  const auto run = run_neurospice(deck_file("xspice_square.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const Table theirs = plot(run_ngspice(deck_file("xspice_square.cir")), "Transient");
  auto at_phase = [](double p) { return (-1000 + std::sqrt(1e6 + 3e6 * p)) / 1.5e6; };
  for (const bool rising : {true, false}) {
    const auto ours = crossings(t.col("time"), t.col("v(sq)"), 0.75, rising);
    const auto ng = crossings(theirs.col("time"), theirs.col("v(sq)"), 0.75, rising);
    ASSERT_EQ(ours.size(), rising ? 5u : 4u);  // 5 cycles by 2 ms; the fifth falls at the end
    ASSERT_EQ(ng.size(), ours.size());
    double exact = 0, vs_ng = 0;
    for (std::size_t k = 0; k < ours.size(); ++k) {
      const double expected = rising ? at_phase(k + 0.7) + 10e-6 : at_phase(k + 1.0) + 20e-6;
      exact = std::max(exact, std::abs(ours[k] - expected));
      vs_ng = std::max(vs_ng, std::abs(ours[k] - ng[k]));
    }
    std::cout << "[square] " << (rising ? "rising" : "falling") << " edges: max |t - exact| = " << exact
              << " s, |t - ngspice| = " << vs_ng << " s\n";
    EXPECT_LE(exact, 0.5e-6);
    EXPECT_LE(vs_ng, 2e-6);  // ngspice's 2 us print step limits its own edges
  }
  const auto& v = t.col("v(sq)");
  EXPECT_NEAR(v.front(), -0.5, 1e-9);  // it starts low
  EXPECT_NEAR(*std::max_element(v.begin(), v.end()), 2.0, 1e-6);
  EXPECT_NEAR(*std::min_element(v.begin(), v.end()), -0.5, 1e-6);
}

// cmeter on p: 1u + 2u + 3u, on q: 2u + 5u, times gain 2; lmeter on s: 1u in parallel
// with 3u, times 1e6. Measured in ngspice the same (ngspice prints 7 digits).
TEST(XspiceMore, MetersAgainstFormulasAndNgspice) {
  const auto run = run_neurospice(deck_file("xspice_meters.cir"));
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  EXPECT_NEAR(t.col("v(cp)")[0], 2 * 6e-6, 1e-18);
  EXPECT_NEAR(t.col("v(cq)")[0], 2 * 7e-6, 1e-18);
  EXPECT_NEAR(t.col("v(ls)")[0], 1e6 * 0.75e-6, 1e-12);
  expect_dc_agrees("xspice_meters.cir", {"v(cp)", "v(cq)", "v(ls)"}, 1e-6, 0, "Operating");
}

// core: H = v / 0.5, B through (-2,-3) (-1,-1) (1,1) (2,1.5), slopes 2, 1, 0.5, extended,
// corners rounded over +-0.1 (input_domain 0.1 of the narrower segment, 1); flux = 2 B
// flows from node 1 through the core to ground, so i(v1) = -2 B.
double core_b(double h) {
  auto corner = [](double x, double xc, double yc, double d, double s1, double s2) {
    if (x <= xc - d) return yc + s1 * (x - xc);
    if (x >= xc + d) return yc + s2 * (x - xc);
    return yc + s1 * (x - xc) + (s2 - s1) * (x - xc + d) * (x - xc + d) / (4 * d);
  };
  return h < 0 ? corner(h, -1, -1, 0.1, 2, 1) : corner(h, 1, 1, 0.1, 1, 0.5);
}

TEST(XspiceMore, CoreAgainstItsCurveAndNgspice) {
  const auto run = run_neurospice(deck_file("xspice_core.cir"));
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  ASSERT_EQ(t.rows(), 301u);
  double worst = 0;
  for (std::size_t k = 0; k < t.rows(); ++k)
    worst = std::max(worst, std::abs(t.col("i(v1)")[k] + 2 * core_b(t.col("v(1)")[k] / 0.5)));
  std::cout << "[formula] core: max |i(v1) + 2 B(v / 0.5)| = " << worst << " A\n";
  EXPECT_LE(worst, 1e-9);  // one linear solve per point on a source-driven node
  // ngspice stops Newton within reltol 1e-3 of each unknown (2 mA at the corners).
  expect_dc_agrees("xspice_core.cir", {"i(v1)"}, 1e-3, 1e-6);
}

// oneshot: the clock crosses 0.5 V at 105 us, 505 us, 805 us and (a retrigger, the output
// high) 905 us; clear crosses it at 600.5 us. Half way up (0.5 V) is rise_delay + half
// the rise time after a trigger; half way down, 0.5 us into the fall, after the pulse
// width 200 us (cntl 0.5 V), or from the retrigger, or from the accepted point that first
// sees clear high (after 600.5 us, by 601 us: the clear's corner, where the transient stops).
TEST(XspiceMore, OneshotEdgesAgainstItsTimingAndNgspice) {
  const auto run = run_neurospice(deck_file("xspice_oneshot.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const Table theirs = plot(run_ngspice(deck_file("xspice_oneshot.cir")), "Transient");
  const std::vector<double> up = {115e-6, 515e-6, 815e-6};
  const std::vector<double> down = {105e-6 + 5e-6 + 10e-6 + 200e-6 + 7e-6 + 0.5e-6, 601.5e-6 /* at most */,
                                    905e-6 + 5e-6 + 10e-6 + 200e-6 + 7e-6 + 0.5e-6};
  for (const bool rising : {true, false}) {
    const auto ours = crossings(t.col("time"), t.col("v(y)"), 0.5, rising);
    const auto ng = crossings(theirs.col("time"), theirs.col("v(y)"), 0.5, rising);
    const auto& expected = rising ? up : down;
    ASSERT_EQ(ours.size(), expected.size());
    ASSERT_EQ(ng.size(), expected.size());
    double exact = 0, vs_ng = 0;
    for (std::size_t k = 0; k < ours.size(); ++k) {
      vs_ng = std::max(vs_ng, std::abs(ours[k] - ng[k]));
      if (!rising && k == 1) {  // clear is seen at the first accepted point past 600.5 us
        EXPECT_GE(ours[k], 601e-6 - 1e-9);
        EXPECT_LE(ours[k], 601.5e-6 + 1e-9);
        continue;
      }
      exact = std::max(exact, std::abs(ours[k] - expected[k]));
    }
    std::cout << "[oneshot] " << (rising ? "rising" : "falling") << " edges: max |t - expected| = " << exact
              << " s, |t - ngspice| = " << vs_ng << " s\n";
    EXPECT_LE(exact, 1e-9);
    // ngspice takes a trigger at its first time point after the crossing (0.5 us later
    // here) and drops the output at once on clear (up to 1 us earlier than here).
    EXPECT_LE(vs_ng, 1.5e-6);
  }
}

// core in its hysteresis mode: the flux current is hyst's curve of the mmf (no area or
// length, as ngspice 39 has it), so the same as the hyst model's output on the same input.
TEST(XspiceMore, CoreHysteresisIsHystOfTheMmf) {
  const auto run = run_neurospice(deck_file("xspice_core_hyst.cir"));
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  double same = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) same = std::max(same, std::abs(-t.col("i(v1)")[k] - t.col("v(h)")[k]));
  std::cout << "[core] mode 2: max |flux - hyst| = " << same << '\n';
  EXPECT_LE(same, 1e-9);
  // So in ngspice too: its core and its hyst on the same deck.
  const Table theirs = plot(run_ngspice(deck_file("xspice_core_hyst.cir")), "Transient");
  double ng = 0;
  for (std::size_t k = 0; k < theirs.rows(); ++k)
    ng = std::max(ng, std::abs(-theirs.col("i(v1)")[k] - theirs.col("v(h)")[k]));
  std::cout << "[ngspice] core mode 2: max |flux - hyst| = " << ng << '\n';
  EXPECT_LE(ng, 1e-6);
}

// ilimit into 10 ohms: veq = 2 (v + 0.1) within [-4, 5]; i = veq / (r + 10) out of y,
// r = 2 sourcing and 3 sinking, limited to [-0.25, 0.3] A; the rails carry it, the
// positive one a sourced current, the negative one a sunk current. (The rounding ranges
// are 1e-6: the map is piecewise linear to that.)
TEST(XspiceMore, IlimitAgainstItsMapAndNgspice) {
  const auto run = run_neurospice(deck_file("xspice_ilimit.cir"));
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  double worst = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    const double veq = std::clamp(2 * (t.col("v(in)")[k] + 0.1), -4.0, 5.0);
    const double i = std::clamp(veq / ((veq > 0 ? 2 : 3) + 10.0), -0.25, 0.3);
    worst = std::max({worst, std::abs(t.col("v(y)")[k] - 10 * i), std::abs(t.col("i(vp)")[k] + std::max(i, 0.0)),
                      std::abs(t.col("i(vn)")[k] + std::min(i, 0.0))});
  }
  std::cout << "[formula] ilimit: max error " << worst << '\n';
  EXPECT_LE(worst, 2e-5);  // within the 1e-6 roundings, times the 10 ohm load
  expect_dc_agrees("xspice_ilimit.cir", {"v(y)", "i(vp)", "i(vn)"}, 1e-3, 2e-5);
}

// slew: from 0.5 V it rises at 1000 V/s from 1 ms to 2 V (2.5 ms), falls at 500 V/s
// from 3 ms until it meets the input (0.2 V from 6 ms) at 6.6 ms. .ac: a gain of 1.
double slewed(double t) {
  if (t < 1e-3) return 0.5;
  if (t < 2.5e-3) return 0.5 + 1e3 * (t - 1e-3);
  if (t < 3e-3) return 2;
  if (t < 6.6e-3) return 2 - 500 * (t - 3e-3);
  return 0.2;
}

TEST(XspiceMore, SlewAgainstItsRampsAndNgspice) {
  const auto run = run_neurospice(deck_file("xspice_slew.cir"));
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& tran = run.table("tran");
  double exact = 0;
  for (std::size_t k = 0; k < tran.rows(); ++k)
    exact = std::max(exact, std::abs(tran.col("v(out)")[k] - slewed(tran.col("time")[k])));
  const auto ng = run_ngspice(deck_file("xspice_slew.cir"));
  const Table theirs = plot(ng, "Transient");
  const double vs_ng =
      max_abs_error(tran.col("v(out)"), interpolate(theirs.col("time"), theirs.col("v(out)"), tran.col("time")));
  const Table& ac = run.table("ac");
  const Table ng_ac = plot(ng, "AC");
  double gain = 0;
  for (std::size_t k = 0; k < ac.rows(); ++k) {
    gain = std::max(gain, std::abs(ac.col("vm(out)")[k] - 1));
    EXPECT_NEAR(ng_ac.col("vm(out)")[k], 1, 1e-9);
  }
  std::cout << "[slew] max |v - ramps| = " << exact << " V, |v - ngspice| = " << vs_ng << " V, .ac max |gain - 1| "
            << gain << '\n';
  EXPECT_LE(exact, 2e-3);  // the integrator keeps its error below reltol 1e-3 of the 2 V output
  EXPECT_LE(vs_ng, 1e-2);  // ngspice's own 10 us steps past the corners at 2.5 and 6.6 ms
  EXPECT_LE(gain, 1e-3);   // the pole at 1e3 / (2 pi 1e-4) Hz, from 10 kHz down
}

}  // namespace
}  // namespace ns::test
