#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct GainParams {
  double gain;
};

constexpr Param<GainParams> cccs_params[] = {
    {"gain", &GainParams::gain, 1, -inf, inf, "A/A", "current gain", Scope::Instance, true},
};

// F: a current gain i(vcontrol) flowing from n+ through the source to n-.
class Cccs final : public Device {
public:
  explicit Cccs(const DeviceInput& in)
      : Device(in.element.name, in.element.where),
        gain_(resolve<GainParams>(cccs_params, in).gain),
        control_(in.element.control), control_where_(in.element.control_where) {}

  void setup(Setup& s) override {
    p_ = s.terminal(0);
    n_ = s.terminal(1);
    ic_ = s.branch_of(control_, control_where_);
    grid_.declare(s, {p_, n_}, {ic_});
  }

  void topology(Topology&) const override {}  // a current source: no DC path

  void load(const Eval& e, Load& l) const override {
    const double i = gain_ * e.v(ic_);
    l.f(p_, i);
    l.f(n_, -i);
    grid_.add(l, 0, 0, gain_);
    grid_.add(l, 1, 0, -gain_);
  }

private:
  double gain_;
  std::string control_;
  Location control_where_;
  Unknown p_ = ground, n_ = ground, ic_ = ground;
  EntryGrid<2, 1> grid_;
};

}  // namespace

const bool registered = register_model<Cccs>(
    {.type = "f",
     .summary = "current-controlled current source: gain i(vcontrol) from n+ through it to n-",
     .terminals = {"n+", "n-"},
     .positional = {"gain"},
     .example = "F1 a b vc 2\nVC c 0 dc 0\n"},
    cccs_params);

}  // namespace ns
