// GaAs MESFET, level 1: the model of Statz, Newman, Smith, Pucel and Haus (IEEE Trans.
// Electron Devices 34(2), 1987), the Z element's NMF/PMF model as ngspice's level 1.
//
// Drain current, for vgs > VTO (zero below), acting source and drain interchanged when
// vds < 0:
//   id = BETA (vgs - VTO)^2 / (1 + B (vgs - VTO)) (1 + LAMBDA vds) k(vds),
//   k = 1 - (1 - ALPHA vds / 3)^3 for vds < 3 / ALPHA, 1 beyond (the paper's polynomial
//   in place of tanh(ALPHA vds)).
// Gate capacitances: the paper's, the derivatives of one gate charge in vgs and vgd,
// with its delta = 0.2 V and its Vmax = 0.5 V, beyond which the gate-source depletion
// capacitance stays at its value there. Gate junction diodes as the JFET's; RD and RS
// through internal nodes; everything but RD and RS scaled by AREA.
//
// What ngspice-39 does that its manual does not say, measured on its own runs: BETA
// defaults to 2.5e-3; the diodes use vt at 300.15 K whatever TEMP and ignore N; the model
// has no temperature dependence; FC does not enter the capacitances (Vmax is 0.5 V
// whatever PB and FC).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "gate_junction_fet.hpp"

namespace ns {
namespace {

struct MesfetParams {
  double vto, beta, b, alpha, lambda, rd, rs, cgs, cgd, pb, is, n, fc, kf, af;
  double area, off;
};

using P = MesfetParams;
constexpr Param<P> mesfet_params[] = {
    {"vto", &P::vto, -2, -inf, inf, "V", "pinch-off voltage"},
    {"vt0", &P::vto, -2, -inf, inf, "V", "same as vto"},
    {"beta", &P::beta, 2.5e-3, 0, inf, "A/V^2", "transconductance parameter (ngspice-39's default, measured)"},
    {"b", &P::b, 0.3, 0, inf, "1/V", "doping tail extending parameter"},
    {"alpha", &P::alpha, 2, above(0), inf, "1/V", "saturation voltage parameter"},
    {"lambda", &P::lambda, 0, 0, 10, "1/V", "channel-length modulation"},
    {"rd", &P::rd, 0, 0, inf, "Ohm", "drain ohmic resistance"},
    {"rs", &P::rs, 0, 0, inf, "Ohm", "source ohmic resistance"},
    {"cgs", &P::cgs, 0, 0, inf, "F", "zero-bias gate-source junction capacitance"},
    {"cgd", &P::cgd, 0, 0, inf, "F", "zero-bias gate-drain junction capacitance"},
    {"pb", &P::pb, 1, above(0.5), 10, "V", "gate junction potential (above Statz's Vmax, 0.5 V)"},
    {"is", &P::is, 1e-14, above(0), inf, "A", "gate junction saturation current"},
    {"n", &P::n, 1, 0.01, 100, "", "emission coefficient: accepted, unused (ngspice-39 ignores it, measured)"},
    {"fc", &P::fc, 0.5, 0, 0.95, "", "forward-bias capacitance coefficient: accepted, unused (as ngspice-39, measured)"},
    {"kf", &P::kf, 0, 0, inf, "", "flicker noise coefficient (of the drain current)"},
    {"af", &P::af, 1, 0, 10, "", "flicker noise exponent"},
    {"area", &P::area, 1, above(0), inf, "", "area factor", Scope::Instance},
    {"off", &P::off, 0, 0, 1, "", "initial-guess flag: accepted; the operating point starts from zero voltages anyway", Scope::Instance},
};

using namespace gate_fet;

class Mesfet final : public GateJunctionFet {
public:
  Mesfet(const DeviceInput& in, int polarity) : GateJunctionFet(in, polarity) {
    if (!in.model) throw InputError(in.element.where, "MESFET '" + name() + "' needs a .model");
    for (const auto& a : in.model->params)
      if (a.name == "level" && a.value != 1)
        throw InputError(a.where, fmt::format("MESFET model '{}': level {:g} is not supported (only level 1, Statz)",
                                              in.model->name, a.value));
    p_ = resolve<P>(mesfet_params, in);
    series_ = {p_.rd, p_.rs, p_.area, p_.kf, p_.af};
    vt_ = junction::thermal_voltage(junction::ref_temp);
    is_ = p_.is * p_.area;
    beta_ = p_.beta * p_.area;
    cgs_ = p_.cgs * p_.area;
    cgd_ = p_.cgd * p_.area;
    vcrit_ = vt_ * std::log(vt_ / (std::sqrt(2.0) * is_));
  }

  // Statz's capacitances are derivatives of the gate's charge alone; how it divides
  // between source and drain has no charge function, so they enter C only, as SPICE
  // integrates them (C dv).
  bool charges_complete() const override { return cgs_ == 0 && cgd_ == 0; }

  void load(const Eval& e, Load& l) const override {
    const Currents p = at(e);
    load_currents(e, l, p);
    if (cgs_ > 0 || cgd_ > 0) {
      const auto [cgs, cgd] = capacitances(p.vgs, p.vgd);
      grid_.pair(l, G, SP, cgs, true);
      grid_.pair(l, G, DP, cgd, true);
    }
  }

  double quantity(std::size_t k, const Eval& e) const override {
    const Currents p = at(e);
    if (k < 6) return quantity_of(k, p);
    const auto [cgs, cgd] = capacitances(p.vgs, p.vgd);
    return k == 6 ? cgs : cgd;
  }

private:
  Currents currents(const Eval& e) const override { return at(e); }

  // Statz's gate charge Q(vgs, vgd) = Cgs0 2 PB (1 - sqrt(1 - Vnew / PB)) + Cgd0 Veff2,
  // with Veff and Veff2 the larger and smaller of vgs and vgd smoothed over 1 / ALPHA and
  // Vnew Veff smoothed onto VTO over delta; its derivatives:
  //   Cgs = Cgs0 K1 K2 / sqrt(1 - Vnew / PB) + Cgd0 K3,  Cgd = Cgs0 K1 K3 / sqrt(...) + Cgd0 K2.
  std::pair<double, double> capacitances(double vgs, double vgd) const {
    constexpr double delta = 0.2, vmax = 0.5;
    const double root = std::hypot(vgs - vgd, 1 / p_.alpha);
    const double veff = 0.5 * (vgs + vgd + root);
    const double k2 = 0.5 * (1 + (vgs - vgd) / root), k3 = 0.5 * (1 - (vgs - vgd) / root);
    const double r = std::hypot(veff - p_.vto, delta);
    const double vnew = 0.5 * (veff + p_.vto + r);
    const double k1 = 0.5 * (1 + (veff - p_.vto) / r);
    const double depletion = cgs_ * k1 / std::sqrt(1 - std::min(vnew, vmax) / p_.pb);
    return {depletion * k2 + cgd_ * k3, depletion * k3 + cgd_ * k2};
  }

  Currents at(const Eval& e) const {
    Dv vgs, vgd;
    Currents p = junctions(e, vgs, vgd);
    const bool normal = vgs.v - vgd.v >= 0;
    const Dv vds = normal ? vgs - vgd : vgd - vgs;
    const Dv vgst = (normal ? vgs : vgd) - p_.vto;
    if (vgst.v > 0) {
      Dv id = beta_ * vgst * vgst / (1 + p_.b * vgst) * (1 + p_.lambda * vds);
      if (vds.v < 3 / p_.alpha) {
        const Dv u = 1 - p_.alpha * vds / 3;
        id = id * (1 - u * u * u);
      }
      p.id = normal ? id : -id;
    }
    return p;
  }

  P p_;
  double beta_ = 0, cgs_ = 0, cgd_ = 0;
};

DeviceType mesfet_type(std::string_view key, int polarity, std::string_view summary, std::string_view example) {
  return {key, summary, {"d", "g", "s"}, {"area"},
          [] { return describe<P>(mesfet_params); },
          [] { return std::vector<StateInfo>{}; },
          [] {
            auto q = quantities();
            q.push_back({"cgs", "F", "gate-source capacitance (Statz)"});
            q.push_back({"cgd", "F", "gate-drain capacitance (Statz)"});
            return q;
          },
          [polarity](const DeviceInput& in) { return std::make_unique<Mesfet>(in, polarity); },
          example, 'z'};
}

}  // namespace

const bool registered =
    register_device_type(mesfet_type("nmf", 1, "n-channel GaAs MESFET, level 1 (Statz et al. 1987, as ngspice)",
                                     "Z1 d g s zn 2\n.model zn nmf vto=-1.5 beta=2m b=0.4 alpha=2.5 lambda=0.05 "
                                     "rd=10 rs=5 cgs=2p cgd=0.5p\n")) &&
    register_device_type(mesfet_type("pmf", -1, "p-channel GaAs MESFET, level 1 (Statz et al. 1987, as ngspice)",
                                     "Z1 d g s zp\n.model zp pmf vto=-1 beta=1m alpha=3 lambda=0.02 rd=20 cgs=1p cgd=0.3p\n"));

}  // namespace ns
