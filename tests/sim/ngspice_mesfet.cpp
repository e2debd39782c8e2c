// The level-1 GaAs MESFET (models/mesfet.cpp, Statz et al. 1987) against ngspice-39 on the
// same decks (tests/sim/decks/*mesfet_*.cir), unchanged. The DC decks run both at reltol
// 1e-7, so what remains is the constants: ngspice's k/q is 3.4e-7 relative below ours,
// which moves the gate diodes' exp(v / vt) by (v / vt) 3.4e-7, 5e-6 at 0.4 V.
#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// Measured 7.6e-6 relative on both currents at worst (the gate diode forward).
// Drain swept through zero (the acting source and drain interchange), past the knee at
// 3 / ALPHA, at gate voltages from pinch-off to the gate diode's forward bias.
TEST(NgspiceMesfet, NmfOutputFamilyBothDirections) {
  expect_dc_agrees("mesfet_output.cir", {"i(vd)", "i(vg)"}, 2e-5, 1e-14);
}

TEST(NgspiceMesfet, PmfTransferFamily) {
  expect_dc_agrees("pmesfet_transfer.cir", {"i(vd)", "i(vg)"}, 2e-5, 1e-14);
}

// Every node voltage of an inverter switched by a pulse, ngspice interpolated onto our
// time points. Both at reltol 1e-6 with a 5 ps maximum step; Statz's capacitances enter
// both as C dv, ngspice's split of the gate charge between them differing from that by
// O(dv^2) a step. Measured 0.32 mV on v(g), 0.26 mV on v(d) (at the turn-on edge) of the
// 2.2 V and 3 V swings; allow 1 mV.
TEST(NgspiceMesfet, InverterSwitchingTransient) {
  const std::string deck = deck_file("mesfet_switch_tran.cir");
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "Transient");
  const auto& time = ours.col("time");
  int compared = 0;
  for (const auto& name : ours.names) {
    if (name.rfind("v(", 0) != 0) continue;
    ASSERT_TRUE(theirs.has(name)) << name;
    const double error = max_abs_error(ours.col(name), interpolate(theirs.col("time"), theirs.col(name), time));
    std::cout << "[ngspice] mesfet_switch_tran.cir " << name << ": max |neurospice - ngspice| = " << error << '\n';
    EXPECT_LE(error, 1e-3) << name;
    ++compared;
  }
  EXPECT_GE(compared, 3);
}

}  // namespace
}  // namespace ns::test
