// RC charging and discharging against the exponential.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <string>

#include "sim/support.hpp"

namespace ns::test {
namespace {

constexpr double kR = 1e3, kC = 1e-6, kTau = kR * kC, kV = 1.0, kRise = 1e-6;

// Response of R-C to PULSE(0 V 0 rise ...): a ramp of length `rise`, then V held.
double rc_ramp_step(double t) {
  if (t <= 0) return 0;
  if (t <= kRise) return kV / kRise * (t - kTau * (1 - std::exp(-t / kTau)));
  return kV * (1 - kTau / kRise * std::expm1(kRise / kTau) * std::exp(-t / kTau));
}

std::string charging_deck(const std::string& reltol, const std::string& tmax = "") {
  return "rc charging\n"
         "V1 in 0 PULSE(0 1 0 1u 1u 1 2)\n"
         "R1 in out 1k\n"
         "C1 out 0 1u\n"
         ".options reltol=" + reltol + "\n"
         ".tran 20u 5m" + (tmax.empty() ? "" : " 0 " + tmax) + "\n"
         ".end\n";
}

// Largest |v(out) - exact| over every output row.
double charging_error(const std::string& reltol, const std::string& tmax = "") {
  const auto run = run_neurospice(charging_deck(reltol, tmax));
  EXPECT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto& time = t.col("time");
  const auto& v = t.col("v(out)");
  EXPECT_GE(t.rows(), 251u);  // every multiple of tstep from 0 to 5 ms
  EXPECT_NEAR(time.back(), 5e-3, 1e-12);
  double worst = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) worst = std::max(worst, std::abs(v[k] - rc_ramp_step(time[k])));
  return worst;
}

// IDA controls the local error to reltol*|v| + vntol (vntol = 1 uV by default); in this
// decaying, stable circuit the global error stays within a few local errors, so allow 5x.
TEST(AnalyticRc, ChargingFollowsExponentialAtDefaultReltol) {
  const double error = charging_error("1e-3");
  RecordProperty("max_abs_error_V", std::to_string(error));
  EXPECT_LE(error, 5 * (1e-3 * kV + 1e-6)) << "max |v - V(1-exp(-t/RC))| = " << error;
}

// With tmax a fiftieth of the span, so that reltol, not the default cap of tstep, sets
// the step.
TEST(AnalyticRc, ChargingTightensWithReltol) {
  const double loose = charging_error("1e-3", "100u");
  const double tight = charging_error("1e-6", "100u");
  std::cout << "[analytic] rc charging max error: reltol 1e-3 " << loose << " V, reltol 1e-6 " << tight << " V\n";
  EXPECT_LE(tight, 5 * (1e-6 * kV + 1e-6)) << "max error at reltol=1e-6: " << tight;
  EXPECT_LT(tight, loose / 10) << "reltol 1e-3 -> " << loose << ", reltol 1e-6 -> " << tight;
}

// .ic with uic: the capacitor starts at 1 V with no source and decays as exp(-t/RC).
TEST(AnalyticRc, UicDischargeFromIc) {
  const auto run = run_neurospice(
      "rc discharge from .ic\n"
      "R1 out 0 1k\n"
      "C1 out 0 1u\n"
      ".ic v(out)=1\n"
      ".options reltol=1e-5\n"
      ".tran 10u 5m uic\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto& time = t.col("time");
  const auto& v = t.col("v(out)");
  ASSERT_GE(t.rows(), 501u);
  EXPECT_NEAR(v.front(), 1.0, 1e-9) << "uic must start from the .ic value";
  double worst = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) worst = std::max(worst, std::abs(v[k] - std::exp(-time[k] / kTau)));
  std::cout << "[analytic] rc uic discharge max error " << worst << " V\n";
  EXPECT_LE(worst, 5 * (1e-5 + 1e-6)) << "max |v - exp(-t/RC)| = " << worst;
}

}  // namespace
}  // namespace ns::test
