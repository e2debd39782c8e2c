#pragma once
// IDA's error test keeps the algebraic unknowns (node voltages and currents without
// capacitance) for the accuracy they buy on source-driven circuits (exclude_index2_currents
// in integrator.cpp). But an algebraic unknown may be a discontinuous function of the
// others: a comparator's `u(v(vm) - vth)` node jumps from 0 to 1 when v(vm) crosses vth.
// Its error estimate (corrector minus predictor) is then the jump itself, whatever the
// step, and the step collapsed to 1e-19 s at the crossing (tests/users/lif_switch.cir).
// SPICE never tests such a node (its test is on charges and fluxes only).
//
// The test that tells a jump from a truncation error: a truncation error of order k
// shrinks as h^(k+1) when the step is cut, a kink's as h, a jump's not at all. When a step
// failed its error test and the retry from the same point, at the same order and at most
// half the step, still finds an algebraic unknown beyond its tolerance with at least half
// its estimate (a kink's would have halved, a truncation error's fallen to a quarter), that
// unknown is taken to jump inside the step: it leaves the error test for this step, so the
// step that contains the jump is accepted, and for the next steps, whose predictor still
// carries the jump in its history. Its value at every step is still Newton's solution of
// its equation, as in SPICE. Differential unknowns are continuous and always tested.
//
// Both integrators call it after each converged attempt: IDA with its corrections and
// error weights (integrator.cpp), the trapezoidal rule (trapezoidal.cpp) with each
// unknown's error over its tolerance and weights of 1.
#include <cstddef>
#include <span>
#include <vector>

#include "engine/system.hpp"

namespace ns {

class JumpFilter {
public:
  // The algebraic unknowns: the system's columns without capacitance in C (on the system's
  // pattern, at t0). Charge unknowns (after the system's) are never algebraic. `history`:
  // the steps after the jump's whose estimate still reaches back across it (IDA: its
  // predictor through up to max order + 1 = 6 past points; the trapezoid: its third
  // divided difference through the 3 nodes before the new point).
  JumpFilter(const System& system, const std::vector<double>& C, int history);
  bool empty() const { return algebraic_.empty(); }
  // After each Newton solve of a step attempt: `step` the count of accepted steps, h the
  // step tried, `order` its order, `failures` the count of error-test failures so far,
  // `correction` each unknown's error estimate (IDA: the corrector minus the predictor),
  // `weights` the error weights (1/tol), which this zeroes for the unknowns that jump.
  void after_solve(long step, double h, int order, long failures, std::span<const double> correction,
                   std::span<double> weights);
  long jumps() const { return jumps_; }

private:
  std::vector<std::size_t> algebraic_;
  std::vector<double> last_;  // |correction| of each algebraic unknown at the last attempt
  std::vector<int> left_;     // steps each stays out of the test (0: tested)
  int steps_out_;             // the jump's step and `history` after it
  long step_ = -1, failures_ = 0, jumps_ = 0;
  double h_ = 0;
  int order_ = 0;
  bool have_last_ = false;
};

}  // namespace ns
