#include "engine/newton.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "engine/charge_rows.hpp"

namespace ns {

namespace {
constexpr int max_plain_iterations = 100;  // SPICE's itl1
constexpr int max_step_iterations = 50;    // per gmin/source step
constexpr double forcing_conductance = 1e8;
}  // namespace

OpSolver::OpSolver(const System& system)
    : system_(system),
      lu_(system.column_starts(), system.rows()),
      assembly_(system.make_assembly()),
      matrix_(system.nonzeros()),
      rhs_(system.size()),
      proposed_(system.size()),
      step_(system.size()),
      weights_(system.size()) {
  for (const auto& u : system.circuit().tables().unknowns)
    is_voltage_.push_back(u.kind == UnknownKind::Voltage);
}

double OpSolver::tolerance(std::size_t u, double a, double b) const {
  return system_.tolerance(u, std::max(std::abs(a), std::abs(b)));
}

OpSolver::Outcome OpSolver::newton(std::vector<double>& x, const OpRequest& request,
                                   double sources, double shunt, int max_iterations, bool initial) {
  const std::size_t n = system_.size();
  Outcome out;
  Eval eval{x, request.mode, request.time, system_.circuit().options().gmin};
  // An implicit Euler step (the start of a transient) keeps its first Jacobian while the
  // updates shrink fast (a chord iteration): a refactorisation per iteration was most of
  // the start's cost on a large crossbar. The operating point proper takes a fresh one
  // every iteration, as its limited steps from a far guess need.
  const bool chord = request.euler_step > 0;
  // The steps after the first of a start, all of one size, start on the last one's factors
  // (KLU's: the blocks' solves are not kept), judged by the same rate test as the chord:
  // the first update on them is taken only if limiting leaves it whole, and a second that
  // does not halve it brings a fresh Jacobian.
  bool fresh = !(request.reuse_factors && !blocks_ && request.euler_step == factored_step_ &&
                 request.forced.empty() && shunt == 0 && sources == 1.0);
  bool klu = !(blocks_ && request.euler_step > 0);  // which factorisation the solves use
  double previous_step = INFINITY;
  const bool charges = request.euler_step > 0 && !request.charge_rows.empty();
  assembly_.q.assign(charges ? n : 0, 0.0);
  if (charges) {
    const Eval before{request.previous, request.mode, request.time, eval.gmin};
    if (!system_.evaluate(before, assembly_, false)) {
      if (non_finite_.empty()) non_finite_ = system_.non_finite_source(before);
      out.x = x;
      return out;
    }
    previous_q_ = assembly_.q;
  }
  for (out.iterations = 1; out.iterations <= max_iterations + 1; ++out.iterations) {
    eval.x = x;
    eval.initial = initial && out.iterations == 1;
    ++iterations_;
    if (!system_.evaluate(eval, assembly_, fresh)) {
      if (non_finite_.empty()) non_finite_ = system_.non_finite_source(eval);
      out.x = x;
      return out;
    }
    // Newton: J dx = -F(x), with F = f - s u (+ C (x - previous) / h) (+ the shunts and
    // the forcing conductances) and J = dF/dx.
    for (std::size_t i = 0; i < n; ++i) rhs_[i] = assembly_.f[i] - sources * assembly_.u[i];
    for (std::size_t i = 0; i < n; ++i)
      if (is_voltage_[i] && shunt > 0) rhs_[i] += shunt * x[i];
    if (request.euler_step > 0) {
      for (std::size_t i = 0; i < n; ++i) proposed_[i] = x[i] - request.previous[i];
      system_.multiply(assembly_.C, proposed_, step_);
      // A charge's increment has the rounding error of the charges, as large as C x
      // (integrator.cpp), which the step's 1/h magnifies: that much of an update is noise.
      for (std::size_t r : request.charge_rows) {
        step_[r] = assembly_.q[r] - previous_q_[r];
        const double size =
            charge_size(system_, assembly_.C, r, x, std::abs(assembly_.q[r]) + std::abs(previous_q_[r]));
        assembly_.noise[r] += 8 * std::numeric_limits<double>::epsilon() * size / request.euler_step;
      }
      for (std::size_t i = 0; i < n; ++i) rhs_[i] += step_[i] / request.euler_step;
    }
    for (const auto& [u, value] : request.forced) rhs_[u] += forcing_conductance * (x[u] - value);
    if (!fresh && !std::all_of(rhs_.begin(), rhs_.end(), [](double v) { return std::isfinite(v); })) {
      if (non_finite_.empty()) non_finite_ = system_.non_finite_source(eval);
      out.x = x;
      return out;
    }
    if (fresh) {
      matrix_ = assembly_.G;
      for (std::size_t i = 0; i < n; ++i)
        if (is_voltage_[i] && shunt > 0) matrix_[system_.diagonal(static_cast<Unknown>(i))] += shunt;
      if (request.euler_step > 0)
        for (std::size_t k = 0; k < matrix_.size(); ++k) matrix_[k] += assembly_.C[k] / request.euler_step;
      for (const auto& [u, value] : request.forced) matrix_[system_.diagonal(u)] += forcing_conductance;
      ++factorisations_;
      klu = !(blocks_ && request.euler_step > 0 && blocks_->factor(matrix_));
      const bool plain_euler = request.euler_step > 0 && request.forced.empty() && shunt == 0 && sources == 1.0;
      factored_step_ = klu && plain_euler ? request.euler_step : 0;
      if (klu && !lu_.factor(matrix_)) {
        factored_step_ = 0;
        out.worst = static_cast<Unknown>(std::min<std::int64_t>(lu_.singular_column(), n - 1));
        out.singular = true;
        out.x = x;
        return out;
      }
      noise_floor(assembly_.noise, floor_, [&](std::vector<double>& b) { lu_.solve(b); });
    }
    if (!klu) {
      for (std::size_t i = 0; i < n; ++i) weights_[i] = 1 / tolerance(i, x[i], x[i]);
      step_ = rhs_;  // free here: the right-hand side, for KLU if GMRES fails
      if (!blocks_->solve(rhs_, weights_)) {  // GMRES did not get there: KLU, from here on
        rhs_ = step_;
        klu = true;
        factored_step_ = 0;  // matrix_ may be of another step: no use to the next one
        if (!lu_.factor(matrix_)) {
          out.worst = static_cast<Unknown>(std::min<std::int64_t>(lu_.singular_column(), n - 1));
          out.singular = true;
          out.x = x;
          return out;
        }
      }
    }
    if (klu) lu_.solve(rhs_);
    for (std::size_t i = 0; i < n; ++i) proposed_[i] = x[i] - rhs_[i];
    if (!std::all_of(proposed_.begin(), proposed_.end(), [](double v) { return std::isfinite(v); })) {
      out.x = x;
      return out;
    }

    double fraction = 1.0;
    Eval accepted{x, request.mode, request.time, eval.gmin};
    accepted.initial = eval.initial;
    const Eval proposal{proposed_, request.mode, request.time, eval.gmin};
    for (const auto& d : system_.circuit().devices())
      fraction = std::min(fraction, d->limit(accepted, proposal));
    bool small = fraction >= 1.0 && !out.converged;
    if (small) {
      const auto& o = system_.circuit().options();
      for (const auto& d : system_.circuit().devices())
        if (!d->settled(accepted, proposal, o.reltol, o.abstol)) {
          small = false;
          break;
        }
    }
    out.worst_step = 0;
    out.update.assign(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double next = x[i] + fraction * (proposed_[i] - x[i]);
      // An update within the unknown's rounding noise is no update (integrator.cpp).
      const double weighted = beyond_noise(next - x[i], floor_, i) / tolerance(i, x[i], next);
      out.update[i] = weighted;
      if (weighted > 1) small = false;
      if (weighted > out.worst_step) out.worst_step = weighted, out.worst = static_cast<Unknown>(i);
      x[i] = next;
    }
    // The update is within tolerance: take one more step from here, which costs one
    // factorisation and, converging quadratically, leaves far less error than the tolerance.
    // A chord iteration that did not at least halve the update (or was limited) takes a
    // fresh Jacobian next.
    if (out.converged) return out;
    out.converged = small;
    fresh = !chord || fraction < 1.0 || out.worst_step > 0.5 * previous_step;
    previous_step = out.worst_step;
  }
  out.x = x;
  return out;
}

std::string OpSolver::statistics() const {
  return fmt::format("{} Newton iterations, {} factorisations{}", iterations_, factorisations_,
                     blocks_ ? "; their linear solves on the blocks: " + blocks_->iterations() : std::string());
}

SparseLu* OpSolver::euler_factors(double step) {
  if (step <= 0 || step != factored_step_) return nullptr;
  factored_step_ = 0;
  return &lu_;
}

void OpSolver::use_blocks(std::shared_ptr<const WeakCoupling> blocks) {
  blocks_ = blocks ? std::make_unique<BlockSolver>(system_, std::move(blocks)) : nullptr;
}

std::string OpSolver::culprits(const Outcome& failed, const OpRequest& request) {
  if (failed.x.empty()) return {};
  const std::size_t n = system_.size();
  const Eval eval{failed.x, request.mode, request.time, system_.circuit().options().gmin};
  system_.evaluate(eval, assembly_);
  std::vector<double> residual(n);
  for (std::size_t i = 0; i < n; ++i) residual[i] = assembly_.f[i] - assembly_.u[i];
  auto largest = [&](const std::vector<double>& score, auto describe) {
    std::vector<std::size_t> order(score.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const std::size_t count = std::min<std::size_t>(3, order.size());
    auto size = [&](std::size_t i) { return std::isnan(score[i]) ? INFINITY : std::abs(score[i]); };
    std::partial_sort(order.begin(), order.begin() + count, order.end(),
                      [&](auto a, auto b) { return size(a) > size(b); });
    std::string text;
    for (std::size_t k = 0; k < count; ++k)
      text += fmt::format("{}{} ({})", k ? ", " : "", system_.unknown_name(static_cast<Unknown>(order[k])),
                          describe(order[k]));
    return text;
  };
  // A node's row is its KCL sum (A); a branch's, its voltage equation (V); a state's, its own.
  std::string text = "\n  largest residuals: " + largest(residual, [&](std::size_t i) {
    return fmt::format("residual {:.3g}, value {:.6g}", residual[i], failed.x[i]);
  });
  if (!failed.update.empty())
    text += "\n  largest Newton updates: " + largest(failed.update, [&](std::size_t i) {
      return fmt::format("value {:.6g}, last update {:.3g} times its tolerance", failed.x[i],
                         failed.update[i]);
    });
  return text;
}

bool OpSolver::gmin_stepping(std::vector<double>& x, const OpRequest& request) {
  // Shunt every node to ground with g, solve, lower g by a factor, continue from the last
  // solution; on a failure retreat with a gentler factor. End with the shunt removed.
  // The first solve starts from the guess, as plain Newton did, and has its iterations
  // (a 555 timer's bipolar macro model needs 50 to 100 at g = 1e-2 from zero); the next
  // start from a solution nearby.
  std::vector<double> good = x;
  double g = 1e-2, factor = 10;
  bool first = true;
  while (factor > 1.05) {
    std::vector<double> trial = good;
    const int iterations = first ? max_plain_iterations : max_step_iterations;
    if (newton(trial, request, 1.0, g, iterations).converged) {
      first = false;
      good = trial;
      if (g <= system_.circuit().options().gmin) break;
      g = std::max(g / factor, system_.circuit().options().gmin * 0.999);
    } else {
      g *= factor;
      factor = std::sqrt(factor);
      g /= factor;
    }
  }
  x = good;
  return newton(x, request, 1.0, 0.0, max_plain_iterations).converged;
}

bool OpSolver::source_stepping(std::vector<double>& x, const OpRequest& request) {
  std::vector<double> good(x.size(), 0.0);
  if (!newton(good, request, 0.0, 0.0, max_plain_iterations).converged) return false;
  double s = 0, step = 0.1;
  while (s < 1.0) {
    const double next = std::min(1.0, s + step);
    std::vector<double> trial = good;
    if (newton(trial, request, next, 0.0, max_step_iterations).converged) {
      good = trial, s = next;
      step = std::min(step * 2, 0.5);
    } else {
      step /= 4;
      if (step < 1e-6) return false;
    }
  }
  x = good;
  return true;
}

void OpSolver::solve(std::vector<double>& x, const OpRequest& request, std::vector<std::string>* report) {
  const std::vector<double> guess = x;
  non_finite_.clear();
  const bool reused = request.reuse_factors && request.euler_step > 0 && request.euler_step == factored_step_;
  last_ = newton(x, request, 1.0, 0.0, max_plain_iterations, request.from_guess && request.euler_step == 0);
  if (last_.converged) return;
  if (reused) {  // again on fresh factors before anything else
    factored_step_ = 0;
    x = guess;
    last_ = newton(x, request, 1.0, 0.0, max_plain_iterations);
    if (last_.converged) return;
  }
  const Outcome plain = last_;
  auto note = [&](const std::string& line) { if (report) report->push_back(line); };
  // Fewer than the limit when an iterate gave a device no finite value.
  note(fmt::format("Newton did not converge in {} iterations; trying gmin stepping",
                   std::min(plain.iterations, max_plain_iterations)));
  x = guess;
  if (gmin_stepping(x, request)) {
    note("gmin stepping converged");
    return;
  }
  note("gmin stepping failed; trying source stepping");
  x = guess;
  if (source_stepping(x, request)) {
    note("source stepping converged");
    return;
  }
  const std::string culprit = plain.worst >= 0 ? system_.unknown_name(plain.worst) : "an unknown";
  const double when = request.mode == Mode::Tran ? request.time : std::numeric_limits<double>::quiet_NaN();
  const std::string who = plain.worst >= 0 ? culprit : std::string{};
  if (!non_finite_.empty())
    throw SimulationError(fmt::format(
        "operating point did not converge: {} (Newton, gmin stepping and source stepping all "
        "failed){}", non_finite_, culprits(plain, request)), when, who);
  if (plain.singular)
    throw SimulationError(fmt::format(
        "operating point: the circuit matrix is singular at {} (is it floating, or fixed twice?), "
        "and gmin and source stepping did not help{}", culprit, culprits(plain, request)), when, who);
  throw SimulationError(fmt::format(
      "operating point did not converge (Newton, gmin stepping and source stepping all failed); "
      "the unknown that would not settle is {} (last update {:.3g} times its tolerance{}){}",
      culprit, plain.worst_step,
      plain.worst >= 0 ? fmt::format(", value {:.6g}", plain.x.empty() ? x[plain.worst] : plain.x[plain.worst]) : "",
      culprits(plain, request)), when, who);
}

}  // namespace ns
