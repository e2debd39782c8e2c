#include "control/device_vectors.hpp"

#include <fmt/format.h>

#include "circuit/circuit.hpp"
#include "circuit/probe.hpp"
#include "circuit/registry.hpp"

namespace ns::control {

namespace {

const Element* element(const Netlist& netlist, const std::string& name) {
  for (const Element& e : netlist.elements)
    if (e.name == name) return &e;
  return nullptr;
}

const Model* model(const Netlist& netlist, const std::string& name) {
  for (const auto& [key, m] : netlist.models)
    if (key == name) return &m;
  return nullptr;
}

// The registry entry an element is built from, as Circuit picks it: its .model's
// (registered_type_of), else its letter's.
const DeviceType* type_of(const Netlist& netlist, const Element& e) {
  const auto m = netlist.models.find(e.model);
  if (e.model.empty() || m == netlist.models.end()) return find_device_type(std::string(1, e.kind));
  return registered_type_of(m->second);
}

const DeviceType* type_of(const Model& m) { return registered_type_of(m); }

// The last name=value of `name` (a later one wins, as on a card).
std::optional<double> given(const std::vector<Assignment>& params, const std::string& name) {
  std::optional<double> value;
  for (const Assignment& a : params)
    if (a.name == name) value = a.value;
  return value;
}

std::optional<double> fallback(const DeviceType* type, const std::string& name) {
  if (!type || !type->params) return std::nullopt;
  for (const ParamInfo& p : type->params())
    if (p.name == name) return p.fallback;
  return std::nullopt;
}

// ngspice's long names of the common parameters.
std::string short_name(const std::string& param) {
  if (param == "resistance") return "r";
  if (param == "capacitance") return "c";
  if (param == "inductance") return "l";
  if (param == "coupling") return "k";
  return param;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> split_at_name(const std::string& name) {
  const std::size_t open = name.find('[');
  if (name.size() < 4 || name[0] != '@' || open == std::string::npos || name.back() != ']') return std::nullopt;
  return std::pair{name.substr(1, open - 1), name.substr(open + 1, name.size() - open - 2)};
}

std::string device_name(const Netlist& netlist, const std::string& name) {
  return our_spelling(name, [&](const std::string& n) { return element(netlist, n) || model(netlist, n); });
}

std::optional<ProbeRequest> quantity_request(const Netlist& netlist, const std::string& device,
                                             const std::string& quantity) {
  const Element* e = element(netlist, device);
  const DeviceType* type = e ? type_of(netlist, *e) : nullptr;
  if (!type) return std::nullopt;
  auto has = [&](const std::string& name) {
    bool found = false;
    if (type->probes)
      for (const QuantityInfo& q : type->probes()) found |= q.name == name;
    if (type->states)
      for (const StateInfo& s : type->states()) found |= s.name == name;
    return found;
  };
  // ngspice's long name of a device's current, @i1[current]: its i, under the name asked for.
  const std::string name = quantity == "current" && !has(quantity) ? "i" : quantity;
  if (!has(name)) return std::nullopt;
  ProbeRequest r;
  r.kind = ProbeRequest::Kind::Device;
  r.a = device;
  r.b = name;
  r.label = fmt::format("@{}[{}]", device, quantity);
  r.where = e->where;
  return r;
}

std::optional<Vector> parameter_value(const Netlist& netlist, const std::string& device, const std::string& name) {
  const std::string param = short_name(name);
  if (const Element* e = element(netlist, device)) {
    if (e->kind == 'v' || e->kind == 'i') {  // dc, ac, pulse, sin...: the source's groups
      for (const Group& g : e->groups)
        if (g.keyword == param) {
          Vector v;
          for (const Number& n : g.args) v.push_back(n.value);
          return v;
        }
      if (param == "dc") return Vector{e->values.empty() ? 0.0 : e->values[0].value};
    }
    if (const auto v = given(e->params, param)) return Vector{*v};
    const DeviceType* type = type_of(netlist, *e);
    if (type)
      for (std::size_t k = 0; k < type->positional.size() && k < e->values.size(); ++k)
        if (type->positional[k] == param) return Vector{e->values[k].value};
    if (const auto m = netlist.models.find(e->model); m != netlist.models.end())
      if (const auto v = given(m->second.params, param)) return Vector{*v};
    if (const auto v = fallback(type, param)) return Vector{*v};
    return std::nullopt;
  }
  if (const Model* m = model(netlist, device)) {
    if (const auto v = given(m->params, param)) return Vector{*v};
    if (const auto v = fallback(type_of(*m), param)) return Vector{*v};
  }
  return std::nullopt;
}

}  // namespace ns::control
