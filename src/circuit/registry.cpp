#include "circuit/registry.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

namespace ns {

namespace {
std::map<std::string, DeviceType, std::less<>>& table() {
  static std::map<std::string, DeviceType, std::less<>> types;  // function-local: init order safe
  return types;
}

const char* hold_text(Hold hold) {
  switch (hold) {
    case Hold::Never: return "";
    case Hold::InDc: return "; held at its rest value in .op, .dc and a transient's operating point";
    case Hold::AtTransientStart: return "; held at its rest value in a transient's operating point";
  }
  return "";
}
std::string_view unit_text(std::string_view unit) { return unit.empty() ? "-" : unit; }  // dimensionless
}  // namespace

bool register_device_type(DeviceType type) {
  const std::string key(type.type);
  const auto [it, fresh] = table().emplace(key, std::move(type));
  if (!fresh) throw std::logic_error("device type '" + key + "' is registered twice");
  // Every device made through the registry knows its type, and so its declarations.
  DeviceType& stored = it->second;
  stored.make = [&stored, make = std::move(stored.make)](const DeviceInput& in) {
    std::unique_ptr<Device> device = make(in);
    device->type_ = &stored;
    return device;
  };
  return true;
}

const DeviceType* find_device_type(std::string_view type) {
  const auto it = table().find(type);
  return it == table().end() ? nullptr : &it->second;
}

std::vector<const DeviceType*> device_types() {
  std::vector<const DeviceType*> out;
  for (const auto& [key, type] : table()) out.push_back(&type);
  return out;
}

const DeviceType& Device::type() const {
  if (!type_) throw std::logic_error("device '" + name_ + "' was not made through the registry");
  return *type_;
}

std::vector<std::string> Device::quantities() const {
  std::vector<std::string> names;
  for (const QuantityInfo& q : type().probes()) names.emplace_back(q.name);
  return names;
}

std::string describe_device_type(const DeviceType& type) {
  std::string out = fmt::format("{}: {}\n  terminals:", type.type, type.summary);
  for (auto t : type.terminals) out += fmt::format(" {}", t);
  out += "\n";
  if (!type.positional.empty()) {
    out += "  positional values:";
    for (auto p : type.positional) out += fmt::format(" {}", p);
    out += "\n";
  }
  out += fmt::format("  {:<10} {:>12} {:<8} {:<22} {:<9} {}\n", "parameter", "default", "unit",
                     "range", "given on", "meaning");
  for (const auto& p : type.params()) {
    const char* scope = p.scope == Scope::Model ? ".model" : p.scope == Scope::Instance ? "instance" : "both";
    out += fmt::format("  {:<10} {:>12g} {:<8} {:<22} {:<9} {}\n", p.name, p.fallback, p.unit,
                       detail::range_text(p.lo, p.hi), scope, p.doc);
  }
  const std::vector<StateInfo> states = type.states();
  if (!states.empty()) {
    out += fmt::format("  {:<10} {:<8} {}\n", "state", "unit", "meaning (probe @N[state])");
    for (const auto& s : states)
      out += fmt::format("  {:<10} {:<8} {}{}\n", s.name, unit_text(s.unit), s.doc, hold_text(s.hold));
  }
  const std::vector<QuantityInfo> probes = type.probes();
  if (!probes.empty()) {
    out += fmt::format("  {:<10} {:<8} {}\n", "probe", "unit", "meaning (@N[probe])");
    for (const auto& q : probes) out += fmt::format("  {:<10} {:<8} {}\n", q.name, unit_text(q.unit), q.doc);
  }
  return out;
}

}  // namespace ns
