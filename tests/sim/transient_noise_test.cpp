// trnoise and trrandom sources: sample statistics against the distributions they draw
// from. The streams are seeded by the run's seed and the source's name, so every run gives the same numbers;
// each tolerance is 5 standard errors of the statistic for the sample size used, so a
// correct generator passes for almost any seed (a wrong variance, mean or correlation
// shows as many standard errors).
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <numeric>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// Column `name` without its first row (t = 0, the operating point, where trnoise is 0).
std::vector<double> samples(const std::string& deck, const std::string& name) {
  const auto run = run_neurospice(deck);
  EXPECT_EQ(run.status, 0) << run.err;
  const auto& c = run.table().col(name);
  return {c.begin() + 1, c.end()};
}

double mean(const std::vector<double>& x) { return std::accumulate(x.begin(), x.end(), 0.0) / double(x.size()); }
double variance(const std::vector<double>& x) {
  const double m = mean(x);
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return s / double(x.size() - 1);
}
double correlation(const std::vector<double>& x, std::size_t lag) {
  const double m = mean(x), v = variance(x);
  double s = 0;
  for (std::size_t k = 0; k + lag < x.size(); ++k) s += (x[k] - m) * (x[k + lag] - m);
  return s / double(x.size() - lag) / v;
}

// White noise of 1 mV rms, one sample a microsecond, output at the samples: N = 20000.
// Mean: standard error sigma/sqrt(N); variance: sigma^2 sqrt(2/N); correlations: 1/sqrt(N).
TEST(TransientNoise, WhiteNoiseMeanVarianceAndFlatSpectrum) {
  const auto x = samples("white\nV1 n 0 dc 0.5 trnoise(1m 1u 0 0)\nR1 n 0 1k\n.tran 1u 20m\n.end\n", "v(n)");
  const double n = double(x.size()), sigma = 1e-3;
  ASSERT_GT(n, 19999);
  EXPECT_NEAR(mean(x), 0.5, 5 * sigma / std::sqrt(n));
  EXPECT_NEAR(variance(x), sigma * sigma, 5 * sigma * sigma * std::sqrt(2 / n));
  for (std::size_t lag : {1, 2, 3, 10}) EXPECT_NEAR(correlation(x, lag), 0, 5 / std::sqrt(n)) << lag;
}

// Between samples the value is linear: the output at half a sample time is the mean of
// its neighbours (the integrator stops at each sample, a breakpoint).
TEST(TransientNoise, LinearBetweenSamples) {
  const auto x = samples("white\nV1 n 0 trnoise(1m 2u 0 0)\nR1 n 0 1k\n.tran 1u 1m\n.end\n", "v(n)");
  for (std::size_t k = 1; k + 1 < x.size(); k += 2)  // x[k] is at (k + 1) us: odd k at a sample
    EXPECT_NEAR(x[k - 1], 0.5 * ((k >= 2 ? x[k - 2] : 0.0) + x[k]), 1e-9) << k;
}

// 1/f noise (nalpha = 1): the log-log slope of the averaged periodogram of 62 segments
// of 1024 samples, fitted from 4 kHz to 100 kHz (well below the 1 MHz sampling, where the
// discrete filter's spectrum 1/(2 sin(pi f/fs))^alpha is f^-alpha to 2 %). Each bin
// scatters by 1/sqrt(62) = 13 %; the slope over ~100 bins and 1.4 decades then has a
// standard error of about 0.03: 0.15 is 5 of them.
TEST(TransientNoise, FlickerNoiseHasOneOverFSpectrum) {
  const auto x = samples("flicker\nV1 n 0 trnoise(0 1u 1 1m)\nR1 n 0 1k\n.tran 1u 64m\n.end\n", "v(n)");
  const std::size_t seg = 1024, segments = x.size() / seg;
  ASSERT_GE(segments, 60u);
  std::vector<double> power(seg / 2 + 1, 0.0);
  for (std::size_t s = 0; s < segments; ++s) {
    std::vector<double> part(x.begin() + long(s * seg), x.begin() + long((s + 1) * seg));
    const double m = mean(part);
    for (std::size_t k = 0; k < seg; ++k)  // Hann window
      part[k] = (part[k] - m) * 0.5 * (1 - std::cos(2 * std::numbers::pi * double(k) / double(seg - 1)));
    for (std::size_t b = 0; b < power.size(); ++b) {  // a plain DFT: 513 x 1024 per segment
      std::complex<double> z{};
      for (std::size_t k = 0; k < seg; ++k) z += part[k] * std::polar(1.0, -2 * std::numbers::pi * double(b * k) / double(seg));
      power[b] += std::norm(z);
    }
  }
  double sx = 0, sy = 0, sxx = 0, sxy = 0, m = 0;
  for (std::size_t b = 0; b < power.size(); ++b) {
    const double f = double(b) / (double(seg) * 1e-6);
    if (f < 4e3 || f > 1e5) continue;
    const double lx = std::log(f), ly = std::log(power[b]);
    sx += lx, sy += ly, sxx += lx * lx, sxy += lx * ly, m += 1;
  }
  const double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
  std::cout << "[trnoise] 1/f slope " << slope << "\n";
  EXPECT_NEAR(slope, -1, 0.15);
}

// Telegraph noise of 1 mV, mean 50 us at 0 and 150 us at 1 mV: captured 3/4 of the time.
// Over 200 ms (about 1000 cycles) the fraction's standard error is about 0.008 (an
// alternating renewal process: ((1-p)^2 var1 + p^2 var0) / (n mu^2), exponential dwells).
TEST(TransientNoise, TelegraphNoiseOccupancy) {
  const auto x = samples("rts\nV1 n 0 trnoise(0 1u 0 0 1m 50u 150u)\nR1 n 0 1k\n.tran 2u 200m\n.end\n", "v(n)");
  double high = 0;
  for (double v : x) {
    EXPECT_TRUE(std::abs(v) < 1e-9 || std::abs(v - 1e-3) < 1e-9) << v;
    high += v > 0.5e-3;
  }
  EXPECT_NEAR(high / double(x.size()), 0.75, 5 * 0.008);
}

// trrandom: one value every 10 us, output at each: N = 20000 values per source.
TEST(TransientNoise, RandomLevelsHaveTheirDistributions) {
  const std::string deck =
      "levels\nV1 u 0 trrandom(1 10u 0 2 1)\nR1 u 0 1k\nV2 g 0 trrandom(2 10u 0 0.5 -1)\nR2 g 0 1k\n"
      "V3 e 0 trrandom(3 10u 0 2 0)\nR3 e 0 1k\nV4 p 0 trrandom(4 10u 0 3 0)\nR4 p 0 1k\n.tran 10u 200m\n.end\n";
  const auto run = run_neurospice(deck);
  ASSERT_EQ(run.status, 0) << run.err;
  auto column = [&](const std::string& name) {
    const auto& c = run.table().col(name);
    return std::vector<double>(c.begin() + 1, c.end());
  };
  const auto u = column("v(u)"), g = column("v(g)"), e = column("v(e)"), p = column("v(p)");
  const double n = double(u.size());
  ASSERT_GT(n, 19999);
  // uniform 2 [-1, 1) + 1: mean 1, variance 4/3 (the variance's standard error for a
  // uniform: sqrt((mu4 - sigma^4)/n), mu4 = 9 sigma^4 / 5).
  EXPECT_NEAR(mean(u), 1, 5 * std::sqrt(4.0 / 3 / n));
  EXPECT_NEAR(variance(u), 4.0 / 3, 5 * std::sqrt(0.8 / n) * 4.0 / 3);
  // gaussian: mean -1, sigma 0.5.
  EXPECT_NEAR(mean(g), -1, 5 * 0.5 / std::sqrt(n));
  EXPECT_NEAR(variance(g), 0.25, 5 * 0.25 * std::sqrt(2 / n));
  // exponential of mean 2: variance 4 (its standard error: sqrt(8) 4 / sqrt(n)).
  EXPECT_NEAR(mean(e), 2, 5 * 2 / std::sqrt(n));
  EXPECT_NEAR(variance(e), 4, 5 * std::sqrt(8.0) * 4 / std::sqrt(n));
  // poisson of mean 3: whole numbers, variance 3 (standard error sqrt((3 + 2 9) / n)).
  for (double v : p) EXPECT_NEAR(v, std::round(v), 1e-9);
  EXPECT_NEAR(mean(p), 3, 5 * std::sqrt(3 / n));
  EXPECT_NEAR(variance(p), 3, 5 * std::sqrt(21 / n));
}

// The same deck gives the same noise; another source name gives another stream.
TEST(TransientNoise, ReproducibleAndPerSource) {
  const std::string deck = "two\nVA a 0 trnoise(1m 1u 0 0)\nRA a 0 1k\nVB b 0 trnoise(1m 1u 0 0)\nRB b 0 1k\n.tran 1u 1m\n.end\n";
  const auto a1 = samples(deck, "v(a)"), a2 = samples(deck, "v(a)"), b = samples(deck, "v(b)");
  EXPECT_EQ(a1, a2);
  EXPECT_NE(a1, b);
}

// --seed chooses the noise: the same seed the same samples, another seed others; a .mc
// run draws other noise in each run (its own stream) and the output is the same bytes
// with any -j, as is a .step study's.
TEST(TransientNoise, SeededByTheRunAndTheSameWithAnyJobs) {
  const std::string deck = "seeded\nVA a 0 trnoise(1m 1u 0 0)\nRA a 0 1k\nIB 0 b trrandom(2 1u 0 1m 0)\nRB b 0 1k\n.tran 1u 200u\n";
  auto column_of = [&](const std::string& text, const std::vector<std::string>& args, const std::string& name) {
    const auto run = run_neurospice(text, args);
    EXPECT_EQ(run.status, 0) << run.err;
    return run.table().col(name);
  };
  for (const std::string name : {"v(a)", "v(b)"}) {
    SCOPED_TRACE(name);
    const auto one = column_of(deck + ".end\n", {"--seed", "7"}, name);
    EXPECT_EQ(one, column_of(deck + ".end\n", {"--seed", "7"}, name));
    const auto other = column_of(deck + ".end\n", {"--seed", "8"}, name);
    ASSERT_EQ(one.size(), other.size());
    std::size_t differ = 0;
    for (std::size_t k = 1; k < one.size(); ++k) differ += one[k] != other[k];
    EXPECT_GT(differ, one.size() / 2);  // a new draw at (nearly) every sample
  }
  // .options seed=N is --seed N, and --seed wins over it.
  const auto seven = column_of(deck + ".end\n", {"--seed", "7"}, "v(a)");
  EXPECT_EQ(column_of(deck + ".options seed=7\n.end\n", {}, "v(a)"), seven);
  EXPECT_EQ(column_of(deck + ".options seed=8\n.end\n", {"--seed", "7"}, "v(a)"), seven);
  EXPECT_NE(column_of(deck + ".options seed=8\n.end\n", {}, "v(a)"), seven);
  const auto mc1 = run_neurospice(deck + ".mc 3\n.end\n", {"-j", "1"});
  const auto mc2 = run_neurospice(deck + ".mc 3\n.end\n", {"-j", "2"});
  ASSERT_EQ(mc1.status, 0) << mc1.err;
  ASSERT_EQ(mc2.status, 0) << mc2.err;
  EXPECT_EQ(mc1.table().names, mc2.table().names);
  EXPECT_EQ(mc1.table().columns, mc2.table().columns);
  const auto& run = mc1.table().col("run");
  const auto& v = mc1.table().col("v(a)");
  std::vector<double> first, second;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (run[i] == 1) first.push_back(v[i]);
    if (run[i] == 2) second.push_back(v[i]);
  }
  ASSERT_EQ(first.size(), second.size());
  EXPECT_NE(first, second);
  const std::string stepped = deck + ".param r=1k\nRC a c {r}\nCC c 0 1n\n.step param r 1k 4k 1k\n.end\n";
  const auto s1 = run_neurospice(stepped, {"-j", "1"}), s2 = run_neurospice(stepped, {"-j", "2"});
  ASSERT_EQ(s1.status, 0) << s1.err;
  EXPECT_EQ(s1.table().columns, s2.table().columns);
}

}  // namespace
}  // namespace ns::test
