#include "control/show.hpp"

#include <algorithm>
#include <map>
#include <ostream>
#include <set>
#include <vector>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "circuit/registry.hpp"
#include "control/device_vectors.hpp"

namespace ns::control {

namespace {

struct Kind {
  std::string title;  // ngspice's heading
  std::string value;  // the row of the card's value, as ngspice names it
};

Kind kind_of(const Element& e) {
  switch (e.kind) {
    case 'r': return {"Resistor: Simple linear resistor", "resistance"};
    case 'c': return {"Capacitor: Fixed capacitor", "capacitance"};
    case 'l': return {"Inductor: Inductors", "inductance"};
    case 'v': return {"Vsource: Independent voltage source", "dc"};
    case 'i': return {"Isource: Independent current source", "dc"};
    case 'q': return {"BJT: Bipolar Junction Transistor", ""};  // ngspice 39's headings
    case 'd': return {"Diode: Junction Diode model", ""};
    default: break;
  }
  const DeviceType* type = find_device_type(std::string(1, e.kind));
  return {fmt::format("{}: {}", std::string(1, char(e.kind - 'a' + 'A')), type ? type->summary : "device"), ""};
}

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::string w;
  for (char c : text + " ") {
    if (c == ' ' || c == '\t' || c == ',') {
      if (!w.empty()) out.push_back(w);
      w.clear();
    } else {
      w += c;
    }
  }
  return out;
}

std::string number(double x) { return fmt::format("{:g}", x); }

}  // namespace

void show(const Netlist& netlist, const std::string& text, std::ostream& out, const DeviceValue& value_of) {
  const std::size_t colon = text.find(':');
  const std::string rest = text.substr(0, colon);
  const std::vector<std::string> chosen = colon == std::string::npos ? std::vector<std::string>{} : words(text.substr(colon + 1));
  const std::vector<std::string> asked = words(rest);
  const bool all = asked.empty() || std::find(asked.begin(), asked.end(), "all") != asked.end();
  auto wanted = [&](const Element& e) {
    if (all) return true;
    for (const std::string& a : asked)
      if (a == e.name || (a.size() == 1 && a[0] == e.kind)) return true;
    return false;
  };
  // by heading, in ngspice's order of kinds (alphabetical), each kind last card first
  std::map<std::string, std::vector<const Element*>> kinds;
  for (auto it = netlist.elements.rbegin(); it != netlist.elements.rend(); ++it)
    if (wanted(*it)) kinds[kind_of(*it).title].push_back(&*it);
  if (kinds.empty()) throw VectorError(fmt::format("'show': no device '{}'", rest));
  for (const auto& [title, devices] : kinds) {
    for (std::size_t first = 0; first < devices.size(); first += 3) {
      const std::vector<const Element*> block(devices.begin() + long(first),
                                              devices.begin() + long(std::min(first + 3, devices.size())));
      auto row = [&](const std::string& name, auto cell) {
        std::string line = fmt::format("{:>11}", name);
        for (const Element* e : block) line += fmt::format("{:>22}", cell(*e));
        fmt::print(out, "{}\n", line);
      };
      fmt::print(out, " {}\n", title);
      row("device", [](const Element& e) { return e.name; });
      row("model", [&](const Element& e) {
        const auto m = netlist.models.find(e.model);
        return m != netlist.models.end() ? m->second.name : std::string(1, char(e.kind - 'a' + 'A'));
      });
      const std::string value = kind_of(*block.front()).value;
      auto param = [&](const std::string& name) {
        return [&, name](const Element& e) {
          const auto v = parameter_value(netlist, e.name, name == "resistance" ? "r" : name == "capacitance" ? "c"
                                                                  : name == "inductance" ? "l" : name);
          return v && !v->empty() ? number((*v)[0]) : std::string("-");
        };
      };
      // R, C, L, V, I: ngspice's rows that we hold, in every block (the corpus pairs
      // the k-th row of a name with the k-th); other kinds: the parameters the cards give.
      const char kind = block.front()->kind;
      if (!chosen.empty() && chosen.front() != "all") {
        for (const std::string& name : chosen)
          row(name, [&](const Element& e) {
            const auto v = value_of(e.name, name);
            return v && !v->empty() ? number(v->back()) : std::string("-");
          });
      } else if (!value.empty()) {
        row(value, param(value));
        if (kind == 'r') row("ac", param(value));
        if (kind == 'r' || kind == 'c') row("dtemp", [&](const Element& e) {
          for (const Assignment& a : e.params)
            if (a.name == "dtemp") return number(a.value);
          return std::string("0");
        });
      } else {
        std::set<std::string> given;  // in card order
        std::vector<std::string> names;
        for (const Element* e : block)
          for (const Assignment& a : e->params)
            if (given.insert(a.name).second) names.push_back(a.name);
        for (const std::string& name : names) row(name, param(name));
      }
      fmt::print(out, "\n");
    }
  }
}

}  // namespace ns::control
