// DC sweep and operating-point cross-checks: the same deck, unchanged, in ngspice and
// neurospice, compared point by point.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <map>
#include <string>

#include "sim/support.hpp"

namespace ns::test {
namespace {

void report(const std::string& what, const std::vector<double>& ours, const std::vector<double>& theirs) {
  std::cout << "[ngspice] " << what << ": max abs diff " << max_abs_error(ours, theirs) << ", max rel diff "
            << max_rel_error(ours, theirs, 1e-15) << '\n';
}

// Same equations and constants; the two differ only where each stops Newton (both
// accept an update below reltol = 1e-3 relative, ngspice also abstol = 1 pA on
// currents). Against a scalar Newton solve to rounding, ngspice's currents here are off
// by up to 5.6e-5 relative (neurospice's by 5e-9), so allow 1e-4 relative plus 0.1 pA.
TEST(NgspiceDc, DiodeWithSeriesResistance) {
  const std::string deck = deck_file("diode_dc.cir");
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "DC");
  ASSERT_EQ(ours.rows(), theirs.rows());
  EXPECT_LE(max_abs_error(ours.col("v1"), theirs.col("v(v-sweep)")), 1e-12);
  report("diode_dc i(v1)", ours.col("i(v1)"), theirs.col("i(v1)"));
  EXPECT_LE(worst_excess(ours.col("i(v1)"), theirs.col("i(v1)"), 1e-4, 1e-13), 0);
}

// Both solve the same equations at each input; the gain near the switching point is
// about -20, so 1 mV on the output is far above either Newton tolerance's effect.
TEST(NgspiceDc, CmosInverterTransfer) {
  const std::string deck = deck_file("cmos_inverter_dc.cir");
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "DC");
  ASSERT_EQ(ours.rows(), theirs.rows());
  EXPECT_LE(max_abs_error(ours.col("vin"), theirs.col("v(v-sweep)")), 1e-12);
  report("inverter v(out)", ours.col("v(out)"), theirs.col("v(out)"));
  EXPECT_LE(max_abs_error(ours.col("v(out)"), theirs.col("v(out)")), 1e-3);
  // Supply current: up to ~100 uA at the switching point, junction leakage elsewhere.
  report("inverter i(vdd)", ours.col("i(vdd)"), theirs.col("i(vdd)"));
  EXPECT_LE(worst_excess(ours.col("i(vdd)"), theirs.col("i(vdd)"), 1e-3, 1e-10), 0);
}

// ngspice is checked against the hand solution too: this guards the deck, the raw-file
// reader, and the sign convention both programs share.
TEST(NgspiceOp, ControlledSources) {
  const std::string deck = deck_file("controlled_op.cir");
  const Table theirs = plot(run_ngspice(deck), "Operating");
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const std::map<std::string, double> hand{{"v(2)", 1.0}, {"v(3)", 3.0},        {"v(4)", 2.0},
                                           {"v(7)", 6.0}, {"v(8)", 1.5},        {"i(vsense)", 3e-3},
                                           {"i(v1)", -1e-3}};
  for (const auto& [probe, value] : hand) {
    EXPECT_NEAR(theirs.col(probe)[0], value, 1e-9 * std::abs(value)) << "ngspice " << probe;
    EXPECT_NEAR(ours.col(probe)[0], theirs.col(probe)[0], 1e-9 * std::abs(value) + 1e-15) << probe;
    std::cout << "[ngspice] controlled_op " << probe << ": neurospice - ngspice = "
              << ours.col(probe)[0] - theirs.col(probe)[0] << ", ngspice - hand = " << theirs.col(probe)[0] - value
              << '\n';
  }
}

}  // namespace
}  // namespace ns::test
