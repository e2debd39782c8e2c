#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct CapacitorParams {
  double c, ic;
};

constexpr Param<CapacitorParams> capacitor_params[] = {
    {"c", &CapacitorParams::c, 0, 0, inf, "F", "capacitance", Scope::Instance, true},
    {"ic", &CapacitorParams::ic, 0, -inf, inf, "V", "initial voltage (uic)", Scope::Instance},
};

class Capacitor final : public Device {
public:
  explicit Capacitor(const DeviceInput& in) : Device(in.element.name, in.element.where) {
    std::vector<bool> given;
    p_ = resolve<CapacitorParams>(capacitor_params, in, &given);
    has_ic_ = given[1];
  }

  void setup(Setup& s) override {
    a_ = s.terminal(0);
    b_ = s.terminal(1);
    grid_.declare(s, {a_, b_});
  }

  void topology(Topology&) const override {}  // open at DC

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
     .summary = "capacitor: q = c (v(a) - v(b))",
     .terminals = {"a", "b"},
     .positional = {"c"},
     .example = "C1 a b 1p\n"},
    capacitor_params);

}  // namespace ns
