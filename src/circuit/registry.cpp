#include "circuit/registry.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace ns {

namespace {
std::map<std::string, DeviceType, std::less<>>& table() {
  static std::map<std::string, DeviceType, std::less<>> types;  // function-local: init order safe
  return types;
}

std::string range_text(double lo, double hi) {
  if (lo == -inf && hi == inf) return "any";
  if (hi == inf) return fmt::format(">= {:g}", lo);
  if (lo == -inf) return fmt::format("<= {:g}", hi);
  return fmt::format("[{:g}, {:g}]", lo, hi);
}
}  // namespace

bool register_device_type(DeviceType type) {
  const std::string key(type.type);
  table().emplace(key, std::move(type));
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
                       range_text(p.lo, p.hi), scope, p.doc);
  }
  return out;
}

}  // namespace ns
