// Level-1 MOSFET output and transfer curves by .dc against the square law.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

struct SquareLaw {
  double vto, kp, lambda, gamma, phi, w, l;

  // Drain current of an NMOS-like device (PMOS: pass all voltages negated, |vto|), with
  // vds >= 0. Body effect: vt = vto + gamma (sqrt(phi - vbs) - sqrt(phi)).
  double id(double vgs, double vds, double vbs) const {
    const double vt = vto + gamma * (std::sqrt(phi - vbs) - std::sqrt(phi));
    const double vov = vgs - vt;
    if (vov <= 0) return 0;
    const double beta = kp * w / l;
    if (vds < vov) return beta * (vov - vds / 2) * vds * (1 + lambda * vds);
    return beta / 2 * vov * vov * (1 + lambda * vds);
  }
};

// Drain-bulk junction leakage (IS = 1e-14 A by default) and any gmin shunts are below
// 1e-10 A at these voltages; channel currents are tens of uA to mA.
constexpr double kRel = 1e-6, kAbs = 1e-10;

void report(const std::vector<double>& simulated, const std::vector<double>& exact) {
  std::cout << "[analytic] " << testing::UnitTest::GetInstance()->current_test_info()->name()
            << ": max abs error " << max_abs_error(simulated, exact) << " A, max rel error (above 1 uA) "
            << max_rel_error(simulated, exact, 1e-6) << '\n';
}

TEST(AnalyticMosfet, NmosOutputCurves) {
  const SquareLaw nmos{0.8, 120e-6, 0.03, 0, 0.6, 4e-6, 2e-6};
  const auto run = run_neurospice(
      "nmos output curves\n"
      "VDS d 0 0\n"
      "VGS g 0 0\n"
      "M1 d g 0 0 nch W=4u L=2u\n"
      ".model nch nmos (level=1 vto=0.8 kp=120u lambda=0.03)\n"
      ".dc vds 0 4 0.05 vgs 0 4 0.5\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  ASSERT_EQ(t.names.at(0), "vds");
  ASSERT_EQ(t.names.at(1), "vgs");
  ASSERT_EQ(t.rows(), 81u * 9u);
  const auto& vds = t.col("vds");
  const auto& vgs = t.col("vgs");
  const auto& i = t.col("i(vds)");
  std::vector<double> simulated, exact;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    simulated.push_back(-i[k]);  // current into VDS's + terminal is minus the drain current
    exact.push_back(nmos.id(vgs[k], vds[k], 0));
  }
  report(simulated, exact);
  EXPECT_LE(worst_excess(simulated, exact, kRel, kAbs), 0)
      << "max relative error " << max_rel_error(simulated, exact, 1e-6);
  // The inner sweep runs fastest: each vgs value holds for one whole vds sweep.
  EXPECT_EQ(rows_where(t, "vgs", 2.5).size(), 81u);
}

TEST(AnalyticMosfet, NmosTransferCurveWithBodyEffect) {
  const SquareLaw nmos{0.8, 120e-6, 0.03, 0.5, 0.6, 4e-6, 2e-6};
  const auto run = run_neurospice(
      "nmos transfer curve, bulk at -1 V\n"
      "VDS d 0 3\n"
      "VGS g 0 0\n"
      "VB b 0 -1\n"
      "M1 d g 0 b nch W=4u L=2u\n"
      ".model nch nmos (level=1 vto=0.8 kp=120u lambda=0.03 gamma=0.5 phi=0.6)\n"
      ".dc vgs 0 5 0.02\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto& vgs = t.col("vgs");
  const auto& i = t.col("i(vds)");
  ASSERT_EQ(t.rows(), 251u);
  std::vector<double> simulated, exact;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    simulated.push_back(-i[k]);
    exact.push_back(nmos.id(vgs[k], 3, -1));
  }
  // Saturation up to vgs = vt + 3, linear region above: both are in the sweep.
  report(simulated, exact);
  EXPECT_LE(worst_excess(simulated, exact, kRel, kAbs), 0)
      << "max relative error " << max_rel_error(simulated, exact, 1e-6);
}

TEST(AnalyticMosfet, PmosOutputCurves) {
  const SquareLaw pmos_as_nmos{0.8, 50e-6, 0.04, 0, 0.6, 10e-6, 2e-6};
  const auto run = run_neurospice(
      "pmos output curves\n"
      "VDS d 0 0\n"
      "VGS g 0 0\n"
      "M1 d g 0 0 pch W=10u L=2u\n"
      ".model pch pmos (level=1 vto=-0.8 kp=50u lambda=0.04)\n"
      ".dc vds 0 -4 -0.05 vgs 0 -4 -0.5\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  ASSERT_EQ(t.rows(), 81u * 9u);
  const auto& vds = t.col("vds");
  const auto& vgs = t.col("vgs");
  const auto& i = t.col("i(vds)");
  std::vector<double> simulated, exact;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    simulated.push_back(i[k]);  // PMOS current leaves the drain into VDS's + terminal
    exact.push_back(pmos_as_nmos.id(-vgs[k], -vds[k], 0));
  }
  report(simulated, exact);
  EXPECT_LE(worst_excess(simulated, exact, kRel, kAbs), 0)
      << "max relative error " << max_rel_error(simulated, exact, 1e-6);
}

TEST(AnalyticMosfet, PmosTransferCurveWithBodyEffect) {
  const SquareLaw pmos_as_nmos{0.8, 50e-6, 0.04, 0.4, 0.7, 10e-6, 2e-6};
  const auto run = run_neurospice(
      "pmos transfer curve, bulk at +1 V\n"
      "VDS d 0 -3\n"
      "VGS g 0 0\n"
      "VB b 0 1\n"
      "M1 d g 0 b pch W=10u L=2u\n"
      ".model pch pmos (level=1 vto=-0.8 kp=50u lambda=0.04 gamma=0.4 phi=0.7)\n"
      ".dc vgs 0 -5 -0.02\n"
      ".end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto& vgs = t.col("vgs");
  const auto& i = t.col("i(vds)");
  ASSERT_EQ(t.rows(), 251u);
  std::vector<double> simulated, exact;
  for (std::size_t k = 0; k < t.rows(); ++k) {
    simulated.push_back(i[k]);
    exact.push_back(pmos_as_nmos.id(-vgs[k], 3, -1));
  }
  report(simulated, exact);
  EXPECT_LE(worst_excess(simulated, exact, kRel, kAbs), 0)
      << "max relative error " << max_rel_error(simulated, exact, 1e-6);
}

}  // namespace
}  // namespace ns::test
