#include "netlist/parasitics.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include <fmt/format.h>

namespace ns {

namespace {

struct Parasitic {
  char element;       // the card it is written on
  std::string_view name;
  char kind;          // the element it becomes
  bool series;
};

constexpr Parasitic parasitics[] = {
    {'c', "rser", 'r', true}, {'c', "lser", 'l', true}, {'c', "rpar", 'r', false}, {'c', "cpar", 'c', false},
    {'l', "rser", 'r', true}, {'l', "rpar", 'r', false}, {'l', "cpar", 'c', false},
    {'v', "cpar", 'c', false},
};

// Removes `name` from the element's parameters; its value and location when it was there.
std::optional<Assignment> take(Element& e, std::string_view name) {
  const auto it = std::find_if(e.params.begin(), e.params.end(), [&](const Assignment& a) { return a.name == name; });
  if (it == e.params.end()) return std::nullopt;
  Assignment a = *it;
  e.params.erase(it);
  return a;
}

}  // namespace

void split_parasitics(Netlist& netlist) {
  std::vector<Element> added;
  for (Element& e : netlist.elements) {
    int series = 0;
    const std::vector<std::string> ends = e.nodes;
    for (const Parasitic& p : parasitics) {
      if (p.element != e.kind) continue;
      const std::optional<Assignment> a = take(e, p.name);
      if (!a || a->value == 0) continue;
      Element part;
      part.kind = p.kind;
      part.name = e.name + "#" + std::string(p.name);
      part.where = a->where;
      part.values.push_back({a->value, a->where});
      part.node_where = {a->where, a->where};
      if (p.series) {
        // The element's second node moves to a new internal node; the part joins it to the old one.
        const std::string inner = fmt::format("{}#ser{}", e.name, ++series);
        part.nodes = {inner, e.nodes[1]};  // in series: the element, then Lser, then Rser
        e.nodes[1] = inner;
      } else {
        part.nodes = ends;
      }
      added.push_back(std::move(part));
    }
  }
  for (Element& e : added) netlist.elements.push_back(std::move(e));
}

}  // namespace ns
