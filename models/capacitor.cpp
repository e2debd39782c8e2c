// Capacitor, with ngspice's capacitor .model (C1 a b [value] [model] [l= w= ...]): without
// a value, c = cj (l - short)(w - narrow) + 2 cjsw ((l - short) + (w - narrow)) (w
// defaulting to defw, 10 um; measured on ngspice: unlike its resistor, one short and one
// narrow), or the model's cap. Then tc1/tc2 from tnom (27 C) to the instance's temperature
// and m parallel copies, as on R.
#include <cmath>

#include "circuit/constants.hpp"
#include "circuit/lumped.hpp"
#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct CapacitorParams {
  double c, ic, cj, cjsw, defw, narrow, shrt, tc1, tc2, tnom, l, w, temp, dtemp, m;
};

using P = CapacitorParams;
const double not_given = std::nan("");
const Param<P> capacitor_params[] = {
    {"c", &P::c, not_given, -inf, inf, "F", "capacitance (negative too: op-amp macro models use it, as ngspice takes it)", Scope::Instance},
    {"cap", &P::c, not_given, -inf, inf, "F", "default capacitance (model)"},
    {"ic", &P::ic, 0, -inf, inf, "V", "initial voltage (uic)", Scope::Instance},
    {"cj", &P::cj, 0, 0, inf, "F/m^2", "area capacitance (model)"},
    {"cjsw", &P::cjsw, 0, 0, inf, "F/m", "sidewall capacitance (model)"},
    {"defw", &P::defw, 10e-6, above(0), inf, "m", "default width (model)"},
    {"narrow", &P::narrow, 0, -inf, inf, "m", "width lost to etching (model)"},
    {"short", &P::shrt, 0, -inf, inf, "m", "length lost to etching (model)"},
    {"tc1", &P::tc1, 0, -inf, inf, "1/K", "first-order temperature coefficient", Scope::Both},
    {"tc2", &P::tc2, 0, -inf, inf, "1/K^2", "second-order temperature coefficient", Scope::Both},
    {"tnom", &P::tnom, 27, -273.15, inf, "C", "temperature the values are given at (model)"},
    {"l", &P::l, 0, 0, inf, "m", "length", Scope::Instance},
    {"w", &P::w, not_given, above(0), inf, "m", "width (default defw)", Scope::Instance},
    {"temp", &P::temp, not_given, -273.15, inf, "C", "instance temperature", Scope::Instance},
    {"dtemp", &P::dtemp, 0, -inf, inf, "K", "instance temperature above the circuit's", Scope::Instance},
    {"m", &P::m, 1, above(0), inf, "", "parallel multiplier", Scope::Instance},
};

class Capacitor final : public Device {
public:
  explicit Capacitor(const DeviceInput& in) : Device(in.element.name, in.element.where) {
    std::vector<bool> given;
    p_ = resolve<P>(capacitor_params, in, &given);
    has_ic_ = given[2];
    if (std::isnan(p_.c)) {
      if (!in.model || p_.l <= 0)
        throw InputError(in.element.where, "'" + name() + "' has no value for 'c' (give a value, "
                                           "or a model with cj or cjsw and l=)");
      const double l = p_.l - p_.shrt, w = (std::isnan(p_.w) ? p_.defw : p_.w) - p_.narrow;
      p_.c = p_.cj * l * w + 2 * p_.cjsw * (l + w);
    }
  }

  void setup(Setup& s) override {
    a_ = s.terminal(0);
    b_ = s.terminal(1);
    const double celsius = std::isnan(p_.temp) ? s.temperature() - constants::zero_celsius + p_.dtemp
                                               : p_.temp;
    const double dt = celsius - p_.tnom;
    p_.c *= (1 + p_.tc1 * dt + p_.tc2 * dt * dt) * p_.m;
    s.part<LumpedElements>(LumpedElements::kind).capacitors.push_back({a_, b_, p_.c});
    grid_.declare(s, {a_, b_});
  }

  void topology(Topology&) const override {}  // open at DC

  bool linear() const override { return true; }

  void load(const Eval& e, Load& l) const override {
    const double q = p_.c * (e.v(a_) - e.v(b_));
    l.q(a_, q);
    l.q(b_, -q);
    grid_.pair(l, 0, 1, p_.c, true);
  }

  // uic: v(a) - v(b) = ic, setting whichever terminal is not ground (a, if both float).
  void initial_condition(std::span<double> x) const override {
    if (!has_ic_) return;
    if (a_ != ground) x[a_] = (b_ == ground ? 0.0 : x[b_]) + p_.ic;
    else if (b_ != ground) x[b_] = -p_.ic;
  }

private:
  CapacitorParams p_;
  bool has_ic_ = false;
  Unknown a_ = ground, b_ = ground;
  EntryGrid<2> grid_;
};

}  // namespace

const bool registered = register_model<Capacitor>(
    {.type = "c",
     .summary = "capacitor: q = c (v(a) - v(b)); a .model C gives c from cj, cjsw, l and w",
     .terminals = {"a", "b"},
     .positional = {"c"},
     .example = "C1 a b 1p\n",
     .element = 'c'},
    capacitor_params);

}  // namespace ns
