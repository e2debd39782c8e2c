#include "circuit/auto_bridge.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "circuit/circuit.hpp"
#include "circuit/registry.hpp"

namespace ns {

namespace {

constexpr double default_vcc = 3.3;  // ngspice's, when no vcc is visible (measured, ngspice 39)

struct Use {
  std::size_t element, node;  // index into elements, and into its nodes
};

struct Bridge {
  bool adc;
  double vcc;
  std::vector<std::string> analog, digital;  // node pairs, in order
  Location where;                            // of the first digital port it serves
};

std::string unused(const std::string& base, const std::set<std::string>& taken) {
  if (!taken.count(base)) return base;
  for (int k = 2;; ++k)
    if (const std::string s = fmt::format("{}_{}", base, k); !taken.count(s)) return s;
}

}  // namespace

std::optional<Netlist> with_auto_bridges(const Netlist& netlist) {
  // Most decks have no digital card: they pay one pass over the elements, no node sets.
  auto event_nodes = [&](const Element& e) -> const DeviceType* {
    if (e.kind != 'a') return nullptr;
    const auto m = netlist.models.find(e.model);
    if (m == netlist.models.end()) return nullptr;
    const DeviceType* t = find_device_type(m->second.type);
    return t && t->event_nodes ? t : nullptr;
  };
  if (std::none_of(netlist.elements.begin(), netlist.elements.end(), event_nodes)) return std::nullopt;
  std::map<std::string, std::vector<Use>> reads, drives;
  std::set<std::string> analog;
  std::vector<std::string> order;  // the digital ports' nodes, by first use
  for (std::size_t i = 0; i < netlist.elements.size(); ++i) {
    const Element& e = netlist.elements[i];
    std::string event;
    if (const DeviceType* t = event_nodes(e)) event = t->event_nodes(e);
    event.resize(e.nodes.size(), ' ');
    for (std::size_t k = 0; k < e.nodes.size(); ++k) {
      const std::string node = is_ground(e.nodes[k]) ? "0" : e.nodes[k];
      if (event[k] == ' ') {
        analog.insert(node);
        continue;
      }
      if (!reads.count(node) && !drives.count(node)) order.push_back(node);
      (event[k] == 'i' ? reads : drives)[node].push_back({i, k});
    }
  }
  analog.insert("0");

  std::set<std::string> nodes, names;
  for (const Element& e : netlist.elements) {
    names.insert(e.name);
    for (const auto& n : e.nodes) nodes.insert(n);
  }
  std::optional<Netlist> out;
  std::vector<Bridge> bridges;
  for (const std::string& node : order) {
    if (!analog.count(node)) continue;
    const auto r = reads.find(node), d = drives.find(node);
    const bool read = r != reads.end(), driven = d != drives.end();
    if (!read && !driven) continue;
    if (node == "0" && driven) continue;  // a digital output on ground: the model's own error
    const Use first = read ? r->second.front() : d->second.front();
    const Element& at = netlist.elements[first.element];
    if (read && driven)
      throw InputError(at.node_where[first.node],
                       fmt::format("node '{}' is read and driven by digital ports and used by analog devices: "
                                   "the bidirectional auto-bridge it needs (bidi_bridge) is not supported; "
                                   "put an adc_bridge and a dac_bridge in by hand", node));
    if (!out) out = netlist;
    const std::string digital = unused((node == "0" ? std::string("gnd") : node) + "_dig", nodes);
    nodes.insert(digital);
    for (const Use& u : read ? r->second : d->second) out->elements[u.element].nodes[u.node] = digital;
    auto it = std::find_if(bridges.begin(), bridges.end(), [&](const Bridge& b) { return b.adc == read; });
    if (it == bridges.end())
      it = bridges.insert(bridges.end(), Bridge{read, at.vcc.value_or(default_vcc), {}, {}, at.node_where[first.node]});
    it->analog.push_back(node);
    it->digital.push_back(digital);
  }
  if (!out) return out;

  for (const Bridge& b : bridges) {
    const std::string kind = b.adc ? "auto_adc" : "auto_dac";
    std::string model = kind;
    if (!netlist.models.count(kind)) {  // ngspice's default levels
      std::set<std::string> taken;
      for (const auto& [name, m] : out->models) taken.insert(name);
      model = unused(kind, taken);
      Model m;
      m.name = model;
      m.type = b.adc ? "adc_bridge" : "dac_bridge";
      m.where = m.type_where = b.where;
      if (b.adc) m.params = {{"in_low", b.vcc / 2, b.where}, {"in_high", b.vcc / 2, b.where}};
      else m.params = {{"out_low", 0, b.where}, {"out_high", b.vcc, b.where}};
      out->models.emplace(model, std::move(m));
    }
    Element e;
    e.kind = 'a';
    e.name = unused(kind, names);
    names.insert(e.name);
    e.where = e.model_where = b.where;
    e.model = model;
    const auto& in = b.adc ? b.analog : b.digital;
    const auto& to = b.adc ? b.digital : b.analog;
    for (const auto* side : {&in, &to}) {
      XspiceConnection c;
      c.vector = true;
      c.where = b.where;
      for (const std::string& n : *side) {
        e.nodes.push_back(n);
        e.node_where.push_back(b.where);
        c.ports.push_back({"", {e.nodes.size() - 1}, "", false, false, b.where});
      }
      e.connections.push_back(std::move(c));
    }
    out->elements.push_back(std::move(e));
  }
  return out;
}

}  // namespace ns
