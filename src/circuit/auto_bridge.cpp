#include "circuit/auto_bridge.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "circuit/circuit.hpp"
#include "circuit/registry.hpp"
#include "netlist/ascii.hpp"
#include "netlist/bridge_templates.hpp"
#include "netlist/frontend.hpp"

namespace ns {

namespace {

constexpr double default_vcc = 3.3;  // ngspice's, when no vcc is visible (measured, ngspice 39)

struct Use {
  std::size_t element, node;  // index into elements, and into its nodes
};

enum class Kind { Adc, Dac, Bidi };  // the node read by digital ports, driven, or both

struct Bridge {
  Kind kind;
  double vcc;
  std::vector<std::string> analog, digital;  // node pairs, in order
  Location where;                            // of the first digital port it serves
};

std::string unused(const std::string& base, const std::set<std::string>& taken) {
  if (!taken.count(base)) return base;
  for (int k = 2;; ++k)
    if (const std::string s = fmt::format("{}_{}", base, k); !taken.count(s)) return s;
}

// The cards of bridge `b` from template `t`: its .model line (%g the vcc) once, and an
// instance line (%d a number, %s the analog then the digital nodes) per t.per nodes.
std::string templated(const BridgeTemplate& t, const Bridge& b, std::set<std::string>& names, int& number) {
  auto replace = [](std::string text, const std::string& what, auto&& with) {
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at)) {
      const std::string by = with();
      text.replace(at, what.size(), by);
      at += by.size();
    }
    return text;
  };
  std::string cards = replace(t.model, "%g", [&] { return fmt::format("{:g}", b.vcc); }) + "\n";
  const std::size_t per = t.per ? t.per : b.analog.size();
  for (std::size_t first = 0; first < b.analog.size(); first += per) {
    const std::size_t end = std::min(first + per, b.analog.size());
    auto join = [&](const std::vector<std::string>& nodes) {
      std::string s;
      for (std::size_t k = first; k < end; ++k) s += (k > first ? " " : "") + nodes[k];
      return s;
    };
    std::string card;
    do {  // a number whose name is not taken
      int lists = 0;
      const std::string n = std::to_string(++number);
      card = replace(replace(t.instance, "%d", [&] { return n; }), "%s",
                     [&] { return join(lists++ == 0 ? b.analog : b.digital); });
    } while (names.count(lower(card.substr(0, card.find_first_of(" \t")))));
    names.insert(lower(card.substr(0, card.find_first_of(" \t"))));
    cards += card + "\n";
  }
  return cards;
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
      if (event[k] != 'o') reads[node].push_back({i, k});
      if (event[k] != 'i') drives[node].push_back({i, k});
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
    const Kind kind = read && driven ? Kind::Bidi : read ? Kind::Adc : Kind::Dac;
    if (!out) out = netlist;
    const std::string digital = unused((node == "0" ? std::string("gnd") : node) + "_dig", nodes);
    nodes.insert(digital);
    for (const auto* uses : {read ? &r->second : nullptr, driven ? &d->second : nullptr})
      if (uses)
        for (const Use& u : *uses) out->elements[u.element].nodes[u.node] = digital;
    auto it = std::find_if(bridges.begin(), bridges.end(), [&](const Bridge& b) { return b.kind == kind; });
    if (it == bridges.end())
      it = bridges.insert(bridges.end(), Bridge{kind, at.vcc.value_or(default_vcc), {}, {}, at.node_where[first.node]});
    it->analog.push_back(node);
    it->digital.push_back(digital);
  }
  if (!out) return out;

  const std::map<std::string, BridgeTemplate> templates = bridge_templates(netlist);
  std::string cards;  // the bridges the script's templates make, as deck text
  int number = 0;
  for (const Bridge& b : bridges) {
    const auto t = b.kind == Kind::Bidi ? templates.end() : templates.find(b.kind == Kind::Adc ? "d_in" : "d_out");
    if (t != templates.end()) {
      cards += templated(t->second, b, names, number);
      continue;
    }
    static const char* const kinds[] = {"auto_adc", "auto_dac", "auto_bidi"};
    const std::string kind = kinds[static_cast<int>(b.kind)];
    std::string model = kind;
    if (!netlist.models.count(kind)) {  // ngspice's default levels
      std::set<std::string> taken;
      for (const auto& [name, m] : out->models) taken.insert(name);
      model = unused(kind, taken);
      Model m;
      m.name = model;
      m.type = b.kind == Kind::Adc ? "adc_bridge" : b.kind == Kind::Dac ? "dac_bridge" : "bidi_bridge";
      m.where = m.type_where = b.where;
      if (b.kind != Kind::Dac) m.params = {{"in_low", b.vcc / 2, b.where}, {"in_high", b.vcc / 2, b.where}};
      if (b.kind == Kind::Dac) m.params = {{"out_low", 0, b.where}};
      if (b.kind != Kind::Adc) m.params.push_back({"out_high", b.vcc, b.where});
      out->models.emplace(model, std::move(m));
    }
    Element e;
    e.kind = 'a';
    e.name = unused(kind, names);
    names.insert(e.name);
    e.where = e.model_where = b.where;
    e.model = model;
    const auto& in = b.kind == Kind::Dac ? b.digital : b.analog;
    const auto& to = b.kind == Kind::Dac ? b.analog : b.digital;
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
    if (b.kind == Kind::Bidi) {  // its dir input NULL
      XspiceConnection c;
      c.where = b.where;
      c.ports.push_back({"", {}, "", false, true, b.where});
      e.connections.push_back(std::move(c));
    }
    out->elements.push_back(std::move(e));
  }
  if (!cards.empty()) {
    // The script's cards, read as a deck of their own; their errors name the set line.
    const Location& where = templates.begin()->second.where;
    const Netlist made = elaborate(*read_deck_text("* auto-bridges\n" + cards + ".end\n", where.str()));
    for (const auto& [name, m] : made.models) out->models.emplace(name, m);
    for (const Element& e : made.elements) out->elements.push_back(e);
  }
  return out;
}

}  // namespace ns
