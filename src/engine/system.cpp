#include "engine/system.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

namespace ns {

System::System(const Circuit& circuit) : circuit_(circuit) {
  const auto& entries = circuit.tables().entries;
  std::vector<int> order(entries.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return std::pair(entries[a].second, entries[a].first) < std::pair(entries[b].second, entries[b].first);
  });
  const std::size_t n = circuit.size();
  column_start_.assign(n + 1, 0);
  slot_.resize(entries.size());
  diagonal_.assign(n, -1);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto [row, col] = entries[order[k]];
    if (k == 0 || entries[order[k - 1]] != entries[order[k]]) {  // a new position
      if (row == col) diagonal_[row] = static_cast<int>(row_.size());
      row_.push_back(row);
      ++column_start_[col + 1];
    }
    slot_[order[k]] = static_cast<int>(row_.size() - 1);
  }
  std::partial_sum(column_start_.begin(), column_start_.end(), column_start_.begin());
}

Assembly System::make_assembly() const {
  const std::size_t n = size(), nnz = nonzeros();
  return {std::vector<double>(n), std::vector<double>(n), std::vector<double>(nnz),
          std::vector<double>(nnz), std::vector<double>(n)};
}

void noise_floor(const std::vector<double>& rows, std::vector<double>& floor,
                 const std::function<void(std::vector<double>&)>& solve) {
  if (std::all_of(rows.begin(), rows.end(), [](double r) { return r == 0; })) {
    floor.clear();
    return;
  }
  floor = rows;
  solve(floor);
  for (double& x : floor) x = std::isfinite(x) ? 2 * std::abs(x) : 0.0;
}

namespace {

bool all_finite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}
bool all_finite(const Assembly& a) {
  return all_finite(a.f) && all_finite(a.u) && all_finite(a.G) && all_finite(a.C);
}

}  // namespace

bool System::evaluate(const Eval& eval, Assembly& out, bool jacobian) const {
  std::fill(out.f.begin(), out.f.end(), 0.0);
  std::fill(out.u.begin(), out.u.end(), 0.0);
  if (jacobian) std::fill(out.G.begin(), out.G.end(), 0.0);
  std::fill(out.C.begin(), out.C.end(), 0.0);
  std::fill(out.noise.begin(), out.noise.end(), 0.0);
  Load load(out.f, {}, out.u, out.G, out.C, slot_);
  load.record_noise(out.noise);
  if (!jacobian) load.skip_jacobian();
  for (const auto& device : circuit_.devices()) device->load(eval, load);
  load.hold(circuit_.tables(), eval);
  return !jacobian || all_finite(out);
}

std::string System::non_finite_source(const Eval& eval) const {
  const auto& devices = circuit_.devices();
  Assembly a = make_assembly();
  auto load_first = [&](std::size_t count) {  // devices [0, count) only
    for (auto* v : {&a.f, &a.u, &a.G, &a.C}) std::fill(v->begin(), v->end(), 0.0);
    Load load(a.f, {}, a.u, a.G, a.C, slot_);
    for (std::size_t k = 0; k < count; ++k) devices[k]->load(eval, load);
  };
  // A sum stays non-finite once a term is, so the first device after which the assembly
  // is not finite is found by bisection: log2(devices) evaluations.
  std::size_t good = 0, bad = devices.size();
  load_first(bad);
  if (all_finite(a)) return {};
  while (bad - good > 1) {
    const std::size_t mid = good + (bad - good) / 2;
    load_first(mid);
    (all_finite(a) ? good : bad) = mid;
  }
  const std::size_t k = bad - 1;
  // The device alone: which entry, and the unknowns it touches (the rows it loads).
  for (auto* v : {&a.f, &a.u, &a.G, &a.C}) std::fill(v->begin(), v->end(), 0.0);
  Load load(a.f, {}, a.u, a.G, a.C, slot_);
  devices[k]->load(eval, load);
  std::string what = "its Jacobian";
  double bad_value = NAN;
  for (const auto& [name, values] : {std::pair{"f", &a.f}, std::pair{"u", &a.u}})
    for (std::size_t i = 0; i < values->size(); ++i)
      if (!std::isfinite((*values)[i]) && what == "its Jacobian") {
        what = fmt::format("{} at {}", name, unknown_name(static_cast<Unknown>(i)));
        bad_value = (*values)[i];
      }
  if (what == "its Jacobian")
    for (const auto* values : {&a.G, &a.C})
      for (double v : *values)
        if (!std::isfinite(v)) bad_value = v;
  std::string there;
  for (std::size_t i = 0; i < a.f.size(); ++i) {
    bool touched = a.f[i] != 0 || a.u[i] != 0;
    for (auto j = column_start_[i]; j < column_start_[i + 1]; ++j)
      touched = touched || a.G[j] != 0 || a.C[j] != 0;  // column i: depends on unknown i
    if (touched)
      there += fmt::format("{}{} = {:.6g}", there.empty() ? "" : ", ",
                           unknown_name(static_cast<Unknown>(i)), eval.x[i]);
  }
  const std::string why = devices[k]->explain_non_finite(eval);
  return fmt::format("device '{}' ({}) produced {} in {}{}{}{}", devices[k]->name(),
                     circuit_.device_type(k), std::isnan(bad_value) ? "NaN" : fmt::format("{}", bad_value), what,
                     eval.mode == Mode::Tran ? fmt::format(" at t = {:.6g} s", eval.time) : "",
                     why.empty() ? "" : ": " + why, there.empty() ? "" : "; there " + there);
}

void System::multiply(const std::vector<double>& values, std::span<const double> v,
                      std::span<double> out) const {
  std::fill(out.begin(), out.end(), 0.0);
  for (std::size_t col = 0; col < size(); ++col)
    for (auto k = column_start_[col]; k < column_start_[col + 1]; ++k)
      out[static_cast<std::size_t>(row_[k])] += values[k] * v[col];
}

std::string System::unknown_name(Unknown u) const {
  const UnknownInfo& info = circuit_.tables().unknowns.at(static_cast<std::size_t>(u));
  return info.kind == UnknownKind::Voltage ? "v(" + info.name + ")" : info.name;
}


double System::tolerance(std::size_t u, double size) const {
  const auto& info = circuit_.tables().unknowns[u];
  const Options& o = circuit_.options();
  const double abs = info.abstol > 0 ? info.abstol : info.kind == UnknownKind::Current ? o.abstol : o.vntol;
  return o.reltol * (info.magnitude > 0 ? info.magnitude : size) + abs;
}

}  // namespace ns
