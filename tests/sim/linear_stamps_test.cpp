// Linear devices stamped once for a transient (System::stamp_linear): evaluate() in
// Mode::Tran then copies their G and C and forms their f = G x row by row. It must give
// the loads' f, G and C (f to rounding: (va - vb)/r is then va/r - vb/r), leave other
// modes alone, and leave out a resistor with transient noise (its f depends on time).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string_view>
#include <vector>

#include "circuit/circuit.hpp"
#include "engine/system.hpp"
#include "netlist/frontend.hpp"

namespace ns {
namespace {

const char* const deck = R"(linear and nonlinear devices
.model dmod d is=1e-14
V1 a 0 dc 1
R1 a b 1k
C1 b 0 1p
L1 b c 1u
R2 c 0 50
D1 c d dmod
C2 d 0 2p
R3 d 0 10k noise=1 noisedt=1n
R4 d e 3.3k
Rb e 0 1meg
.tran 1n 10n
.end
)";

// The same sums in another order (the linear devices' part first): equal to a few roundings.
void expect_close(const std::vector<double>& a, const std::vector<double>& b, const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t k = 0; k < a.size(); ++k)
    EXPECT_LE(std::abs(a[k] - b[k]), 1e-15 * std::max(std::abs(a[k]), std::abs(b[k]))) << what << " " << k;
}

TEST(LinearStamps, SameAssemblyAsLoadingEachDevice) {
  const Netlist netlist = elaborate(*read_deck_text(deck, "linear.cir"));
  Circuit circuit(netlist);
  for (const auto& d : circuit.devices()) d->start_transient(1e-9, 10e-9);
  System system(circuit);
  std::minstd_rand random(5);
  std::uniform_real_distribution<double> r(-1, 1);
  std::vector<double> x(system.size());
  for (double& v : x) v = r(random);
  const Eval tran{x, Mode::Tran, 3e-9, 1e-12}, op{x, Mode::Dc, 0, 1e-12};
  Assembly loaded = system.make_assembly(), loaded_op = system.make_assembly();
  ASSERT_TRUE(system.evaluate(tran, loaded));
  ASSERT_TRUE(system.evaluate(op, loaded_op));
  system.stamp_linear(true);
  for (bool jacobian : {true, false}) {
    Assembly stamped = system.make_assembly();
    ASSERT_TRUE(system.evaluate(tran, stamped, jacobian));
    // Each f is a sum of a few products of |x| <= 1 with conductances up to 1/50 S: a few
    // roundings of terms of that size, far below 1e-15 A.
    for (std::size_t i = 0; i < x.size(); ++i) {
      EXPECT_NEAR(stamped.f[i], loaded.f[i], 1e-15) << system.unknown_name(static_cast<Unknown>(i));
      EXPECT_EQ(stamped.u[i], loaded.u[i]) << i;
    }
    expect_close(stamped.C, loaded.C, "C");
    if (jacobian) expect_close(stamped.G, loaded.G, "G");
  }
  Assembly stamped_op = system.make_assembly();
  ASSERT_TRUE(system.evaluate(op, stamped_op));
  EXPECT_EQ(stamped_op.f, loaded_op.f);
  EXPECT_EQ(stamped_op.G, loaded_op.G);
  system.stamp_linear(false);
  Assembly again = system.make_assembly();
  ASSERT_TRUE(system.evaluate(tran, again));
  EXPECT_EQ(again.f, loaded.f);
}

// An evaluation of a part of the rows (System::part): in those rows f, u, G and C are the
// whole evaluation's to the bit, whatever the assembly held before; a row that only linear
// devices load needs no device at all, one of the diode's loads the diode.
TEST(LinearStamps, PartOfTheRowsAsTheWhole) {
  const Netlist netlist = elaborate(*read_deck_text(deck, "linear.cir"));
  Circuit circuit(netlist);
  for (const auto& d : circuit.devices()) d->start_transient(1e-9, 10e-9);
  System system(circuit);
  system.stamp_linear(true);
  std::minstd_rand random(7);
  std::uniform_real_distribution<double> r(-1, 1);
  std::vector<double> x(system.size()), other(system.size());
  for (double& v : x) v = r(random);
  for (double& v : other) v = r(random);
  const Eval tran{x, Mode::Tran, 3e-9, 1e-12};
  Assembly whole = system.make_assembly();
  ASSERT_TRUE(system.evaluate(tran, whole));
  const auto& nodes = circuit.tables().nodes;
  for (const char* name : {"b", "c"}) {
    const std::vector<std::size_t> rows{static_cast<std::size_t>(nodes.at(name))};
    const System::Part part = system.part(rows);
    EXPECT_EQ(part.group.loaded.size(), std::string_view(name) == "b" ? 0u : 1u) << name;  // R1, C1, L1 / + D1
    for (bool jacobian : {true, false}) {
      Assembly a = system.make_assembly();
      ASSERT_TRUE(system.evaluate({other, Mode::Tran, 5e-9, 1e-12}, a));  // something else there first
      ASSERT_TRUE(system.evaluate(tran, a, jacobian, part));
      for (const std::size_t i : rows) {
        EXPECT_EQ(a.f[i], whole.f[i]) << name;
        EXPECT_EQ(a.u[i], whole.u[i]) << name;
        for (const auto k : system.row_positions(i)) {
          EXPECT_EQ(a.C[static_cast<std::size_t>(k)], whole.C[static_cast<std::size_t>(k)]) << name;
          if (jacobian) EXPECT_EQ(a.G[static_cast<std::size_t>(k)], whole.G[static_cast<std::size_t>(k)]) << name;
        }
      }
    }
  }
  // A part made before the stamp changed falls back to a whole evaluation.
  const System::Part old = system.part(std::vector<std::size_t>{static_cast<std::size_t>(nodes.at("c"))});
  system.stamp_linear(false);
  Assembly fallback = system.make_assembly(), plain = system.make_assembly();
  ASSERT_TRUE(system.evaluate(tran, fallback, true, old));
  ASSERT_TRUE(system.evaluate(tran, plain));
  EXPECT_EQ(fallback.f, plain.f);
  EXPECT_EQ(fallback.G, plain.G);
}

}  // namespace
}  // namespace ns
