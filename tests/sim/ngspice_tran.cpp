// Transient cross-checks: the same deck, unchanged, in ngspice and neurospice. Both run
// with reltol=1e-4 (set in each deck) and a small tmax, so ngspice's time points are
// close enough that linear interpolation onto our rows adds well under the tolerance.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

struct Compared {
  double error = 0;  // max |ours - ngspice| over all rows
  double at = 0;     // time of that worst point
};

Compared compare_trace(const Table& ours, const Table& theirs, const std::string& column) {
  const auto& time = ours.col("time");
  const auto reference = interpolate(theirs.col("time"), theirs.col(column), time);
  const auto& mine = ours.col(column);
  Compared c;
  for (std::size_t k = 0; k < time.size(); ++k) {
    const double e = std::abs(mine[k] - reference[k]);
    if (e > c.error) c = {e, time[k]};
  }
  std::cout << "[ngspice] " << column << ": max |neurospice - ngspice| = " << c.error << " at t = " << c.at
            << '\n';
  return c;
}

// Every node voltage neurospice reports must agree within `volts`.
void expect_node_voltages_agree(const std::string& deck_name, double volts) {
  const std::string deck = deck_file(deck_name);
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const auto ngspice = run_ngspice(deck);
  const Table theirs = plot(ngspice, "Transient");
  ASSERT_GT(ours.rows(), 10u);
  EXPECT_NEAR(ours.col("time").back(), theirs.col("time").back(), 1e-15);
  int compared = 0;
  for (const auto& name : ours.names) {
    if (name.rfind("v(", 0) != 0) continue;
    ASSERT_TRUE(theirs.has(name)) << deck_name << ": ngspice has no " << name;
    const auto c = compare_trace(ours, theirs, name);
    EXPECT_LE(c.error, volts) << deck_name << ": " << name << " differs by " << c.error << " V at t = " << c.at;
    ++compared;
  }
  EXPECT_GT(compared, 0) << "no node voltages in neurospice's output";
}

// 5 V peak: 1e-4 relative is 0.5 mV per step; allow 4x for the global error of each
// simulator. The diode turns on sharply at each peak, which is where errors gather.
TEST(NgspiceTran, RectifierWithRcLoad) { expect_node_voltages_agree("rectifier.cir", 2e-3); }

// A 0 -> 1 V pulse through ten RC sections: 5x the 1e-4 relative local tolerance.
TEST(NgspiceTran, RcLadderPulse) { expect_node_voltages_agree("rc_ladder.cir", 0.5e-3); }

// 3.3 V swing with ~100 ps edges (about 30 mV/ps): 5 mV is 0.15% of the swing, or a
// 0.2 ps shift of an edge.
TEST(NgspiceTran, CmosInverterPulse) { expect_node_voltages_agree("cmos_inverter_tran.cir", 5e-3); }

// Level 1 with TOX (Meyer's capacitances) and junction capacitances in a pass gate whose
// vds crosses 0 on and off. Measured: 5.9 mV at worst, on the gate's falling edge at
// 31.9 ns; at ten times finer steps in both 2.8 mV, which stays in the held v(s): the
// gate charge the channel gives the source as it turns off with vds near 0, where
// Meyer's partition (not a charge) is integrated as C dv/dt here and with capacitances
// averaged over each step in ngspice. Allow 8 mV of the 3.3 V gate swing.
TEST(NgspiceTran, Mos1PassGateMeyer) { expect_node_voltages_agree("mos1_passgate_tran.cir", 8e-3); }

// The source current of the rectifier: large only while the diode conducts; compare
// against 1% of its peak.
TEST(NgspiceTran, RectifierSourceCurrent) {
  const std::string deck = deck_file("rectifier.cir");
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table theirs = plot(run_ngspice(deck), "Transient");
  const auto& peak_source = theirs.col("i(v1)");
  double peak = 0;
  for (double i : peak_source) peak = std::max(peak, std::abs(i));
  ASSERT_GT(peak, 1e-3);
  std::cout << "[ngspice] rectifier peak source current " << peak << " A\n";
  const auto c = compare_trace(ours_run.table(), theirs, "i(v1)");
  EXPECT_LE(c.error, 0.01 * peak) << "i(v1) differs by " << c.error << " A (peak " << peak << " A) at t = " << c.at;
}

}  // namespace
}  // namespace ns::test
