// HfOx filamentary RRAM: the Stanford/PKU gap model (Guan, Yu, Wong, IEEE EDL 33, 1405
// (2012); Stanford RRAM model v1.0.0). Two terminals te (top electrode) and be (bottom);
// the filament's gap g (tip to the opposite electrode) is an internal unknown, in nm:
//
//   I     = I0 exp(-g/g0) sinh(V/V0)                                V = v(te) - v(be)
//   dg/dt = -vel0 exp(-Ea/(kB T)) sinh(gamma a0 V / (tox kB T / q)) W(V, g)
//   gamma = gamma0 - beta (g/g1)^3
//   T     = T0 + V I Rth
//
// V > 0 shrinks the gap (set), V < 0 widens it (reset).
//
// Temperature is algebraic, not a state: the filament's thermal time constant is of
// the order of a nanosecond, a thousand times shorter than the shortest programming
// pulse here (0.6 us), and I does not depend on T, so T follows V and g explicitly and
// there is no loop to solve. V I >= 0 always (V and sinh(V/V0) share their sign), so
// |V I| needs no absolute value and stays smooth.
//
// Smooth clamp: W = h(V) w(g - gmin) + (1 - h(V)) w(gmax - g), with w(x) = 1 - exp(-(x/dg)^2)
// for x > 0 and 0 below, h(V) = (1 + tanh(V / 10 mV)) / 2. Set slows to a stop at gmin,
// reset at gmax, each without hindering the other direction; W is continuously
// differentiable in V and g, so Newton and IDA see continuous Jacobians. (At |V| < 30 mV,
// where h blends, the rate itself is negligible.)
//
// DC: a non-volatile state has no DC equilibrium with a voltage across it (any V != 0
// moves it to a bound eventually). In .op and .dc, and in the operating point a
// transient starts from, the gap is held at its programmed value `gap` (instance
// parameter; also where .tran uic starts it): a DC read does not disturb the cell. Only
// the transient moves it. The gap is declared Hold::InDc, and Load::hold does it.
//
// exp and sinh continue along their tangent beyond argument 80 (circuit/dual.hpp), so a
// wild iterate gives large finite values. States and probes: see the registration below.
//
// Defaults are the shipped HfOx fit (netlists/rram/hfox_card.lib, with its access
// transistor for the 1T1R cell): Stanford v1.0.0's values except tox = 10 nm (the thesis'
// oxide; Stanford 12 nm), Rth = 4e5 K/W (Stanford 2.1e3) and gmax = 2.2 nm (1.7). Fitted by
// hand to Table 4.1 of M. Drouhin's thesis run on one cell (netlists/rram/program_1t1r.cir):
// forming leaves 36 kOhm; set is abrupt (self-heating runaway, stopped by the transistor)
// and its LRS falls with V_g (90 / 42 / 20 / 10 kOhm at 2.3 / 2.5 / 2.8 / 3.2 V); hard reset
// gives 1.34 MOhm, 33x the LRS; weak resets lower G nearly linearly for the first ~100
// pulses (from 24 uS; -0.19 uS per pulse over pulses 1-50, -0.14 over 50-100), then ever
// more slowly toward the HRS (3.0 uS after 200, 1.2 uS after 500). Limits: the thesis reports the near-linear fall
// over more pulses than this fit gives; no cycle-to-cycle or device variability (the
// original model's gap noise is left out); forming is just a set from the pristine gap
// gmax; one filament, temperature algebraic.
#include <cmath>
#include <type_traits>

#include "circuit/constants.hpp"
#include "circuit/dual.hpp"
#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

constexpr double nm = 1e-9;
constexpr double blend_voltage = 0.01;     // V, width of the set/reset window blend

// A value and its derivatives with respect to V (d[0]) and g (d[1], the gap in nm).
using Dual = ns::Dual<2>;

// The equations run on Dual, or on double for a residual-only load (values alone: a third
// of the work). The double versions do the same operations in the same order as Dual's
// values, so f is the same to the bit with or without the Jacobian.
double value(double x) { return x; }
double value(const Dual& x) { return x.v; }
template <class T>
T variable(double x, std::size_t k) {
  if constexpr (std::is_same_v<T, Dual>) return Dual::variable(x, k);
  else return x;
}
double exp_of(double a) { return safe_exp(a).value; }
Dual exp_of(const Dual& a) { return exp(a); }
double sinh_of(double a) { return safe_sinh_value(a); }
Dual sinh_of(const Dual& a) { return sinh(a); }
double tanh_of(double a) { return std::tanh(a); }
Dual tanh_of(const Dual& a) { return tanh(a); }

template <class T>
T window(const T& x, double width) {  // 1 - exp(-(x/width)^2) for x > 0, else 0
  if (value(x) <= 0) return T{};
  const double u = value(x) / width;
  // Beyond u^2 = 746, exp(-u^2) is 0 in double: the value is 1 and the slope 0, as
  // computed (a gap away from gmin or gmax, nearly every cell's at nearly every load).
  if (u * u > 746) return T{1.0};
  const double e = std::exp(-u * u);
  if constexpr (std::is_same_v<T, Dual>) return chain(x, 1 - e, 2 * u * e / width);
  else return 1 - e;
}

struct HfoxParams {
  double i0, g0, v0, vel0, ea, a0, tox, gamma0, beta, g1, rth, t0, gmin, gmax, dg, gap, vread;
};

using P = HfoxParams;
const Param<P> hfox_params[] = {
    {"i0", &P::i0, 1e-3, above(0), inf, "A", "current prefactor"},
    {"g0", &P::g0, 0.25e-9, above(0), 1e-6, "m", "gap decay length of the current"},
    {"v0", &P::v0, 0.25, 1e-3, 100, "V", "voltage scale of the current's sinh"},
    {"vel0", &P::vel0, 10, 0, inf, "m/s", "gap velocity prefactor"},
    {"ea", &P::ea, 0.6, 0, 5, "eV", "activation energy of gap motion"},
    {"a0", &P::a0, 0.25e-9, above(0), 1e-6, "m", "hopping distance"},
    {"tox", &P::tox, 10e-9, above(0), 1e-5, "m", "oxide thickness"},
    {"gamma0", &P::gamma0, 16, 0, 1e3, "", "field enhancement at zero gap"},
    {"beta", &P::beta, 0.8, 0, 1e3, "", "field-enhancement loss with gap"},
    {"g1", &P::g1, 1e-9, above(0), 1e-6, "m", "gap scale of the enhancement loss"},
    {"rth", &P::rth, 4e5, 0, inf, "K/W", "filament thermal resistance"},
    {"t0", &P::t0, 298, 1, 2000, "K", "ambient temperature"},
    {"gmin", &P::gmin, 0.2e-9, 0, 1e-6, "m", "smallest gap"},
    {"gmax", &P::gmax, 2.2e-9, above(0), 1e-6, "m", "largest gap (pristine)"},
    {"dg", &P::dg, 0.02e-9, above(0), 1e-7, "m", "width of the smooth clamp at gmin and gmax"},
    {"gap", &P::gap, 2.2e-9, 0, 1e-6, "m", "programmed gap: DC value and .tran uic start", Scope::Both},
    {"vread", &P::vread, 0.2, 1e-3, 10, "V", "read voltage of the @n[g] probe", Scope::Both},
};

class HfoxRram final : public Device {
public:
  explicit HfoxRram(const DeviceInput& in)
      : Device(in.element.name, in.element.where), p_(resolve<P>(hfox_params, in)) {
    if (p_.gmax <= p_.gmin)
      throw InputError(in.element.where, "'" + name() + "': gmax must exceed gmin");
  }

  void setup(Setup& s) override {
    te_ = s.terminal(0);
    be_ = s.terminal(1);
    gap_ = s.state("gap", 1e-5, p_.gap / nm);
    e_.declare(s, {te_, be_, gap_});
  }

  void topology(Topology& t) const override { t.conducts(te_, be_); }

  void load(const Eval& ev, Load& ld) const override {
    const double v = ev.v(te_) - ev.v(be_), g = ev.v(gap_);
    if (!ld.jacobian()) {
      const Point<double> pt = at<double>(v, g);
      ld.f(te_, pt.i);
      ld.f(be_, -pt.i);
      ld.q(gap_, g);
      e_.add(ld, 2, 2, 1.0, true);
      ld.f(gap_, -pt.rate);
      return;
    }
    const Point<Dual> pt = at<Dual>(v, g);
    ld.f(te_, pt.i.v);
    ld.f(be_, -pt.i.v);
    for (std::size_t r : {0u, 1u}) {
      const double s = r == 0 ? 1.0 : -1.0;
      e_.add(ld, r, 0, s * pt.i.d[0]);
      e_.add(ld, r, 1, -s * pt.i.d[0]);
      e_.add(ld, r, 2, s * pt.i.d[1]);
    }
    ld.q(gap_, g);
    e_.add(ld, 2, 2, 1.0, true);
    ld.f(gap_, -pt.rate.v);
    e_.add(ld, 2, 0, -pt.rate.d[0]);
    e_.add(ld, 2, 1, pt.rate.d[0]);
    e_.add(ld, 2, 2, -pt.rate.d[1]);
  }

  double quantity(std::size_t k, const Eval& ev) const override {
    const double v = ev.v(te_) - ev.v(be_), g = ev.v(gap_);
    switch (k) {
      case 0: return at<double>(v, g).t;
      case 1: return at<double>(p_.vread, g).i / p_.vread;
      case 2: return at<double>(v, g).i;
      default: return v;
    }
  }

private:
  template <class T>
  struct Point {
    T i;         // A
    T rate;      // dg/dt, nm/s
    double t;    // K
  };

  template <class T>
  Point<T> at(double v, double gap_nm) const {
    const T vd = variable<T>(v, 0), gd = variable<T>(gap_nm, 1);
    const T gm = nm * gd;
    const T i = p_.i0 * (exp_of(-1.0 / p_.g0 * gm) * sinh_of(1.0 / p_.v0 * vd));
    const T t = p_.t0 + p_.rth * (vd * i);
    const T ratio = (1.0 / p_.g1) * gm;
    const T gamma = p_.gamma0 + (-p_.beta) * (ratio * ratio * ratio);
    const T kt = constants::boltzmann_ev * t;  // eV
    const T arrhenius = exp_of(T{-p_.ea} / kt);
    const T drive = sinh_of((p_.a0 / p_.tox) * (gamma * vd) / kt);
    const T h = 0.5 * (1.0 + tanh_of((1.0 / blend_voltage) * vd));
    const T w = h * window(gm - T{p_.gmin}, p_.dg) + (1.0 + (-1.0) * h) * window(T{p_.gmax} - gm, p_.dg);
    const T rate = (-p_.vel0 / nm) * (arrhenius * drive * w);
    return {i, rate, value(t)};
  }

  P p_;
  Unknown te_ = ground, be_ = ground, gap_ = ground;
  EntryGrid<3> e_;
};

const bool registered = register_model<HfoxRram>(
    {.type = "hfox",
     .summary = "HfOx filamentary RRAM, Stanford/PKU gap model; internal state gap [nm]",
     .terminals = {"te", "be"},
     .states = {{"gap", "nm", "filament gap, tip to the opposite electrode", Hold::InDc}},
     .probes = {{"t", "K", "filament temperature T0 + V I Rth"},
                {"g", "S", "read conductance I(vread) / vread"},
                {"i", "A", "current, te to be"},
                {"v", "V", "v(te) - v(be)"}},
     .example = "N1 te be rr\n.model rr hfox gap=1.4n\n",
     .element = 'n'},
    hfox_params);

}  // namespace
}  // namespace ns
