#include "engine/consistent_output.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns {

namespace {
constexpr int max_iterations = 10;
// An unknown's share of a correction is at least this share of its tolerance: one whose
// estimate is zero (a node at rest) still takes a little, which keeps the system regular.
constexpr double floor_share = 1e-3;
}  // namespace

ConsistentOutput::ConsistentOutput(const System& system,
                                   const std::vector<std::pair<std::size_t, std::size_t>>& pairs,
                                   const std::vector<char>& differential)
    : system_(system) {
  const std::size_t n = system.size();
  std::vector<long> equation_of_row(n, -1), var_of(n, -1);
  for (const auto& [j, r] : pairs) {
    equation_of_row[r] = static_cast<long>(unknown_.size());
    var_of[j] = static_cast<long>(unknown_.size());
    unknown_.push_back(j);
    row_.push_back(r);
  }
  if (unknown_.empty()) return;
  moving_ = unknown_;
  for (std::size_t r : row_)
    for (const auto j : system.row_columns(r))
      if (const auto c = static_cast<std::size_t>(j); var_of[c] < 0 && c < differential.size() && differential[c]) {
        var_of[c] = static_cast<long>(moving_.size());
        moving_.push_back(c);
      }
  // The bordered system [I, J~^T; J~, 0] (J~ = the algebraic rows' G over the moving
  // unknowns, each column scaled by its tolerance), CSC, each entry's G position (-1: I).
  const std::size_t p = moving_.size(), m = unknown_.size();
  const auto& starts = system.column_starts();
  const auto& rows = system.rows();
  starts_.assign(1, 0);
  std::vector<std::pair<std::int64_t, std::int64_t>> column;  // (row, position in G)
  for (std::size_t k = 0; k < p; ++k) {
    const std::size_t j = moving_[k];
    column.emplace_back(static_cast<std::int64_t>(k), -1);
    for (auto q = starts[j]; q < starts[j + 1]; ++q)
      if (const long e = equation_of_row[static_cast<std::size_t>(rows[q])]; e >= 0)
        column.emplace_back(static_cast<std::int64_t>(p) + e, q);
    std::sort(column.begin(), column.end());
    for (const auto& [r, q] : column) rows_.push_back(r), position_.push_back(q), var_.push_back(static_cast<long>(k));
    starts_.push_back(static_cast<std::int64_t>(rows_.size()));
    column.clear();
  }
  for (std::size_t e = 0; e < m; ++e) {
    const auto positions = system.row_positions(row_[e]);
    const auto columns = system.row_columns(row_[e]);
    for (std::size_t i = 0; i < positions.size(); ++i)
      if (const long k = var_of[static_cast<std::size_t>(columns[i])]; k >= 0) column.emplace_back(k, positions[i]);
    std::sort(column.begin(), column.end());  // a border entry scales by its row's unknown
    for (const auto& [r, q] : column) rows_.push_back(r), position_.push_back(q), var_.push_back(static_cast<long>(r));
    starts_.push_back(static_cast<std::int64_t>(rows_.size()));
    column.clear();
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
  assembly_ = system.make_assembly();
  part_ = system.part(row_);
  values_.resize(position_.size());
  step_.resize(m);
  scale_.resize(p);
  rhs_.resize(p + m);
  before_.resize(p);
}

ConsistentOutput::~ConsistentOutput() = default;

bool ConsistentOutput::factor() {
  for (std::size_t k = 0; k < position_.size(); ++k)
    values_[k] = position_[k] < 0 ? 1.0 : assembly_.G[static_cast<std::size_t>(position_[k])] * scale_[static_cast<std::size_t>(var_[k])];
  ++factorizations_;
  if (!lu_) lu_ = std::make_unique<SparseLu>(starts_, rows_);  // on the first row that needs it
  return lu_->factor(values_);
}

void ConsistentOutput::solve(double t, std::span<double> y, std::span<const double> end, const Values& slopes,
                             const Values& spread) {
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
  const std::size_t p = moving_.size(), m = unknown_.size();
  for (std::size_t k = 0; k < p; ++k) before_[k] = y[moving_[k]];
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
    if (!system_.evaluate(eval, assembly_, fresh && iteration > 0, part_)) break;
    // The algebraic rows' residual; C x' too, should a row have gained a capacitance.
    if (yp.empty())
      for (std::size_t e = 0; e < m && yp.empty(); ++e)
        system_.each_charge(assembly_, row_[e], [&](double c, std::size_t) {
          if (c != 0 && yp.empty()) yp = slopes();
        });
    bool beyond = false;
    for (std::size_t e = 0; e < m; ++e) {
      const std::size_t r = row_[e];
      double sum = assembly_.f[r] - assembly_.u[r];
      if (!yp.empty())
        system_.each_charge(assembly_, r, [&](double c, std::size_t column) {
          if (c != 0) sum += c * yp[column];
        });
      // A row within its slack is taken as solved: it is held where it is, to first order.
      // An open winding's node, its KCL 1e-12 S to ground, had its 1e-18 A residual
      // (the interpolated winding current's) turned into 1e-6 of its voltage.
      step_[e] = std::abs(sum) <= slack_[e] ? 0.0 : -sum;
      beyond = beyond || step_[e] != 0;
    }
    if (!beyond) return;
    if (iteration == 0) {  // G for the first Newton step, at the same point
      ++corrected_;
      if (!system_.evaluate(eval, assembly_, true, part_)) break;
      const auto error = spread();
      for (std::size_t k = 0; k < p; ++k) {
        const std::size_t j = moving_[k];
        scale_[k] = std::abs(error[j]) + floor_share * system_.tolerance(j, std::abs(y[j]));
      }
    }
    if (fresh && !factor()) break;
    std::fill(rhs_.begin(), rhs_.begin() + static_cast<std::ptrdiff_t>(p), 0.0);
    std::copy(step_.begin(), step_.end(), rhs_.begin() + static_cast<std::ptrdiff_t>(p));
    lu_->solve(rhs_);
    double norm = 0;  // the largest update relative to its unknown's tolerance
    for (std::size_t k = 0; k < p; ++k) norm = std::max(norm, std::abs(rhs_[k]));
    if (!std::isfinite(norm)) break;
    const double rate = fresh ? 0.0 : norm / previous;
    if (rate > 0.1) {  // again from here, on a fresh Jacobian
      fresh = true;
      continue;
    }
    for (std::size_t k = 0; k < p; ++k) y[moving_[k]] += rhs_[k] * scale_[k];
    if (norm <= 1e-3 || (fresh ? previous <= 1 : rate / (1 - rate) * norm <= 1e-4)) return;
    previous = norm;
    fresh = false;
  }
  ++failures_;
  for (std::size_t k = 0; k < p; ++k) y[moving_[k]] = before_[k];
}

}  // namespace ns
