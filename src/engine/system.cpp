#include "engine/system.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>

#include <fmt/format.h>

#include "engine/workers.hpp"

namespace ns {

System::System(const Circuit& circuit) : circuit_(circuit) {
  const auto& entries = circuit.tables().entries;
  const std::size_t n = circuit.size();
  // The entries by column (a counting pass), then by row within each column: a sort of the
  // whole list by (column, row) was a tenth of a 256x256 crossbar's .op.
  std::vector<int> order(entries.size());
  {
    std::vector<std::size_t> next(n + 1, 0);
    for (const auto& e : entries) ++next[static_cast<std::size_t>(e.second) + 1];
    std::partial_sum(next.begin(), next.end(), next.begin());
    const std::vector<std::size_t> start = next;
    for (std::size_t k = 0; k < entries.size(); ++k) order[next[static_cast<std::size_t>(entries[k].second)]++] = static_cast<int>(k);
    for (std::size_t col = 0; col < n; ++col)
      std::sort(order.begin() + static_cast<std::ptrdiff_t>(start[col]), order.begin() + static_cast<std::ptrdiff_t>(start[col + 1]),
                [&](int a, int b) { return entries[a].first < entries[b].first; });
  }
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
  reltol_ = o.reltol;
  for (const UnknownInfo& info : circuit.tables().unknowns) {
    absolute_.push_back(info.abstol > 0 ? info.abstol : info.kind == UnknownKind::Current ? o.abstol : o.vntol);
    magnitude_.push_back(info.magnitude);
  }
  plan();
}

void System::use_threads(std::span<const int> chunk, std::shared_ptr<Workers> workers) {
  chunk_.assign(chunk.begin(), chunk.end());
  workers_ = std::move(workers);
  plan();
}

void System::stamp_linear(bool on) {
  linear_.clear();
  linear_G_.clear();
  linear_C_.clear();
  linear_u_.clear();
  linear_row_start_.clear();
  linear_column_.clear();
  linear_value_.clear();
  c_row_start_.clear();
  c_entry_.clear();
  c_column_.clear();
  stamp_ = 0;
  const auto& devices = circuit_.devices();
  if (!on ||
      std::none_of(devices.begin(), devices.end(),
                   [](const auto& d) { return d->linear() || d->constant_source() || d->constant_charges(); }) ||
      nonzeros() > std::numeric_limits<std::uint32_t>::max())
    return plan();
  static std::atomic<std::uint64_t> stamps{0};
  stamp_ = ++stamps;
  linear_.assign(devices.size(), 0);
  linear_G_.assign(nonzeros(), 0.0);
  linear_C_.assign(nonzeros(), 0.0);
  std::vector<double> f(size()), u(size()), x(size(), 0.0);
  Load load(f, {}, u, linear_G_, linear_C_, slot_);
  for (std::size_t k = 0; k < devices.size(); ++k)
    if (devices[k]->linear() || devices[k]->constant_source()) {
      linear_[k] = 1;
      devices[k]->load({x, Mode::Tran, 0, circuit_.options().gmin}, load);
    }
  linear_u_ = u;  // the constant sources'
  // The constant charges' C, after every linear device's (their f, u and G are dropped).
  std::vector<double> dropped(nonzeros(), 0.0);
  Load charges(f, {}, u, dropped, linear_C_, slot_);
  for (std::size_t k = 0; k < devices.size(); ++k)
    if (!devices[k]->linear() && devices[k]->constant_charges()) {
      linear_[k] = 2;
      devices[k]->load({x, Mode::Tran, 0, circuit_.options().gmin}, charges);
    }
  linear_row_start_.assign(1, 0);
  for (std::size_t i = 0; i < size(); ++i) {
    for (auto k = row_start_[i]; k < row_start_[i + 1]; ++k)
      if (const double g = linear_G_[static_cast<std::size_t>(row_entry_[k])]; g != 0) {
        linear_column_.push_back(static_cast<std::uint32_t>(row_column_[k]));
        linear_value_.push_back(g);
      }
    linear_row_start_.push_back(static_cast<std::int64_t>(linear_column_.size()));
  }
  // C can be non-zero where the linear C is, and where the other devices load.
  std::vector<char> charged(nonzeros(), 0);
  for (std::size_t k = 0; k < nonzeros(); ++k) charged[k] = linear_C_[k] != 0;
  for (std::size_t d = 0; d < devices.size(); ++d)
    if (linear_[d] == 0)
      for (auto [e, end] = circuit_.entries_of(d); e < end; ++e) charged[static_cast<std::size_t>(slot_[e])] = 1;
  c_row_start_.assign(1, 0);
  for (std::size_t i = 0; i < size(); ++i) {
    for (auto k = row_start_[i]; k < row_start_[i + 1]; ++k)
      if (charged[static_cast<std::size_t>(row_entry_[k])]) {
        c_entry_.push_back(static_cast<std::uint32_t>(row_entry_[k]));
        c_column_.push_back(static_cast<std::uint32_t>(row_column_[k]));
      }
    c_row_start_.push_back(static_cast<std::int64_t>(c_entry_.size()));
  }
  plan();
}

void System::plan() {
  ++plans_;
  const auto& devices = circuit_.devices();
  shared_ = {};
  groups_.assign(chunk_.empty() ? 1 : static_cast<std::size_t>(*std::max_element(chunk_.begin(), chunk_.end()) + 1),
                 Group{});
  auto group_of_row = [&](std::int64_t row) -> Group& {
    return groups_[chunk_.empty() ? 0 : static_cast<std::size_t>(chunk_[static_cast<std::size_t>(row)])];
  };
  for (std::size_t k = 0; k < devices.size(); ++k) {
    const auto& rows = circuit_.rows_of(k);
    Group* home = &groups_[0];
    if (!chunk_.empty()) {
      const int c = rows.empty() ? 0 : chunk_[static_cast<std::size_t>(rows.front())];
      home = &groups_[static_cast<std::size_t>(c)];
      for (Unknown r : rows)
        if (chunk_[static_cast<std::size_t>(r)] != c) home = &shared_;
    }
    home->devices.push_back(k);
    if (!stamp_ || linear_[k] == 1) continue;
    home->loaded.push_back({devices[k].get(), linear_[k] != 2});
    for (auto [e, end] = circuit_.entries_of(k); e < end; ++e) {
      const auto at = static_cast<std::size_t>(slot_[e]);
      Group& g = group_of_row(row_[at]);
      g.reset_G.push_back(static_cast<std::uint32_t>(at));
      if (linear_[k] == 0) g.reset_C.push_back(static_cast<std::uint32_t>(at));
    }
    for (Unknown r : rows) group_of_row(r).rows.push_back(static_cast<std::uint32_t>(r));
  }
  // Each list sorted, without repeats: by marks when it covers much of its range (a
  // sort of a 256x256 crossbar's positions was 1.7 % of its pulse), else by a sort.
  std::vector<char> marked;
  auto sort_unique = [&](std::vector<std::uint32_t>& v, std::size_t range) {
    if (v.size() < range / 8) {
      std::sort(v.begin(), v.end());
      v.erase(std::unique(v.begin(), v.end()), v.end());
      return;
    }
    marked.assign(range, 0);
    for (std::uint32_t k : v) marked[k] = 1;
    v.clear();
    for (std::size_t k = 0; k < range; ++k)
      if (marked[k]) v.push_back(static_cast<std::uint32_t>(k));
  };
  for (Group& g : groups_) {
    sort_unique(g.reset_G, nonzeros());
    sort_unique(g.reset_C, nonzeros());
    sort_unique(g.rows, size());
  }
}

Assembly System::make_assembly() const {
  const std::size_t n = size(), nnz = nonzeros();
  return {std::vector<double>(n), std::vector<double>(n), std::vector<double>(nnz),
          std::vector<double>(nnz), std::vector<double>(n), {}};
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

// row(i) for every row i < n, in ranges of rows, each range one thread's piece on
// `workers` when there are some. Each row is summed by one thread alone, so the result
// does not depend on the number of threads.
template <class Row>
void by_rows(std::size_t n, Workers* workers, Row row) {
  constexpr std::size_t rows = 4096;
  auto range = [&](std::size_t piece) {
    for (std::size_t i = piece * rows, end = std::min(n, (piece + 1) * rows); i < end; ++i) row(i);
  };
  const std::size_t pieces = (n + rows - 1) / rows;
  if (workers) workers->run(pieces, range);
  else for (std::size_t p = 0; p < pieces; ++p) range(p);
}

// Zero the arrays, or copy into them where a source is given, in pieces on `workers` when
// there are some (memory-bound: a few MB a residual on a large circuit).
void fill(std::initializer_list<std::pair<std::vector<double>*, const std::vector<double>*>> arrays,
          Workers* workers) {
  constexpr std::size_t piece = 16384;
  auto pieces = [](const std::vector<double>* a) { return (a->size() + piece - 1) / piece; };
  auto one = [&](std::size_t p) {
    for (const auto& [a, from] : arrays) {
      if (p < pieces(a)) {
        const std::size_t begin = p * piece, end = std::min(a->size(), (p + 1) * piece);
        if (from) std::copy(from->begin() + static_cast<std::ptrdiff_t>(begin),
                            from->begin() + static_cast<std::ptrdiff_t>(end),
                            a->begin() + static_cast<std::ptrdiff_t>(begin));
        else std::fill(a->begin() + static_cast<std::ptrdiff_t>(begin), a->begin() + static_cast<std::ptrdiff_t>(end), 0.0);
        return;
      }
      p -= pieces(a);
    }
  };
  std::size_t total = 0;
  for (const auto& array : arrays) total += pieces(array.first);
  if (workers) workers->run(total, one);
  else for (std::size_t p = 0; p < total; ++p) one(p);
}

// devices[k]->load for each k in `order`. On a large circuit the device objects (a few
// hundred bytes each, scattered over the heap between the linear ones that are not
// loaded) are the residual's largest memory traffic, and each load began with a cache miss
// on its object: the objects a few places ahead are asked for early (the first four cache
// lines of each, which hold a model's parameters and an independent source's waveform).
void load_each(const std::vector<std::unique_ptr<Device>>& devices, std::span<const std::size_t> order,
               const Eval& eval, Load& load) {
  constexpr std::size_t ahead = 8;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i + ahead < order.size()) {
      const char* next = reinterpret_cast<const char*>(devices[order[i + ahead]].get());
      for (int line = 0; line < 4; ++line) __builtin_prefetch(next + 64 * line);
    }
    devices[order[i]]->load(eval, load);
  }
}

// The same for a group's stamped list (System::Group::loaded): a device whose constant
// charges are stamped already loads without them.
template <class Loaded>
void load_each(std::span<const Loaded> loaded, const Eval& eval, Load& load) {
  constexpr std::size_t ahead = 8;
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    if (i + ahead < loaded.size()) {
      const char* next = reinterpret_cast<const char*>(loaded[i + ahead].device);
      for (int line = 0; line < 4; ++line) __builtin_prefetch(next + 64 * line);
    }
    load.charges(loaded[i].charges);
    loaded[i].device->load(eval, load);
  }
  load.charges(true);
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
  const auto& devices = circuit_.devices();
  auto loader = [&] {
    Load load(out.f, out.q, out.u, out.G, out.C, slot_);
    load.record_noise(out.noise);
    if (!jacobian) load.skip_jacobian();
    return load;
  };
  if (!stamp_ || eval.mode != Mode::Tran) {
    fill({{&out.f, nullptr}, {&out.u, nullptr}, {jacobian ? &out.G : &unused, nullptr}, {&out.C, nullptr},
          {&out.noise, nullptr}},
         workers_.get());
    out.linear_G = out.linear_C = 0;
    if (!out.q.empty()) std::fill(out.q.begin(), out.q.end(), 0.0);
    auto each = [&](std::size_t g) {
      Load own = loader();  // one per thread
      load_each(devices, groups_[g].devices, eval, own);
    };
    if (recorded()) {
      const std::span<const std::size_t> all = groups_[0].devices;
      load_recorded(all.size(), loader, [&](std::size_t from, std::size_t to, Load& own) {
        load_each(devices, all.subspan(from, to - from), eval, own);
      });
    } else if (workers_) workers_->run(groups_.size(), each);
    else for (std::size_t g = 0; g < groups_.size(); ++g) each(g);
    Load load = loader();
    for (std::size_t k : shared_.devices) devices[k]->load(eval, load);
    load.hold(circuit_.tables(), eval);
    return !jacobian || all_finite(out);
  }
  // The linear devices' part, stamped: G and C copied once into `out` (after that only the
  // positions the other devices load are set back to it), f = G x row by row.
  start_from_stamp(out, jacobian);
  by_rows(size(), workers_.get(), [&](std::size_t i) { out.f[i] = linear_f(eval, i); });
  // The charges, when wanted: the stamped linear devices' C x, then every other device's q.
  if (!out.q.empty()) multiply(linear_C_, eval.x, out.q);
  auto each = [&](std::size_t g) {
    const Group& group = groups_[g];
    for (const std::uint32_t k : group.reset_C) out.C[k] = linear_C_[k];
    if (jacobian)
      for (const std::uint32_t k : group.reset_G) out.G[k] = linear_G_[k];
    for (const std::uint32_t r : group.rows) {
      out.u[r] = linear_u_[r];
      out.noise[r] = 0.0;
    }
    Load own = loader();  // one per thread
    if (!recorded()) return load_each<Group::Loaded>(group.loaded, eval, own);
    const std::span<const Group::Loaded> all = group.loaded;
    load_recorded(all.size(), loader, [&](std::size_t from, std::size_t to, Load& slice) {
      load_each<Group::Loaded>(all.subspan(from, to - from), eval, slice);
    });
  };
  if (workers_ && !recorded()) workers_->run(groups_.size(), each);
  else for (std::size_t g = 0; g < groups_.size(); ++g) each(g);
  Load load = loader();
  load_each<Group::Loaded>(shared_.loaded, eval, load);
  load.hold(circuit_.tables(), eval);
  return !jacobian || all_finite(out);
}

void System::start_from_stamp(Assembly& out, bool jacobian) const {
  std::vector<double> unused;
  const bool copy_G = jacobian && out.linear_G != stamp_, copy_C = out.linear_C != stamp_;
  if (copy_G || copy_C)
    fill({{&out.u, &linear_u_}, {copy_G ? &out.G : &unused, &linear_G_}, {copy_C ? &out.C : &unused, &linear_C_},
          {&out.noise, nullptr}},
         workers_.get());
  if (jacobian) out.linear_G = stamp_;
  out.linear_C = stamp_;
}

System::Part System::part(std::span<const std::size_t> rows) const {
  Part part{stamp_, plans_, {}};
  if (!stamp_) return part;
  std::vector<char> wanted(size(), 0);
  for (std::size_t r : rows) wanted[r] = 1;
  std::vector<char> touched = wanted;
  const auto& devices = circuit_.devices();
  std::vector<char> in_part(devices.size(), 0);
  for (std::size_t k = 0; k < devices.size(); ++k)
    for (Unknown r : circuit_.rows_of(k)) in_part[k] = in_part[k] || wanted[static_cast<std::size_t>(r)];
  std::vector<const Device*> order;  // the devices' objects, as Group::loaded holds them
  auto take = [&](const Group& g) {
    for (std::size_t i = 0, l = 0; i < g.devices.size(); ++i) {
      const std::size_t k = g.devices[i];
      if (linear_[k] == 1) continue;
      const Group::Loaded& loaded = g.loaded[l++];
      if (!in_part[k]) continue;
      part.group.loaded.push_back(loaded);
      for (Unknown r : circuit_.rows_of(k)) touched[static_cast<std::size_t>(r)] = 1;
      for (auto [e, end] = circuit_.entries_of(k); e < end; ++e) {
        const auto at = static_cast<std::uint32_t>(slot_[e]);
        part.group.reset_G.push_back(at);
        if (linear_[k] == 0) part.group.reset_C.push_back(at);
      }
    }
  };
  for (const Group& g : groups_) take(g);
  take(shared_);
  for (auto* v : {&part.group.reset_G, &part.group.reset_C}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  for (std::size_t i = 0; i < size(); ++i)
    if (touched[i]) part.group.rows.push_back(static_cast<std::uint32_t>(i));
  return part;
}

bool System::evaluate(const Eval& eval, Assembly& out, bool jacobian, const Part& part) const {
  if (!stamp_ || eval.mode != Mode::Tran || part.stamp != stamp_ || part.plan != plans_ || !out.q.empty())
    return evaluate(eval, out, jacobian);
  start_from_stamp(out, jacobian);
  const Group& g = part.group;
  for (const std::uint32_t k : g.reset_C) out.C[k] = linear_C_[k];
  if (jacobian)
    for (const std::uint32_t k : g.reset_G) out.G[k] = linear_G_[k];
  by_rows(g.rows.size(), g.rows.size() > 4096 ? workers_.get() : nullptr, [&](std::size_t k) {
    const std::uint32_t r = g.rows[k];
    out.f[r] = linear_f(eval, r);
    out.u[r] = linear_u_[r];
    out.noise[r] = 0.0;
  });
  Load load(out.f, out.q, out.u, out.G, out.C, slot_);
  load.record_noise(out.noise);
  if (!jacobian) load.skip_jacobian();
  load_each<Group::Loaded>(g.loaded, eval, load);
  return !jacobian || all_finite(out);
}

template <class Loader, class Range>
void System::load_recorded(std::size_t count, const Loader& loader, const Range& range) const {
  // More slices than threads: the devices' costs differ (a BSIM4 transistor against a
  // source), a thread that is done takes the next slice, and the replay of the first
  // slices goes on while the last are loaded.
  const std::size_t slices = std::max<std::size_t>(1, std::min<std::size_t>(count, 16 * workers_->threads()));
  if (tapes_.size() < slices) tapes_.resize(slices);
  std::vector<std::atomic<bool>> done(slices);
  std::mutex replaying;
  std::size_t replayed = 0;  // under `replaying`: the tapes before it are made
  // The tapes that are ready, in order, by whichever thread holds the lock; one that cannot
  // take it goes back to loading, and what is left is replayed after the loop.
  auto replay_ready = [&] {
    for (std::unique_lock lock(replaying, std::try_to_lock); lock && replayed < slices && done[replayed];)
      Load::replay(tapes_[replayed++]);
  };
  workers_->run(slices, [&](std::size_t s) {
    Load own = loader();
    tapes_[s].clear();
    own.record_to(&tapes_[s]);
    range(count * s / slices, count * (s + 1) / slices, own);
    done[s] = true;
    replay_ready();
  });
  for (; replayed < slices; ++replayed) Load::replay(tapes_[replayed]);
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
  by_rows(size(), workers_.get(), [&](std::size_t i) {
    double sum = 0.0;
    for (auto k = row_start_[i]; k < row_start_[i + 1]; ++k) sum += values[row_entry_[k]] * v[row_column_[k]];
    out[i] = sum;
  });
}

long System::residual(const Assembly& a, std::span<const double> xp, std::span<double> out) const {
  const bool compact = stamp_ && a.linear_C == stamp_;
  // The first row that is not finite, whichever thread finds it (no allocation per call).
  std::atomic<long> bad{std::numeric_limits<long>::max()};
  by_rows(size(), workers_.get(), [&](std::size_t i) {
    double sum = 0.0;
    if (compact)
      for (auto k = c_row_start_[i]; k < c_row_start_[i + 1]; ++k)
        sum += a.C[c_entry_[static_cast<std::size_t>(k)]] * xp[c_column_[static_cast<std::size_t>(k)]];
    else
      for (auto k = row_start_[i]; k < row_start_[i + 1]; ++k) sum += a.C[row_entry_[k]] * xp[row_column_[k]];
    out[i] = sum + a.f[i] - a.u[i];
    if (!std::isfinite(out[i])) {
      long first = bad.load();
      while (static_cast<long>(i) < first && !bad.compare_exchange_weak(first, static_cast<long>(i))) {
      }
    }
  });
  const long first = bad.load();
  return first == std::numeric_limits<long>::max() ? -1 : first;
}

std::string System::unknown_name(Unknown u) const {
  const UnknownInfo& info = circuit_.tables().unknowns.at(static_cast<std::size_t>(u));
  return info.kind == UnknownKind::Voltage ? "v(" + info.name + ")" : info.name;
}


}  // namespace ns
