// Spellings from ngspice's own example decks that neurospice once refused, run unchanged
// through both simulators (tests/sim/decks/ngspice_example_spellings.cir): a ternary in
// parentheses as a resistor's value, an instance setting a .param of a subcircuit's body,
// a resistor's scale=, and a node reached only through capacitors (gmin to ground, with a
// warning). Each against its closed form and against ngspice.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "sim/support.hpp"

namespace ns::test {
namespace {

TEST(NgspiceTran, ExampleDeckSpellings) {
  const std::string deck = deck_file("ngspice_example_spellings.cir");
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  EXPECT_NE(ours_run.err.find("node 'm' has no DC path to ground"), std::string::npos) << ours_run.err;
  const Table& ours = ours_run.table();
  const auto& time = ours.col("time");
  for (std::size_t k = 0; k < ours.rows(); ++k) {
    const double t = time[k];
    // Rows on the load's jumps (2 us, 4 us) may belong to either side.
    if (std::abs(t - 2e-6) > 1e-9 && std::abs(t - 4e-6) > 1e-9) {
      const double r4 = t < 2e-6 ? 1e3 : t < 4e-6 ? 500 : 2e3;
      EXPECT_NEAR(ours.col("v(a)")[k], 1e3 / (r4 + 1e3), 1e-9) << "at " << t;
    }
    EXPECT_NEAR(ours.col("v(p)")[k], 0.5, 1e-9) << "at " << t;
    EXPECT_NEAR(ours.col("v(s)")[k], 0.5, 1e-9) << "at " << t;
    // The capacitive divider, up to gmin's leak (1e-12 S on 2 nF: 2000 s).
    EXPECT_NEAR(ours.col("v(m)")[k], 0.5 * ours.col("v(b)")[k], 1e-6) << "at " << t;
  }
  const Table theirs = plot(run_ngspice(deck), "Transient");
  for (const char* probe : {"v(a)", "v(p)", "v(s)", "v(m)"}) {
    const auto at = interpolate(time, ours.col(probe), theirs.col("time"));
    double error = 0;
    for (std::size_t k = 0; k < at.size(); ++k) {
      const double t = theirs.col("time")[k];
      if (std::abs(t - 2e-6) < 0.1e-6 || std::abs(t - 4e-6) < 0.1e-6) continue;  // the jumps themselves
      error = std::max(error, std::abs(at[k] - theirs.col(probe)[k]));
    }
    std::cout << "[ngspice] example spellings " << probe << ": max |neurospice - ngspice| = " << error << "\n";
    // ngspice's own error control (reltol 1e-3) on the 1 V RC edge of v(m).
    EXPECT_LT(error, 2e-3) << probe;
  }
}

}  // namespace
}  // namespace ns::test
