#pragma once
// After a source corner IDA restarts at order 1 with a step of ~1e-17 s (the Euler start's,
// set by femtosecond RCs inside the devices) and doubles it step by step. Its start-up takes
// the order to 2, but while the step is that small every error estimate is Newton noise,
// and IDA lowers the order to 1 when the order-1 estimate is below half the order-2 one,
// which noise decides either way. Back at order 1 it raises the order only after k + 1
// steps of one size, and a doubling step never is: so the step climbs to its maximum at
// BDF1 and stays there for several more steps. On ISCAS c6288 (45 nm BSIM4) those BDF1
// steps of 0.3-1 ps after the inputs' 200 ps corner passed the error test on nodes whose
// charge floor allows millivolts, and left a lasting 2e-4 V on an output that ngspice (its
// trapezoid right after one Euler step) keeps within 5e-5 V.
//
// So from a restart until the step stops growing, IDA's lowering of the order from 2 to 1
// is undone: the next step is taken at order 2 (its history is there: IDA has just
// completed a step at order 2). IDA doubles a step only when its estimate is well inside
// the tolerance; once it keeps or cuts the step (or the maximum step stops it), its
// estimates mean something, and its own order selection stands from that step on. Order
// 2 is A-stable, as order 1, and SPICE's own choice after its first step past a breakpoint.
namespace ns {

class RestartOrder {
public:
  void restart() { holding_ = true; }
  // After each successful step; `ida` is IDA's memory. Returns whether it undid a lowering.
  bool after_step(void* ida);

private:
  bool holding_ = false;
};

}  // namespace ns
