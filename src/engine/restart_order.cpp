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
  // A circuit at rest lowers the order on estimates that are all zero, and stays better at
  // order 1, whose output rows between steps are the step's solution to the bit (no
  // evaluation, consistent_output.hpp): the lowering stands where the last step moved the
  // solution by no more than rounding (eps / reltol, 1e-13 at reltol 1e-3, of the
  // tolerance), here 1e-6 of it.
  const bool lowered = mem->ida_kused == 2 && mem->ida_kk == 1 &&
                       N_VWrmsNorm(mem->ida_phi[1], mem->ida_ewt) > 1e-6;
  if (lowered) mem->ida_kk = 2;
  return lowered;
}

}  // namespace ns
