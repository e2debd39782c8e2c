// Transient device noise (circuit/transient_noise.hpp) end to end: a resistor's Johnson
// noise gives its RC the capacitor variance kB T / C, the noise is a function of time and
// seed only (not of the steps the integrator takes, nor of -j), and .options trnoise
// switches on every device that leaves its noise= unset.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// `pairs` independent RCs (1k, 1n: tau = 1 us) with the resistors' noise on a grid of
// tau/50, to `stop`; `extra` cards at the end.
std::string rc_deck(int pairs, const std::string& stop, const std::string& extra, bool per_model = true) {
  std::string deck = "rc noise\n.model rn r noise=1 noisedt=20n\n";
  if (!per_model) deck = "rc noise\n.options trnoise\n.model rn r noisedt=20n\n";
  std::string probes = ".probe";
  for (int k = 0; k < pairs; ++k) {
    deck += fmt::format("R{0} a{0} 0 rn 1k\nC{0} a{0} 0 1n\n", k);
    probes += fmt::format(" v(a{})", k);
  }
  return deck + probes + "\n.options vntol=1e-12\n.tran 20n " + stop + "\n" + extra + "\n.end\n";
}

// 20 RCs over 200 tau each, after 10 tau: each capacitor's variance estimate scatters by
// sqrt(2 tau / T) = 10 %, their mean by about 2.3 %; the tolerance is 5 standard errors of
// that mean, estimated from the 20 values. Expected: kB T / C at 27 C times 0.9907, the
// part of the RC's noise bandwidth that the interpolated noise keeps (its spectrum
// sinc^4(pi f h) at h = tau / 50, integrated against the RC's response by quadrature).
TEST(DeviceNoise, ResistorJohnsonNoiseGivesKTOverC) {
  const int pairs = 20;
  const auto run = run_neurospice(rc_deck(pairs, "200u", ""));
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  std::vector<double> variances;
  for (int k = 0; k < pairs; ++k) {
    const auto& time = t.col("time");
    const auto& v = t.col(fmt::format("v(a{})", k));
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < v.size(); ++i)
      if (time[i] > 10e-6) sum += v[i] * v[i], ++n;
    variances.push_back(sum / double(n));
  }
  double mean = 0, spread = 0;
  for (double v : variances) mean += v / pairs;
  for (double v : variances) spread += (v - mean) * (v - mean) / (pairs - 1);
  const double se = std::sqrt(spread / pairs);
  const double expected = 1.380649e-23 * 300.15 / 1e-9 * 0.9907;
  EXPECT_NEAR(mean, expected, 5 * se) << "standard error " << se;
  EXPECT_LT(se, 0.05 * expected);  // the test can tell a wrong factor sqrt(2) from noise
}

std::vector<double> column(const NeurospiceRun& run, const std::string& name) {
  EXPECT_EQ(run.status, 0) << run.err;
  return run.table().col(name);
}

double rms_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(s / double(a.size()));
}

// The same seed gives the same noise; another seed another; a different maximum step
// (another step sequence) gives the same noise, so the waveforms differ only by the
// integration error, far below the 2 uV rms of the noise itself.
TEST(DeviceNoise, SameSeedSameNoiseWhateverTheSteps) {
  const std::string deck = rc_deck(1, "20u", "");
  const auto a = column(run_neurospice(deck), "v(a0)");
  EXPECT_EQ(a, column(run_neurospice(deck), "v(a0)"));
  const double rms = std::sqrt(1.380649e-23 * 300.15 / 1e-9);
  EXPECT_GT(rms_difference(a, column(run_neurospice(deck, {"--seed", "2"}), "v(a0)")), 0.5 * rms);
  const auto fine = column(run_neurospice(rc_deck(1, "20u 0 3n", "")), "v(a0)");
  ASSERT_EQ(fine.size(), a.size());
  EXPECT_LT(rms_difference(a, fine), 0.01 * rms);
  // .options trnoise instead of noise=1 on the model: the same devices, the same noise.
  EXPECT_EQ(a, column(run_neurospice(rc_deck(1, "20u", "", false)), "v(a0)"));
}

// A .mc run draws other noise in every run, and the same whatever -j.
TEST(DeviceNoise, MonteCarloRunsDifferAndAnyJobsGivesTheSameBytes) {
  const std::string deck = rc_deck(1, "5u", ".mc 4");
  const auto one = run_neurospice(deck, {"-j", "1"});
  const auto two = run_neurospice(deck, {"-j", "2"});
  ASSERT_EQ(one.status, 0) << one.err;
  EXPECT_EQ(column(one, "v(a0)"), column(two, "v(a0)"));
  const auto& run = one.table().col("run");
  const auto& v = one.table().col("v(a0)");
  std::vector<double> first, second;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (run[i] == 1) first.push_back(v[i]);
    if (run[i] == 2) second.push_back(v[i]);
  }
  ASSERT_EQ(first.size(), second.size());
  EXPECT_GT(rms_difference(first, second), 0.1 * std::sqrt(1.380649e-23 * 300.15 / 1e-9));
}

// The default macrospin (alpha raised to 0.1: the equilibrium does not depend on it) at
// 27 C, no current: <my^2> and <mz^2> against Boltzmann's averages over the sphere with
// weight exp(-E / kB T), E = -mu0 Ms V (Hk mx^2 - Meff mz^2) / 2, by quadrature here. 40
// batches of 12.5 ns (m forgets within ~1 ns); tolerance 5 standard errors of the batch
// mean, plus 1 % for the noise grid (its PSD at the 3.2 GHz precession is 0.7 % low).
TEST(DeviceNoise, MacrospinThermalFieldGivesBoltzmann) {
  const auto run = run_neurospice(
      "mtj thermal\n.model mj mtj alpha=0.1 noise=1 noisedt=10p\nV1 a 0 dc 0\nN1 a 0 mj\n"
      ".probe @n1[my] @n1[mz]\n.options reltol=1e-4\n.tran 10p 510n uic\n.end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const double mu0 = 1.25663706212e-6, kt = 1.380649e-23 * 300.15;
  const double ms = 1.2e6, hk = 2e4, meff = 4e5, volume = 1.924e-15 * 1.5e-9;
  double z = 0, my2 = 0, mz2 = 0;
  const int nt = 600, np = 1200;
  for (int i = 0; i < nt; ++i)
    for (int j = 0; j < np; ++j) {
      const double th = (i + 0.5) * M_PI / nt, ph = (j + 0.5) * 2 * M_PI / np;
      const double mx = std::sin(th) * std::cos(ph), my = std::sin(th) * std::sin(ph), mz = std::cos(th);
      const double w = std::exp(mu0 * ms * volume * (hk * (mx * mx - 1) - meff * mz * mz) / (2 * kt)) * std::sin(th);
      z += w, my2 += w * my * my, mz2 += w * mz * mz;
    }
  const auto& time = run.table().col("time");
  for (const auto& [name, theory] : {std::pair{"@n1[my]", my2 / z}, std::pair{"@n1[mz]", mz2 / z}}) {
    const auto& m = run.table().col(name);
    std::vector<double> batch(40, 0.0);
    std::vector<int> count(40, 0);
    for (std::size_t i = 0; i < m.size(); ++i)
      if (time[i] > 10e-9) {
        const auto b = std::min<std::size_t>(39, static_cast<std::size_t>((time[i] - 10e-9) / 12.5e-9));
        batch[b] += m[i] * m[i], ++count[b];
      }
    double mean = 0, spread = 0;
    for (int b = 0; b < 40; ++b) batch[b] /= count[b], mean += batch[b] / 40;
    for (double v : batch) spread += (v - mean) * (v - mean) / 39;
    const double se = std::sqrt(spread / 40);
    EXPECT_NEAR(mean, theory, 5 * se + 0.01 * theory) << name << ": standard error " << se;
  }
}

}  // namespace
}  // namespace ns::test
