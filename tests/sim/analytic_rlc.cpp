// Series RLC step response: ringing frequency and decay rate against the analytic ones.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <numbers>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

constexpr double kR = 4, kL = 1e-3, kC = 1e-6;

// For a unit step, v(C) - 1 = -exp(-a t) (cos wd t + a/wd sin wd t): its zeros are
// pi/wd apart and its extrema fall at t = k pi/wd with magnitude exp(-a t).
TEST(AnalyticRlc, RingingFrequencyAndDecay) {
  const double alpha = kR / (2 * kL);
  const double omega_d = std::sqrt(1 / (kL * kC) - alpha * alpha);
  const auto run = run_neurospice(
      "series rlc ringing\n"
      "V1 in 0 PULSE(0 1 0 1n 1n 1 2)\n"
      "R1 in a 4\n"
      "L1 a b 1m\n"
      "C1 b 0 1u\n"
      ".options reltol=1e-6\n"
      ".tran 0.1u 1m\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto& time = t.col("time");
  const auto& vb = t.col("v(b)");
  std::vector<double> y(vb.size());
  for (std::size_t k = 0; k < y.size(); ++k) y[k] = vb[k] - 1.0;

  std::vector<double> crossings;
  for (std::size_t k = 1; k < y.size(); ++k)
    if ((y[k - 1] < 0) != (y[k] < 0) && time[k] > 1e-6)
      crossings.push_back(time[k - 1] + (time[k] - time[k - 1]) * y[k - 1] / (y[k - 1] - y[k]));
  ASSERT_GE(crossings.size(), 8u);
  const double measured_omega =
      std::numbers::pi * static_cast<double>(crossings.size() - 1) / (crossings.back() - crossings.front());

  // Extrema of |y|, refined by a parabola through the three samples around each.
  std::vector<double> peak_t, peak_log;
  for (std::size_t k = 1; k + 1 < y.size(); ++k) {
    const double a = std::abs(y[k - 1]), b = std::abs(y[k]), c = std::abs(y[k + 1]);
    if (!(b > a && b >= c) || b < 0.05 || time[k] < 1e-6) continue;
    const double denom = a - 2 * b + c;
    const double shift = denom != 0 ? 0.5 * (a - c) / denom : 0;  // in samples
    const double h = time[k + 1] - time[k];
    peak_t.push_back(time[k] + shift * h);
    peak_log.push_back(std::log(b - 0.25 * (a - c) * shift));
  }
  ASSERT_GE(peak_t.size(), 5u);
  // Least-squares slope of ln|peak| against time is -alpha.
  double mt = 0, ml = 0;
  for (std::size_t k = 0; k < peak_t.size(); ++k) mt += peak_t[k], ml += peak_log[k];
  mt /= static_cast<double>(peak_t.size());
  ml /= static_cast<double>(peak_t.size());
  double stt = 0, stl = 0;
  for (std::size_t k = 0; k < peak_t.size(); ++k) {
    stt += (peak_t[k] - mt) * (peak_t[k] - mt);
    stl += (peak_t[k] - mt) * (peak_log[k] - ml);
  }
  const double measured_alpha = -stl / stt;

  std::cout << "[analytic] rlc wd " << measured_omega << " (exact " << omega_d << "), alpha " << measured_alpha
            << " (exact " << alpha << ")\n";
  EXPECT_NEAR(measured_omega / omega_d, 1.0, 0.005)
      << "wd measured " << measured_omega << " rad/s, analytic " << omega_d;
  EXPECT_NEAR(measured_alpha / alpha, 1.0, 0.005)
      << "alpha measured " << measured_alpha << " 1/s, analytic " << alpha;
}

}  // namespace
}  // namespace ns::test
