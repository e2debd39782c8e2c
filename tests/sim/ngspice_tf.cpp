// .tf cross-checks: the same decks through ngspice and neurospice; the three numbers of
// ngspice's "Transfer function information".
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <string>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// ours: transfer_function, output_impedance_at_v(out) | vx#output_impedance,
// src#input_impedance; ngspice names them v(transfer_function), v(...), v(src#input_impedance).
// `skip`: a column not compared with ngspice (checked otherwise by the caller).
void compare(const std::string& name, const std::string& deck, double rel, const std::string& skip = "") {
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "Transfer");
  ASSERT_EQ(ours.names.size(), 3u);
  for (const std::string& column : ours.names) {
    if (column == skip) continue;
    const double a = ours.col(column).at(0), b = theirs.col("v(" + column + ")").at(0);
    std::cout << "[ngspice] " << name << " " << column << ": " << a << " vs " << b << " (rel " << std::abs(a - b) / std::abs(b)
              << ")\n";
    EXPECT_NEAR(a, b, rel * std::abs(b)) << column;
  }
}

// Linear: the same solve in both (ngspice writes 16 digits).
TEST(NgspiceTf, VoltageSourceToNodeVoltage) {
  compare("divider", "tf\nV1 in 0 dc 1\nR1 in out 1k\nR2 out 0 3k\nE1 o2 0 out 0 2\nR3 o2 0 1k\n.tf v(out) v1\n.end\n", 1e-12);
}

TEST(NgspiceTf, CurrentSourceToVoltageDifference) {
  compare("bridge", "tf\nI1 0 in dc 1m\nR1 in out 1k\nR2 out 0 3k\nR9 in 0 10k\nG1 out 0 in 0 0.1m\n.tf v(out,in) i1\n.end\n",
          1e-12);
}

// For a current output i(VS), the output impedance here is the one VS sees (a unit volt in
// VS, the other sources zeroed): R2 + R3 || R1 = 3k + 2k || 1k. ngspice-39 prints 1e20 for
// it (and, when VS is also the input, the input impedance), so that one is not compared.
TEST(NgspiceTf, VoltageSourceToSourceCurrent) {
  const std::string deck = "tf\nV1 in 0 dc 1\nR1 in a 1k\nVs a b 0\nR2 b 0 3k\nR3 a 0 2k\n.tf i(vs) v1\n.end\n";
  compare("current", deck, 1e-12, "vs#output_impedance");
  const auto run = run_neurospice(deck);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NEAR(run.table().col("vs#output_impedance").at(0), 3e3 + 2e3 * 1e3 / 3e3, 1e-9);
}

// Linearised at operating points that agree to the Newton tolerance (as NgspiceAc):
// the gain and impedances follow gm and gds. A common-source stage with a diode load.
TEST(NgspiceTf, NmosStage) {
  compare("nmos",
          "tf\nVDD vdd 0 dc 5\nVG g 0 dc 1.5\nRD vdd d 10k\nM1 d g s 0 nm w=10u l=1u\nRS s 0 500\n"
          "D1 0 d dm\n.model dm d is=1e-15\n"
          ".model nm nmos level=1 vto=0.7 kp=100u gamma=0.4 lambda=0.02\n.tf v(d) vg\n.end\n",
          1e-4);
}

}  // namespace
}  // namespace ns::test
