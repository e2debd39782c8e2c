#pragma once
// IDA's order and step between two steps (issue 16), where its public interface reaches
// neither: three corrections made after each accepted step, on IDA's own memory.
//
// 1. A step capped at the maximum step (.tran tmax, or the default min(tstep, span/50))
//    comes back changed by one rounding: IDA scales the step by eta / (eta h / hmax), which
//    is 1 to within an ulp, alternately above and below. IDA counts a step that changed,
//    by however little, as a new step size, and raises the order only after k + 2 steps of
//    one size: at the cap it never raised it. The VBIC diffamp of ngspice's tests at tmax
//    0.5 ns took all its 2013 steps at order 1. A next step within a few roundings of the
//    last one is that step.
// 2. IDA also raises the order only after k + 2 steps of one size: while the step keeps
//    changing (growing after a restart, shrinking on a smooth wave's steep part) it stays
//    where it is; at order 1 that is backward Euler, its error per step passing the test
//    while the global error grows with every step. The diffamp's steps from 19 to 43 ns
//    were all at order 1 (each shrunk by 0.8-0.9) and its output 26x the agreement
//    tolerance off where ngspice's trapezoid was 12x. So at order 1 IDA's own test for
//    order 2 (its estimate of order 2's error, the difference of the last two corrections,
//    below order 1's) is made after every step, whatever the step sizes. (A floor at order
//    2, as SPICE's integrators keep, put order 2 across the resets of an AdEx neuron with
//    a switch, tests/good/users_adex_switch_reset.cir, and its adaptation current 4e-4 off
//    its reference where order 1 there kept it within 1e-4.)
// 3. After a source corner IDA restarts at order 1 with a step of ~1e-17 s (the Euler
//    start's, set by femtosecond RCs inside the devices) and doubles it step by step. Its
//    start-up takes the order to 2, but while the step is that small its estimates are
//    Newton noise, and IDA lowers the order to 1 on them; a doubling step is never k + 1
//    steps of one size, so the step climbed to its maximum at BDF1. On ISCAS c6288 (45 nm
//    BSIM4) those BDF1 steps after the inputs' 200 ps corner passed the error test on nodes
//    whose charge floor allows millivolts and left a lasting 2e-4 V on an output that
//    ngspice keeps within 5e-5 V. So from a restart until the step stops growing (IDA
//    doubles only when its estimates are well inside the tolerance), a lowering from 2 to
//    1 is undone; once IDA keeps or cuts the step its own selection stands. A circuit at
//    rest (the last step moved the solution by no more than rounding) keeps order 1, whose
//    output rows between steps are the step's solution to the bit (consistent_output.hpp).
// 4. IDA lowers the order from 2 to 1 when its estimate of order 1's error is below half of
//    order 2's: on a sine that is true at one step in each half period, where the second
//    derivative passes through zero. The next steps at order 1 meet the growing second
//    derivative with a step made for order 2: the step was cut (x0.74, x0.83), which reset
//    IDA's count of equal steps, and the order stayed at 2 or below for good. On ngspice's
//    VBIC diffamp (10 MHz sine) that was 229 steps, 29 error-test failures, the worst output
//    24x the agreement tolerance (ngspice 12.4x), the worst rows in those order-1 steps. So
//    a lowering from 2 to 1 stands only when the step before asked for it too (a
//    discontinuity's, or a neuron's reset: the estimate stays low), or at rest (rule 3's
//    test). The diffamp: 146 steps, no error-test failure, orders up to 5, worst 19.8x.
// 5. At the cap IDA lowers the order on its estimates at any step but raises it only after
//    k + 2 equal steps at the new order; on ISCAS c432 (1 ps cap, 989 of 1040 steps there)
//    the order fell back from 4 and 5 to 2 and 3 again and again. So at the cap, where two
//    steps in a row at one order are equal, IDA's test for order k + 1 (as rule 2's, and
//    against order k - 1's estimate as IDA makes it) is made after every such step. c432's
//    outputs against a reltol 1e-6 run: max dv 2.84e-4 -> 1.71e-4 VDD, 1040 -> 1039 steps;
//    an RC low-pass on a 1 kHz sine with tstep 20 us: 1.97e-5 -> 1.06e-5 V off the exact
//    response (ngspice 1.63e-4 V).
#include <sundials/sundials_nvector.h>

namespace ns {

class IdaOrder {
public:
  IdaOrder() = default;
  IdaOrder(const IdaOrder&) = delete;
  IdaOrder& operator=(const IdaOrder&) = delete;
  ~IdaOrder();
  // At each (re)start of IDA.
  void restart() { restarting_ = true; }
  // After a successful IDA step (ida: IDA's memory), before the next.
  void after_step(void* ida);

private:
  N_Vector previous_ = nullptr, difference_ = nullptr;  // the last step's correction
  int held_ = 0;                                        // previous_ is the last step's, at this order
  double held_step_ = 0;                                // and of this size
  bool restarting_ = false;                             // rule 3: the step still doubles
  bool lowering_ = false;                               // rule 4: the last step asked for order 1
};

}  // namespace ns
