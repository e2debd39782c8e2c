#include "circuit/probe.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "circuit/registry.hpp"
#include "expr/expression.hpp"
#include "netlist/ascii.hpp"
#include "netlist/suggest.hpp"

namespace ns {

namespace {

std::vector<std::string> names_of(const auto& map) {
  std::vector<std::string> names;
  for (const auto& [name, value] : map) names.push_back(name);
  return names;
}

Probe unknown_probe(const Circuit& c, std::string label, Unknown u) {
  return {std::move(label), c.tables().unknowns.at(static_cast<std::size_t>(u)).unit,
          [u](const Eval& e) { return e.v(u); }, true};
}

// LTspice writes a path inside a subcircuit with ':' (V(XU1:N), I(XU1:R1)) where ours is
// '.' (xu1.n): the name as written when it exists, else read with '.'.
std::string path_spelling(std::string name, bool exists) {
  if (!exists) std::replace(name.begin(), name.end(), ':', '.');
  return name;
}

std::string node_name(const Circuit& c, const std::string& name) {
  return path_spelling(name, c.tables().nodes.contains(name));
}

Probe quantity_probe(const Circuit& c, const ProbeRequest& r, const std::string& written,
                     const std::string& quantity) {
  const std::string device_name = our_spelling(written, [&](const std::string& n) { return c.find_device(n) != nullptr; });
  const Device* device = c.find_device(device_name);
  if (!device) {
    std::vector<std::string> names;
    for (const auto& d : c.devices()) names.push_back(d->name());
    throw InputError(r.where, fmt::format("no device '{}' in the circuit{}", device_name,
                                          did_you_mean(device_name, names)));
  }
  std::vector<std::string> available;
  const auto states = c.tables().states.find(device_name);
  if (states != c.tables().states.end())
    for (const auto& [name, u] : states->second) {
      if (name == quantity) return unknown_probe(c, r.label, u);
      available.push_back(name);
    }
  const std::vector<std::string> quantities = device->quantities();
  for (std::size_t k = 0; k < quantities.size(); ++k)
    if (quantities[k] == quantity)
      return {r.label, std::string(device->type().probes().at(k).unit),
              [device, k](const Eval& e) { return device->quantity(k, e); }};
  available.insert(available.end(), quantities.begin(), quantities.end());
  std::string list;
  for (const auto& a : available) list += (list.empty() ? "" : ", ") + a;
  throw InputError(r.where, fmt::format("device '{}' has no quantity '{}'{}; it has: {}",
                                        device_name, quantity, did_you_mean(quantity, available),
                                        list.empty() ? "none" : list));
}

Probe make_probe(const Circuit& c, const ProbeRequest& r) {
  switch (r.kind) {
    case ProbeRequest::Kind::Voltage: {
      const Unknown a = c.node(node_name(c, r.a), r.where);
      if (r.b.empty()) return unknown_probe(c, r.label, a);
      const Unknown b = c.node(node_name(c, r.b), r.where);
      return {r.label, "V", [a, b](const Eval& e) { return e.v(a) - e.v(b); }, true};
    }
    case ProbeRequest::Kind::Current: {
      const auto& branches = c.tables().branches;
      const std::string path = path_spelling(r.a, branches.contains(r.a) || c.find_device(r.a));
      const std::string name =
          our_spelling(path, [&](const std::string& n) { return branches.contains(n) || c.find_device(n) != nullptr; });
      if (const auto it = branches.find(name); it != branches.end()) return unknown_probe(c, r.label, it->second);
      // A device without a branch unknown (R, D, ...) may still report its current.
      if (const Device* d = c.find_device(name)) {
        const auto q = d->quantities();
        if (std::find(q.begin(), q.end(), "i") != q.end()) return quantity_probe(c, r, name, "i");
        if (std::find(q.begin(), q.end(), "id") != q.end()) return quantity_probe(c, r, name, "id");
      }
      throw InputError(r.where, fmt::format("no current 'i({})': '{}' is not a voltage source or "
                                            "other element with a current{}", r.a, r.a,
                                            did_you_mean(r.a, names_of(branches))));
    }
    case ProbeRequest::Kind::Device:
      return quantity_probe(c, r, r.a, r.b);
    case ProbeRequest::Kind::Expression: {
      // A column computed from probes, as .meas evaluates its expressions: probe k is the
      // name quantity_name(k) in the formula.
      std::vector<Probe> parts;
      for (const auto& sub : r.expression->probes) parts.push_back(make_probe(c, sub));
      // The raw file's type of the column: its probes' when they share one, else none.
      std::string unit = parts.front().unit;
      for (const auto& part : parts)
        if (part.unit != unit) unit.clear();
      // Where the formula is undefined (v(a)/i(v1) while i(v1) = 0) the column holds NaN
      // for that point: the run and the other columns go on.
      return {r.label, unit, [q = r.expression, parts = std::move(parts)](const Eval& e) {
                try {
                  return q->expression->evaluate([&](const std::string& name, std::size_t) {
                    return parts.at(std::stoul(name.substr(quantity_name(0).size() - 1))).value(e);
                  });
                } catch (const ExpressionError&) {
                  return std::numeric_limits<double>::quiet_NaN();
                }
              }};
    }
  }
  return {};
}

}  // namespace

std::string our_spelling(std::string_view written, const std::function<bool(const std::string&)>& exists) {
  const std::string name(written), folded = lower(name);
  // The device's name inside the form: after '@' or "i(", up to '[', '#' or ')'.
  std::size_t begin = folded.starts_with('@') ? 1 : 0;
  if (const std::size_t open = folded.find('('); open != std::string::npos && folded.ends_with(')')) begin = open + 1;
  const std::string_view device = std::string_view(folded).substr(begin, folded.find_first_of("[#)", begin) - begin);
  // A subcircuit instance's name begins with x: a letter and a dot before it are ngspice's.
  std::string ours = folded;
  if (device.size() > 3 && device[0] >= 'a' && device[0] <= 'z' && device[1] == '.' && device[2] == 'x')
    ours.erase(begin, 2);
  for (const std::string& candidate : {name, folded, ours})
    if (exists(candidate)) return candidate;
  return name;
}

std::vector<Probe> make_probes(const Circuit& circuit, const std::vector<ProbeRequest>& requests,
                               std::vector<std::string>* skipped) {
  std::vector<Probe> probes;
  if (requests.empty()) {
    const auto& unknowns = circuit.tables().unknowns;
    // Node voltages in order of first appearance (not internal device nodes), then currents.
    for (std::size_t u = 0; u < unknowns.size(); ++u)
      if (unknowns[u].kind == UnknownKind::Voltage && !unknowns[u].internal_node())
        probes.push_back(unknown_probe(circuit, "v(" + unknowns[u].name + ")", static_cast<Unknown>(u)));
    for (std::size_t u = 0; u < unknowns.size(); ++u)
      if (unknowns[u].kind == UnknownKind::Current)
        probes.push_back(unknown_probe(circuit, unknowns[u].name, static_cast<Unknown>(u)));
    return probes;
  }
  std::optional<InputError> first;
  std::vector<std::string> warnings;
  for (const auto& r : requests) {
    try {
      probes.push_back(make_probe(circuit, r));
    } catch (const InputError& e) {
      if (!skipped) throw;
      if (!first) first = e;
      warnings.push_back(fmt::format("{}: warning: {}: '{}' is not written", e.where().str(), e.message(), r.label));
    }
  }
  if (probes.empty() && first) throw *first;
  if (skipped) skipped->insert(skipped->end(), warnings.begin(), warnings.end());
  return probes;
}

}  // namespace ns
