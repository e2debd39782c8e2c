// NbOx thermal (Poole-Frenkel) volatile memristor: the threshold switch of the spiking
// neurons in M. Drouhin's thesis (Université Paris-Saclay 2023, ch. 2; also Drouhin et
// al., Neuromorph. Comput. Eng. 2, 044008). Two terminals a, b; the active-volume
// temperature T is an internal unknown of the circuit DAE:
//
//   R(V, T) = R0 exp((Ea - beta sqrt|V|) / (kB T)),  beta = sqrt(q / (pi eps0 epsr d))   (2.1)
//   I       = V / R(V, T)
//   Cth dT/dt = V I - (T - Tamb) / Rth                                                   (2.2)
//
// with Ea in eV (so beta sqrt|V| is the Poole-Frenkel barrier lowering in eV). The
// device's own parallel capacitance Cd is part of the model (cd = 0 removes it, e.g. to
// put an explicit capacitor in the netlist instead). Defaults: thesis Table 2.1, Tamb =
// 300 K (not the circuit .temp: the thesis fit assumes room temperature), Cd = 0.33 pF.
//
// Transient noise (noise=1, or .options trnoise; circuit/transient_noise.hpp): the
// fluctuation-dissipation noise of the model's two dissipative elements, at the active
// volume's temperature T: the Johnson current of its resistance, one-sided PSD 4 kB T / R(V, T),
// through the device; and the heat-flow noise of its thermal resistance, 4 kB T^2 / Rth
// (W^2/Hz), on the thermal row, which alone gives T the equilibrium variance kB T^2 / Cth
// (0.62 K^2 at 300 K with the defaults). No stochastic switching term: devices.md's
// source (Drouhin's thesis) gives no law for one, and attributes the "stochastic-like"
// output it saw near the hold current to LTspice's numerics.
#include <cmath>

#include "circuit/constants.hpp"
#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

using constants::boltzmann_ev;
using constants::charge;
using constants::eps0;
using constants::pi;

struct NboxParams {
  double r0, ea, epsr, d, cth, rth, tamb, cd, noise, noisedt;
};

const Param<NboxParams> nbox_params[] = {
    {"r0", &NboxParams::r0, 190, above(0), inf, "ohm", "resistance prefactor", Scope::Both},
    {"ea", &NboxParams::ea, 0.215, 0, 5, "eV", "activation energy", Scope::Both},
    {"epsr", &NboxParams::epsr, 45, 1, 1e4, "", "relative permittivity of NbOx", Scope::Both},
    {"d", &NboxParams::d, 31e-9, above(0), 1e-3, "m", "oxide thickness", Scope::Both},
    {"cth", &NboxParams::cth, 2e-15, above(0), inf, "J/K", "thermal capacitance", Scope::Both},
    {"rth", &NboxParams::rth, 2040816, above(0), inf, "K/W", "thermal resistance to ambient", Scope::Both},
    {"tamb", &NboxParams::tamb, 300, 1, 2000, "K", "ambient temperature", Scope::Both},
    {"cd", &NboxParams::cd, 0.33e-12, 0, inf, "F", "device parallel capacitance", Scope::Both},
    {"noise", &NboxParams::noise, std::nan(""), 0, 1, "", "1: Johnson and heat-flow noise in transients; 0: none; unset: .options trnoise", Scope::Both},
    {"noisedt", &NboxParams::noisedt, 0, 0, inf, "s", "transient noise grid step (0: the .tran step)", Scope::Both},
};

class NboxThermal final : public Device {
public:
  NboxThermal(const DeviceInput& in)
      : Device(in.element.name, in.element.where), p_(resolve<NboxParams>(nbox_params, in)),
        beta_(std::sqrt(charge / (pi * eps0 * p_.epsr * p_.d))) {}

  void setup(Setup& s) override {
    a_ = s.terminal(0);
    b_ = s.terminal(1);
    // T never falls below Tamb, so reltol * T sets its error; abstol 0 takes .options
    // vntol, so that tightening the tolerances also tightens T (a fixed 1e-3 K did not).
    t_ = s.state("t", 0, p_.tamb);
    e_.declare(s, {a_, b_, t_});
    noise_ = s.transient_noise(p_.noise);
  }

  void start_transient(double tstep, double tstop) override {
    noise_.start(p_.noisedt > 0 ? p_.noisedt : tstep, tstop, where(), name());
  }
  void breakpoints(double from, double to, std::vector<double>& out) const override {
    noise_.breakpoints(from, to, out);
  }

  void topology(Topology& t) const override { t.conducts(a_, b_); }
  bool constant_charges() const override { return true; }  // q = Cd v and Cth T

  void load(const Eval& ev, Load& ld) const override {
    const double v = ev.v(a_) - ev.v(b_);
    const Point pt = at(v, ev.v(t_));
    // Node rows: current pt.i leaves a, enters b; Cd between a and b.
    ld.f(a_, pt.i);
    ld.f(b_, -pt.i);
    ld.q(a_, p_.cd * v);
    ld.q(b_, -p_.cd * v);
    // Thermal row: T - Tamb over Rth minus the Joule power; q = Cth T.
    const double power = v * pt.i;
    ld.f(t_, (ev.v(t_) - p_.tamb) / p_.rth - power);
    ld.q(t_, p_.cth * ev.v(t_));

    // G only when wanted: a network's loads are nine in ten residual-only (Load::skip_jacobian).
    if (ld.jacobian()) {
      const double dp_dv = pt.i + v * pt.di_dv;
      const double dp_dt = v * pt.di_dt;
      e_.pair(ld, 0, 1, pt.di_dv);
      e_.add(ld, 0, 2, pt.di_dt);
      e_.add(ld, 1, 2, -pt.di_dt);
      e_.add(ld, 2, 0, -dp_dv);
      e_.add(ld, 2, 1, dp_dv);
      e_.add(ld, 2, 2, 1 / p_.rth - dp_dt);
    }
    if (p_.cd != 0) e_.pair(ld, 0, 1, p_.cd, true);
    e_.add(ld, 2, 2, p_.cth, true);
    if (noise_ && ev.mode == Mode::Tran) add_noise(ev, v, pt, ld);
  }

  double quantity(std::size_t k, const Eval& ev) const override {
    const double v = ev.v(a_) - ev.v(b_);
    const Point pt = at(v, ev.v(t_));
    switch (k) {
      case 0: return 1 / pt.g;
      case 1: return pt.i;
      case 2: return v * pt.i;
      default: return v;
    }
  }

private:
  struct Point {
    double g, i, di_dv, di_dt;
  };

  // in = sqrt(4 kB T g) w0 through the device, pn = sqrt(4 kB T^2 / Rth) w1 into the
  // thermal node; their amplitudes' derivatives in V and T (g's as at() computes it).
  void add_noise(const Eval& ev, double v, const Point& pt, Load& ld) const {
    using constants::boltzmann;
    const double t = std::max(ev.v(t_), 1.0);
    const double in = std::sqrt(4 * boltzmann * t * pt.g) * noise_.white(0, ev.time);
    const double pn = std::sqrt(4 * boltzmann / p_.rth) * t * noise_.white(1, ev.time);
    ld.f(a_, in);
    ld.f(b_, -in);
    ld.f(t_, -pn);
    const double root = std::sqrt(std::abs(v));
    // d ln g / dV = beta sign(V) / (2 sqrt|V| kB T): infinite at V = 0, where it is left out.
    const double dlng_dv = root > 0 ? beta_ * (v > 0 ? 1 : -1) / (2 * root * boltzmann_ev * t) : 0.0;
    const double dlng_dt = ev.v(t_) > 1.0 ? (p_.ea - beta_ * root) / (boltzmann_ev * t * t) : 0.0;
    const double din_dv = 0.5 * in * dlng_dv;
    const double din_dt = ev.v(t_) > 1.0 ? 0.5 * in * (1 / t + dlng_dt) : 0.0;
    e_.pair(ld, 0, 1, din_dv);
    e_.add(ld, 0, 2, din_dt);
    e_.add(ld, 1, 2, -din_dt);
    if (ev.v(t_) > 1.0) e_.add(ld, 2, 2, -pn / t);
  }

  // Conductance, current and its derivatives. T is kept above 1 K so that a Newton
  // iterate far from the solution cannot take exp() out of range.
  Point at(double v, double temperature) const {
    const double t = std::max(temperature, 1.0);
    const double root = std::sqrt(std::abs(v));
    const double barrier = p_.ea - beta_ * root;  // eV
    const double g = std::exp(-barrier / (boltzmann_ev * t)) / p_.r0;
    const double i = v * g;
    // d/dV (V g) = g (1 + beta sqrt|V| / (2 kB T)): finite at V = 0.
    const double di_dv = g * (1 + beta_ * root / (2 * boltzmann_ev * t));
    const double di_dt = temperature > 1.0 ? i * barrier / (boltzmann_ev * t * t) : 0.0;
    return {g, i, di_dv, di_dt};
  }

  NboxParams p_;
  double beta_;
  Unknown a_ = ground, b_ = ground, t_ = ground;
  EntryGrid<3> e_;  // a, b, t
  TransientNoise noise_;
};

const bool registered = register_model<NboxThermal>(
    {.type = "nbox",
     .summary = "NbOx thermal (Poole-Frenkel) threshold-switching memristor; internal state T [K]",
     .terminals = {"a", "b"},
     .states = {{"t", "K", "active-volume temperature (rest: tamb)"}},
     .probes = {{"r", "Ohm", "resistance R(V, T)"},
                {"i", "A", "current a to b (without Cd's)"},
                {"p", "W", "Joule power V I"},
                {"v", "V", "v(a) - v(b)"}},
     .example = "N1 a b nb\n.model nb nbox\n",
     .element = 'n'},
    nbox_params);

}  // namespace
}  // namespace ns
