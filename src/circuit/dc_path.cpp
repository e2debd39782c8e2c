#include "circuit/dc_path.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

namespace ns {

Components::Components(std::size_t n) : parent_(n + 1) { std::iota(parent_.begin(), parent_.end(), 0); }

std::size_t Components::find(Unknown u) {
  std::size_t i = u < 0 ? parent_.size() - 1 : static_cast<std::size_t>(u);
  while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
  return i;
}

bool Components::join(Unknown a, Unknown b) {
  const std::size_t ra = find(a), rb = find(b);
  if (ra == rb) return false;
  parent_[ra] = rb;
  return true;
}

void TopologyCheck::voltage_defined(Unknown a, Unknown b) {
  dc_.join(a, b);
  if (!voltage_.join(a, b))
    throw InputError(device->where(), fmt::format("voltage sources and inductors form a loop, closed by '{}' "
                                                  "(the loop has no unique DC solution)",
                                                  device->name()));
}

std::vector<Unknown> nodes_to_hold_with_gmin(const Netlist& netlist, const CircuitTables& tables,
                                             const std::vector<const Location*>& first_use, TopologyCheck& check) {
  const std::size_t nodes = first_use.size();
  std::vector<char> fed(nodes, 0), held(nodes, 0);
  for (const InitialValue& ic : netlist.ic)
    if (const auto it = tables.nodes.find(ic.node); it != tables.nodes.end()) held[static_cast<std::size_t>(it->second)] = 1;
  // A capacitor's ic= sets its node as .ic does under uic: a state capacitor fed by a
  // behavioural current and nothing else (a memristor's or a synapse's weight) runs then, as
  // in ngspice; its operating point, if one is asked for, is the gmin shunt's.
  for (const Element& e : netlist.elements)
    if (e.kind == 'c' && std::any_of(e.params.begin(), e.params.end(), [](const auto& p) { return p.name == "ic"; }))
      for (const std::string& node : e.nodes)
        if (!is_ground(node)) held[static_cast<std::size_t>(tables.nodes.at(node))] = 1;
  // fed: 1 by an independent source, 2 by one whose current the circuit sets (F, G, B, A).
  // sensed: an E's or G's control reads the node.
  std::vector<char> sensed(nodes, 0);
  for (const Element& e : netlist.elements) {
    const bool source = e.kind == 'i' || e.kind == 'g' || e.kind == 'f' || e.kind == 'a' ||
                        (e.behaviour && !e.behaviour->voltage);
    for (std::size_t k = 0; k < e.nodes.size(); ++k) {
      if (is_ground(e.nodes[k])) continue;
      const auto u = static_cast<std::size_t>(tables.nodes.at(e.nodes[k]));
      if ((e.kind == 'e' || e.kind == 'g') && !e.behaviour && k >= 2) sensed[u] = 1;
      else if (source) fed[u] = std::max<char>(fed[u], e.kind == 'i' ? 1 : 2);
    }
  }

  std::vector<Unknown> floating;
  for (std::size_t u = 0; u < nodes; ++u)
    if (!check.grounded(static_cast<Unknown>(u))) floating.push_back(static_cast<Unknown>(u));
  // A fed group with no DC path has no DC solution unless something holds it: an .ic, or
  // a loop of controlled sources, as in a modal network of a coupled line (an E reads the
  // group's voltage, and F's or G's currents, which the circuit sets, feed it). Its common
  // voltage then enters the equations through the E's control, and its feeders' currents
  // can balance; the gmin shunt below is then a small leak on a solved node.
  auto group_has = [&](Unknown v, auto&& test) {
    return std::any_of(floating.begin(), floating.end(),
                       [&](Unknown u) { return test(static_cast<std::size_t>(u)) && check.connected(u, v); });
  };
  for (Unknown v : floating)
    if (fed[static_cast<std::size_t>(v)] && !group_has(v, [&](std::size_t u) { return held[u] != 0; }) &&
        !(group_has(v, [&](std::size_t u) { return sensed[u] != 0; }) &&
          group_has(v, [&](std::size_t u) { return fed[u] == 2; })))
      throw InputError(*first_use[static_cast<std::size_t>(v)],
                       fmt::format("node '{}' has no DC path to ground, and a current source feeds it",
                                   tables.unknowns[static_cast<std::size_t>(v)].name));

  std::vector<Unknown> hold;
  for (Unknown u : floating) {
    if (check.grounded(u)) continue;  // joined to ground through an earlier one's group
    hold.push_back(u);
    check.conducts(u, ground);
  }
  return hold;
}

}  // namespace ns
