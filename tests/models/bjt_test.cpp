// The Gummel-Poon BJT against formulas written out here: Ebers-Moll transport with gmin
// on the leakage branches, the base charge qb (Early and high injection), polarity,
// area and SPICE's temperature scaling of IS and the betas.
#include <cmath>

#include "harness.hpp"

namespace ns::test {
namespace {

constexpr double gmin = 1e-12;

// Terminals c b e on n0 n1 n2, substrate left to ground.
Bench bjt(std::string type, std::vector<Assignment> params, double kelvin = 300.15, std::vector<double> area = {}) {
  return Bench(type, element('q', "q1", {"n0", "n1", "n2"}, area), model(type, params), {0, 1, 2, ground}, 3, kelvin);
}

struct Currents {
  double ic, ib;  // into the collector and the base
};
Currents currents(const Bench& b, double vbe, double vbc) {
  const auto s = b.load({vbe - vbc, vbe, 0}, Mode::Dc, 0, gmin);  // emitter at 0
  return {s.f[0], s.f[1]};
}

// The gmin currents: across both junctions (into the base) and from the grounded
// substrate to the collector (vce = vbe - vbc with the emitter at 0).
Currents gmin_part(double vbe, double vbc) { return {gmin * (vbe - vbc) - gmin * vbc, gmin * (vbe + vbc)}; }

// Gummel-Poon's DC currents without resistances or leakage saturation currents.
Currents expected(double is, double bf, double br, double qb, double vbe, double vbc, double vt) {
  const double ef = std::expm1(vbe / vt), er = std::expm1(vbc / vt);
  const Currents g = gmin_part(vbe, vbc);
  return {is * (ef - er) / qb - is / br * er + g.ic, is / bf * ef + is / br * er + g.ib};
}

TEST(Bjt, EbersMollWithoutSecondOrderEffects) {
  const Bench b = bjt("npn", {{"is", 2e-15, {}}, {"bf", 80, {}}, {"br", 3, {}}});
  const double vt = vt_at(300.15);
  for (auto [vbe, vbc] : {std::pair{0.65, -2.0}, {0.7, 0.6}, {-0.5, 0.68}, {0.3, 0.1}}) {
    const Currents got = currents(b, vbe, vbc), want = expected(2e-15, 80, 3, 1, vbe, vbc, vt);
    EXPECT_NEAR(got.ic, want.ic, 1e-12 * std::abs(want.ic)) << vbe << " " << vbc;
    EXPECT_NEAR(got.ib, want.ib, 1e-12 * std::abs(want.ib)) << vbe << " " << vbc;
  }
}

TEST(Bjt, BaseChargeFromEarlyVoltagesAndKneeCurrents) {
  const double is = 1e-15, vaf = 40, var = 8, ikf = 5e-3, ikr = 1e-3, vt = vt_at(300.15);
  const Bench b = bjt("npn", {{"is", is, {}}, {"vaf", vaf, {}}, {"var", var, {}}, {"ikf", ikf, {}}, {"ikr", ikr, {}}});
  for (auto [vbe, vbc] : {std::pair{0.75, -3.0}, {0.82, -1.0}, {0.7, 0.65}}) {
    const double q1 = 1 / (1 - vbc / vaf - vbe / var);
    const double q2 = is * std::expm1(vbe / vt) / ikf + is * std::expm1(vbc / vt) / ikr;
    const double qb = q1 * (1 + std::sqrt(1 + 4 * q2)) / 2;
    const Currents got = currents(b, vbe, vbc), want = expected(is, 100, 1, qb, vbe, vbc, vt);
    EXPECT_NEAR(got.ic, want.ic, 1e-12 * std::abs(want.ic)) << vbe << " " << vbc;
  }
}

TEST(Bjt, PnpIsTheMirrorImage) {
  const std::vector<Assignment> params = {{"is", 1e-15, {}}, {"vaf", 30, {}}, {"ikf", 1e-2, {}}, {"ise", 1e-14, {}}};
  const Bench n = bjt("npn", params), p = bjt("pnp", params);
  const Currents a = currents(n, 0.72, -1.5), c = currents(p, -0.72, 1.5);
  EXPECT_DOUBLE_EQ(c.ic, -a.ic);
  EXPECT_DOUBLE_EQ(c.ib, -a.ib);
}

// Area 3 is three devices in parallel, in every region (ngspice-39 differs where the
// base-collector junction conducts: see tests/sim/decks/bjt_pnp_output.cir).
TEST(Bjt, AreaIsDevicesInParallel) {
  const std::vector<Assignment> params = {{"is", 1e-15, {}}, {"vaf", 30, {}}, {"ikf", 1e-2, {}}, {"ikr", 1e-3, {}},
                                          {"ise", 1e-14, {}}, {"isc", 1e-14, {}}};
  const Bench one = bjt("npn", params, 300.15), three = bjt("npn", params, 300.15, {3});
  for (auto [vbe, vbc] : {std::pair{0.75, -2.0}, {0.7, 0.7}, {0.2, 0.72}}) {
    // gmin is per device, not per area
    const Currents a = currents(one, vbe, vbc), c = currents(three, vbe, vbc), g = gmin_part(vbe, vbc);
    EXPECT_NEAR(c.ic - g.ic, 3 * (a.ic - g.ic), 1e-12 * std::abs(a.ic));
    EXPECT_NEAR(c.ib - g.ib, 3 * (a.ib - g.ib), 1e-12 * std::abs(a.ib));
  }
}

TEST(Bjt, TemperatureScalesIsAndBeta) {
  const double is = 1e-15, bf = 100, xtb = 1.5, eg = 1.11, xti = 3, t = 373.15, tnom = 300.15, vt = vt_at(t);
  const Bench b = bjt("npn", {{"is", is, {}}, {"bf", bf, {}}, {"xtb", xtb, {}}}, t);
  const double is_t = is * std::exp((t / tnom - 1) * eg / vt) * std::pow(t / tnom, xti);
  const double bf_t = bf * std::pow(t / tnom, xtb), br_t = std::pow(t / tnom, xtb);
  const Currents got = currents(b, 0.55, -0.05), want = expected(is_t, bf_t, br_t, 1, 0.55, -0.05, vt);
  EXPECT_NEAR(got.ic, want.ic, 1e-11 * std::abs(want.ic));
  EXPECT_NEAR(got.ib, want.ib, 1e-11 * std::abs(want.ib));
}

TEST(Bjt, ProbesInForwardActive) {
  const Bench b = bjt("npn", {{"is", 1e-15, {}}, {"bf", 50, {}}});
  const std::vector<double> x = {2.0, 0.7, 0};
  const double ic = b.quantity("ic", x), vt = vt_at(300.15);
  EXPECT_NEAR(ic, b.load(x).f[0], 1e-18);
  EXPECT_NEAR(b.quantity("gm", x), ic / vt, 1e-6 * ic / vt);  // gm = ic / vt, ideal
  EXPECT_NEAR(b.quantity("gpi", x), ic / vt / 50, 1e-6 * ic / vt / 50);
  EXPECT_NEAR(b.quantity("vce", x), 2.0, 1e-15);
  EXPECT_NEAR(b.quantity("ib", x), b.load(x).f[1], 1e-18);
  EXPECT_NEAR(b.quantity("ie", x), b.load(x).f[2], 1e-18);
}

}  // namespace
}  // namespace ns::test
