// XSPICE zener: a diode's DC characteristic with a breakdown of its own. The current from
// z+ through the model to z- at v = v(z+) - v(z-) is the sum of
//   a diode, i_sat (exp(v / (n_forward vt)) - 1), vt = 0.026 V;
//   the breakdown, -i_breakdown exp(-(v + v_breakdown) / (r_breakdown i_breakdown)): it
//     passes i_breakdown at v = -v_breakdown with a dynamic resistance of r_breakdown;
//   the reverse leakage, a resistance v_breakdown / i_rev across the pair.
// (The manual gives each part; the sum and vt = 0.026 V are as ngspice 39 computes, to 5
// digits on a sweep from -9.3 V to 0.8 V, tests/sim/xspice_more_test.cpp.)
// limit_switch asks ngspice to limit the Newton step; the solution is the same, and
// neurospice's Newton needs no such help from the model, so it is read and not used.
#include <cmath>

#include <fmt/format.h>

#include "xspice.hpp"

namespace ns::xspice {
namespace {

using Dir = ConnectionSpec::Dir;

// exp(x), continued linearly above x = 80 (1e35 times the scale current: far past any
// solution), so that a wild Newton iterate gives a finite current.
double exp_linear(double x, double& d) {
  constexpr double top = 80;
  if (x <= top) return d = std::exp(x);
  d = std::exp(top);
  return d * (1 + x - top);
}

struct ZenerP {
  double v_bk, i_bk, r_bk, i_rev, i_sat, n, limit;
};
constexpr Param<ZenerP> zener_params[] = {
    {"v_breakdown", &ZenerP::v_bk, 5.6, above(0), inf, "V", "breakdown voltage"},
    {"i_breakdown", &ZenerP::i_bk, 2e-2, above(0), inf, "A", "current at -v_breakdown"},
    {"r_breakdown", &ZenerP::r_bk, 1, above(0), inf, "Ohm", "dynamic resistance at -v_breakdown"},
    {"i_rev", &ZenerP::i_rev, 1e-6, 0, inf, "A", "leakage current at -v_breakdown"},
    {"i_sat", &ZenerP::i_sat, 1e-12, 0, inf, "A", "saturation current"},
    {"n_forward", &ZenerP::n, 1, above(0), inf, "", "forward emission coefficient"},
    {"limit_switch", &ZenerP::limit, 0, 0, 1, "", "ngspice's Newton step limiting (not needed here)"},
};

class Zener final : public CodeModel {
public:
  explicit Zener(const DeviceInput& in)
      : CodeModel(in, {{"z", Dir::InOut, "gd", false, "gd g"}}), p_(code_params(zener_params, in, {})) {}

  void compute(const Eval& e, std::span<const double> in, std::span<const double>, Work& w) const override {
    const double v = in[0], nvt = p_.n * 0.026, rk = p_.r_bk * p_.i_bk;
    double def, deb;
    const double ef = exp_linear(v / nvt, def), eb = exp_linear(-(v + p_.v_bk) / rk, deb);
    const double g_leak = p_.i_rev / p_.v_bk;
    w.y[0] = p_.i_sat * (ef - 1) - p_.i_bk * eb + g_leak * v + e.gmin * v;
    w.dy_din[0] = p_.i_sat * def / nvt + p_.i_bk * deb / rk + g_leak + e.gmin;
  }

private:
  ZenerP p_;
};

}  // namespace

const bool zener_registered = register_model<Zener>(
    {.type = "zener",
     .summary = "XSPICE zener: a diode with a breakdown at v_breakdown of dynamic resistance r_breakdown, and leakage",
     .terminals = {"z+", "z-"},
     .example = "A1 (a b) z\n.model z zener(v_breakdown=5.1 i_breakdown=10m r_breakdown=2 i_rev=1u i_sat=1e-14)\n",
     .element = 'a'},
    zener_params);

}  // namespace ns::xspice
