// XSPICE cmeter and lmeter: an output of gain times the capacitance (inductance) the
// circuit's C (L) elements put on the input node: the capacitors joined to it summed,
// the inductors joined to it in parallel (ngspice 39 combines them so too, measured in
// tests/sim/xspice_more_test.cpp). Only C and L elements count, with their m and
// temperature (ngspice leaves a capacitor's m out). The input draws no current; the
// output is constant through any analysis.
#include <optional>

#include "circuit/lumped.hpp"
#include "xspice.hpp"

namespace ns::xspice {
namespace {

using Dir = ConnectionSpec::Dir;

struct MeterP {
  double gain;
};
constexpr Param<MeterP> meter_params[] = {
    {"gain", &MeterP::gain, 1, -inf, inf, "", "output per farad (henry)"},
};

template <bool Inductance>
class Meter final : public CodeModel {
public:
  explicit Meter(const DeviceInput& in)
      : CodeModel(in, {{"in", Dir::In, "v", false, "v"}, {"out", Dir::Out, "v", false, "v vd i id"}}),
        p_(code_params(meter_params, in, {})) {}
  void setup(Setup& s) override {
    CodeModel::setup(s);
    node_ = s.terminal(0);  // the input, one node
    lumped_ = &s.part<LumpedElements>(LumpedElements::kind);
  }
  void compute(const Eval&, std::span<const double>, std::span<const double>, Work& w) const override {
    if (!value_) value_ = Inductance ? lumped_->inductance_at(node_) : lumped_->capacitance_at(node_);
    w.y[0] = p_.gain * *value_;
  }

private:
  MeterP p_;
  Unknown node_ = ground;
  const LumpedElements* lumped_ = nullptr;
  mutable std::optional<double> value_;  // read at the first load, once all are set up
};

}  // namespace

const bool cmeter_registered = register_model<Meter<false>>(
    {.type = "cmeter", .summary = "XSPICE cmeter: out = gain times the capacitance of the C elements on the input node",
     .terminals = {"in", "out"},
     .example = "A1 a b cm\n.model cm cmeter(gain=1e6)\nC1 a 0 1u\n", .element = 'a'},
    meter_params);
const bool lmeter_registered = register_model<Meter<true>>(
    {.type = "lmeter", .summary = "XSPICE lmeter: out = gain times the inductance of the L elements on the input node, in parallel",
     .terminals = {"in", "out"},
     .example = "A1 a b lm\n.model lm lmeter(gain=1e6)\nL1 a c 1u\n", .element = 'a'},
    meter_params);

}  // namespace ns::xspice
