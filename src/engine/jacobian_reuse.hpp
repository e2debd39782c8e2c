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
// So after a failure on an old Jacobian the next solves may set up a fresh one at once,
// 1 after the first failure in a row, then 2, 4, ... up to `longest`, after which an old
// Jacobian is tried again; a success on one ends the run of failures. Whether to back
// off is a matter of cost: trying an old Jacobian after a failure costs, with the
// probability p that it fails again, the iterations it throws away and then the fresh
// Jacobian anyway; setting one up at once costs a Jacobian that, with probability 1 - p,
// was not needed. Both sides are measured as the run goes (CPU time of a set-up and of an
// iteration, iterations of each kind of solve, p over the tries that follow a failure),
// and the back-off is taken when it is the cheaper. c432 (ISCAS85), where a Jacobian
// cost about as much as 4 iterations and old ones failed less often than on c880, lost
// 10 % of its time to an unweighed back-off.
namespace ns {

class JacobianReuse {
public:
  // Before a Newton solve: whether to set up a fresh Jacobian where IDA would reuse one.
  bool fresh_next();
  // After a Newton solve: whether it started on an old Jacobian (`old`) and then needed
  // no fresh one (`kept`), its iterations, its CPU seconds, and of them those spent
  // setting up Jacobians (stamping and factoring).
  void solved(bool old, bool kept, long iterations, double seconds, double setup_seconds);
  static constexpr int longest = 16;
  // CPU seconds of the calling thread, the solver's (with -j the device loads on other
  // threads are missed, which makes an iteration look cheaper and favours old Jacobians,
  // the behaviour before the back-off).
  static double now();
  // Whether a back-off pays, on the averages so far (public for the test).
  bool back_off_pays() const;

private:
  int failures_ = 0;  // in a row, on old Jacobians
  int skip_ = 0;      // solves left that take a fresh one at once
  // Running averages (weight 1/8 for the newest), negative until first measured.
  double again_ = -1;            // p: failures among old tries that follow a failure
  double wasted_ = -1;           // iterations a failed old try throws away
  double old_iterations_ = -1;   // of a solve that converged on an old Jacobian
  double fresh_iterations_ = -1; // of a solve on a fresh one from the start
  double iteration_ = -1, setup_ = -1;  // CPU s of an iteration, of a Jacobian set-up
};


}  // namespace ns
