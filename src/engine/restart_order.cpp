#include "engine/restart_order.hpp"

// IDA's step data (the order it chose for the next step) are in its memory's record; no
// public call sets the order from below. The header is the installed library's own.
#include <ida/ida_impl.h>

namespace ns {

bool RestartOrder::after_step(void* ida) {
  if (!holding_) return false;
  auto* mem = static_cast<IDAMem>(ida);
  // IDA either doubles its step (every estimate well inside the tolerance), keeps it, or
  // cuts it. A step no longer than the last is set by the estimates (or the maximum step):
  // from there on IDA's own order selection stands, this step's included.
  if (mem->ida_phase == 1 && mem->ida_hh <= mem->ida_hused) {
    holding_ = false;
    return false;
  }
  const bool lowered = mem->ida_kused == 2 && mem->ida_kk == 1;
  if (lowered) mem->ida_kk = 2;
  return lowered;
}

}  // namespace ns
