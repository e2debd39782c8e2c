#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct GainParams {
  double gain;
};

constexpr Param<GainParams> ccvs_params[] = {
    {"gain", &GainParams::gain, 1, -inf, inf, "Ohm", "transresistance", Scope::Instance, true},
};

// H: v(n+) - v(n-) = gain i(vcontrol), with the output current an unknown.
class Ccvs final : public Device {
public:
  explicit Ccvs(const DeviceInput& in)
      : Device(in.element.name, in.element.where),
        gain_(resolve<GainParams>(ccvs_params, in).gain),
        control_(in.element.control), control_where_(in.element.control_where) {}

  void setup(Setup& s) override {
    p_ = s.terminal(0);
    n_ = s.terminal(1);
    i_ = s.branch();
    ic_ = s.branch_of(control_, control_where_);
    grid_.declare(s, {p_, n_, i_}, {p_, n_, i_, ic_});
  }

  void topology(Topology& t) const override { t.voltage_defined(p_, n_); }

  void load(const Eval& e, Load& l) const override {
    const double i = e.v(i_);
    l.f(p_, i);
    l.f(n_, -i);
    l.f(i_, e.v(p_) - e.v(n_) - gain_ * e.v(ic_));
    grid_.branch(l, 0, 1, 2);
    grid_.add(l, 2, 3, -gain_);
  }

private:
  double gain_;
  std::string control_;
  Location control_where_;
  Unknown p_ = ground, n_ = ground, i_ = ground, ic_ = ground;
  EntryGrid<3, 4> grid_;
};

}  // namespace

const bool registered = register_model<Ccvs>(
    {.type = "h",
     .summary = "current-controlled voltage source: v(n+,n-) = gain i(vcontrol)",
     .terminals = {"n+", "n-"},
     .positional = {"gain"},
     .example = "H1 a b vc 100\nVC c 0 dc 0\n"},
    ccvs_params);

}  // namespace ns
