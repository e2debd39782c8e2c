// BSIM3 (models/bsim3.cpp) on the bench: its G and C against finite differences of f and
// q in every region and every charge model (the Duals must carry every branch of the
// equations). Its numbers against ngspice: tests/sim/ngspice_bsim3.cpp.
#include <random>

#include "models/harness.hpp"

namespace ns::test {
namespace {

// The 0.25 um-like cards of tests/sim/decks/bsim3_*.cir, with overlap and junction
// capacitances.
Model card(const std::string& type, double capmod, double xpart) {
  const double s = type == "nmos" ? 1 : -1;
  std::vector<Assignment> p = {
      {"level", 49, {}},    {"tox", 5.7e-9, {}},   {"nch", 2.3e17, {}},   {"vth0", 0.45 * s, {}},
      {"k1", 0.55, {}},     {"k2", -0.02, {}},     {"k3", 40, {}},        {"w0", 1e-6, {}},
      {"nlx", 1.5e-7, {}},  {"dvt0", 2.5, {}},     {"dvt1", 0.6, {}},     {"dvt2", -0.03, {}},
      {"u0", 420, {}},      {"ua", -1e-9, {}},     {"ub", 2.5e-18, {}},   {"uc", 4e-11, {}},
      {"vsat", 1.1e5, {}},  {"a0", 1.2, {}},       {"ags", 0.3, {}},      {"keta", -0.01, {}},
      {"rdsw", 200, {}},    {"prwg", 0.1, {}},     {"wint", 1e-8, {}},    {"lint", 1.5e-8, {}},
      {"voff", -0.09, {}},  {"nfactor", 1.2, {}},  {"eta0", 0.01, {}},    {"etab", -0.02, {}},
      {"pclm", 1.4, {}},    {"pdiblc1", 0.3, {}},  {"pdiblc2", 0.005, {}}, {"pscbe1", 6e8, {}},
      {"pscbe2", 5e-5, {}}, {"a1", 0.02, {}},      {"a2", 0.8, {}},       {"cgdl", 1e-10, {}},
      {"cgsl", 1e-10, {}},  {"cgbo", 1e-11, {}},   {"cj", 1e-3, {}},      {"cjsw", 3e-10, {}},
      {"noff", 1.2, {}},    {"voffcv", 0.02, {}},  {"capmod", capmod, {}}, {"xpart", xpart, {}}};
  return model(type, p);
}

Element device() {
  return element('m', "m1", {"n0", "n1", "n2", "n3"}, {},
                 {{"w", 2e-6, {}}, {"l", 0.25e-6, {}}, {"ad", 1e-12, {}}, {"as", 1e-12, {}},
                  {"pd", 3e-6, {}}, {"ps", 3e-6, {}}});
}

TEST(Bsim3, JacobianMatchesFiniteDifferencesInEveryRegionAndChargeModel) {
  std::mt19937 rng(11);
  struct Region {
    const char* name;
    double vgs_lo, vgs_hi, vds_lo, vds_hi, vbs_lo, vbs_hi;
  };
  const Region regions[] = {
      {"subthreshold", -0.2, 0.4, 0.05, 2, -1, 0}, {"linear", 0.9, 2.5, 0.01, 0.3, -1, 0},
      {"saturation", 0.8, 2.5, 1.2, 2.5, -1, 0},   {"reverse", 0.5, 2, -2, -0.05, -0.5, 0},
      {"accumulation", -2, -0.8, 0.1, 2, -0.5, 0}, {"forward body", 0.5, 2, 0.2, 2, 0.05, 0.3}};
  const double models[][2] = {{0, 0}, {0, 1}, {1, 0.5}, {1, 0}, {2, 0}, {2, 1}, {3, 0}, {3, 0.5}, {3, 1}};
  for (const std::string type : {"nmos level=49", "pmos level=49"})
    for (const auto& [capmod, xpart] : models)
      for (const Region& r : regions) {
        const double s = type[0] == 'n' ? 1 : -1;
        Bench b(type, device(), card(type.substr(0, 4), capmod, xpart), {0, 1, 2, 3}, 4);
        for (int k = 0; k < 3; ++k) {
          auto pick = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
          const double vgs = pick(r.vgs_lo, r.vgs_hi), vds = pick(r.vds_lo, r.vds_hi),
                       vbs = std::min(0.0, vds) + pick(r.vbs_lo, r.vbs_hi);
          SCOPED_TRACE(::testing::Message() << type << " capmod " << capmod << " xpart " << xpart << " " << r.name
                                            << " vgs " << vgs << " vds " << vds << " vbs " << vbs);
          std::vector<double> x = {0.2 + s * vds, 0.2 + s * vgs, 0.2, 0.2 + s * vbs};
          expect_jacobian(b, x, 2e-4);
        }
      }
}

}  // namespace
}  // namespace ns::test
