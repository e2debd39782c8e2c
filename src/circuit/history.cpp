#include "circuit/history.hpp"

#include <algorithm>
#include <cmath>

namespace ns {

void History::record(double t, std::span<const double> values) {
  if (!times_.empty() && t <= times_.back()) {
    if (t == times_.back()) corner_.back() = 1;  // accepted again: a restart, at a corner
    return;
  }
  times_.push_back(t);
  corner_.push_back(0);
  values_.insert(values_.end(), values.begin(), values.begin() + static_cast<std::ptrdiff_t>(width_));
  // Later steps read at t - span or after, and output rows between this point and the
  // one before at that one's time - span or after (a row read before the record kept it
  // got its first point: a delay line's output 2e-3 off a sine at order 3's longer steps).
  // Keep two points before that for the cubic.
  while (times_.size() > 3 && times_[2] < times_[times_.size() - 2] - span_) {
    times_.pop_front();
    corner_.pop_front();
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
  // The points beside the bracket, where no corner lies between them and it.
  const bool left = p0 > 0 && !corner_[p0], right = p1 + 1 < times_.size() && !corner_[p1];
  for (std::size_t k = 0; k < width_; ++k) {
    const double slope = (value(p1, k) - value(p0, k)) / (t1 - t0);
    auto second = [&](std::size_t q) {  // f[p0, p1, q]
      return ((value(q, k) - value(p1, k)) / (times_[q] - t1) - slope) / (times_[q] - t0);
    };
    const double v = value(p0, k) + slope * (t - t0);
    if (left && right) {
      // The cubic through all four: a blend of the two parabolas, between them over the
      // bracket. Of the integrator's order 3 and more, whose steps a parabola reads 1e-3
      // off a sine (a delay line's output rows between steps, tests/sim/decks/xspice_delay.cir).
      const double a = second(p0 - 1), b = second(p1 + 1);
      const double w = (t - times_[p0 - 1]) / (times_[p1 + 1] - times_[p0 - 1]);
      out[k] = v + (a + (b - a) * w) * (t - t0) * (t - t1);
      continue;
    }
    double bend = INFINITY;  // the second divided difference f[p0, p1, q], the smaller
    for (const auto& [q, beside] : {std::pair{p0 - 1, left}, {p1 + 1, right}}) {
      if (!beside) continue;  // no point across a corner
      const double dd = second(q);
      if (std::abs(dd) < std::abs(bend)) bend = dd;
    }
    out[k] = std::isfinite(bend) ? v + bend * (t - t0) * (t - t1) : v;
  }
}

}  // namespace ns
