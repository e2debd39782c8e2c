#include "engine/consistent_output.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns {

namespace {
constexpr int max_iterations = 10;
}  // namespace

ConsistentOutput::ConsistentOutput(const System& system,
                                   const std::vector<std::pair<std::size_t, std::size_t>>& pairs)
    : system_(system) {
  const std::size_t n = system.size();
  std::vector<long> equation_of_row(n, -1);
  for (const auto& [j, r] : pairs) {
    equation_of_row[r] = static_cast<long>(unknown_.size());
    unknown_.push_back(j);
    row_.push_back(r);
  }
  if (unknown_.empty()) return;
  const auto& starts = system.column_starts();
  const auto& rows = system.rows();
  starts_.assign(1, 0);
  std::vector<std::pair<std::int64_t, std::int64_t>> column;  // (equation, position in G)
  for (std::size_t j : unknown_) {
    column.clear();
    for (auto p = starts[j]; p < starts[j + 1]; ++p)
      if (const long e = equation_of_row[static_cast<std::size_t>(rows[p])]; e >= 0) column.emplace_back(e, p);
    std::sort(column.begin(), column.end());
    for (const auto& [e, p] : column) rows_.push_back(e), position_.push_back(p);
    starts_.push_back(static_cast<std::int64_t>(rows_.size()));
  }
  // A row is taken as solved within abstol when it sums a node's currents (SPICE's
  // current test), within a thousandth of vntol when it sums a branch's voltages (a
  // source's value: 1 uV of an interpolated sine at an inverter's input was 6 uV at its
  // output), a thousandth of its own absolute tolerance for a state.
  const Options& o = system.circuit().options();
  const auto& unknowns = system.circuit().tables().unknowns;
  for (std::size_t r : row_)
    slack_.push_back(unknowns[r].kind == UnknownKind::Voltage ? o.abstol
                     : unknowns[r].kind == UnknownKind::Current ? 1e-3 * o.vntol
                                                                : 1e-3 * system.tolerance(r, 0));
  solved_.assign(n, 0);
  for (std::size_t j : unknown_) solved_[j] = 1;
  open_.resize(unknown_.size());
  assembly_ = system.make_assembly();
  values_.resize(position_.size());
  step_.resize(unknown_.size());
  before_.resize(unknown_.size());
}

ConsistentOutput::~ConsistentOutput() = default;

bool ConsistentOutput::factor() {
  for (std::size_t k = 0; k < position_.size(); ++k) values_[k] = assembly_.G[static_cast<std::size_t>(position_[k])];
  ++factorizations_;
  if (!lu_) lu_ = std::make_unique<SparseLu>(starts_, rows_);  // on the first row that needs it
  return lu_->factor(values_);
}

void ConsistentOutput::measure_open(std::span<const double> y) {
  for (std::size_t e = 0; e < unknown_.size(); ++e) {
    const auto positions = system_.row_positions(row_[e]);
    const auto columns = system_.row_columns(row_[e]);
    double open = 0, own = 0;
    for (std::size_t k = 0; k < positions.size(); ++k) {
      const auto j = static_cast<std::size_t>(columns[k]);
      const double g = std::abs(assembly_.G[static_cast<std::size_t>(positions[k])]);
      if (!solved_[j]) open += g * system_.tolerance(j, std::abs(y[j]));
      else if (j == unknown_[e]) own = g;
    }
    // Only for a row that met its slack as interpolated: its unknown moves because others
    // did. A row beyond it (a diode's node past its kink) is solved whatever the cost.
    open_[e] = own > 0 && step_[e] == 0 ? open / own : 0.0;
  }
}

void ConsistentOutput::keep_within_open(std::span<double> y) const {
  for (std::size_t e = 0; e < unknown_.size(); ++e)
    if (std::abs(y[unknown_[e]] - before_[e]) <= open_[e]) y[unknown_[e]] = before_[e];
}

void ConsistentOutput::solve(double t, std::span<double> y, std::span<const double> end,
                             const std::function<std::span<const double>()>& slopes) {
  if (empty()) return;
  ++solves_;
  // At rest the interpolating polynomial's differences are rounding noise, which above
  // order 1 (ida_order.hpp) moves a row by an ulp or two off the step's solution: that
  // row is the step's solution.
  if (std::equal(y.begin(), y.end(), end.begin(), end.end(), [](double a, double b) {
        return std::abs(a - b) <= 4 * std::numeric_limits<double>::epsilon() * std::abs(b);
      })) {
    std::copy(end.begin(), end.end(), y.begin());
    ++settled_;
    return;
  }
  for (std::size_t e = 0; e < unknown_.size(); ++e) before_[e] = y[unknown_[e]];
  const Eval eval{y, Mode::Tran, t, system_.circuit().options().gmin};
  // A residual first: most rows need no solve, and it is cheaper than a Jacobian. Then a
  // fresh Jacobian: an update on an old LU can be small where the error is not (a diode's
  // conductance from when it was on, now off). Then the integrator's own Newton
  // test (newton_converged): once every update is within its tolerance, one more
  // iteration; on that LU while it contracts at a rate r <= 0.1, until r/(1-r) of the
  // update is 1e-4 of the tolerance; an update of 1e-3 of it is that iteration already.
  bool fresh = true;
  double previous = INFINITY;
  std::span<const double> yp;  // slopes(), once a row has a capacitance
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    ++iterations_;
    if (!system_.evaluate(eval, assembly_, fresh && iteration > 0)) break;
    // The algebraic rows' residual; C x' too, should a row have gained a capacitance.
    if (yp.empty())
      for (std::size_t e = 0; e < unknown_.size() && yp.empty(); ++e)
        system_.each_charge(assembly_, row_[e], [&](double c, std::size_t) {
          if (c != 0 && yp.empty()) yp = slopes();
        });
    bool beyond = false;
    for (std::size_t e = 0; e < unknown_.size(); ++e) {
      const std::size_t r = row_[e];
      double sum = assembly_.f[r] - assembly_.u[r];
      if (!yp.empty())
        system_.each_charge(assembly_, r, [&](double c, std::size_t column) {
          if (c != 0) sum += c * yp[column];
        });
      // A row within its slack is taken as solved: its unknown is left to the others' rows.
      // An open winding's node, its KCL 1e-12 S to ground, had its 1e-18 A residual
      // (the interpolated winding current's) turned into 1e-6 of its voltage.
      step_[e] = std::abs(sum) <= slack_[e] ? 0.0 : -sum;
      beyond = beyond || step_[e] != 0;
    }
    if (!beyond) {
      if (iteration > 0) keep_within_open(y);
      return;
    }
    if (iteration == 0) {  // G for the first Newton step, at the same point
      ++corrected_;
      if (!system_.evaluate(eval, assembly_, true)) break;
      measure_open(y);
    }
    if (fresh && !factor()) break;
    lu_->solve(step_);
    double norm = 0;  // the largest update relative to its unknown's tolerance
    for (std::size_t e = 0; e < unknown_.size(); ++e) {
      const std::size_t j = unknown_[e];
      norm = std::max(norm, std::abs(step_[e]) / system_.tolerance(j, std::abs(y[j])));
    }
    if (!std::isfinite(norm)) break;
    const double rate = fresh ? 0.0 : norm / previous;
    if (rate > 0.1) {  // again from here, on a fresh Jacobian
      fresh = true;
      continue;
    }
    for (std::size_t e = 0; e < unknown_.size(); ++e) y[unknown_[e]] += step_[e];
    if (norm <= 1e-3 || (fresh ? previous <= 1 : rate / (1 - rate) * norm <= 1e-4)) {
      keep_within_open(y);
      return;
    }
    previous = norm;
    fresh = false;
  }
  ++failures_;
  for (std::size_t e = 0; e < unknown_.size(); ++e) y[unknown_[e]] = before_[e];
}

}  // namespace ns
