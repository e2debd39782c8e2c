// Switches: S (voltage-controlled, .model SW) and W (current-controlled, .model CSW), with
// ngspice's parameters and hysteresis: the switch turns on where its control x (the
// voltage v(nc+) - v(nc-), or the current through the controlling V source) rises above
// xt + xh, off where it falls below xt - xh, and between the two keeps the state it had.
//
// A device keeps no history (load() is const), so the switch's state is an unknown of its
// own, y (-1 off, +1 on). In .op and .dc its equation is y = H(x, y), H = +1 if
// x > xt + xh, -1 if x < xt - xh, else sign(y): outside the hysteresis band y is forced to
// one state; inside it both y = -1 and y = +1 solve it, and Newton keeps the one it starts
// from (the previous sweep point; at an operating point off, or on when an S card says ON,
// as ngspice starts a switch; .tran uic starts it off), so a .dc swept up then down traces
// the hysteresis loop at ngspice's thresholds, with exactly ron and roff. H is piecewise
// constant, so Newton moves y to its new state in one step.
//
// In a transient y is a discrete state (Device::discrete): its equation is y' = 0, and the
// transient changes it where x crosses the threshold ahead (margin() reaches 0), found on
// the step's interpolant, restarting there (analysis/crossings.hpp). The conductance is
// g = goff (gon/goff)^((1+s)/2) with s = y, so the switch passes from roff to ron at the
// crossing, as ngspice's does at its time point. tau > 0 (a parameter of our own, not in
// ngspice) makes s follow y smoothly instead, tau ds/dt = y - s, for a switch with a
// transition time. Before, s always followed y with tau = 1 ns by default, through a latch
// a hundred times faster: each transition came ~2.2 ns late, and a tau of picoseconds was
// too stiff for tight tolerances; now nothing stiffer than the circuit is integrated, and
// a switch whose own current pulls its control back across the threshold (a VO2 or Mott
// neuristor: S1 a b a b) fires and then waits for the other threshold, as an ideal switch.
// A negative xh (ngspice's other hysteresis form) is refused.
#include <cmath>

#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct SwitchParams {
  double xt, xh, ron, roff, tau, on, off;
};

using P = SwitchParams;
constexpr Param<P> sw_params[] = {
    {"vt", &P::xt, 0, -inf, inf, "V", "threshold voltage"},
    {"vh", &P::xh, 0, 0, inf, "V", "hysteresis voltage: on above vt + vh, off below vt - vh"},
    {"ron", &P::ron, 1, above(0), inf, "Ohm", "on resistance"},
    {"roff", &P::roff, 1e12, above(0), inf, "Ohm", "off resistance"},
    {"tau", &P::tau, 0, 0, inf, "s", "transition time constant of the conductance after a crossing (not in ngspice; 0: at once)"},
    {"on", &P::on, 0, 0, 1, "", "a bare ON on the card: the operating point starts on (inside the band it stays on)", Scope::Instance},
    {"off", &P::off, 0, 0, 1, "", "a bare OFF on the card: the operating point starts off, as by default", Scope::Instance},
};
constexpr Param<P> csw_params[] = {
    {"it", &P::xt, 0, -inf, inf, "A", "threshold current"},
    {"ih", &P::xh, 0, 0, inf, "A", "hysteresis current: on above it + ih, off below it - ih"},
    {"ron", &P::ron, 1, above(0), inf, "Ohm", "on resistance"},
    {"roff", &P::roff, 1e12, above(0), inf, "Ohm", "off resistance"},
    {"tau", &P::tau, 0, 0, inf, "s", "transition time constant of the conductance after a crossing (not in ngspice; 0: at once)"},
    {"on", &P::on, 0, 0, 1, "", "a bare ON on the card: accepted, and the operating point starts off as ngspice-39's W does (measured)", Scope::Instance},
    {"off", &P::off, 0, 0, 1, "", "a bare OFF on the card: the operating point starts off, as by default", Scope::Instance},
};

template <bool CurrentControlled>
class Switch final : public Device {
public:
  explicit Switch(const DeviceInput& in)
      : Device(in.element.name, in.element.where),
        p_(resolve<P>(CurrentControlled ? std::span<const Param<P>>(csw_params)
                                        : std::span<const Param<P>>(sw_params), in)),
        log_ratio_(std::log(p_.roff / p_.ron)),
        control_(in.element.control), control_where_(in.element.control_where) {}

  void setup(Setup& s) override {
    a_ = s.terminal(0);
    b_ = s.terminal(1);
    if constexpr (CurrentControlled) {
      cp_ = s.branch_of(control_, control_where_);
    } else {
      cp_ = s.terminal(2);
      cn_ = s.terminal(3);
    }
    // ngspice-39 starts an S card's switch on when it says ON, a W card's off either way.
    const double start = !CurrentControlled && p_.on > 0 && !(p_.off > 0) ? 1 : -1;
    y_ = s.state("y", 1e-6, start);
    s_ = s.state("s", 1e-6, start);
    grid_.declare(s, {a_, b_, y_, s_});
  }

  void topology(Topology& t) const override { t.conducts(a_, b_); }

  // ON is for the operating point only: ngspice's .tran uic starts every switch off.
  void initial_condition(std::span<double> x) const override {
    x[static_cast<std::size_t>(y_)] = -1;
    x[static_cast<std::size_t>(s_)] = -1;
  }

  void load(const Eval& e, Load& l) const override {
    const double v = e.v(a_) - e.v(b_), y = e.v(y_), sv = e.v(s_);
    const double g = conductance(sv), i = g * v, di_ds = i * log_ratio_ / 2;
    l.f(a_, i);
    l.f(b_, -i);
    grid_.pair(l, 0, 1, g);
    grid_.add(l, 0, 3, di_ds);
    grid_.add(l, 1, 3, -di_ds);

    if (e.mode != Mode::Tran) {
      const double x = control(e);
      const double h = x > p_.xt + p_.xh ? 1 : x < p_.xt - p_.xh ? -1 : y >= 0 ? 1 : -1;
      l.f(y_, y - h);  // dH/dx and dH/dy are 0 wherever they exist
      grid_.add(l, 2, 2, 1);
    }
    l.q(y_, y);  // the transient's y' = 0; the crossings change y
    grid_.add(l, 2, 2, 1, true);
    l.f(s_, sv - y);
    grid_.add(l, 3, 3, 1);
    grid_.add(l, 3, 2, -1);
    if (p_.tau > 0) {
      l.q(s_, p_.tau * sv);
      grid_.add(l, 3, 3, p_.tau, true);
    }
  }

  bool discrete() const override { return true; }
  // Off, how far x is below xt + xh; on, how far above xt - xh.
  double margin(const Eval& e) const override {
    const double x = control(e);
    return e.v(y_) > 0 ? x - (p_.xt - p_.xh) : p_.xt + p_.xh - x;
  }
  void change_state(std::span<double> x) const override {
    double& y = x[static_cast<std::size_t>(y_)];
    y = y > 0 ? -1 : 1;
    if (p_.tau == 0) x[static_cast<std::size_t>(s_)] = y;
  }

  double quantity(std::size_t k, const Eval& e) const override {
    const double g = conductance(e.v(s_));
    return k == 0 ? g * (e.v(a_) - e.v(b_)) : 1 / g;
  }

private:
  double control(const Eval& e) const { return CurrentControlled ? e.v(cp_) : e.v(cp_) - e.v(cn_); }
  // goff (gon/goff)^s with s = (1 + y)/2: 1/roff at y = -1, 1/ron at y = +1.
  double conductance(double y) const { return std::exp(log_ratio_ * (1 + y) / 2) / p_.roff; }

  P p_;
  double log_ratio_;
  std::string control_;
  Location control_where_;
  Unknown a_ = ground, b_ = ground, y_ = ground, s_ = ground, cp_ = ground, cn_ = ground;
  EntryGrid<4> grid_;  // a, b, y, s
};

const std::vector<StateInfo> switch_states = {
    {"y", "", "switch latch: -1 off, +1 on"},
    {"s", "", "switch conductance state: y, or with tau > 0 following it within tau; g = goff (gon/goff)^((1+s)/2)"}};
const std::vector<QuantityInfo> switch_probes = {{"i", "A", "current a to b"},
                                                 {"r", "Ohm", "resistance"}};

}  // namespace

const bool registered_sw = register_model<Switch<false>>(
    {.type = "sw",
     .summary = "voltage-controlled switch with hysteresis (S, ngspice's SW model)",
     .terminals = {"a", "b", "nc+", "nc-"},
     .states = switch_states,
     .probes = switch_probes,
     .example = "S1 a b c d swm\n.model swm sw vt=0.5 vh=0.2 ron=10 roff=1meg\n",
     .element = 's'},
    sw_params);

const bool registered_csw = register_model<Switch<true>>(
    {.type = "csw",
     .summary = "current-controlled switch with hysteresis (W, ngspice's CSW model)",
     .terminals = {"a", "b"},
     .states = switch_states,
     .probes = switch_probes,
     .example = "W1 a b vc cswm\nVC c 0 dc 0\n.model cswm csw it=1m ih=0.2m ron=10 roff=1meg\n",
     .element = 'w'},
    csw_params);

}  // namespace ns
