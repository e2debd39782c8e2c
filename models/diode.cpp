#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "circuit/constants.hpp"
#include "circuit/registry.hpp"
#include "circuit/junction.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct DiodeParams {
  double is, n, rs, cjo, vj, m, tt, bv, ibv, nbv, fc, eg, xti, tnom, kf, af, isr, nr, ikf, ikr, trs, trs2, area, off;
};

constexpr Param<DiodeParams> diode_params[] = {
    {"is", &DiodeParams::is, 1e-14, above(0), inf, "A", "saturation current"},
    {"n", &DiodeParams::n, 1, 1e-4, 100, "", "emission coefficient (below 0.01: the ideal-switch diodes of PSpice macromodels)"},
    {"rs", &DiodeParams::rs, 0, 0, inf, "Ohm", "series resistance"},
    {"cjo", &DiodeParams::cjo, 0, 0, inf, "F", "zero-bias junction capacitance"},
    {"cj0", &DiodeParams::cjo, 0, 0, inf, "F", "same as cjo"},
    {"vj", &DiodeParams::vj, 1, 0.01, 10, "V", "junction potential"},
    {"m", &DiodeParams::m, 0.5, 0, 0.9, "", "grading coefficient"},
    {"tt", &DiodeParams::tt, 0, 0, inf, "s", "transit time"},
    {"bv", &DiodeParams::bv, inf, 1e-3, inf, "V", "reverse breakdown voltage (inf: none)"},
    {"ibv", &DiodeParams::ibv, 1e-3, above(0), inf, "A", "current at breakdown voltage"},
    {"nbv", &DiodeParams::nbv, 0, 0, 100, "", "breakdown emission coefficient (0: n, as ngspice's default)"},
    {"fc", &DiodeParams::fc, 0.5, 0, 0.95, "", "forward-bias depletion capacitance coefficient"},
    {"eg", &DiodeParams::eg, 1.11, 0.1, 10, "eV", "activation energy"},
    {"xti", &DiodeParams::xti, 3, -100, 100, "", "saturation current temperature exponent"},
    {"tnom", &DiodeParams::tnom, 27, -273, 1000, "degC", "parameter measurement temperature"},
    {"kf", &DiodeParams::kf, 0, 0, inf, "", "flicker noise coefficient"},
    {"isr", &DiodeParams::isr, 0, 0, inf, "A", "recombination saturation current (PSpice)"},
    {"nr", &DiodeParams::nr, 2, 0.01, 100, "", "recombination emission coefficient"},
    {"ikf", &DiodeParams::ikf, 0, 0, inf, "A", "high-injection knee current (0: none)"},
    {"ik", &DiodeParams::ikf, 0, 0, inf, "A", "same as ikf"},
    {"ikr", &DiodeParams::ikr, 0, 0, inf, "A", "knee current of the breakdown current (0: none)"},
    {"trs", &DiodeParams::trs, 0, -inf, inf, "1/K", "linear temperature coefficient of rs"},
    {"trs1", &DiodeParams::trs, 0, -inf, inf, "1/K", "same as trs"},
    {"trs2", &DiodeParams::trs2, 0, -inf, inf, "1/K^2", "quadratic temperature coefficient of rs"},
    {"af", &DiodeParams::af, 1, 0, 10, "", "flicker noise exponent"},
    {"area", &DiodeParams::area, 1, above(0), inf, "", "area factor", Scope::Instance},
    {"off", &DiodeParams::off, 0, 0, 1, "", "initial-guess flag: accepted; the operating point starts from zero voltages anyway", Scope::Instance},
};

// SPICE level-1 junction diode as in ngspice: Shockley current with ngspice's reverse
// and breakdown branches and gmin in parallel, depletion charge with the FC
// linearisation, diffusion charge TT id, RS through an internal node.
class Diode final : public Device {
public:
  explicit Diode(const DeviceInput& in) : Device(in.element.name, in.element.where) {
    if (in.model)
      for (const auto& a : in.model->params)
        if (a.name == "level" && a.value != 1)
          throw InputError(a.where, fmt::format("diode model '{}': only level 1 is supported, "
                                                "not {:g}", in.model->name, a.value));
    p_ = resolve<DiodeParams>(diode_params, in);
  }

  void setup(Setup& s) override {
    anode_ = s.terminal(0);
    cathode_ = s.terminal(1);
    junction_ = p_.rs > 0 ? s.internal_node("a") : anode_;
    grid_.declare(s, {anode_, junction_, cathode_});
    scale_to(s.temperature());
    kelvin_ = s.temperature();
  }

  void topology(Topology& t) const override { t.conducts(anode_, cathode_); }

  void load(const Eval& e, Load& l) const override {
    if (p_.rs > 0) {
      const double g = p_.area / rs_;
      const double i = g * (e.v(anode_) - e.v(junction_));
      l.f(anode_, i);
      l.f(junction_, -i);
      grid_.pair(l, 0, 1, g);
    }
    const Point d = at(e.v(junction_) - e.v(cathode_), e.gmin);
    l.f(junction_, d.id);
    l.f(cathode_, -d.id);
    l.q(junction_, d.q);
    l.q(cathode_, -d.q);
    grid_.pair(l, 1, 2, d.gd);
    grid_.pair(l, 1, 2, d.cd, true);
  }

  double limit(const Eval& accepted, const Eval& proposed) const override {
    const double vold = accepted.v(junction_) - accepted.v(cathode_);
    const double vnew = proposed.v(junction_) - proposed.v(cathode_);
    const double vte = p_.n * vt_;
    double vlim;
    if (std::isfinite(p_.bv) && vnew < std::min(0.0, -bv_ + 10 * vbreak()))
      vlim = -(junction::pnjlim(-(vnew + bv_), -(vold + bv_), vbreak(), vcrit_) + bv_);
    else
      vlim = junction::pnjlim(vnew, vold, vte, vcrit_);
    return junction::step_fraction(vold, vnew, vlim);
  }

  bool settled(const Eval& accepted, const Eval& proposed, double reltol, double abstol) const override {
    const double vold = accepted.v(junction_) - accepted.v(cathode_);
    const double vnew = proposed.v(junction_) - proposed.v(cathode_);
    const Point old = at(vold, accepted.gmin);
    const double predicted = old.id + old.gd * (vnew - vold);
    const double actual = at(vnew, proposed.gmin).id;
    return std::abs(predicted - actual) <= reltol * std::max(std::abs(predicted), std::abs(actual)) + abstol;
  }

  // Thermal noise of RS, shot noise 2 q |id| and flicker noise KF |id|^AF / f of the junction.
  void noise(const Eval& e, double f, std::vector<NoiseSource>& out) const override {
    out.push_back({"rs", anode_, junction_, p_.rs > 0 ? 4 * constants::boltzmann * kelvin_ * p_.area / rs_ : 0});
    const double id = std::abs(at(e.v(junction_) - e.v(cathode_), e.gmin).id);
    out.push_back({"id", junction_, cathode_, 2 * constants::charge * id});
    out.push_back({"1overf", junction_, cathode_, p_.kf * std::pow(std::max(id, 1e-38), p_.af) / f});
  }

  double quantity(std::size_t k, const Eval& e) const override {
    const double vd = e.v(junction_) - e.v(cathode_);
    const Point d = at(vd, e.gmin);
    const double values[] = {d.id, vd, d.gd, d.cd};
    return values[k];
  }

private:
  struct Point {
    double id, gd, q, cd;  // current and its derivative, charge and its derivative
  };

  // Temperature-dependent values, SPICE3 style, from tnom to the circuit temperature.
  void scale_to(double kelvin) {
    const double tnom = p_.tnom + junction::zero_celsius;
    const double ratio = kelvin / tnom;
    vt_ = junction::thermal_voltage(kelvin);
    const double vte = p_.n * vt_;
    is_ = p_.is * p_.area * std::exp((ratio - 1) * p_.eg / vte + p_.xti / p_.n * std::log(ratio));
    isr_ = p_.isr * p_.area * std::exp((ratio - 1) * p_.eg / (p_.nr * vt_) + p_.xti / p_.nr * std::log(ratio));
    vj_ = junction::potential_at(p_.vj, tnom, kelvin);
    vj_kgen_ = vj_;
    const double dt = kelvin - tnom;
    rs_ = p_.rs * (1 + p_.trs * dt + p_.trs2 * dt * dt);
    if (p_.rs > 0 && !(rs_ > 0))
      throw InputError(where(), fmt::format("diode '{}': rs with trs/trs2 is {:g} ohm at {:g} C; it must be > 0",
                                            name(), rs_, kelvin - junction::zero_celsius));
    cj_ = p_.cjo * p_.area * junction::capacitance_factor(p_.vj, p_.m, tnom, kelvin);
    if (p_.fc * vj_ > 1) vj_ = 1 / p_.fc;  // as ngspice: keep FC*VJ <= 1
    vcrit_ = vte * std::log(vte / (std::sqrt(2.0) * is_));
    if (std::isfinite(p_.bv)) bv_ = junction::breakdown_knee(p_.bv, p_.ibv, is_, vt_, vbreak());
  }

  // The breakdown branch's exponential slope: NBV (zener decks give it) or N times vt.
  double vbreak() const { return (p_.nbv > 0 ? p_.nbv : p_.n) * vt_; }

  Point at(double vd, double gmin) const {
    const double vte = p_.n * vt_;
    auto [id, gd] = junction::pn_current(vd, is_, vte, bv_, vbreak());
    if (vd >= -3 * vte) {
      // PSpice's recombination current, ISR (exp(vd / (NR vt)) - 1) Kgen with
      // Kgen = ((1 - vd/VJ)^2 + 0.005)^(M/2), in the forward branch only, and the high-
      // injection knee on the sum, i / (1 + sqrt(i / IKF)): ngspice 39's diode (measured:
      // 1e-12 of its currents at 27 and 75 C; tests/good/users_vd_diode_library.cir).
      if (isr_ > 0) {
        const auto ex = safe_exp(vd / (p_.nr * vt_));
        const double u = 1 - vd / vj_kgen_, s = u * u + 0.005;
        const double kgen = std::pow(s, p_.m / 2);
        const double dkgen = p_.m / 2 * kgen / s * 2 * u * (-1 / vj_kgen_);
        const double irec = isr_ * (ex.value - 1);
        gd += isr_ * ex.slope / (p_.nr * vt_) * kgen + irec * dkgen;
        id += irec * kgen;
      }
      knee(p_.ikf, id, gd);
    } else if (vd < -bv_) {
      knee(p_.ikr, id, gd);
    }
    Point d{id + gmin * vd, gd + gmin, p_.tt * id, p_.tt * gd};
    const auto dep = junction::depletion(vd, cj_, vj_, p_.m, p_.fc);
    d.q += dep.q;
    d.cd += dep.c;
    return d;
  }

  // A knee current k (scaled by area) bends |i| to |i| / (1 + sqrt(|i| / k)); 0: none.
  void knee(double k, double& i, double& g) const {
    if (k <= 0 || i == 0) return;
    const double r = std::sqrt(std::abs(i) / (k * p_.area));
    g *= (1 + r / 2) / ((1 + r) * (1 + r));
    i /= 1 + r;
  }

  DiodeParams p_;
  double isr_ = 0, vj_kgen_ = 1, rs_ = 0;
  double vt_ = 0, is_ = 0, vj_ = 0, cj_ = 0, vcrit_ = 0, bv_ = inf, kelvin_ = 300.15;
  Unknown anode_ = ground, junction_ = ground, cathode_ = ground;
  EntryGrid<3> grid_;  // anode, junction (the anode when RS = 0), cathode
};

}  // namespace

const bool registered = register_model<Diode>(
    {.type = "d",
     .summary = "junction diode (SPICE level 1, as ngspice)",
     .terminals = {"a", "k"},
     .positional = {"area"},
     .probes = {{"id", "A", "junction current, gmin's included"},
                {"vd", "V", "junction voltage (behind rs)"},
                {"gd", "S", "junction conductance d id / d vd"},
                {"cd", "F", "junction capacitance, depletion and diffusion"}},
     .example = "D1 a k dm\n.model dm d is=1e-14 n=1.2 rs=10 cjo=1p tt=1n bv=10\n",
     .element = 'd'},
    diode_params);

}  // namespace ns
