// Linear devices stamped once for a transient (System::stamp_linear): evaluate() in
// Mode::Tran then copies their G and C and forms their f = G x row by row. It must give
// the loads' f, G and C (f to rounding: (va - vb)/r is then va/r - vb/r), leave other
// modes alone, and leave out a resistor with transient noise (its f depends on time).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
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

}  // namespace
}  // namespace ns
