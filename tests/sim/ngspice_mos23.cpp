// MOSFET levels 2 and 3 (models/mos2.cpp, models/mos3.cpp on models/mos_common.hpp)
// against ngspice-39 on the same decks (tests/sim/decks/mos2_*.cir, mos3_*.cir), unchanged.
// The DC decks run both at reltol 1e-7; what remains is the constants (constants.hpp):
// eps0 3e-6 relative on cox, k/q 3.4e-7 on vt, which the weak-inversion exponential
// exp((vgs - von) / (n vt)) carries to about 1e-5 of the current.
#include <gtest/gtest.h>

#include <iostream>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// Every node voltage, ngspice interpolated onto our time points.
void expect_tran_agrees(const std::string& deck_name, double volts) {
  const std::string deck = deck_file(deck_name);
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "Transient");
  const auto& time = ours.col("time");
  int compared = 0;
  for (const auto& name : ours.names) {
    if (name.rfind("v(", 0) != 0) continue;
    ASSERT_TRUE(theirs.has(name)) << name;
    const auto reference = interpolate(theirs.col("time"), theirs.col(name), time);
    const double error = max_abs_error(ours.col(name), reference);
    std::cout << "[ngspice] " << deck_name << " " << name << ": max |neurospice - ngspice| = " << error << '\n';
    EXPECT_LE(error, volts) << deck_name << " " << name;
    ++compared;
  }
  EXPECT_GE(compared, 3);
}

// Currents from pA (cut off: gmin and the bulk diodes) to 3 mA. Measured 1.1e-5
// (output) and 1.9e-5 (transfer) relative at worst, both in weak inversion; allow 5e-5,
// with 1 pA as the floor.
TEST(NgspiceMos3, NmosOutputFamily) { expect_dc_agrees("mos3_output.cir", {"i(vd)"}, 5e-5, 1e-12); }
TEST(NgspiceMos3, PmosTransferFamily) { expect_dc_agrees("mos3_transfer.cir", {"i(vd)"}, 5e-5, 1e-12); }

// 3.3 V inverter, 50 fF load. Measured 1.8 mV at worst, in the gate-drain feedthrough
// spike just after an edge: Meyer's capacitances enter as C(v) dv/dt here, where ngspice
// integrates the charge with capacitances averaged over two time points. The 1.65 V
// crossings differ by less than 0.1 ps. Allow 10 mV.
TEST(NgspiceMos3, InverterTransient) { expect_tran_agrees("mos3_inverter_tran.cir", 10e-3); }

// Level 2. Measured 5.9e-6 (output, both models), 1.6e-5 (PMOS transfer, weak
// inversion) relative at worst; allow 5e-5. The velocity-saturated model is swept above
// threshold only: below it ngspice-39's MOS2 with VMAX gives a current (42 uA at
// vgs = 0.5 V, von = 0.95 V, a negative Baum vdsat, negative gm), which neurospice does
// not reproduce (cut off: no current).
TEST(NgspiceMos2, NmosOutputFamilies) { expect_dc_agrees("mos2_output.cir", {"i(vd)", "i(ed2)"}, 5e-5, 1e-12); }
TEST(NgspiceMos2, PmosTransferFamily) { expect_dc_agrees("mos2_transfer.cir", {"i(vd)"}, 5e-5, 1e-12); }

// 5 V inverter, 100 fF load, default tolerances. Measured 6.4 mV at worst, in the
// feedthrough spike after an edge (Meyer's capacitances, as for level 3); the 2.5 V
// crossings differ by 0.2 ps at most. Allow 10 mV.
TEST(NgspiceMos2, InverterTransient) { expect_tran_agrees("mos2_inverter_tran.cir", 10e-3); }

}  // namespace
}  // namespace ns::test
