// BSIM3v3.3 (models/bsim3.cpp, level 49) against ngspice on our own 0.25 um-like NMOS and
// PMOS cards (tests/sim/decks/bsim3_*.cir, unchanged in both programs): Id-Vgs at
// vds 0.1 and 2.5 V for three body biases, and Id-Vds for five gate voltages, at
// L = 0.25 um and 1 um. Every terminal voltage is fixed by a source, so Newton's error
// does not enter; measured, the currents agree to 1e-5 relative above 1 nA and 1e-3 at
// 10 pA (the remaining difference is the constants' last digits and gmin leakage, which
// ngspice puts on its junctions differently below ~1 pA).
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <iostream>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// 1e-4: ten times the measured 1e-5; 1 pA: the gmin leakage floor.
void expect_agrees(const std::string& deck_name, const std::vector<std::string>& columns) {
  expect_dc_agrees(deck_name, columns, 1e-4, 1e-12);
}

TEST(NgspiceBsim3, NmosIdVgs) { expect_agrees("bsim3_nmos_idvgs.cir", {"i(vd1)", "i(vd2)"}); }
TEST(NgspiceBsim3, NmosIdVds) { expect_agrees("bsim3_nmos_idvds.cir", {"i(vd)", "i(vd2)"}); }
TEST(NgspiceBsim3, PmosIdVgs) { expect_agrees("bsim3_pmos_idvgs.cir", {"i(vd1)", "i(vd2)"}); }
TEST(NgspiceBsim3, PmosIdVds) { expect_agrees("bsim3_pmos_idvds.cir", {"i(vd)", "i(vd2)"}); }

// C-V: tests/sim/decks/bsim3_cv.cir holds 51 devices at fixed biases (gate-excited NMOS
// at vds 0 from accumulation to strong inversion, drain-excited NMOS at vds 1 and vbs
// -0.5, gate-excited PMOS at vds -1 with body bias), each terminal's current at 1 MHz is
// j w C of one column of the capacitance matrix (intrinsic, overlap with cf, cgsl/cgdl,
// junctions). Every terminal's phasor against ngspice's, relative to the excited
// terminal's (its self-capacitance). `options` is added to both model cards, `instance`
// to every instance line.
std::string on_instances(std::string deck, const std::string& instance) {
  for (std::size_t at = 0; !instance.empty() && (at = deck.find(" w=", at)) != std::string::npos; at += instance.size() + 3)
    deck.insert(at, instance);
  return deck;
}
double worst_cv_error(const std::string& options, const std::string& instance = "") {
  std::string deck = on_instances(deck_file("bsim3_cv.cir"), instance);
  for (std::size_t at = 0; (at = deck.find("level=49", at)) != std::string::npos; at += 8)
    deck.insert(at + 8, " " + options);
  const auto ours_run = run_neurospice(deck);
  EXPECT_EQ(ours_run.status, 0) << ours_run.err;
  if (ours_run.status != 0) return INFINITY;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "AC");
  double worst = 0;
  for (const char* set : {"a", "b", "c"})
    for (int k = 0; k < 17; ++k) {
      const std::string n = set + std::to_string(k);
      auto ngspice = [&](char t) {
        const std::string v = std::string("v") + t + n;
        return std::complex<double>(theirs.col("ir(" + v + ")")[0], theirs.col("ii(" + v + ")")[0]);
      };
      const double self = std::abs(ngspice(std::string(set) == "b" ? 'd' : 'g'));
      for (char t : {'g', 'd', 'b'}) {
        const std::string v = std::string("v") + t + n;
        const auto a = std::polar(ours.col("im(" + v + ")")[0], ours.col("ip(" + v + ")")[0]);
        worst = std::max(worst, std::abs(a - ngspice(t)) / self);
      }
    }
  std::cout << "[ngspice] bsim3 C-V (" << options << "): worst |dC| / Cself " << worst << '\n';
  return worst;
}

// capMod 0, 1, 2: measured 2e-11 (every bias fixed by a source: no Newton error enters).
TEST(NgspiceBsim3, CapacitancesCapmod0to2) {
  EXPECT_LE(worst_cv_error("capmod=0 xpart=1"), 1e-6);
  EXPECT_LE(worst_cv_error("capmod=1 xpart=0.5"), 1e-6);
  EXPECT_LE(worst_cv_error("capmod=2 xpart=0"), 1e-6);
}

// capMod 3 (the default): measured 1.8e-11. It was 1.3e-3 near threshold while the
// inversion charge took Vgsteff - DeltaPhi as it stands; with the charge-thickness
// model's smooth VgDP (as in BSIM4's capMod 2), which in weak inversion is Vgsteff
// itself, it agrees to ngspice's rounding. Allowed 1e-6.
TEST(NgspiceBsim3, CapacitancesCapmod3) {
  EXPECT_LE(worst_cv_error("capmod=3 xpart=0"), 1e-6);
  EXPECT_LE(worst_cv_error("capmod=3 xpart=1"), 1e-6);
}

// ngspice's instance shifts of the threshold and the mobility, delvto and mulu0 (and the
// manual's instance nqsMod, 0): the currents within expect_agrees's 1e-4, the C-V as the
// cards alone (1e-6).
TEST(NgspiceBsim3, InstanceDelvtoMulu0) {
  const std::string instance = " delvto=0.05 mulu0=0.8 nqsmod=0";
  const std::string deck = on_instances(deck_file("bsim3_nmos_idvgs.cir"), instance);
  const auto ours = run_neurospice(deck);
  ASSERT_EQ(ours.status, 0) << ours.err;
  const Table theirs = plot(run_ngspice(deck), "DC");
  for (const char* column : {"i(vd1)", "i(vd2)"}) {
    const double excess = worst_excess(ours.table().col(column), theirs.col(column), 1e-4, 1e-12);
    std::cout << "[ngspice] bsim3 " << column << " with" << instance << ": worst excess over 1e-4 " << excess << '\n';
    EXPECT_LE(excess, 0) << column;
  }
  EXPECT_LE(worst_cv_error("", instance), 1e-6);
}

// Times where v(node) rises through `level`, linearly interpolated, after `skip`.
std::vector<double> rising(const Table& t, const std::string& node, double level, double skip) {
  const auto& time = t.col("time");
  const auto& v = t.col(node);
  std::vector<double> out;
  for (std::size_t k = 1; k < v.size(); ++k)
    if (v[k - 1] < level && v[k] >= level && time[k] > skip)
      out.push_back(time[k - 1] + (level - v[k - 1]) * (time[k] - time[k - 1]) / (v[k] - v[k - 1]));
  return out;
}

// Five inverters with junction, overlap (cgsl/cgdl) and intrinsic charges. Measured:
// 572.58 ps against ngspice's 572.65 ps (1.1e-4) with capMod 3, and 1.1e-4 to 1.2e-4 with
// capMod 0/xpart 1, 1/0.5, 2/0, 3/1 (two of them run here, for time). The issue asks
// 1 %; allowed 1e-3.
TEST(NgspiceBsim3, RingOscillatorPeriod) {
  for (const char* options : {"", "capmod=1 xpart=0.5"}) {
    std::string deck = deck_file("bsim3_ring.cir");
    for (std::size_t at = 0; (at = deck.find("level=49", at)) != std::string::npos; at += 8)
      deck.insert(at + 8, std::string(" ") + options);
    const auto ours_run = run_neurospice(deck);
    ASSERT_EQ(ours_run.status, 0) << ours_run.err;
    const Table theirs = plot(run_ngspice(deck), "Transient");
    const auto a = rising(ours_run.table(), "v(n1)", 1.25, 0.3e-9), b = rising(theirs, "v(n1)", 1.25, 0.3e-9);
    ASSERT_GE(a.size(), 4u);
    ASSERT_GE(b.size(), 4u);
    const double ours = (a.back() - a.front()) / double(a.size() - 1), ref = (b.back() - b.front()) / double(b.size() - 1);
    std::cout << "[ngspice] bsim3 ring (" << options << ") period " << ours << " s, ngspice " << ref << " s\n";
    EXPECT_NEAR(ours, ref, 1e-3 * ref) << options;
  }
}

// Three inverters driven by 50 ps edges: every stage's voltage, ngspice interpolated onto
// our time points. Measured 0.52 mV of the 2.5 V swing; allowed 5 mV.
TEST(NgspiceBsim3, InverterChain) {
  const std::string deck = deck_file("bsim3_inverter_chain.cir");
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "Transient");
  for (const char* node : {"v(o1)", "v(o2)", "v(out)"}) {
    const auto reference = interpolate(theirs.col("time"), theirs.col(node), ours.col("time"));
    const double error = max_abs_error(ours.col(node), reference);
    std::cout << "[ngspice] bsim3 inverter chain max |" << node << " - ngspice| = " << error << '\n';
    EXPECT_LE(error, 5e-3) << node;
  }
}

// noimod outside 1-4 stops .noise with an error at the card's noimod (at its first
// frequency, so not a tests/bad deck, which must fail before any output); .tran and .op
// do not read it. The noise models themselves: tests/sim/ngspice_noise.cpp.
TEST(Bsim3, AnUnknownNoimodIsRefusedByName) {
  const auto run = run_neurospice(
      "bsim3 .noise\nvd d 0 1\nvg g 0 1 ac 1\nm1 d g 0 0 nch w=1u l=0.25u\n"
      ".model nch nmos level=49 noimod=5 tox=5e-9 vth0=0.4 k1=0.5\n.noise v(d) vg dec 2 1k 1meg\n.end\n");
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.err.find("deck.cir:5:26: error: BSIM3 model 'nch': noimod 5 is not 1, 2, 3 or 4"), std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace ns::test
