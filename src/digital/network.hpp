#pragma once
// The event-driven side of the XSPICE digital code models: digital nodes, the outputs that
// drive them, and the queue of output events, shared by every digital device of one
// circuit (Setup::part). The analog transient drives it at its accepted points:
//
//   operating point  settle(): every part from its initial state (a flip-flop's ic),
//                    its analog inputs sampled at x, outputs applied at once (delays are
//                    not waited for in DC), to a fixed point: the digital state .op sees and
//                    a transient starts from. A loop of gates with no stable state (a ring
//                    of inverters) has none: a SimulationError, as ngspice stops there.
//   accepted point   advance(t): hybrid parts sample their analog inputs at t and post
//                    what changed, then every event due at t is applied; the parts that
//                    read a node whose value changed evaluate and post their outputs at
//                    t + their delay (or at t, taken in the next pass at the same time).
//   between them     nothing changes: the transient stops at next_event(), the earliest
//                    pending event or analog output corner (a dac_bridge's ramp end).
//
// A node starts at 0 (strong) before any output reaches it. A node's value is one of XSPICE's 12: a level 0, 1 or U and a strength strong,
// resistive, hi-impedance or undetermined; several outputs on one node resolve
// pairwise (resolve()). A posted event replaces the later ones pending on its output,
// as XSPICE's output queue does.
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "circuit/device.hpp"

namespace ns::digital {

enum class Level : std::uint8_t { Zero, One, Unknown };
enum class Strength : std::uint8_t { Strong, Resistive, HiZ, Undetermined };

struct Value {
  Level level = Level::Unknown;
  Strength strength = Strength::HiZ;
  bool operator==(const Value&) const = default;
};

// Two outputs' values on one node: the stronger wins; equal strengths, or an undetermined
// one beside a strong or weaker one, give the strength that wins and the common level (U
// when they differ). Strong beats undetermined, which beats resistive and hi-impedance.
Value resolve(Value a, Value b);
Level invert(Level l);
std::string str(Value v);  // "0s", "1r", "Uz", ...

class Network;

// A digital device's event side.
class Part {
public:
  virtual ~Part() = default;
  // Back to the initial state (a flip-flop's ic), before a settle.
  virtual void reset() {}
  // Read the inputs and post outputs that changed; `init`: the first call of a settle,
  // which posts every output.
  virtual void evaluate(Network& net, double time, bool init) = 0;
  // A hybrid part reads its analog inputs at `x` and posts what changed (adc_bridge).
  virtual void sample(Network& /*net*/, const Eval& /*x*/) {}
  // Those analog inputs' values at x, appended (what a settle is cached on).
  virtual void analog_inputs(const Eval& /*x*/, std::vector<double>& /*out*/) const {}
  // The transient starts from the operating point's state (after the settle): a part
  // that knows its future (d_source's table) posts it here.
  virtual void begin(Network& /*net*/) {}
  // Its own next analog corner after `time` (a dac_bridge's ramp end); infinity if none.
  virtual double corner(double /*time*/) const { return std::numeric_limits<double>::infinity(); }
  // Whether an analog output of the part has a corner in (from, to]: its drive changed
  // its course there (a dac_bridge's ramp started, turned or ended). A part without
  // analog outputs has none (DigitalModel answers true for one with analog outputs that
  // does not say).
  virtual bool analog_corner(double /*from*/, double /*to*/) const { return false; }
};

class Network {
public:
  // The digital node on circuit node `u` (its name for messages), made on first use.
  int node(Unknown u, const std::string& name);
  // An output on node `n`; its handle for post().
  int driver(int n);
  void reads(int n, Part* part);
  void add(Part* part);  // every part, once
  // Whether `device` is the first to claim node n's row (x = 0, 1 or 0.5 V for U).
  bool claim(int n, const Device* device);

  Value value(int n) const { return nodes_[static_cast<std::size_t>(n)].value; }
  // Node n's value from its outputs other than `except` (U hi-impedance when there are none).
  Value others(int n, int except) const;
  Unknown unknown(int n) const { return nodes_[static_cast<std::size_t>(n)].unknown; }
  // Output d takes `v` `delay` after the time being evaluated (at once in a settle).
  void post(int d, Value v, double delay);
  bool settling() const { return settling_; }

  // The operating point's digital state from the analog unknowns at x; cached: again for
  // the same sampled inputs it does nothing.
  void settle(const Eval& x);
  // A transient starts: the next advance() settles first.
  void start() { started_ = false; }
  // An accepted point: events due up to t + resolution are applied.
  void advance(const Eval& x, double resolution);
  double next_event() const { return next_; }
  double now() const { return now_; }
  // Whether the last advance() put a corner into an analog output (Part::analog_corner),
  // between the accepted point before it and its time; true for the first, the start.
  bool analog_corner() const;

private:
  struct Node {
    std::string name;
    Unknown unknown;
    Value value;
    std::vector<int> drivers;
    std::vector<Part*> readers;
    const Device* owner = nullptr;
  };
  struct Driver {
    int node;
    Value value;
  };
  struct Event {
    double time;
    long seq;
    int driver;
    Value value;
    bool operator<(const Event& o) const { return time != o.time ? time < o.time : seq < o.seq; }
  };
  void run(double until);  // apply events due and evaluate readers, pass after pass
  double earliest() const;  // the next event or part's corner after now
  std::vector<Node> nodes_;
  std::vector<Driver> drivers_;
  std::vector<Part*> parts_;
  std::vector<Part*> hybrids_;  // the parts with analog inputs (found in the first settle)
  bool hybrids_known_ = false;
  double next_ = std::numeric_limits<double>::infinity();
  std::set<Event> queue_;
  long seq_ = 0;
  double now_ = 0;
  double from_ = 0, reach_ = 0;  // the last advance(): (the point before, its time + resolution]
  mutable int corner_ = 1;       // analog_corner(): -1 not yet asked
  bool settling_ = false, started_ = false;
  std::vector<double> sampled_;  // the analog inputs of the last settle
  bool settled_ = false;
};

}  // namespace ns::digital
