#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <tuple>

#include <fmt/format.h>

#include "circuit/dual.hpp"
#include "circuit/junction.hpp"
#include "circuit/constants.hpp"
#include "circuit/convergence.hpp"
#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

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
    {"is", &P::is, 1e-14, above(0), 1, "A", "gate junction saturation current"},
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

// Local unknowns of the grid: the terminals and the nodes behind RD and RS.
enum Node { D, G, S, DP, SP, NNODE };
enum Var { VGS, VGD, NVAR };  // n-type frame, internal nodes
using Dv = Dual<NVAR>;
constexpr std::array<std::pair<Node, Node>, NVAR> var_nodes = {{{G, SP}, {G, DP}}};

// JFET level 1 as ngspice's: Shichman-Hodges drain current (beta (vgs - vto)^2 (1 +
// lambda vds) in saturation) with the Parker-Skellern doping-tail parameter B, drain and
// source interchange, gate junction diodes with gmin, their depletion charges (grading
// 1/2, linear beyond FC*PB), RD and RS through internal nodes.
class Jfet final : public Device {
public:
  Jfet(const DeviceInput& in, int polarity) : Device(in.element.name, in.element.where), type_(polarity) {
    if (!in.model) throw InputError(in.element.where, "JFET '" + name() + "' needs a .model");
    for (const auto& a : in.model->params)
      if (a.name == "level" && a.value != 1)
        throw InputError(a.where, fmt::format("JFET model '{}': level {:g} is not supported (only level 1)",
                                              in.model->name, a.value));
    p_ = resolve<P>(jfet_params, in);
  }

  void setup(Setup& s) override {
    nodes_[D] = s.terminal(0);
    nodes_[G] = s.terminal(1);
    nodes_[S] = s.terminal(2);
    nodes_[DP] = p_.rd > 0 ? s.internal_node("d") : nodes_[D];
    nodes_[SP] = p_.rs > 0 ? s.internal_node("s") : nodes_[S];
    grid_.declare(s, nodes_);
    scale_to(s.temperature());
    kelvin_ = s.temperature();
  }

  void topology(Topology& t) const override {
    t.conducts(nodes_[D], nodes_[S]);
    t.conducts(nodes_[G], nodes_[S]);
    t.conducts(nodes_[G], nodes_[D]);
  }

  void load(const Eval& e, Load& l) const override {
    const Point p = at(e);
    auto stamp = [&](Node from, Node to, const Dv& i, bool reactive) {
      grid_.controlled(l, nodes_, from, to, type_, i, var_nodes, reactive);
    };
    stamp(DP, SP, p.id, false);
    stamp(G, SP, p.igs, false);
    stamp(G, DP, p.igd, false);
    stamp(G, SP, p.qgs, true);
    stamp(G, DP, p.qgd, true);
    for (const auto& [a, b, r] : {std::tuple{D, DP, p_.rd}, std::tuple{S, SP, p_.rs}}) {
      if (r <= 0) continue;
      const double g = p_.area / r;
      const double i = g * (e.v(nodes_[a]) - e.v(nodes_[b]));
      l.f(nodes_[a], i);
      l.f(nodes_[b], -i);
      grid_.pair(l, a, b, g);
    }
  }

  double limit(const Eval& accepted, const Eval& proposed) const override {
    namespace j = junction;
    double fraction = 1;
    for (Var k : {VGS, VGD}) {
      const double vold = voltage(accepted, k), vnew = voltage(proposed, k);
      fraction = std::min(fraction, j::step_fraction(vold, vnew, j::pnjlim(vnew, vold, vt_, vcrit_)));
    }
    return fraction;
  }

  // SPICE's test (convergence.hpp) on the channel and the two gate junctions.
  bool settled(const Eval& accepted, const Eval& proposed, double reltol, double abstol) const override {
    const Point a = at(accepted), b = at(proposed);
    const std::array<double, NVAR> dv{voltage(proposed, VGS) - voltage(accepted, VGS),
                                      voltage(proposed, VGD) - voltage(accepted, VGD)};
    return current_settled(a.id, b.id, dv, reltol, abstol) && current_settled(a.igs, b.igs, dv, reltol, abstol) &&
           current_settled(a.igd, b.igd, dv, reltol, abstol);
  }

  // Thermal noise of rd and rs, of the channel 4kT (2/3) gm, and flicker KF |id|^AF / f.
  void noise(const Eval& e, double f, std::vector<NoiseSource>& out) const override {
    const Point p = at(e);
    const double four_kt = 4 * constants::boltzmann * kelvin_;
    out.push_back({"rd", nodes_[D], nodes_[DP], p_.rd > 0 ? four_kt * p_.area / p_.rd : 0});
    out.push_back({"rs", nodes_[S], nodes_[SP], p_.rs > 0 ? four_kt * p_.area / p_.rs : 0});
    const double gm = std::abs(p.id.d[VGS] + p.id.d[VGD]);
    out.push_back({"id", nodes_[DP], nodes_[SP], four_kt * 2.0 / 3.0 * gm});
    const double id = std::abs(p.id.v);
    out.push_back({"1overf", nodes_[DP], nodes_[SP], p_.kf * std::pow(std::max(id, 1e-38), p_.af) / f});
  }

  double quantity(std::size_t k, const Eval& e) const override {
    const Point p = at(e);
    const double values[] = {type_ * (p.id.v - p.igd.v),
                             type_ * (p.igs.v + p.igd.v),
                             type_ * p.vgs,
                             type_ * (p.vgs - p.vgd),
                             p.id.d[VGS] + p.id.d[VGD],
                             -p.id.d[VGD]};
    return values[k];
  }

private:
  struct Point {
    double vgs, vgd;
    Dv id, igs, igd, qgs, qgd;  // d'->s', g->s', g->d'
  };

  double voltage(const Eval& e, Var k) const {
    return type_ * (e.v(nodes_[var_nodes[k].first]) - e.v(nodes_[var_nodes[k].second]));
  }

  void scale_to(double kelvin) {
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

  Dv diode(const Dv& v, double gmin) const {
    const double vte = vt_;
    if (v.v >= -3 * vte) return is_ * (exp(v / vte) - 1) + gmin * v;
    const Dv a = 3 * vte / (v * std::numbers::e);
    return -is_ * (1 + a * a * a) + gmin * v;
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
    const Dv vgs = Dv::variable(voltage(e, VGS), VGS), vgd = Dv::variable(voltage(e, VGD), VGD);
    Point p{};
    p.vgs = vgs.v;
    p.vgd = vgd.v;
    p.igs = diode(vgs, e.gmin);
    p.igd = diode(vgd, e.gmin);
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
  int type_;  // +1 n-channel, -1 p-channel
  double kelvin_ = 300.15;
  double vt_ = 0, is_ = 0, pb_ = 0, vto_ = 0, beta_ = 0, cgs_ = 0, cgd_ = 0, vcrit_ = 0;
  std::array<Unknown, NNODE> nodes_{};
  EntryGrid<NNODE> grid_;
};

DeviceType jfet_type(std::string_view key, int polarity, std::string_view summary, std::string_view example) {
  return {key, summary, {"d", "g", "s"}, {"area"},
          [] { return describe<P>(jfet_params); },
          [] { return std::vector<StateInfo>{}; },
          [] {
            return std::vector<QuantityInfo>{{"id", "A", "drain current, into the drain (DC part)"},
                                             {"ig", "A", "gate current, into the gate"},
                                             {"vgs", "V", "internal gate-source voltage"},
                                             {"vds", "V", "internal drain-source voltage"},
                                             {"gm", "S", "transconductance d id / d vgs"},
                                             {"gds", "S", "output conductance d id / d vds"}};
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
