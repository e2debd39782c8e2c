#include "engine/integrator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include <fmt/format.h>
#include <ida/ida.h>
#include <nvector/nvector_serial.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunnonlinsol/sunnonlinsol_newton.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include "engine/block_solver.hpp"
#include "engine/algebraic_tolerance.hpp"
#include "engine/charge_allowance.hpp"
#include "engine/charge_floor.hpp"
#include "engine/charge_rows.hpp"
#include "engine/consistent_output.hpp"
#include "engine/ida_order.hpp"
#include "engine/jacobian_reuse.hpp"
#include "engine/jump_filter.hpp"
#include "engine/klu_pivots.hpp"
#include "engine/sparse_lu.hpp"
#include "engine/trapezoidal.hpp"
#include "engine/vector.hpp"
#include "engine/workers.hpp"

namespace ns {

// Everything SUNDIALS, plus the last evaluation: IDA asks for the Jacobian right after a
// residual at the same point, so keep G and C from that residual instead of loading twice.
// Only the first residual of a Newton solve that sets up a Jacobian stamps G; the others
// are residual-only loads, G neither stamped nor scanned.
struct Integrator::Sundials {
  SUNContext context = nullptr;
  N_Vector y = nullptr, yp = nullptr;
  SUNMatrix matrix = nullptr;
  SUNLinearSolver solver = nullptr;
  SUNNonlinearSolver newton = nullptr;
  std::unique_ptr<BlockSolver> blocks;  // when set, `solver` is its SUNDIALS face
  void* ida = nullptr;
  double first_update = 0, last_update = 0;  // in this Newton solve, relative to tolerance
  const System* system = nullptr;
  Assembly assembly;
  std::vector<double> evaluated_y;
  double evaluated_t = NAN;
  bool evaluated_jacobian = false;  // the last evaluation stamped G
  bool jacobian_next = false;       // the next residual is followed by a Jacobian there
  std::string last_error;
  Unknown non_finite = -1;        // a residual entry that was not finite
  bool finite = true;             // the last evaluation's f, u, G, C were all finite
  std::string non_finite_device;  // the first device that produced NaN/Inf (System::non_finite_source)
  // Each unknown's rounding noise (noise_floor), from the first iteration of the last Newton
  // solve, and its tolerance without it at the start of the step (error_weights).
  std::vector<double> floor, tolerance;
  N_Vector noise_in = nullptr, noise_out = nullptr;
  std::unique_ptr<ChargeAllowance> allowance;  // for the currents IDA error-tests
  std::unique_ptr<ChargeFloor> charge_floor;   // for the node voltages it error-tests
  std::unique_ptr<JumpFilter> jumps;           // algebraic unknowns that jump leave the test
  std::unique_ptr<ConsistentOutput> consistent;  // interpolated rows' algebraic unknowns solved
  std::unique_ptr<AlgebraicTolerance> chain;      // algebraic unknowns' error-test tolerance
  // The charge unknowns (integrator.hpp), after the system's: the row of each, and by row
  // whether it has one. With them, the Jacobian's pattern (CSC) and where each value
  // comes from: G + cj C, G alone (a charge row), -C (a charge unknown's row), cj, 1.
  std::vector<std::size_t> charge_row;
  std::vector<char> charged;
  enum Kind : char { Plain, Conductance, MinusC, Cj, One };
  std::vector<sunindextype> starts, rows;
  std::vector<std::pair<Kind, std::int64_t>> sources;  // (kind, position in G and C)
  std::vector<double> padded, dky, dky0;  // dky0: the last step's local error estimate
  bool start_up = false;  // IDA's start-up phase, held to order 2 (start_up_order)
  JacobianReuse reuse;
  IdaOrder order;  // ida_order.hpp
  long jacobians = 0;  // set up so far (jacobian())
  bool shared_factors = false;  // the next Newton solve starts on the start steps' factors (restart)
  std::size_t size() const { return system->size() + charge_row.size(); }

  ~Sundials() {
    if (ida) IDAFree(&ida);
    if (newton) SUNNonlinSolFree(newton);
    if (solver) SUNLinSolFree(solver);
    if (matrix) SUNMatDestroy(matrix);
    for (N_Vector v : {y, yp, noise_in, noise_out})
      if (v) N_VDestroy(v);
    if (context) SUNContext_Free(&context);
  }

  void evaluate(double t, const double* state, bool jacobian) {
    const std::size_t n = system->size();
    if (t == evaluated_t && (evaluated_jacobian || !jacobian) &&
        std::equal(state, state + n, evaluated_y.begin()))
      return;
    evaluated_y.assign(state, state + n);
    evaluated_t = t;
    evaluated_jacobian = jacobian;
    finite = system->evaluate(eval(), assembly, jacobian);
    if (!finite) name_non_finite();
  }
  Eval eval() const {
    const Options& o = system->circuit().options();
    Eval e{evaluated_y, Mode::Tran, evaluated_t, o.gmin};
    if (o.bypass) e.bypass = {o.reltol, o.vntol, o.abstol};
    return e;
  }
  void name_non_finite() {
    if (non_finite_device.empty()) non_finite_device = system->non_finite_source(eval());
  }
  // With the Jacobian just factored and the assembly from the same point (the predictor).
  void update_floor() {
    if (charge_row.empty() && std::all_of(assembly.noise.begin(), assembly.noise.end(), [](double r) { return r == 0; })) {
      floor.clear();  // no row has noise (noise_floor's answer, without copying the rows)
      return;
    }
    padded = assembly.noise;
    padded.resize(size(), 0.0);
    // A charge unknown's row, q_k - q_r(x), has the rounding error of q_r, a sum of charges
    // as large as C x (48 V on 1 nF: 1e-23 C, which cj = 1/h of a restart's first 5 fs
    // step makes 2e-9 A of the supply's current, 40 times its tolerance).
    for (std::size_t k = 0; k < charge_row.size(); ++k) {
      const std::size_t r = charge_row[k];
      const double size = charge_size(*system, assembly.C, r, evaluated_y, std::abs(assembly.q[r]));
      padded[system->size() + k] = 8 * std::numeric_limits<double>::epsilon() * size;
    }
    noise_floor(padded, floor, [&](std::vector<double>& b) {
      const auto n = static_cast<sunindextype>(b.size());
      if (!noise_in) noise_in = N_VNew_Serial(n, context), noise_out = N_VNew_Serial(n, context);
      std::copy(b.begin(), b.end(), N_VGetArrayPointer(noise_in));
      if (SUNLinSolSolve(solver, matrix, noise_out, noise_in, 0) != SUNLS_SUCCESS) b.assign(b.size(), 0.0);
      else std::copy_n(N_VGetArrayPointer(noise_out), n, b.begin());
    });
  }

  // Before IDA's error test of a converged attempt (jump_filter.hpp).
  void filter_jumps(N_Vector correction, N_Vector w) {
    long step = 0, failures = 0;
    double h = 0;
    int order = 0;
    IDAGetNumSteps(ida, &step);
    IDAGetNumErrTestFails(ida, &failures);
    IDAGetCurrentStep(ida, &h);
    IDAGetCurrentOrder(ida, &order);
    jumps->after_solve(step, h, order, failures, {N_VGetArrayPointer(correction), size()},
                       {N_VGetArrayPointer(w), size()});
  }

  // Unknown i's tolerance at value x: a charge unknown's from the C of the last evaluation.
  double tolerance_of(std::size_t i, double size) const {
    const std::size_t n = system->size();
    if (i < n) return system->tolerance(i, size);
    return charge_tolerance(*system, assembly.C, charge_row[i - n], evaluated_y);
  }

  void extend_pattern() {
    const std::size_t n = system->size();
    charged.assign(n, 0);
    std::vector<std::size_t> charge_of(n, 0);
    for (std::size_t k = 0; k < charge_row.size(); ++k) charged[charge_row[k]] = 1, charge_of[charge_row[k]] = k;
    const auto& column_starts = system->column_starts();
    const auto& system_rows = system->rows();
    starts.assign(1, 0);
    rows.clear();
    sources.clear();
    for (std::size_t j = 0; j < n; ++j) {
      for (auto p = column_starts[j]; p < column_starts[j + 1]; ++p) {
        rows.push_back(system_rows[p]);
        sources.emplace_back(charged[system_rows[p]] ? Conductance : Plain, p);
      }
      // The charge unknowns' rows, d(q_k - q_r)/dx_j = -C_rj: after every row of the
      // circuit's and in increasing order, as the rows r are (charge_rows).
      for (auto p = column_starts[j]; p < column_starts[j + 1]; ++p)
        if (charged[system_rows[p]]) {
          rows.push_back(static_cast<sunindextype>(n + charge_of[system_rows[p]]));
          sources.emplace_back(MinusC, p);
        }
      starts.push_back(static_cast<sunindextype>(rows.size()));
    }
    for (std::size_t k = 0; k < charge_row.size(); ++k) {
      rows.push_back(static_cast<sunindextype>(charge_row[k]));
      sources.emplace_back(Cj, 0);
      rows.push_back(static_cast<sunindextype>(n + k));
      sources.emplace_back(One, 0);
      starts.push_back(static_cast<sunindextype>(rows.size()));
    }
  }

  // The charge unknowns at (t, y, y') of the circuit's: q_k = q_r(y), q_k' = (C(y) y')_r.
  void consistent_charges(double t) {
    if (charge_row.empty()) return;
    const std::size_t n = system->size();
    double* values = N_VGetArrayPointer(y);
    double* slopes = N_VGetArrayPointer(yp);
    evaluate(t, values, false);
    std::vector<double> product(n);
    system->multiply(assembly.C, std::span<const double>(slopes, n), product);
    for (std::size_t k = 0; k < charge_row.size(); ++k) {
      values[n + k] = assembly.q[charge_row[k]];
      slopes[n + k] = product[charge_row[k]];
    }
  }
};

namespace {

Integrator::Sundials& of(void* data) { return *static_cast<Integrator::Sundials*>(data); }

int residual(double t, N_Vector y, N_Vector yp, N_Vector r, void* data) {
  auto& s = of(data);
  const std::size_t n = s.system->size();
  s.evaluate(t, N_VGetArrayPointer(y), s.jacobian_next);
  s.jacobian_next = false;
  if (!s.finite) {
    s.evaluated_t = NAN;
    return 1;  // recoverable: IDA retries with a smaller step
  }
  double* out = N_VGetArrayPointer(r);
  const long bad = s.system->residual(s.assembly, {N_VGetArrayPointer(yp), n}, {out, n});
  if (bad >= 0) {  // f, u or C of a residual-only load, or x' itself
    s.non_finite = static_cast<Unknown>(bad);
    s.name_non_finite();
    s.evaluated_t = NAN;
    return 1;  // recoverable: IDA retries with a smaller step
  }
  // A charge row: q_k' in place of its C x'; a charge unknown: q_k - q_r(x).
  const double* values = N_VGetArrayPointer(y);
  const double* slopes = N_VGetArrayPointer(yp);
  for (std::size_t k = 0; k < s.charge_row.size(); ++k) {
    const std::size_t r = s.charge_row[k];
    out[r] = slopes[n + k] + s.assembly.f[r] - s.assembly.u[r];
    out[n + k] = values[n + k] - s.assembly.q[r];
    if (!std::isfinite(out[r]) || !std::isfinite(out[n + k])) {
      s.non_finite = static_cast<Unknown>(r);
      s.name_non_finite();
      s.evaluated_t = NAN;
      return 1;
    }
  }
  return 0;
}

int jacobian(double t, double cj, N_Vector y, N_Vector, N_Vector, SUNMatrix J, void* data,
             N_Vector, N_Vector, N_Vector) {
  auto& s = of(data);
  ++s.jacobians;
  s.evaluate(t, N_VGetArrayPointer(y), true);
  if (!s.finite) {
    s.evaluated_t = NAN;
    return 1;
  }
  // IDA's linear-solver layer zeroes the whole sparse matrix, index arrays included,
  // before each call, so the (fixed) pattern is written again each time.
  double* values = SUNSparseMatrix_Data(J);
  if (s.charge_row.empty()) {
    std::copy(s.system->column_starts().begin(), s.system->column_starts().end(),
              SUNSparseMatrix_IndexPointers(J));
    std::copy(s.system->rows().begin(), s.system->rows().end(), SUNSparseMatrix_IndexValues(J));
    for (std::size_t k = 0; k < s.assembly.G.size(); ++k)
      values[k] = s.assembly.G[k] + cj * s.assembly.C[k];
    return 0;
  }
  std::copy(s.starts.begin(), s.starts.end(), SUNSparseMatrix_IndexPointers(J));
  std::copy(s.rows.begin(), s.rows.end(), SUNSparseMatrix_IndexValues(J));
  const auto& G = s.assembly.G;
  const auto& C = s.assembly.C;
  for (std::size_t k = 0; k < s.sources.size(); ++k) {
    const auto p = static_cast<std::size_t>(s.sources[k].second);
    switch (s.sources[k].first) {
      case Integrator::Sundials::Plain: values[k] = G[p] + cj * C[p]; break;
      case Integrator::Sundials::Conductance: values[k] = G[p]; break;
      case Integrator::Sundials::MinusC: values[k] = -C[p]; break;
      case Integrator::Sundials::Cj: values[k] = cj; break;
      case Integrator::Sundials::One: values[k] = 1; break;
    }
  }
  return 0;
}

// IDA initialises its linear solver at every (re)start, and SUNDIALS' KLU then analyses
// the pattern and factors from scratch, although the pattern never changes: keep the
// first analysis and refactor with the last pivots (klu_pivots.hpp: afresh when they let
// the factors grow).
int initialize_keeping_analysis(SUNLinearSolver solver) {
  auto* klu = static_cast<SUNLinearSolverContent_KLU>(solver->content);
  if (!klu->symbolic || !klu->numeric) return SUNLinSolInitialize_KLU(solver);
  klu->last_flag = SUNLS_SUCCESS;
  return SUNLS_SUCCESS;
}

// A fresh Jacobian's update within every tolerance (norm <= 1) that also leaves, at the
// linear rate of the last two updates, less than 1e-4 of the tolerance to go (the test an
// old Jacobian's iterate passes, below) is taken without the further iteration the test
// below asks for. SPICE takes its iterate once an update is within the tolerance; on c880
// (ISCAS85) that further iteration was the third of 602 of the 785 solves on a fresh
// Jacobian.
bool fresh_converged(int m, double norm, double previous) {
  if (m == 0 || norm > 1) return false;
  const double rate = norm / previous;
  return rate < 1 && rate / (1 - rate) * norm <= 1e-4;
}

// IDA's Newton iterations, converged the way a SPICE user expects (issue 16). IDA's own
// test takes an iterate once the weighted RMS of its update, scaled by a convergence rate
// carried over from earlier steps, is below a third of the local error tolerance, with a
// Jacobian that may be many steps old: an algebraic node could then sit reltol·|x| from
// its solution (8e-4 V on a diode-resistor deck where ngspice is within 2e-7 V). Here,
// as in our operating point (newton.cpp): every unknown's update must be within
// reltol·|x| + its absolute tolerance (vntol, abstol, a state's own), and once it is, one
// more iteration is taken, which with a fresh Jacobian (quadratic convergence) leaves far
// less error than the tolerance. A Jacobian from an earlier step converges only linearly,
// at a rate r estimated from successive updates, leaving about r/(1-r) of the last update:
// it is kept while r <= 0.1 and until that estimate is 1e-4 of the tolerance; converging
// more slowly, the solve starts again with a fresh one (SUNDIALS' Newton does so when this
// test reports a recoverable failure with an old Jacobian). A fresh Jacobian on every
// step, as SPICE takes, cost a refactorisation per step: 10x the time on a 1000-neuron
// network. An unknown's update counts only beyond its rounding noise (noise_floor): a
// behavioural value that is the difference of two 1e10 terms changes by 1e-4 between
// iterations however close they are, and SPICE, solving for x itself with inputs that
// repeat to the bit, never sees that.
int newton_converged(SUNNonlinearSolver nls, N_Vector correction, N_Vector update, double, N_Vector,
                     void* data) {
  auto& s = of(data);
  int m = 0;
  SUNNonlinSolGetCurIter(nls, &m);
  double t = 0, cj = 0;
  N_Vector predicted, yp_predicted, yy, yp, saved;
  void* user = nullptr;
  IDAGetNonlinearSystemData(s.ida, &t, &predicted, &yp_predicted, &yy, &yp, &saved, &cj, &user);
  const double* p = N_VGetArrayPointer(predicted);
  const double* c = N_VGetArrayPointer(correction);
  const double* d = N_VGetArrayPointer(update);
  if (m == 0) s.update_floor();
  // The largest update relative to its unknown's tolerance: the circuit's unknowns in a
  // loop of their own (no test for a charge unknown, no test for the floor inside), then
  // the charge unknowns. The same quotients as one loop over tolerance_of and beyond_noise.
  const std::size_t n = s.system->size();
  const System& system = *s.system;
  const double* floor = s.floor.empty() ? nullptr : s.floor.data();
  auto quotient = [&](std::size_t i, double tol) {
    return (floor ? std::max(0.0, std::abs(d[i]) - floor[i]) : std::abs(d[i])) / tol;
  };
  double norm = floor ? largest(n, system.workers().get(), [&](std::size_t i) {
    const double x = p[i] + c[i];
    return std::max(0.0, std::abs(d[i]) - floor[i]) / system.tolerance(i, std::max(std::abs(x), std::abs(x - d[i])));
  }) : largest(n, system.workers().get(), [&](std::size_t i) {
    const double x = p[i] + c[i];
    return std::abs(d[i]) / system.tolerance(i, std::max(std::abs(x), std::abs(x - d[i])));
  });
  for (std::size_t i = n; i < s.size(); ++i) {
    const double x = p[i] + c[i];
    norm = std::max(norm, quotient(i, s.tolerance_of(i, std::max(std::abs(x), std::abs(x - d[i])))));
  }
  const double previous = s.last_update;
  s.last_update = norm;
  if (const auto* newton = static_cast<SUNNonlinearSolverContent_Newton>(nls->content); !newton->jcur) {
    const int outcome = norm == 0 ? SUN_NLS_SUCCESS
                        : m == 0  ? SUN_NLS_CONTINUE
                        : norm / previous > 0.1  // again, with a fresh Jacobian
                            ? SUN_NLS_CONV_RECVR
                        : norm / previous / (1 - norm / previous) * norm <= 1e-4 ? SUN_NLS_SUCCESS
                                                                                  : SUN_NLS_CONTINUE;
    // Failed on this Jacobian (or out of iterations), SUNDIALS' Newton starts again from
    // the predictor with a fresh one, its first residual then followed by the Jacobian:
    // that residual stamps G, rather than being loaded twice (the 20 such restarts of a
    // 256x256 1T1R pulse were 20 loads of its 65,536 cells).
    if (outcome == SUN_NLS_CONV_RECVR || (outcome == SUN_NLS_CONTINUE && m + 1 >= newton->maxiters))
      s.jacobian_next = true;
    return outcome;
  }
  if (fresh_converged(m, norm, previous)) return SUN_NLS_SUCCESS;
  // An update of a thousandth of the tolerance is that one more iteration already (the
  // predictor of a quiet step; the second iteration on a linear circuit).
  if (norm <= 1e-3) return SUN_NLS_SUCCESS;
  if (m == 0) {
    s.first_update = norm;
    return SUN_NLS_CONTINUE;
  }
  // Two updates in a row within every tolerance: converged, however slowly the second
  // shrank. An update at the rounding noise of a KCL sum does not shrink at all (an
  // op-amp macromodel's mid-rail E source, i(e1) ~1e-12 A between mA terms, updates of
  // 0.1-0.2 of its tolerance): the rate test below failed every solve and the step fell
  // to 1e-29 s at t = 13 ns (ngspice's examples/p-to-n-examples/op-test.cir).
  if (previous <= 1 && norm <= 1) return SUN_NLS_SUCCESS;
  if (std::pow(norm / s.first_update, 1.0 / m) > 0.9) return SUN_NLS_CONV_RECVR;  // not converging
  return previous <= 1 ? SUN_NLS_SUCCESS : SUN_NLS_CONTINUE;
}

// The Newton solve; when IDA sets up a Jacobian for it, its first residual stamps G.
// w is IDA's error weights, which its error test reads after this: the noise floor of
// this solve joins them (error_weights takes it from the last solve, a step late).
int solve_newton(SUNNonlinearSolver nls, N_Vector y0, N_Vector correction, N_Vector w, double tol,
                 booleantype call_setup, void* mem) {
  auto& s = of(static_cast<SUNNonlinearSolverContent_Newton>(nls->content)->ctest_data);
  // The first solve after a restart, which IDA sets up afresh, on the start steps' factors
  // of the same matrix instead (Integrator::restart), tested as an old Jacobian's: a slow
  // iteration brings a fresh one. It says nothing of the old Jacobians' back-off.
  const bool shared = std::exchange(s.shared_factors, false);
  if (shared) call_setup = SUNFALSE;
  else if (!call_setup) call_setup = s.reuse.fresh_next();  // jacobian_reuse.hpp
  s.jacobian_next = call_setup;
  const long before = s.jacobians;
  const int flag = SUNNonlinSolSolve_Newton(nls, y0, correction, w, tol, call_setup, mem);
  if (!call_setup && !shared) s.reuse.old_outcome(s.jacobians == before);
  if (!s.floor.empty() && s.tolerance.size() == s.floor.size()) {
    double* weights = N_VGetArrayPointer(w);
    for (std::size_t i = 0; i < s.floor.size(); ++i) weights[i] = 1 / (s.tolerance[i] + s.floor[i]);
  }
  if (flag == SUN_NLS_SUCCESS && s.jumps) s.filter_jumps(correction, w);
  return flag;
}

// The max norm, max_i |x_i w_i|, in place of IDA's weighted RMS over all unknowns
// (.options errnorm=max): every unknown's local error within its own tolerance, as SPICE
// tests each one, whatever the number of quiet unknowns beside it.
double max_norm(N_Vector x, N_Vector w) {
  const double* a = N_VGetArrayPointer(x);
  const double* b = N_VGetArrayPointer(w);
  return largest(static_cast<std::size_t>(N_VGetLength(x)), vector_threads(),
                 [&](std::size_t i) { return std::abs(a[i] * b[i]); });
}

// The same over the unknowns IDA's error test keeps (id > 0) once index-2 currents leave it.
double max_norm_mask(N_Vector x, N_Vector w, N_Vector id) {
  const double* a = N_VGetArrayPointer(x);
  const double* b = N_VGetArrayPointer(w);
  const double* keep = N_VGetArrayPointer(id);
  return largest(static_cast<std::size_t>(N_VGetLength(x)), vector_threads(),
                 [&](std::size_t i) { return keep[i] > 0 ? std::abs(a[i] * b[i]) : 0.0; });
}

// IDA's error weights, 1 / tolerance per unknown, from the same tolerance as the Newton
// test and the operating point (System::tolerance): an angle state's relative part is of
// its fixed magnitude, not of its value. An unknown's rounding noise (noise_floor) adds to
// its tolerance: a local error estimate is a difference of solutions, each as noisy. A
// current into a capacitor's node may be off by reltol of the charge over the step
// (charge_allowance.hpp), as SPICE's test of a capacitor's current allows. A node voltage's
// error may be as large as moves its charges by reltol·chgtol (charge_floor.hpp), as SPICE's
// test of a capacitor's charge allows.
int error_weights(N_Vector y, N_Vector w, void* data) {
  auto& s = of(data);
  const double* x = N_VGetArrayPointer(y);
  double* out = N_VGetArrayPointer(w);
  const std::size_t n = s.system->size();
  s.tolerance.resize(s.size());
  Workers* workers = s.system->workers().get();
  in_pieces(n, workers, [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) s.tolerance[i] = s.system->tolerance(i, std::abs(x[i]));
  });
  for (std::size_t k = 0; k < s.charge_row.size(); ++k)
    s.tolerance[n + k] = charge_tolerance(*s.system, s.assembly.C, s.charge_row[k], std::span<const double>(x, n));
  s.charge_floor->apply(s.assembly.C, std::span<double>(s.tolerance.data(), n));
  double h = 0;
  if (s.allowance && IDAGetCurrentStep(s.ida, &h) == IDA_SUCCESS)  // the step IDA is about to try
    s.allowance->apply(s.assembly.C, std::span<const double>(x, n), h, s.tolerance);
  if (s.chain) s.chain->apply(s.assembly.G, s.jacobians, std::span<double>(s.tolerance.data(), n));
  in_pieces(s.size(), workers, [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) out[i] = 1 / (s.tolerance[i] + (s.floor.empty() ? 0.0 : s.floor[i]));
  });
  return 0;
}

void record_error(int, const char*, const char*, char* message, void* data) {
  of(data).last_error = message;
}

void check(int flag, const char* what) {
  if (flag < 0) throw SimulationError(fmt::format("transient set-up failed in {} (flag {})", what, flag));
}

// IDA's start-up phase, at t0 and after every restart, raises the order by one and doubles
// the step at each step until a step fails, the lower orders' estimates win, or the order
// reaches its maximum. It never asks whether the higher order would be the more accurate:
// its regular selection raises the order only when the estimate of the next order's error
// is below the present one's, after enough steps of one size to make that estimate. After
// a source corner that question matters. On the falling edge of a 1T1R cell's weak-reset
// pulse (10 ns) the RRAM's gap rate dies within ~0.7 ns while the node voltages follow the
// edge exactly; the start-up phase reached order 5 with a 1.6 ns step there, and BDF3-5,
// whose history terms alternate in sign, moved the gap back against its rate by 7e-5 nm:
// each step within the gap's tolerance, but 2-6 % of the pulse's whole gap change (bench
// xbar_pulse 16x16: 2.3 %, ngspice 0.18 %; tmax 1n did not help, 0.46 %). So the start-up
// phase stops at order 2 (BDF1 and 2, the A-stable orders, as SPICE's gear), and IDA's
// regular selection takes the order higher on its own estimates: 9.8e-6 in 155 steps
// (145 before), the other bench circuits within +-1 % of their steps.
constexpr int start_up_order = 2, max_order = 5;

void start_up(Integrator::Sundials& s) {
  check(IDASetMaxOrd(s.ida, start_up_order), "IDASetMaxOrd");
  s.start_up = true;
  s.order.restart();
}

// After a step: once IDA has taken one at start_up_order its start-up phase is over (IDA
// ends it on reaching the maximum order), and the maximum goes back up.
void end_start_up(Integrator::Sundials& s) {
  int order = 0;
  if (!s.start_up || IDAGetLastOrder(s.ida, &order) != IDA_SUCCESS || order < start_up_order) return;
  check(IDASetMaxOrd(s.ida, max_order), "IDASetMaxOrd");
  s.start_up = false;
}

// The currents IDA must not error-test. A voltage source (or E, H, a B element's V=) in a
// loop of voltage sources and capacitors carries C·dv/dt of a voltage the loop fixes: an
// index-2 variable. Its error estimate is the mismatch between its value and the
// polynomial through its history, which does not shrink as IDA shortens the step, so the
// error test cut the step without end (5 nF behind a 0 V ammeter on a 1 kHz sine: 6
// million steps at reltol 1e-5). SPICE's truncation-error test looks at charges and
// fluxes only; here these currents leave the test (suppressalg) and are held to their
// solution by the Newton test above. Every other unknown stays in it: a current the
// algebraic equations determine (R in series with the capacitor) is SPICE's capacitor
// current test in disguise, and keeps our accuracy on RC circuits; one that flows into a
// capacitor's node gets that test's charge allowance too (charge_allowance.hpp).
//
// Which: at t0, the rows and columns of the Jacobian without a capacitance entry are the
// algebraic equations and unknowns. Match them on the conductance entries that are not
// zero there (a declared entry may be a structural zero: a source's unused Rser), the
// differential unknowns taken as known. An algebraic unknown that a maximum matching can
// leave uncovered (reachable by an alternating path from an unmatched one) is not fixed
// by the algebraic equations.
// The index-2 unknowns (index2) and the matching of the others to algebraic rows (pairs),
// from G and C at t0; rows in `charged` (a charge unknown's) are not matched.
struct AlgebraicMatching {
  std::vector<char> index2;
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  // (algebraic unknown, its row)
  std::vector<char> differential;  // by unknown: a capacitance in its column
};

AlgebraicMatching match_algebraic(const System& system, const Assembly& assembly, const std::vector<char>& charged) {
  const std::size_t n = system.size();
  const auto& starts = system.column_starts();
  const auto& rows = system.rows();
  std::vector<char> charged_row(n, 0), charged_column(n, 0);
  for (std::size_t j = 0; j < n; ++j)
    for (auto k = starts[j]; k < starts[j + 1]; ++k)
      if (assembly.C[static_cast<std::size_t>(k)] != 0) charged_row[rows[k]] = charged_column[j] = 1;

  // Augmenting paths from each algebraic column over algebraic rows (Kuhn), iterative.
  constexpr long none = -1;
  std::vector<long> column_of(n, none), row_of(n, none), seen(n, none);
  std::vector<std::pair<std::size_t, std::int64_t>> path;  // (column, next entry to try)
  for (std::size_t root = 0; root < n; ++root) {
    if (charged_column[root]) continue;
    path.assign(1, {root, starts[root]});
    while (!path.empty()) {
      auto& [j, k] = path.back();
      if (k == starts[j + 1]) { path.pop_back(); continue; }
      const auto r = static_cast<std::size_t>(rows[k]);
      if (assembly.G[static_cast<std::size_t>(k++)] == 0 || charged_row[r] || seen[r] == static_cast<long>(root))
        continue;
      seen[r] = static_cast<long>(root);
      if (column_of[r] == none) {  // free row: flip the path
        for (auto it = path.rbegin(); it != path.rend(); ++it) {
          const auto row = static_cast<std::size_t>(rows[it->second - 1]);
          column_of[row] = static_cast<long>(it->first);
          row_of[it->first] = static_cast<long>(row);
        }
        break;
      }
      path.push_back({static_cast<std::size_t>(column_of[r]), starts[column_of[r]]});
    }
  }

  std::vector<char> index2(n, 0);
  std::vector<std::size_t> queue;
  for (std::size_t j = 0; j < n; ++j)
    if (!charged_column[j] && row_of[j] == none) {
      index2[j] = 1;
      queue.push_back(j);
    }
  while (!queue.empty()) {
    const std::size_t j = queue.back();
    queue.pop_back();
    for (auto k = starts[j]; k < starts[j + 1]; ++k) {
      const auto r = static_cast<std::size_t>(rows[k]);
      if (assembly.G[static_cast<std::size_t>(k)] == 0 || charged_row[r] || column_of[r] == none ||
          index2[column_of[r]])
        continue;
      index2[column_of[r]] = 1;
      queue.push_back(static_cast<std::size_t>(column_of[r]));
    }
  }

  AlgebraicMatching m;
  for (std::size_t j = 0; j < n; ++j)
    if (!charged_column[j] && !index2[j] && row_of[j] != none &&
        (charged.empty() || !charged[static_cast<std::size_t>(row_of[j])]))
      m.pairs.emplace_back(j, static_cast<std::size_t>(row_of[j]));
  m.index2 = std::move(index2);
  m.differential = std::move(charged_column);
  return m;
}

void exclude_index2_currents(Integrator::Sundials& s, double t0) {
  const System& system = *s.system;
  const std::size_t n = system.size();
  s.evaluate(t0, N_VGetArrayPointer(s.y), true);
  auto [index2, matched, differential] = match_algebraic(system, s.assembly, s.charged);
  const auto& unknowns = system.circuit().tables().unknowns;
  N_Vector id = N_VNew_Serial(static_cast<sunindextype>(s.size()), s.context);
  double* tested = N_VGetArrayPointer(id);
  bool any = false;
  for (std::size_t j = 0; j < n; ++j) {
    const bool skip = index2[j] && unknowns[j].kind == UnknownKind::Current;
    tested[j] = skip ? 0.0 : 1.0;
    any = any || skip;
  }
  // The charge unknowns are tested, but for those of a device's internal nodes: such a
  // node's voltage is tested at its charge floor (charge_floor.hpp), which holds C·dv of
  // its own charge to reltol·chgtol, and what its charge takes from the other nodes' moves
  // (an internal body node's share of the gate charge) is held by their tests; its charge
  // can go nowhere but through the device's own series resistance (rbodyMod's 5 ohm,
  // rgateMod's gate resistance) into the terminals, whose nodes are tested. Tested anyway,
  // that charge sits at the floor reltol·chgtol, 1e-18 C at reltol 1e-4 on charges of 1e-16
  // C, and set the step of c880 (45 nm BSIM4, rbodyMod and rgateMod 1) on 1395 of its 2396
  // steps: out of the test, 2411 -> 1817 steps at reltol 1e-4, and the outputs' edge error
  // against the reltol-1e-6 reference 0.028 -> 0.0077 ps (bench/iscas/RESULTS.md).
  for (std::size_t k = 0; k < s.charge_row.size(); ++k) {
    const bool skip = unknowns[s.charge_row[k]].internal_node();
    tested[n + k] = skip ? 0.0 : 1.0;
    any = any || skip;
  }
  if (!matched.empty()) {
    s.consistent = std::make_unique<ConsistentOutput>(system, matched, differential);
    s.chain = std::make_unique<AlgebraicTolerance>(system, matched);
  }
  auto allowance = std::make_unique<ChargeAllowance>(system, s.assembly.C, index2);
  if (!allowance->empty()) s.allowance = std::move(allowance);
  if (any) {
    check(IDASetId(s.ida, id), "IDASetId");
    check(IDASetSuppressAlg(s.ida, SUNTRUE), "IDASetSuppressAlg");
  }
  N_VDestroy(id);
}

}  // namespace

Integrator::Integrator(const System& system, const IntegratorOptions& options, double t0,
                       std::span<const double> y, std::span<const double> yp)
    : system_(system), s_(std::make_unique<Sundials>()), t_(t0) {
  if (system.circuit().options().method == "trap") {
    trap_ = std::make_unique<Trapezoidal>(system, options.max_step, t0, y, yp, options.first_step,
                                          options.charge_rows);
    // Its output rows between steps are made consistent as IDA's are (consistent_output.hpp).
    Assembly at_t0 = system.make_assembly();
    const std::vector<double> y0(y.begin(), y.end());
    std::vector<char> charged(system.size(), 0);
    for (std::size_t r : options.charge_rows) charged[r] = 1;
    if (system.evaluate(Eval{y0, Mode::Tran, t0, system.circuit().options().gmin}, at_t0)) {
      auto matching = match_algebraic(system, at_t0, charged);
      if (!matching.pairs.empty())
        s_->consistent = std::make_unique<ConsistentOutput>(system, matching.pairs, matching.differential);
    }
    return;
  }
  auto& s = *s_;
  s.system = &system;
  s.assembly = system.make_assembly();
  s.charge_floor = std::make_unique<ChargeFloor>(system);
  s.charge_row = options.charge_rows;
  if (!s.charge_row.empty()) {
    s.assembly.q.resize(system.size());
    s.extend_pattern();
  }
  const auto n = static_cast<sunindextype>(s.size());
  check(SUNContext_Create(nullptr, &s.context), "SUNContext_Create");
  s.y = new_vector(n, s.context);
  s.yp = new_vector(n, s.context);
  std::copy(y.begin(), y.end(), N_VGetArrayPointer(s.y));
  std::copy(yp.begin(), yp.end(), N_VGetArrayPointer(s.yp));
  s.consistent_charges(t0);
  const Options& o = system.circuit().options();
  // KLU analyses the pattern on the first factorisation and only refactors after that.
  const auto nnz = static_cast<sunindextype>(s.charge_row.empty() ? system.nonzeros() : s.rows.size());
  s.matrix = SUNSparseMatrix(n, n, std::max<sunindextype>(nnz, 1), CSC_MAT, s.context);
  // IDA zeroes the matrix before each jacobian(), which writes the pattern and every value
  // anyway: that pass over it was 2.6 % of a 256x256 1T1R pulse.
  s.matrix->ops->zero = [](SUNMatrix) { return 0; };
  if (options.blocks && s.charge_row.empty()) {
    s.blocks = std::make_unique<BlockSolver>(system, options.blocks);
    s.solver = s.blocks->sundials(s.context);
  } else {
    s.solver = SUNLinSol_KLU(s.y, s.matrix, s.context);
    if (!s.solver) throw SimulationError("transient set-up failed: SUNLinSol_KLU");
    // AMD (0), as KLU's own default and our OP solver: SUNDIALS defaults to COLAMD, whose
    // fill-in on a 128x64 1T1R crossbar made each refactorisation ~100x slower.
    check(SUNLinSol_KLUSetOrdering(s.solver, 0), "SUNLinSol_KLUSetOrdering");
    s.solver->ops->initialize = initialize_keeping_analysis;
    s.solver->ops->setup = setup_keeping_pivots;
  }

  // IDA clones every vector it keeps from y, operations table included, so this is the
  // norm of its error test, step and order selection.
  if (o.errnorm == "max") {
    s.y->ops->nvwrmsnorm = max_norm;
    s.y->ops->nvwrmsnormmask = max_norm_mask;
  }
  s.ida = IDACreate(s.context);
  if (!s.ida) throw SimulationError("transient set-up failed: IDACreate");
  check(IDASetErrHandlerFn(s.ida, record_error, &s), "IDASetErrHandlerFn");
  check(IDAInit(s.ida, residual, t0, s.y, s.yp), "IDAInit");
  check(IDASetUserData(s.ida, &s), "IDASetUserData");
  check(IDAWFtolerances(s.ida, error_weights), "IDAWFtolerances");
  check(IDASetLinearSolver(s.ida, s.solver, s.matrix), "IDASetLinearSolver");
  check(IDASetJacFn(s.ida, jacobian), "IDASetJacFn");
  s.newton = SUNNonlinSol_Newton(s.y, s.context);
  if (!s.newton) throw SimulationError("transient set-up failed: SUNNonlinSol_Newton");
  // Attaching the solver sets IDA's own test; ours replaces it after.
  check(IDASetNonlinearSolver(s.ida, s.newton), "IDASetNonlinearSolver");
  check(SUNNonlinSolSetConvTestFn(s.newton, newton_converged, &s), "SUNNonlinSolSetConvTestFn");
  s.newton->ops->solve = solve_newton;
  check(IDASetMaxNumSteps(s.ida, 100000), "IDASetMaxNumSteps");
  exclude_index2_currents(s, t0);
  s.jumps = std::make_unique<JumpFilter>(system, s.assembly.C, 6);  // C at t0, from the call above
  if (s.jumps->empty()) s.jumps.reset();
  start_up(s);
  if (options.max_step > 0) check(IDASetMaxStep(s.ida, options.max_step), "IDASetMaxStep");
  check(IDASetInitStep(s.ida, options.first_step), "IDASetInitStep");
  // IDA's vector operations on the transient's threads too (-j; System::use_threads).
  if (system.workers()) use_vector_threads(system.workers().get());
}

Integrator::~Integrator() {
  if (system_.workers()) use_vector_threads(nullptr);
}

double Integrator::step(double stop) {
  if (trap_) return t_ = trap_->step(stop);
  auto& s = *s_;
  check(IDASetStopTime(s.ida, stop), "IDASetStopTime");
  // A stalled step keeps what went wrong in the calls before it: the NaN that shrank the
  // step happened there, not in the call that gives up.
  if (stalled_ == 0) {
    s.non_finite = -1;
    s.non_finite_device.clear();
  }
  const double before = t_;
  const int flag = IDASolve(s.ida, stop, &t_, s.y, s.yp, IDA_ONE_STEP);
  if (flag >= 0) {
    s.order.after_step(s.ida);
    end_start_up(s);
    // A step below the resolution of t (t + h == t) only warns in IDA and "succeeds"
    // without advancing, forever: a few in a row is a failure.
    stalled_ = t_ > before ? 0 : stalled_ + 1;
    if (stalled_ < 20) return t_;
  }

  double h = 0;
  IDAGetCurrentStep(s.ida, &h);
  std::string culprit, who;  // the message's part, and the unknown it names first
  if (s.non_finite >= 0) who = system_.unknown_name(s.non_finite);
  if (!s.non_finite_device.empty()) {
    culprit = "; " + s.non_finite_device;
  } else if (s.non_finite >= 0) {
    culprit = fmt::format("; the residual of {} was not a finite number", system_.unknown_name(s.non_finite));
  }
  // The unknowns with the largest weighted local error estimates (IDA's error test: a
  // step passes when their weighted RMS norm is <= 1).
  const auto n = static_cast<sunindextype>(s.size());
  auto name = [&](std::size_t i) {
    return i < system_.size() ? system_.unknown_name(static_cast<Unknown>(i))
                              : "charge of " + system_.unknown_name(static_cast<Unknown>(s.charge_row[i - system_.size()]));
  };
  N_Vector weights = N_VNew_Serial(n, s.context), errors = N_VNew_Serial(n, s.context);
  if (n > 0 && IDAGetErrWeights(s.ida, weights) == IDA_SUCCESS &&
      IDAGetEstLocalErrors(s.ida, errors) == IDA_SUCCESS) {
    const double* w = N_VGetArrayPointer(weights);
    const double* e = N_VGetArrayPointer(errors);
    const double* y = N_VGetArrayPointer(s.y);
    std::vector<std::size_t> order(s.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const std::size_t count = std::min<std::size_t>(3, order.size());
    std::partial_sort(order.begin(), order.begin() + count, order.end(), [&](auto a, auto b) {
      return std::abs(e[a] * w[a]) > std::abs(e[b] * w[b]);
    });
    culprit += "; largest weighted local errors: ";
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t i = order[k];
      if (who.empty()) who = system_.unknown_name(static_cast<Unknown>(i < system_.size() ? i : s.charge_row[i - system_.size()]));
      culprit += fmt::format("{}{} ({:.3g}, value {:.6g})", k ? ", " : "", name(i), e[i] * w[i], y[i]);
    }
  }
  N_VDestroy(weights);
  N_VDestroy(errors);
  const std::string why = flag >= 0 ? "the step size fell below the resolution of t (t + h = t)"
                          : s.last_error.empty() ? IDAGetReturnFlagName(flag) : s.last_error;
  throw SimulationError(fmt::format("transient failed at t = {:.6g} s with step size {:.3g} s: {}{}",
                                    t_, h, why, culprit),
                        t_, who);
}

void Integrator::restart(double t, std::span<const double> y, std::span<const double> yp, double first_step,
                         SparseLu* factors) {
  if (trap_) {
    t_ = t;
    return trap_->restart(t, y, yp, first_step);
  }
  std::copy(y.begin(), y.end(), N_VGetArrayPointer(s_->y));
  std::copy(yp.begin(), yp.end(), N_VGetArrayPointer(s_->yp));
  s_->consistent_charges(t);
  t_ = t;
  banked_ = counters();
  ++restarts_;
  check(IDAReInit(s_->ida, t_, s_->y, s_->yp), "IDAReInit");
  // The start steps' factors are of IDA's first matrix, G + cj C with cj = 1/first_step at
  // order 1, at a point a step or two away; on the same pattern, analysed alike (AMD, KLU's
  // defaults), so the numeric factors trade. Not with the charge unknowns' larger pattern.
  s_->shared_factors = false;
  if (factors && first_step > 0 && !s_->blocks && s_->charge_row.empty()) {
    auto* klu = static_cast<SUNLinearSolverContent_KLU>(s_->solver->content);
    if (klu->symbolic && klu->numeric && !klu->first_factorize) {
      factors->exchange_numeric(klu->numeric);
      s_->shared_factors = true;
    }
  }
  start_up(*s_);
  check(IDASetInitStep(s_->ida, first_step), "IDASetInitStep");
}

bool Integrator::hold() {
  if (!hold_) hold_ = std::make_unique<EventHold>(system_);
  if (!hold_->find(t_, y(), moved_)) return false;
  if (trap_) {
    trap_->hold(moved_);
  } else {
    hold_in_ida(s_->ida, moved_);
    for (const auto& [i, v] : moved_) N_VGetArrayPointer(s_->y)[i] = v, N_VGetArrayPointer(s_->yp)[i] = 0;
    s_->evaluated_t = NAN;  // the devices' state changed: the same (t, y) loads differently
  }
  ++held_;
  return true;
}

void Integrator::interpolate(double t, std::vector<double>& y) const {
  if (trap_) {
    if (trap_->interpolate(t, y, s_->consistent ? &s_->dky : nullptr) && s_->consistent)
      s_->consistent->solve(t, y, trap_->y(), [&] { return std::span<const double>(s_->dky.data(), system_.size()); },
                            [&] {  // the quadratic's distance from the step's chord
                              const auto [t0, y0] = trap_->start();
                              const auto end = trap_->y();
                              const double along = (t - t0) / (trap_->time() - t0);
                              s_->dky0.resize(y.size());
                              for (std::size_t j = 0; j < y.size(); ++j) s_->dky0[j] = y[j] - y0[j] - along * (end[j] - y0[j]);
                              return std::span<const double>(s_->dky0);
                            });
    return;
  }
  const auto n = static_cast<sunindextype>(system_.size());
  s_->dky.resize(s_->size());
  N_Vector out = N_VMake_Serial(static_cast<sunindextype>(s_->size()), s_->dky.data(), s_->context);
  use_fast_operations(out);  // IDAGetDky's sum over the history on the transient's threads too
  // The polynomial is valid over the last step; a time a rounding error outside it (an
  // output row on a source corner) is taken at the nearest end.
  double last_step = 0;
  IDAGetLastStep(s_->ida, &last_step);
  const double at = std::clamp(t, t_ - last_step, t_);
  const int flag = IDAGetDky(s_->ida, at, 0, out);
  const double* from = flag == IDA_SUCCESS ? s_->dky.data() : N_VGetArrayPointer(s_->y);  // else no step yet
  y.assign(from, from + n);
  // Between the step's ends (consistent_output.hpp); at them the polynomial is the solution.
  if (flag == IDA_SUCCESS && s_->consistent && at > t_ - last_step && at < t_)
    s_->consistent->solve(
        at, y, {N_VGetArrayPointer(s_->y), system_.size()},
        [&] {
          if (IDAGetDky(s_->ida, at, 1, out) != IDA_SUCCESS) std::fill(s_->dky.begin(), s_->dky.end(), 0.0);
          return std::span<const double>(s_->dky.data(), system_.size());
        },
        [&] {
          s_->dky0.resize(s_->size());
          N_Vector error = N_VMake_Serial(static_cast<sunindextype>(s_->size()), s_->dky0.data(), s_->context);
          if (IDAGetEstLocalErrors(s_->ida, error) != IDA_SUCCESS) std::fill(s_->dky0.begin(), s_->dky0.end(), 0.0);
          N_VDestroy(error);
          return std::span<const double>(s_->dky0.data(), system_.size());
        });
  N_VDestroy(out);
}

std::span<const double> Integrator::y() const {
  if (trap_) return trap_->y();
  return {N_VGetArrayPointer(s_->y), system_.size()};
}

// IDAReInit clears IDA's counters, so restart() banks them here first.
std::array<long, 7> Integrator::counters() const {
  std::array<long, 7> c{};
  IDAGetNumSteps(s_->ida, &c[0]);
  IDAGetNumNonlinSolvIters(s_->ida, &c[1]);
  IDAGetNumResEvals(s_->ida, &c[2]);
  IDAGetNumJacEvals(s_->ida, &c[3]);
  IDAGetNumErrTestFails(s_->ida, &c[4]);
  IDAGetNumNonlinSolvConvFails(s_->ida, &c[5]);
  IDAGetNumStepSolveFails(s_->ida, &c[6]);
  for (std::size_t k = 0; k < c.size(); ++k) c[k] += banked_[k];
  return c;
}

std::string Integrator::statistics() const {
  if (trap_)
    return trap_->statistics() + fmt::format(", {} events without a restart", held_) + (s_->consistent ? fmt::format(", {} output rows between steps ({} solved again, {} iterations, {} failed)",
                                                                s_->consistent->solves(), s_->consistent->corrected(),
                                                                s_->consistent->iterations(), s_->consistent->failures())
                                                  : std::string());
  const auto c = counters();
  // A Newton solve that fails on an old Jacobian is retried at once with a fresh one, the
  // step kept; only a failure with a fresh Jacobian cuts the step (by 4): counted apart,
  // as the first alone said little of what set the step (c880: 3355 failures, 138 cuts).
  return fmt::format("{} steps, {} Newton iterations, {} residual evaluations, {} Jacobians, "
                     "{} error-test failures, {} Newton failures ({} of them cut the step), "
                     "{} restarts at source corners, {} events without a restart, {} charge unknowns, {} jumps out of the error test, "
                     "{} output rows between steps ({} at a step's solution, {} solved again, {} iterations, {} failed); "
                     "linear solver: {}",
                     c[0], c[1], c[2], c[3], c[4], c[5], c[6], restarts_, held_, s_->charge_row.size(),
                     s_->jumps ? s_->jumps->jumps() : 0, s_->consistent ? s_->consistent->solves() : 0,
                     s_->consistent ? s_->consistent->settled() : 0,
                     s_->consistent ? s_->consistent->corrected() : 0,
                     s_->consistent ? s_->consistent->iterations() : 0,
                     s_->consistent ? s_->consistent->failures() : 0,
                     s_->blocks ? s_->blocks->statistics() : std::string("KLU"));
}

}  // namespace ns
