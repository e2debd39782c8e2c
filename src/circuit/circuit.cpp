#include "circuit/circuit.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "circuit/auto_bridge.hpp"
#include "circuit/constants.hpp"
#include "circuit/dc_path.hpp"
#include "circuit/registry.hpp"
#include "expr/program.hpp"
#include "netlist/suggest.hpp"

namespace ns {

bool is_ground(std::string_view node) { return node == "0" || node == "gnd"; }

const DeviceType* registered_type_of(const Model& model) {
  const DeviceType* type = find_device_type(model.type);
  // A level with its own entry ("nmos level=3") is that entry; other levels stay with the
  // type's, which says what it lacks.
  for (const Assignment& a : model.params)
    if (a.name == "level")
      if (const DeviceType* t = find_device_type(fmt::format("{} level={:g}", model.type, a.value))) type = t;
  // LTspice's idealised diode is a D model with any of its own parameters.
  if (model.type == "d")
    for (const Assignment& a : model.params)
      for (std::string_view ideal : {"ron", "roff", "vfwd", "vrev", "rrev", "ilimit", "revilimit", "epsilon", "revepsilon"})
        if (a.name == ideal) type = find_device_type("d ideal");
  return type;
}

namespace {

// Which registry entry an element card uses: its .model's type when it names one, else its
// letter.
const DeviceType& device_type_of(const Element& e, const Model* model) {
  if (!model) {
    const DeviceType* type = find_device_type(std::string(1, e.kind));
    if (!type) throw InputError(e.where, fmt::format("no model handles element '{}'", e.name));
    return *type;
  }
  const DeviceType* type = registered_type_of(*model);
  if (!type || !type->element) {
    std::vector<std::string> known;
    for (const DeviceType* t : device_types())
      if (t->element && t->type.find(' ') == std::string_view::npos) known.emplace_back(t->type);
    throw InputError(model->type_where, fmt::format("unknown model type '{}'{}", model->type,
                                                    did_you_mean(model->type, known)));
  }
  if (type->element != e.kind)
    throw InputError(e.model_where, fmt::format("'{}' cannot use model '{}' of type '{}'", e.name,
                                                model->name, model->type));
  return *type;
}

struct Pending {
  const Element* element;
  Device* device;
  std::size_t terminals;  // the type's; those the card leaves out are ground
  std::size_t index;      // in devices_
};

// The elements whose branch current `e` reads: an F's or H's controlling source, a
// behavioural element's i() inputs.
std::vector<std::string_view> currents_read(const Element& e) {
  std::vector<std::string_view> names;
  if (!e.control.empty()) names.push_back(e.control);
  if (e.behaviour)
    for (std::size_t k = 0; k < e.behaviour->inputs.size(); ++k)
      if (e.behaviour->program->inputs()[k].kind == ProgramInput::Kind::Current) names.push_back(e.behaviour->inputs[k]);
  return names;
}

// Orders [first, last) so that each element comes after the others in the range whose
// current it reads (itself aside: a device makes its own branch before reading it). A
// cycle keeps its card order; its first read of a branch not yet made is then a located error.
void order_by_currents_read(std::vector<Pending>::iterator first, std::vector<Pending>::iterator last) {
  std::vector<Pending> ordered;
  std::vector<bool> placed(static_cast<std::size_t>(last - first), false);
  std::map<std::string_view, std::size_t> index;
  for (auto it = first; it != last; ++it) index.emplace(it->element->name, static_cast<std::size_t>(it - first));
  auto waiting_on = [&](const Pending& p) {
    for (std::string_view name : currents_read(*p.element))
      if (const auto at = index.find(name); at != index.end() && !placed[at->second] &&
          p.element != first[static_cast<std::ptrdiff_t>(at->second)].element)
        return true;
    return false;
  };
  while (ordered.size() < placed.size()) {
    bool progress = false;
    for (auto it = first; it != last; ++it) {
      const auto k = static_cast<std::size_t>(it - first);
      if (placed[k] || waiting_on(*it)) continue;
      ordered.push_back(*it);
      placed[k] = progress = true;
    }
    if (!progress)
      for (auto it = first; it != last; ++it)
        if (const auto k = static_cast<std::size_t>(it - first); !placed[k]) ordered.push_back(*it), placed[k] = true;
  }
  std::copy(ordered.begin(), ordered.end(), first);
}

}  // namespace

Circuit::Circuit(const Netlist& given) : options_(given.options) {
  // XSPICE's auto-bridges: devices may keep pointers into the elements and models they
  // are made from, so the bridged netlist lives as long as the circuit.
  if (auto bridged = with_auto_bridges(given)) bridged_ = std::make_shared<const Netlist>(std::move(*bridged));
  const Netlist& netlist = bridged_ ? *bridged_ : given;
  tables_.noise_all = netlist.options.trnoise;
  // A .mc run's own stream, so that every run draws other noise; else --seed's.
  tables_.noise_stream = netlist.random_stream.value_or(netlist.options.seed);
  // Node voltages come first, in order of first appearance; devices add their own
  // unknowns after them in setup().
  std::vector<const Location*> first_use;
  for (const Element& e : netlist.elements)
    for (std::size_t k = 0; k < e.nodes.size(); ++k) {
      const std::string& node = e.nodes[k];
      if (is_ground(node) || tables_.nodes.count(node)) continue;
      tables_.nodes.emplace(node, static_cast<Unknown>(tables_.unknowns.size()));
      tables_.unknowns.push_back({node, UnknownKind::Voltage, 0, "V", 0});
      first_use.push_back(&e.node_where[k]);
    }

  std::vector<Pending> pending;
  std::vector<std::string> model_names;
  for (const auto& [name, m] : netlist.models) model_names.push_back(name);
  std::map<const Model*, std::shared_ptr<const void>> shared;  // DeviceInput::shared
  for (const Element& e : netlist.elements) {
    const Model* model = nullptr;
    if (!e.model.empty()) {
      const auto it = netlist.models.find(e.model);
      model = it != netlist.models.end() ? &it->second : nullptr;
      if (!model)
        throw InputError(e.model_where, fmt::format("unknown model '{}'{}", e.model,
                                                    did_you_mean(e.model, model_names)));
    }
    const DeviceType& type = device_type_of(e, model);
    const std::size_t most = type.terminals.size(), least = most - type.optional_terminals;
    // An A element's nodes are its connections', which its code model checks; a P line's
    // are as many as its conductors (models/cpl.cpp checks them).
    if (e.kind != 'a' && e.kind != 'p' && (e.nodes.size() < least || e.nodes.size() > most)) {
      std::string names;
      for (auto t : type.terminals) names += (names.empty() ? "" : " ") + std::string(t);
      throw InputError(e.where, fmt::format("'{}' has {} terminals; {} needs {}{} ({})", e.name,
                                            e.nodes.size(), type.type, least == most ? "" : fmt::format("{} to ", least),
                                            most, names));
    }
    devices_.push_back(type.make(DeviceInput{e, model, type.positional, &warnings_, &shared}));
    types_.push_back(type.type);
    by_name_.emplace(e.name, devices_.back().get());
    pending.push_back({&e, devices_.back().get(), e.kind == 'a' || e.kind == 'p' ? e.nodes.size() : most, devices_.size() - 1});
  }

  // One warning per card and parameter, however many devices share the card.
  std::vector<std::string> unique;
  for (auto& w : warnings_)
    if (std::find(unique.begin(), unique.end(), w) == unique.end()) unique.push_back(std::move(w));
  warnings_ = std::move(unique);

  // Elements controlled by another's current (F, H, a behavioural element's i()) are set
  // up last, when every branch current exists; each after the controlled elements it reads
  // (a behavioural V= element whose branch another reads is itself often controlled).
  const auto controlled = std::stable_partition(pending.begin(), pending.end(),
                                                [](const Pending& p) { return p.element->control.empty(); });
  order_by_currents_read(controlled, pending.end());
  const double kelvin = options_.temp + constants::zero_celsius;
  rows_of_.resize(devices_.size());
  entries_of_.resize(devices_.size());
  for (const Pending& p : pending) {
    std::vector<Unknown> terminals;
    for (const std::string& node : p.element->nodes)
      terminals.push_back(is_ground(node) ? ground : tables_.nodes.at(node));
    terminals.resize(p.terminals, ground);
    std::vector<Unknown>& rows = rows_of_[p.index];
    rows = terminals;
    const std::size_t unknowns = tables_.unknowns.size(), entries = tables_.entries.size();
    Setup setup(tables_, *p.device, std::move(terminals), kelvin, options_.gmin);
    p.device->setup(setup);
    entries_of_[p.index] = {static_cast<Entry>(entries), static_cast<Entry>(tables_.entries.size())};
    for (std::size_t u = unknowns; u < tables_.unknowns.size(); ++u) rows.push_back(static_cast<Unknown>(u));
    for (std::size_t k = entries; k < tables_.entries.size(); ++k) rows.push_back(tables_.entries[k].first);
    std::erase(rows, ground);
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  }
  check_mutual_inductances(tables_, warnings_);
  // Every unknown gets a diagonal entry: gmin stepping shunts there, and it keeps the
  // pattern structurally non-singular for KLU.
  for (std::size_t u = 0; u < tables_.unknowns.size(); ++u)
    if (tables_.unknowns[u].kind != UnknownKind::Current)
      tables_.entry(static_cast<Unknown>(u), static_cast<Unknown>(u));

  TopologyCheck check(tables_.unknowns.size());
  for (const auto& d : devices_) {
    check.device = d.get();
    d->topology(check);
  }
  // A resistor or capacitor `kind` of `value` from unknown u to ground, named `label(node)`.
  auto shunt_to_ground = [&](Unknown u, char kind, std::string_view label, double value, const Location& where) {
    Element shunt;
    shunt.kind = kind;
    shunt.name = fmt::format("{}({})", label, tables_.unknowns[static_cast<std::size_t>(u)].name);
    shunt.where = where;
    shunt.nodes = {tables_.unknowns[static_cast<std::size_t>(u)].name, "0"};
    shunt.values.push_back(Number{value, where});
    const DeviceType& type = device_type_of(shunt, nullptr);
    devices_.push_back(type.make(DeviceInput{shunt, nullptr, type.positional, &warnings_}));
    types_.push_back(type.type);
    Setup setup(tables_, *devices_.back(), {u, ground}, kelvin, options_.gmin);
    const std::size_t entries = tables_.entries.size();
    devices_.back()->setup(setup);
    entries_of_.emplace_back(static_cast<Entry>(entries), static_cast<Entry>(tables_.entries.size()));
    rows_of_.push_back({u});
  };
  // .options rshunt= cshunt=: as ngspice, on every node, a device's internal ones too (a
  // diode's node behind rs): so no node is left without a DC path, and none is held by gmin.
  if (options_.rshunt > 0 || options_.cshunt > 0) {
    const std::size_t nodes = tables_.unknowns.size();
    for (std::size_t k = 0; k < nodes; ++k) {
      if (tables_.unknowns[k].kind != UnknownKind::Voltage) continue;
      const Unknown u = static_cast<Unknown>(k);
      const Location where = k < first_use.size() && first_use[k] ? *first_use[k] : Location{};
      if (options_.rshunt > 0) shunt_to_ground(u, 'r', "rshunt", options_.rshunt, where), check.conducts(u, ground);
      if (options_.cshunt > 0) shunt_to_ground(u, 'c', "cshunt", options_.cshunt, where);
    }
  }
  // A node with no DC path gets gmin to ground, with a warning: its DC value is then 0 V
  // or what its conducting neighbours give.
  for (Unknown u : nodes_to_hold_with_gmin(netlist, tables_, first_use, check)) {
    const Location& where = *first_use[static_cast<std::size_t>(u)];
    warnings_.push_back(fmt::format("{}: warning: node '{}' has no DC path to ground: a conductance "
                                    "gmin = {:g} S to ground holds it", where.str(),
                                    tables_.unknowns[static_cast<std::size_t>(u)].name, options_.gmin));
    shunt_to_ground(u, 'r', "gmin", 1 / options_.gmin, where);
  }
}

Device* Circuit::find_device(std::string_view name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

Unknown Circuit::node(const std::string& name, const Location& where) const {
  if (is_ground(name)) return ground;
  const auto it = tables_.nodes.find(name);
  if (it != tables_.nodes.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& [n, u] : tables_.nodes) names.push_back(n);
  throw InputError(where, fmt::format("no node '{}' in the circuit{}", name, did_you_mean(name, names)));
}

std::vector<double> Circuit::rest_state() const {
  std::vector<double> x;
  for (const auto& u : tables_.unknowns) x.push_back(u.rest);
  return x;
}

}  // namespace ns
