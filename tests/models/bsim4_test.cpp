// BSIM4 (models/bsim4.cpp) on the bench: its G and C against finite differences of f and
// q in every region (the Duals must carry every branch of the equations), and the
// parameter set's refusals. Its numbers against ngspice: tests/sim/ngspice_bsim4.cpp.
#include <random>

#include "models/harness.hpp"

namespace ns::test {
namespace {

// A 45-nm-like card of our own (the values of tests/sim/decks/bsim4_models.inc).
Model card(const std::string& type) {
  const double s = type == "nmos" ? 1 : -1;
  std::vector<Assignment> p = {
      {"level", 54, {}}, {"toxe", 1.3e-9, {}}, {"toxp", 1.05e-9, {}}, {"toxm", 1.3e-9, {}},
      {"wint", 4e-9, {}}, {"lint", 3.5e-9, {}}, {"xl", -18e-9, {}}, {"vth0", 0.44 * s, {}},
      {"k1", 0.42, {}}, {"k2", 0.01, {}}, {"k3", 0, {}}, {"dvt0", 1.2, {}}, {"dvt1", 2.1, {}},
      {"dsub", 0.12, {}}, {"minv", 0.04, {}}, {"dvtp0", 1.2e-10, {}}, {"dvtp1", 0.1, {}},
      {"lpe0", 0, {}}, {"xj", 1.5e-8, {}}, {"ndep", 3e18, {}}, {"voff", -0.12, {}},
      {"nfactor", 2, {}}, {"eta0", 0.006, {}}, {"u0", 0.05, {}}, {"ua", 7e-10, {}},
      {"ub", 1.1e-18, {}}, {"vsat", 1.6e5, {}}, {"a0", 1.1, {}}, {"ags", 0.02, {}},
      {"keta", 0.03, {}}, {"pclm", 0.03, {}}, {"pdiblc1", 0.002, {}}, {"pdiblc2", 0.0012, {}},
      {"pdiblcb", -0.004, {}}, {"pscbe1", 8e8, {}}, {"pscbe2", 1e-7, {}}, {"fprout", 0.15, {}},
      {"pdits", 0.07, {}}, {"pditsd", 0.2, {}}, {"pditsl", 2.1e6, {}}, {"rdsw", 150, {}},
      {"prwg", 0.1, {}}, {"alpha0", 0.07, {}}, {"beta0", 28, {}}, {"cgso", 1e-10, {}},
      {"cgdo", 1e-10, {}}, {"cgbo", 2.5e-11, {}}, {"cgsl", 2.5e-10, {}}, {"cgdl", 2.5e-10, {}},
      {"ckappas", 0.03, {}}, {"noff", 0.9, {}}, {"voffcv", 0.02, {}}, {"jss", 1e-4, {}},
      {"jsws", 1e-11, {}}, {"cjs", 5e-4, {}}, {"cjsws", 5e-10, {}}, {"cjswgs", 3e-10, {}},
      {"ngate", 1e23, {}}, {"agidl", 2e-4, {}}, {"bgidl", 2.1e9, {}}, {"cgidl", 2e-4, {}},
      {"egidl", 0.8, {}}};
  return model(type, p);
}

Element device() {
  return element('m', "m1", {"n0", "n1", "n2", "n3"}, {},
                 {{"w", 1e-6, {}}, {"l", 45e-9, {}}, {"ad", 1e-13, {}}, {"as", 1e-13, {}},
                  {"pd", 2.2e-6, {}}, {"ps", 2.2e-6, {}}});
}

TEST(Bsim4, JacobianMatchesFiniteDifferencesInEveryRegion) {
  std::mt19937 rng(7);
  struct Region {
    const char* name;
    double vgs_lo, vgs_hi, vds_lo, vds_hi, vbs_lo, vbs_hi;
  };
  const Region regions[] = {
      {"subthreshold", -0.3, 0.35, 0.05, 1, -0.5, 0}, {"linear", 0.6, 1.2, 0.01, 0.2, -0.5, 0},
      {"saturation", 0.5, 1.2, 0.6, 1.2, -0.5, 0},     {"reverse", 0.3, 1.0, -1, -0.05, -0.3, 0},
      {"accumulation", -1.2, -0.4, 0.1, 1, -0.3, 0},    {"forward body", 0.4, 1, 0.2, 1, 0.05, 0.3}};
  for (const std::string type : {"nmos level=54", "pmos level=54"})
    for (const Region& r : regions) {
      const double s = type[0] == 'n' ? 1 : -1;
      Bench b(type, device(), card(type.substr(0, 4)), {0, 1, 2, 3}, 4);
      for (int k = 0; k < 5; ++k) {
        auto pick = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
        const double vgs = pick(r.vgs_lo, r.vgs_hi), vds = pick(r.vds_lo, r.vds_hi),
                     vbs = std::min(0.0, vds) + pick(r.vbs_lo, r.vbs_hi);
        SCOPED_TRACE(::testing::Message() << type << " " << r.name << " vgs " << vgs << " vds " << vds
                                          << " vbs " << vbs);
        std::vector<double> x = {0.2 + s * vds, 0.2 + s * vgs, 0.2, 0.2 + s * vbs};
        expect_jacobian(b, x, 2e-4);
      }
    }
}

// SPICE's bypass (Eval::bypass): within the tolerances of its last evaluation the device
// loads that evaluation's linearisation, f0 + G0 dx, with G0 and C0; beyond them, or at
// another gmin, it evaluates afresh.
TEST(Bsim4, BypassLoadsTheLastLinearisationWithinTolerance) {
  const Eval::Bypass bypass{1e-3, 1e-6, 1e-12};
  for (const std::string type : {"nmos level=54", "pmos level=54"}) {
    SCOPED_TRACE(type);
    const double s = type[0] == 'n' ? 1 : -1;
    Bench b(type, device(), card(type.substr(0, 4)), {0, 1, 2, 3}, 4);
    const std::vector<double> x0 = {0.2 + s * 0.6, 0.2 + s * 0.7, 0.2, 0.2 - s * 0.1};
    const Sample fresh0 = b.load(x0), first = b.load(x0, Mode::Tran, 0, 1e-12, bypass);
    EXPECT_EQ(first.f, fresh0.f);
    EXPECT_EQ(first.G, fresh0.G);

    // 2 uV on the gate: within vntol + reltol |v|, and the drain current moves by ~1e-5.
    std::vector<double> x1 = x0;
    x1[1] += s * 2e-6;
    const Sample near = b.load(x1, Mode::Tran, 0, 1e-12, bypass), fresh1 = b.load(x1);
    double largest_f = 0;
    for (std::size_t i = 0; i < 4; ++i) largest_f = std::max(largest_f, std::abs(fresh1.f[i]));
    bool differs = false;
    for (std::size_t i = 0; i < 4; ++i) {
      double linear = fresh0.f[i];
      for (std::size_t j = 0; j < 4; ++j) linear += fresh0.G[i][j] * (x1[j] - x0[j]);
      EXPECT_NEAR(near.f[i], linear, 1e-12 * largest_f) << i;
      // The second-order remainder a fresh evaluation adds: far inside reltol.
      EXPECT_NEAR(near.f[i], fresh1.f[i], 1e-6 * largest_f) << i;
      differs = differs || near.f[i] != fresh1.f[i];
    }
    EXPECT_TRUE(differs) << "the load was evaluated afresh, not bypassed";
    EXPECT_EQ(near.G, fresh0.G);
    EXPECT_EQ(near.C, fresh0.C);

    // 10 mV on the gate: beyond the tolerance, evaluated afresh; so is another gmin.
    std::vector<double> x2 = x0;
    x2[1] += s * 0.01;
    EXPECT_EQ(b.load(x2, Mode::Tran, 0, 1e-12, bypass).f, b.load(x2).f);
    EXPECT_EQ(b.load(x2, Mode::Tran, 0, 1e-9, bypass).f, b.load(x2, Mode::Dc, 0, 1e-9).f);
  }
}

}  // namespace
}  // namespace ns::test
