// PSpice's voltage-controlled switch, .model NAME VSWITCH(RON ROFF VON VOFF), as vendor
// libraries use it and as ngspice 39 runs it in its PSpice mode, and its current-controlled
// twin, W with .model NAME ISWITCH(RON ROFF ION IOFF): no hysteresis and no state; the
// resistance passes smoothly from roff (control at voff) to ron (at von), its logarithm a
// cubic in the control vc = v(nc+) - v(nc-) (or the current through the W's controlling
// source, with ion/ioff for von/voff; PSpice's equations are the same for both):
//
//     ln R = Lm + 3 Lr x / 2 - 2 Lr x^3,   x = (vc - (von + voff)/2) / (von - voff)
//
// with Lm = ln sqrt(ron roff), Lr = ln(ron / roff); x is clamped to [-1/2, 1/2], where the
// slope of ln R is 0 (R = roff, ron). Measured in ngspice 39 (ltpsa) with ron = 1,
// roff = 1meg, von = 1, voff = 0: at vc = 0.1, 0.3, 0.5, 0.8 the current of 1 V is
// 1.47231e-06, 1.97697e-05, 1e-3, 0.237684 A, the formula's to 6 digits. ngspice 39 has
// no ISWITCH of its own: in PSpice mode it runs one as its aswitch with ln R linear in the
// current (measured: at i = (ioff + ion)/2 both give sqrt(ron roff), elsewhere not), so
// for ISWITCH the reference is PSpice's cubic (tests/good/pspice_iswitch.cir).
#include <algorithm>
#include <cmath>
#include <span>
#include <string>

#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct VswitchParams {
  double ron, roff, von, voff;
};

using P = VswitchParams;
constexpr Param<P> vswitch_params[] = {
    {"ron", &P::ron, 1, above(0), inf, "Ohm", "resistance with the control at von"},
    {"roff", &P::roff, 1e6, above(0), inf, "Ohm", "resistance with the control at voff"},
    {"von", &P::von, 1, -inf, inf, "V", "control voltage where the switch is on"},
    {"voff", &P::voff, 0, -inf, inf, "V", "control voltage where the switch is off (not von)"},
};
constexpr Param<P> iswitch_params[] = {
    {"ron", &P::ron, 1, above(0), inf, "Ohm", "resistance with the control at ion"},
    {"roff", &P::roff, 1e6, above(0), inf, "Ohm", "resistance with the control at ioff"},
    {"ion", &P::von, 1e-3, -inf, inf, "A", "control current where the switch is on"},
    {"ioff", &P::voff, 0, -inf, inf, "A", "control current where the switch is off (not ion)"},
};

template <bool CurrentControlled>
class Vswitch final : public Device {
public:
  explicit Vswitch(const DeviceInput& in)
      : Device(in.element.name, in.element.where),
        p_(resolve<P>(CurrentControlled ? std::span<const Param<P>>(iswitch_params)
                                        : std::span<const Param<P>>(vswitch_params), in)),
        control_(in.element.control), control_where_(in.element.control_where) {
    if (p_.von == p_.voff)
      throw InputError(in.element.where, "'" + name() + (CurrentControlled ? "': its model's ion and ioff are equal"
                                                                           : "': its model's von and voff are equal"));
  }

  void setup(Setup& s) override {
    a_ = s.terminal(0);
    b_ = s.terminal(1);
    if constexpr (CurrentControlled) {
      cp_ = s.branch_of(control_, control_where_);  // cn_ stays ground: the control is e.v(cp_)
    } else {
      cp_ = s.terminal(2);
      cn_ = s.terminal(3);
    }
    grid_.declare(s, {a_, b_, cp_, cn_});
  }

  void topology(Topology& t) const override { t.conducts(a_, b_); }

  void load(const Eval& e, Load& l) const override {
    const double v = e.v(a_) - e.v(b_);
    double dg_dvc = 0;
    const double g = conductance(e.v(cp_) - e.v(cn_), &dg_dvc);
    const double i = g * v;
    l.f(a_, i);
    l.f(b_, -i);
    grid_.pair(l, 0, 1, g);
    grid_.add(l, 0, 2, v * dg_dvc);
    grid_.add(l, 0, 3, -v * dg_dvc);
    grid_.add(l, 1, 2, -v * dg_dvc);
    grid_.add(l, 1, 3, v * dg_dvc);
  }

  double quantity(std::size_t k, const Eval& e) const override {
    double unused = 0;
    const double g = conductance(e.v(cp_) - e.v(cn_), &unused);
    return k == 0 ? g * (e.v(a_) - e.v(b_)) : 1 / g;
  }

private:
  double conductance(double vc, double* dg_dvc) const {
    const double lm = 0.5 * std::log(p_.ron * p_.roff), lr = std::log(p_.ron / p_.roff);
    const double vd = p_.von - p_.voff;
    const double raw = (vc - 0.5 * (p_.von + p_.voff)) / vd;
    const double x = std::clamp(raw, -0.5, 0.5);
    const double ln_r = lm + 1.5 * lr * x - 2 * lr * x * x * x;
    const double g = std::exp(-ln_r);
    *dg_dvc = raw == x ? -g * (1.5 * lr - 6 * lr * x * x) / vd : 0;
    return g;
  }

  P p_;
  std::string control_;
  Location control_where_;
  Unknown a_ = ground, b_ = ground, cp_ = ground, cn_ = ground;
  EntryGrid<4> grid_;  // a, b, nc+, nc- (for ISWITCH: the control's branch, ground)
};

}  // namespace

const bool registered = register_model<Vswitch<false>>(
    {.type = "vswitch",
     .summary = "PSpice's smooth voltage-controlled switch (S with .model VSWITCH): ln R cubic between voff and von",
     .terminals = {"a", "b", "nc+", "nc-"},
     .probes = {{"i", "A", "current a to b"}, {"r", "Ohm", "resistance"}},
     .example = "S1 a b c d vsm\n.model vsm vswitch(ron=1 roff=1meg von=1 voff=0)\n",
     .element = 's'},
    vswitch_params);

const bool registered_iswitch = register_model<Vswitch<true>>(
    {.type = "iswitch",
     .summary = "PSpice's smooth current-controlled switch (W with .model ISWITCH): ln R cubic between ioff and ion",
     .terminals = {"a", "b"},
     .probes = {{"i", "A", "current a to b"}, {"r", "Ohm", "resistance"}},
     .example = "W1 a b vc ism\nVC c 0 dc 0\n.model ism iswitch(ron=1 roff=1meg ion=1 ioff=0)\n",
     .element = 'w'},
    iswitch_params);

}  // namespace ns
