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
  if (mem->ida_phase != 1) {
    held_ = 0;
    return;
  }
  const int k = mem->ida_kused;
  if (!previous_) previous_ = N_VClone(mem->ida_ee), difference_ = N_VClone(mem->ida_ee);
  auto norm = [&](N_Vector v) {
    return mem->ida_suppressalg ? N_VWrmsNormMask(v, mem->ida_ewt, mem->ida_id) : N_VWrmsNorm(v, mem->ida_ewt);
  };
  // Rule 5: at the step cap (the next step the same too) the steps are equal.
  const bool pinned = mem->ida_hmax_inv > 0 && mem->ida_hh == mem->ida_hused &&
                      mem->ida_hused * mem->ida_hmax_inv >= 1 - 1e-9;
  // IDA's own test for order k + 1 (its estimate of that order's error, the difference of
  // the last two corrections, against order k's), on the corrections of the last two steps
  // at order k: at order 1 whatever their sizes (rule 2), above it when both steps were at
  // the cap (rule 5), where IDA waits for k + 2 of them. IDA tested it itself when it had them.
  const bool comparable = held_ == k && (k == 1 || (pinned && held_step_ == mem->ida_hused));
  if (comparable && mem->ida_kk == k && k < mem->ida_maxord && (k == 1 || mem->ida_ns < k + 2)) {
    N_VLinearSum(1.0, mem->ida_ee, -1.0, previous_, difference_);
    const double terr_k = (k + 1) * mem->ida_sigma[k] * norm(mem->ida_ee), terr_kp1 = norm(difference_);
    if (k == 1) {
      if (terr_kp1 < 0.5 * terr_k) mem->ida_kk = 2;
    } else {
      // Order k - 1's estimate, as IDA's error test makes it: phi[k] is now phi*[k] + ee.
      const double terr_km1 = k * mem->ida_sigma[k - 1] * norm(mem->ida_phi[k]);
      if (terr_kp1 < terr_k && terr_km1 > terr_kp1) mem->ida_kk = k + 1;
    }
  }
  N_VScale(1.0, mem->ida_ee, previous_);
  held_ = k;
  held_step_ = mem->ida_hused;
}

}  // namespace ns
