// XSPICE oneshot: a pulse generator. When clk crosses clk_trig upward (downward with
// pos_edge_trig=false), the output waits rise_delay, rises from out_low to out_high over
// rise_time, stays for the pulse width (pw_array against cntl_array at the trigger,
// linear, extended by the end slopes), waits fall_delay and falls over fall_time. A
// trigger during a pulse restarts its timing with retrig=true (the output rising back to
// out_high at once) and is ignored otherwise; clear above clk_trig ends a pulse, the output
// falling at once (ngspice drops it within its step; here over fall_time, so that the
// output has no jump the integrator steps into). The timing is ngspice 39's, measured:
// tests/sim/xspice_more_test.cpp; ngspice takes the trigger at its first time point after
// the crossing, here it is interpolated between the accepted points the clock is read at.
// Each corner of the pulse is an event, where the transient stops.
#include <algorithm>
#include <cmath>
#include <limits>

#include "xspice.hpp"

namespace ns::xspice {
namespace {

using Dir = ConnectionSpec::Dir;
constexpr double never = std::numeric_limits<double>::infinity();

struct OneshotP {
  double clk_trig, pos_edge, out_low, out_high, rise_time, rise_delay, fall_delay, fall_time, retrig;
};
constexpr Param<OneshotP> oneshot_params[] = {
    {"clk_trig", &OneshotP::clk_trig, 0.5, -inf, inf, "", "clock threshold (and clear's)"},
    {"pos_edge_trig", &OneshotP::pos_edge, 1, 0, 1, "", "1: trigger on the rising edge, 0: on the falling"},
    {"out_low", &OneshotP::out_low, 0, -inf, inf, "", "output between pulses"},
    {"out_high", &OneshotP::out_high, 1, -inf, inf, "", "output in a pulse"},
    {"rise_time", &OneshotP::rise_time, 1e-9, above(0), inf, "s", "rise time"},
    {"rise_delay", &OneshotP::rise_delay, 1e-9, 0, inf, "s", "from the trigger to the rise"},
    {"fall_delay", &OneshotP::fall_delay, 1e-9, 0, inf, "s", "from the pulse's end to the fall"},
    {"fall_time", &OneshotP::fall_time, 1e-9, above(0), inf, "s", "fall time"},
    {"retrig", &OneshotP::retrig, 0, 0, 1, "", "1: a trigger in a pulse restarts it"},
};

class Oneshot final : public CodeModel {
public:
  explicit Oneshot(const DeviceInput& in)
      : CodeModel(in, {{"clk"}, {"cntl_in"}, {"clear"}, {"out", Dir::Out, "v", false, "v vd i id"}}),
        p_(code_params(oneshot_params, in, {"cntl_array", "pw_array"})) {
    read_pwl_arrays(in, "cntl_array", "pw_array", cntl_, pw_);
  }

  void start_transient(double, double) override {
    wave_.clear();
    last_t_ = std::numeric_limits<double>::quiet_NaN();
  }
  bool event_driven() const override { return true; }
  double next_event() const override {
    for (const Corner& c : wave_)
      if (c.t > last_t_) return c.t;
    return never;
  }
  void accept(const Eval& e) override {
    const double clk = input(e, 0), clear = input(e, 2), t = e.time;
    if (!std::isnan(last_t_) && t >= last_t_) {
      const double lo = p_.pos_edge ? last_clk_ : clk, hi = p_.pos_edge ? clk : last_clk_;
      const bool busy = !wave_.empty() && t < wave_.back().t;
      if (lo < p_.clk_trig && hi >= p_.clk_trig && clear <= p_.clk_trig && (!busy || p_.retrig)) {
        const double at = t > last_t_ ? last_t_ + (p_.clk_trig - last_clk_) / (clk - last_clk_) * (t - last_t_) : t;
        double dpw = 0;
        start(t, at, std::max(0.0, pwl_extended(cntl_, pw_, input(e, 1), dpw)), busy);
      }
      if (clear > p_.clk_trig && busy) {
        const double v = level(t);
        wave_ = {{t, v}, {t + p_.fall_time * (v - p_.out_low) / (p_.out_high - p_.out_low), p_.out_low}};
      }
    }
    last_t_ = t, last_clk_ = clk;
  }

  void compute(const Eval& e, std::span<const double>, std::span<const double>, Work& w) const override {
    w.y[0] = e.mode == Mode::Tran ? level(e.time) : p_.out_low;
  }

private:
  struct Corner {
    double t, v;
  };
  // A pulse triggered at `at`, seen at the accepted point t >= at: from the level at t, a
  // rise (after rise_delay, or at once when it retriggers a pulse), the width, fall_delay,
  // the fall. A rise whose delay has passed by t starts at t, so the output never jumps.
  void start(double t, double at, double width, bool retrigger) {
    const double v = level(t), span = p_.out_high - p_.out_low;
    std::vector<Corner> w{{t, v}};
    const double rise = retrigger ? t : std::max(at + p_.rise_delay, t);
    if (rise > t) w.push_back({rise, v});
    const double top = rise + p_.rise_time * (p_.out_high - v) / span;
    const double down = std::max(top, at + p_.rise_delay + p_.rise_time + width + p_.fall_delay);
    w.push_back({top, p_.out_high});
    w.push_back({down, p_.out_high});
    w.push_back({down + p_.fall_time, p_.out_low});
    wave_ = std::move(w);
  }
  // The output: linear between the corners, flat outside them.
  double level(double t) const {
    if (wave_.empty()) return p_.out_low;
    if (t <= wave_.front().t) return wave_.front().v;
    for (std::size_t k = 1; k < wave_.size(); ++k)
      if (t < wave_[k].t) {
        const Corner &a = wave_[k - 1], &b = wave_[k];
        return a.v + (b.v - a.v) * (t - a.t) / (b.t - a.t);
      }
    return wave_.back().v;
  }

  OneshotP p_;
  std::vector<double> cntl_, pw_;
  std::vector<Corner> wave_;
  double last_t_ = std::numeric_limits<double>::quiet_NaN(), last_clk_ = 0;
};

}  // namespace

const bool oneshot_registered = register_model<Oneshot>(
    {.type = "oneshot",
     .summary = "XSPICE oneshot: a pulse of width set by cntl_in, started by a clock edge, ended early by clear",
     .terminals = {"clk", "cntl_in", "clear", "out"},
     .example = "A1 c w r y os\n.model os oneshot(cntl_array=[0 1] pw_array=[1u 3u] clk_trig=0.5 rise_time=10n "
                "fall_time=20n)\n",
     .element = 'a'},
    oneshot_params);

}  // namespace ns::xspice
