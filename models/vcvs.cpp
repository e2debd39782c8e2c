#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct GainParams {
  double gain;
};

constexpr Param<GainParams> vcvs_params[] = {
    {"gain", &GainParams::gain, 1, -inf, inf, "V/V", "voltage gain", Scope::Instance, true},
};

// E: v(n+) - v(n-) = gain (v(nc+) - v(nc-)), with the output current an unknown.
class Vcvs final : public Device {
public:
  explicit Vcvs(const DeviceInput& in)
      : Device(in.element.name, in.element.where),
        gain_(resolve<GainParams>(vcvs_params, in).gain) {}

  void setup(Setup& s) override {
    p_ = s.terminal(0);
    n_ = s.terminal(1);
    cp_ = s.terminal(2);
    cn_ = s.terminal(3);
    i_ = s.branch();
    grid_.declare(s, {p_, n_, i_}, {p_, n_, i_, cp_, cn_});
  }

  void topology(Topology& t) const override { t.voltage_defined(p_, n_); }

  void load(const Eval& e, Load& l) const override {
    const double i = e.v(i_);
    l.f(p_, i);
    l.f(n_, -i);
    l.f(i_, e.v(p_) - e.v(n_) - gain_ * (e.v(cp_) - e.v(cn_)));
    grid_.branch(l, 0, 1, 2);
    grid_.add(l, 2, 3, -gain_);
    grid_.add(l, 2, 4, gain_);
  }

private:
  double gain_;
  Unknown p_ = ground, n_ = ground, cp_ = ground, cn_ = ground, i_ = ground;
  EntryGrid<3, 5> grid_;
};

}  // namespace

const bool registered = register_model<Vcvs>(
    {.type = "e",
     .summary = "voltage-controlled voltage source: v(n+,n-) = gain v(nc+,nc-)",
     .terminals = {"n+", "n-", "nc+", "nc-"},
     .positional = {"gain"},
     .example = "E1 a b c d 2\n"},
    vcvs_params);

}  // namespace ns
