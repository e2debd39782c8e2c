#include "digital/network.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "netlist/location.hpp"

namespace ns::digital {

namespace {
// Passes at one time before the nodes are taken not to settle (a ring of gates without delay).
constexpr int max_passes = 10000;

Level merge(Level a, Level b) { return a == b ? a : Level::Unknown; }

// A node's value before any output reaches it: 0, strong, as ngspice's (measured, ngspice
// 39: a buffer of an undriven node gives 0s, an XOR fed back its own output starts at 0s).
constexpr Value initial{Level::Zero, Strength::Strong};
}  // namespace

Value resolve(Value a, Value b) {
  using S = Strength;
  if (a.strength == b.strength) return {merge(a.level, b.level), a.strength};
  if (a.strength == S::Undetermined || b.strength == S::Undetermined) {
    const S s = a.strength == S::Strong || b.strength == S::Strong ? S::Strong : S::Undetermined;
    return {merge(a.level, b.level), s};
  }
  return a.strength < b.strength ? a : b;  // strong < resistive < hi-impedance
}

Level invert(Level l) { return l == Level::Zero ? Level::One : l == Level::One ? Level::Zero : Level::Unknown; }

std::string str(Value v) {
  return {"01U"[static_cast<int>(v.level)], "srzu"[static_cast<int>(v.strength)]};
}

int Network::node(Unknown u, const std::string& name) {
  for (std::size_t k = 0; k < nodes_.size(); ++k)
    if (nodes_[k].unknown == u) return static_cast<int>(k);
  nodes_.push_back({name, u, initial, {}, {}, nullptr});
  return static_cast<int>(nodes_.size() - 1);
}

int Network::driver(int n) {
  drivers_.push_back({n, Value{}});
  nodes_[static_cast<std::size_t>(n)].drivers.push_back(static_cast<int>(drivers_.size() - 1));
  return static_cast<int>(drivers_.size() - 1);
}

void Network::reads(int n, Part* part) {
  auto& r = nodes_[static_cast<std::size_t>(n)].readers;
  if (std::find(r.begin(), r.end(), part) == r.end()) r.push_back(part);
}

void Network::add(Part* part) { parts_.push_back(part); }

bool Network::claim(int n, const Device* device) {
  Node& node = nodes_[static_cast<std::size_t>(n)];
  if (node.owner && node.owner != device) return false;
  node.owner = device;
  return true;
}

void Network::post(int d, Value v, double delay) {
  const double time = settling_ ? now_ : now_ + delay;
  // A new event replaces those pending on the same output at or after its time.
  for (auto it = queue_.begin(); it != queue_.end();)
    it = it->driver == d && it->time >= time ? queue_.erase(it) : std::next(it);
  queue_.insert({time, seq_++, d, v});
}

Value Network::others(int n, int except) const {
  std::optional<Value> v;
  for (int d : nodes_[static_cast<std::size_t>(n)].drivers)
    if (d != except) {
      const Value w = drivers_[static_cast<std::size_t>(d)].value;
      v = v ? resolve(*v, w) : w;
    }
  return v.value_or(Value{});
}

void Network::run(double until) {
  for (int pass = 0;; ++pass) {
    if (queue_.empty() || queue_.begin()->time > until) return;
    if (pass == max_passes) {
      std::string names;
      for (auto it = queue_.begin(); it != queue_.end() && it->time <= until && names.size() < 80; ++it)
        names += (names.empty() ? "" : " ") + nodes_[static_cast<std::size_t>(drivers_[static_cast<std::size_t>(it->driver)].node)].name;
      throw SimulationError(fmt::format("digital nodes do not settle at time = {:g} after {} passes ({}){}", now_,
                                        max_passes, names,
                                        settling_ ? ": a loop of gates with no stable state at the operating point"
                                                  : ""));
    }
    std::vector<int> touched;
    while (!queue_.empty() && queue_.begin()->time <= until) {
      const Event e = *queue_.begin();
      queue_.erase(queue_.begin());
      Driver& d = drivers_[static_cast<std::size_t>(e.driver)];
      d.value = e.value;
      if (std::find(touched.begin(), touched.end(), d.node) == touched.end()) touched.push_back(d.node);
    }
    std::vector<Part*> due;
    for (int n : touched) {
      Node& node = nodes_[static_cast<std::size_t>(n)];
      const Value v = others(n, -1);
      if (v == node.value) continue;
      node.value = v;
      for (Part* p : node.readers)
        if (std::find(due.begin(), due.end(), p) == due.end()) due.push_back(p);
    }
    for (Part* p : due) p->evaluate(*this, now_, false);
  }
}

void Network::settle(const Eval& x) {
  // Every device's load asks: the check is over the parts with analog inputs alone.
  if (!hybrids_known_) {
    std::vector<double> some;
    for (Part* p : parts_) {
      p->analog_inputs(x, some);
      if (!some.empty()) hybrids_.push_back(p), some.clear();
    }
    hybrids_known_ = true;
  }
  std::vector<double> sampled;
  for (Part* p : hybrids_) p->analog_inputs(x, sampled);
  if (settled_ && sampled == sampled_) return;
  sampled_ = std::move(sampled);
  settled_ = true;
  queue_.clear();
  for (Node& n : nodes_) n.value = initial;
  for (Driver& d : drivers_) d.value = Value{};
  settling_ = true;
  now_ = x.time;
  struct Done {
    bool& flag;
    ~Done() { flag = false; }
  } done{settling_};
  for (Part* p : parts_) p->reset();
  for (Part* p : parts_) p->sample(*this, x);
  for (Part* p : parts_) p->evaluate(*this, now_, true);
  run(now_);
  next_ = earliest();
}

void Network::advance(const Eval& x, double resolution) {
  if (!started_) {
    settled_ = false;
    settle(x);
    started_ = true;
    for (Part* p : parts_) p->begin(*this);
    next_ = earliest();
    corner_ = 1;
    return;
  }
  if (x.time <= now_) return;
  from_ = now_;
  now_ = x.time;
  reach_ = now_ + resolution;
  corner_ = -1;
  for (Part* p : hybrids_) p->sample(*this, x);
  run(now_ + resolution);
  next_ = earliest();
}

bool Network::analog_corner() const {
  if (corner_ < 0)
    corner_ = std::any_of(parts_.begin(), parts_.end(), [&](const Part* p) { return p->analog_corner(from_, reach_); });
  return corner_ > 0;
}

double Network::earliest() const {
  double t = queue_.empty() ? std::numeric_limits<double>::infinity() : queue_.begin()->time;
  for (const Part* p : parts_) t = std::min(t, p->corner(now_));
  return t;
}

}  // namespace ns::digital
