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
#include <cstddef>
#include <span>
#include <vector>

#include "engine/system.hpp"

namespace ns {

class JumpFilter {
public:
  // The algebraic unknowns: the system's columns without capacitance in C (on the system's
  // pattern, at t0). Charge unknowns (after the system's) are never algebraic.
  JumpFilter(const System& system, const std::vector<double>& C);
  bool empty() const { return algebraic_.empty(); }
  // After each Newton solve of a step attempt: `step` IDA's count of accepted steps, h the
  // step tried, `order` its order, `failures` IDA's count of error-test failures so far,
  // `correction` the corrector minus the predictor, `weights` IDA's error weights (1/tol),
  // which this zeroes for the unknowns that jump.
  void after_solve(long step, double h, int order, long failures, std::span<const double> correction,
                   std::span<double> weights);
  long jumps() const { return jumps_; }

private:
  std::vector<std::size_t> algebraic_;
  std::vector<double> last_;  // |correction| of each algebraic unknown at the last attempt
  std::vector<int> left_;     // steps each stays out of the test (0: tested)
  long step_ = -1, failures_ = 0, jumps_ = 0;
  double h_ = 0;
  int order_ = 0;
  bool have_last_ = false;
};

}  // namespace ns
