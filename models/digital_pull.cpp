// XSPICE d_pullup and d_pulldown (src/digital/): a resistive 1 (d_pullup) or 0
// (d_pulldown) on their node, which any strong output there overrides (the node's
// resolution: an open-collector bus, a tristate line).
#include "digital/model.hpp"
#include "xspice.hpp"

namespace ns::digital {
namespace {

struct PullP {
  double load;
};
constexpr Param<PullP> pull_params[] = {
    {"load", &PullP::load, 1e-12, 0, inf, "F", "load (XSPICE's; no effect on timing)"},
};

template <Level level>
class Pull final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() { return {{"out", PortSpec::Dir::Out}}; }
  explicit Pull(const DeviceInput& in)
      : DigitalModel(in, spec()), p_(xspice::code_params(pull_params, in, {})) {}
  void evaluate(Network&, double, bool init) override {
    if (init) out(0, 0, level, 0, Strength::Resistive);
  }

private:
  PullP p_;
};

}  // namespace

const bool d_pullup_registered = register_model<Pull<Level::One>>(
    {.type = "d_pullup", .summary = "XSPICE digital pullup: a resistive 1 on its node",
     .terminals = {"out"}, .example = "A1 y up\n.model up d_pullup\n", .element = 'a',
     .event_nodes = event_nodes_of<Pull<Level::One>>},
    pull_params);
const bool d_pulldown_registered = register_model<Pull<Level::Zero>>(
    {.type = "d_pulldown", .summary = "XSPICE digital pulldown: a resistive 0 on its node",
     .terminals = {"out"}, .example = "A1 y down\n.model down d_pulldown\n", .element = 'a',
     .event_nodes = event_nodes_of<Pull<Level::Zero>>},
    pull_params);

}  // namespace ns::digital
