#include "engine/system.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "engine/workers.hpp"

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
  row_start_.assign(n + 1, 0);
  for (const auto r : row_) ++row_start_[static_cast<std::size_t>(r) + 1];
  std::partial_sum(row_start_.begin(), row_start_.end(), row_start_.begin());
  row_entry_.resize(row_.size());
  row_column_.resize(row_.size());
  std::vector<std::int64_t> next(row_start_.begin(), row_start_.end() - 1);
  for (std::size_t col = 0; col < n; ++col)
    for (auto k = column_start_[col]; k < column_start_[col + 1]; ++k) {
      const auto at = static_cast<std::size_t>(next[static_cast<std::size_t>(row_[k])]++);
      row_entry_[at] = k;
      row_column_[at] = static_cast<std::int64_t>(col);
    }
  // tolerance() is asked for every unknown at every Newton iteration and step: read from
  // these rather than from the unknowns' table (names and all, 100 bytes an unknown).
  const Options& o = circuit.options();
  for (const UnknownInfo& info : circuit.tables().unknowns) {
    absolute_.push_back(info.abstol > 0 ? info.abstol : info.kind == UnknownKind::Current ? o.abstol : o.vntol);
    magnitude_.push_back(info.magnitude);
  }
}

void System::use_threads(std::span<const int> chunk, std::shared_ptr<Workers> workers) {
  chunk_devices_.clear();
  shared_devices_.clear();
  workers_ = std::move(workers);
  if (chunk.empty()) return;
  const int chunks = *std::max_element(chunk.begin(), chunk.end()) + 1;
  chunk_devices_.resize(static_cast<std::size_t>(chunks));
  for (std::size_t k = 0; k < circuit_.devices().size(); ++k) {
    const auto& rows = circuit_.rows_of(k);
    int home = rows.empty() ? 0 : chunk[static_cast<std::size_t>(rows.front())];
    for (Unknown r : rows)
      if (chunk[static_cast<std::size_t>(r)] != home) home = -1;
    if (home >= 0) chunk_devices_[static_cast<std::size_t>(home)].push_back(k);
    else shared_devices_.push_back(k);
  }
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

// Zero the arrays, in pieces on `workers` when there are some (memory-bound: a few MB a
// residual on a large circuit).
void zero(std::initializer_list<std::vector<double>*> arrays, Workers* workers) {
  constexpr std::size_t piece = 16384;
  auto pieces = [](const std::vector<double>* a) { return (a->size() + piece - 1) / piece; };
  auto one = [&](std::size_t p) {
    for (std::vector<double>* a : arrays) {
      if (p < pieces(a)) {
        std::fill(a->begin() + static_cast<std::ptrdiff_t>(p * piece),
                  a->begin() + static_cast<std::ptrdiff_t>(std::min(a->size(), (p + 1) * piece)), 0.0);
        return;
      }
      p -= pieces(a);
    }
  };
  std::size_t total = 0;
  for (const std::vector<double>* a : arrays) total += pieces(a);
  if (workers) workers->run(total, one);
  else for (std::size_t p = 0; p < total; ++p) one(p);
}

bool all_finite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}
bool all_finite(const Assembly& a) {
  return all_finite(a.f) && all_finite(a.u) && all_finite(a.G) && all_finite(a.C);
}

}  // namespace

bool System::evaluate(const Eval& eval, Assembly& out, bool jacobian) const {
  std::vector<double> unused;
  zero({&out.f, &out.u, jacobian ? &out.G : &unused, &out.C, &out.noise}, workers_.get());
  auto loader = [&] {
    Load load(out.f, {}, out.u, out.G, out.C, slot_);
    load.record_noise(out.noise);
    if (!jacobian) load.skip_jacobian();
    return load;
  };
  const auto& devices = circuit_.devices();
  Load load = loader();
  if (chunk_devices_.empty()) {
    for (const auto& device : devices) device->load(eval, load);
  } else {
    workers_->run(chunk_devices_.size(), [&](std::size_t c) {
      Load own = loader();  // one per thread
      for (std::size_t k : chunk_devices_[c]) devices[k]->load(eval, own);
    });
    for (std::size_t k : shared_devices_) devices[k]->load(eval, load);
  }
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
  constexpr std::size_t rows = 4096;  // a range of rows: one thread's piece
  auto range = [&](std::size_t piece) {
    const std::size_t end = std::min(size(), (piece + 1) * rows);
    for (std::size_t i = piece * rows; i < end; ++i) {
      double sum = 0.0;
      for (auto k = row_start_[i]; k < row_start_[i + 1]; ++k) sum += values[row_entry_[k]] * v[row_column_[k]];
      out[i] = sum;
    }
  };
  const std::size_t pieces = (size() + rows - 1) / rows;
  if (workers_) workers_->run(pieces, range);
  else for (std::size_t p = 0; p < pieces; ++p) range(p);
}

std::string System::unknown_name(Unknown u) const {
  const UnknownInfo& info = circuit_.tables().unknowns.at(static_cast<std::size_t>(u));
  return info.kind == UnknownKind::Voltage ? "v(" + info.name + ")" : info.name;
}


double System::tolerance(std::size_t u, double size) const {
  return circuit_.options().reltol * (magnitude_[u] > 0 ? magnitude_[u] : size) + absolute_[u];
}

}  // namespace ns
