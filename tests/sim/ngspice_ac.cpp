// .ac cross-checks: the same decks, unchanged, through ngspice and neurospice; every
// vector compared as a phasor, |ours - ngspice| / |ngspice|.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <iostream>
#include <string>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// The worst relative phasor difference over every vector ngspice wrote (its vectors
// named as neurospice names them: v(a), i(v1)), ignoring vectors smaller than `floor`.
double worst_phasor_error(const std::string& name, double floor) {
  const std::string deck = deck_file(name);
  const auto ours_run = run_neurospice(deck);
  EXPECT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "AC");
  EXPECT_EQ(ours.rows(), theirs.rows());
  if (ours.rows() != theirs.rows()) return INFINITY;
  EXPECT_LE(max_rel_error(ours.col("frequency"), theirs.col("frequency"), 1e-30), 1e-12);
  double worst = 0;
  std::size_t vectors = 0;
  for (const std::string& column : theirs.names) {
    if (column.size() < 2 || column[1] != 'm') continue;  // vm(a), im(v1): one per vector
    const std::string phase = column.substr(0, 1) + "p" + column.substr(2);
    const std::string re = column.substr(0, 1) + "r" + column.substr(2);
    const std::string im = column.substr(0, 1) + "i" + column.substr(2);
    ++vectors;
    double vector_worst = 0;
    for (std::size_t k = 0; k < ours.rows(); ++k) {
      const std::complex<double> a = std::polar(ours.col(column)[k], ours.col(phase)[k]);
      const std::complex<double> b(theirs.col(re)[k], theirs.col(im)[k]);
      if (std::abs(b) < floor) continue;
      vector_worst = std::max(vector_worst, std::abs(a - b) / std::abs(b));
    }
    std::cout << "[ngspice] " << name << " " << column.substr(0, 1) << column.substr(2) << ": max rel phasor diff "
              << vector_worst << '\n';
    worst = std::max(worst, vector_worst);
  }
  EXPECT_GT(vectors, 2u);
  return worst;
}

// Linear elements only: both solve the same complex linear system, so the difference is
// rounding (measured 1e-12 at worst, i(v1) at 10 Hz, a small difference of two currents).
TEST(NgspiceAc, ControlledSourceAmplifier) { EXPECT_LE(worst_phasor_error("ac_controlled.cir", 1e-30), 1e-10); }

// Linearised at operating points that agree to the Newton tolerance (NgspiceDc allows
// 1e-4 relative on diode currents): the conductances and capacitances follow the OP, so
// the phasors can differ by as much. Measured: 2.1e-6.
TEST(NgspiceAc, Diodes) { EXPECT_LE(worst_phasor_error("ac_diode.cir", 1e-30), 1e-4); }

// Level 1 with Meyer gate capacitances, overlap and bulk junction capacitances, from 1 kHz
// (gain -7.8) to 100 GHz (the gate RC and the Miller capacitance). As for the diodes, the
// OP's Newton tolerance bounds the difference. Measured: 2.0e-6.
TEST(NgspiceAc, NmosCommonSource) { EXPECT_LE(worst_phasor_error("ac_nmos_cs.cir", 1e-30), 1e-4); }

}  // namespace
}  // namespace ns::test
