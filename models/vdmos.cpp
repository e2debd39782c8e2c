#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string_view>
#include <tuple>

#include <fmt/format.h>

#include "circuit/constants.hpp"
#include "circuit/dual.hpp"
#include "circuit/junction.hpp"
#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct VdmosParams {
  double nchan, pchan, vto, kp, phi, lambda, theta, mtriode, ksubthres, subshift, rd, rs, rg, rds;
  double cgs, cgdmin, cgdmax, a;
  double is, n, rb, cjo, vj, m, fc, tt, bv, ibv, nbv, eg, xti;
  double tnom, tcvth, mu, texp0, texp1;
  double kf, af;
  double rq, vq, subslope, rthjc, rthca, cthj, cthca, vgs_max, vgd_max, vds_max, vgsr_max, vgdr_max,
      pd_max, id_max, idr_max, te_max, rth_ext, derating, vds, ron, qg;
  double temp, dtemp, off, thermal;
  double tc0, tc1, tc2, tc3, tc4, tc5, tc6, tc7, tc8, tc9;  // refused when not 0
};

constexpr double not_given = -1e300;  // temp: the circuit's

using P = VdmosParams;
constexpr Param<P> vdmos_params[] = {
    {"nchan", &P::nchan, 0, 0, 1, "", "flag: n-channel (the default)"},
    {"pchan", &P::pchan, 0, 0, 1, "", "flag: p-channel"},
    {"vto", &P::vto, 0, -inf, inf, "V", "threshold voltage"},
    {"vt0", &P::vto, 0, -inf, inf, "V", "same as vto"},
    {"kp", &P::kp, 1, 0, inf, "A/V^2", "transconductance parameter"},
    {"phi", &P::phi, 0.6, 0, inf, "V", "surface potential: accepted, unused (no body effect)"},
    {"lambda", &P::lambda, 0, 0, inf, "1/V", "channel-length modulation"},
    {"theta", &P::theta, 0, 0, inf, "1/V", "mobility reduction 1 / (1 + theta vgs)"},
    {"mtriode", &P::mtriode, 1, above(0), inf, "", "conductance multiplier in the triode region"},
    {"ksubthres", &P::ksubthres, 0.1, 0, inf, "V", "subthreshold slope (0: sharp cut-off)"},
    {"subshift", &P::subshift, 0, -inf, inf, "V", "shift of the subthreshold curve along vgs"},
    {"rd", &P::rd, 0, 0, inf, "Ohm", "drain resistance"},
    {"rs", &P::rs, 0, 0, inf, "Ohm", "source resistance"},
    {"rg", &P::rg, 0, 0, inf, "Ohm", "gate resistance"},
    {"rds", &P::rds, 1e15, above(0), inf, "Ohm", "drain-source shunt resistance"},
    {"cgs", &P::cgs, 0, 0, inf, "F", "gate-source capacitance (constant)"},
    {"cgdmin", &P::cgdmin, 0, 0, inf, "F", "gate-drain capacitance, drain far above the gate"},
    {"cgdmax", &P::cgdmax, 0, 0, inf, "F", "gate-drain capacitance, gate above the drain"},
    {"a", &P::a, 1, 0, inf, "1/V", "how fast the gate-drain capacitance moves between its limits"},
    {"is", &P::is, 1e-14, above(0), inf, "A", "body diode saturation current"},
    {"n", &P::n, 1, 0.01, 100, "", "body diode emission coefficient"},
    {"rb", &P::rb, 0, 0, inf, "Ohm", "body diode series resistance"},
    {"cjo", &P::cjo, 0, 0, inf, "F", "body diode zero-bias junction capacitance"},
    {"cj0", &P::cjo, 0, 0, inf, "F", "same as cjo"},
    {"vj", &P::vj, 0.8, 0.01, 10, "V", "body diode junction potential"},
    {"m", &P::m, 0.5, 0, 0.9, "", "body diode grading coefficient"},
    {"fc", &P::fc, 0.5, 0, 0.95, "", "body diode forward-bias depletion capacitance coefficient"},
    {"tt", &P::tt, 0, 0, inf, "s", "body diode transit time"},
    {"bv", &P::bv, inf, -inf, inf, "V", "drain-source breakdown voltage (its magnitude; inf: none)"},
    {"ibv", &P::ibv, 1e-10, above(0), inf, "A", "current at the breakdown voltage"},
    {"nbv", &P::nbv, 1, 0.01, 100, "", "breakdown emission coefficient"},
    {"eg", &P::eg, 1.11, 0.1, 10, "eV", "body diode activation energy"},
    {"xti", &P::xti, 3, -100, 100, "", "body diode IS temperature exponent"},
    {"tnom", &P::tnom, 27, -273, 1000, "degC", "parameter measurement temperature"},
    {"tcvth", &P::tcvth, 0, -inf, inf, "V/K", "threshold temperature coefficient"},
    {"mu", &P::mu, -1.5, -inf, inf, "", "mobility temperature exponent: kp (T/tnom)^mu"},
    {"texp0", &P::texp0, 1.5, -inf, inf, "", "drain resistance temperature exponent: rd (T/tnom)^texp0"},
    {"texp1", &P::texp1, 0.3, -inf, inf, "", "accepted, no effect (ngspice-39 scales neither rd nor rs by it, measured)"},
    {"kf", &P::kf, 0, 0, inf, "", "flicker noise coefficient: accepted (no noise model)"},
    {"af", &P::af, 1, 0, inf, "", "flicker noise exponent: accepted (no noise model)"},
    // Refused when given: quasi-saturation and ngspice's other weak-inversion form.
    {"rq", &P::rq, 0, 0, inf, "Ohm", "quasi-saturation resistance: refused (not implemented)"},
    {"vq", &P::vq, 0, 0, inf, "V", "quasi-saturation voltage: refused with rq (not implemented)"},
    {"subslope", &P::subslope, 0, 0, inf, "", "ngspice's alternative weak inversion: refused (use ksubthres)"},
    {"tksubthres1", &P::tc0, 0, -inf, inf, "1/K", "ksubthres temperature coefficient: refused (not implemented)"},
    {"tksubthres2", &P::tc1, 0, -inf, inf, "1/K^2", "ksubthres temperature coefficient: refused (not implemented)"},
    {"trd1", &P::tc2, 0, -inf, inf, "1/K", "rd temperature coefficient: refused (not implemented)"},
    {"trd2", &P::tc3, 0, -inf, inf, "1/K^2", "rd temperature coefficient: refused (not implemented)"},
    {"trg1", &P::tc4, 0, -inf, inf, "1/K", "rg temperature coefficient: refused (not implemented)"},
    {"trg2", &P::tc5, 0, -inf, inf, "1/K^2", "rg temperature coefficient: refused (not implemented)"},
    {"trs1", &P::tc6, 0, -inf, inf, "1/K", "rs temperature coefficient: refused (not implemented)"},
    {"trs2", &P::tc7, 0, -inf, inf, "1/K^2", "rs temperature coefficient: refused (not implemented)"},
    {"trb1", &P::tc8, 0, -inf, inf, "1/K", "rb temperature coefficient: refused (not implemented)"},
    {"trb2", &P::tc9, 0, -inf, inf, "1/K^2", "rb temperature coefficient: refused (not implemented)"},
    // Self-heating: used only by an instance with the thermal nodes, which is refused.
    {"rthjc", &P::rthjc, 0, 0, inf, "K/W", "junction-case thermal resistance (self-heating: not implemented)"},
    {"rthca", &P::rthca, 0, 0, inf, "K/W", "case-ambient thermal resistance (self-heating: not implemented)"},
    {"cthj", &P::cthj, 0, 0, inf, "J/K", "junction thermal capacitance (self-heating: not implemented)"},
    {"cthca", &P::cthca, 0, 0, inf, "J/K", "case thermal capacitance (self-heating: not implemented)"},
    // ngspice's safe-operating-area warnings: accepted, no check.
    {"vgs_max", &P::vgs_max, inf, -inf, inf, "V", "SOA limit: accepted, not checked"},
    {"vgd_max", &P::vgd_max, inf, -inf, inf, "V", "SOA limit: accepted, not checked"},
    {"vds_max", &P::vds_max, inf, -inf, inf, "V", "SOA limit: accepted, not checked"},
    {"vgsr_max", &P::vgsr_max, inf, -inf, inf, "V", "SOA limit: accepted, not checked"},
    {"vgdr_max", &P::vgdr_max, inf, -inf, inf, "V", "SOA limit: accepted, not checked"},
    {"pd_max", &P::pd_max, inf, -inf, inf, "W", "SOA limit: accepted, not checked"},
    {"id_max", &P::id_max, inf, -inf, inf, "A", "SOA limit: accepted, not checked"},
    {"idr_max", &P::idr_max, inf, -inf, inf, "A", "SOA limit: accepted, not checked"},
    {"te_max", &P::te_max, inf, -inf, inf, "degC", "SOA limit: accepted, not checked"},
    {"rth_ext", &P::rth_ext, 0, -inf, inf, "K/W", "SOA thermal resistance: accepted, not checked"},
    {"derating", &P::derating, 0, -inf, inf, "W/K", "SOA derating: accepted, not checked"},
    // Datasheet figures LTspice's part picker shows: no equation reads them.
    {"vds", &P::vds, 0, -inf, inf, "V", "datasheet drain-source rating: informational"},
    {"ron", &P::ron, 0, -inf, inf, "Ohm", "datasheet on-resistance: informational"},
    {"qg", &P::qg, 0, -inf, inf, "C", "datasheet gate charge: informational"},
    {"temp", &P::temp, not_given, -273.15, inf, "degC", "instance temperature", Scope::Instance},
    {"dtemp", &P::dtemp, 0, -inf, inf, "K", "instance temperature above the circuit's", Scope::Instance},
    {"off", &P::off, 0, 0, 1, "", "initial-guess flag: accepted", Scope::Instance},
    {"thermal", &P::thermal, 0, 0, 1, "", "flag: self-heating with nodes tj, tc (refused: not implemented)",
     Scope::Instance},
};

// Local unknowns: the terminals, the nodes behind rd, rg and rs, and the body diode's
// anode side behind rb.
enum Node { D, G, S, DP, GP, SP, BA, NNODE };
enum Var { VGS, VDS, NVAR };  // n-type frame, internal nodes
using Dv = Dual<NVAR>;
constexpr std::array<std::pair<Node, Node>, NVAR> var_nodes = {{{GP, SP}, {DP, SP}}};

// The vertical power MOSFET of LTspice and ngspice (.model NAME VDMOS): a level-1-like
// channel with LTspice's extensions (mtriode scales vds in the triode region, theta
// reduces the mobility, ksubthres turns the threshold into a smooth exponential onset),
// series rd, rs, rg, a constant Cgs and a gate-drain capacitance that moves between
// cgdmax (gate above drain) and cgdmin (drain far above the gate), and a body diode from
// source to drain (rb, depletion and transit-time charge, breakdown at bv).
class Vdmos final : public Device {
public:
  explicit Vdmos(const DeviceInput& in) : Device(in.element.name, in.element.where) {
    if (!in.model) throw InputError(in.element.where, "VDMOS '" + name() + "' needs a .model");
    // "m" is the body diode's grading on the .model card and the parallel multiplier on the
    // instance: the instance's is taken off the card before the table reads it.
    Element card = in.element;
    std::erase_if(card.params, [&](const Assignment& a) {
      if (a.name != "m") return false;
      if (!(a.value > 0)) throw InputError(a.where, fmt::format("'{}': m must be > 0, not {:g}", name(), a.value));
      mult_ = a.value;
      return true;
    });
    p_ = resolve<P>(std::span<const Param<P>>(vdmos_params), DeviceInput{card, in.model, in.positional, in.warnings});
    auto where = [&](std::string_view param) -> Location {
      for (const auto& a : in.element.params)
        if (a.name == param) return a.where;
      for (const auto& a : in.model->params)
        if (a.name == param) return a.where;
      return in.element.where;
    };
    if (in.element.nodes.size() > 3 || p_.thermal != 0)
      throw InputError(p_.thermal != 0 ? where("thermal") : in.element.where,
                       fmt::format("VDMOS '{}': self-heating (the thermal flag and nodes tj, tc) is not "
                                   "implemented", name()));
    if (p_.rq > 0)
      throw InputError(where("rq"), fmt::format("VDMOS model '{}': quasi-saturation (rq, vq) is not implemented",
                                                in.model->name));
    if (p_.subslope > 0)
      throw InputError(where("subslope"), fmt::format("VDMOS model '{}': the subslope weak-inversion form is not "
                                                      "implemented (ksubthres is)", in.model->name));
    for (std::string_view t : {"tksubthres1", "tksubthres2", "trd1", "trd2", "trg1", "trg2", "trs1", "trs2", "trb1", "trb2"})
      for (const auto& a : in.model->params)
        if (a.name == t && a.value != 0)
          throw InputError(a.where, fmt::format("VDMOS model '{}': temperature coefficient '{}' is not implemented",
                                                in.model->name, t));
    if (p_.nchan != 0 && p_.pchan != 0)
      throw InputError(where("pchan"), fmt::format("VDMOS model '{}' is both nchan and pchan", in.model->name));
    type_ = p_.pchan != 0 ? -1 : 1;
  }

  void setup(Setup& s) override {
    nodes_[D] = s.terminal(0);
    nodes_[G] = s.terminal(1);
    nodes_[S] = s.terminal(2);
    nodes_[DP] = p_.rd > 0 ? s.internal_node("d") : nodes_[D];
    nodes_[GP] = p_.rg > 0 ? s.internal_node("g") : nodes_[G];
    nodes_[SP] = p_.rs > 0 ? s.internal_node("s") : nodes_[S];
    nodes_[BA] = p_.rb > 0 ? s.internal_node("b") : nodes_[S];
    grid_.declare(s, nodes_);
    double kelvin = s.temperature() + p_.dtemp;
    if (p_.temp != not_given) kelvin = p_.temp + constants::zero_celsius;
    scale_to(kelvin);
  }

  void topology(Topology& t) const override {
    t.conducts(nodes_[D], nodes_[S]);
    if (p_.rg > 0) t.conducts(nodes_[G], nodes_[GP]);
  }

  void load(const Eval& e, Load& l) const override {
    const Point p = at(e);
    auto stamp = [&](Node from, Node to, const Dv& i, bool reactive) {
      grid_.controlled(l, nodes_, from, to, type_, i, var_nodes, reactive);
    };
    stamp(DP, SP, p.id, false);
    stamp(GP, SP, p.qgs, true);
    stamp(GP, DP, p.qgd, true);
    // The body diode, anode (behind rb) to drain in the n-type frame.
    const Diode d = diode(p.vdiode, e.gmin);
    l.f(nodes_[BA], type_ * d.i);
    l.f(nodes_[D], -type_ * d.i);
    l.q(nodes_[BA], type_ * d.q);
    l.q(nodes_[D], -type_ * d.q);
    grid_.pair(l, BA, D, d.g);
    grid_.pair(l, BA, D, d.c, true);
    for (const auto& [a, b, g] : {std::tuple{D, DP, gd_}, std::tuple{S, SP, gs_}, std::tuple{G, GP, gg_},
                                  std::tuple{S, BA, gb_}, std::tuple{D, S, gds_}}) {
      if (g <= 0) continue;
      const double i = g * (e.v(nodes_[a]) - e.v(nodes_[b]));
      l.f(nodes_[a], i);
      l.f(nodes_[b], -i);
      grid_.pair(l, a, b, g);
    }
  }

  double limit(const Eval& accepted, const Eval& proposed) const override {
    namespace j = junction;
    const double f = j::channel_step_fraction(voltage(accepted, GP, SP), voltage(accepted, DP, SP),
                                              voltage(proposed, GP, SP), voltage(proposed, DP, SP), vto_);
    const double vold = voltage(accepted, BA, D), vnew = voltage(proposed, BA, D);
    const double vte = p_.n * vt_;
    return std::min(f, j::step_fraction(vold, vnew, j::pnjlim(vnew, vold, vte, vcrit_)));
  }

  double quantity(std::size_t k, const Eval& e) const override {
    const Point p = at(e);
    const Diode d = diode(p.vdiode, e.gmin);
    const double values[] = {type_ * p.id.v,
                             type_ * p.vgs,
                             type_ * p.vds,
                             p.id.d[VGS],
                             p.id.d[VDS],
                             p.qgs.d[VGS],
                             -p.qgd.d[VDS],
                             type_ * d.i,
                             d.c};
    return values[k];
  }

private:
  struct Point {
    double vgs, vds, vdiode;
    Dv id, qgs, qgd;  // d'->s', g'->s', g'->d'
  };
  struct Diode {
    double i, g, q, c;
  };

  double voltage(const Eval& e, Node a, Node b) const { return type_ * (e.v(nodes_[a]) - e.v(nodes_[b])); }

  void scale_to(double kelvin) {
    namespace j = junction;
    const double tnom = p_.tnom + j::zero_celsius;
    const double ratio = kelvin / tnom;
    vt_ = j::thermal_voltage(kelvin);
    vto_ = type_ * p_.vto - p_.tcvth * (kelvin - tnom);
    beta_ = p_.kp * mult_ * std::pow(ratio, p_.mu);
    auto conductance = [&](double r, double exponent) { return r > 0 ? mult_ / (r * std::pow(ratio, exponent)) : 0; };
    gd_ = conductance(p_.rd, p_.texp0);
    gs_ = conductance(p_.rs, 0);  // rs, rg, rb: not scaled with temperature (ngspice-39, measured)
    gg_ = p_.rg > 0 ? 1 / p_.rg : 0;  // one gate per multiplied device: its resistance is the card's
    gb_ = p_.rb > 0 ? mult_ / p_.rb : 0;
    gds_ = std::isfinite(p_.rds) ? mult_ / p_.rds : 0;
    const double vte = p_.n * vt_;
    is_ = p_.is * mult_ * std::exp((ratio - 1) * p_.eg / vte + p_.xti / p_.n * std::log(ratio));
    vj_ = j::potential_at(p_.vj, tnom, kelvin);
    cj_ = p_.cjo * mult_ * j::capacitance_factor(p_.vj, p_.m, tnom, kelvin);
    if (p_.fc * vj_ > 1) vj_ = 1 / p_.fc;
    vcrit_ = vte * std::log(vte / (std::sqrt(2.0) * is_));
    bv_ = std::abs(p_.bv);
    knee_ = std::isfinite(bv_) ? junction::breakdown_knee(bv_, p_.ibv * mult_, is_, vt_, p_.nbv * vt_) : bv_;
    cgs_ = p_.cgs * mult_;
    cgdmin_ = p_.cgdmin * mult_;
    cgdmax_ = p_.cgdmax * mult_;
  }

  // The body diode at junction voltage v (anode behind rb to drain, n-type frame):
  // Shockley forward, SPICE's cubic reverse tail, an exponential breakdown beyond bv.
  Diode diode(double v, double gmin) const {
    const double vte = p_.n * vt_;
    const auto [i, g] = junction::pn_current(v, is_, vte, knee_, p_.nbv * vt_);
    Diode d{i + gmin * v, g + gmin, p_.tt * i, p_.tt * g};
    if (cj_ > 0) {
      const auto dep = junction::depletion(v, cj_, vj_, p_.m, p_.fc);
      d.q += dep.q;
      d.c += dep.c;
    }
    return d;
  }

  // Gate-drain charge: the capacitance s tanh(a v) + y for v = vgd > 0 and s atan(a v) + y
  // below, with y = cgdmax - s and s = (cgdmax - cgdmin) / (1 + pi/2), so that it runs from
  // cgdmin (v -> -inf) through y (v = 0, where both branches have slope s a) to cgdmax;
  // the charge is its integral from 0.
  Dv gate_drain_charge(const Dv& v) const {
    const double s = (cgdmax_ - cgdmin_) / (1 + std::numbers::pi / 2), y = cgdmax_ - s;
    const double a = p_.a, x = a * v.v;
    if (a == 0) return (cgdmax_ - s) * v;  // ngspice's limit: y everywhere
    double q;
    if (x > 0) q = s / a * (std::abs(x) + std::log1p(std::exp(-2 * x)) - std::log(2.0)) + y * v.v;  // ln cosh
    else q = s / a * (x * std::atan(x) - 0.5 * std::log1p(x * x)) + y * v.v;
    const double c = x > 0 ? s * std::tanh(x) + y : s * std::atan(x) + y;
    return chain(v, q, c);
  }

  Point at(const Eval& e) const {
    const Dv vgs = Dv::variable(voltage(e, GP, SP), VGS), vds = Dv::variable(voltage(e, DP, SP), VDS);
    Point p{};
    p.vgs = vgs.v;
    p.vds = vds.v;
    p.vdiode = voltage(e, BA, D);
    p.qgs = cgs_ * vgs;
    p.qgd = gate_drain_charge(vgs - vds);
    // The channel from the acting drain to the acting source.
    const bool normal = vds.v >= 0;
    const Dv vd = normal ? vds : -vds;
    const Dv vg = normal ? vgs : vgs - vds;
    Dv vgst = vg - vto_;
    if (p_.ksubthres > 0) {
      // Below threshold the overdrive falls off as k ln(1 + exp(vgst / k)): exponential
      // in vgs with slope 1/k, and vgst itself well above.
      const double k = p_.ksubthres;
      const double x = (vgst.v - p_.subshift) / k;
      const double soft = x > 30 ? x : std::log1p(std::exp(x));
      vgst = chain(vgst, k * soft, x > 30 ? 1 : 1 / (1 + std::exp(-x)));
    } else if (vgst.v <= 0) {
      return p;
    }
    // lambda and theta take the terminal vds and vgs, not the acting ones: with the drain
    // below the source, lambda lowers the current (ngspice-39, measured).
    const Dv betap = beta_ * (1 + p_.lambda * vds) / (1 + p_.theta * vgs);
    const Dv vdss = p_.mtriode * vd;
    const Dv id = vgst.v <= vdss.v ? 0.5 * betap * vgst * vgst : betap * vdss * (vgst - 0.5 * vdss);
    p.id = normal ? id : -id;
    return p;
  }

  P p_;
  int type_ = 1;  // +1 n-channel, -1 p-channel
  double mult_ = 1;
  double vt_ = 0, vto_ = 0, beta_ = 0, gd_ = 0, gs_ = 0, gg_ = 0, gb_ = 0, gds_ = 0;
  double is_ = 0, vj_ = 0, cj_ = 0, vcrit_ = 0, bv_ = inf, knee_ = inf, cgs_ = 0, cgdmin_ = 0, cgdmax_ = 0;
  std::array<Unknown, NNODE> nodes_{};
  EntryGrid<NNODE> grid_;
};

}  // namespace

const bool registered = register_model<Vdmos>(
    {.type = "vdmos",
     .summary = "vertical power MOSFET (LTspice's and ngspice's VDMOS), n- or p-channel with body diode",
     .terminals = {"d", "g", "s", "tj", "tc"},
     .probes = {{"id", "A", "channel current, drain to source (DC part)"},
                {"vgs", "V", "internal gate-source voltage"},
                {"vds", "V", "internal drain-source voltage"},
                {"gm", "S", "transconductance d id / d vgs"},
                {"gds", "S", "output conductance d id / d vds"},
                {"cgs", "F", "gate-source capacitance"},
                {"cgd", "F", "gate-drain capacitance"},
                {"idiode", "A", "body diode current, source to drain (DC part)"},
                {"cds", "F", "body diode capacitance, depletion and transit time"}},
     .example = "M1 d g s irf\n.model irf vdmos vto=3 kp=5 lambda=0.01 theta=0.05 mtriode=0.8 ksubthres=0.1 "
                "rd=10m rs=5m rg=3 rds=1e7 cgs=1n cgdmax=2n cgdmin=50p a=0.3 is=10p n=1.1 rb=10m cjo=1n "
                "tt=20n bv=100 ibv=1m\n",
     .element = 'm',
     .optional_terminals = 2},
    vdmos_params);

}  // namespace ns
