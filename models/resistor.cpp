#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct ResistorParams {
  double r;
};

constexpr Param<ResistorParams> resistor_params[] = {
    {"r", &ResistorParams::r, 0, -inf, inf, "Ohm", "resistance (non-zero)", Scope::Instance, true},
};

class Resistor final : public Device {
public:
  explicit Resistor(const DeviceInput& in) : Device(in.element.name, in.element.where) {
    r_ = resolve<ResistorParams>(resistor_params, in).r;
    if (r_ == 0)
      throw InputError(in.element.where, "resistor '" + name() + "' has zero resistance; "
                                         "use a 0 V voltage source for a short");
  }

  void setup(Setup& s) override {
    a_ = s.terminal(0);
    b_ = s.terminal(1);
    grid_.declare(s, {a_, b_});
  }

  void topology(Topology& t) const override { t.conducts(a_, b_); }

  void load(const Eval& e, Load& l) const override {
    const double i = (e.v(a_) - e.v(b_)) / r_;
    l.f(a_, i);
    l.f(b_, -i);
    grid_.pair(l, 0, 1, 1 / r_);
  }

  double quantity(std::size_t k, const Eval& e) const override {
    const double v = e.v(a_) - e.v(b_);
    return k == 0 ? v / r_ : v * v / r_;
  }

private:
  double r_;
  Unknown a_ = ground, b_ = ground;
  EntryGrid<2> grid_;
};

}  // namespace

const bool registered = register_model<Resistor>(
    {.type = "r",
     .summary = "resistor: i = (v(a) - v(b)) / r",
     .terminals = {"a", "b"},
     .positional = {"r"},
     .probes = {{"i", "A", "current a to b"}, {"p", "W", "power dissipated"}},
     .example = "R1 a b 1k\n"},
    resistor_params);

}  // namespace ns
