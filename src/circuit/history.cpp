#include "circuit/history.hpp"

#include <algorithm>
#include <cmath>

namespace ns {

void History::record(double t, std::span<const double> values) {
  if (!times_.empty() && t <= times_.back()) return;
  times_.push_back(t);
  values_.insert(values_.end(), values.begin(), values.begin() + static_cast<std::ptrdiff_t>(width_));
  // Later steps read at t - span or after: keep two points before that for the parabola.
  while (times_.size() > 3 && times_[2] < t - span_) {
    times_.pop_front();
    values_.erase(values_.begin(), values_.begin() + static_cast<std::ptrdiff_t>(width_));
  }
}

void History::read(double t, std::span<double> out) const {
  auto value = [&](std::size_t point, std::size_t k) { return values_[point * width_ + k]; };
  if (times_.empty()) {
    std::fill(out.begin(), out.end(), 0.0);
    return;
  }
  if (t <= times_.front() || t >= times_.back()) {
    const std::size_t point = t <= times_.front() ? 0 : times_.size() - 1;
    for (std::size_t k = 0; k < width_; ++k) out[k] = value(point, k);
    return;
  }
  const auto next = std::upper_bound(times_.begin(), times_.end(), t);
  const auto p0 = static_cast<std::size_t>(next - times_.begin()) - 1;  // t in [t_p0, t_p1)
  const std::size_t p1 = p0 + 1;
  const double t0 = times_[p0], t1 = times_[p1];
  for (std::size_t k = 0; k < width_; ++k) {
    const double slope = (value(p1, k) - value(p0, k)) / (t1 - t0);
    double bend = INFINITY;  // the second divided difference f[p0, p1, q], the smaller
    for (const std::size_t q : {p0 - 1, p1 + 1}) {  // p0 - 1 wraps around when p0 is 0
      if (q >= times_.size()) continue;
      const double dd = ((value(q, k) - value(p1, k)) / (times_[q] - t1) - slope) / (times_[q] - t0);
      if (std::abs(dd) < std::abs(bend)) bend = dd;
    }
    const double v = value(p0, k) + slope * (t - t0);
    out[k] = std::isfinite(bend) ? v + bend * (t - t0) * (t - t1) : v;
  }
}

}  // namespace ns
