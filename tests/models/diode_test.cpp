// The diode against formulas written out here: Shockley's law, SPICE3's temperature
// scaling of IS, ngspice's reverse and breakdown branches, depletion and diffusion
// capacitance, RS and area, and pnjlim limiting.
#include <numbers>

#include "harness.hpp"

namespace ns::test {
namespace {

constexpr double gmin = 1e-12;

Bench diode(std::vector<Assignment> params, double kelvin = 300.15, std::vector<double> area = {}) {
  return Bench("d", element('d', "d1", {"n0", "n1"}, area), model("d", params), {0, 1}, 2, kelvin);
}

double current(const Bench& b, double v) { return b.load({v, 0}, Mode::Dc, 0, gmin).f[0]; }

TEST(Diode, ShockleyLawAtNominalTemperature) {
  for (double n : {1.0, 1.7}) {
    const double is = n == 1 ? 1e-14 : 3e-15;
    const Bench b = diode({{"is", is, {}}, {"n", n, {}}});
    const double vt = vt_at(300.15);
    for (double v : {-0.07, -0.02, 0.0, 0.2, 0.45, 0.6, 0.72, 0.9}) {
      if (v < -3 * n * vt) continue;
      const double expected = is * std::expm1(v / (n * vt)) + gmin * v;
      EXPECT_NEAR(current(b, v), expected, 1e-12 * std::abs(expected) + 1e-27) << "n " << n << " v " << v;
    }
  }
}

TEST(Diode, AreaScalesTheSaturationCurrent) {
  const Bench b = diode({{"is", 1e-14, {}}}, 300.15, {3});
  const double expected = 3e-14 * std::expm1(0.6 / vt_at(300.15)) + gmin * 0.6;
  EXPECT_NEAR(current(b, 0.6), expected, 1e-12 * expected);
}

TEST(Diode, SaturationCurrentTemperatureScaling) {
  struct Case {
    double tnom_c, kelvin;
  };
  for (const Case c : {Case{27, 360}, Case{27, 250}, Case{50, 300.15}}) {
    const double is = 1e-14, n = 1.2, eg = 1.11, xti = 3, v = 0.4;
    const Bench b = diode({{"is", is, {}}, {"n", n, {}}, {"tnom", c.tnom_c, {}}}, c.kelvin);
    const double tnom = c.tnom_c + 273.15, t = c.kelvin, vt = vt_at(t);
    const double is_t = is * std::exp((t / tnom - 1) * eg / (n * vt)) * std::pow(t / tnom, xti / n);
    const double expected = is_t * std::expm1(v / (n * vt)) + gmin * v;
    EXPECT_NEAR(current(b, v), expected, 1e-12 * std::abs(expected)) << "T " << t << " tnom " << tnom;
  }
}

TEST(Diode, ReverseBranchIsNgspiceCubic) {
  const Bench b = diode({{"is", 1e-14, {}}});
  const double vt = vt_at(300.15);
  for (double v : {-0.2, -1.0, -10.0}) {
    const double a = 3 * vt / (v * std::numbers::e);
    const double expected = -1e-14 * (1 + a * a * a) + gmin * v;
    EXPECT_NEAR(current(b, v), expected, 1e-12 * std::abs(expected)) << v;
  }
}

TEST(Diode, BreakdownCurrentAtBvIsIbv) {
  const Bench b = diode({{"is", 1e-14, {}}, {"bv", 6, {}}, {"ibv", 1e-3, {}}});
  // ngspice fits the breakdown knee so that the current at -BV is IBV (to reltol 1e-3).
  EXPECT_NEAR(current(b, -6), -1e-3, 2e-3 * 1e-3);
  // and each further N*Vt*ln(10) of reverse voltage is ten times more current
  const double decade = vt_at(300.15) * std::log(10.0);
  EXPECT_NEAR(current(b, -6 - decade) / current(b, -6), 10, 1e-3);
  // above the knee the reverse current is still -IS
  EXPECT_NEAR(current(b, -5), -1e-14 + gmin * -5, 1e-16);
}

TEST(Diode, DepletionAndDiffusionCapacitance) {
  const double cjo = 1e-12, vj = 0.8, m = 0.5, fc = 0.5, tt = 2e-9, is = 1e-14;
  const Bench b = diode({{"is", is, {}}, {"cjo", cjo, {}}, {"vj", vj, {}}, {"m", m, {}},
                         {"fc", fc, {}}, {"tt", tt, {}}});
  const double vt = vt_at(300.15);
  {  // reverse: cjo / (1 - v/vj)^m, and its charge
    const double v = -2;
    const Sample s = b.load({v, 0});
    const double diffusion_c = tt * (is * 3 * std::pow(3 * vt / (v * std::numbers::e), 3) / v);
    EXPECT_NEAR(s.C[0][0], cjo / std::sqrt(1 - v / vj) + diffusion_c, 1e-12 * cjo);
    const double q = vj * cjo * (1 - std::pow(1 - v / vj, 1 - m)) / (1 - m);
    const double diffusion_q = tt * (-is * (1 + std::pow(3 * vt / (v * std::numbers::e), 3)));
    EXPECT_NEAR(s.q[0], q + diffusion_q, 1e-12 * std::abs(q));
  }
  {  // beyond FC*VJ: linear in v
    const double v = 0.6;
    const Sample s = b.load({v, 0});
    const double depletion = cjo / std::pow(1 - fc, 1 + m) * (1 - fc * (1 + m) + m * v / vj);
    const double diffusion = tt * is / vt * std::exp(v / vt);
    EXPECT_NEAR(s.C[0][0], depletion + diffusion, 1e-12 * (depletion + diffusion));
    EXPECT_DOUBLE_EQ(s.C[0][1], -s.C[0][0]);
  }
}

TEST(Diode, SeriesResistanceUsesAnInternalNode) {
  const Bench b = diode({{"rs", 10, {}}}, 300.15, {2});
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b.tables().unknowns[2].name, "d1#a");
  const Sample s = b.load({1.0, 0, 0.6});
  EXPECT_DOUBLE_EQ(s.f[0], (1.0 - 0.6) * 2 / 10);  // RS/area between anode and junction
  const double id = 2e-14 * std::expm1(0.6 / vt_at(300.15)) + gmin * 0.6;
  EXPECT_NEAR(s.f[2], -(1.0 - 0.6) * 2 / 10 + id, 1e-12 * id);
  EXPECT_NEAR(s.f[1], -id, 1e-12 * id);
}

TEST(Diode, PnjlimLimitsLargeForwardSteps) {
  const Bench b = diode({{"is", 1e-14, {}}});
  const double vt = vt_at(300.15);
  const std::vector<double> from0{0, 0}, to3{3, 0}, from07{0.7, 0}, to1{1.0, 0}, to072{0.72, 0};
  // from vold <= 0: the step is cut to vt ln(vnew / vt)
  EXPECT_NEAR(b.device().limit(b.eval(from0), b.eval(to3)), vt * std::log(3 / vt) / 3, 1e-12);
  // from vold > 0: vold + vt ln(1 + (vnew - vold) / vt)
  EXPECT_NEAR(b.device().limit(b.eval(from07), b.eval(to1)), vt * std::log(1 + 0.3 / vt) / 0.3, 1e-12);
  // a step under 2 vt is not limited
  EXPECT_EQ(b.device().limit(b.eval(from07), b.eval(to072)), 1.0);
}

TEST(Diode, Probes) {
  const Bench b = diode({{"is", 1e-14, {}}, {"cjo", 1e-12, {}}});
  const std::vector<double> x{0.65, 0.05};
  const Sample s = b.load(x);
  EXPECT_EQ(b.device().quantities(), (std::vector<std::string>{"id", "vd", "gd", "cd"}));
  EXPECT_DOUBLE_EQ(b.quantity("id", x), s.f[0]);
  EXPECT_DOUBLE_EQ(b.quantity("vd", x), 0.6);
  EXPECT_DOUBLE_EQ(b.quantity("gd", x), s.G[0][0]);
  EXPECT_DOUBLE_EQ(b.quantity("cd", x), s.C[0][0]);
}

}  // namespace
}  // namespace ns::test
