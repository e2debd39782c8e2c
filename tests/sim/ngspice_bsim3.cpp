// BSIM3v3.3 (models/bsim3.cpp, level 49) against ngspice on our own 0.25 um-like NMOS and
// PMOS cards (tests/sim/decks/bsim3_*.cir, unchanged in both programs): Id-Vgs at
// vds 0.1 and 2.5 V for three body biases, and Id-Vds for five gate voltages, at
// L = 0.25 um and 1 um. Every terminal voltage is fixed by a source, so Newton's error
// does not enter; measured, the currents agree to 1e-5 relative above 1 nA and 1e-3 at
// 10 pA (the remaining difference is the constants' last digits and gmin leakage, which
// ngspice puts on its junctions differently below ~1 pA).
#include <gtest/gtest.h>

#include <iostream>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

void expect_agrees(const std::string& deck_name, const std::vector<std::string>& columns) {
  const std::string deck = deck_file(deck_name);
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "DC");
  ASSERT_EQ(ours.rows(), theirs.rows()) << deck_name;
  for (const std::string& c : columns) {
    std::cout << "[ngspice] " << deck_name << " " << c << ": max abs diff "
              << max_abs_error(ours.col(c), theirs.col(c)) << ", max diff / max(|ngspice|, 1 nA) "
              << max_rel_error(ours.col(c), theirs.col(c), 1e-9) << '\n';
    // 1e-4: ten times the measured 1e-5; 1 pA: the gmin leakage floor.
    EXPECT_LE(worst_excess(ours.col(c), theirs.col(c), 1e-4, 1e-12), 0) << deck_name << " " << c;
  }
}

TEST(NgspiceBsim3, NmosIdVgs) { expect_agrees("bsim3_nmos_idvgs.cir", {"i(vd1)", "i(vd2)"}); }
TEST(NgspiceBsim3, NmosIdVds) { expect_agrees("bsim3_nmos_idvds.cir", {"i(vd)", "i(vd2)"}); }
TEST(NgspiceBsim3, PmosIdVgs) { expect_agrees("bsim3_pmos_idvgs.cir", {"i(vd1)", "i(vd2)"}); }
TEST(NgspiceBsim3, PmosIdVds) { expect_agrees("bsim3_pmos_idvds.cir", {"i(vd)", "i(vd2)"}); }

}  // namespace
}  // namespace ns::test
