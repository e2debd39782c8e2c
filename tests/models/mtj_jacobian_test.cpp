// The MTJ macrospin and auto-oscillator models: analytic G and C against finite
// differences (harness.hpp tolerances) at random states and biases, and a few exact values.
#include <numbers>

#include "harness.hpp"

namespace ns::test {
namespace {

Model mtj_model() {
  // A field along a tilted direction, a field-like torque, a tilted reference layer and
  // bias-dependent TMR: every term of the model contributes.
  return model("mtj", {{"hx", 3e4, {}}, {"hy", -1e4, {}}, {"hz", 5e3, {}}, {"fl", 0.3, {}},
                       {"px", -0.8, {}}, {"py", 0.6, {}}, {"ekx", 0.9, {}}, {"eky", 0.1, {}}});
}

TEST(MtjJacobian, RandomStates) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> theta(0.3, 2.8), phi(-3, 3), v(-0.8, 0.8);
  for (bool grounded : {false, true}) {
    Bench b("mtj", element('n', "n1", {"n0", grounded ? "0" : "n1"}), mtj_model(),
            grounded ? std::vector<Unknown>{0, ground} : std::vector<Unknown>{0, 1}, grounded ? 1 : 2);
    for (int k = 0; k < 8; ++k) {
      std::vector<double> x(b.size());
      x[0] = v(rng);
      if (!grounded) x[1] = 0.1 * v(rng);
      x[b.size() - 2] = theta(rng);
      x[b.size() - 1] = phi(rng);
      SCOPED_TRACE(::testing::Message() << "grounded " << grounded << " sample " << k);
      expect_jacobian(b, x, 1e-5);
    }
  }
}

TEST(MtjJacobian, ResistanceFromAngle) {
  // x: n0, theta, phi. m along +x (theta = pi/2, phi = 0), p = -x: RAP = RP (1 + TMR(V)).
  Bench b("mtj", element('n', "n1", {"n0", "0"}), model("mtj", {}), {0, ground}, 1);
  const double pi = std::numbers::pi;
  const double v = 0.3, tmr = 1.0 / (1 + v * v / 0.25);
  EXPECT_NEAR(b.quantity("r", {v, pi / 2, 0}), 6e3 * (1 + tmr), 1e-9);
  EXPECT_NEAR(b.quantity("r", {v, pi / 2, pi}), 6e3, 1e-9);  // m = -x = p
  EXPECT_NEAR(b.quantity("mz", {v, 0.4, 1.0}), std::cos(0.4), 1e-15);
  // At rest on the easy axis (tilt 0 here) nothing moves: the state rows vanish.
  Bench rest("mtj", element('n', "n1", {"n0", "0"}, {}, {{"tilt", 0, {}}}), model("mtj", {}), {0, ground}, 1);
  const Sample s = rest.load({0.2, pi / 2, 0});
  EXPECT_NEAR(s.f[1], 0, 1e-3);  // rad/s, against rates of 1e10
  EXPECT_NEAR(s.f[2], 0, 1e-3);
}

TEST(StnoJacobian, RandomStates) {
  std::mt19937 rng(6);
  std::uniform_real_distribution<double> c(-0.8, 0.8), v(-0.5, 0.5), idc(-10e-3, 10e-3);
  const Model m = model("stno", {{"psi", 0.7, {}}});
  for (bool grounded : {false, true}) {
    Bench b("stno", element('n', "n1", {"n0", grounded ? "0" : "n1"}), m,
            grounded ? std::vector<Unknown>{0, ground} : std::vector<Unknown>{0, 1}, grounded ? 1 : 2);
    for (int k = 0; k < 8; ++k) {
      std::vector<double> x(b.size());
      x[0] = v(rng);
      if (!grounded) x[1] = 0.1 * v(rng);
      const std::size_t s = b.size() - 3;
      x[s] = c(rng);
      x[s + 1] = c(rng);
      x[s + 2] = idc(rng);
      SCOPED_TRACE(::testing::Message() << "grounded " << grounded << " sample " << k);
      expect_jacobian(b, x, 1e-5);
    }
  }
}

TEST(StnoJacobian, ExactValues) {
  // x: n0, cr, ci, idc. R = r0 + dr Re c; dc/dt at c = 0.5 i and no RF current.
  Bench b("stno", element('n', "n1", {"n0", "0"}), model("stno", {}), {0, ground}, 1);
  EXPECT_NEAR(b.quantity("r", {0.3, 0.5, 0.2, 0}), 42, 1e-12);
  EXPECT_NEAR(b.quantity("p", {0.3, 0.5, 0.2, 0}), 0.29, 1e-15);
  const double i = 0.32 / 40;  // 8 mA at c = 0.5 i (Re c = 0)
  const Sample s = b.load({0.32, 0, 0.5, i});
  const double w = 2 * std::numbers::pi * (250e6 + 150e6 * 0.25);
  const double g = -3.14159265e7 * 1.25 + 7.85398163e9 * i * 0.75;
  EXPECT_NEAR(-s.f[1], w * 0.5, 1e-6 * w);   // Re dc/dt = w Im c
  EXPECT_NEAR(-s.f[2], g * 0.5, 1e-9 * std::abs(w));  // Im dc/dt = g Im c
  EXPECT_NEAR(s.f[3], 0, 1e-18);               // idc already the current
}

}  // namespace
}  // namespace ns::test
