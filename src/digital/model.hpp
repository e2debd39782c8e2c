#pragma once
// The base of the digital and hybrid XSPICE code models (models/digital_*.cpp): an A
// element's connections matched to the model's ports, its digital nodes registered on the
// circuit's Network (network.hpp), and the transient's hooks forwarded to it.
//
// A digital node is also a circuit node, so that it can be printed: the first device on
// it holds its row at 0 V, 1 V or 0.5 V (U), the level it has (ngspice prints nothing for
// a digital node; its event values only through eprint). Analog ports (a bridge's) are
// the model's own to stamp: setup_analog, load_analog, topology_analog.
#include <optional>
#include <string_view>
#include <vector>

#include "circuit/registry.hpp"
#include "digital/network.hpp"

namespace ns::digital {

struct PortSpec {
  std::string_view name;
  enum class Dir { In, Out, InOut } dir = Dir::In;  // InOut: read and driven (bidi_bridge)
  bool vector = false;
  bool analog = false;  // a bridge's %v / %vd (or %g / %gd) port
  bool null_allowed = false;
};

// Per node of an A card: 'i' read by an event input of `spec`, 'o' driven by an event
// output, 'b' both (an inout port), ' ' otherwise (DeviceType::event_nodes). A card that does not fit the spec
// gets what fits; the model's constructor reports the rest.
std::string event_nodes(const std::vector<PortSpec>& spec, const Element& e);
// For the registration of model D, whose static spec() gives its ports.
template <class D>
std::string event_nodes_of(const Element& e) {
  return event_nodes(D::spec(), e);
}

class DigitalModel : public Device, public Part {
public:
  DigitalModel(const DeviceInput& in, std::vector<PortSpec> spec);
  void setup(Setup& s) override;
  void topology(Topology& t) const override;
  void load(const Eval& e, Load& l) const override;
  void start_transient(double tstep, double tstop) override;
  void accept(const Eval& e) override;
  bool event_driven() const override { return true; }
  double next_event() const override { return net_->next_event(); }
  bool event_corner() const override { return net_->analog_corner(); }
  void reset() final;
  // A model with analog outputs that does not say where their corners are has one at
  // every event (the safe answer: the transient restarts).
  bool analog_corner(double, double) const override { return drives_analog_; }

protected:
  struct Port {
    std::vector<std::size_t> nodes;  // into the card's nodes
    std::string label;               // its (first) node's name
    std::string type;                // d, or for an analog port v / vd
    bool inverted = false, null = false;
    Location where;
    int node = -1, driver = -1;     // digital
    Unknown p = ground, n = ground;  // analog
  };
  std::size_t ports(std::size_t k) const { return conn_[k].size(); }
  bool connected(std::size_t k, std::size_t j = 0) const { return !conn_[k][j].null; }
  // Input port j of connection k: its node's level, inverted by ~; U when NULL.
  Level in(std::size_t k, std::size_t j = 0) const;
  Value in_value(std::size_t k, std::size_t j = 0) const;
  // An inout port's node as the other outputs on it drive it (U hi-impedance when none).
  Value others(std::size_t k, std::size_t j = 0) const;
  // Output port j of connection k takes `l` (inverted by ~) `delay` after now, when it
  // differs from what the port last posted (or in the first evaluation of a settle).
  // True when posted. A NULL port posts nothing.
  bool out(std::size_t k, std::size_t j, Level l, double delay, Strength s = Strength::Strong);
  // The level port j of connection k last posted, before inversion (U before any).
  Level posted(std::size_t k, std::size_t j = 0) const;
  // Rise delay for a change to 1, fall delay to 0; to U from 0 the rise delay, else the fall.
  static double edge_delay(Level from, Level to, double rise, double fall);

  const Port& port(std::size_t k, std::size_t j = 0) const { return conn_[k][j]; }
  Network& net() const { return *net_; }
  virtual void reset_state() {}
  virtual void setup_analog(Setup&) {}
  virtual void load_analog(const Eval&, Load&) const {}
  virtual void topology_analog(Topology&) const {}

private:
  std::vector<PortSpec> spec_;
  std::vector<std::vector<Port>> conn_;
  std::vector<std::vector<std::optional<Value>>> last_;  // per output port, before inversion
  Network* net_ = nullptr;
  std::vector<Unknown> owned_;
  std::vector<int> owned_nodes_;
  std::vector<Entry> diag_;
  double resolution_ = 0;
  bool drives_analog_ = false;  // an analog output port
};

}  // namespace ns::digital
