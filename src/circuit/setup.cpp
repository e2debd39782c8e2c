#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "circuit/circuit.hpp"
#include "circuit/probe.hpp"
#include "circuit/registry.hpp"
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

TransientNoise Setup::transient_noise(double noise) const {
  if (noise == 0 || (std::isnan(noise) && !tables_.noise_all)) return {};
  return TransientNoise(TransientNoise::key(tables_.noise_stream, device_.name()));
}

std::uint64_t Setup::noise_stream() const { return tables_.noise_stream; }

std::shared_ptr<void>& Setup::part_slot(std::string_view kind) {
  auto it = tables_.parts.find(kind);
  if (it == tables_.parts.end()) it = tables_.parts.emplace(std::string(kind), nullptr).first;
  return it->second;
}

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

Unknown Setup::branch(std::string_view port) {
  return add_unknown(tables_, {fmt::format("i({}#{})", device_.name(), port), UnknownKind::Current, 0, "A", 0});
}

Unknown Setup::state(std::string_view name, double abstol, double rest, double magnitude) {
  const std::vector<StateInfo> declared = device_.type().states();
  // A type with a varying number of one kind of state declares it once: "idt" declares
  // "idt2", "idt3"... too.
  const std::string_view kind = name.substr(0, name.find_last_not_of("0123456789") + 1);
  const auto it = std::find_if(declared.begin(), declared.end(),
                               [&](const StateInfo& s) { return s.name == name || s.name == kind; });
  if (it == declared.end())
    throw std::logic_error(fmt::format("device type '{}' claims state '{}', which it does not declare",
                                       device_.type().type, name));
  const Unknown u = add_unknown(tables_, {fmt::format("@{}[{}]", device_.name(), name),
                                          UnknownKind::State, abstol, std::string(it->unit), rest,
                                          magnitude});
  tables_.states[device_.name()].emplace_back(std::string(name), u);
  if (it->hold != Hold::Never) tables_.hold(u, it->hold, rest);
  return u;
}

Unknown Setup::branch_of(std::string_view device, const Location& where) const {
  // ngspice's spelling of a source inside a subcircuit too (i(v.x1.vs) in a top-level B source).
  const auto it = tables_.branches.find(
      our_spelling(device, [&](const std::string& name) { return tables_.branches.contains(name); }));
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
  const auto e = static_cast<Entry>(entries.size() - 1);
  if (static_cast<std::size_t>(row) < held_index.size() && held_index[row] >= 0) {
    HeldState& h = held[static_cast<std::size_t>(held_index[row])];
    h.row.push_back(e);
    if (col == row && h.diagonal == no_entry) h.diagonal = e;
  }
  return e;
}

void CircuitTables::hold(Unknown u, Hold how, double value) {
  if (held_index.size() <= static_cast<std::size_t>(u)) held_index.resize(static_cast<std::size_t>(u) + 1, -1);
  held_index[static_cast<std::size_t>(u)] = static_cast<int>(held.size());
  held.push_back({u, how, value, {}});
}

void Load::hold(const CircuitTables& tables, const Eval& eval) {
  if (eval.mode == Mode::Tran) return;
  for (const HeldState& h : tables.held) {
    if (h.hold == Hold::AtTransientStart && eval.mode != Mode::TranOp) continue;
    if (h.diagonal == no_entry)
      throw std::logic_error(fmt::format("held state {} has no diagonal entry",
                                         tables.unknowns[static_cast<std::size_t>(h.unknown)].name));
    f_[static_cast<std::size_t>(h.unknown)] = eval.x[static_cast<std::size_t>(h.unknown)] - h.value;
    if (!jacobian_) continue;
    for (Entry e : h.row) G_[slot_[e]] = 0;
    G_[slot_[h.diagonal]] += 1;
  }
}

Unknown Setup::node(const std::string& name, const Location& where) const {
  if (is_ground(name)) return ground;
  const auto it = tables_.nodes.find(name);
  if (it != tables_.nodes.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& [n, u] : tables_.nodes) names.push_back(n);
  throw InputError(where, fmt::format("'{}' reads node '{}', which is not in the circuit{}", device_.name(),
                                      name, did_you_mean(name, names)));
}

Entry Setup::entry(Unknown row, Unknown col) { return tables_.entry(row, col); }

void Setup::inductor(Unknown branch, double inductance) {
  tables_.inductors[device_.name()] = {branch, inductance};
}

std::pair<Unknown, double> Setup::inductor_of(std::string_view name, const Location& where) const {
  const auto it = tables_.inductors.find(name);
  if (it != tables_.inductors.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& [n, l] : tables_.inductors) names.push_back(n);
  throw InputError(where, fmt::format("'{}' couples '{}', but the circuit has no inductor of that name{}",
                                      device_.name(), name, did_you_mean(name, names)));
}

void Setup::couple(std::string_view a, std::string_view b, double m, const Location& where) {
  tables_.mutuals.push_back({std::string(a), std::string(b), m, device_.name(), where});
}

void check_mutual_inductances(const CircuitTables& tables, std::vector<std::string>& warnings) {
  // The inductance matrix over the coupled inductors: L on the diagonal, the sum of the
  // mutuals between each pair off it. Cholesky fails on a matrix not positive definite.
  std::vector<std::string> names;
  auto index = [&](const std::string& n) {
    const auto it = std::find(names.begin(), names.end(), n);
    if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
    names.push_back(n);
    return names.size() - 1;
  };
  for (const auto& mu : tables.mutuals) {
    index(mu.a);
    index(mu.b);
  }
  const std::size_t n = names.size();
  std::vector<double> L(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) L[i * n + i] = tables.inductors.find(names[i])->second.second;
  for (const auto& mu : tables.mutuals) {
    const std::size_t i = index(mu.a), j = index(mu.b);
    L[i * n + j] += mu.m;
    L[j * n + i] += mu.m;
  }
  // Perfect coupling (|k| = 1) is singular but passive: pivots down to -1e-9 L are taken as 0.
  for (std::size_t j = 0; j < n; ++j) {
    const double scale = std::abs(L[j * n + j]);
    double d = L[j * n + j];
    for (std::size_t k = 0; k < j; ++k) d -= L[j * n + k] * L[j * n + k];
    if (d < -1e-9 * scale) {
      const CircuitTables::Mutual* last = nullptr;  // the last K card that couples this inductor
      for (const auto& mu : tables.mutuals)
        if (mu.a == names[j] || mu.b == names[j]) last = &mu;
      std::string list;
      for (const auto& nm : names) list += (list.empty() ? "" : ", ") + nm;
      warnings.push_back(fmt::format("{}: warning: with '{}', the inductance matrix of the coupled inductors ({}) "
                                     "is not positive semidefinite: the couplings would store negative energy, "
                                     "and a transient may grow without bound",
                                     last->where.str(), last->device, list));
      return;
    }
    d = d > 1e-9 * scale ? std::sqrt(d) : 0.0;
    L[j * n + j] = d;
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = L[i * n + j];
      for (std::size_t k = 0; k < j; ++k) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = d > 0 ? s / d : 0.0;
    }
  }
}

}  // namespace ns
