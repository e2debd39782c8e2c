#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct GainParams {
  double gain;
};

constexpr Param<GainParams> vccs_params[] = {
    {"gain", &GainParams::gain, 1, -inf, inf, "S", "transconductance", Scope::Instance, true},
};

// G: a current gain (v(nc+) - v(nc-)) flowing from n+ through the source to n-.
class Vccs final : public Device {
public:
  explicit Vccs(const DeviceInput& in)
      : Device(in.element.name, in.element.where),
        gain_(resolve<GainParams>(vccs_params, in).gain) {}

  void setup(Setup& s) override {
    p_ = s.terminal(0);
    n_ = s.terminal(1);
    cp_ = s.terminal(2);
    cn_ = s.terminal(3);
    grid_.declare(s, {p_, n_}, {cp_, cn_});
  }

  // A current source, with no DC path; but one whose control reads a node of its own
  // (G v 0 v vel: a leak gl (v - el), written as a G) conducts between its terminals, as a
  // behavioural current of its own terminals does.
  void topology(Topology& t) const override {
    if (gain_ == 0) return;
    for (Unknown u : {cp_, cn_})
      if (u != ground && (u == p_ || u == n_)) t.conducts(p_, n_);
  }

  void load(const Eval& e, Load& l) const override {
    const double i = gain_ * (e.v(cp_) - e.v(cn_));
    l.f(p_, i);
    l.f(n_, -i);
    grid_.pair(l, 0, 1, gain_);
  }

private:
  double gain_;
  Unknown p_ = ground, n_ = ground, cp_ = ground, cn_ = ground;
  EntryGrid<2> grid_;
};

}  // namespace

const bool registered = register_model<Vccs>(
    {.type = "g",
     .summary = "voltage-controlled current source: gain v(nc+,nc-) from n+ through it to n-",
     .terminals = {"n+", "n-", "nc+", "nc-"},
     .positional = {"gain"},
     .example = "G1 a b c d 1m\n"},
    vccs_params);

}  // namespace ns
