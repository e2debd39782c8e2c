#include "engine/restart_order.hpp"

// IDA's step data (the order it chose for the next step) are in its memory's record; no
// public call sets the order from below. The header is the installed library's own.
#include <ida/ida_impl.h>

namespace ns {

bool RestartOrder::after_step(void* ida) {
  if (!holding_) return false;
  auto* mem = static_cast<IDAMem>(ida);
  const bool lowered = mem->ida_kused == 2 && mem->ida_kk == 1;
  if (lowered) mem->ida_kk = 2;
  // The step taken next was chosen by IDA after this one; no longer than this one, it is
  // set by the error estimates or the maximum step. (In the start-up phase, phase 0, IDA
  // keeps its first step once and then doubles without asking the estimates.)
  if (mem->ida_phase == 1 && mem->ida_hh <= mem->ida_hused) holding_ = false;
  return lowered;
}

}  // namespace ns
