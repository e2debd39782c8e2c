// XSPICE flip-flops and the latch on the event-driven network (src/digital/): d_dff,
// d_jkff, d_tff, d_srff (edge-triggered: a clock going 0 -> 1) and d_dlatch (transparent
// while enable is 1). set and reset (NULL: never) act at once and override the clock:
// set = 1 gives 1, reset = 1 gives 0, both give U. The state starts at ic
// (0, 1, or 2 for U) in the operating point, where clocks give no edge. An output change is posted after the delay
// of its cause (clk_delay, set_delay, reset_delay; the latch's enable_delay or
// data_delay, which may be 0) plus rise_delay (to 1) or fall_delay (to 0), Nout with its own, as
// ngspice's models time them (measured: tests/sim/digital_test.cpp).
#include <fmt/format.h>

#include "digital/model.hpp"
#include "xspice.hpp"

namespace ns::digital {
namespace {

using Dir = PortSpec::Dir;

struct FfP {
  double clk_delay, set_delay, reset_delay, ic, rise_delay, fall_delay, data_delay, enable_delay, load;
};
constexpr Param<FfP> ff_params[] = {
    {"clk_delay", &FfP::clk_delay, 1e-9, 0, inf, "s", "delay from a clock edge"},
    {"set_delay", &FfP::set_delay, 1e-9, 0, inf, "s", "delay from set"},
    {"reset_delay", &FfP::reset_delay, 1e-9, 0, inf, "s", "delay from reset"},
    {"ic", &FfP::ic, 0, 0, 2, "", "initial state: 0, 1 or 2 (U)"},
    {"rise_delay", &FfP::rise_delay, 1e-9, above(0), inf, "s", "added to an output change to 1"},
    {"fall_delay", &FfP::fall_delay, 1e-9, above(0), inf, "s", "added to an output change to 0"},
    {"data_delay", &FfP::data_delay, 1e-9, 0, inf, "s", "d_dlatch: delay from data while enabled"},
    {"enable_delay", &FfP::enable_delay, 1e-9, 0, inf, "s", "d_dlatch: delay from enable"},
    {"data_load", &FfP::load, 1e-12, 0, inf, "F", "input loads (XSPICE's; no effect on timing)"},
    {"clk_load", &FfP::load, 1e-12, 0, inf, "F", ""},
    {"set_load", &FfP::load, 1e-12, 0, inf, "F", ""},
    {"reset_load", &FfP::load, 1e-12, 0, inf, "F", ""},
    {"jk_load", &FfP::load, 1e-12, 0, inf, "F", ""},
    {"t_load", &FfP::load, 1e-12, 0, inf, "F", ""},
    {"sr_load", &FfP::load, 1e-12, 0, inf, "F", ""},
    {"enable_load", &FfP::load, 1e-12, 0, inf, "F", ""},
};

enum class Kind { D, JK, T, SR, Latch };

std::vector<PortSpec> ports_of(Kind k) {
  std::vector<PortSpec> p;
  switch (k) {
    case Kind::D: p = {{"data"}, {"clk"}}; break;
    case Kind::JK: p = {{"j"}, {"k"}, {"clk"}}; break;
    case Kind::T: p = {{"t"}, {"clk"}}; break;
    case Kind::SR: p = {{"s"}, {"r"}, {"clk"}}; break;
    case Kind::Latch: p = {{"data"}, {"enable"}}; break;
  }
  p.push_back({"set", Dir::In, false, false, true});
  p.push_back({"reset", Dir::In, false, false, true});
  p.push_back({"out", Dir::Out, false, false, true});
  p.push_back({"nout", Dir::Out, false, false, true});
  return p;
}

template <Kind kind>
class FlipFlop final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() { return ports_of(kind); }
  explicit FlipFlop(const DeviceInput& in) : DigitalModel(in, spec()), p_(xspice::code_params(ff_params, in, {})) {
    if (p_.ic != 0 && p_.ic != 1 && p_.ic != 2)
      throw InputError(in.model->where, fmt::format("'{}': ic must be 0, 1 or 2 (U), not {:g}", in.model->name, p_.ic));
  }

  void reset_state() override {
    q_ = p_.ic == 0 ? Level::Zero : p_.ic == 1 ? Level::One : Level::Unknown;
    clk_ = Level::Unknown;
  }

  void evaluate(Network& net, double, bool init) override {
    constexpr std::size_t n = kind == Kind::JK || kind == Kind::SR ? 3 : 2;  // index of set
    const Level set = connected(n) ? in(n) : Level::Zero, reset = connected(n + 1) ? in(n + 1) : Level::Zero;
    const Level clk = in(n - 1);
    // No clock edge in the operating point, where nodes settle from 0 (ngspice 39,
    // measured: a clock that an inverter takes from 0 to 1 there leaves the state at ic).
    const bool edge = clk_ == Level::Zero && clk == Level::One && !net.settling();
    const bool enabling = clk_ != Level::One && clk == Level::One;
    clk_ = clk;
    double delay = 0;
    if (set == Level::One || reset == Level::One) {
      const Level q = set != Level::One ? Level::Zero : reset != Level::One ? Level::One : Level::Unknown;
      if (q == q_ && !init) return;
      q_ = q;
      delay = q == Level::Zero ? p_.reset_delay : p_.set_delay;
    } else if (init) {
      // the operating point's first evaluation: the state is ic
    } else if (kind == Kind::Latch) {
      if (clk != Level::One || in(0) == q_) return;
      q_ = in(0);
      delay = enabling ? p_.enable_delay : p_.data_delay;
    } else if (edge) {
      const Level q = next();
      if (q == q_) return;
      q_ = q;
      delay = p_.clk_delay;
    } else {
      return;
    }
    const std::size_t o = kind == Kind::JK || kind == Kind::SR ? 5 : 4;
    out(o, 0, q_, delay + edge_delay(posted(o), q_, p_.rise_delay, p_.fall_delay));
    const Level nq = invert(q_);
    out(o + 1, 0, nq, delay + edge_delay(posted(o + 1), nq, p_.rise_delay, p_.fall_delay));
  }

private:
  // The state after a clock edge.
  Level next() const {
    const Level a = in(0);
    if (kind == Kind::D) return a;
    if (kind == Kind::T) return a == Level::One ? invert(q_) : a == Level::Zero ? q_ : Level::Unknown;
    const Level b = in(1);
    if (a == Level::Unknown || b == Level::Unknown) return Level::Unknown;
    if (a == Level::Zero) return b == Level::Zero ? q_ : Level::Zero;
    if (b == Level::Zero) return Level::One;
    return kind == Kind::JK ? invert(q_) : Level::Unknown;  // j = k = 1 toggles; s = r = 1 is U
  }
  FfP p_;
  Level q_ = Level::Zero, clk_ = Level::Unknown;
};

}  // namespace

const bool d_dff_registered = register_model<FlipFlop<Kind::D>>(
    {.type = "d_dff", .summary = "XSPICE D flip-flop: out takes data at each clk 0 -> 1; set, reset asynchronous",
     .terminals = {"data", "clk", "set", "reset", "out", "nout"},
     .example = "A1 d c null null q nq ff\n.model ff d_dff(ic=1)\n", .element = 'a',
     .event_nodes = event_nodes_of<FlipFlop<Kind::D>>},
    ff_params);
const bool d_jkff_registered = register_model<FlipFlop<Kind::JK>>(
    {.type = "d_jkff", .summary = "XSPICE JK flip-flop: at each clk 0 -> 1, j k = 10 sets, 01 resets, 11 toggles",
     .terminals = {"j", "k", "clk", "set", "reset", "out", "nout"},
     .example = "A1 j k c null null q nq ff\n.model ff d_jkff\n", .element = 'a',
     .event_nodes = event_nodes_of<FlipFlop<Kind::JK>>},
    ff_params);
const bool d_tff_registered = register_model<FlipFlop<Kind::T>>(
    {.type = "d_tff", .summary = "XSPICE T flip-flop: toggles at each clk 0 -> 1 while t is 1",
     .terminals = {"t", "clk", "set", "reset", "out", "nout"},
     .example = "A1 t c null null q nq ff\n.model ff d_tff\n", .element = 'a',
     .event_nodes = event_nodes_of<FlipFlop<Kind::T>>},
    ff_params);
const bool d_srff_registered = register_model<FlipFlop<Kind::SR>>(
    {.type = "d_srff", .summary = "XSPICE SR flip-flop: at each clk 0 -> 1, s r = 10 sets, 01 resets, 11 gives U",
     .terminals = {"s", "r", "clk", "set", "reset", "out", "nout"},
     .example = "A1 s r c null null q nq ff\n.model ff d_srff\n", .element = 'a',
     .event_nodes = event_nodes_of<FlipFlop<Kind::SR>>},
    ff_params);
const bool d_dlatch_registered = register_model<FlipFlop<Kind::Latch>>(
    {.type = "d_dlatch", .summary = "XSPICE D latch: out follows data while enable is 1; set, reset asynchronous",
     .terminals = {"data", "enable", "set", "reset", "out", "nout"},
     .example = "A1 d e null null q nq l\n.model l d_dlatch\n", .element = 'a',
     .event_nodes = event_nodes_of<FlipFlop<Kind::Latch>>},
    ff_params);

}  // namespace ns::digital
