// Resistor, with ngspice's resistor .model (R1 a b [value] [model] [l= w= ...]): without a
// value, r = rsh (l - 2 short) / (w - 2 narrow) (w defaulting to the model's defw,
// 10 um; short and narrow are lost on each side, as ngspice computes it), or the
// model's r. Then, as ngspice, the temperature coefficients from tnom to the instance's
// temperature (temp=, or the circuit's plus dtemp=): r (1 + tc1 dT + tc2 dT^2), and m
// parallel copies: r / m. ac= is the resistance .ac sees (the same temperature factor and
// m applied). noisy=0 silences its thermal noise in .noise. tnom defaults to 27 C, not to .options tnom.
// With kf, .noise adds ngspice's flicker noise kf |i|^af / (f^ef Leff Weff), the
// effective length and width those of rsh's formula (dlr and dw are ngspice's other
// spellings of short and narrow; given both, they add); without l=, no geometry factor.
#include <cmath>

#include "circuit/constants.hpp"
#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct ResistorParams {
  double r, resistance, rsh, defw, narrow, shrt, dw, dlr, tc1, tc2, tce, tnom, l, w, temp, dtemp, m, scale, ac, noisy, noise, noisedt, kf, af, ef;
};

using P = ResistorParams;
const double not_given = std::nan("");
const double min_resistance = 1e-3;  // Ohm: what a zero resistance becomes
const Param<P> resistor_params[] = {
    {"r", &P::r, not_given, -inf, inf, "Ohm", "resistance (0: 1 mOhm, as ngspice); on a model, the default", Scope::Both},
    {"resistance", &P::resistance, not_given, -inf, inf, "Ohm", "another name for r (ngspice's)", Scope::Both},
    {"rsh", &P::rsh, 0, 0, inf, "Ohm/sq", "sheet resistance (model)"},
    {"defw", &P::defw, 10e-6, above(0), inf, "m", "default width (model)"},
    {"narrow", &P::narrow, 0, -inf, inf, "m", "width lost to etching on each side (model)"},
    {"short", &P::shrt, 0, -inf, inf, "m", "length lost to etching at each end (model)"},
    {"dw", &P::dw, 0, -inf, inf, "m", "width lost on each side, added to narrow (model)"},
    {"dlr", &P::dlr, 0, -inf, inf, "m", "length lost at each end, added to short (model)"},
    {"tc1", &P::tc1, 0, -inf, inf, "1/K", "first-order temperature coefficient", Scope::Both},
    {"tc2", &P::tc2, 0, -inf, inf, "1/K^2", "second-order temperature coefficient", Scope::Both},
    // ngspice's exponential coefficient: r (1.01)^(tce dT), in place of tc1 and tc2.
    {"tce", &P::tce, not_given, -inf, inf, "%/K", "exponential temperature coefficient (replaces tc1, tc2)", Scope::Both},
    {"tnom", &P::tnom, 27, -273.15, inf, "C", "temperature the values are given at (model)"},
    {"l", &P::l, 0, 0, inf, "m", "length", Scope::Instance},
    {"w", &P::w, not_given, -inf, inf, "m", "width (default defw; <= 0: r = 0, as ngspice)", Scope::Instance},
    {"temp", &P::temp, not_given, -273.15, inf, "C", "instance temperature", Scope::Instance},
    {"dtemp", &P::dtemp, 0, -inf, inf, "K", "instance temperature above the circuit's", Scope::Instance},
    {"m", &P::m, 1, above(0), inf, "", "parallel multiplier", Scope::Instance},
    // ngspice's: 10 ac=5 scale=1k is 10 kOhm, 5 kOhm in .ac (measured, ngspice 39).
    {"scale", &P::scale, 1, above(0), inf, "", "multiplies r and ac", Scope::Instance},
    {"ac", &P::ac, not_given, -inf, inf, "Ohm", "resistance in .ac (default: r)", Scope::Instance},
    {"noisy", &P::noisy, 1, 0, 1, "", "1: thermal noise 4kT/r in .noise; 0: noiseless", Scope::Instance},
    {"noise", &P::noise, not_given, 0, 1, "", "1: Johnson noise in transients; 0: none; unset: .options trnoise", Scope::Both},
    {"noisedt", &P::noisedt, 0, 0, inf, "s", "transient noise grid step (0: the .tran step)", Scope::Both},
    {"kf", &P::kf, 0, 0, inf, "", "flicker noise coefficient in .noise (model)"},
    {"af", &P::af, 1, 0, 10, "", "flicker noise current exponent (model)"},
    {"ef", &P::ef, 1, 0, 10, "", "flicker noise frequency exponent (model)"},
};

class Resistor final : public Device {
public:
  explicit Resistor(const DeviceInput& in) : Device(in.element.name, in.element.where) {
    p_ = resolve<P>(resistor_params, in);
    if (std::isnan(p_.r)) p_.r = p_.resistance;
    if (std::isnan(p_.r)) {
      // As ngspice 39 (measured): w <= 0 on the card is a zero resistance; a width that
      // narrow makes 0 is an open (infinite resistance, no current), a negative one a
      // negative resistance.
      if (in.model && p_.rsh > 0 && p_.l > 0) p_.r = p_.w <= 0 ? 0 : p_.rsh * length() / width();
      else if (in.model && p_.rsh == 0) p_.r = 0;
      else
        throw InputError(in.element.where, "'" + name() + "' has no value for 'r' (give a value, "
                                           "or a model with rsh and l=)");
    }
    // ngspice 39 runs a resistor of zero resistance (a short written as R = 0, a model
    // with neither r nor rsh, w=0) as 1 mOhm, before its temperature factor, m and scale (measured:
    // r=0 m=2 gives 0.5 mOhm, r=0 tc1=0.01 at 127 C gives 2 mOhm).
    if (p_.r == 0) {
      p_.r = min_resistance;
      if (in.warnings)
        in.warnings->push_back(in.element.where.str() + ": warning: resistor '" + name() +
                               "' has zero resistance: 1 mOhm is used, as in ngspice");
    }
  }

  void setup(Setup& s) override {
    a_ = s.terminal(0);
    b_ = s.terminal(1);
    const double celsius = std::isnan(p_.temp) ? s.temperature() - constants::zero_celsius + p_.dtemp
                                               : p_.temp;
    const double dt = celsius - p_.tnom;
    const double tc = std::isnan(p_.tce) ? 1 + p_.tc1 * dt + p_.tc2 * dt * dt : std::pow(1.01, p_.tce * dt);
    const double factor = tc * p_.scale / p_.m;
    r_ = p_.r * factor;
    kelvin_ = celsius + constants::zero_celsius;
    r_ac_ = std::isnan(p_.ac) ? r_ : p_.ac * factor;
    if (!(r_ != 0) || std::isnan(r_))
      throw InputError(where(), "resistor '" + name() + "' has zero resistance at its temperature");
    if (!(r_ac_ != 0) || std::isnan(r_ac_))
      throw InputError(where(), "resistor '" + name() + "' has zero ac= resistance");
    grid_.declare(s, {a_, b_});
    noise_ = s.transient_noise(p_.noise);
  }

  void start_transient(double tstep, double tstop) override {
    noise_.start(p_.noisedt > 0 ? p_.noisedt : tstep, tstop, where(), name());
  }
  void breakpoints(double from, double to, std::vector<double>& out) const override {
    noise_.breakpoints(from, to, out);
  }

  void topology(Topology& t) const override { t.conducts(a_, b_); }

  bool linear() const override { return !noise_; }

  void load(const Eval& e, Load& l) const override {
    const double r = e.mode == Mode::Ac ? r_ac_ : r_;
    const double i = (e.v(a_) - e.v(b_)) / r;
    l.f(a_, i);
    l.f(b_, -i);
    grid_.pair(l, 0, 1, 1 / r);
    if (noise_ && e.mode == Mode::Tran) {
      const double in = std::sqrt(4 * constants::boltzmann * kelvin_ / std::abs(r_)) * noise_.white(0, e.time);
      l.f(a_, in);
      l.f(b_, -in);
    }
  }

  // Johnson noise at the resistor's own temperature, of its DC resistance (as ngspice).
  void noise(const Eval& op, double f, std::vector<NoiseSource>& out) const override {
    out.push_back({"thermal", a_, b_, p_.noisy != 0 ? 4 * constants::boltzmann * kelvin_ / std::abs(r_) : 0});
    double flicker = 0;
    if (p_.kf > 0) {  // m parallel copies, each carrying 1/m of the current, each its own source
      const double i = std::abs((op.v(a_) - op.v(b_)) / (r_ * p_.m));
      const double area = p_.l > 0 ? length() * width() : 1;
      flicker = p_.m * p_.kf * std::pow(std::max(i, 1e-38), p_.af) / (std::pow(f, p_.ef) * area);
    }
    out.push_back({"1overf", a_, b_, flicker});
  }

  double quantity(std::size_t k, const Eval& e) const override {
    const double v = e.v(a_) - e.v(b_);
    return k == 0 ? v / r_ : k == 1 ? v * v / r_ : r_;
  }

private:
  double length() const { return p_.l - 2 * (p_.shrt + p_.dlr); }
  double width() const { return (std::isnan(p_.w) ? p_.defw : p_.w) - 2 * (p_.narrow + p_.dw); }

  P p_;
  double r_ = 1, r_ac_ = 1, kelvin_ = 300.15;
  Unknown a_ = ground, b_ = ground;
  EntryGrid<2> grid_;
  TransientNoise noise_;
};

}  // namespace

const bool registered = register_model<Resistor>(
    {.type = "r",
     .summary = "resistor: i = (v(a) - v(b)) / r; a .model R gives r from rsh, l and w",
     .terminals = {"a", "b"},
     .positional = {"r"},
     .probes = {{"i", "A", "current a to b"}, {"p", "W", "power dissipated"},
                {"r", "Ohm", "resistance at its temperature, m included"}},
     .example = "R1 a b 1k\n",
     .element = 'r'},
    resistor_params);

// PSpice's name for the resistor's model type (.model rn RES(...)), which vendor libraries
// use: ngspice 39 reads it as its R model, its PSpice-only parameters (T_ABS, T_MEASURED)
// ignored with a warning; r on it is the default resistance, not PSpice's multiplier
// (measured: 2k with .model RES(r=3 tc1=0.01) at 50 C is 2.46 kOhm).
const bool registered_res = register_model<Resistor>(
    {.type = "res",
     .summary = "resistor with a .model of PSpice's type name RES (the same as R)",
     .terminals = {"a", "b"},
     .positional = {"r"},
     .probes = {{"i", "A", "current a to b"}, {"p", "W", "power dissipated"},
                {"r", "Ohm", "resistance at its temperature, m included"}},
     .example = "R1 a b rn 1k\n.model rn res(tc1=0.01)\n",
     .element = 'r'},
    resistor_params);

}  // namespace ns
