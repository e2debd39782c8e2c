// XSPICE d_tristate (src/digital/): out takes in's level, strong while enable is 1,
// hi-impedance while it is 0 (another output on the node, or a pull, decides it there),
// undetermined while it is U; every change `delay` later. PSpice's tristate primitives
// (buf3, and3a...) come to it (netlist/udevices.cpp).
#include "digital/model.hpp"
#include "xspice.hpp"

namespace ns::digital {
namespace {

using Dir = PortSpec::Dir;

struct TriP {
  double delay, load;
};
constexpr Param<TriP> tri_params[] = {
    {"delay", &TriP::delay, 1e-9, above(0), inf, "s", "delay of any output change"},
    {"input_load", &TriP::load, 1e-12, 0, inf, "F", "input load (XSPICE's; no effect on timing)"},
    {"enable_load", &TriP::load, 1e-12, 0, inf, "F", "enable load (XSPICE's; no effect on timing)"},
};

class Tristate final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() { return {{"in"}, {"enable"}, {"out", Dir::Out}}; }
  explicit Tristate(const DeviceInput& in) : DigitalModel(in, spec()), p_(xspice::code_params(tri_params, in, {})) {}

  void evaluate(Network&, double, bool) override {
    const Level e = in(1);
    const Strength s = e == Level::One ? Strength::Strong : e == Level::Zero ? Strength::HiZ : Strength::Undetermined;
    out(2, 0, in(0), p_.delay, s);
  }

private:
  TriP p_;
};

}  // namespace

const bool d_tristate_registered = register_model<Tristate>(
    {.type = "d_tristate", .summary = "XSPICE tristate buffer: out = in while enable is 1, hi-impedance while 0",
     .terminals = {"in", "enable", "out"},
     .example = "A1 a en y tri\n.model tri d_tristate(delay=2n)\n", .element = 'a',
     .event_nodes = event_nodes_of<Tristate>},
    tri_params);

}  // namespace ns::digital
