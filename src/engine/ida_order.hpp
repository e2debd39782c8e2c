#pragma once
// IDA's order and step between two steps (issue 16), where its public interface reaches
// neither: two corrections made after each accepted step, on IDA's own memory.
//
// 1. A step capped at the maximum step (.tran tmax, or the default min(tstep, span/50))
//    comes back changed by one rounding: IDA scales the step by eta / (eta h / hmax), which
//    is 1 to within an ulp, alternately above and below. IDA counts a step that changed,
//    by however little, as a new step size, and raises the order only after k + 2 steps of
//    one size: at the cap it never raised it. The VBIC diffamp of ngspice's tests at tmax
//    0.5 ns took all its 2013 steps at order 1. A next step within a few roundings of the
//    last one is that step.
// 2. IDA also raises the order only after k + 2 steps of one size while the step keeps
//    changing (growing after a restart, shrinking on a smooth wave's steep part) it stays
//    where it is; from order 1 that is backward Euler, first order, its error per step
//    passing the test while the global error grows with every step. The diffamp's steps
//    from 19 to 43 ns were all at order 1 (each shrunk by 0.8-0.9), and its output
//    26x the agreement tolerance off where ngspice's trapezoid was 12x. SPICE's integrators
//    take order 2 from the second step after a breakpoint on (trap and gear alike), and
//    BDF2 is A-stable as BDF1 is: so once IDA's start-up is over and two steps are behind,
//    its order is held at 2 or above; its own selection above 2 is unchanged.
namespace ns {

// After a successful IDA step (ida: IDA's memory), before the next.
void hold_step_and_order(void* ida);

}  // namespace ns
