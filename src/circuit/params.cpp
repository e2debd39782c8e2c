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

bool ignore_model_param(std::span<const ParamInfo> table, std::string_view name,
                        const Location& where, std::string_view owner, std::vector<std::string>* warnings) {
  if (!warnings) return false;
  std::vector<std::string_view> names;
  for (const auto& p : table) names.push_back(p.name);
  warnings->push_back(fmt::format("{}: warning: model '{}' has no parameter '{}'{}: ignored, as ngspice does",
                                  where.str(), owner, name, did_you_mean(name, names)));
  return true;
}

std::string range_text(Bound lo, Bound hi) {
  if (lo.value == -inf && hi.value == inf) return "any";
  if (hi.value == inf) return fmt::format("{} {:g}", lo.open ? ">" : ">=", lo.value);
  if (lo.value == -inf) return fmt::format("{} {:g}", hi.open ? "<" : "<=", hi.value);
  return fmt::format("{}{:g}, {:g}{}", lo.open ? "(" : "[", lo.value, hi.value, hi.open ? ")" : "]");
}

void check_range(const ParamInfo& info, double value, const Location& where,
                 std::string_view owner) {
  const bool above_lo = info.lo.open ? value > info.lo.value : value >= info.lo.value;
  const bool below_hi = info.hi.open ? value < info.hi.value : value <= info.hi.value;
  if (above_lo && below_hi) return;
  const bool interval = info.lo.value != -inf && info.hi.value != inf;
  throw InputError(where, fmt::format("parameter '{}' of '{}' is {:g}; it must be {}{}{}", info.name,
                                      owner, value, interval ? "in " : "", range_text(info.lo, info.hi),
                                      info.unit.empty() ? "" : fmt::format(" {}", info.unit)));
}

}  // namespace ns::detail
