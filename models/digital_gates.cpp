// XSPICE digital gates: d_buffer, d_inverter (one input) and d_and, d_nand, d_or, d_nor,
// d_xor, d_xnor (a vector of inputs), on the event-driven network (src/digital/). The
// output is strong; with unknown inputs it is what the known ones decide (a 0 into an AND
// gives 0) or else U. A change is posted rise_delay later when the output goes to 1,
// fall_delay when it goes to 0, and to U the rise delay from 0 and the fall delay from 1.
#include <algorithm>

#include "digital/model.hpp"
#include "xspice.hpp"

namespace ns::digital {
namespace {

using Dir = PortSpec::Dir;

struct GateP {
  double rise_delay, fall_delay, input_load;
};
constexpr Param<GateP> gate_params[] = {
    {"rise_delay", &GateP::rise_delay, 1e-9, above(0), inf, "s", "delay of an output change to 1"},
    {"fall_delay", &GateP::fall_delay, 1e-9, above(0), inf, "s", "delay of an output change to 0"},
    {"input_load", &GateP::input_load, 1e-12, 0, inf, "F", "input load (XSPICE's; no effect on timing)"},
};

enum class Op { Buffer, And, Or, Xor };

// The gate's output before any inversion of the whole (nand = not and).
Level gate_output(Op op, const std::vector<Level>& in) {
  auto count = [&](Level l) { return std::count(in.begin(), in.end(), l); };
  switch (op) {
    case Op::Buffer: return in[0];
    case Op::And: return count(Level::Zero) ? Level::Zero : count(Level::Unknown) ? Level::Unknown : Level::One;
    case Op::Or: return count(Level::One) ? Level::One : count(Level::Unknown) ? Level::Unknown : Level::Zero;
    case Op::Xor: return count(Level::Unknown) ? Level::Unknown : count(Level::One) % 2 ? Level::One : Level::Zero;
  }
  return Level::Unknown;
}

template <Op op, bool inverted, bool vector>
class Gate final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() { return {{"in", Dir::In, vector}, {"out", Dir::Out}}; }
  explicit Gate(const DeviceInput& in)
      : DigitalModel(in, spec()),
        p_(xspice::code_params(gate_params, in, {})) {}

  void evaluate(Network&, double, bool) override {
    levels_.resize(ports(0));
    for (std::size_t j = 0; j < ports(0); ++j) levels_[j] = in(0, j);
    Level y = gate_output(op, levels_);
    if (inverted) y = invert(y);
    out(1, 0, y, edge_delay(posted(1), y, p_.rise_delay, p_.fall_delay));
  }

private:
  GateP p_;
  std::vector<Level> levels_;
};

}  // namespace

const bool d_buffer_registered = register_model<Gate<Op::Buffer, false, false>>(
    {.type = "d_buffer", .summary = "XSPICE digital buffer: out = in, after rise_delay / fall_delay",
     .terminals = {"in", "out"},
     .example = "A1 a y buf\n.model buf d_buffer(rise_delay=2n fall_delay=1n)\n", .element = 'a',
     .event_nodes = event_nodes_of<Gate<Op::Buffer, false, false>>},
    gate_params);
const bool d_inverter_registered = register_model<Gate<Op::Buffer, true, false>>(
    {.type = "d_inverter", .summary = "XSPICE digital inverter: out = not in, after rise_delay / fall_delay",
     .terminals = {"in", "out"},
     .example = "A1 a y inv\n.model inv d_inverter(rise_delay=2n fall_delay=1n)\n", .element = 'a',
     .event_nodes = event_nodes_of<Gate<Op::Buffer, true, false>>},
    gate_params);
const bool d_and_registered = register_model<Gate<Op::And, false, true>>(
    {.type = "d_and", .summary = "XSPICE digital AND of a vector of inputs",
     .terminals = {"in", "out"}, .example = "A1 [a b] y g\n.model g d_and\n", .element = 'a',
     .event_nodes = event_nodes_of<Gate<Op::And, false, true>>},
    gate_params);
const bool d_nand_registered = register_model<Gate<Op::And, true, true>>(
    {.type = "d_nand", .summary = "XSPICE digital NAND of a vector of inputs",
     .terminals = {"in", "out"}, .example = "A1 [a b] y g\n.model g d_nand\n", .element = 'a',
     .event_nodes = event_nodes_of<Gate<Op::And, true, true>>},
    gate_params);
const bool d_or_registered = register_model<Gate<Op::Or, false, true>>(
    {.type = "d_or", .summary = "XSPICE digital OR of a vector of inputs",
     .terminals = {"in", "out"}, .example = "A1 [a b] y g\n.model g d_or\n", .element = 'a',
     .event_nodes = event_nodes_of<Gate<Op::Or, false, true>>},
    gate_params);
const bool d_nor_registered = register_model<Gate<Op::Or, true, true>>(
    {.type = "d_nor", .summary = "XSPICE digital NOR of a vector of inputs",
     .terminals = {"in", "out"}, .example = "A1 [a b] y g\n.model g d_nor\n", .element = 'a',
     .event_nodes = event_nodes_of<Gate<Op::Or, true, true>>},
    gate_params);
const bool d_xor_registered = register_model<Gate<Op::Xor, false, true>>(
    {.type = "d_xor", .summary = "XSPICE digital XOR (odd parity) of a vector of inputs",
     .terminals = {"in", "out"}, .example = "A1 [a b] y g\n.model g d_xor\n", .element = 'a',
     .event_nodes = event_nodes_of<Gate<Op::Xor, false, true>>},
    gate_params);
const bool d_xnor_registered = register_model<Gate<Op::Xor, true, true>>(
    {.type = "d_xnor", .summary = "XSPICE digital XNOR (even parity) of a vector of inputs",
     .terminals = {"in", "out"}, .example = "A1 [a b] y g\n.model g d_xnor\n", .element = 'a',
     .event_nodes = event_nodes_of<Gate<Op::Xor, true, true>>},
    gate_params);

}  // namespace ns::digital
