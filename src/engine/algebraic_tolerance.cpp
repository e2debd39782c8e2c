#include "engine/algebraic_tolerance.hpp"

#include <algorithm>
#include <cmath>

namespace ns {

namespace {
// A node whose equation passes on more than this many times its own tolerance: a gain node.
constexpr double high_gain = 100;
}  // namespace

AlgebraicTolerance::AlgebraicTolerance(const System& system,
                                       const std::vector<std::pair<std::size_t, std::size_t>>& pairs) {
  const std::size_t n = system.size();
  const auto& starts = system.column_starts();
  const auto& rows = system.rows();
  std::vector<long> entry_of_row(n, -1);
  for (const auto& [j, r] : pairs) {
    entry_of_row[r] = static_cast<long>(entries_.size());
    entries_.push_back({j, -1, {}});
  }
  for (std::size_t k = 0; k < n; ++k)
    for (auto p = starts[k]; p < starts[k + 1]; ++p) {
      const long e = entry_of_row[static_cast<std::size_t>(rows[p])];
      if (e < 0) continue;
      auto& entry = entries_[static_cast<std::size_t>(e)];
      if (k == entry.unknown) entry.own = p;
      else entry.others.emplace_back(k, p);
    }
}

void AlgebraicTolerance::apply(const std::vector<double>& G, std::span<double> tolerance) const {
  passed_.assign(tolerance.begin(), tolerance.end());
  for (const auto& e : entries_) passed_[e.unknown] = 0;
  for (int sweep = 0; sweep < 2; ++sweep)
    for (const auto& e : entries_) {
      const double own = e.own >= 0 ? std::abs(G[static_cast<std::size_t>(e.own)]) : 0.0;
      if (!(own > 0)) continue;
      double sum = 0;
      for (const auto& [k, p] : e.others) sum += std::abs(G[static_cast<std::size_t>(p)]) * passed_[k];
      passed_[e.unknown] = sum / own;
    }
  for (const auto& e : entries_)
    if (passed_[e.unknown] > high_gain * tolerance[e.unknown]) tolerance[e.unknown] = passed_[e.unknown];
}

}  // namespace ns
