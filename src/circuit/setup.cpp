#include <fmt/format.h>

#include "circuit/circuit.hpp"
#include "netlist/suggest.hpp"

namespace ns {

namespace {
Unknown add_unknown(CircuitTables& t, UnknownInfo info) {
  t.unknowns.push_back(std::move(info));
  return static_cast<Unknown>(t.unknowns.size() - 1);
}
}  // namespace

Setup::Setup(CircuitTables& tables, Device& device, std::vector<Unknown> terminals,
             double temperature_kelvin, double gmin)
    : tables_(tables), device_(device), terminals_(std::move(terminals)),
      temperature_(temperature_kelvin), gmin_(gmin) {}

Unknown Setup::internal_node(std::string_view name) {
  const std::string full = fmt::format("{}#{}", device_.name(), name);
  const Unknown u = add_unknown(tables_, {full, UnknownKind::Voltage, 0, "V", 0});
  tables_.nodes.emplace(full, u);
  return u;
}

Unknown Setup::branch() {
  const Unknown u = add_unknown(tables_, {fmt::format("i({})", device_.name()),
                                          UnknownKind::Current, 0, "A", 0});
  tables_.branches.emplace(device_.name(), u);
  return u;
}

Unknown Setup::state(std::string_view name, std::string_view unit, double abstol, double rest) {
  const Unknown u = add_unknown(tables_, {fmt::format("@{}[{}]", device_.name(), name),
                                          UnknownKind::State, abstol, std::string(unit), rest});
  tables_.states[device_.name()].emplace_back(std::string(name), u);
  return u;
}

Unknown Setup::branch_of(std::string_view device, const Location& where) const {
  const auto it = tables_.branches.find(device);
  if (it != tables_.branches.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& [n, u] : tables_.branches) names.push_back(n);
  throw InputError(where, fmt::format("'{}' names '{}' as its controlling source, but no voltage "
                                      "source or other current-defined element has that name{}",
                                      device_.name(), device, did_you_mean(device, names)));
}

Entry CircuitTables::entry(Unknown row, Unknown col) {
  if (row < 0 || col < 0) return no_entry;
  entries.emplace_back(row, col);
  return static_cast<Entry>(entries.size() - 1);
}

Entry Setup::entry(Unknown row, Unknown col) { return tables_.entry(row, col); }

}  // namespace ns
