// XSPICE hybrid oscillators on the event-driven network (src/digital/): an analog control
// input cntl_in, a digital clock out.
//
// d_osc: frequency the piecewise-linear function (cntl_array -> freq_array) of cntl_in,
// extended by the end segments' slopes and never below 0; duty_cycle fixed.
// d_pwm: frequency fixed; duty cycle the piecewise-linear function (cntl_array ->
// dc_array) of cntl_in, limited to [0, 1].
//
// Both: the phase, in cycles, starts at init_phase / 360 and grows by the frequency
// (integrated by the trapezoid rule between accepted points); the output is 1 while the
// phase's fraction is at or above 1 - duty, 0 below (measured against ngspice 39: a
// rise at 1 - duty, a fall at each whole cycle). An edge is posted rise_delay or
// fall_delay after the time the phase crossed it, interpolated within the step; the
// transient stops at each edge the present frequency predicts, so steps do not jump
// over edges.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "digital/model.hpp"
#include "xspice.hpp"

namespace ns::digital {
namespace {

using Dir = PortSpec::Dir;

struct OscP {
  double duty, frequency, init_phase, rise_delay, fall_delay;
};
constexpr Param<OscP> osc_params[] = {
    {"duty_cycle", &OscP::duty, 0.5, 1e-6, 0.999999, "", "d_osc: fraction of each period spent at 1"},
    {"init_phase", &OscP::init_phase, 0, -180, 360, "deg", "phase at time 0"},
    {"rise_delay", &OscP::rise_delay, 1e-9, 0, inf, "s", "delay of an output change to 1"},
    {"fall_delay", &OscP::fall_delay, 1e-9, 0, inf, "s", "delay of an output change to 0"},
};
constexpr Param<OscP> pwm_params[] = {
    {"frequency", &OscP::frequency, 1e6, above(0), inf, "Hz", "d_pwm: the fixed frequency"},
    {"init_phase", &OscP::init_phase, 0, -180, 360, "deg", "phase at time 0"},
    {"rise_delay", &OscP::rise_delay, 1e-9, 0, inf, "s", "delay of an output change to 1"},
    {"fall_delay", &OscP::fall_delay, 1e-9, 0, inf, "s", "delay of an output change to 0"},
};

// y(x) linear between the points, extended by the end segments' slopes.
double interpolate(const std::vector<double>& xs, const std::vector<double>& ys, double x) {
  if (xs.size() == 1) return ys[0];
  std::size_t k = 0;
  while (k + 2 < xs.size() && x > xs[k + 1]) ++k;
  return ys[k] + (ys[k + 1] - ys[k]) / (xs[k + 1] - xs[k]) * (x - xs[k]);
}

template <bool Pwm>
class Oscillator final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() { return {{"cntl_in", Dir::In, false, true}, {"out", Dir::Out}}; }
  explicit Oscillator(const DeviceInput& in)
      : DigitalModel(in, spec()),
        p_(Pwm ? xspice::code_params(pwm_params, in, {"cntl_array", "dc_array"})
               : xspice::code_params(osc_params, in, {"cntl_array", "freq_array"})),
        cntl_(xspice::vector_param(in, "cntl_array", {})),
        table_(xspice::vector_param(in, Pwm ? "dc_array" : "freq_array", {})) {
    const Location& where = in.model ? in.model->where : in.element.where;
    const char* y = Pwm ? "dc_array" : "freq_array";
    if (cntl_.empty() || cntl_.size() != table_.size())
      throw InputError(where, fmt::format("'{}' needs cntl_array and {} of equal length (has {} and {})", name(), y,
                                          cntl_.size(), table_.size()));
    for (std::size_t k = 1; k < cntl_.size(); ++k)
      if (!(cntl_[k] > cntl_[k - 1])) throw InputError(where, fmt::format("'{}': cntl_array must increase", name()));
  }

  void analog_inputs(const Eval& x, std::vector<double>& out) const override { out.push_back(control(x)); }
  void sample(Network& net, const Eval& x) override {
    const double c = control(x);
    const double f = Pwm ? p_.frequency : std::max(0.0, interpolate(cntl_, table_, c));
    const double d = Pwm ? std::clamp(interpolate(cntl_, table_, c), 0.0, 1.0) : p_.duty;
    if (net.settling()) {
      phase_ = p_.init_phase / 360, time_ = x.time, f_ = f, d_ = d, rate_d_ = 0;
      out(1, 0, level(phase_, d), 0);
      return;
    }
    const double dt = x.time - time_;
    if (!(dt > 0)) return;
    const double phase = phase_ + 0.5 * (f_ + f) * dt;
    // The edges crossed in the step, at the times the phase (falls) and phase + duty
    // (rises) passed whole cycles, linear in time within the step.
    edges_.clear();
    auto crossings = [&](double a, double b, Level l) {
      for (double k = std::floor(a + eps) + 1; k <= b + eps; ++k)
        edges_.push_back({time_ + dt * std::clamp((k - a) / (b - a), 0.0, 1.0), l});
    };
    crossings(phase_, phase, Level::Zero);
    crossings(phase_ + d_, phase + d, Level::One);
    std::sort(edges_.begin(), edges_.end(), [](const Edge& a, const Edge& b) { return a.t < b.t; });
    for (const Edge& e : edges_) {
      const double delay = e.l == Level::One ? p_.rise_delay : p_.fall_delay;
      out(1, 0, e.l, std::max(0.0, e.t + delay - x.time));
    }
    rate_d_ = (d - d_) / dt;
    phase_ = phase - std::floor(phase), time_ = x.time, f_ = f, d_ = d;
  }
  void evaluate(Network&, double, bool) override {}
  // The next edge at the present frequency and rate of change of the duty cycle.
  double corner(double time) const override {
    double t = inf;
    auto next = [&](double at, double rate) {
      if (rate > 0) t = std::min(t, time_ + (std::floor(at + eps) + 1 - at) / rate);
    };
    next(phase_, f_);
    next(phase_ + d_, f_ + rate_d_);
    return t > time ? t : inf;
  }

private:
  static constexpr double eps = 1e-9;  // cycles: a crossing this close counts as reached
  double control(const Eval& x) const { return x.v(port(0).p) - x.v(port(0).n); }
  static Level level(double phase, double duty) {
    return phase - std::floor(phase) >= 1 - duty ? Level::One : Level::Zero;
  }
  struct Edge {
    double t;
    Level l;
  };
  OscP p_;
  std::vector<double> cntl_, table_;
  std::vector<Edge> edges_;  // of a step
  double phase_ = 0, time_ = 0, f_ = 0, d_ = 0, rate_d_ = 0;
};

}  // namespace

const bool d_osc_registered = register_model<Oscillator<false>>(
    {.type = "d_osc",
     .summary = "XSPICE controlled digital oscillator: a clock whose frequency cntl_in sets (cntl_array, freq_array)",
     .terminals = {"cntl_in", "out"},
     .example = "A1 c y osc\n.model osc d_osc(cntl_array=[0 1] freq_array=[1e6 2e6] duty_cycle=0.4)\nV1 c 0 0.5\n",
     .element = 'a', .event_nodes = event_nodes_of<Oscillator<false>>},
    osc_params);
const bool d_pwm_registered = register_model<Oscillator<true>>(
    {.type = "d_pwm",
     .summary = "XSPICE digital PWM: a clock of fixed frequency whose duty cycle cntl_in sets (cntl_array, dc_array)",
     .terminals = {"cntl_in", "out"},
     .example = "A1 c y pwm\n.model pwm d_pwm(frequency=1e5 cntl_array=[-1 1] dc_array=[0.1 0.9])\nV1 c 0 0.5\n",
     .element = 'a', .event_nodes = event_nodes_of<Oscillator<true>>},
    pwm_params);

}  // namespace ns::digital
