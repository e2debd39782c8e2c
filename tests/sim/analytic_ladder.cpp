// Resistor ladder operating point against the exact nodal solution.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// Section k: series resistor from node k-1 to node k (node 0 is the source "in"), shunt
// resistor from node k to ground. Solves the tridiagonal nodal equations (Thomas).
std::vector<double> ladder_voltages(double vin, const std::vector<double>& series, const std::vector<double>& shunt) {
  const std::size_t n = series.size();
  std::vector<double> diag(n), upper(n), rhs(n);
  for (std::size_t k = 0; k < n; ++k) {
    diag[k] = 1 / series[k] + 1 / shunt[k] + (k + 1 < n ? 1 / series[k + 1] : 0);
    upper[k] = k + 1 < n ? -1 / series[k + 1] : 0;  // symmetric: lower[k+1] == upper[k]
    rhs[k] = k == 0 ? vin / series[0] : 0;
  }
  for (std::size_t k = 1; k < n; ++k) {
    const double m = upper[k - 1] / diag[k - 1];
    diag[k] -= m * upper[k - 1];
    rhs[k] -= m * rhs[k - 1];
  }
  std::vector<double> v(n);
  for (std::size_t k = n; k-- > 0;) v[k] = (rhs[k] - (k + 1 < n ? upper[k] * v[k + 1] : 0)) / diag[k];
  return v;
}

TEST(AnalyticLadder, OperatingPointMatchesNodalSolution) {
  const std::vector<double> series{1e3, 2.2e3, 470, 10e3, 3.3e3, 1e3, 68e3, 150};
  const std::vector<double> shunt{4.7e3, 1e3, 22e3, 2.2e3, 100e3, 470, 10e3, 1e6};
  const double vin = 10;
  std::string deck = "resistor ladder\nV1 n0 0 10\n";
  for (std::size_t k = 0; k < series.size(); ++k) {
    deck += "RS" + std::to_string(k + 1) + " n" + std::to_string(k) + " n" + std::to_string(k + 1) + " " +
            std::to_string(series[k]) + "\n";
    deck += "RP" + std::to_string(k + 1) + " n" + std::to_string(k + 1) + " 0 " + std::to_string(shunt[k]) + "\n";
  }
  deck += ".op\n.end\n";

  const auto run = run_neurospice(deck);
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  ASSERT_EQ(t.rows(), 1u);
  const auto exact = ladder_voltages(vin, series, shunt);
  // A linear circuit: Newton's first step is the exact solve, so only rounding remains.
  double worst = 0;
  for (std::size_t k = 0; k < exact.size(); ++k) {
    const std::string probe = "v(n" + std::to_string(k + 1) + ")";
    worst = std::max(worst, std::abs(t.col(probe)[0] - exact[k]) / std::abs(exact[k]));
    EXPECT_NEAR(t.col(probe)[0], exact[k], 1e-9 * std::abs(exact[k]) + 1e-12) << probe;
  }
  std::cout << "[analytic] ladder max relative error " << worst << '\n';
  EXPECT_NEAR(t.col("v(n0)")[0], vin, 1e-12);
  const double source_current = -(vin - exact[0]) / series[0];  // into V1's + terminal
  EXPECT_NEAR(t.col("i(v1)")[0], source_current, 1e-9 * std::abs(source_current));
}

}  // namespace
}  // namespace ns::test
