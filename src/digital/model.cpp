#include "digital/model.hpp"

#include <fmt/format.h>

#include "netlist/connection_shapes.hpp"

namespace ns::digital {

namespace {
double volts(Level l) { return l == Level::Zero ? 0.0 : l == Level::One ? 1.0 : 0.5; }
}  // namespace

std::string event_nodes(const std::vector<PortSpec>& spec, const Element& e) {
  std::string s(e.nodes.size(), ' ');
  for (std::size_t k = 0; k < spec.size() && k < e.connections.size(); ++k) {
    if (spec[k].analog) continue;
    for (const XspicePort& p : e.connections[k].ports)
      if (!p.null && (p.type.empty() || p.type == "d"))
        for (std::size_t n : p.nodes)
          if (n < s.size()) s[n] = "iob"[static_cast<int>(spec[k].dir)];
  }
  return s;
}

DigitalModel::DigitalModel(const DeviceInput& in, std::vector<PortSpec> spec)
    : Device(in.element.name, in.element.where), spec_(std::move(spec)) {
  const Element& e = in.element;
  const std::string model = in.model ? in.model->type : "?";
  std::vector<ConnectionShape> shapes;
  for (const auto& c : spec_) shapes.push_back({c.name, c.vector});
  check_connection_shapes(e, model, shapes, e.connections);
  for (std::size_t k = 0; k < spec_.size(); ++k) {
    const PortSpec& c = spec_[k];
    const XspiceConnection& conn = e.connections[k];
    std::vector<Port> ports;
    for (const XspicePort& xp : conn.ports) {
      Port p;
      p.nodes = xp.nodes;
      if (!xp.nodes.empty()) p.label = e.nodes[xp.nodes[0]];
      p.inverted = xp.inverted;
      p.null = xp.null;
      p.where = xp.where;
      p.type = xp.type.empty() ? (c.analog ? "v" : "d") : xp.type;
      if (xp.null && !c.null_allowed)
        throw InputError(xp.where, fmt::format("connection '{}' of '{}' cannot be NULL", c.name, e.name));
      if (c.analog ? p.type != "v" && p.type != "vd" && p.type != "g" && p.type != "gd" : p.type != "d")
        throw InputError(xp.where, fmt::format("connection '{}' of code model '{}' cannot be '%{}' (allowed: {})",
                                               c.name, model, p.type, c.analog ? "v vd g gd" : "d"));
      if (p.inverted && c.analog)
        throw InputError(xp.where, fmt::format("'~' on the analog connection '{}' of '{}'", c.name, e.name));
      const bool pair = p.type == "vd" || p.type == "gd";
      if (!p.null && p.nodes.size() != (pair ? 2u : 1u))
        throw InputError(xp.where, fmt::format("connection '{}' of '{}' as '%{}' takes {}", c.name, e.name, p.type,
                                               pair ? "two nodes (a b)" : "one node"));
      ports.push_back(std::move(p));
    }
    drives_analog_ = drives_analog_ || (c.analog && c.dir != PortSpec::Dir::In);
    last_.emplace_back(ports.size());
    conn_.push_back(std::move(ports));
  }
}

void DigitalModel::setup(Setup& s) {
  net_ = &s.part<Network>("digital");
  net_->add(this);
  for (std::size_t k = 0; k < spec_.size(); ++k)
    for (Port& p : conn_[k]) {
      if (p.null) continue;
      p.p = s.terminal(p.nodes[0]);
      p.n = p.nodes.size() > 1 ? s.terminal(p.nodes[1]) : ground;
      if (spec_[k].analog) continue;
      if (p.p == ground)
        throw InputError(p.where, fmt::format("digital connection '{}' of '{}' is on ground", spec_[k].name, name()));
      p.node = net_->node(p.p, p.label);
      if (spec_[k].dir != PortSpec::Dir::Out) net_->reads(p.node, this);
      if (spec_[k].dir != PortSpec::Dir::In) p.driver = net_->driver(p.node);
      if (net_->claim(p.node, this) &&
          std::find(owned_nodes_.begin(), owned_nodes_.end(), p.node) == owned_nodes_.end()) {
        owned_nodes_.push_back(p.node);
        owned_.push_back(p.p);
        diag_.push_back(s.entry(p.p, p.p));
      }
    }
  setup_analog(s);
}

void DigitalModel::topology(Topology& t) const {
  for (Unknown u : owned_) t.voltage_defined(u, ground);
  topology_analog(t);
}

void DigitalModel::load(const Eval& e, Load& l) const {
  if (e.mode != Mode::Tran) net_->settle(e);
  for (std::size_t k = 0; k < owned_.size(); ++k) {
    l.f(owned_[k], e.v(owned_[k]) - volts(net_->value(owned_nodes_[k]).level));
    l.G(diag_[k], 1.0);
  }
  load_analog(e, l);
}

void DigitalModel::start_transient(double, double tstop) {
  net_->start();
  resolution_ = 1e-11 * tstop;
}

void DigitalModel::accept(const Eval& e) { net_->advance(e, resolution_); }

void DigitalModel::reset() {
  for (auto& v : last_) v.assign(v.size(), std::nullopt);
  reset_state();
}

Value DigitalModel::in_value(std::size_t k, std::size_t j) const {
  const Port& p = conn_[k][j];
  if (p.null) return Value{};
  Value v = net_->value(p.node);
  if (p.inverted) v.level = invert(v.level);
  return v;
}

Level DigitalModel::in(std::size_t k, std::size_t j) const { return in_value(k, j).level; }

Value DigitalModel::others(std::size_t k, std::size_t j) const {
  const Port& p = conn_[k][j];
  return p.null ? Value{} : net_->others(p.node, p.driver);
}

bool DigitalModel::out(std::size_t k, std::size_t j, Level l, double delay, Strength s) {
  const Port& p = conn_[k][j];
  std::optional<Value>& last = last_[k][j];
  const Value v{l, s};
  if (last && *last == v) return false;
  last = v;
  if (p.null) return false;
  net_->post(p.driver, Value{p.inverted ? invert(l) : l, s}, delay);
  return true;
}

Level DigitalModel::posted(std::size_t k, std::size_t j) const {
  const auto& last = last_[k][j];
  return last ? last->level : Level::Unknown;
}

double DigitalModel::edge_delay(Level from, Level to, double rise, double fall) {
  if (to == Level::One) return rise;
  if (to == Level::Zero) return fall;
  return from == Level::Zero ? rise : fall;
}

}  // namespace ns::digital
