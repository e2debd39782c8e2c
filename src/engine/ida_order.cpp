#include "engine/ida_order.hpp"

#include <cmath>
#include <limits>

#include <ida/ida_impl.h>  // IDA's memory: the next step, the order, the corrections

namespace ns {

IdaOrder::~IdaOrder() {
  if (previous_) N_VDestroy(previous_);
  if (difference_) N_VDestroy(difference_);
}

void IdaOrder::after_step(void* ida) {
  auto* mem = static_cast<IDAMem>(ida);
  if (mem->ida_hh != mem->ida_hused &&
      std::abs(mem->ida_hh - mem->ida_hused) <= 8 * std::numeric_limits<double>::epsilon() * std::abs(mem->ida_hused))
    mem->ida_hh = mem->ida_hused;
  // Rule 3 of the header: until the step stops doubling after a restart.
  if (restarting_ && mem->ida_phase == 1 && mem->ida_hh <= mem->ida_hused) restarting_ = false;
  if (restarting_ && mem->ida_kused == 2 && mem->ida_kk == 1 && N_VWrmsNorm(mem->ida_phi[1], mem->ida_ewt) > 1e-6)
    mem->ida_kk = 2;
  // Rule 4: a lowering from 2 to 1 stands when the step before also asked for it.
  if (mem->ida_kused == 2 && mem->ida_kk == 1 && mem->ida_phase == 1) {
    const bool moving = N_VWrmsNorm(mem->ida_phi[1], mem->ida_ewt) > 1e-6;
    if (!lowering_ && moving) mem->ida_kk = 2;
    lowering_ = true;
  } else {
    lowering_ = false;
  }
  if (mem->ida_kused != 1 || mem->ida_phase != 1) {
    held_ = false;
    return;
  }
  if (!previous_) previous_ = N_VClone(mem->ida_ee), difference_ = N_VClone(mem->ida_ee);
  // IDA's own test for order 2 at order 1 (its estimate of order 2's error against order
  // 1's), on the corrections of the last two steps at order 1, whatever their sizes.
  if (held_ && mem->ida_kk == 1 && mem->ida_maxord >= 2) {
    N_VLinearSum(1.0, mem->ida_ee, -1.0, previous_, difference_);
    auto norm = [&](N_Vector v) {
      return mem->ida_suppressalg ? N_VWrmsNormMask(v, mem->ida_ewt, mem->ida_id) : N_VWrmsNorm(v, mem->ida_ewt);
    };
    if (norm(difference_) < mem->ida_sigma[1] * norm(mem->ida_ee)) mem->ida_kk = 2;
  }
  N_VScale(1.0, mem->ida_ee, previous_);
  held_ = true;
}

}  // namespace ns
