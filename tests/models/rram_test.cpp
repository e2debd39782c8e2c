// hfox and hfox1t1r: analytic Jacobians against finite differences, in DC (gap held) and
// in transient (gap moving), at random points across set, reset, the clamps and the
// window blend near V = 0.
#include "harness.hpp"

namespace ns::test {
namespace {

std::vector<Assignment> rram_card() {
  return {{"tox", 10e-9, {}}, {"rth", 4e5, {}}, {"gmax", 2.2e-9, {}}, {"gap", 1.4e-9, {}}};
}

// As expect_jacobian (harness.hpp), in Mode::Tran.
void expect_tran_jacobian(const Bench& b, const std::vector<double>& x, double rtol = 1e-5) {
  const Sample s = b.load(x, Mode::Tran, 1e-6);
  double big = 0;
  for (const auto& row : s.G)
    for (double v : row) big = std::max(big, std::abs(v));
  for (std::size_t j = 0; j < b.size(); ++j) {
    const double h = 1e-7 * std::max(1.0, std::abs(x[j]));
    auto xp = x, xm = x;
    xp[j] += h;
    xm[j] -= h;
    const Sample p = b.load(xp, Mode::Tran, 1e-6), m = b.load(xm, Mode::Tran, 1e-6);
    for (std::size_t i = 0; i < b.size(); ++i) {
      const double fd = (p.f[i] - m.f[i]) / (2 * h);
      EXPECT_LE(std::abs(s.G[i][j] - fd), rtol * std::max(std::abs(fd), std::abs(s.G[i][j])) + 1e-9 * big + 1e-15)
          << "G[" << i << "][" << j << "] = " << s.G[i][j] << ", finite difference " << fd;
    }
  }
}

TEST(RramModel, JacobianOfTheGapModel) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> volts(-2.0, 2.0), near_zero(-0.03, 0.03), gap(0.21, 2.19),
      edge(0.0, 0.05);
  Bench b("hfox", element('n', "n1", {"n0", "n1"}), model("hfox", rram_card()), {0, 1}, 2);
  ASSERT_EQ(b.size(), 3u);  // te, be, gap
  for (int k = 0; k < 40; ++k) {
    const double v = k % 4 == 0 ? near_zero(rng) : volts(rng);
    double g = gap(rng);
    if (k % 5 == 1) g = 0.2 + edge(rng);  // inside the lower clamp
    if (k % 5 == 2) g = 2.2 - edge(rng);  // inside the upper clamp
    const std::vector<double> x = {0.3 + v, 0.3, g};
    SCOPED_TRACE(::testing::Message() << "v " << v << " gap " << g);
    expect_jacobian(b, x);
    expect_tran_jacobian(b, x);
  }
}

TEST(RramModel, HeldGapInDcAndProbes) {
  Bench b("hfox", element('n', "n1", {"n0", "n1"}), model("hfox", rram_card()), {0, 1}, 2);
  const Sample s = b.load({0.5, 0, 1.7});
  EXPECT_DOUBLE_EQ(s.f[2], 1.7 - 1.4);  // gap row: held at gap = 1.4 nm
  const double i = 1e-3 * std::exp(-1.7 / 0.25) * std::sinh(0.5 / 0.25);
  EXPECT_NEAR(s.f[0], i, 1e-15 * i + 1e-21);
  EXPECT_NEAR(b.quantity("i", {0.5, 0, 1.7}), i, 1e-12 * i);
  EXPECT_NEAR(b.quantity("g", {0.5, 0, 1.7}), 1e-3 * std::exp(-6.8) * std::sinh(0.8) / 0.2, 1e-18);
  EXPECT_NEAR(b.quantity("t", {0.5, 0, 1.7}), 298 + 4e5 * 0.5 * i, 1e-9);
}

TEST(RramModel, JacobianOfTheCell) {
  std::mt19937 rng(12);
  auto card = rram_card();
  card.insert(card.end(), {{"m_vto", 1.5, {}}, {"m_kp", 120e-6, {}}, {"m_w", 1e-6, {}},
                           {"m_l", 2e-6, {}}, {"m_lambda", 0.02, {}}});
  Bench b("hfox1t1r", element('n', "n1", {"n0", "n1", "n2"}), model("hfox1t1r", card), {0, 1, 2}, 3);
  ASSERT_EQ(b.size(), 5u);  // wl, bl, sl, the internal node, gap
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int k = 0; k < 30; ++k) {
    const double wl = 4.5 * u(rng), bl = 2.4 * u(rng), sl = 2.0 * u(rng) * (k % 2);
    const double mid = sl + (bl - sl) * u(rng), g = 0.25 + 1.9 * u(rng);
    const std::vector<double> x = {wl, bl, sl, mid, g};
    SCOPED_TRACE(::testing::Message() << "x " << wl << " " << bl << " " << sl << " " << mid << " " << g);
    expect_jacobian(b, x);
    expect_tran_jacobian(b, x);
  }
}

TEST(RramModel, CellSplitsItsCard) {
  auto card = rram_card();
  card.insert(card.end(), {{"m_vto", 1.5, {}}, {"m_kp", 120e-6, {}}, {"m_w", 1e-6, {}}, {"m_l", 2e-6, {}}});
  // Instance m_w overrides the card's.
  Bench b("hfox1t1r", element('n', "n1", {"n0", "n1", "n2"}, {}, {{"m_w", 2e-6, {}}}),
          model("hfox1t1r", card), {0, 1, 2}, 3);
  // Saturated transistor (vgs 2.5, vds 2): id = kp/2 W/L (vgs - vto)^2 with W/L = 1, plus
  // the reverse bulk-drain diode's leakage gmin vds + is (bulk on sl).
  EXPECT_NEAR(b.quantity("m_id", {2.5, 2.4, 0, 2.0, 1.4}), 120e-6 / 2 + 1e-12 * 2.0 + 1e-14, 1e-18);
  EXPECT_THROW(Bench("hfox1t1r", element('n', "n1", {"n0", "n1", "n2"}), 
                     model("hfox1t1r", {{"m_vto", 1, {}}, {"m_bogus", 1, {}}}), {0, 1, 2}, 3),
               InputError);
}

}  // namespace
}  // namespace ns::test
