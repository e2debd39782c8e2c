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

struct BjtParams {
  double is, bf, nf, vaf, ikf, ise, ne, br, nr, var, ikr, isc, nc, rb, irb, rbm, re, rc;
  double cje, vje, mje, tf, xtf, vtf, itf, ptf, cjc, vjc, mjc, xcjc, tr, cjs, vjs, mjs;
  double xtb, eg, xti, fc, tnom, kf, af;
  double trb1, trb2, trm1, trm2, tre1, tre2, trc1, trc2;
  double area, off, icvbe, icvce;
};

using P = BjtParams;
// As in ngspice, 0 stands for "infinite" on VAF, VAR, IKF, IKR, IRB and VTF (their default).
constexpr Param<P> bjt_params[] = {
    {"is", &P::is, 1e-16, above(0), inf, "A", "transport saturation current"},
    {"bf", &P::bf, 100, above(0), inf, "", "ideal maximum forward beta"},
    {"nf", &P::nf, 1, 0.01, 100, "", "forward current emission coefficient"},
    {"vaf", &P::vaf, 0, 0, inf, "V", "forward Early voltage (0: infinite)"},
    {"va", &P::vaf, 0, 0, inf, "V", "same as vaf"},
    {"ikf", &P::ikf, 0, 0, inf, "A", "forward beta high-current roll-off corner (0: infinite)"},
    {"ik", &P::ikf, 0, 0, inf, "A", "same as ikf"},
    {"ise", &P::ise, 0, 0, inf, "A", "base-emitter leakage saturation current"},
    {"ne", &P::ne, 1.5, 0.01, 100, "", "base-emitter leakage emission coefficient"},
    {"br", &P::br, 1, above(0), inf, "", "ideal maximum reverse beta"},
    {"nr", &P::nr, 1, 0.01, 100, "", "reverse current emission coefficient"},
    {"var", &P::var, 0, 0, inf, "V", "reverse Early voltage (0: infinite)"},
    {"vb", &P::var, 0, 0, inf, "V", "same as var"},
    {"ikr", &P::ikr, 0, 0, inf, "A", "reverse beta high-current roll-off corner (0: infinite)"},
    {"isc", &P::isc, 0, 0, inf, "A", "base-collector leakage saturation current"},
    {"nc", &P::nc, 2, 0.01, 100, "", "base-collector leakage emission coefficient"},
    {"rb", &P::rb, 0, 0, inf, "Ohm", "zero-bias base resistance"},
    {"irb", &P::irb, 0, 0, inf, "A", "current where the base resistance falls halfway to rbm (0: infinite)"},
    {"rbm", &P::rbm, 0, 0, inf, "Ohm", "minimum base resistance at high current (default rb)"},
    {"re", &P::re, 0, 0, inf, "Ohm", "emitter resistance"},
    {"rc", &P::rc, 0, 0, inf, "Ohm", "collector resistance"},
    {"cje", &P::cje, 0, 0, inf, "F", "base-emitter zero-bias depletion capacitance"},
    {"vje", &P::vje, 0.75, 0.01, 10, "V", "base-emitter built-in potential"},
    {"pe", &P::vje, 0.75, 0.01, 10, "V", "same as vje"},
    {"mje", &P::mje, 0.33, 0, 0.99, "", "base-emitter junction grading coefficient"},
    {"me", &P::mje, 0.33, 0, 0.99, "", "same as mje"},
    {"tf", &P::tf, 0, 0, inf, "s", "ideal forward transit time"},
    {"xtf", &P::xtf, 0, 0, inf, "", "coefficient of TF's bias dependence"},
    {"vtf", &P::vtf, 0, 0, inf, "V", "voltage describing VBC's effect on TF (0: infinite)"},
    {"itf", &P::itf, 0, 0, inf, "A", "high-current parameter of TF's bias dependence"},
    {"ptf", &P::ptf, 0, -360, 360, "deg", "excess phase at 1/(2 pi TF): accepted, not modelled"},
    {"cjc", &P::cjc, 0, 0, inf, "F", "base-collector zero-bias depletion capacitance"},
    {"vjc", &P::vjc, 0.75, 0.01, 10, "V", "base-collector built-in potential"},
    {"pc", &P::vjc, 0.75, 0.01, 10, "V", "same as vjc"},
    {"mjc", &P::mjc, 0.33, 0, 0.99, "", "base-collector junction grading coefficient"},
    {"mc", &P::mjc, 0.33, 0, 0.99, "", "same as mjc"},
    {"xcjc", &P::xcjc, 1, 0, 1, "", "fraction of CJC at the internal base node"},
    {"tr", &P::tr, 0, 0, inf, "s", "ideal reverse transit time"},
    {"cjs", &P::cjs, 0, 0, inf, "F", "collector-substrate zero-bias capacitance"},
    {"ccs", &P::cjs, 0, 0, inf, "F", "same as cjs"},
    {"csub", &P::cjs, 0, 0, inf, "F", "same as cjs"},
    {"vjs", &P::vjs, 0.75, 0.01, 10, "V", "substrate junction built-in potential"},
    {"ps", &P::vjs, 0.75, 0.01, 10, "V", "same as vjs"},
    {"mjs", &P::mjs, 0, 0, 0.99, "", "substrate junction grading coefficient"},
    {"ms", &P::mjs, 0, 0, 0.99, "", "same as mjs"},
    {"xtb", &P::xtb, 0, -100, 100, "", "forward and reverse beta temperature exponent"},
    {"eg", &P::eg, 1.11, 0.1, 10, "eV", "energy gap for IS's temperature dependence"},
    {"xti", &P::xti, 3, -100, 100, "", "IS temperature exponent"},
    {"fc", &P::fc, 0.5, 0, 0.9999, "", "forward-bias depletion capacitance coefficient (ngspice limits it to 0.9999)"},
    {"tnom", &P::tnom, 27, -273, 1000, "degC", "parameter measurement temperature"},
    {"trb1", &P::trb1, 0, -inf, inf, "1/K", "RB's linear temperature coefficient"},
    {"trb", &P::trb1, 0, -inf, inf, "1/K", "same as trb1"},
    {"trb2", &P::trb2, 0, -inf, inf, "1/K^2", "RB's quadratic temperature coefficient"},
    {"trm1", &P::trm1, 0, -inf, inf, "1/K", "RBM's linear temperature coefficient"},
    {"trm2", &P::trm2, 0, -inf, inf, "1/K^2", "RBM's quadratic temperature coefficient"},
    {"tre1", &P::tre1, 0, -inf, inf, "1/K", "RE's linear temperature coefficient"},
    {"tre", &P::tre1, 0, -inf, inf, "1/K", "same as tre1"},
    {"tre2", &P::tre2, 0, -inf, inf, "1/K^2", "RE's quadratic temperature coefficient"},
    {"trc1", &P::trc1, 0, -inf, inf, "1/K", "RC's linear temperature coefficient"},
    {"trc", &P::trc1, 0, -inf, inf, "1/K", "same as trc1"},
    {"trc2", &P::trc2, 0, -inf, inf, "1/K^2", "RC's quadratic temperature coefficient"},
    {"kf", &P::kf, 0, 0, inf, "", "flicker noise coefficient (of the base current)"},
    {"af", &P::af, 1, 0, 10, "", "flicker noise exponent"},
    {"area", &P::area, 1, above(0), inf, "", "area factor", Scope::Instance},
    {"off", &P::off, 0, 0, 1, "", "initial-guess flag: accepted; the operating point starts from zero voltages anyway", Scope::Instance},
    {"ic", &P::icvbe, 0, -inf, inf, "V", "initial vbe with uic (ic=vbe,vce)", Scope::Instance},
    {"ic2", &P::icvce, 0, -inf, inf, "V", "initial vce with uic (the second value of ic=)", Scope::Instance},
};

std::size_t index_of(std::string_view name) {
  for (std::size_t k = 0; k < std::size(bjt_params); ++k)
    if (bjt_params[k].name == name) return k;
  return 0;
}

// Taylor coefficients of tan z - z: z^3, z^5, ..., z^19.
constexpr std::array<double, 9> tan_series = {
    1.0 / 3, 2.0 / 15, 17.0 / 315, 62.0 / 2835, 1382.0 / 155925, 21844.0 / 6081075,
    929569.0 / 638512875, 6404582.0 / 10854718875, 443861162.0 / 1856156927625};

double reciprocal(double x) { return x == 0 || std::isinf(x) ? 0.0 : 1 / x; }

// The branch voltages the model depends on, in the n-type frame (times the polarity):
// vbe, vbc of the internal transistor, vbx (external base to internal collector, the
// part of CJC outside the base resistance), vsc (substrate to internal collector) and
// vrb (across the base resistance).
enum Var { VBE, VBC, VBX, VSC, VRB, NVAR };
using D = Dual<NVAR>;

// Local unknowns of the device's grid.
enum Node { C, B, E, S, CP, BP, EP, NNODE };
constexpr std::array<std::pair<Node, Node>, NVAR> var_nodes = {
    {{BP, EP}, {BP, CP}, {B, CP}, {S, CP}, {B, BP}}};

// Gummel-Poon bipolar transistor as ngspice's BJT level 1 (the SPICE2 model): transport
// current with base charge qb (Early effect through VAF/VAR, high injection through
// IKF/IKR), non-ideal base currents ISE/ISC, bias-dependent base resistance (RB, RBM,
// IRB), emitter and collector resistances, depletion charges of the BE, BC (split by
// XCJC) and substrate junctions, and diffusion charges TF (with XTF/VTF/ITF) and TR.
// Excess phase (PTF) is not modelled: ngspice applies it only in its own transient
// integration through past time points, which a charge-based DAE has no place for.
class Bjt final : public Device {
public:
  Bjt(const DeviceInput& in, int polarity) : Device(in.element.name, in.element.where), type_(polarity) {
    if (!in.model) throw InputError(in.element.where, "BJT '" + name() + "' needs a .model");
    for (const auto& a : in.model->params)
      if (a.name == "level" && a.value != 1)
        throw InputError(a.where, fmt::format("BJT model '{}': level {:g} is not supported (only levels 1, "
                                              "Gummel-Poon, and 4, VBIC)", in.model->name, a.value));
    std::vector<bool> given;
    p_ = resolve<P>(bjt_params, in, &given);
    has_ic_ = given[index_of("ic")] || given[index_of("ic2")];
    // RBM defaults to RB at TNOM (then scaled by TRM1/TRM2, not TRB1/TRB2) and may exceed
    // RB: ngspice 39 keeps an RBM above RB as given (measured: rb=500 rbm=700 differs from
    // rbm=500).
    if (!given[index_of("rbm")]) p_.rbm = p_.rb;
  }

  void setup(Setup& s) override {
    nodes_[C] = s.terminal(0);
    nodes_[B] = s.terminal(1);
    nodes_[E] = s.terminal(2);
    nodes_[S] = s.terminal(3);
    nodes_[CP] = p_.rc > 0 ? s.internal_node("c") : nodes_[C];
    nodes_[BP] = p_.rb > 0 ? s.internal_node("b") : nodes_[B];
    nodes_[EP] = p_.re > 0 ? s.internal_node("e") : nodes_[E];
    grid_.declare(s, nodes_);
    scale_to(s.temperature());
    kelvin_ = s.temperature();
  }

  // uic with ic=vbe,vce: the base and collector from the emitter (the terminals that are
  // not ground; .ic cards are applied after and win).
  void initial_condition(std::span<double> x) const override {
    if (!has_ic_) return;
    const double ve = nodes_[E] == ground ? 0.0 : x[nodes_[E]];
    if (nodes_[B] != ground) x[nodes_[B]] = ve + type_ * p_.icvbe;
    if (nodes_[C] != ground) x[nodes_[C]] = ve + type_ * p_.icvce;
  }

  void topology(Topology& t) const override {
    t.conducts(nodes_[C], nodes_[B]);
    t.conducts(nodes_[B], nodes_[E]);
    t.conducts(nodes_[S], nodes_[C]);  // gmin across the substrate junction, as ngspice
  }

  void load(const Eval& e, Load& l) const override {
    const Point p = at(e);
    auto stamp = [&](Node from, Node to, const D& i, bool reactive) {
      grid_.controlled(l, nodes_, from, to, type_, i, var_nodes, reactive);
    };
    stamp(CP, EP, p.it, false);
    stamp(BP, EP, p.ibe, false);
    stamp(BP, CP, p.ibc, false);
    stamp(S, CP, p.isc, false);
    if (p_.rb > 0) stamp(B, BP, p.irb, false);
    for (const auto& [a, b, r] : {std::tuple{C, CP, rc_}, std::tuple{E, EP, re_}}) {
      if (nodes_[a] == nodes_[b]) continue;
      const double g = p_.area / r;
      const double i = g * (e.v(nodes_[a]) - e.v(nodes_[b]));
      l.f(nodes_[a], i);
      l.f(nodes_[b], -i);
      grid_.pair(l, a, b, g);
    }
    stamp(BP, EP, p.qbe, true);
    stamp(BP, CP, p.qbc, true);
    stamp(B, CP, p.qbx, true);
    stamp(S, CP, p.qsc, true);
  }

  double limit(const Eval& accepted, const Eval& proposed) const override {
    namespace j = junction;
    double fraction = 1;
    for (Var k : {VBE, VBC}) {
      const double vold = voltage(accepted, k), vnew = voltage(proposed, k);
      fraction = std::min(fraction, j::step_fraction(vold, vnew, j::pnjlim(vnew, vold, vt_, vcrit_)));
    }
    return fraction;
  }

  // SPICE's test on the collector and base currents (convergence.hpp), each of the
  // internal transistor's branch currents: transport, base-emitter, base-collector.
  bool settled(const Eval& accepted, const Eval& proposed, double reltol, double abstol) const override {
    const Point a = at(accepted), b = at(proposed);
    std::array<double, NVAR> dv{};
    for (std::size_t k = 0; k < NVAR; ++k)
      dv[k] = voltage(proposed, static_cast<Var>(k)) - voltage(accepted, static_cast<Var>(k));
    return current_settled(a.it - a.ibc, b.it - b.ibc, dv, reltol, abstol) &&
           current_settled(a.ibe + a.ibc, b.ibe + b.ibc, dv, reltol, abstol) &&
           current_settled(a.ibe, b.ibe, dv, reltol, abstol) && current_settled(a.ibc, b.ibc, dv, reltol, abstol);
  }

  // Thermal noise of rc, rb (its bias-dependent value) and re; shot noise of the internal
  // collector current (c' to e') and base current (b' to e'); flicker KF |ib|^AF / f, b' to e'.
  void noise(const Eval& e, double f, std::vector<NoiseSource>& out) const override {
    const Point p = at(e);
    const double four_kt = 4 * constants::boltzmann * kelvin_;
    out.push_back({"rc", nodes_[C], nodes_[CP], p_.rc > 0 ? four_kt * p_.area / rc_ : 0});
    out.push_back({"rb", nodes_[B], nodes_[BP], p_.rb > 0 ? four_kt * p.irb.d[VRB] : 0});
    out.push_back({"re", nodes_[E], nodes_[EP], p_.re > 0 ? four_kt * p_.area / re_ : 0});
    const double ic = std::abs(p.it.v - p.ibc.v), ib = std::abs(p.ibe.v + p.ibc.v);
    out.push_back({"ic", nodes_[CP], nodes_[EP], 2 * constants::charge * ic});
    out.push_back({"ib", nodes_[BP], nodes_[EP], 2 * constants::charge * ib});
    out.push_back({"1overf", nodes_[BP], nodes_[EP], p_.kf * std::pow(std::max(ib, 1e-38), p_.af) / f});
  }

  double quantity(std::size_t k, const Eval& e) const override {
    const Point p = at(e);
    // Terminal currents into the device (real frame), at DC (charges left out).
    const double ic = type_ * (p.it.v - p.ibc.v - p.isc.v);
    const double ib = type_ * (p.ibe.v + p.ibc.v);
    const double ie = -type_ * (p.it.v + p.ibe.v);
    // Small-signal values of the internal transistor, as SPICE defines them: gm and go
    // from the collector current's derivatives, gpi and gmu from the base currents'.
    const double ic_vbe = p.it.d[VBE] - p.ibc.d[VBE], ic_vbc = p.it.d[VBC] - p.ibc.d[VBC];
    const double go = -ic_vbc;
    const double gm = ic_vbe + ic_vbc;  // d ic / d vbe at fixed vce
    const double values[] = {ic,
                             ib,
                             ie,
                             type_ * p.vbe,
                             type_ * p.vbc,
                             type_ * (p.vbe - p.vbc),
                             gm,
                             p.ibe.d[VBE],
                             p.ibc.d[VBC],
                             go,
                             p_.rb > 0 ? p.irb.d[VRB] : 0.0,
                             p.qbe.d[VBE],
                             p.qbc.d[VBC]};
    return values[k];
  }

private:
  struct Point {
    double vbe, vbc;
    D it, ibe, ibc, isc, irb;  // transport c'->e', base currents b'->e' and b'->c', s->c', b->b'
    D qbe, qbc, qbx, qsc;      // charges b'-e', b'-c', b-c', s-c'
  };

  double voltage(const Eval& e, Var k) const {
    return type_ * (e.v(nodes_[var_nodes[k].first]) - e.v(nodes_[var_nodes[k].second]));
  }

  // SPICE's temperature scaling from TNOM to the circuit temperature.
  void scale_to(double kelvin) {
    namespace j = junction;
    const double tnom = p_.tnom + j::zero_celsius;
    vt_ = j::thermal_voltage(kelvin);
    const double ratlog = std::log(kelvin / tnom);
    const double factlog = (kelvin / tnom - 1) * p_.eg / vt_ + p_.xti * ratlog;
    const double bfactor = std::exp(ratlog * p_.xtb);
    is_ = p_.is * std::exp(factlog) * p_.area;
    bf_ = p_.bf * bfactor;
    br_ = p_.br * bfactor;
    ise_ = p_.ise * std::exp(factlog / p_.ne) / bfactor * p_.area;
    isc_ = p_.isc * std::exp(factlog / p_.nc) / bfactor * p_.area;
    vje_ = j::potential_at(p_.vje, tnom, kelvin);
    vjc_ = j::potential_at(p_.vjc, tnom, kelvin);
    vjs_ = j::potential_at(p_.vjs, tnom, kelvin);
    cje_ = p_.cje * p_.area * j::capacitance_factor(p_.vje, p_.mje, tnom, kelvin);
    const double cjc = p_.cjc * p_.area * j::capacitance_factor(p_.vjc, p_.mjc, tnom, kelvin);
    cjc_in_ = cjc * p_.xcjc;
    cjc_out_ = cjc - cjc_in_;
    cjs_ = p_.cjs * p_.area * j::capacitance_factor(p_.vjs, p_.mjs, tnom, kelvin);
    vcrit_ = vt_ * std::log(vt_ / (std::sqrt(2.0) * is_));
    // The resistances, each quadratic in T - TNOM (ngspice's TRB1/TRB2, TRM1/TRM2,
    // TRE1/TRE2, TRC1/TRC2).
    const double dt = kelvin - tnom;
    auto scaled = [dt](double r, double tc1, double tc2) { return r * (1 + tc1 * dt + tc2 * dt * dt); };
    rb_ = scaled(p_.rb, p_.trb1, p_.trb2);
    rbm_ = scaled(p_.rbm, p_.trm1, p_.trm2);
    re_ = scaled(p_.re, p_.tre1, p_.tre2);
    rc_ = scaled(p_.rc, p_.trc1, p_.trc2);
  }

  // A junction's depletion charge, linear in capacitance beyond FC*PB.
  D depletion(const D& v, double cz, double pb, double m) const {
    if (cz == 0) return D{};
    const double fcp = p_.fc * pb;
    if (v.v < fcp) return pb * cz * (1 - pow(1 - v / pb, 1 - m)) / (1 - m);
    const double f1 = pb * (1 - std::pow(1 - p_.fc, 1 - m)) / (1 - m);
    const double f2 = std::pow(1 - p_.fc, 1 + m), f3 = 1 - p_.fc * (1 + m);
    return cz * f1 + cz / f2 * (f3 * (v - fcp) + m / (2 * pb) * (v * v - fcp * fcp));
  }

  // Ideal junction current is (exp(v/vte) - 1), continued below -3 vte by ngspice's
  // smooth approach to -is.
  static D diode(const D& v, double is, double vte) {
    if (is == 0) return D{};
    if (v.v >= -3 * vte) return is * (exp(v / vte) - 1);
    const D a = 3 * vte / (v * std::numbers::e);
    return -is * (1 + a * a * a);
  }

  Point at(const Eval& e) const {
    D v[NVAR];
    for (std::size_t k = 0; k < NVAR; ++k) v[k] = D::variable(voltage(e, static_cast<Var>(k)), k);
    const D &vbe = v[VBE], &vbc = v[VBC];
    const double area = p_.area;
    const D cbe = diode(vbe, is_, p_.nf * vt_);
    const D cbc = diode(vbc, is_, p_.nr * vt_);
    const D cben = diode(vbe, ise_, p_.ne * vt_) + e.gmin * vbe;
    const D cbcn = diode(vbc, isc_, p_.nc * vt_) + e.gmin * vbc;

    // Base charge: Early effect, then high injection.
    const D q1 = 1 / (1 - reciprocal(p_.vaf) * vbc - reciprocal(p_.var) * vbe);
    const double oik = reciprocal(p_.ikf * area), oikr = reciprocal(p_.ikr * area);
    D qb = q1;
    if (oik != 0 || oikr != 0) {
      const D arg = 1 + 4 * (oik * cbe + oikr * cbc);
      qb = q1 * (1 + (arg.v > 0 ? sqrt(arg) : D{1})) / 2;
    }

    Point p{};
    p.vbe = vbe.v;
    p.vbc = vbc.v;
    p.it = (cbe - cbc) / qb;
    p.ibe = cbe / bf_ + cben;
    p.ibc = cbc / br_ + cbcn;
    p.isc = e.gmin * v[VSC];

    if (p_.rb > 0) {
      const double rbm = rbm_ / area, rbi = (rb_ - rbm_) / area;
      D rbb;
      if (p_.irb > 0) {
        // SPICE2's base resistance from the base current (the crowding factor z).
        const D ib = p.ibe + p.ibc;
        const D x = ib.v / (p_.irb * area) > 1e-9 ? ib / (p_.irb * area) : D{1e-9};
        const D z = (sqrt(1 + 14.59025 * x) - 1) / (2.4317 * sqrt(x));
        const double t = std::tan(z.v);
        const D tz = chain(z, t, 1 + t * t);
        // tan z - z cancels for small z (a small base current): relative rounding of
        // about 1e-16 z / (z^3 / 3) in rbb's value, which left a finite difference of irb
        // off by 1e-3 just above a switch at z = 0.01. So its Taylor series up to z = 0.2
        // (through z^19: truncation below 1e-16 there; 75-fold cancellation above).
        const D z2 = z * z;
        D tmz;
        if (z.v < 0.2) {
          D sum{tan_series.back()};
          for (auto c = tan_series.rbegin() + 1; c != tan_series.rend(); ++c) sum = *c + z2 * sum;
          tmz = z * z2 * sum;
        } else {
          tmz = tz - z;
        }
        rbb = rbm + 3 * rbi * tmz / (z * tz * tz);
      } else {
        rbb = rbm + rbi / qb;
      }
      p.irb = v[VRB] / rbb;
    }

    // Diffusion charges; TF grows with the current (ITF) and with vbc (VTF) by XTF.
    D cbe_tf = cbe;
    if (p_.tf > 0 && vbe.v > 0) {
      D argtf{};
      if (p_.xtf > 0) {
        argtf = D{p_.xtf};
        if (p_.vtf > 0 && std::isfinite(p_.vtf)) argtf = p_.xtf * exp(vbc / (1.44 * p_.vtf));
        if (p_.itf > 0) {
          const D r = cbe / (cbe + p_.itf * area);
          argtf = argtf * r * r;
        }
      }
      cbe_tf = cbe * (1 + argtf) / qb;
    }
    p.qbe = p_.tf * cbe_tf + depletion(vbe, cje_, vje_, p_.mje);
    p.qbc = p_.tr * cbc + depletion(vbc, cjc_in_, vjc_, p_.mjc);
    p.qbx = depletion(v[VBX], cjc_out_, vjc_, p_.mjc);
    // The substrate junction: no FC linearisation, as SPICE.
    const D& vsc = v[VSC];
    if (cjs_ > 0) {
      if (vsc.v < 0) p.qsc = vjs_ * cjs_ * (1 - pow(1 - vsc / vjs_, 1 - p_.mjs)) / (1 - p_.mjs);
      else p.qsc = cjs_ * vsc * (1 + p_.mjs * vsc / (2 * vjs_));
    }
    return p;
  }

  P p_;
  int type_;  // +1 npn, -1 pnp
  double kelvin_ = 300.15;
  bool has_ic_ = false;
  double vt_ = 0, is_ = 0, bf_ = 0, br_ = 0, ise_ = 0, isc_ = 0, vcrit_ = 0;
  double rb_ = 0, rbm_ = 0, re_ = 0, rc_ = 0;  // at the circuit's temperature
  double vje_ = 0, vjc_ = 0, vjs_ = 0, cje_ = 0, cjc_in_ = 0, cjc_out_ = 0, cjs_ = 0;
  std::array<Unknown, NNODE> nodes_{};
  EntryGrid<NNODE> grid_;
};

DeviceType bjt_type(std::string_view key, int polarity, std::string_view summary, std::string_view example) {
  DeviceType t{key, summary, {"c", "b", "e", "s"}, {"area"},
               [] { return describe<P>(bjt_params); },
               [] { return std::vector<StateInfo>{}; },
               [] {
                 return std::vector<QuantityInfo>{
                     {"ic", "A", "collector current, into the collector (DC part)"},
                     {"ib", "A", "base current, into the base (DC part)"},
                     {"ie", "A", "emitter current, into the emitter (DC part)"},
                     {"vbe", "V", "internal base-emitter voltage"},
                     {"vbc", "V", "internal base-collector voltage"},
                     {"vce", "V", "internal collector-emitter voltage"},
                     {"gm", "S", "transconductance d ic / d vbe"},
                     {"gpi", "S", "input conductance d ib / d vbe"},
                     {"gmu", "S", "feedback conductance d ib / d vbc"},
                     {"go", "S", "output conductance d ic / d vce"},
                     {"gx", "S", "base resistance's conductance (0 without rb)"},
                     {"cpi", "F", "base-emitter capacitance (depletion and diffusion)"},
                     {"cmu", "F", "internal base-collector capacitance"}};
               },
               [polarity](const DeviceInput& in) { return std::make_unique<Bjt>(in, polarity); },
               example, 'q', 1};
  return t;
}

}  // namespace

const bool registered =
    register_device_type(bjt_type("npn", 1, "NPN bipolar transistor, Gummel-Poon (ngspice's BJT level 1)",
                                  "Q1 c b e s qn 2\n.model qn npn is=1e-15 bf=80 vaf=50 var=20 ikf=10m ikr=5m "
                                  "ise=1e-13 isc=1e-13 rb=100 irb=1m rbm=20 re=2 rc=5 cje=1p cjc=0.5p xcjc=0.6 "
                                  "cjs=0.3p mjs=0.4 tf=0.3n xtf=2 vtf=3 itf=20m tr=5n\n")) &&
    register_device_type(bjt_type("pnp", -1, "PNP bipolar transistor, Gummel-Poon (ngspice's BJT level 1)",
                                  "Q1 c b e qp\n.model qp pnp is=2e-15 bf=50 vaf=40 ikf=5m ise=1e-14 "
                                  "rb=50 re=1 rc=3 cje=1p cjc=0.4p tf=0.5n xtf=1 tr=10n\n"));

}  // namespace ns
