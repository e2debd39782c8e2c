#include "engine/jacobian_reuse.hpp"

#include <algorithm>
#include <ctime>

namespace ns {

namespace {

void average(double& mean, double x) { mean = mean < 0 ? x : mean + (x - mean) / 8; }

}  // namespace

double JacobianReuse::now() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

bool JacobianReuse::fresh_next() {
  if (skip_ == 0) return false;
  --skip_;
  return true;
}

bool JacobianReuse::back_off_pays() const {
  // Until measured, back off (an old Jacobian that just failed is likely to again).
  if (again_ < 0 || wasted_ < 0 || fresh_iterations_ < 0 || iteration_ <= 0 || setup_ < 0) return true;
  const double p = again_;
  const double kept = old_iterations_ < 0 ? fresh_iterations_ : old_iterations_;
  const double fresh = setup_ + fresh_iterations_ * iteration_;
  const double try_old = (1 - p) * kept * iteration_ + p * (wasted_ * iteration_ + fresh);
  return try_old > fresh;
}

void JacobianReuse::solved(bool old, bool kept, long iterations, double seconds, double setup_seconds) {
  const auto k = static_cast<double>(iterations);
  if (k > 0) average(iteration_, std::max(0.0, seconds - setup_seconds) / k);
  if (!old) {
    average(fresh_iterations_, k);
    if (setup_seconds > 0) average(setup_, setup_seconds);
    return;
  }
  if (failures_ > 0) average(again_, kept ? 0.0 : 1.0);
  if (kept) {
    average(old_iterations_, k);
    failures_ = 0;
    return;
  }
  if (setup_seconds > 0) average(setup_, setup_seconds);
  average(wasted_, std::max(0.0, k - std::max(fresh_iterations_, 1.0)));
  ++failures_;
  skip_ = back_off_pays() ? std::min(1 << std::min(failures_ - 1, 30), longest) : 0;
}

}  // namespace ns
