// Diode I-V by .dc against the Shockley equation, with and without series resistance.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// Thermal voltage at the default 27 degC, with the exact 2019 SI values of k and q that
// our diodes use (src/circuit/constants.hpp). ngspice's CODATA 2014 values give a Vt
// 3.4e-7 smaller, which moves I by 8e-6 at 0.9 V: more than this test's tolerance.
constexpr double kBoltzmann = 1.380649e-23, kCharge = 1.602176634e-19;
constexpr double kVt = kBoltzmann * (27 + 273.15) / kCharge;
// Like ngspice, the diode carries the .options gmin conductance (default 1e-12 S)
// across its junction, so the exact answer includes it.
constexpr double kGmin = 1e-12;

double shockley(double vd, double is, double n) { return is * std::expm1(vd / (n * kVt)) + kGmin * vd; }

// Solves v = vd + rs * I(vd) for vd by Newton's method on the scalar equation.
double current_with_rs(double v, double is, double n, double rs) {
  double vd = std::min(v, 0.6);
  for (int iteration = 0; iteration < 200; ++iteration) {
    const double f = vd + rs * shockley(vd, is, n) - v;
    const double df = 1 + rs * (is / (n * kVt) * std::exp(vd / (n * kVt)) + kGmin);
    double step = f / df;
    step = std::clamp(step, -0.1, 0.1);  // the exponential overshoots from a poor start
    vd -= step;
    if (std::abs(step) < 1e-15) break;
  }
  return shockley(vd, is, n);
}

// Forward and slightly reverse (above -3 N Vt): further down SPICE diodes bend the
// reverse current smoothly to -IS instead of following the exponential.
TEST(AnalyticDiode, ShockleyWithoutSeriesResistance) {
  const double is = 1e-14, n = 1.5;
  const auto run = run_neurospice(
      "diode iv\n"
      "V1 a 0 0\n"
      "D1 a 0 dmod\n"
      ".model dmod d (is=1e-14 n=1.5)\n"
      ".dc v1 -0.1 0.9 0.01\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto& v = t.col("v1");
  const auto& i = t.col("i(v1)");
  ASSERT_EQ(t.rows(), 101u);
  std::vector<double> simulated, exact;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    simulated.push_back(-i[k]);  // i(v1) flows into V1's + terminal: minus the diode current
    exact.push_back(shockley(v[k], is, n));
  }
  // The source fixes the junction voltage, so only rounding separates the two.
  std::cout << "[analytic] diode rs=0 max rel error " << max_rel_error(simulated, exact, 1e-15) << '\n';
  EXPECT_LE(worst_excess(simulated, exact, 1e-6, 1e-18), 0)
      << "max relative error " << max_rel_error(simulated, exact, 1e-15);
}

TEST(AnalyticDiode, ShockleyWithSeriesResistance) {
  const double is = 1e-14, n = 1.0, rs = 10;
  const auto run = run_neurospice(
      "diode iv with rs\n"
      "V1 a 0 0\n"
      "D1 a 0 dmod\n"
      ".model dmod d (is=1e-14 n=1 rs=10)\n"
      ".dc v1 0 1.5 0.01\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto& v = t.col("v1");
  const auto& i = t.col("i(v1)");
  ASSERT_EQ(t.rows(), 151u);
  std::vector<double> simulated, exact;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    simulated.push_back(-i[k]);
    exact.push_back(current_with_rs(v[k], is, n, rs));
  }
  // The internal node is an unknown here: Newton stops once its update is below
  // reltol*|v| + vntol, and quadratic convergence leaves far less than that behind.
  std::cout << "[analytic] diode rs=10 max rel error " << max_rel_error(simulated, exact, 1e-15) << '\n';
  EXPECT_LE(worst_excess(simulated, exact, 1e-6, 1e-15), 0)
      << "max relative error " << max_rel_error(simulated, exact, 1e-15);
}

}  // namespace
}  // namespace ns::test
