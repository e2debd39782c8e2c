#include "engine/ida_order.hpp"

#include <cmath>
#include <limits>

#include <ida/ida_impl.h>  // IDA's memory: the next step, the order, the start-up phase

namespace ns {

void hold_step_and_order(void* ida) {
  auto* mem = static_cast<IDAMem>(ida);
  if (mem->ida_hh != mem->ida_hused &&
      std::abs(mem->ida_hh - mem->ida_hused) <= 8 * std::numeric_limits<double>::epsilon() * std::abs(mem->ida_hused))
    mem->ida_hh = mem->ida_hused;
  // IDA's start-up phase (phase 0) raises the order itself; after it, with the last step's
  // correction kept as the next difference (IDA keeps it below its maximum order), order 2
  // is what IDA's own raise would give.
  if (mem->ida_phase == 1 && mem->ida_kk == 1 && mem->ida_kused >= 1 && mem->ida_nst >= 2 && mem->ida_maxord >= 2)
    mem->ida_kk = 2;
}

}  // namespace ns
