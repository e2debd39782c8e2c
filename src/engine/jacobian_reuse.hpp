#pragma once
// When a transient step's Newton solve should not try the Jacobian of an earlier step.
//
// IDA keeps a factored Jacobian across steps until the step size moves cj by 25 %; our
// Newton test (integrator.cpp, newton_converged) keeps it while it converges at a rate
// <= 0.1 and otherwise stops the solve, which SUNDIALS' Newton then starts again from the
// predictor with a fresh Jacobian. Where the circuit is quiet that saves a factorisation
// per step (a 1000-neuron network: 10x). Where it switches, an old Jacobian fails again
// and again: on c880 (ISCAS85, BSIM4) 601 of the 732 solves on a Jacobian one step old
// failed, each after 2-4 residuals and solves thrown away, and these were 38 % of the
// transient's Newton iterations (2146 of 5662), the gap to ngspice's 2.6 iterations a
// step.
//
// So a failure on an old Jacobian is remembered: the next solves set up a fresh one at
// once, 1 after the first failure in a row, then 2, 4, ... up to `longest`, after which an
// old Jacobian is tried again; a success on one ends the run of failures. A quiet circuit
// never fails and never pays; a switching one tries and fails once per `longest` steps.
namespace ns {

class JacobianReuse {
public:
  // Before a Newton solve: whether to set up a fresh Jacobian where IDA would reuse one.
  bool fresh_next();
  // After a solve that started on an old Jacobian: whether it converged on it.
  void old_outcome(bool converged);
  static constexpr int longest = 16;

private:
  int failures_ = 0;  // in a row, on old Jacobians
  int skip_ = 0;      // solves left that take a fresh one at once
};

}  // namespace ns
