// The NbOx thermal memristor (models/nbox_thermal.cpp): its Jacobian against finite
// differences at random points across the operating range, and its current, power and
// thermal residual against equations (2.1)-(2.2) of devices.md §1 written out here.
#include "harness.hpp"

namespace ns::test {
namespace {

Bench nbox_bench(std::vector<Assignment> params = {}) {
  // Unknowns: n0 = a, n1 = b, then the temperature state (index 2).
  return Bench("nbox", element('n', "n1", {"n0", "n1"}), model("nbox", std::move(params)), {0, 1}, 2);
}

// devices.md (2.1), Table 2.1 defaults, constants written independently of the model.
double pf_current(double v, double kelvin) {
  const double q = 1.602176634e-19, kb = 1.380649e-23, eps0 = 8.8541878128e-12, pi = 3.14159265358979;
  const double lowering = q * std::sqrt(q * std::abs(v) / (pi * eps0 * 45 * 31e-9));  // J
  return v / (190 * std::exp((0.215 * q - lowering) / (kb * kelvin)));
}

TEST(Nbox, JacobianAtRandomPoints) {
  const Bench b = nbox_bench();
  ASSERT_EQ(b.size(), 3u);
  std::mt19937 rng(3);
  // Device voltages both signs, up to past the Poole-Frenkel range of use; temperatures
  // from ambient to the ~5000 K the Fig. 2.7 spikes reach.
  std::uniform_real_distribution<double> va(-1.5, 1.5), vb(-0.3, 0.3), temp(300, 5500);
  for (int k = 0; k < 40; ++k) {
    const std::vector<double> x = {va(rng), vb(rng), temp(rng)};
    SCOPED_TRACE("x = " + std::to_string(x[0]) + ", " + std::to_string(x[1]) + ", " + std::to_string(x[2]));
    expect_jacobian(b, x, 1e-5);
  }
  // At V = 0 a central difference straddles the sqrt|V| cusp (it is off by ~2e-3), so
  // check the exact value instead: dI/dV = I/V as V -> 0, the zero-field conductance.
  const Sample s = b.load({0.2, 0.2, 400});
  const double g0 = pf_current(1e-12, 400) / 1e-12;
  EXPECT_NEAR(s.G[0][0], g0, 1e-5 * g0);
  EXPECT_NEAR(s.G[0][1], -g0, 1e-5 * g0);
  EXPECT_EQ(s.G[2][0], 0.0);  // no Joule power at V = 0, to first order
}

TEST(Nbox, ResidualsMatchEquations) {
  const Bench b = nbox_bench({{"cd", 0.5e-12, {}}, {"tamb", 310, {}}});
  const std::vector<double> x = {0.8, 0.05, 650};
  const Sample s = b.load(x);
  const double v = 0.75, i = pf_current(v, 650);
  EXPECT_NEAR(s.f[0], i, 1e-9 * i);
  EXPECT_NEAR(s.f[1], -i, 1e-9 * i);
  EXPECT_NEAR(s.f[2], (650 - 310) / 2040816.0 - v * i, 1e-9 * v * i);
  EXPECT_NEAR(s.q[2], 2e-15 * 650, 1e-24);
  EXPECT_NEAR(s.q[0], 0.5e-12 * v, 1e-24);
  EXPECT_NEAR(b.quantity("i", x), i, 1e-9 * i);
  EXPECT_NEAR(b.quantity("p", x), v * i, 1e-9 * v * i);
  EXPECT_NEAR(b.quantity("r", x), v / i, 1e-9 * v / i);
  EXPECT_NEAR(b.quantity("v", x), v, 1e-15);
  // Odd in V: the device is symmetric.
  const Sample r = b.load({0.05, 0.8, 650});
  EXPECT_NEAR(r.f[0], -i, 1e-9 * i);
}

TEST(Nbox, RestStateIsAmbient) {
  const Bench b = nbox_bench({{"tamb", 320, {}}});
  EXPECT_EQ(b.tables().unknowns[2].name, "@n1[t]");
  EXPECT_DOUBLE_EQ(b.tables().unknowns[2].rest, 320);
}

}  // namespace
}  // namespace ns::test
