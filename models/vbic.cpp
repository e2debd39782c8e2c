// VBIC bipolar transistor (ngspice's BJT level 4), written from the published model:
// McAndrew et al., "VBIC95, the vertical bipolar inter-company model" (IEEE JSSC 31(10),
// 1996) and the VBIC 1.2 definition. The four-terminal isothermal form without excess
// phase, which is what ngspice's level 4 computes for a card of four nodes: its RTH, CTH
// (self-heating needs a fifth, thermal node) and TD (excess phase) change nothing there,
// measured against ngspice; they are accepted and have no effect here either.
//
// Equivalent circuit: series resistors RCX (c-cx), RBX (b-bx), RE (e-ei), RS (s-si);
// the intrinsic transistor between ci, bi, ei with transport current Iciei = (Itzf -
// Itzr)/qb (Early effect through the normalised depletion charges over VEF/VER, high
// injection through IKF/IKR and NKF); the base currents Ibe (bi-ei, WBE of it) and Ibex
// (bx-ei), Ibc (bi-ci) less the weak avalanche current Igc; the intrinsic collector
// resistance RCI with Kull's quasi-saturation (GAMM, VO, HRCF) and its epi charge QCO;
// the base resistance RBI modulated by qb; the parasitic substrate pnp (bx-bp-si: ISP,
// WSP, IKP, IBEIP...) with its base resistance RBP (bp-cx); depletion charges with VBIC's
// smoothing of the FC linearisation, diffusion charges TF (QTF, XTF, VTF, ITF) and TR.
// The overlap capacitances CBEO and CBCO are read and left out, as ngspice's level 4
// does: measured, a CBCO of 1 pF moves none of its .ac numbers.
#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>

#include <fmt/format.h>

#include "circuit/constants.hpp"
#include "circuit/convergence.hpp"
#include "circuit/dual.hpp"
#include "circuit/junction.hpp"
#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct VbicParams {
  double tnom, rcx, rci, vo, gamm, hrcf, rbx, rbi, re, rs, rbp, is, nf, nr, fc, cbeo, cje, pe, me, aje;
  double cbco, cjc, qco, cjep, pc, mc, ajc, cjcp, ps, ms, ajs, ibei, wbe, nei, iben, nen, ibci, nci;
  double ibcn, ncn, avc1, avc2, isp, wsp, nfp, ibeip, ibenp, ibcip, ncip, ibcnp, ncnp, vef, ver;
  double ikf, ikr, ikp, tf, qtf, xtf, vtf, itf, tr, td, kfn, afn, bfn, xre, xrbi, xrci, xrs, xvo;
  double ea, eaie, eaic, eais, eane, eanc, eans, xis, xii, xin, tnf, tavc, rth, cth, vrt, art, ccso;
  double qbm, nkf, xikf, xrcx, xrbx, xrbp, isrr, xisr, dear, eap, vbbe, nbbe, ibbe, tvbbe1, tvbbe2;
  double tnbbe, ebbe, vers, vref;
  double area, m, off, icvbe, icvce;
};

using P = VbicParams;
// 0 stands for "infinite" on VEF, VER, IKF, IKR, IKP, ITF, VTF and VO, as in VBIC.
constexpr Param<P> vbic_params[] = {
    {"tnom", &P::tnom, 27, -273, 1000, "degC", "parameter measurement temperature"},
    {"tref", &P::tnom, 27, -273, 1000, "degC", "same as tnom"},
    {"rcx", &P::rcx, 0, 0, inf, "Ohm", "extrinsic collector resistance"},
    {"rci", &P::rci, 0, 0, inf, "Ohm", "intrinsic collector resistance"},
    {"vo", &P::vo, 0, 0, inf, "V", "epi drift saturation voltage (0: none)"},
    {"gamm", &P::gamm, 0, 0, inf, "", "epi doping parameter"},
    {"hrcf", &P::hrcf, 0, 0, inf, "", "high-current RC factor (0: none)"},
    {"rbx", &P::rbx, 0, 0, inf, "Ohm", "extrinsic base resistance"},
    {"rbi", &P::rbi, 0, 0, inf, "Ohm", "intrinsic base resistance"},
    {"re", &P::re, 0, 0, inf, "Ohm", "emitter resistance"},
    {"rs", &P::rs, 0, 0, inf, "Ohm", "substrate resistance"},
    {"rbp", &P::rbp, 0, 0, inf, "Ohm", "parasitic transistor base resistance"},
    {"is", &P::is, 1e-16, 0, inf, "A", "transport saturation current"},
    {"nf", &P::nf, 1, 0.01, 100, "", "forward emission coefficient"},
    {"nr", &P::nr, 1, 0.01, 100, "", "reverse emission coefficient"},
    {"fc", &P::fc, 0.9, 0, 0.9999, "", "forward-bias depletion capacitance limit"},
    {"cbeo", &P::cbeo, 0, 0, inf, "F", "base-emitter overlap capacitance: accepted, left out as ngspice's level 4 does (measured)"},
    {"cje0", &P::cbeo, 0, 0, inf, "F", "same as cbeo"},
    {"cje", &P::cje, 0, 0, inf, "F", "base-emitter zero-bias depletion capacitance"},
    {"pe", &P::pe, 0.75, 0.01, 10, "V", "base-emitter built-in potential"},
    {"me", &P::me, 0.33, 0.01, 0.99, "", "base-emitter grading coefficient"},
    {"aje", &P::aje, -0.5, -inf, inf, "", "base-emitter capacitance smoothing (<= 0: SPICE's FC linearisation)"},
    {"cbco", &P::cbco, 0, 0, inf, "F", "base-collector overlap capacitance: accepted, left out as ngspice's level 4 does (measured)"},
    {"cjc0", &P::cbco, 0, 0, inf, "F", "same as cbco"},
    {"cjc", &P::cjc, 0, 0, inf, "F", "base-collector zero-bias depletion capacitance"},
    {"qco", &P::qco, 0, 0, inf, "C", "epi charge parameter"},
    {"cjep", &P::cjep, 0, 0, inf, "F", "extrinsic base-collector zero-bias capacitance"},
    {"pc", &P::pc, 0.75, 0.01, 10, "V", "base-collector built-in potential"},
    {"mc", &P::mc, 0.33, 0.01, 0.99, "", "base-collector grading coefficient"},
    {"ajc", &P::ajc, -0.5, -inf, inf, "", "base-collector capacitance smoothing (<= 0: FC linearisation)"},
    {"cjcp", &P::cjcp, 0, 0, inf, "F", "substrate-collector zero-bias capacitance"},
    {"ps", &P::ps, 0.75, 0.01, 10, "V", "substrate-collector built-in potential"},
    {"ms", &P::ms, 0.33, 0.01, 0.99, "", "substrate-collector grading coefficient"},
    {"ajs", &P::ajs, -0.5, -inf, inf, "", "substrate-collector capacitance smoothing (<= 0: FC linearisation)"},
    {"ibei", &P::ibei, 1e-18, 0, 1, "A", "ideal base-emitter saturation current"},
    {"wbe", &P::wbe, 1, 0, 1, "", "portion of IBEI from vbei (the rest from vbex)"},
    {"nei", &P::nei, 1, 0.01, 100, "", "ideal base-emitter emission coefficient"},
    {"iben", &P::iben, 0, 0, 1, "A", "non-ideal base-emitter saturation current"},
    {"nen", &P::nen, 2, 0.01, 100, "", "non-ideal base-emitter emission coefficient"},
    {"ibci", &P::ibci, 1e-16, 0, 1, "A", "ideal base-collector saturation current"},
    {"nci", &P::nci, 1, 0.01, 100, "", "ideal base-collector emission coefficient"},
    {"ibcn", &P::ibcn, 0, 0, 1, "A", "non-ideal base-collector saturation current"},
    {"ncn", &P::ncn, 2, 0.01, 100, "", "non-ideal base-collector emission coefficient"},
    {"avc1", &P::avc1, 0, 0, inf, "1/V", "base-collector weak avalanche parameter 1"},
    {"avc2", &P::avc2, 0, 0, inf, "V", "base-collector weak avalanche parameter 2"},
    {"isp", &P::isp, 0, 0, inf, "A", "parasitic transport saturation current"},
    {"wsp", &P::wsp, 1, 0, 1, "", "portion of the parasitic current from vbep (the rest from vbci)"},
    {"nfp", &P::nfp, 1, 0.01, 100, "", "parasitic forward emission coefficient"},
    {"ibeip", &P::ibeip, 0, 0, 1, "A", "ideal parasitic base-emitter saturation current"},
    {"ibenp", &P::ibenp, 0, 0, 1, "A", "non-ideal parasitic base-emitter saturation current"},
    {"ibcip", &P::ibcip, 0, 0, 1, "A", "ideal parasitic base-collector saturation current"},
    {"ncip", &P::ncip, 1, 0.01, 100, "", "ideal parasitic base-collector emission coefficient"},
    {"ibcnp", &P::ibcnp, 0, 0, 1, "A", "non-ideal parasitic base-collector saturation current"},
    {"ncnp", &P::ncnp, 2, 0.01, 100, "", "non-ideal parasitic base-collector emission coefficient"},
    {"vef", &P::vef, 0, 0, inf, "V", "forward Early voltage (0: infinite)"},
    {"ver", &P::ver, 0, 0, inf, "V", "reverse Early voltage (0: infinite)"},
    {"ikf", &P::ikf, 0, 0, inf, "A", "forward knee current (0: infinite)"},
    {"ikr", &P::ikr, 0, 0, inf, "A", "reverse knee current (0: infinite)"},
    {"ikp", &P::ikp, 0, 0, inf, "A", "parasitic knee current (0: infinite)"},
    {"tf", &P::tf, 0, 0, inf, "s", "forward transit time"},
    {"qtf", &P::qtf, 0, -inf, inf, "", "variation of TF with the base-width modulation"},
    {"xtf", &P::xtf, 0, 0, inf, "", "coefficient of TF's bias dependence"},
    {"vtf", &P::vtf, 0, 0, inf, "V", "coefficient of TF's dependence on vbc (0: none)"},
    {"itf", &P::itf, 0, 0, inf, "A", "coefficient of TF's dependence on the current (0: none)"},
    {"tr", &P::tr, 0, 0, inf, "s", "ideal reverse transit time"},
    {"td", &P::td, 0, 0, inf, "s", "forward excess-phase delay: accepted, not modelled (as ngspice's level 4)"},
    {"kfn", &P::kfn, 0, 0, inf, "", "base-emitter flicker noise coefficient"},
    {"afn", &P::afn, 1, 0, 10, "", "base-emitter flicker noise exponent"},
    {"bfn", &P::bfn, 1, 0, 10, "", "base-emitter flicker noise frequency exponent"},
    {"xre", &P::xre, 0, -inf, inf, "", "temperature exponent of RE"},
    {"xrbi", &P::xrbi, 0, -inf, inf, "", "temperature exponent of RBI"},
    {"xrb", &P::xrbi, 0, -inf, inf, "", "same as xrbi"},
    {"xrci", &P::xrci, 0, -inf, inf, "", "temperature exponent of RCI"},
    {"xrc", &P::xrci, 0, -inf, inf, "", "same as xrci"},
    {"xrs", &P::xrs, 0, -inf, inf, "", "temperature exponent of RS"},
    {"xvo", &P::xvo, 0, -inf, inf, "", "temperature exponent of VO"},
    {"ea", &P::ea, 1.12, 0, 10, "eV", "activation energy of IS"},
    {"eaie", &P::eaie, 1.12, 0, 10, "eV", "activation energy of IBEI"},
    {"eaic", &P::eaic, 1.12, 0, 10, "eV", "activation energy of IBCI and IBEIP"},
    {"eais", &P::eais, 1.12, 0, 10, "eV", "activation energy of IBCIP"},
    {"eane", &P::eane, 1.12, 0, 10, "eV", "activation energy of IBEN"},
    {"eanc", &P::eanc, 1.12, 0, 10, "eV", "activation energy of IBCN and IBENP"},
    {"eans", &P::eans, 1.12, 0, 10, "eV", "activation energy of IBCNP"},
    {"xis", &P::xis, 3, -inf, inf, "", "temperature exponent of IS"},
    {"xii", &P::xii, 3, -inf, inf, "", "temperature exponent of the ideal base currents"},
    {"xin", &P::xin, 3, -inf, inf, "", "temperature exponent of the non-ideal base currents"},
    {"tnf", &P::tnf, 0, -inf, inf, "1/K", "temperature coefficient of NF and NR"},
    {"tavc", &P::tavc, 0, -inf, inf, "1/K", "temperature coefficient of AVC2"},
    {"rth", &P::rth, 0, 0, inf, "K/W", "thermal resistance: accepted; self-heating needs a thermal node, not implemented"},
    {"cth", &P::cth, 0, 0, inf, "J/K", "thermal capacitance: accepted, as rth"},
    {"vrt", &P::vrt, 0, 0, inf, "V", "punch-through voltage of the base-collector capacitance (0: none)"},
    {"art", &P::art, 0.1, 0, inf, "", "smoothing of the punch-through"},
    {"ccso", &P::ccso, 0, 0, 1, "", "fixed capacitance partitioning flag (0 only)"},
    {"qbm", &P::qbm, 0, 0, 1, "", "SGP qb formulation flag (0 only)"},
    {"nkf", &P::nkf, 0.5, 0.01, 10, "", "high-current beta roll-off exponent"},
    {"xikf", &P::xikf, 0, -inf, inf, "", "temperature exponent of IKF"},
    {"xrcx", &P::xrcx, 0, -inf, inf, "", "temperature exponent of RCX"},
    {"xrbx", &P::xrbx, 0, -inf, inf, "", "temperature exponent of RBX"},
    {"xrbp", &P::xrbp, 0, -inf, inf, "", "temperature exponent of RBP"},
    {"isrr", &P::isrr, 1, 0, inf, "", "ratio of the reverse to the forward saturation current"},
    {"xisr", &P::xisr, 0, -inf, inf, "", "temperature exponent of ISRR"},
    {"dear", &P::dear, 0, -10, 10, "eV", "activation energy difference of ISRR"},
    {"eap", &P::eap, 1.12, 0, 10, "eV", "activation energy of ISP"},
    {"vbbe", &P::vbbe, 0, 0, inf, "V", "base-emitter breakdown voltage (0: none)"},
    {"nbbe", &P::nbbe, 1, 0.01, 100, "", "base-emitter breakdown emission coefficient"},
    {"ibbe", &P::ibbe, 1e-6, 0, inf, "A", "base-emitter breakdown current"},
    {"tvbbe1", &P::tvbbe1, 0, -inf, inf, "1/K", "linear temperature coefficient of VBBE"},
    {"tvbbe2", &P::tvbbe2, 0, -inf, inf, "1/K^2", "quadratic temperature coefficient of VBBE"},
    {"tnbbe", &P::tnbbe, 0, -inf, inf, "1/K", "temperature coefficient of NBBE"},
    {"ebbe", &P::ebbe, 0, -inf, inf, "", "exp(-VBBE/(NBBE Vt)), a derived value"},
    {"vers", &P::vers, 1.2, 0, inf, "", "model version (informative)"},
    {"vref", &P::vref, 0, -inf, inf, "", "model revision (informative)"},
    {"area", &P::area, 1, above(0), inf, "", "area factor", Scope::Instance},
    {"m", &P::m, 1, above(0), inf, "", "number of devices in parallel", Scope::Instance},
    {"off", &P::off, 0, 0, 1, "", "initial-guess flag: accepted; the operating point starts from zero voltages anyway", Scope::Instance},
    {"ic", &P::icvbe, 0, -inf, inf, "V", "initial vbe with uic (ic=vbe,vce)", Scope::Instance},
    {"ic2", &P::icvce, 0, -inf, inf, "V", "initial vce with uic (the second value of ic=)", Scope::Instance},
};

// The nonlinear branch voltages, in the n-type frame (times the polarity).
enum Var { VBEI, VBEX, VBCI, VBCX, VBEP, VBCP, VRBI, VRBP, NVAR };
using D = Dual<NVAR>;

enum Node { C, B, E, S, CX, CI, BX, BI, EI, BP, SI, NNODE };
constexpr std::array<std::pair<Node, Node>, NVAR> var_nodes = {
    {{BI, EI}, {BX, EI}, {BI, CI}, {BI, CX}, {BX, BP}, {SI, BP}, {BX, BI}, {BP, CX}}};

double reciprocal(double x) { return x > 0 && std::isfinite(x) ? 1 / x : 0.0; }

// VBIC's normalised depletion charge (a charge over the zero-bias capacitance): the
// SPICE form linear in capacitance beyond FC*P for a <= 0, else a smooth transition of
// width a to the constant capacitance (1-FC)^-M.
D depletion(const D& v, double p, double m, double fc, double a) {
  const double dv0 = -p * fc;
  if (a <= 0) {
    const D dvh = v + dv0;
    if (dvh.v > 0) {
      const double pwq = std::pow(1 - fc, -1 - m);
      const double qlo = p * (1 - pwq * (1 - fc) * (1 - fc)) / (1 - m);
      return qlo + dvh * (1 - fc + 0.5 * m * dvh / p) * pwq;
    }
    return p * (1 - pow(1 - v / p, 1 - m)) / (1 - m);
  }
  const double mv0 = std::sqrt(dv0 * dv0 + 4 * a * a);
  const double vl0 = -0.5 * (dv0 + mv0);
  const double q0 = -p * std::pow(1 - vl0 / p, 1 - m) / (1 - m);
  const D dv = v + dv0;
  const D mv = sqrt(dv * dv + 4 * a * a);
  const D vl = 0.5 * (dv - mv) - dv0;
  const D qlo = -p * pow(1 - vl / p, 1 - m) / (1 - m);
  return qlo + std::pow(1 - fc, -m) * (v - vl + vl0) - q0;
}

// A built-in potential at temperature: VBIC's mapping, which keeps it positive.
double potential_at(double p, double ea, double vt, double rt) {
  const double psiio = 2 * (vt / rt) * std::log(std::exp(0.5 * p * rt / vt) - std::exp(-0.5 * p * rt / vt));
  const double psiin = psiio * rt - 3 * vt * std::log(rt) - ea * (rt - 1);
  return psiin + 2 * vt * std::log(0.5 * (1 + std::sqrt(1 + 4 * std::exp(-psiin / vt))));
}

class Vbic final : public Device {
public:
  Vbic(const DeviceInput& in, int polarity) : Device(in.element.name, in.element.where), type_(polarity) {
    if (!in.model) throw InputError(in.element.where, "VBIC '" + name() + "' needs a .model");
    std::vector<bool> given;
    p_ = resolve<P>(vbic_params, in, &given);
    has_ic_ = given[index_of("ic")] || given[index_of("ic2")];
    // What this model does not compute is refused by name, where the card gives it.
    auto where = [&](std::string_view param) -> Location {
      for (const auto& a : in.model->params)
        if (a.name == param) return a.where;
      return in.element.where;
    };
    auto refuse = [&](std::string_view param, bool set, std::string_view what) {
      if (set)
        throw InputError(where(param), fmt::format("VBIC model '{}': {} ({} = {:g}) is not implemented",
                                                   in.model->name, what, param, value_of(param)));
    };
    refuse("vrt", p_.vrt > 0, "the punch-through of the base-collector capacitance");
    refuse("vbbe", p_.vbbe > 0, "the base-emitter breakdown");
    refuse("qbm", p_.qbm != 0, "the SGP qb formulation");
    refuse("ccso", p_.ccso != 0, "the fixed capacitance partitioning");
  }

  void setup(Setup& s) override {
    nodes_[C] = s.terminal(0);
    nodes_[B] = s.terminal(1);
    nodes_[E] = s.terminal(2);
    nodes_[S] = s.terminal(3);
    nodes_[CX] = p_.rcx > 0 ? s.internal_node("cx") : nodes_[C];
    nodes_[CI] = p_.rci > 0 ? s.internal_node("ci") : nodes_[CX];
    nodes_[BX] = p_.rbx > 0 ? s.internal_node("bx") : nodes_[B];
    nodes_[BI] = p_.rbi > 0 ? s.internal_node("bi") : nodes_[BX];
    nodes_[EI] = p_.re > 0 ? s.internal_node("ei") : nodes_[E];
    nodes_[BP] = p_.rbp > 0 ? s.internal_node("bp") : nodes_[CX];
    nodes_[SI] = p_.rs > 0 ? s.internal_node("si") : nodes_[S];
    grid_.declare(s, nodes_);
    scale_to(s.temperature());
    kelvin_ = s.temperature();
  }

  void initial_condition(std::span<double> x) const override {
    if (!has_ic_) return;
    const double ve = nodes_[E] == ground ? 0.0 : x[nodes_[E]];
    if (nodes_[B] != ground) x[nodes_[B]] = ve + type_ * p_.icvbe;
    if (nodes_[C] != ground) x[nodes_[C]] = ve + type_ * p_.icvce;
  }

  void topology(Topology& t) const override {
    t.conducts(nodes_[C], nodes_[B]);
    t.conducts(nodes_[B], nodes_[E]);
    t.conducts(nodes_[S], nodes_[B]);
  }

  void load(const Eval& e, Load& l) const override {
    const Point p = at(e);
    auto stamp = [&](Node from, Node to, const D& i, bool reactive) {
      grid_.controlled(l, nodes_, from, to, type_, i, var_nodes, reactive);
    };
    stamp(CI, EI, p.iciei, false);
    stamp(BI, EI, p.ibe, false);
    stamp(BX, EI, p.ibex, false);
    stamp(BI, CI, p.ibc, false);
    stamp(BX, BP, p.ibep, false);
    stamp(SI, BP, p.ibcp, false);
    stamp(BX, SI, p.iccp, false);
    if (p_.rci > 0) stamp(CX, CI, p.irci, false);
    if (p_.rbi > 0) stamp(BX, BI, p.irbi, false);
    if (p_.rbp > 0) stamp(BP, CX, p.irbp, false);
    for (const auto& [a, b, g] : {std::tuple{C, CX, gcx_}, std::tuple{B, BX, gbx_}, std::tuple{E, EI, ge_},
                                  std::tuple{S, SI, gs_}}) {
      if (g <= 0) continue;
      const double i = g * (e.v(nodes_[a]) - e.v(nodes_[b]));
      l.f(nodes_[a], i);
      l.f(nodes_[b], -i);
      grid_.pair(l, a, b, g);
    }
    stamp(BI, EI, p.qbe, true);
    stamp(BX, EI, p.qbex, true);
    stamp(BI, CI, p.qbc, true);
    stamp(BI, CX, p.qbcx, true);
    stamp(BX, BP, p.qbep, true);
    stamp(SI, BP, p.qbcp, true);
  }

  double limit(const Eval& accepted, const Eval& proposed) const override {
    namespace j = junction;
    double fraction = 1;
    for (Var k : {VBEI, VBCI}) {
      const double vold = voltage(accepted, k), vnew = voltage(proposed, k);
      fraction = std::min(fraction, j::step_fraction(vold, vnew, j::pnjlim(vnew, vold, vt_, vcrit_)));
    }
    return fraction;
  }

  // SPICE's test (convergence.hpp) on each junction and transport current of the
  // intrinsic and parasitic transistors.
  bool settled(const Eval& accepted, const Eval& proposed, double reltol, double abstol) const override {
    const Point a = at(accepted), b = at(proposed);
    std::array<double, NVAR> dv{};
    for (std::size_t k = 0; k < NVAR; ++k)
      dv[k] = voltage(proposed, static_cast<Var>(k)) - voltage(accepted, static_cast<Var>(k));
    for (D Point::*i : {&Point::iciei, &Point::ibe, &Point::ibex, &Point::ibc, &Point::ibep, &Point::ibcp, &Point::iccp})
      if (!current_settled(a.*i, b.*i, dv, reltol, abstol)) return false;
    return true;
  }

  // Thermal noise of the resistors (RBI and RBP at their modulated values), shot noise of
  // the forward transport current Itzf/qb and of the base currents, flicker noise
  // KFN |i|^AFN / f^BFN of the base-emitter currents of the intrinsic (bi-ei) and the
  // parasitic (bx-bp) transistor. The flicker of m devices in parallel is m times one's,
  // m KFN (|i|/m)^AFN: their fluctuations are independent (as ngspice's level 4 does; the
  // same as KFN |i|^AFN only for AFN = 1).
  void noise(const Eval& e, double f, std::vector<NoiseSource>& out) const override {
    const Point p = at(e);
    const double four_kt = 4 * constants::boltzmann * kelvin_, two_q = 2 * constants::charge;
    auto flicker = [&](double i) { return p_.m * p_.kfn * std::pow(std::abs(i) / p_.m, p_.afn) / std::pow(f, p_.bfn); };
    out.push_back({"rc", nodes_[C], nodes_[CX], four_kt * gcx_});
    out.push_back({"rci", nodes_[CX], nodes_[CI], p_.rci > 0 ? four_kt * p.irci.d[VBCI] : 0});
    out.push_back({"rb", nodes_[B], nodes_[BX], four_kt * gbx_});
    out.push_back({"rbi", nodes_[BX], nodes_[BI], p_.rbi > 0 ? four_kt * p.irbi.d[VRBI] : 0});
    out.push_back({"re", nodes_[E], nodes_[EI], four_kt * ge_});
    out.push_back({"rbp", nodes_[BP], nodes_[CX], p_.rbp > 0 ? four_kt * p.irbp.d[VRBP] : 0});
    out.push_back({"rs", nodes_[S], nodes_[SI], four_kt * gs_});
    out.push_back({"ic", nodes_[CI], nodes_[EI], two_q * std::abs(p.itzf_qb)});
    out.push_back({"ib", nodes_[BI], nodes_[EI], two_q * std::abs(p.ibe.v)});
    out.push_back({"ibep", nodes_[BX], nodes_[BP], two_q * std::abs(p.ibep.v)});
    out.push_back({"iccp", nodes_[BX], nodes_[SI], two_q * std::abs(p.iccp.v)});
    out.push_back({"1overfbe", nodes_[BI], nodes_[EI], flicker(p.ibe.v)});
    out.push_back({"1overfbep", nodes_[BX], nodes_[BP], flicker(p.ibep.v)});
  }

  double quantity(std::size_t k, const Eval& e) const override {
    const Point p = at(e);
    // Terminal currents into the device (real frame), at DC: the collector's is the
    // transport current less the base-collector currents, the parasitic base's included.
    const double into_c = type_ * (p.iciei.v - p.ibc.v - p.ibep.v - p.ibcp.v);
    const double into_b = type_ * (p.ibe.v + p.ibex.v + p.ibc.v + p.ibep.v + p.iccp.v);
    const double into_s = type_ * (p.ibcp.v - p.iccp.v);
    const double into_e = -(into_c + into_b + into_s);
    const double gm = p.iciei.d[VBEI];
    const double go = -p.iciei.d[VBCI];
    const double values[] = {into_c,
                             into_b,
                             into_e,
                             type_ * p.vbe,
                             type_ * p.vbc,
                             type_ * (p.vbe - p.vbc),
                             gm,
                             p.ibe.d[VBEI],
                             p.ibc.d[VBCI],
                             go,
                             p.qbe.d[VBEI],
                             p.qbc.d[VBCI],
                             type_ * p.qbe.v,
                             type_ * p.qbc.v};
    return values[k];
  }

private:
  struct Point {
    double vbe, vbc, itzf_qb;  // itzf_qb: the forward transport current Itzf / qb
    D iciei, ibe, ibex, ibc, ibep, ibcp, iccp, irci, irbi, irbp;
    D qbe, qbex, qbc, qbcx, qbep, qbcp;
  };

  static std::size_t index_of(std::string_view name) {
    for (std::size_t k = 0; k < std::size(vbic_params); ++k)
      if (vbic_params[k].name == name) return k;
    return 0;
  }
  double value_of(std::string_view name) const { return p_.*(vbic_params[index_of(name)].field); }

  double voltage(const Eval& e, Var k) const {
    return type_ * (e.v(nodes_[var_nodes[k].first]) - e.v(nodes_[var_nodes[k].second]));
  }

  // VBIC's temperature mapping from TNOM to the device temperature, with the area and the
  // parallel count folded in.
  void scale_to(double kelvin) {
    const double scale = p_.area * p_.m;
    const double tnom = p_.tnom + junction::zero_celsius;
    const double rt = kelvin / tnom, dt = kelvin - tnom;
    // The parameters map with the thermal voltage at the device temperature, but the
    // junction exponentials run with the one at TNOM: what ngspice's level 4 computes
    // without a thermal node (measured: with EA = XIS = 0 its currents do not move
    // between 27 and 150 degC, and follow TNOM).
    const double vtt = junction::thermal_voltage(kelvin);
    vt_ = junction::thermal_voltage(tnom);
    auto activated = [&](double x, double ea, double n) {
      return std::pow(std::pow(rt, x) * std::exp(-ea * (1 - rt) / vtt), 1 / n);
    };
    is_ = p_.is * activated(p_.xis, p_.ea, p_.nf) * scale;
    isrr_ = p_.isrr * activated(p_.xisr, p_.dear, p_.nr);
    isp_ = p_.isp * activated(p_.xis, p_.eap, p_.nfp) * scale;
    ibei_ = p_.ibei * activated(p_.xii, p_.eaie, p_.nei) * scale;
    iben_ = p_.iben * activated(p_.xin, p_.eane, p_.nen) * scale;
    ibci_ = p_.ibci * activated(p_.xii, p_.eaic, p_.nci) * scale;
    ibcn_ = p_.ibcn * activated(p_.xin, p_.eanc, p_.ncn) * scale;
    ibeip_ = p_.ibeip * activated(p_.xii, p_.eaic, p_.nci) * scale;
    ibenp_ = p_.ibenp * activated(p_.xin, p_.eanc, p_.ncn) * scale;
    ibcip_ = p_.ibcip * activated(p_.xii, p_.eais, p_.ncip) * scale;
    ibcnp_ = p_.ibcnp * activated(p_.xin, p_.eans, p_.ncnp) * scale;
    nf_ = p_.nf * (1 + dt * p_.tnf);
    nr_ = p_.nr * (1 + dt * p_.tnf);
    avc2_ = p_.avc2 * (1 + dt * p_.tavc);
    auto resistance = [&](double r, double x) { return r > 0 ? scale / (r * std::pow(rt, x)) : 0.0; };
    gcx_ = resistance(p_.rcx, p_.xrcx);
    gbx_ = resistance(p_.rbx, p_.xrbx);
    ge_ = resistance(p_.re, p_.xre);
    gs_ = resistance(p_.rs, p_.xrs);
    rci_ = p_.rci * std::pow(rt, p_.xrci) / scale;
    rbi_ = p_.rbi * std::pow(rt, p_.xrbi) / scale;
    rbp_ = p_.rbp * std::pow(rt, p_.xrbp) / scale;
    vo_ = p_.vo * std::pow(rt, p_.xvo);
    ikf_ = p_.ikf * std::pow(rt, p_.xikf) * scale;
    pe_ = potential_at(p_.pe, p_.eaie, vtt, rt);
    pc_ = potential_at(p_.pc, p_.eaic, vtt, rt);
    ps_ = potential_at(p_.ps, p_.eais, vtt, rt);
    cje_ = p_.cje * std::pow(p_.pe / pe_, p_.me) * scale;
    cjc_ = p_.cjc * std::pow(p_.pc / pc_, p_.mc) * scale;
    cjep_ = p_.cjep * std::pow(p_.pc / pc_, p_.mc) * scale;
    cjcp_ = p_.cjcp * std::pow(p_.ps / ps_, p_.ms) * scale;
    gamm_ = p_.gamm * std::pow(rt, p_.xis) * std::exp(-p_.ea * (1 - rt) / vtt);
    qco_ = p_.qco * scale;
    iikr_ = reciprocal(p_.ikr * scale);
    iikp_ = reciprocal(p_.ikp * scale);
    iitf_ = reciprocal(p_.itf * scale);
    vcrit_ = vt_ * std::log(vt_ / (std::sqrt(2.0) * std::max(is_, 1e-300)));
  }

  static D junction_current(const D& v, double is, double vte) {
    if (is == 0) return D{};
    return is * (exp(v / vte) - 1);
  }

  Point at(const Eval& e) const {
    D v[NVAR];
    for (std::size_t k = 0; k < NVAR; ++k) v[k] = D::variable(voltage(e, static_cast<Var>(k)), k);
    const D &vbei = v[VBEI], &vbex = v[VBEX], &vbci = v[VBCI], &vbcx = v[VBCX];
    const D &vbep = v[VBEP], &vbcp = v[VBCP];
    const double g = e.gmin;
    Point p{};
    p.vbe = vbei.v;
    p.vbc = vbci.v;

    // Transport current and the normalised base charge.
    const D itzf = junction_current(vbei, is_, nf_ * vt_);
    const D itzr = junction_current(vbci, is_ * isrr_, nr_ * vt_);
    const D qdbe = depletion(vbei, pe_, p_.me, p_.fc, p_.aje);
    const D qdbc = depletion(vbci, pc_, p_.mc, p_.fc, p_.ajc);
    const D q1z = 1 + qdbe * reciprocal(p_.ver) + qdbc * reciprocal(p_.vef);
    const D q1 = 0.5 * (sqrt((q1z - 1e-4) * (q1z - 1e-4) + 1e-8) + q1z - 1e-4) + 1e-4;
    const D q2 = itzf * reciprocal(ikf_) + itzr * iikr_;
    const D qb = p_.nkf == 0.5 ? 0.5 * (q1 + sqrt(q1 * q1 + 4 * q2))
                               : 0.5 * (q1 + pow(pow(q1, 1 / p_.nkf) + 4 * q2, p_.nkf));
    p.iciei = (itzf - itzr) / qb;
    p.itzf_qb = itzf.v / qb.v;

    // Base currents, with gmin across each junction.
    const D ibe_all = junction_current(vbei, ibei_, p_.nei * vt_) + junction_current(vbei, iben_, p_.nen * vt_);
    p.ibe = p_.wbe * ibe_all + g * vbei;
    p.ibex = (1 - p_.wbe) * (junction_current(vbex, ibei_, p_.nei * vt_) + junction_current(vbex, iben_, p_.nen * vt_)) +
             g * vbex;
    const D ibc = junction_current(vbci, ibci_, p_.nci * vt_) + junction_current(vbci, ibcn_, p_.ncn * vt_) + g * vbci;
    D igc{};
    if (p_.avc1 > 0) {  // weak avalanche in the base-collector junction
      const D d = pc_ - vbci;
      const D vl = 0.5 * (sqrt(d * d + 0.01) + d);
      const D avalf = p_.avc1 * vl * exp(-avc2_ * pow(vl, p_.mc - 1));
      igc = ((itzf - itzr) / qb - ibc) * avalf;
    }
    p.ibc = ibc - igc;
    p.ibep = junction_current(vbep, ibeip_, p_.nci * vt_) + junction_current(vbep, ibenp_, p_.ncn * vt_) + g * vbep;
    p.ibcp = junction_current(vbcp, ibcip_, p_.ncip * vt_) + junction_current(vbcp, ibcnp_, p_.ncnp * vt_) + g * vbcp;

    // The parasitic substrate transistor.
    D qbp{1};
    if (isp_ > 0) {
      const D itfp = isp_ * (p_.wsp * exp(vbep / (p_.nfp * vt_)) + (1 - p_.wsp) * exp(vbci / (p_.nfp * vt_)) - 1);
      const D itrp = junction_current(vbcp, isp_, p_.nfp * vt_);
      qbp = 0.5 * (1 + sqrt(1 + 4 * itfp * iikp_));
      p.iccp = (itfp - itrp) / qbp;
    }

    // Intrinsic collector resistance with quasi-saturation (Kull).
    const D kbci = sqrt(1 + gamm_ * exp(vbci / vt_));
    const D kbcx = sqrt(1 + gamm_ * exp(vbcx / vt_));
    if (p_.rci > 0) {
      const D vrci = vbci - vbcx;
      const D iohm = (vrci + vt_ * (kbci - kbcx - log((kbci + 1) / (kbcx + 1)))) / rci_;
      const double ivo = reciprocal(vo_), ihrcf = reciprocal(p_.hrcf);
      const D derf = ivo * rci_ * iohm / (1 + 0.5 * ivo * ihrcf * sqrt(vrci * vrci + 0.01));
      p.irci = iohm / sqrt(1 + derf * derf);
    }
    if (p_.rbi > 0) p.irbi = v[VRBI] * qb / rbi_;
    if (p_.rbp > 0) p.irbp = v[VRBP] * qbp / rbp_;

    // Charges: depletion, diffusion (TF grows with the current and vbci), epi.
    D qdiff_f{};
    if (p_.tf > 0) {
      D tff = p_.tf * (1 + p_.qtf * q1);
      if (itzf.v > 0) {
        const D rif = itzf * iitf_;
        const D mif = rif / (rif + 1);
        tff = tff * (1 + p_.xtf * exp(vbci * reciprocal(p_.vtf) / 1.44) * mif * mif);
      }
      qdiff_f = tff * itzf / qb;
    }
    p.qbe = p_.wbe * cje_ * qdbe + qdiff_f;
    p.qbex = (1 - p_.wbe) * cje_ * depletion(vbex, pe_, p_.me, p_.fc, p_.aje);
    p.qbc = cjc_ * qdbc + p_.tr * itzr + qco_ * kbci;
    p.qbcx = qco_ * kbcx;
    p.qbep = cjep_ * depletion(vbep, pc_, p_.mc, p_.fc, p_.ajc);
    p.qbcp = cjcp_ * depletion(vbcp, ps_, p_.ms, p_.fc, p_.ajs);
    return p;
  }

  P p_;
  int type_;  // +1 npn, -1 pnp
  double kelvin_ = 300.15;
  bool has_ic_ = false;
  double vt_ = 0, vcrit_ = 0, is_ = 0, isrr_ = 1, isp_ = 0, ibei_ = 0, iben_ = 0, ibci_ = 0, ibcn_ = 0;
  double ibeip_ = 0, ibenp_ = 0, ibcip_ = 0, ibcnp_ = 0, nf_ = 1, nr_ = 1, avc2_ = 0;
  double gcx_ = 0, gbx_ = 0, ge_ = 0, gs_ = 0, rci_ = 0, rbi_ = 0, rbp_ = 0, vo_ = 0, ikf_ = 0;
  double pe_ = 0, pc_ = 0, ps_ = 0, cje_ = 0, cjc_ = 0, cjep_ = 0, cjcp_ = 0, gamm_ = 0, qco_ = 0;
  double iikr_ = 0, iikp_ = 0, iitf_ = 0;
  std::array<Unknown, NNODE> nodes_{};
  EntryGrid<NNODE> grid_;
};

DeviceType vbic_type(std::string_view key, int polarity, std::string_view summary, std::string_view example) {
  return {key, summary, {"c", "b", "e", "s"}, {"area"},
          [] { return describe<P>(vbic_params); },
          [] { return std::vector<StateInfo>{}; },
          [] {
            return std::vector<QuantityInfo>{
                {"ic", "A", "collector current, into the collector (DC part)"},
                {"ib", "A", "base current, into the base (DC part)"},
                {"ie", "A", "emitter current, into the emitter (DC part)"},
                {"vbe", "V", "intrinsic base-emitter voltage"},
                {"vbc", "V", "intrinsic base-collector voltage"},
                {"vce", "V", "intrinsic collector-emitter voltage"},
                {"gm", "S", "transconductance d iciei / d vbei"},
                {"gpi", "S", "input conductance d ibe / d vbei"},
                {"gmu", "S", "feedback conductance d ibc / d vbci"},
                {"go", "S", "output conductance -d iciei / d vbci"},
                {"cbe", "F", "intrinsic base-emitter capacitance"},
                {"cbc", "F", "intrinsic base-collector capacitance"},
                {"qbe", "C", "intrinsic base-emitter charge"},
                {"qbc", "C", "intrinsic base-collector charge"}};
          },
          [polarity](const DeviceInput& in) { return std::make_unique<Vbic>(in, polarity); },
          example, 'q', 1};
}

}  // namespace

const bool vbic_registered =
    register_device_type(vbic_type("npn level=4", 1, "NPN bipolar transistor, VBIC (ngspice's BJT level 4)",
                                   "Q1 c b e s qv\n.model qv npn level=4 is=1e-16 ibei=1e-18 iben=5e-15 ibci=2e-17 "
                                   "ibcn=5e-15 isp=1e-15 rcx=10 rci=60 rbx=10 rbi=40 re=2 rs=20 rbp=40 vef=10 "
                                   "ver=4 ikf=2e-3 itf=8e-2 xtf=20 ikr=2e-4 ikp=2e-4 cje=1e-13 cjc=2e-14 "
                                   "cjep=1e-13 cjcp=4e-13 vo=2 gamm=2e-11 hrcf=2 qco=1e-12 avc1=2 avc2=15 "
                                   "tf=10e-12 tr=100e-12\n")) &&
    register_device_type(vbic_type("pnp level=4", -1, "PNP bipolar transistor, VBIC (ngspice's BJT level 4)",
                                   "Q1 c b e s qv\n.model qv pnp level=4 is=1e-16 ibei=1e-18 iben=5e-15 "
                                   "ibci=2e-17 rcx=10 rci=60 rbx=10 rbi=40 re=2 vef=10 ver=4 ikf=2e-3 "
                                   "cje=1e-13 cjc=2e-14 tf=10e-12\n"));

}  // namespace ns
