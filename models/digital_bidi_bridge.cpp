// XSPICE's bidirectional node bridge (bidi_bridge): each pair of an analog node a[j] and a
// digital node d[j] is bridged one way or the other.
//
//   analog -> digital  d[j] reads a[j] as an adc_bridge does (0 at or below in_low, 1 at or
//                      above in_high, U between, posted rise_delay / fall_delay later); the
//                      analog node is not loaded.
//   digital -> analog  a[j] is driven from what the other outputs on d[j] give it: a source
//                      out_low + f (out_high - out_low) behind r_low + f (r_high - r_low),
//                      f ramping toward 1 for a 1 (over t_rise), 0 for a 0 (over t_fall), 1/2
//                      for a U; its current limited to drive_high going out and drive_low
//                      coming in, each limit falling to 0 as f passes 0.3 (source) or 0.7
//                      (sink). The bridge's own output on d[j] is then hi-impedance. The
//                      drive is off (no current) in the operating point and while no other
//                      output drives d[j]; it starts from f = 1/2 at the transient's start,
//                      and from the level it last read when a driver comes.
//
// The direction: the dir input (a vector, dir[j] for the pair j; the last for those past
// its end) when it is 0 (digital -> analog) or 1 (analog -> digital),
// else the parameter direction (0, 1); for any other value (2, the default) the bridge
// drives the analog node while another output drives d[j] (a strength above
// hi-impedance), and reads it otherwise.
//
// Measured against ngspice 39 (its parameter list from `devhelp bidi_bridge`): the default
// levels, 20 ohm and 20 mA, the linear ramps, the 0.3 / 0.7 points of the limits, the
// operating point and the start. Not modelled: how ngspice's limits grow in the first edge
// after the start (its first t_rise / 2 or t_fall / 2: a few ns at the defaults); strength,
// smooth, r_stl and r_sth are read and not used (at their defaults the rest holds).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "digital/model.hpp"
#include "xspice.hpp"

namespace ns::digital {
namespace {

using Dir = PortSpec::Dir;

struct BidiP {
  double direction, input_load, strength, smooth, in_low, in_high, out_low, out_high, drive_low, drive_high, r_stl,
      r_sth, r_low, r_high, t_rise, t_fall, rise_delay, fall_delay;
};
constexpr Param<BidiP> bidi_params[] = {
    {"direction", &BidiP::direction, 2, -inf, inf, "", "0 digital to analog, 1 analog to digital, else both ways"},
    {"input_load", &BidiP::input_load, 1e-12, 0, inf, "F", "input load (XSPICE's; no effect on timing)"},
    {"strength", &BidiP::strength, 0, -inf, inf, "", "digital output strength (read, not used)"},
    {"smooth", &BidiP::smooth, 0, -inf, inf, "", "smoothing of the current limits (read, not used)"},
    {"in_low", &BidiP::in_low, 0.1, -inf, inf, "V", "analog inputs at or below it are 0"},
    {"in_high", &BidiP::in_high, 0.9, -inf, inf, "V", "analog inputs at or above it are 1"},
    {"out_low", &BidiP::out_low, 0, -inf, inf, "V", "the source's voltage for a 0"},
    {"out_high", &BidiP::out_high, 3.3, -inf, inf, "V", "the source's voltage for a 1"},
    {"drive_low", &BidiP::drive_low, 0.02, above(0), inf, "A", "most current sunk"},
    {"drive_high", &BidiP::drive_high, 0.02, above(0), inf, "A", "most current sourced"},
    {"r_stl", &BidiP::r_stl, 1e6, 0, inf, "ohm", "low taper resistance (read, not used)"},
    {"r_sth", &BidiP::r_sth, 1e6, 0, inf, "ohm", "high taper resistance (read, not used)"},
    {"r_low", &BidiP::r_low, 20, above(0), inf, "ohm", "the source's resistance for a 0"},
    {"r_high", &BidiP::r_high, 20, above(0), inf, "ohm", "the source's resistance for a 1"},
    {"t_rise", &BidiP::t_rise, 1e-9, above(0), inf, "s", "time of a full ramp from 0 to 1"},
    {"t_fall", &BidiP::t_fall, 1e-9, above(0), inf, "s", "time of a full ramp from 1 to 0"},
    {"rise_delay", &BidiP::rise_delay, 1e-9, above(0), inf, "s", "delay of a digital output change to 1"},
    {"fall_delay", &BidiP::fall_delay, 1e-9, above(0), inf, "s", "delay of a digital output change to 0"},
};

class BidiBridge final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() {
    return {{"a", Dir::InOut, true, true}, {"d", Dir::InOut, true}, {"dir", Dir::In, true, false, true}};
  }
  explicit BidiBridge(const DeviceInput& in) : DigitalModel(in, spec()), p_(xspice::code_params(bidi_params, in, {})) {
    if (ports(0) != ports(1))
      throw InputError(in.element.where, fmt::format("'{}' has {} analog and {} digital nodes; bidi_bridge needs as many",
                                                     name(), ports(0), ports(1)));
    if (p_.in_high < p_.in_low)
      throw InputError(in.model->where, fmt::format("'{}': in_high ({:g}) is below in_low ({:g})", in.model->name,
                                                    p_.in_high, p_.in_low));
    sides_.resize(ports(0));
  }

  void analog_inputs(const Eval& x, std::vector<double>& out) const override {
    for (std::size_t j = 0; j < ports(0); ++j) out.push_back(voltage(x, j));
  }
  void sample(Network&, const Eval& x) override {
    for (std::size_t j = 0; j < ports(0); ++j) {
      sides_[j].v = voltage(x, j);
      if (!drives_analog(j)) read(j);
    }
  }
  void evaluate(Network& net, double time, bool) override {
    for (std::size_t j = 0; j < ports(0); ++j) {
      if (drives_analog(j)) out(1, j, Level::Unknown, 0, Strength::HiZ);
      else read(j);
      if (!net.settling()) steer(j, time);
    }
  }
  // ngspice's operating point has every bridge's drive off; the transient turns on those
  // that drive, each from half-way toward its level.
  void begin(Network& net) override {
    for (std::size_t j = 0; j < ports(0); ++j) steer(j, net.now());
  }
  bool analog_corner(double from, double to) const override {
    if (changed_ > from && changed_ <= to) return true;
    for (const Side& s : sides_) {
      const double end = s.ramp.end(slope(s.ramp));
      if (s.on && end > from && end <= to) return true;
    }
    return false;
  }
  double corner(double time) const override {
    double t = inf;
    for (const Side& s : sides_)
      if (const double end = s.ramp.end(slope(s.ramp)); s.on && end > time) t = std::min(t, end);
    return t;
  }

protected:
  void reset_state() override {
    for (Side& s : sides_) s.ramp = {}, s.on = false, s.read = 0.5;
    changed_ = -inf;
  }
  void setup_analog(Setup& s) override {
    for (std::size_t j = 0; j < ports(0); ++j) {
      const Port& p = port(0, j);
      Side& d = sides_[j];
      d.p = p.p, d.n = p.n;
      d.pp = s.entry(p.p, p.p), d.pn = s.entry(p.p, p.n), d.np = s.entry(p.n, p.p), d.nn = s.entry(p.n, p.n);
    }
  }
  void load_analog(const Eval& e, Load& l) const override {
    for (const Side& s : sides_) {
      if (!s.on) continue;
      const double f = e.mode == Mode::Tran ? s.ramp.at(e.time, slope(s.ramp)) : s.ramp.target;
      const double v = e.v(s.p) - e.v(s.n);
      const double source = p_.out_low + f * (p_.out_high - p_.out_low);
      const double r = p_.r_low + f * (p_.r_high - p_.r_low);
      const double most = p_.drive_high * std::clamp((f - 0.3) / 0.7, 0.0, 1.0);
      const double least = -p_.drive_low * std::clamp((0.7 - f) / 0.7, 0.0, 1.0);
      double i = (source - v) / r, g = 1 / r;  // out of the bridge into p; g = -di/dv
      if (i > most) i = most, g = 0;
      else if (i < least) i = least, g = 0;
      l.f(s.p, -i), l.f(s.n, i);
      l.G(s.pp, g), l.G(s.pn, -g), l.G(s.np, -g), l.G(s.nn, g);
    }
  }

private:
  struct Ramp {
    double start = 0, from = 0, target = 0;
    double at(double t, double slope) const {
      if (t <= start) return from;
      const double moved = slope * (t - start);
      return target > from ? std::min(target, from + moved) : std::max(target, from - moved);
    }
    double end(double slope) const { return from == target ? -inf : start + std::abs(target - from) / slope; }
  };
  struct Side {
    double v = 0;       // the analog voltage last sampled
    double read = 0.5;  // the level last read from it, as f (0, 1/2 for U, 1)
    Ramp ramp;
    bool on = false;
    Unknown p = ground, n = ground;
    Entry pp, pn, np, nn;
  };
  double voltage(const Eval& x, std::size_t j) const { return x.v(port(0, j).p) - x.v(port(0, j).n); }
  double slope(const Ramp& r) const { return 1 / (r.target > r.from ? p_.t_rise : p_.t_fall); }
  bool drives_analog(std::size_t j) const {
    const std::size_t k = std::min(j, ports(2) - 1);  // a dir per pair; fewer: the last for the rest
    const Level dir = ports(2) && connected(2, k) ? in(2, k) : Level::Unknown;
    if (dir != Level::Unknown) return dir == Level::Zero;
    if (p_.direction == 0 || p_.direction == 1) return p_.direction == 0;
    return others(1, j).strength != Strength::HiZ;
  }
  // Side j's drive from what the other outputs on d[j] give it, from `time` on: off, or a
  // ramp toward their level that starts where the last one is (when off: at the level it
  // last read, half-way before any).
  void steer(std::size_t j, double time) {
    Side& s = sides_[j];
    const Value from = others(1, j);
    const bool on = drives_analog(j) && from.strength != Strength::HiZ;
    const double target = from.level == Level::Zero ? 0.0 : from.level == Level::One ? 1.0 : 0.5;
    if (on == s.on && (!on || target == s.ramp.target)) return;
    s.ramp = {time, s.on ? s.ramp.at(time, slope(s.ramp)) : s.read, target};
    s.on = on;
    changed_ = time;
  }
  void read(std::size_t j) {
    const double v = sides_[j].v;
    const Level l = v <= p_.in_low ? Level::Zero : v >= p_.in_high ? Level::One : Level::Unknown;
    if (!net().settling()) sides_[j].read = l == Level::Zero ? 0.0 : l == Level::One ? 1.0 : 0.5;
    out(1, j, l, edge_delay(posted(1, j), l, p_.rise_delay, p_.fall_delay));
  }
  BidiP p_;
  std::vector<Side> sides_;
  double changed_ = -inf;  // when a drive last started, turned or stopped
};

}  // namespace

const bool bidi_bridge_registered = register_model<BidiBridge>(
    {.type = "bidi_bridge",
     .summary = "XSPICE bidirectional bridge: reads the analog node, or drives it from the digital one",
     .terminals = {"a", "d", "dir"},
     .example = "A1 [y] [d] NULL bb\n.model bb bidi_bridge(direction=0 out_high=3)\nA2 [x] [d] adc\n"
                ".model adc adc_bridge(in_low=1 in_high=1)\nV1 x 0 2\nR1 y 0 1k\n",
     .element = 'a',
     .event_nodes = event_nodes_of<BidiBridge>},
    bidi_params);

}  // namespace ns::digital
