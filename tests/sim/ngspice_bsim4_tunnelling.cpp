// BSIM4 gate tunnelling (models/bsim4.cpp) against ngspice-39 where the tunnelling
// currents set the bias: tests/sim/decks/bsim4_igc_load.cir, an NMOS and its PMOS mirror,
// each gate driven through 20 kOhm and each drain fed through 1 MOhm, so the gate current
// moves the gate and the drain. The cards leave AIGC..CIGSD, PIGCD and TOXREF at their
// defaults: below threshold Vgsteff is tiny, Pigcd large and negative, and the split of
// Igc between source and drain rests on exp(-Pigcd Vdseff) held at SPICE's ceiling.
//
// Measured (both at reltol 1e-7): OP within 1e-14 V and 1e-12 relative; over the .dc
// sweep 5.5e-7 V on the nodes, 1.0e-7 relative on the currents. Before exp(-Pigcd Vdseff)
// was bounded: 2.47 V off on v(d), and with igbMod 1 no operating point at all.
#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "sim/support.hpp"

namespace ns::test {
namespace {

std::string replaced(std::string deck, const std::string& from, const std::string& to) {
  std::size_t n = 0;
  for (std::size_t at = 0; (at = deck.find(from, at)) != std::string::npos; at += to.size(), ++n)
    deck.replace(at, from.size(), to);
  EXPECT_GT(n, 0u) << from;
  return deck;
}

// The deck with both cards' switches: igcMod 1 or 2, igbMod 0 or 1.
std::string tunnelling_deck(const std::string& switches) {
  return replaced(deck_file("bsim4_igc_load.cir"), "igcmod=1 igbmod=0", switches);
}

const char* const node_columns[] = {"v(d)", "v(g)", "v(d2)", "v(g2)"};
const char* const current_columns[] = {"i(vg)", "i(vdd)"};

void expect_agrees(const std::string& what, const Table& ours, const Table& theirs, double volts, double rel) {
  ASSERT_EQ(ours.rows(), theirs.rows()) << what;
  for (const char* c : node_columns) {
    std::cout << "[ngspice] " << what << " " << c << ": max abs diff " << max_abs_error(ours.col(c), theirs.col(c))
              << '\n';
    EXPECT_LE(worst_excess(ours.col(c), theirs.col(c), 0, volts), 0) << what << " " << c;
  }
  for (const char* c : current_columns) {
    std::cout << "[ngspice] " << what << " " << c << ": max rel diff (1 nA floor) "
              << max_rel_error(ours.col(c), theirs.col(c), 1e-9) << '\n';
    EXPECT_LE(worst_excess(ours.col(c), theirs.col(c), rel, 1e-12), 0) << what << " " << c;
  }
}

// OP and the .dc sweep (vg -0.4..1.2 V at vdd -1.2, 0.3, 1.8 and 3.3 V: the NMOS in both
// orientations), both programs at reltol 1e-7. Allowed 1e-5 V and 1e-5 relative (1 pA).
void expect_op_and_dc_agree(const std::string& switches) {
  const std::string deck = tunnelling_deck(switches);
  const auto ours = run_neurospice(deck);
  ASSERT_EQ(ours.status, 0) << ours.err;
  const auto theirs = run_ngspice(deck);
  expect_agrees(switches + " op", ours.table("op"), plot(theirs, "Operating"), 1e-5, 1e-5);
  expect_agrees(switches + " dc", ours.table("dc"), plot(theirs, "DC"), 1e-5, 1e-5);
}

TEST(NgspiceBsim4Tunnelling, ChannelAndOverlapCurrentsIgcMod1) { expect_op_and_dc_agree("igcmod=1 igbmod=0"); }
TEST(NgspiceBsim4Tunnelling, WithGateToBulkCurrentIgbMod1) { expect_op_and_dc_agree("igcmod=1 igbmod=1"); }
TEST(NgspiceBsim4Tunnelling, ChannelCurrentFromVthIgcMod2) { expect_op_and_dc_agree("igcmod=2 igbmod=1"); }

// The gate pulsed 0 -> 1 V through its 20 kOhm: the gate's RC with the tunnelling currents
// in the gate's charge balance, every node against ngspice interpolated onto our time
// points. Measured 2.8 mV (igcMod 1) and 2.3 mV (igcMod 2), at the 20 ps edges; allowed 10 mV.
TEST(NgspiceBsim4Tunnelling, Transient) {
  for (const std::string switches : {"igcmod=1 igbmod=1", "igcmod=2 igbmod=1"}) {
    std::string deck = replaced(tunnelling_deck(switches), "vg gin 0 0.3", "vg gin 0 pulse(0 1 50p 20p 20p 200p 500p)");
    deck = replaced(deck, ".dc vg -0.4 1.2 0.05 vdd -1.2 3.3 1.5", ".tran 1p 1n");
    deck = replaced(deck, ".op\n", "");
    deck = replaced(deck, ".options reltol=1e-7 abstol=1e-16", ".options reltol=1e-5 abstol=1e-14");
    const auto ours_run = run_neurospice(deck);
    ASSERT_EQ(ours_run.status, 0) << ours_run.err;
    const Table& ours = ours_run.table();
    const Table theirs = plot(run_ngspice(deck), "Transient");
    for (const char* c : node_columns) {
      const auto reference = interpolate(theirs.col("time"), theirs.col(c), ours.col("time"));
      const double error = max_abs_error(ours.col(c), reference);
      std::cout << "[ngspice] bsim4 tunnelling transient " << switches << " max |" << c << " - ngspice| = " << error
                << '\n';
      EXPECT_LE(error, 0.01) << switches << " " << c;
    }
  }
}

}  // namespace
}  // namespace ns::test
