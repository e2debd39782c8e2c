// .ac against exact transfer functions: an RC low-pass, a series RLC's resonance and Q,
// the .print ac parts, a linearised device probe, and the raw file against the CSV.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <iostream>
#include <numbers>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "cli/app.hpp"
#include "sim/support.hpp"

namespace ns::test {
namespace {

using Complex = std::complex<double>;
constexpr double pi = std::numbers::pi;

// Three unknowns solved by one complex LU: the only error is rounding, ~1e-15.
TEST(AnalyticAc, RcLowPass) {
  const double r = 1e3, c = 1e-6;
  const auto run = run_neurospice(
      "rc low-pass\n"
      "V1 in 0 dc 0 ac 1\n"
      "R1 in out 1k\n"
      "C1 out 0 1u\n"
      ".ac dec 10 1 1meg\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  ASSERT_EQ(t.rows(), 61u);  // 6 decades, 10 per decade, both ends
  double worst_mag = 0, worst_phase = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    const double f = t.col("frequency")[k];
    EXPECT_NEAR(f, std::pow(10.0, double(k) / 10), 1e-12 * f);
    const Complex h = 1.0 / Complex(1, 2 * pi * f * r * c);
    worst_mag = std::max(worst_mag, std::abs(t.col("vm(out)")[k] - std::abs(h)) / std::abs(h));
    worst_phase = std::max(worst_phase, std::abs(t.col("vp(out)")[k] - std::arg(h)));
  }
  std::cout << "[analytic] rc low-pass: max rel |H| error " << worst_mag << ", max phase error " << worst_phase
            << " rad\n";
  EXPECT_LE(worst_mag, 1e-12);
  EXPECT_LE(worst_phase, 1e-12);
}

// Series R, L, C driven by V1; v(in,a) is the voltage across R: H = R / (R + j w L + 1/(j w C)).
// At f0 = 1/(2 pi sqrt(LC)) H = 1 and v(b) (across C) = -j Q; at the half-power edges
// f0 (sqrt(1 + 1/(4Q^2)) -+ 1/(2Q)) |H| = 1/sqrt(2) with phase +-45 degrees, so the
// bandwidth f2 - f1 is f0 / Q.
TEST(AnalyticAc, RlcResonanceAndQ) {
  const double r = 10, l = 1e-3, c = 1e-6;
  const double f0 = 1 / (2 * pi * std::sqrt(l * c));
  const double q = std::sqrt(l / c) / r;
  const double f1 = f0 * (std::sqrt(1 + 1 / (4 * q * q)) - 1 / (2 * q));
  const double f2 = f0 * (std::sqrt(1 + 1 / (4 * q * q)) + 1 / (2 * q));
  struct Point { double f, mag, phase; };
  std::vector<double> measured;
  for (const Point& p : {Point{f0, 1, 0}, Point{f1, 1 / std::sqrt(2.0), pi / 4}, Point{f2, 1 / std::sqrt(2.0), -pi / 4}}) {
    const auto run = run_neurospice(fmt::format(
        "series rlc\n"
        "V1 in 0 ac 1\n"
        "R1 in a 10\n"
        "L1 a b 1m\n"
        "C1 b 0 1u\n"
        ".print ac v(in,a) v(b)\n"
        ".ac lin 1 {0:.17g} {0:.17g}\n"
        ".end\n", p.f));
    ASSERT_EQ(run.status, 0) << run.err;
    const Table& t = run.table();
    ASSERT_EQ(t.rows(), 1u);
    EXPECT_NEAR(t.col("vm(in,a)")[0], p.mag, 1e-12) << p.f;
    EXPECT_NEAR(t.col("vp(in,a)")[0], p.phase, 1e-12) << p.f;
    if (p.phase == 0) {
      EXPECT_NEAR(t.col("vm(b)")[0], q, 1e-12 * q);
      EXPECT_NEAR(t.col("vp(b)")[0], -pi / 2, 1e-12);
    }
  }
  // The same from a sweep: the peak sample and the -3 dB crossings, interpolated.
  const auto run = run_neurospice(
      "series rlc sweep\n"
      "V1 in 0 ac 1\n"
      "R1 in a 10\n"
      "L1 a b 1m\n"
      "C1 b 0 1u\n"
      ".print ac vdb(in,a)\n"
      ".ac lin 20001 3k 8k\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto& f = t.col("frequency");
  const auto& db = t.col("vdb(in,a)");
  std::size_t peak = 0;
  for (std::size_t k = 0; k < db.size(); ++k)
    if (db[k] > db[peak]) peak = k;
  auto crossing = [&](std::size_t from, int step) {
    const double level = -10 * std::log10(2.0);
    for (std::size_t k = from; k > 0 && k + 1 < db.size(); k += step)
      if ((db[k] - level) * (db[k + step] - level) <= 0)
        return f[k] + (f[k + step] - f[k]) * (level - db[k]) / (db[k + step] - db[k]);
    return double(NAN);
  };
  const double lo = crossing(peak, -1), hi = crossing(peak, 1);
  const double q_measured = f[peak] / (hi - lo);
  std::cout << "[analytic] rlc: peak at " << f[peak] << " Hz (f0 " << f0 << "), Q " << q_measured << " (" << q << ")\n";
  EXPECT_NEAR(f[peak], f0, 0.25 / 2 * 1.001);  // the grid is 0.25 Hz
  // Interpolating dB linearly over 0.25 Hz steps near the edges: error well below 1e-4 of Q.
  EXPECT_NEAR(q_measured, q, 1e-4 * q);
}

// A common-source stage at 10 Hz, where its capacitances (tens of fF against 10 kOhm)
// shift the gain by ~1e-10: gain = -gm (RD || 1/gds) with the level-1 square law,
// Id = kp/2 W/L Vov^2 (1 + lambda Vds), Vds = VDD - RD Id solved here by bisection.
TEST(AnalyticAc, NmosCommonSourceGain) {
  const double vdd = 5, rd = 10e3, vov = 1.5 - 0.7, beta = 100e-6 * 10, lambda = 0.02;
  double lo = 0, hi = vdd;  // Vds
  for (int k = 0; k < 200; ++k) {
    const double vds = (lo + hi) / 2;
    const double id = beta / 2 * vov * vov * (1 + lambda * vds);
    (vdd - rd * id > vds ? lo : hi) = vds;
  }
  const double vds = (lo + hi) / 2;
  ASSERT_GT(vds, vov);  // saturated
  const double gm = beta * vov * (1 + lambda * vds), gds = beta / 2 * vov * vov * lambda;
  const double gain = gm * rd / (1 + gds * rd);
  const auto run = run_neurospice(
      "nmos common source\n"
      "VDD vdd 0 dc 5\n"
      "VG in 0 dc 1.5 ac 1\n"
      "RS in g 1k\n"
      "RD vdd d 10k\n"
      "M1 d g 0 0 nm w=10u l=1u ad=20p as=20p pd=24u ps=24u\n"
      ".model nm nmos level=1 vto=0.7 kp=100u lambda=0.02 tox=20n cgso=0.3n cgdo=0.3n cj=0.5m cjsw=1n\n"
      ".print ac v(d)\n"
      ".ac lin 1 10 10\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  std::cout << "[analytic] nmos cs: gain " << t.col("vm(d)")[0] << " (" << gain << "), phase " << t.col("vp(d)")[0] << '\n';
  // The OP is Newton-converged (reltol 1e-3 on the update, quadratic convergence):
  // 1e-6 of the gain is far above what it leaves.
  EXPECT_NEAR(t.col("vm(d)")[0], gain, 1e-6 * gain);
  EXPECT_NEAR(std::abs(t.col("vp(d)")[0]), pi, 1e-6);
}

// vdb, vr, vi from .print ac are the parts of the same phasor as vm and vp; an I source's
// ac value drives as a V source's does (1 mA into 1 kOhm || 1 uF).
TEST(AnalyticAc, PrintPartsAndCurrentSource) {
  const auto run = run_neurospice(
      "parts\n"
      "I1 0 out dc 0 ac 1m 90\n"
      "R1 out 0 1k\n"
      "C1 out 0 1u\n"
      ".print ac vm(out) vp(out) vdb(out) vr(out) vi(out)\n"
      ".ac oct 2 10 1k\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  ASSERT_EQ(t.rows(), 14u);  // 10 * 2^(k/2) up to 1 kHz: 6.64 octaves, 13 steps
  for (std::size_t k = 0; k < t.rows(); ++k) {
    const double f = t.col("frequency")[k];
    const Complex z = Complex(0, 1e-3) * 1e3 / Complex(1, 2 * pi * f * 1e-3);
    EXPECT_NEAR(t.col("vr(out)")[k], z.real(), 1e-12);
    EXPECT_NEAR(t.col("vi(out)")[k], z.imag(), 1e-12);
    EXPECT_NEAR(t.col("vm(out)")[k], std::abs(z), 1e-12);
    EXPECT_NEAR(t.col("vp(out)")[k], std::arg(z), 1e-12);
    EXPECT_NEAR(t.col("vdb(out)")[k], 20 * std::log10(std::abs(z)), 1e-10);
  }
}

// A resistor's ac= value is the resistance .ac sees (ngspice's rule); the operating point
// keeps its DC value. A divider of 5k over 5k (ac=15k): 0.75 in .ac, 0.5 V at the OP.
TEST(AnalyticAc, ResistorAcValue) {
  const auto run = run_neurospice(
      "acres\n"
      "V1 in 0 dc 1 ac 1\n"
      "R1 in out 5k\n"
      "R2 out 0 5k ac=15k\n"
      ".print ac vm(out)\n"
      ".ac dec 1 1 10\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  ASSERT_EQ(t.rows(), 2u);
  for (std::size_t k = 0; k < t.rows(); ++k) EXPECT_NEAR(t.col("vm(out)")[k], 0.75, 1e-12);
  const auto op = run_neurospice("acres\nV1 in 0 dc 1 ac 1\nR1 in out 5k\nR2 out 0 5k ac=15k\n.op\n.end\n");
  ASSERT_EQ(op.status, 0) << op.err;
  EXPECT_NEAR(op.table().col("v(out)").at(0), 0.5, 1e-12);
}

// A probe that is not an unknown (the diode's junction current) is linearised at the OP:
// with no capacitance and no RS, its small-signal current is v1's, reversed (i(v1) runs
// from + through the source). Central differences of an exponential: ~1e-9.
TEST(AnalyticAc, LinearisedDeviceProbe) {
  const auto run = run_neurospice(
      "diode probe\n"
      "V1 a 0 dc 0.65 ac 1m\n"
      "D1 a 0 dmod\n"
      ".model dmod d is=1e-14\n"
      ".print ac i(v1) @d1[id] @d1[gd]\n"
      ".ac dec 1 1 100\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  for (std::size_t k = 0; k < t.rows(); ++k) {
    EXPECT_NEAR(t.col("mag(@d1[id])")[k], t.col("im(v1)")[k], 1e-8 * t.col("im(v1)")[k]);
    EXPECT_NEAR(std::abs(t.col("ph(@d1[id])")[k] - t.col("ip(v1)")[k]), pi, 1e-8);
  }
}

// The raw file holds the same phasors as the CSV (ngspice's complex layout, read back).
TEST(AnalyticAc, RawFileMatchesCsv) {
  const std::string deck =
      "rc low-pass\n"
      "V1 in 0 dc 0 ac 2 -30\n"
      "R1 in out 1k\n"
      "C1 out 0 1u\n"
      ".ac dec 3 10 10k\n"
      ".end\n";
  const auto csv = run_neurospice(deck);
  ASSERT_EQ(csv.status, 0) << csv.err;
  TempDir dir;
  write_text(dir.path() / "deck.cir", deck);
  std::ostringstream out, err;
  ASSERT_EQ(ns::run_app({"--format", "ascii", "-o", (dir.path() / "out.raw").string(), (dir.path() / "deck.cir").string()},
                        out, err), 0) << err.str();
  const auto plots = read_ascii_raw(dir.path() / "out.raw");
  ASSERT_EQ(plots.size(), 1u);
  EXPECT_EQ(plots[0].plotname, "AC Analysis");
  const Table& raw = plots[0].table;
  const Table& table = csv.table();
  ASSERT_EQ(raw.rows(), table.rows());
  EXPECT_EQ(raw.names.front(), "frequency");
  for (const char* name : {"frequency", "vm(out)", "vp(out)", "vm(in)", "vp(in)", "im(v1)", "ip(v1)"})
    EXPECT_LE(max_abs_error(raw.col(name), table.col(name)), 1e-15 * (1 + std::abs(table.col(name)[0]))) << name;
  EXPECT_NEAR(raw.col("vm(in)")[0], 2, 1e-15);
  EXPECT_NEAR(raw.col("vp(in)")[0], -pi / 6, 1e-15);
}

}  // namespace
}  // namespace ns::test
