#pragma once
// Parameter tables. Each model declares its parameters once, as a table of Param<P>
// bound to the fields of its parameter struct P; the same table fills P from .model and
// instance cards, checks ranges with located messages, and prints `--describe`.
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "netlist/netlist.hpp"

namespace ns {

inline constexpr double inf = std::numeric_limits<double>::infinity();

enum class Scope { Model, Instance, Both };  // where a parameter may be given

// One end of a parameter's allowed range: closed (the value itself allowed) unless made
// open with above() or below(). A plain number converts to a closed bound.
struct Bound {
  double value;
  bool open = false;
  constexpr Bound(double v, bool is_open = false) : value(v), open(is_open) {}
};
constexpr Bound above(double v) { return {v, true}; }  // lower bound: > v ("positive": above(0))
constexpr Bound below(double v) { return {v, true}; }  // upper bound: < v

template <class P>
struct Param {
  std::string_view name;  // lower-case
  double P::*field;
  double fallback;        // default when not given
  Bound lo, hi;           // allowed range
  std::string_view unit;
  std::string_view doc;   // one line
  Scope scope = Scope::Model;
  bool required = false;  // no usable default: the card must give it (R's resistance, E's gain)
};

struct ParamInfo {  // type-erased row, for --describe and messages
  std::string_view name, unit, doc;
  double fallback;
  Bound lo, hi;
  Scope scope;
};

// What a device factory gets: the element card and its .model card (or null).
struct DeviceInput {
  const Element& element;
  const Model* model;
  // Positional values on the card, in order, are these parameters (R: {"r"}, D: {"area"}).
  std::span<const std::string_view> positional;
  // Where a .model parameter the device does not have is reported and then ignored, as
  // ngspice does (vendor cards carry PSpice's extensions: a JFET's Isr, Nr, Alpha, Vk).
  // Without it, such a parameter is an InputError.
  std::vector<std::string>* warnings = nullptr;
  // What the devices made from one .model card share, for one circuit build, keyed by the
  // card: what a device derives from its card alone, made by the first (the 1T1R cell's
  // part cards). Null: nothing shared.
  std::map<const Model*, std::shared_ptr<const void>>* shared = nullptr;
};

namespace detail {
// Locate a parameter by name; throws InputError naming `where` with a suggestion.
std::size_t find_param(std::span<const ParamInfo> table, std::string_view name,
                       const Location& where, std::string_view owner, bool on_instance);
void check_range(const ParamInfo& info, double value, const Location& where,
                 std::string_view owner);
// A .model parameter not in `table`: a warning in `warnings` when given (true), else false.
bool ignore_model_param(std::span<const ParamInfo> table, std::string_view name,
                        const Location& where, std::string_view owner, std::vector<std::string>* warnings);
// "any", ">= 0", "> 0", "<= 1", "[0, 1]", "(0, 1e-06]" ...
std::string range_text(Bound lo, Bound hi);
}  // namespace detail

template <class P>
ParamInfo info_of(const Param<P>& p) {
  return {p.name, p.unit, p.doc, p.fallback, p.lo, p.hi, p.scope};
}

template <class P>
std::vector<ParamInfo> describe(std::span<const Param<P>> table) {
  std::vector<ParamInfo> rows;
  rows.reserve(table.size());
  for (const auto& p : table) rows.push_back(info_of(p));
  return rows;
}

// Fill P: defaults, then the .model card, then the instance's positional values and
// name=value pairs. Unknown names, wrong scope and out-of-range values are InputErrors.
// `given`, when not null, records which parameters were given explicitly.
template <class P>
P resolve(std::span<const Param<P>> table, const DeviceInput& in,
          std::vector<bool>* given = nullptr) {
  P p{};
  for (const auto& row : table) p.*(row.field) = row.fallback;
  std::vector<bool> seen(table.size(), false);
  auto set = [&](std::string_view name, double value, const Location& where, bool on_instance) {
    const std::string_view owner = on_instance ? std::string_view(in.element.name)
                                               : std::string_view(in.model->name);
    // Run once per parameter of every instance (a crossbar has 65536): the table is
    // searched in place, and find_param, which explains a miss, runs only on one.
    std::size_t k = 0;
    while (k < table.size() && table[k].name != name) ++k;
    if (k == table.size() && !on_instance &&
        detail::ignore_model_param(describe(table), name, where, owner, in.warnings))
      return;
    if (k == table.size() || table[k].scope == (on_instance ? Scope::Model : Scope::Instance))
      k = detail::find_param(describe(table), name, where, owner, on_instance);  // throws
    detail::check_range(info_of(table[k]), value, where, owner);
    p.*(table[k].field) = value;
    seen[k] = true;
  };
  if (in.model)
    for (const auto& a : in.model->params)
      if (a.name != "level") set(a.name, a.value, a.where, false);
  const auto& values = in.element.values;
  if (values.size() > in.positional.size())
    throw InputError(values[in.positional.size()].where,
                     "too many values on '" + in.element.name + "'");
  for (std::size_t i = 0; i < values.size(); ++i)
    set(in.positional[i], values[i].value, values[i].where, true);
  for (const auto& a : in.element.params) set(a.name, a.value, a.where, true);
  for (std::size_t k = 0; k < table.size(); ++k)
    if (table[k].required && !seen[k])
      throw InputError(in.element.where, "'" + in.element.name + "' has no value for '" +
                                             std::string(table[k].name) + "' (" + std::string(table[k].doc) + ")");
  if (given) *given = std::move(seen);
  return p;
}

}  // namespace ns
