#include <cmath>

#include <fmt/format.h>

#include "gate_junction_fet.hpp"

namespace ns {
namespace {

struct JfetParams {
  double vto, beta, lambda, rd, rs, cgs, cgd, pb, is, n, fc, b, tnom, xti, eg, vtotc, betatce, kf, af;
  double area, off;
};

using P = JfetParams;
constexpr Param<P> jfet_params[] = {
    {"vto", &P::vto, -2, -inf, inf, "V", "threshold (pinch-off) voltage"},
    {"vt0", &P::vto, -2, -inf, inf, "V", "same as vto"},
    {"beta", &P::beta, 1e-4, 0, inf, "A/V^2", "transconductance parameter"},
    {"lambda", &P::lambda, 0, 0, 10, "1/V", "channel-length modulation"},
    {"rd", &P::rd, 0, 0, inf, "Ohm", "drain resistance"},
    {"rs", &P::rs, 0, 0, inf, "Ohm", "source resistance"},
    {"cgs", &P::cgs, 0, 0, inf, "F", "zero-bias gate-source junction capacitance"},
    {"cgd", &P::cgd, 0, 0, inf, "F", "zero-bias gate-drain junction capacitance"},
    {"pb", &P::pb, 1, 0.01, 10, "V", "gate junction potential"},
    {"is", &P::is, 1e-14, above(0), inf, "A", "gate junction saturation current"},
    {"n", &P::n, 1, 0.01, 100, "", "emission coefficient: accepted, unused (ngspice-39's gate diode ignores it, measured)"},
    {"fc", &P::fc, 0.5, 0, 0.95, "", "forward-bias depletion capacitance coefficient"},
    {"b", &P::b, 1, 0, 10, "", "doping tail parameter (Parker-Skellern; 1: square law)"},
    {"tnom", &P::tnom, 27, -273, 1000, "degC", "parameter measurement temperature"},
    {"xti", &P::xti, 0, -100, 100, "", "IS temperature exponent (ngspice-39's default 0)"},
    {"eg", &P::eg, 1.11, 0.1, 10, "eV", "energy gap for IS's temperature dependence"},
    {"vtotc", &P::vtotc, 0, -inf, inf, "V/K", "threshold temperature coefficient"},
    {"betatce", &P::betatce, 0, -inf, inf, "%/K", "beta exponential temperature coefficient"},
    {"kf", &P::kf, 0, 0, inf, "", "flicker noise coefficient (of the drain current)"},
    {"af", &P::af, 1, 0, 10, "", "flicker noise exponent"},
    {"area", &P::area, 1, above(0), inf, "", "area factor", Scope::Instance},
    {"off", &P::off, 0, 0, 1, "", "initial-guess flag: accepted; the operating point starts from zero voltages anyway", Scope::Instance},
};

using namespace gate_fet;

// JFET level 1 as ngspice's: Shichman-Hodges drain current (beta (vgs - vto)^2 (1 +
// lambda vds) in saturation) with the Parker-Skellern doping-tail parameter B, drain and
// source interchange, gate junction diodes with gmin, their depletion charges (grading
// 1/2, linear beyond FC*PB), RD and RS through internal nodes.
class Jfet final : public GateJunctionFet {
public:
  Jfet(const DeviceInput& in, int polarity) : GateJunctionFet(in, polarity) {
    if (!in.model) throw InputError(in.element.where, "JFET '" + name() + "' needs a .model");
    for (const auto& a : in.model->params)
      if (a.name == "level" && a.value != 1)
        throw InputError(a.where, fmt::format("JFET model '{}': level {:g} is not supported (only level 1)",
                                              in.model->name, a.value));
    p_ = resolve<P>(jfet_params, in);
    series_ = {p_.rd, p_.rs, p_.area, p_.kf, p_.af};
  }

  void load(const Eval& e, Load& l) const override {
    const Point p = at(e);
    load_currents(e, l, p);
    stamp(l, G, SP, p.qgs, true);
    stamp(l, G, DP, p.qgd, true);
  }

  double quantity(std::size_t k, const Eval& e) const override { return quantity_of(k, at(e)); }

private:
  struct Point : Currents {
    Dv qgs, qgd;  // gate junction charges g->s', g->d'
  };

  Currents currents(const Eval& e) const override { return at(e); }

  void at_temperature(double kelvin) override {
    namespace j = junction;
    const double tnom = p_.tnom + j::zero_celsius;
    vt_ = j::thermal_voltage(kelvin);
    const double vte = vt_;
    is_ = p_.is * p_.area * std::exp((kelvin / tnom - 1) * p_.eg / vte + p_.xti * std::log(kelvin / tnom));
    pb_ = j::potential_at(p_.pb, tnom, kelvin);
    vto_ = p_.vto + p_.vtotc * (kelvin - tnom);
    beta_ = p_.beta * p_.area * std::pow(1.01, p_.betatce * (kelvin - tnom));
    const double factor = j::capacitance_factor(p_.pb, 0.5, tnom, kelvin);
    cgs_ = p_.cgs * p_.area * factor;
    cgd_ = p_.cgd * p_.area * factor;
    vcrit_ = vte * std::log(vte / (std::sqrt(2.0) * is_));
  }

  // Depletion charge with grading 1/2.
  Dv depletion(const Dv& v, double cz) const {
    if (cz == 0) return Dv{};
    const double fcp = p_.fc * pb_;
    if (v.v < fcp) return 2 * cz * pb_ * (1 - sqrt(1 - v / pb_));
    const double f1 = 2 * pb_ * (1 - std::sqrt(1 - p_.fc));
    const double f2 = std::pow(1 - p_.fc, 1.5), f3 = 1 - 1.5 * p_.fc;
    return cz * f1 + cz / f2 * (f3 * (v - fcp) + (v * v - fcp * fcp) / (4 * pb_));
  }

  Point at(const Eval& e) const {
    Dv vgs, vgd;
    Point p{junctions(e, vgs, vgd), {}, {}};
    p.qgs = depletion(vgs, cgs_);
    p.qgd = depletion(vgd, cgd_);
    // The channel, from the acting drain to the acting source.
    const bool normal = vgs.v - vgd.v >= 0;
    const Dv vds = normal ? vgs - vgd : vgd - vgs;
    const Dv vgst = (normal ? vgs : vgd) - vto_;
    if (vgst.v > 0) {
      const Dv betap = beta_ * (1 + p_.lambda * vds);
      const double bfac = (1 - p_.b) / (p_.pb - p_.vto);  // TNOM values, as ngspice-39 (measured)
      Dv id;
      if (vgst.v >= vds.v) id = betap * vds * (vds * (bfac * vds - p_.b) + vgst * (2 * p_.b + 3 * bfac * (vgst - vds)));
      else id = betap * vgst * vgst * (p_.b + bfac * vgst);
      p.id = normal ? id : -id;
    }
    return p;
  }

  P p_;
  double pb_ = 0, vto_ = 0, beta_ = 0, cgs_ = 0, cgd_ = 0;
};

DeviceType jfet_type(std::string_view key, int polarity, std::string_view summary, std::string_view example) {
  return {key, summary, {"d", "g", "s"}, {"area"},
          [] { return describe<P>(jfet_params); },
          [] { return std::vector<StateInfo>{}; },
          [] {
            return quantities();
          },
          [polarity](const DeviceInput& in) { return std::make_unique<Jfet>(in, polarity); },
          example, 'j'};
}

}  // namespace

const bool registered =
    register_device_type(jfet_type("njf", 1, "n-channel JFET, level 1 (Shichman-Hodges, as ngspice)",
                                   "J1 d g s jn 2\n.model jn njf vto=-1.5 beta=2m lambda=0.02 rd=10 rs=5 "
                                   "cgs=2p cgd=1p b=0.8\n")) &&
    register_device_type(jfet_type("pjf", -1, "p-channel JFET, level 1 (Shichman-Hodges, as ngspice)",
                                   "J1 d g s jp\n.model jp pjf vto=-1 beta=1m lambda=0.01 rd=20 cgs=1p cgd=1p\n"));

}  // namespace ns
