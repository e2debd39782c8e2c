#include "engine/jacobian_reuse.hpp"

#include <algorithm>

namespace ns {

bool JacobianReuse::fresh_next() {
  if (skip_ == 0) return false;
  --skip_;
  return true;
}

void JacobianReuse::old_outcome(bool converged) {
  if (converged) {
    failures_ = 0;
    return;
  }
  ++failures_;
  skip_ = std::min(1 << std::min(failures_ - 1, 30), longest);
}

}  // namespace ns
