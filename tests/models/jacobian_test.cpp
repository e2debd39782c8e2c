// Every model's G against finite differences of f and C against finite differences of
// q, at random operating points in each region (relative tolerance 1e-5 plus a floor of
// 1e-9 of the matrix's largest entry, see harness.hpp).
#include "harness.hpp"

namespace ns::test {
namespace {

constexpr double rtol = 1e-5;

std::vector<double> random_x(std::mt19937& rng, std::size_t n, double lo, double hi) {
  std::uniform_real_distribution<double> d(lo, hi);
  std::vector<double> x(n);
  for (auto& v : x) v = d(rng);
  return x;
}

TEST(Jacobian, LinearElements) {
  std::mt19937 rng(1);
  const Bench benches[] = {
      Bench("r", element('r', "r1", {"n0", "n1"}, {2.2e3}), {}, {0, 1}, 2),
      Bench("r", element('r', "r2", {"n0", "0"}, {47}), {}, {0, ground}, 1),
      Bench("c", element('c', "c1", {"n0", "n1"}, {1e-9}), {}, {0, 1}, 2),
      Bench("l", element('l', "l1", {"n0", "n1"}, {3e-6}), {}, {0, 1}, 2),
      Bench("v", [] { auto e = element('v', "v1", {"n0", "n1"}); e.groups = {group("dc", {5})}; return e; }(),
            {}, {0, 1}, 2),
      Bench("i", [] { auto e = element('i', "i1", {"n0", "n1"}); e.groups = {group("dc", {1e-3})}; return e; }(),
            {}, {0, 1}, 2),
      Bench("e", element('e', "e1", {"n0", "n1", "n2", "n3"}, {4.5}), {}, {0, 1, 2, 3}, 4),
      Bench("g", element('g', "g1", {"n0", "n1", "n2", "n3"}, {2e-3}), {}, {0, 1, 2, 3}, 4),
      Bench("f", [] { auto e = element('f', "f1", {"n0", "n1"}, {3}); e.control = "vc"; return e; }(),
            {}, {0, 1}, 2, 300.15, {"vc"}),
      Bench("h", [] { auto e = element('h', "h1", {"n0", "n1"}, {1e3}); e.control = "vc"; return e; }(),
            {}, {0, 1}, 2, 300.15, {"vc"}),
  };
  for (const auto& b : benches)
    for (int k = 0; k < 5; ++k) {
      SCOPED_TRACE(b.device().name());
      expect_jacobian(b, random_x(rng, b.size(), -3, 3), rtol);
    }
}

TEST(Jacobian, LinearElementStamps) {
  // The values themselves, not only their consistency: a few exact entries.
  Bench l("l", element('l', "l1", {"n0", "n1"}, {3e-6}), {}, {0, 1}, 2);
  const Sample s = l.load({1.0, 0.25, 2e-3});
  EXPECT_DOUBLE_EQ(s.f[2], 0.75);       // branch row: v(a) - v(b)
  EXPECT_DOUBLE_EQ(s.q[2], -3e-6 * 2e-3);
  EXPECT_DOUBLE_EQ(s.f[0], 2e-3);
  Bench e("e", element('e', "e1", {"n0", "n1", "n2", "n3"}, {4.5}), {}, {0, 1, 2, 3}, 4);
  EXPECT_DOUBLE_EQ(e.load({1, 0.5, 0.3, 0.1, 0}).f[4], 0.5 - 4.5 * 0.2);
  Bench g("g", element('g', "g1", {"n0", "n1", "n2", "n3"}, {2e-3}), {}, {0, 1, 2, 3}, 4);
  EXPECT_DOUBLE_EQ(g.load({0, 0, 1.5, 0.5}).f[0], 2e-3);
  EXPECT_DOUBLE_EQ(g.load({0, 0, 1.5, 0.5}).f[1], -2e-3);
  auto fe = element('f', "f1", {"n0", "n1"}, {3});
  fe.control = "vc";
  Bench f("f", fe, {}, {0, 1}, 2, 300.15, {"vc"});
  EXPECT_DOUBLE_EQ(f.load({0, 0, 2e-3}).f[0], 6e-3);
  auto he = element('h', "h1", {"n0", "n1"}, {1e3});
  he.control = "vc";
  Bench h("h", he, {}, {0, 1}, 2, 300.15, {"vc"});
  EXPECT_DOUBLE_EQ(h.load({2.5, 0.5, 1e-3, 0}).f[3], 2.0 - 1e3 * 1e-3);  // x: n0 n1 i(vc) i(h1)
}

Model diode_model(bool rs) {
  std::vector<Assignment> p = {{"is", 2e-14, {}}, {"n", 1.3, {}}, {"cjo", 2e-12, {}},
                               {"vj", 0.7, {}},   {"m", 0.4, {}},  {"tt", 5e-9, {}},
                               {"bv", 12, {}},    {"ibv", 1e-4, {}}};
  if (rs) p.push_back({"rs", 8, {}});
  return model("d", p);
}

TEST(Jacobian, Diode) {
  std::mt19937 rng(2);
  const double bv = 12;
  // Junction-voltage ranges: reverse, the cubic reverse branch, forward below and above
  // FC*VJ, breakdown.
  const std::pair<double, double> regions[] = {{-0.02, 0.2},  {-5, -0.5}, {0.2, 0.34},
                                               {0.4, 0.8},    {-bv - 0.3, -bv - 0.05}};
  for (bool rs : {false, true})
    for (auto [lo, hi] : regions) {
      Bench b("d", element('d', "d1", {"n0", "n1"}, {1.5}), diode_model(rs), {0, 1}, 2, 320);
      for (int k = 0; k < 4; ++k) {
        std::uniform_real_distribution<double> d(lo, hi);
        const double vd = d(rng), vk = d(rng) - 1;
        std::vector<double> x(b.size());
        x[1] = vk;
        x[0] = vk + vd;
        if (rs) x[2] = vk + vd, x[0] = x[2] + 0.05;  // anode a little above the junction
        SCOPED_TRACE(::testing::Message() << "rs " << rs << " vd " << vd);
        expect_jacobian(b, x, rtol);
      }
    }
}

Model mos_model(std::string type, bool resistances, bool tox) {
  const double s = type == "nmos" ? 1 : -1;
  std::vector<Assignment> p = {{"vto", 0.7 * s, {}}, {"kp", 110e-6, {}}, {"gamma", 0.45, {}},
                               {"phi", 0.7, {}},     {"lambda", 0.04, {}}, {"is", 1e-13, {}},
                               {"cgso", 2e-10, {}},  {"cgdo", 3e-10, {}}, {"cgbo", 1e-10, {}},
                               {"cj", 2e-4, {}},     {"mj", 0.45, {}},    {"cjsw", 3e-10, {}},
                               {"mjsw", 0.3, {}},    {"pb", 0.85, {}},    {"cbd", 1e-14, {}}};
  if (resistances) p.insert(p.end(), {{"rd", 15, {}}, {"rs", 25, {}}});
  if (tox) p.push_back({"tox", 2e-8, {}});
  return model(type, p);
}

Element mos_element() {
  return element('m', "m1", {"n0", "n1", "n2", "n3"}, {},
                 {{"w", 12e-6, {}}, {"l", 1.5e-6, {}}, {"ad", 3e-11, {}}, {"as", 4e-11, {}},
                  {"pd", 2e-5, {}}, {"ps", 2.4e-5, {}}});
}

// x in the n-type frame (vgs, vds, vbs) made real for the given polarity; with internal
// nodes the terminals sit slightly outside them.
std::vector<double> mos_x(const Bench& b, double s, double vgs, double vds, double vbs) {
  std::vector<double> x(b.size());
  const double vs = 0.3 * s;
  x[2] = vs;
  x[1] = vs + s * vgs;
  x[0] = vs + s * vds;
  x[3] = vs + s * vbs;
  if (b.size() == 6) {  // n0 d, n1 g, n2 s, n3 b, then d', s'
    x[4] = x[0];
    x[5] = x[2];
    x[0] += 0.01 * s;
    x[2] -= 0.02 * s;
  }
  return x;
}

TEST(Jacobian, Mosfet) {
  std::mt19937 rng(3);
  struct Region {
    const char* name;
    double vgs_lo, vgs_hi, vds_lo, vds_hi, vbs_lo, vbs_hi;
  };
  const Region regions[] = {
      {"cutoff", -1, 0.5, 0.1, 3, -2, 0},
      {"linear", 2.5, 4, 0.05, 1, -2, 0},
      {"saturation", 1.2, 2, 2, 4, -2, 0},
      {"reverse saturation", -1.5, -1, -4, -3, -1, 0},  // acting vgs = vgd, in 1.5..3 V
      {"reverse linear", 3.5, 4, -0.8, -0.05, -1, 0},
      {"forward body bias", 2, 3, 0.5, 3, 0.05, 0.3},
  };
  for (const std::string type : {"nmos", "pmos"})
    for (bool resistances : {false, true})
      for (const Region& r : regions) {
        const double s = type == "nmos" ? 1 : -1;
        Bench b(type, mos_element(), mos_model(type, resistances, false), {0, 1, 2, 3}, 4, 330);
        for (int k = 0; k < 4; ++k) {
          auto pick = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
          // vbs is taken below min(0, vds), so that reverse mode reverse-biases bulk-drain.
          const double vgs = pick(r.vgs_lo, r.vgs_hi), vds = pick(r.vds_lo, r.vds_hi),
                       vbs = std::min(0.0, vds) + pick(r.vbs_lo, r.vbs_hi);
          SCOPED_TRACE(::testing::Message() << type << " rd/rs " << resistances << " " << r.name
                                            << " vgs " << vgs << " vds " << vds << " vbs " << vbs);
          expect_jacobian(b, mos_x(b, s, vgs, vds, vbs), rtol);
        }
      }
}

TEST(Jacobian, MosfetWithMeyerCapacitancesStillHasExactG) {
  // Meyer's capacitances have no charge to differentiate; G is still checked here, and
  // their values in mosfet_test.cpp.
  std::mt19937 rng(4);
  for (const std::string type : {"nmos", "pmos"}) {
    const double s = type == "nmos" ? 1 : -1;
    Bench b(type, mos_element(), mos_model(type, true, true), {0, 1, 2, 3}, 4);
    for (int k = 0; k < 3; ++k) {
      const auto x = mos_x(b, s, 1.5 + k, 0.5 + k, -0.5 * k);
      const Sample p = b.load(x);
      for (std::size_t j = 0; j < b.size(); ++j) {
        const double h = 1e-6;
        auto xp = x, xm = x;
        xp[j] += h;
        xm[j] -= h;
        const Sample sp = b.load(xp), sm = b.load(xm);
        for (std::size_t i = 0; i < b.size(); ++i) {
          const double dg = (sp.f[i] - sm.f[i]) / (2 * h);
          EXPECT_NEAR(p.G[i][j], dg, rtol * std::abs(dg) + 1e-12) << type << " G[" << i << "][" << j << "]";
        }
      }
    }
  }
}

}  // namespace
}  // namespace ns::test
