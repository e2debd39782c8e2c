#include "circuit/params.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "netlist/suggest.hpp"

namespace ns::detail {

std::size_t find_param(std::span<const ParamInfo> table, std::string_view name,
                       const Location& where, std::string_view owner, bool on_instance) {
  for (std::size_t k = 0; k < table.size(); ++k) {
    if (table[k].name != name) continue;
    const Scope s = table[k].scope;
    if (on_instance && s == Scope::Model)
      throw InputError(where, fmt::format("parameter '{}' belongs on the .model card, not on "
                                          "instance '{}'", name, owner));
    if (!on_instance && s == Scope::Instance)
      throw InputError(where, fmt::format("parameter '{}' belongs on the instance line, not on "
                                          ".model '{}'", name, owner));
    return k;
  }
  std::vector<std::string_view> names;
  for (const auto& p : table) names.push_back(p.name);
  throw InputError(where, fmt::format("unknown parameter '{}' for '{}'{}", name, owner,
                                      did_you_mean(name, names)));
}

void check_range(const ParamInfo& info, double value, const Location& where,
                 std::string_view owner) {
  if (value >= info.lo && value <= info.hi) return;
  std::string range;
  if (info.hi == inf) range = fmt::format(">= {:g}", info.lo);
  else if (info.lo == -inf) range = fmt::format("<= {:g}", info.hi);
  else range = fmt::format("in [{:g}, {:g}]", info.lo, info.hi);
  throw InputError(where, fmt::format("parameter '{}' of '{}' is {:g}; it must be {}{}", info.name,
                                      owner, value, range,
                                      info.unit.empty() ? "" : fmt::format(" {}", info.unit)));
}

}  // namespace ns::detail
