#pragma once
// The transient integrator: SUNDIALS IDA (variable-order BDF) on
//     F(t, y, y') = C(y) y' + f(y) - u(t) = 0
// where each row r with a nonlinear charge (charge_rows.hpp) has q_k' in place of its
// C(y) y', q_k a further unknown with the equation q_k - q_r(y) = 0: BDF then conserves
// charge.
// with SUNDIALS' KLU solver on the system's fixed CSC pattern (G + cj C), or on weakly
// coupled circuits GMRES preconditioned by the LU of their blocks (block_solver.hpp).
#include <array>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/event_hold.hpp"
#include "engine/system.hpp"

namespace ns {
class SparseLu;  // sparse_lu.hpp
}

namespace ns {

class Trapezoidal;  // .options method=trap (trapezoidal.hpp): every call below goes there
struct WeakCoupling;  // block_solver.hpp

struct IntegratorOptions {
  double max_step = 0;             // 0: unlimited
  double first_step = 0;           // 0: IDA's own choice
  // Set: IDA solves with GMRES on these blocks (find_weak_coupling) instead of KLU.
  std::shared_ptr<const WeakCoupling> blocks;
  // The rows that integrate their charge (charge_rows.hpp): IDA gets a charge unknown for
  // each, after the circuit's. Then IDA solves with KLU whatever `blocks` says.
  std::vector<std::size_t> charge_rows;
};

class Integrator {
public:
  // Start at t0 from a consistent (y, y'), i.e. F(t0, y, y') = 0.
  Integrator(const System& system, const IntegratorOptions& options, double t0,
             std::span<const double> y, std::span<const double> yp);
  ~Integrator();
  Integrator(const Integrator&) = delete;
  Integrator& operator=(const Integrator&) = delete;

  // One internal step, never past `stop`. Returns the time reached. Throws SimulationError
  // saying when, with what step size, at which unknown and why.
  double step(double stop);
  // Start again from a consistent (t, y, y') with order 1 (after a source corner), with
  // first_step as the first step (0: IDA's own choice). `factors`: KLU factors of
  // G + C / first_step near y (the start steps', OpSolver::euler_factors), which the first
  // step's Newton then starts on instead of a fresh Jacobian; they are traded for IDA's.
  void restart(double t, std::span<const double> y, std::span<const double> yp, double first_step = 0,
               SparseLu* factors = nullptr);
  // After an event at the present time that moved no analog output (Device::event_corner):
  // go on without a restart, the unknowns the event moved (digital nodes' rows that nothing
  // else reads) set to their new values in the history (event_hold.hpp). False, nothing
  // changed, when the event needs a restart.
  bool hold();
  // y at time t within the last step (IDA's interpolating polynomial).
  void interpolate(double t, std::vector<double>& y) const;
  std::span<const double> y() const;
  double time() const { return t_; }
  std::string statistics() const;  // steps, iterations, failures, restarts, linear solver: one line

  struct Sundials;  // defined in integrator.cpp only

private:
  const System& system_;
  std::array<long, 7> counters() const;

  std::unique_ptr<Sundials> s_;
  std::unique_ptr<Trapezoidal> trap_;
  double t_;
  std::array<long, 7> banked_{};
  long restarts_ = 0;
  std::unique_ptr<EventHold> hold_;  // made at the first event
  EventHold::Moved moved_;
  long held_ = 0;  // events gone on from without a restart
  int stalled_ = 0;  // consecutive steps that did not advance t
};

}  // namespace ns
