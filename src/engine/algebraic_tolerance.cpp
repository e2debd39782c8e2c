#include "engine/algebraic_tolerance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns {

namespace {
// A node whose equation passes on more than this many times its own tolerance: a gain node.
constexpr double high_gain = 100;
}  // namespace

AlgebraicTolerance::AlgebraicTolerance(const System& system,
                                       const std::vector<std::pair<std::size_t, std::size_t>>& pairs) {
  const std::size_t n = system.size();
  if (n > std::numeric_limits<std::uint32_t>::max() || system.nonzeros() > std::numeric_limits<std::uint32_t>::max())
    return;
  const auto& starts = system.column_starts();
  const auto& rows = system.rows();
  std::vector<long> entry_of_row(n, -1);
  for (const auto& [j, r] : pairs) {
    entry_of_row[r] = static_cast<long>(unknown_.size());
    unknown_.push_back(j);
  }
  own_.assign(unknown_.size(), -1);
  // Two passes over the columns: count each entry's others, then place them (in column
  // order, as the sums add them).
  first_.assign(unknown_.size() + 1, 0);
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<std::size_t> next(first_.begin(), first_.end() - 1);
    for (std::size_t k = 0; k < n; ++k)
      for (auto p = starts[k]; p < starts[k + 1]; ++p) {
        const long e = entry_of_row[static_cast<std::size_t>(rows[p])];
        if (e < 0) continue;
        const auto u = static_cast<std::size_t>(e);
        if (k == unknown_[u]) own_[u] = p;
        else if (pass == 0) ++first_[u + 1];
        else {
          other_column_[next[u]] = static_cast<std::uint32_t>(k);
          other_position_[next[u]++] = static_cast<std::uint32_t>(p);
        }
      }
    if (pass == 0) {
      for (std::size_t u = 0; u < unknown_.size(); ++u) first_[u + 1] += first_[u];
      other_column_.resize(first_.back());
      other_position_.resize(first_.back());
    }
  }
  std::vector<long> entry_of(n, -1);
  for (std::size_t e = 0; e < unknown_.size(); ++e) entry_of[unknown_[e]] = static_cast<long>(e);
  std::vector<char> changes(unknown_.size(), 0);
  for (std::size_t e = 0; e < unknown_.size(); ++e) {
    for (std::size_t o = first_[e]; o < first_[e + 1] && !changes[e]; ++o)
      if (const long k = entry_of[other_column_[o]]; k >= 0)
        changes[e] = static_cast<std::size_t>(k) > e || changes[static_cast<std::size_t>(k)];
    if (changes[e]) again_.push_back(e);
  }
}

void AlgebraicTolerance::apply(const std::vector<double>& G, long jacobian, std::span<double> tolerance) const {
  if (jacobian != passed_at_) pass_on(G, tolerance);
  passed_at_ = jacobian;
  for (const std::size_t j : unknown_)
    if (passed_[j] > high_gain * tolerance[j]) tolerance[j] = passed_[j];
}

void AlgebraicTolerance::pass_on(const std::vector<double>& G, std::span<const double> tolerance) const {
  passed_.assign(tolerance.begin(), tolerance.end());
  for (const std::size_t j : unknown_) passed_[j] = 0;
  auto work_out = [&](std::size_t e) {
    const double own = own_[e] >= 0 ? std::abs(G[static_cast<std::size_t>(own_[e])]) : 0.0;
    if (!(own > 0)) return;
    double sum = 0;
    for (std::size_t o = first_[e]; o < first_[e + 1]; ++o)
      sum += std::abs(G[other_position_[o]]) * passed_[other_column_[o]];
    passed_[unknown_[e]] = sum / own;
  };
  for (std::size_t e = 0; e < unknown_.size(); ++e) work_out(e);
  for (const std::size_t e : again_) work_out(e);
}

}  // namespace ns
