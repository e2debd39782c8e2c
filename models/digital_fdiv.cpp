// XSPICE d_fdiv, the digital frequency divider, on the event-driven network (src/digital/).
// A count starts at i_count, and freq_out at 1 when 1 <= i_count <= high_cycles, else 0.
// Each freq_in edge to 1 (from 0 or U, as a flip-flop's clock) adds 1 to the count, back
// to 1 past div_factor; the count reaching 1 sets freq_out to 1, reaching high_cycles + 1
// sets it to 0, other counts leave it (so high_cycles = 0 or >= div_factor holds it at 1
// after the first period). Measured against ngspice 39, each output edge and its rise or
// fall delay: div_factor 3 with i_count 0..5 and high_cycles 1, 2; high_cycles 0 and 5;
// div_factor 1 (tests/sim/digital_fdiv_test.cpp).
#include <cmath>

#include "digital/model.hpp"
#include "xspice.hpp"

namespace ns::digital {
namespace {

using Dir = PortSpec::Dir;

struct FdivP {
  double div_factor, high_cycles, i_count, rise_delay, fall_delay, load;
};
constexpr Param<FdivP> fdiv_params[] = {
    {"div_factor", &FdivP::div_factor, 2, 1, 1e9, "", "input edges per output period"},
    {"high_cycles", &FdivP::high_cycles, 1, 0, 1e9, "", "input edges per period the output is 1"},
    {"i_count", &FdivP::i_count, 0, 0, 1e9, "", "the count before the first input edge"},
    {"rise_delay", &FdivP::rise_delay, 1e-9, above(0), inf, "s", "delay of an output change to 1"},
    {"fall_delay", &FdivP::fall_delay, 1e-9, above(0), inf, "s", "delay of an output change to 0"},
    {"freq_in_load", &FdivP::load, 1e-12, 0, inf, "F", "input load (XSPICE's; no effect on timing)"},
};

class FrequencyDivider final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() { return {{"freq_in"}, {"freq_out", Dir::Out}}; }
  explicit FrequencyDivider(const DeviceInput& in)
      : DigitalModel(in, spec()), p_(xspice::code_params(fdiv_params, in, {})),
        // whole numbers, as ngspice 39 rounds them (measured: high_cycles 1.6 runs as 2)
        div_(std::lround(p_.div_factor)), high_(std::lround(p_.high_cycles)), initial_(std::lround(p_.i_count)) {}

  void reset_state() override {
    count_ = initial_;
    q_ = count_ >= 1 && count_ <= high_ ? Level::One : Level::Zero;
    in_ = Level::Unknown;
  }

  void evaluate(Network& net, double, bool init) override {
    if (net.settling()) {  // no edges in the operating point: the count stays at i_count
      reset_state();
      init = true;
    }
    const Level now = in(0);
    const bool edge = in_ != Level::One && now == Level::One && !net.settling();
    in_ = now;
    if (edge) {
      count_ = count_ + 1 > div_ ? 1 : count_ + 1;
      if (count_ == 1) q_ = Level::One;
      else if (count_ == high_ + 1) q_ = Level::Zero;
    } else if (!init) {
      return;
    }
    out(1, 0, q_, edge_delay(posted(1), q_, p_.rise_delay, p_.fall_delay));
  }

private:
  FdivP p_;
  long div_, high_, initial_;
  long count_ = 0;
  Level q_ = Level::Zero, in_ = Level::Unknown;
};

}  // namespace

const bool d_fdiv_registered = register_model<FrequencyDivider>(
    {.type = "d_fdiv",
     .summary = "XSPICE frequency divider: freq_out 1 for high_cycles of every div_factor freq_in rising edges",
     .terminals = {"freq_in", "freq_out"},
     .example = "A1 c y div\n.model div d_fdiv(div_factor=3 high_cycles=2)\n", .element = 'a',
     .event_nodes = event_nodes_of<FrequencyDivider>},
    fdiv_params);

}  // namespace ns::digital
