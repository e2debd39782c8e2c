#pragma once
// The operating-point solver: damped Newton on f(x) = u, with device step limiting,
// and when plain Newton fails, gmin stepping, then source stepping.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/block_solver.hpp"
#include "engine/sparse_lu.hpp"
#include "engine/system.hpp"

namespace ns {

struct OpRequest {
  Mode mode = Mode::Dc;
  double time = 0;
  // Nodes held at a value through a large conductance (.ic without uic).
  std::vector<std::pair<Unknown, double>> forced;
  // When > 0, solve one implicit Euler step of this size from `previous` instead:
  // C (x - previous) / step + f(x) - u(time) = 0 (a consistent start for .tran uic).
  double euler_step = 0;
  std::vector<double> previous;
  // The rows whose step is q(x) - q(previous) in place of C (x - previous) (charge_rows.hpp).
  std::vector<std::size_t> charge_rows;
  // An Euler step that may start on the factors of the solver's last Euler step, when that
  // was of the same size (the matrix G + C/h then differs only by how far G moved): the
  // start's steps 3 and 4 after step 2 (tran.cpp).
  bool reuse_factors = false;
  // x is the analysis's first guess (initial_guess), not a solution nearby: plain Newton's
  // first iteration evaluates with Eval::initial.
  bool from_guess = false;
};

class OpSolver {
public:
  explicit OpSolver(const System& system);

  // Solve from the guess in x (replaced by the solution). Throws SimulationError naming
  // the unknowns that would not settle. `report` gets one line per strategy tried
  // when plain Newton was not enough.
  void solve(std::vector<double>& x, const OpRequest& request, std::vector<std::string>* report = nullptr);
  // Unknown u's tolerance between values a and b: reltol * max(|a|, |b|) + vntol, abstol
  // or its own absolute tolerance.
  double tolerance(std::size_t u, double a, double b) const;
  // Work so far, for --stats: "N Newton iterations, M factorisations".
  std::string statistics() const;
  // Implicit Euler steps (a transient's start) solve on these blocks (block_solver.hpp),
  // falling back to KLU for a solve GMRES does not finish; null: KLU.
  void use_blocks(std::shared_ptr<const WeakCoupling> blocks);
  // The KLU factors of G + C/step from the last Euler step, if it was of this size (null
  // otherwise): for the integrator's first step after a restart, whose matrix (order 1,
  // cj = 1/step) it is. The solver forgets them: its next solve factors afresh.
  SparseLu* euler_factors(double step);

private:
  struct Outcome {
    bool converged = false;
    int iterations = 0;
    Unknown worst = -1;        // largest weighted update at the last iteration
    double worst_step = 0;
    bool singular = false;     // the matrix was singular at column `worst`
    std::vector<double> x, update;  // the last iterate, and its weighted update per unknown
  };
  // Newton at source factor `sources`, with `shunt` siemens from every voltage unknown to ground.
  // `initial`: the first iteration with Eval::initial.
  Outcome newton(std::vector<double>& x, const OpRequest& request, double sources, double shunt,
                 int max_iterations, bool initial = false);
  bool gmin_stepping(std::vector<double>& x, const OpRequest& request);
  bool source_stepping(std::vector<double>& x, const OpRequest& request);
  // The unknowns to look at when Newton failed: largest residuals and largest updates.
  std::string culprits(const Outcome& failed, const OpRequest& request);

  const System& system_;
  SparseLu lu_;
  std::unique_ptr<BlockSolver> blocks_;
  Assembly assembly_;
  std::vector<double> matrix_, rhs_, proposed_, step_, weights_;
  std::vector<double> previous_q_;  // an Euler step's charges at `previous`
  std::vector<double> floor_;  // each unknown's rounding noise at the last factorisation (noise_floor)
  std::vector<bool> is_voltage_;
  Outcome last_;
  std::string non_finite_;  // the first device that produced NaN/Inf in this solve
  long iterations_ = 0, factorisations_ = 0;
  // The step size of the Euler step whose G + C/h lu_ holds (0: none, or something else).
  double factored_step_ = 0;
};

}  // namespace ns
