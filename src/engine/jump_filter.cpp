#include "engine/jump_filter.hpp"

#include <cmath>

namespace ns {

JumpFilter::JumpFilter(const System& system, const std::vector<double>& C, int history) : steps_out_(history + 1) {
  const auto& starts = system.column_starts();
  for (std::size_t j = 0; j < system.size(); ++j) {
    bool charged = false;
    for (auto k = starts[j]; k < starts[j + 1] && !charged; ++k) charged = C[static_cast<std::size_t>(k)] != 0;
    if (!charged) algebraic_.push_back(j);
  }
  last_.assign(algebraic_.size(), 0.0);
  left_.assign(algebraic_.size(), 0);
}

void JumpFilter::after_solve(long step, double h, int order, long failures, std::span<const double> correction,
                             std::span<double> weights) {
  if (step != step_) {  // the last step was accepted: a new one starts
    for (int& left : left_)
      if (left > 0) --left;
    step_ = step;
    have_last_ = false;
  }
  // The last attempt at this step failed its error test; this one is at most half as long
  // (a jump's estimate, far beyond its tolerance, makes IDA cut by 4, the trapezoid by 8), at the same order.
  const bool retry = have_last_ && failures > failures_ && h <= 0.5 * h_ && order == order_;
  for (std::size_t a = 0; a < algebraic_.size(); ++a) {
    const std::size_t i = algebraic_[a];
    const double d = std::abs(correction[i]);
    if (retry && left_[a] == 0 && d * weights[i] > 1 && d > 0.5 * last_[a]) {
      left_[a] = steps_out_;
      ++jumps_;
    }
    last_[a] = d;
    if (left_[a] > 0) weights[i] = 0;
  }
  have_last_ = true;
  h_ = h;
  order_ = order;
  failures_ = failures;
}

}  // namespace ns
