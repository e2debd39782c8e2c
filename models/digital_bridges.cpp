// XSPICE node bridges between analog and digital nodes (src/digital/):
//
// adc_bridge: each input voltage, read at every accepted point of the transient (as
// ngspice samples at its time points: an edge is known to the step that crossed it), is
// 0 at or below in_low, 1 at or above in_high and U between; a change is posted
// rise_delay (to 1) or fall_delay (to 0) later.
//
// dac_bridge: each output a voltage source at out_low, out_high or out_undef for an
// input 0, 1 or U; when the input changes, it ramps from where it is toward the new
// value with the constant slope (out_high - out_low) / t_rise going up and / t_fall
// going down. The ramp's start and end are corners of the transient. out_undef, when
// not given, is the mean of out_low and out_high.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "digital/model.hpp"
#include "xspice.hpp"

namespace ns::digital {
namespace {

using Dir = PortSpec::Dir;

struct AdcP {
  double in_low, in_high, rise_delay, fall_delay;
};
constexpr Param<AdcP> adc_params[] = {
    {"in_low", &AdcP::in_low, 0.1, -inf, inf, "V", "inputs at or below it are 0"},
    {"in_high", &AdcP::in_high, 0.9, -inf, inf, "V", "inputs at or above it are 1"},
    {"rise_delay", &AdcP::rise_delay, 1e-9, above(0), inf, "s", "delay of an output change to 1"},
    {"fall_delay", &AdcP::fall_delay, 1e-9, above(0), inf, "s", "delay of an output change to 0"},
};

class AdcBridge final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() { return {{"in", Dir::In, true, true}, {"out", Dir::Out, true}}; }
  explicit AdcBridge(const DeviceInput& in)
      : DigitalModel(in, spec()),
        p_(xspice::code_params(adc_params, in, {})) {
    if (ports(0) != ports(1))
      throw InputError(in.element.where, fmt::format("'{}' has {} inputs and {} outputs; adc_bridge needs as many",
                                                     name(), ports(0), ports(1)));
    if (p_.in_high < p_.in_low)
      throw InputError(in.model->where, fmt::format("'{}': in_high ({:g}) is below in_low ({:g})", in.model->name,
                                                    p_.in_high, p_.in_low));
  }
  void analog_inputs(const Eval& x, std::vector<double>& out) const override {
    for (std::size_t j = 0; j < ports(0); ++j) out.push_back(voltage(x, j));
  }
  void sample(Network&, const Eval& x) override {
    for (std::size_t j = 0; j < ports(0); ++j) {
      const double v = voltage(x, j);
      const Level l = v <= p_.in_low ? Level::Zero : v >= p_.in_high ? Level::One : Level::Unknown;
      out(1, j, l, edge_delay(posted(1, j), l, p_.rise_delay, p_.fall_delay));
    }
  }
  void evaluate(Network&, double, bool) override {}

private:
  double voltage(const Eval& x, std::size_t j) const { return x.v(port(0, j).p) - x.v(port(0, j).n); }
  AdcP p_;
};

struct DacP {
  double out_low, out_high, out_undef, input_load, t_rise, t_fall;
};
constexpr Param<DacP> dac_params[] = {
    {"out_low", &DacP::out_low, 0.0, -inf, inf, "V", "output for a 0"},
    {"out_high", &DacP::out_high, 1.0, -inf, inf, "V", "output for a 1"},
    {"out_undef", &DacP::out_undef, 0.5, -inf, inf, "V", "output for a U (not given: the mean of out_low and out_high)"},
    {"input_load", &DacP::input_load, 1e-12, 0, inf, "F", "input load (XSPICE's; no effect on timing)"},
    {"t_rise", &DacP::t_rise, 1e-9, above(0), inf, "s", "time of a full ramp from out_low to out_high"},
    {"t_fall", &DacP::t_fall, 1e-9, above(0), inf, "s", "time of a full ramp from out_high to out_low"},
};

class DacBridge final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() { return {{"in", Dir::In, true}, {"out", Dir::Out, true, true}}; }
  explicit DacBridge(const DeviceInput& in)
      : DigitalModel(in, spec()),
        p_(xspice::code_params(dac_params, in, {})) {
    if (ports(0) != ports(1))
      throw InputError(in.element.where, fmt::format("'{}' has {} inputs and {} outputs; dac_bridge needs as many",
                                                     name(), ports(0), ports(1)));
    const bool undef_given = in.model && std::any_of(in.model->params.begin(), in.model->params.end(),
                                                     [](const Assignment& a) { return a.name == "out_undef"; });
    if (!undef_given) p_.out_undef = (p_.out_low + p_.out_high) / 2;
    ramps_.resize(ports(0));
  }

  void evaluate(Network& net, double time, bool) override {
    for (std::size_t j = 0; j < ports(0); ++j) {
      const Level l = in(0, j);
      const double target = l == Level::Zero ? p_.out_low : l == Level::One ? p_.out_high : p_.out_undef;
      Ramp& r = ramps_[j];
      if (net.settling()) {
        r = {time, target, target};
        changed_ = -inf;
      } else if (target != r.target) {
        r = {time, r.at(time, slope(r)), target};
        changed_ = time;
      }
    }
  }
  // A ramp that started or was turned in (from, to], or that ends there.
  bool analog_corner(double from, double to) const override {
    if (changed_ > from && changed_ <= to) return true;
    for (const Ramp& r : ramps_) {
      if (r.from == r.target) continue;
      const double end = r.start + std::abs(r.target - r.from) / slope(r);
      if (end > from && end <= to) return true;
    }
    return false;
  }
  double corner(double time) const override {
    double t = inf;
    for (const Ramp& r : ramps_) {
      const double s = slope(r);
      if (s > 0 && r.from != r.target) {
        const double end = r.start + std::abs(r.target - r.from) / s;
        if (end > time) t = std::min(t, end);
      }
    }
    return t;
  }

protected:
  void setup_analog(Setup& s) override {
    for (std::size_t j = 0; j < ports(1); ++j) {
      const Port& p = port(1, j);
      Out o;
      o.p = p.p, o.n = p.n;
      o.branch = s.branch(ports(1) > 1 ? fmt::format("out{}", j + 1) : std::string("out"));
      o.pb = s.entry(o.p, o.branch), o.nb = s.entry(o.n, o.branch);
      o.bp = s.entry(o.branch, o.p), o.bn = s.entry(o.branch, o.n);
      outs_.push_back(o);
    }
  }
  void load_analog(const Eval& e, Load& l) const override {
    for (std::size_t j = 0; j < outs_.size(); ++j) {
      const Out& o = outs_[j];
      const Ramp& r = ramps_[j];
      const double v = e.mode == Mode::Tran ? r.at(e.time, slope(r)) : r.target;
      const double i = e.v(o.branch);
      l.f(o.p, i), l.f(o.n, -i);
      l.f(o.branch, e.v(o.p) - e.v(o.n) - v);
      l.G(o.pb, 1), l.G(o.nb, -1), l.G(o.bp, 1), l.G(o.bn, -1);
    }
  }
  void topology_analog(Topology& t) const override {
    for (const Out& o : outs_) t.voltage_defined(o.p, o.n);
  }

private:
  struct Ramp {
    double start = 0, from = 0, target = 0;
    // The output at `t`: from `from` toward `target` at `slope` (V/s) since `start`.
    double at(double t, double slope) const {
      if (t <= start || slope <= 0) return t <= start ? from : target;
      const double moved = slope * (t - start);
      return target > from ? std::min(target, from + moved) : std::max(target, from - moved);
    }
  };
  double slope(const Ramp& r) const {
    const double swing = std::abs(p_.out_high - p_.out_low);
    return swing / (r.target > r.from ? p_.t_rise : p_.t_fall);
  }
  struct Out {
    Unknown p, n, branch;
    Entry pb, nb, bp, bn;
  };
  DacP p_;
  std::vector<Ramp> ramps_;
  double changed_ = -inf;  // when a ramp last started or turned
  std::vector<Out> outs_;
};

}  // namespace

const bool adc_bridge_registered = register_model<AdcBridge>(
    {.type = "adc_bridge",
     .summary = "XSPICE analog-to-digital bridge: each input 0 at or below in_low, 1 at or above in_high, U between",
     .terminals = {"in", "out"},
     .example = "A1 [a] [d] adc\n.model adc adc_bridge(in_low=0.3 in_high=0.7)\n", .element = 'a',
     .event_nodes = event_nodes_of<AdcBridge>},
    adc_params);
const bool dac_bridge_registered = register_model<DacBridge>(
    {.type = "dac_bridge",
     .summary = "XSPICE digital-to-analog bridge: a voltage out_low / out_high / out_undef, ramped over t_rise / t_fall",
     .terminals = {"in", "out"},
     .example = "A1 [d] [y] dac\n.model dac dac_bridge(out_low=0 out_high=3.3)\nR1 y 0 1k\n", .element = 'a',
     .event_nodes = event_nodes_of<DacBridge>},
    dac_params);

}  // namespace ns::digital
