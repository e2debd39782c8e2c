#include "netlist/current_sense.hpp"

#include <map>
#include <memory>
#include <set>
#include <string_view>

#include "expr/program.hpp"

namespace ns {

namespace {

// Elements whose current is not an unknown but flows between their first two nodes.
bool needs_sense(const Element& e) {
  switch (e.kind) {
    case 'r': case 'c': case 'i': case 'g': case 'f': case 'd': case 's': case 'w': return true;
    case 'b': return e.behaviour && !e.behaviour->voltage;
    default: return false;
  }
}

// Of those, the ones whose current is not among the device's own outputs (.print, .meas).
bool reports_no_current(const Element& e) {
  return e.kind == 'c' || e.kind == 'i' || e.kind == 'g' || e.kind == 'f' || (e.kind == 'b' && needs_sense(e));
}

std::string sensed(const std::string& name) { return name + "#i"; }

}  // namespace

void sense_read_currents(Netlist& netlist) {
  std::set<std::string, std::less<>> read;
  for (const Element& e : netlist.elements) {
    if (e.kind != 'b' && !e.control.empty()) read.insert(e.control);
    if (!e.behaviour) continue;
    const auto inputs = e.behaviour->program->inputs();
    for (std::size_t k = 0; k < inputs.size(); ++k)
      if (inputs[k].kind == ProgramInput::Kind::Current) read.insert(e.behaviour->inputs[k]);
  }
  // Output requests (.print, .meas) read a resistor's, diode's or switch's current from
  // the device itself; a capacitor's or a current source's is not among its outputs.
  std::set<std::string, std::less<>> printed;
  auto output_reads = [&](const std::vector<ProbeRequest>& probes) {
    for (const ProbeRequest& p : probes)
      if (p.kind == ProbeRequest::Kind::Current) printed.insert(p.a);
  };
  output_reads(netlist.outputs);
  for (const MeasureRequest& m : netlist.measures) each_quantity(m, [&](const Quantity& q) { output_reads(q.probes); });
  if (read.empty() && printed.empty()) return;

  std::set<std::string, std::less<>> sense;
  std::vector<Element> added;
  for (Element& e : netlist.elements) {
    const bool sensing = (read.count(e.name) && needs_sense(e)) || (printed.count(e.name) && reports_no_current(e));
    if (!sensing || e.nodes.size() < 2) continue;
    Element v;
    v.kind = 'v';
    v.name = sensed(e.name);
    v.where = e.where;
    const std::string inner = e.name + "#isense";
    v.nodes = {e.nodes[0], inner};
    v.node_where = {e.node_where[0], e.node_where[0]};
    e.nodes[0] = inner;
    sense.insert(e.name);
    added.push_back(std::move(v));
  }
  if (sense.empty()) return;
  for (Element& e : added) netlist.elements.push_back(std::move(e));

  auto rename = [&](std::vector<ProbeRequest>& probes) {
    for (ProbeRequest& p : probes)
      if (p.kind == ProbeRequest::Kind::Current && sense.count(p.a)) p.a = sensed(p.a);
  };
  rename(netlist.outputs);
  for (MeasureRequest& m : netlist.measures) each_quantity(m, [&](Quantity& q) { rename(q.probes); });
  for (Element& e : netlist.elements) {
    if (sense.count(e.control)) e.control = sensed(e.control);
    if (!e.behaviour) continue;
    const auto inputs = e.behaviour->program->inputs();
    bool renamed = false;
    auto b = std::make_shared<Behaviour>(*e.behaviour);
    for (std::size_t k = 0; k < inputs.size(); ++k)
      if (inputs[k].kind == ProgramInput::Kind::Current && sense.count(b->inputs[k]))
        b->inputs[k] = sensed(b->inputs[k]), renamed = true;
    if (renamed) e.behaviour = std::move(b);
  }
}

}  // namespace ns
