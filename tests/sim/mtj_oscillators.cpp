// Spin-torque oscillators end to end: the macrospin MTJ against Kittel's frequency and
// the analytic threshold current (devices.md §3a), |m| = 1 over a long run; the
// auto-oscillator against its threshold, free-running power and frequency (§3b),
// injection locking and mutual synchronization through the circuit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/support.hpp"

namespace ns::test {
namespace {

constexpr double pi = std::numbers::pi;

// Frequency from rising crossings of y - mean(y) (linear interpolation) over [t0, t1].
double frequency(const Table& t, const std::string& col, double t0, double t1 = INFINITY) {
  const auto& time = t.col("time");
  const auto& y = t.col(col);
  double sum = 0;
  int n = 0;
  for (std::size_t k = 0; k < y.size(); ++k)
    if (time[k] >= t0 && time[k] <= t1) sum += y[k], ++n;
  const double mean = sum / n;
  std::vector<double> up;
  for (std::size_t k = 1; k < y.size(); ++k) {
    if (time[k - 1] < t0 || time[k] > t1) continue;
    const double a = y[k - 1] - mean, b = y[k] - mean;
    if (a < 0 && b >= 0) up.push_back(time[k - 1] + (time[k] - time[k - 1]) * a / (a - b));
  }
  if (up.size() < 2) return NAN;
  return (static_cast<double>(up.size()) - 1) / (up.back() - up.front());
}

// Least-squares slope of ln|local maxima of y| against time over [t0, t1]: the growth
// rate of an oscillation's envelope (negative when it decays).
double envelope_rate(const Table& t, const std::string& col, double t0, double t1) {
  const auto& time = t.col("time");
  const auto& y = t.col(col);
  std::vector<double> ts, ls;
  for (std::size_t k = 1; k + 1 < y.size(); ++k)
    if (time[k] >= t0 && time[k] <= t1 && y[k] > y[k - 1] && y[k] >= y[k + 1] && y[k] > 0)
      ts.push_back(time[k]), ls.push_back(std::log(y[k]));
  const double n = static_cast<double>(ts.size());
  double st = 0, sl = 0, stt = 0, stl = 0;
  for (std::size_t k = 0; k < ts.size(); ++k) st += ts[k], sl += ls[k], stt += ts[k] * ts[k], stl += ts[k] * ls[k];
  return (n * stl - st * sl) / (n * stt - st * st);
}

// ---- macrospin ---------------------------------------------------------------------

// The model's defaults (models/mtj_macrospin.cpp), written out again here.
constexpr double kMs = 1.2e6, kMeff = 4e5, kHk = 2e4, kAlpha = 0.01, kEta = 0.75;
constexpr double kVolume = 1.924e-15 * 1.5e-9;
constexpr double kMu0 = 1.25663706212e-6, kGamma = 1.76085963e11;
constexpr double kHbar = 1.054571817e-34, kE = 1.602176634e-19;

double kittel(double h) {
  return kGamma * kMu0 / (2 * pi) * std::sqrt((h + kHk) * (h + kHk + kMeff));
}
double threshold(double h) {
  return 2 * kE / kHbar * kAlpha / kEta * kMu0 * kMs * kVolume * (h + kHk + kMeff / 2);
}

Table run_mtj(double h, double current, const std::string& tran, double reltol = 1e-6) {
  const auto run = run_neurospice(fmt::format(
      "mtj under a dc current\n"
      ".model mj mtj (hx={})\n"
      "I1 0 a dc {}\n"
      "N1 a 0 mj\n"
      ".options reltol={}\n"
      ".probe v(a) @n1[mx] @n1[my] @n1[mz] @n1[r]\n"
      ".tran {} uic\n"
      ".end\n",
      h, current, reltol, tran));
  EXPECT_EQ(run.status, 0) << run.err;
  return run.table();
}

TEST(MtjMacrospin, SmallAnglePrecessionIsKittel) {
  for (double h : {0.0, 4e4, 1.2e5}) {
    // No current: damped precession from the 0.02 rad rest tilt. At threshold: the same
    // small orbit, neither growing nor decaying.
    for (double share : {0.0, 1.0}) {
      const Table t = run_mtj(h, share * threshold(h), "2p 4n");
      const double f = frequency(t, "@n1[my]", 0.5e-9);
      SCOPED_TRACE(fmt::format("H = {} A/m, I = {} I_c", h, share));
      std::cout << fmt::format("H = {:g} A/m, I = {} I_c: f = {:.6g} Hz, Kittel {:.6g} Hz\n", h, share, f, kittel(h));
      EXPECT_NEAR(f, kittel(h), 0.01 * kittel(h));
    }
  }
}

TEST(MtjMacrospin, ThresholdCurrent) {
  // The envelope grows at a rate linear in I - I_c for small angles: two currents either
  // side of the analytic value, and where the line through their rates crosses zero.
  const double h = 4e4, ic = threshold(h);
  const double lo = 0.8 * ic, hi = 1.2 * ic;
  const double r_lo = envelope_rate(run_mtj(h, lo, "2p 8n"), "@n1[my]", 0.5e-9, 8e-9);
  const double r_hi = envelope_rate(run_mtj(h, hi, "2p 8n"), "@n1[my]", 0.5e-9, 8e-9);
  EXPECT_LT(r_lo, 0);
  EXPECT_GT(r_hi, 0);
  const double estimate = lo - r_lo * (hi - lo) / (r_hi - r_lo);
  std::cout << fmt::format("growth rates {:.4g} /s at 0.8 I_c, {:.4g} /s at 1.2 I_c: threshold {:.5g} A, analytic {:.5g} A\n",
                           r_lo, r_hi, estimate, ic);
  EXPECT_NEAR(estimate, ic, 0.05 * ic);
}

TEST(MtjMacrospin, UnitVectorOverLongRun) {
  // 600 periods of large-angle in-plane precession at the default reltol (1e-3).
  const Table t = run_mtj(4e4, 70e-6, "10p 250n", 1e-3);
  const auto &mx = t.col("@n1[mx]"), &my = t.col("@n1[my]"), &mz = t.col("@n1[mz]");
  double worst = 0, lowest_mx = 1;
  for (std::size_t k = 0; k < mx.size(); ++k) {
    worst = std::max(worst, std::abs(std::sqrt(mx[k] * mx[k] + my[k] * my[k] + mz[k] * mz[k]) - 1));
    lowest_mx = std::min(lowest_mx, mx[k]);
  }
  std::cout << fmt::format("max ||m| - 1| = {:.3g} over {} rows; min mx {:.3f}\n", worst, mx.size(), lowest_mx);
  EXPECT_LT(lowest_mx, 0);  // the orbit is large: m swings past the hard axis
  EXPECT_LT(worst, 1e-6);
}

TEST(MtjMacrospin, FreeRunningFrequencyAtDefaultTolerances) {
  // netlists/mtj/mtj_free_running.cir: the large in-plane orbit at 1.5 I_c. Its frequency
  // follows its amplitude, a balance of alpha = 0.01 damping and torque that the
  // integrator's error shifts; the issue asks for 1 % at the default reltol (1e-3) of the
  // converged value (2.3345 GHz at reltol 1e-5 .. 1e-7). Measured: 2.313 GHz (-0.9 %);
  // 2.476 GHz (+6 %) while the angles' tolerance was relative to their own value.
  const double converged = frequency(run_mtj(4e4, 70e-6, "5p 100n", 1e-6), "@n1[my]", 50e-9);
  const double f = frequency(run_mtj(4e4, 70e-6, "5p 100n", 1e-3), "@n1[my]", 50e-9);
  std::cout << fmt::format("free-running orbit: {:.5g} Hz at reltol 1e-3, {:.5g} Hz at 1e-6\n", f, converged);
  EXPECT_NEAR(f, converged, 0.01 * converged);
}

// ---- auto-oscillator ---------------------------------------------------------------

// Defaults of models/stno_oscillator.cpp, written out again.
constexpr double kF0 = 250e6, kNf = 150e6, kGg = 3.14159265e7, kSigma = 7.85398163e9, kQ = 1;
constexpr double kForce = 3e10;

std::string stno_deck(const std::string& source, const std::string& tran, const std::string& extra = "") {
  return fmt::format(
      "stno\n"
      ".model so stno\n"
      "I1 0 a {}\n"
      "N1 a 0 so\n"
      "{}"
      ".options reltol=1e-5\n"
      ".probe v(a) @n1[cr] @n1[p] @n1[r]\n"
      ".tran {}\n"
      ".end\n",
      source, extra, tran);
}

TEST(StnoOscillator, ThresholdIsGammaOverSigma) {
  // Small amplitude: dp/dt = 2 (sigma I - gg) p. The slope of ln p at two currents,
  // extrapolated to zero.
  auto rate = [](double current) {
    const auto run = run_neurospice(stno_deck(fmt::format("dc {}", current), "1n 200n"));
    EXPECT_EQ(run.status, 0) << run.err;
    const Table& t = run.table();
    const auto& time = t.col("time");
    const auto& p = t.col("@n1[p]");
    const std::size_t a = 50, b = time.size() - 1;
    return std::log(p[b] / p[a]) / (time[b] - time[a]);
  };
  const double ith = kGg / kSigma, lo = 0.9 * ith, hi = 1.1 * ith;
  const double r_lo = rate(lo), r_hi = rate(hi);
  const double estimate = lo - r_lo * (hi - lo) / (r_hi - r_lo);
  std::cout << fmt::format("threshold {:.6g} A, gg/sigma {:.6g} A\n", estimate, ith);
  EXPECT_LT(r_lo, 0);
  EXPECT_GT(r_hi, 0);
  EXPECT_NEAR(estimate, ith, 0.01 * ith);
}

TEST(StnoOscillator, FreeRunningPowerAndFrequency) {
  const double ith = kGg / kSigma;
  for (double zeta : {1.5, 2.0, 3.0}) {
    const auto run = run_neurospice(stno_deck(fmt::format("dc {}", zeta * ith), "0.1n 1.5u"));
    ASSERT_EQ(run.status, 0) << run.err;
    const Table& t = run.table();
    const double p0 = (zeta - 1) / (zeta + kQ), f0 = kF0 + kNf * p0;
    const double p = t.col("@n1[p]").back();
    const double f = frequency(t, "@n1[cr]", 0.75e-6);
    std::cout << fmt::format("zeta {}: p {:.6f} (theory {:.6f}), f {:.6g} Hz (theory {:.6g})\n", zeta, p, p0, f, f0);
    EXPECT_NEAR(p, p0, 0.01 * p0);
    EXPECT_NEAR(f, f0, 0.01 * f0);
  }
}

TEST(StnoOscillator, FreeRunningAtDefaultTolerances) {
  // netlists/mtj/stno_free_running.cir without its reltol=1e-5 (issue 16: a user who
  // leaves the defaults): the frequency f0 + nf p must stay within 1 % of the analytic
  // steady state. BDF's damping of the orbit lowers p by a fraction of reltol per step
  // against the 16 ns restoring time (the deck's comment: up to ~3e-3 relative at 1e-5
  // per step), which moves f by nf dp; p is held to 1 % here too.
  const double ith = kGg / kSigma, zeta = 2;
  const double p0 = (zeta - 1) / (zeta + kQ), f0 = kF0 + kNf * p0;
  for (const char* method : {"gear", "trap"}) {
    const auto run = run_neurospice(fmt::format(
        "stno free running at default tolerances\n"
        ".model so stno\n"
        "I1 0 a dc {}\n"
        "N1 a 0 so\n"
        ".options method={}\n"
        ".probe @n1[cr] @n1[p]\n"
        ".tran 0.1n 1u\n"
        ".end\n",
        zeta * ith, method));
    ASSERT_EQ(run.status, 0) << run.err;
    const Table& t = run.table();
    const double p = t.col("@n1[p]").back();
    const double f = frequency(t, "@n1[cr]", 0.5e-6);
    std::cout << fmt::format("[accuracy] stno {} at default tolerances: p {:.6f} ({:+.3f} %), f {:.6g} Hz ({:+.3f} %)\n",
                             method, p, 100 * (p / p0 - 1), f, 100 * (f / f0 - 1));
    EXPECT_NEAR(p, p0, 0.01 * p0);
    EXPECT_NEAR(f, f0, 0.01 * f0);
  }
}

// Locked: the oscillator's mean frequency over the last microsecond equals the drive's.
bool locked(double irf, double fe) {
  const double idc = 8e-3;
  const auto run = run_neurospice(stno_deck(fmt::format("sin({} {} {})", idc, irf, fe), "0.1n 2.5u"));
  EXPECT_EQ(run.status, 0) << run.err;
  return std::abs(frequency(run.table(), "@n1[cr]", 1.5e-6) - fe) < 20e3;
}

// The edge between locked (at `in`) and unlocked (at `out`), by bisection to 0.1 MHz.
double edge(double irf, double in, double out) {
  while (std::abs(out - in) > 0.1e6) {
    const double mid = 0.5 * (in + out);
    (locked(irf, mid) ? in : out) = mid;
  }
  return 0.5 * (in + out);
}

TEST(StnoOscillator, LockingRangeGrowsWithDrive) {
  // Weak-drive theory (Slavin & Tiberkevich 2009): half-width |f_e| sqrt(1 + nu^2) /
  // sqrt(p0), f_e = force irf / 2 the resonant part of the drive, nu = N p0 / Gamma_p,
  // Gamma_p = p0 (gg q + sigma I). The range's centre is pulled away from the free-running
  // frequency, so the edges are searched from it outwards.
  const double idc = 8e-3, zeta = idc * kSigma / kGg, p0 = (zeta - 1) / (zeta + kQ);
  const double nu = 2 * pi * kNf * p0 / (p0 * (kGg * kQ + kSigma * idc));
  double previous = 0;
  for (double irf : {0.05e-3, 0.1e-3, 0.2e-3}) {
    const double centre = kF0 + kNf * p0;
    ASSERT_TRUE(locked(irf, centre));
    const double width = edge(irf, centre, centre + 30e6) - edge(irf, centre, centre - 30e6);
    const double theory = 2 * (kForce * irf / 2) * std::sqrt(1 + nu * nu) / std::sqrt(p0) / (2 * pi);
    std::cout << fmt::format("irf {:g} A: locking range {:.4g} Hz, weak-drive theory {:.4g} Hz\n", irf, width, theory);
    EXPECT_GT(width, 1.5 * previous);
    EXPECT_NEAR(width, theory, 0.15 * theory);
    previous = width;
  }
}

TEST(StnoOscillator, TwoCoupledOscillatorsShareOneFrequency) {
  // Biased at 7.5 and 8.5 mA they run alone at 295.7 and 304 MHz; capacitively coupled
  // on a 50-ohm line they end at one frequency.
  auto deck = [](bool coupled) {
    return fmt::format(
        "two stnos on a common line\n"
        ".model so stno\n"
        "I1 0 a1 dc 7.5m\n"
        "I2 0 a2 dc 8.5m\n"
        "N1 a1 0 so\n"
        "N2 a2 0 so\n"
        "{}"
        "Rl line 0 50\n"
        ".options reltol=1e-5\n"
        ".probe @n1[cr] @n2[cr]\n"
        ".tran 0.1n 3u\n"
        ".end\n",
        coupled ? "C1 a1 line 1n\nC2 a2 line 1n\n" : "");
  };
  const auto alone = run_neurospice(deck(false)), together = run_neurospice(deck(true));
  ASSERT_EQ(alone.status, 0) << alone.err;
  ASSERT_EQ(together.status, 0) << together.err;
  const double a1 = frequency(alone.table(), "@n1[cr]", 1.5e-6), a2 = frequency(alone.table(), "@n2[cr]", 1.5e-6);
  const double c1 = frequency(together.table(), "@n1[cr]", 1.5e-6), c2 = frequency(together.table(), "@n2[cr]", 1.5e-6);
  std::cout << fmt::format("alone {:.6g} and {:.6g} Hz; coupled {:.6g} and {:.6g} Hz\n", a1, a2, c1, c2);
  EXPECT_NEAR(a1, kF0 + kNf * (7.5e-3 / 4e-3 - 1) / (7.5e-3 / 4e-3 + kQ), 0.01 * a1);
  EXPECT_GT(a2 - a1, 5e6);
  EXPECT_LT(std::abs(c1 - c2), 20e3);  // one phase slip in 1.5 us would be 0.67 MHz
}

}  // namespace
}  // namespace ns::test
