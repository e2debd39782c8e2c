// The level-1 JFET against Shichman-Hodges' equations written out here, with the
// Parker-Skellern doping-tail term B, in both channel directions and both polarities.
#include <cmath>

#include "harness.hpp"

namespace ns::test {
namespace {

constexpr double gmin = 1e-12;

// Terminals d g s on n0 n1 n2.
Bench jfet(std::string type, std::vector<Assignment> params) {
  return Bench(type, element('j', "j1", {"n0", "n1", "n2"}), model(type, params), {0, 1, 2}, 3);
}

// Drain current of the channel alone (n-type frame, vds >= 0).
double channel(double beta, double vto, double lambda, double b, double pb, double vgs, double vds) {
  const double vgst = vgs - vto;
  if (vgst <= 0) return 0;
  const double bfac = (1 - b) / (pb - vto);
  const double lam = 1 + lambda * vds;
  if (vgst >= vds)  // linear: the integral of the doping-tail charge over the channel
    return beta * lam * vds * (vds * (bfac * vds - b) + vgst * (2 * b + 3 * bfac * (vgst - vds)));
  return beta * lam * vgst * vgst * (b + bfac * vgst);
}

// The gate diodes' current into the drain terminal (reverse-biased here: -is + gmin v).
double gate_drain(double is, double vgd) { return -(-is + gmin * vgd); }

TEST(Jfet, SquareLawWithB1) {
  const double beta = 1e-3, vto = -2, lambda = 0.02;
  const Bench j = jfet("njf", {{"beta", beta, {}}, {"vto", vto, {}}, {"lambda", lambda, {}}});
  for (auto [vgs, vds] : {std::pair{-1.0, 3.0}, {-0.5, 0.4}, {0.0, 1.0}, {-2.5, 2.0}}) {
    const double vd = vds, vg = vgs;
    const double id = j.load({vd, vg, 0}, Mode::Dc, 0, gmin).f[0];
    // saturation: beta vgst^2 (1 + lambda vds); linear: beta vds (2 vgst - vds)(1 + lambda vds)
    const double vgst = vgs - vto;
    const double want = vgst <= 0 ? 0 : vgst < vds ? beta * vgst * vgst * (1 + lambda * vds)
                                                   : beta * vds * (2 * vgst - vds) * (1 + lambda * vds);
    EXPECT_NEAR(id, want + gate_drain(1e-14, vg - vd), 1e-12 * std::abs(want) + 1e-20) << vgs << " " << vds;
  }
}

TEST(Jfet, DopingTailAndReverseMode) {
  const double beta = 2e-3, vto = -1.5, b = 0.6, pb = 0.9;
  const Bench j = jfet("njf", {{"beta", beta, {}}, {"vto", vto, {}}, {"b", b, {}}, {"pb", pb, {}}});
  for (auto [vgs, vds] : {std::pair{-0.5, 2.0}, {-0.2, 0.3}}) {
    const double id = j.load({vds, vgs, 0}, Mode::Dc, 0, gmin).f[0];
    const double want = channel(beta, vto, 0, b, pb, vgs, vds);
    EXPECT_NEAR(id, want + gate_drain(1e-14, vgs - vds), 1e-12 * want) << vgs << " " << vds;
    // Source and drain swapped: the same current the other way.
    const double back = j.load({0, vgs, vds}, Mode::Dc, 0, gmin).f[2];
    EXPECT_NEAR(back, want + gate_drain(1e-14, vgs - vds), 1e-12 * want);
  }
}

TEST(Jfet, PjfIsTheMirrorImage) {
  const std::vector<Assignment> params = {{"beta", 1e-3, {}}, {"vto", -2, {}}, {"lambda", 0.05, {}}, {"b", 0.8, {}}};
  const Bench n = jfet("njf", params), p = jfet("pjf", params);
  const auto a = n.load({3, -0.7, 0}), c = p.load({-3, 0.7, 0});
  for (int k = 0; k < 3; ++k) EXPECT_DOUBLE_EQ(c.f[k], -a.f[k]);
}

}  // namespace
}  // namespace ns::test
