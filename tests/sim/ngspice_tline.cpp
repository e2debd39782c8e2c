// The lossless transmission line (T, models/tline.cpp) against exact wave sums and against
// ngspice on the same decks (tests/sim/decks/tline_*.cir): matched, open and nearly
// shorted far ends, a 1 V pulse (1 ns delay, 0.2 ns edges) through td = 2 ns.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// The decks' source: pulse(0 1 1n 0.2n 0.2n width period), 0 before t = 1 ns.
double pulse(double t, double width, double period) {
  if (t <= 1e-9) return 0;
  t = std::fmod(t - 1e-9, period);
  if (t < 0.2e-9) return t / 0.2e-9;
  if (t < 0.2e-9 + width) return 1;
  if (t < 0.4e-9 + width) return 1 - (t - 0.2e-9 - width) / 0.2e-9;
  return 0;
}

// Source resistance rs, line z0 with delay td, load rl: the near end (b) and the far end
// (c) as the sum of the waves bouncing between the two ends (reflection coefficients
// gs = (rs - z0)/(rs + z0) and gl = (rl - z0)/(rl + z0)).
struct Line {
  double rs, z0, td, rl;
  std::function<double(double)> source;
  double near(double t) const {
    const double gs = (rs - z0) / (rs + z0), gl = (rl - z0) / (rl + z0), launch = z0 / (rs + z0);
    double v = launch * source(t), bounce = launch * gl * (1 + gs);
    for (int k = 1; 2 * k * td < t; ++k, bounce *= gs * gl) v += bounce * source(t - 2 * k * td);
    return v;
  }
  double far(double t) const {
    const double gs = (rs - z0) / (rs + z0), gl = (rl - z0) / (rl + z0), launch = z0 / (rs + z0);
    double v = 0, wave = launch * (1 + gl);
    for (int k = 0; (2 * k + 1) * td < t; ++k, wave *= gs * gl) v += wave * source(t - (2 * k + 1) * td);
    return v;
  }
};

// Every output row against the wave sum, and ngspice's points against ours. The circuit
// is linear and the source piecewise linear, and the line's corners (source corners plus
// multiples of td) are breakpoints, so between them the waveforms are straight lines that
// IDA and the line's record follow exactly: measured within 1e-14 V of the sums; allow
// 1e-9. Every corner is a multiple of the 0.01 ns output step, so our rows interpolated
// linearly at ngspice's points are exact too, and the difference there is ngspice's own
// (its steps do not all end on the delayed corners).
void expect_line(const std::string& name, const Line& line, double ngspice_tolerance) {
  const std::string deck = deck_file(name);
  const auto ours = run_neurospice(deck);
  ASSERT_EQ(ours.status, 0) << ours.err;
  const Table& t = ours.table();
  const auto& time = t.col("time");
  double exact_b = 0, exact_c = 0;
  for (std::size_t k = 0; k < time.size(); ++k) {
    exact_b = std::max(exact_b, std::abs(t.col("v(b)")[k] - line.near(time[k])));
    exact_c = std::max(exact_c, std::abs(t.col("v(c)")[k] - line.far(time[k])));
  }
  const Table theirs = plot(run_ngspice(deck), "Transient");
  double ngspice_b = 0, ngspice_c = 0, ngspice_exact = 0;
  for (const std::string node : {"v(b)", "v(c)"}) {
    const auto mine = interpolate(time, t.col(node), theirs.col("time"));
    (node == "v(b)" ? ngspice_b : ngspice_c) = max_abs_error(mine, theirs.col(node));
  }
  for (std::size_t k = 0; k < theirs.rows(); ++k) {
    const double at = theirs.col("time")[k];
    ngspice_exact = std::max({ngspice_exact, std::abs(theirs.col("v(b)")[k] - line.near(at)),
                              std::abs(theirs.col("v(c)")[k] - line.far(at))});
  }
  std::cout << "[tline] " << name << ": max |v - exact| near " << exact_b << " V, far " << exact_c
            << " V; max |v - ngspice| near " << ngspice_b << " V, far " << ngspice_c
            << " V; ngspice against the exact sums " << ngspice_exact << " V\n";
  EXPECT_LT(exact_b, 1e-9);
  EXPECT_LT(exact_c, 1e-9);
  EXPECT_LT(ngspice_b, ngspice_tolerance);
  EXPECT_LT(ngspice_c, ngspice_tolerance);
}

// ngspice measured within 4e-15 V (matched) and 3.1e-14 V (open) of ours and of the sums.
TEST(TransmissionLine, MatchedLineDelaysThePulse) {
  expect_line("tline_matched.cir", {50, 50, 2e-9, 50, [](double t) { return pulse(t, 3e-9, 20e-9); }}, 1e-6);
}

TEST(TransmissionLine, OpenLineDoublesAndReflects) {
  expect_line("tline_open.cir", {50, 50, 2e-9, 1e9, [](double t) { return pulse(t, 3e-9, 20e-9); }}, 1e-6);
}

// Here ngspice is 2.08 mV off the exact sum at the near end at t = 15.2 ns (and 5e-5 V at
// the far end), and so, by as much, off ours: allow 3 mV.
TEST(TransmissionLine, NearlyShortedLineRingsDown) {
  expect_line("tline_short.cir", {25, 50, 2e-9, 1, [](double t) { return pulse(t, 10e-9, 40e-9); }}, 3e-3);
}

// A smooth drive, where the record is read by its cubics (circuit/history.hpp): the sums of
// the sine's reflections (gs = -1/3, gl = 0.6) at every row. Measured 7.9e-10 V at the far
// end; 8.1e-4 V while the record was read by parabolas and dropped points that output rows
// between the last two steps still read. Bound: 1e-8 V, the cubic's error on these steps
// (at most 10 ps, 0.0063 rad of the sine: (0.0063)^4 / 24 = 7e-11 of the 1 V amplitude,
// times the line's reflections' sum) with a margin.
TEST(TransmissionLine, SineThroughMismatchedLine) {
  const auto run = run_neurospice(deck_file("tline_sine.cir"));
  ASSERT_EQ(run.status, 0) << run.err;
  const Line line{25, 50, 1.3e-9, 200, [](double t) { return t > 0 ? std::sin(2 * M_PI * 1e8 * t) : 0.0; }};
  const auto& time = run.table().col("time");
  double near = 0, far = 0;
  for (std::size_t k = 0; k < time.size(); ++k) {
    near = std::max(near, std::abs(run.table().col("v(b)")[k] - line.near(time[k])));
    far = std::max(far, std::abs(run.table().col("v(c)")[k] - line.far(time[k])));
  }
  std::cout << "[tline] sine: max |v - exact| near " << near << " V, far " << far << " V\n";
  EXPECT_LT(near, 1e-8);
  EXPECT_LT(far, 1e-8);
}

}  // namespace
}  // namespace ns::test
