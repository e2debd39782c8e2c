#include "engine/trapezoidal.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace ns {

namespace {
constexpr int max_iterations = 20;  // per step; then the step is cut (SPICE's itl4 is 10)
constexpr double grow = 2, shrink = 0.125;
// The next step aims at this fraction of the tolerance. Measured on an ideal LC tank over
// 1000 periods: 0.9 had 40 % of the steps rejected (each unknown's tolerance is relative
// to its value, tight at its zero crossings), 0.8 12 % and the fewest evaluations.
constexpr double safety = 0.8;

// Newton's divided differences over points (z[j], value(j)), j < m, in place: on return
// d[j] is the coefficient of (t - z0)...(t - z[j-1]). Two equal z in a row are a Hermite
// node: their first difference is `slope`.
template <class Value>
void newton_form(const double* z, std::size_t m, Value value, double slope, double* d) {
  for (std::size_t j = 0; j < m; ++j) d[j] = value(j);
  for (std::size_t level = 1; level < m; ++level)
    for (std::size_t j = m - 1; j >= level; --j)
      d[j] = z[j] == z[j - level] ? slope : (d[j] - d[j - 1]) / (z[j] - z[j - level]);
}

double evaluate_form(const double* z, const double* d, std::size_t m, double t) {
  double p = d[m - 1];
  for (std::size_t j = m - 1; j-- > 0;) p = d[j] + (t - z[j]) * p;
  return p;
}
}  // namespace

Trapezoidal::Trapezoidal(const System& system, double max_step, double t0, std::span<const double> y,
                         std::span<const double> yp, double first_step, std::vector<std::size_t> charge_rows)
    : system_(system),
      max_step_(max_step > 0 ? max_step : INFINITY),
      lu_(system.column_starts(), system.rows()),
      assembly_(system.make_assembly()),
      middle_(system.make_assembly()) {
  const std::size_t n = system.size(), nnz = system.nonzeros();
  matrix_.resize(nnz);
  c_sum_.resize(nnz);
  rhs_.resize(n);
  product_.resize(n);
  dx_.resize(n);
  differential_.resize(n);
  for (const auto& u : system.circuit().tables().unknowns) kind_.push_back(u.kind);
  charge_rows_ = std::move(charge_rows);
  if (!charge_rows_.empty()) assembly_.q.resize(n);
  restart(t0, y, yp, first_step);
  counts_[5] = 0;
  allowance_.emplace(system, assembly_.C, std::vector<char>{});
  // C at t0, from restart. After a jump's step, the next two steps' third divided
  // difference (and the next one's midpoint quadratic) still reach back across it.
  jumps_.emplace(system, assembly_.C, 2);
  if (jumps_->empty()) jumps_.reset();
  estimate_.resize(n);
  weight_.resize(n);
}

void Trapezoidal::restart(double t, std::span<const double> y, std::span<const double> yp, double first_step) {
  t_ = t;
  x_.assign(y.begin(), y.end());
  slope_.assign(yp.begin(), yp.end());
  history_.assign(2, Node{t, x_});
  h_ = first_step > 0 ? first_step : std::isfinite(max_step_) ? 1e-3 * max_step_ : 1e-9;
  const Eval eval{x_, Mode::Tran, t, system_.circuit().options().gmin};
  if (!system_.evaluate(eval, assembly_))
    throw SimulationError(fmt::format("transient (trap) failed at t = {:.6g} s: {}", t, system_.non_finite_source(eval)));
  c_now_ = assembly_.C;
  q_now_ = assembly_.q;
  qdot_.assign(x_.size(), 0.0);  // unused: the first step is backward Euler
  charge_step_.clear();
  h_before_ = 0;
  ++counts_[5];
}

bool Trapezoidal::newton(double t, double a, double b, std::vector<double>& x) {
  const std::size_t n = x_.size();
  const double gmin = system_.circuit().options().gmin;
  bool small_before = false;
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    const Eval eval{x, Mode::Tran, t, gmin};
    ++counts_[2];
    if (!system_.evaluate(eval, assembly_)) return false;
    charge_increment(x);
    for (std::size_t i = 0; i < n; ++i)
      rhs_[i] = -(a * product_[i] - b * qdot_[i] + assembly_.f[i] - assembly_.u[i]);
    for (std::size_t k = 0; k < matrix_.size(); ++k) matrix_[k] = assembly_.G[k] + a * c_sum_[k];
    ++counts_[1];
    if (!lu_.factor(matrix_)) return false;
    noise_floor(assembly_.noise, floor_, [&](std::vector<double>& r) { lu_.solve(r); });
    lu_.solve(rhs_);
    if (!std::all_of(rhs_.begin(), rhs_.end(), [](double v) { return std::isfinite(v); })) return false;
    // Junction limiting, as the operating point does.
    trial_.resize(n);
    for (std::size_t i = 0; i < n; ++i) trial_[i] = x[i] + rhs_[i];
    double fraction = 1;
    for (const auto& d : system_.circuit().devices())
      fraction = std::min(fraction, d->limit(Eval{x, Mode::Tran, t, gmin}, Eval{trial_, Mode::Tran, t, gmin}));
    double worst = 0;  // the largest update relative to its unknown's tolerance
    for (std::size_t i = 0; i < n; ++i) {
      const double next = x[i] + fraction * rhs_[i];
      // An update within the unknown's rounding noise is no update (integrator.cpp).
      worst = std::max(worst, beyond_noise(next - x[i], floor_, i) /
                                  system_.tolerance(i, std::max(std::abs(x[i]), std::abs(next))));
      x[i] = next;
    }
    // Every unknown within its tolerance (|dx| <= reltol |x| + vntol or abstol), twice
    // in a row, as the operating point: the second update leaves far less error than the
    // tolerance. A thousandth of it is that second update already (a linear circuit).
    const bool small = fraction >= 1 && worst <= 1;
    if ((small && small_before) || (small && worst <= 1e-3)) return true;
    small_before = small;
  }
  return false;
}

// (C_n + C) / 2 (x - x_n) is exact for linear capacitors and inductors and, for a
// nonlinear C(x), the trapezoid of the line integral of C, as SPICE integrates Meyer's gate
// capacitances (no charge behind them); a charge row takes its charge's own increment,
// which conserves it. The Jacobian leaves out dC/dx (x - x_n), small over a step.
void Trapezoidal::charge_increment(const std::vector<double>& x) {
  for (std::size_t k = 0; k < c_sum_.size(); ++k) c_sum_[k] = 0.5 * (c_now_[k] + assembly_.C[k]);
  for (std::size_t i = 0; i < x.size(); ++i) dx_[i] = x[i] - x_[i];
  system_.multiply(c_sum_, dx_, product_);
  for (std::size_t r : charge_rows_) product_[r] = assembly_.q[r] - q_now_[r];
}

double Trapezoidal::divided(std::size_t i, std::size_t k, const std::vector<double>& last, double t_last) const {
  std::array<double, 4> z{}, d{};
  const std::size_t first = history_.size() - k;
  for (std::size_t j = 0; j < k; ++j) z[j] = history_[first + j].t;
  z[k] = t_last;
  newton_form(z.data(), k + 1, [&](std::size_t j) { return j < k ? history_[first + j].x[i] : last[i]; }, slope_[i],
              d.data());
  return d[k];
}

double Trapezoidal::step(double stop) {
  const std::size_t n = x_.size();
  const double gmin = system_.circuit().options().gmin;
  std::vector<double> x(n);
  for (;;) {
    // The order: backward Euler right after a (re)start, which damps what the jump left
    // (the trapezoid would carry it on as ringing); the trapezoid after that.
    const bool euler = history_.size() == 2;
    double h = std::min({h_, max_step_, stop - t_});
    // Do not leave a sliver before the stop: halve the rest instead.
    if (h < stop - t_ && h > 0.5 * (stop - t_)) h = 0.5 * (stop - t_);
    const double t = h == stop - t_ ? stop : t_ + h;
    if (!(t > t_) || h < 1e-15 * std::max(std::abs(t_), std::abs(stop)))
      throw SimulationError(fmt::format("transient (trap) failed at t = {:.6g} s: the step size fell to {:.3g} s "
                                        "(Newton did not converge or the local error stayed above tolerance)",
                                        t_, h));
    // Predictor: the line through the last two nodes (the restart's slope after a restart).
    for (std::size_t i = 0; i < n; ++i) {
      const Node& p = history_[history_.size() - 2];
      const double s = p.t == t_ ? slope_[i] : (x_[i] - p.x[i]) / (t_ - p.t);
      x[i] = x_[i] + h * s;
    }
    if (!newton(t, (euler ? 1 : 2) / h, euler ? 0 : 1, x)) {
      ++counts_[4];
      h_ = h * shrink;
      continue;
    }
    // Local truncation error, each unknown within its own tolerance: backward Euler
    // h^2 x''/2 = h^2 [z0 z0 z1], the trapezoid h^3 x'''/12 = h^3 [z0 .. z3] / 2. Tested:
    // every unknown with a capacitance in its column, and every node voltage and state,
    // whose output rows between steps are the quadratic through the last three: without
    // them a circuit with no capacitance took 80 us steps through a 1 kHz sine. Left out:
    // algebraic branch currents, where a voltage source in a loop of capacitors carries an
    // index-2 current whose differences do not shrink with the step (integrator.cpp).
    const std::size_t k = euler ? 2 : 3;
    const double factor = euler ? h * h : 0.5 * h * h * h;
    const auto& starts = system_.column_starts();
    for (std::size_t i = 0; i < n; ++i) {
      estimate_[i] = 0;
      differential_[i] = kind_[i] != UnknownKind::Current;
      for (auto e = starts[i]; e < starts[i + 1]; ++e)
        if (assembly_.C[static_cast<std::size_t>(e)] != 0) differential_[i] = 1;
      if (!differential_[i]) continue;
      const double error = factor * std::abs(divided(i, k, x, t));
      estimate_[i] = error / (system_.tolerance(i, std::max(std::abs(x[i]), std::abs(x_[i]))) + noise(i));
    }
    double ratio = midpoint_error(t, h, x) ? 0 : INFINITY;
    std::fill(weight_.begin(), weight_.end(), 1.0);
    if (jumps_) jumps_->after_solve(counts_[0], h, euler ? 1 : 2, counts_[3], estimate_, weight_);
    for (std::size_t i = 0; i < n; ++i) ratio = std::max(ratio, estimate_[i] * weight_[i]);
    const double order = euler ? 1 : 2;
    const double change = ratio > 0 ? std::clamp(safety * std::pow(ratio, -1 / (order + 1)), shrink, grow) : grow;
    if (ratio > 1) {
      ++counts_[3];
      h_ = h * change;
      continue;
    }
    // Accepted. The derivative the trapezoid carries on: C x' at t, from the step's own
    // charge increment (the Newton's last evaluation was at x within its tolerance).
    const Eval eval{x, Mode::Tran, t, gmin};
    ++counts_[2];
    if (!system_.evaluate(eval, assembly_)) {
      ++counts_[4];
      h_ = h * shrink;
      continue;
    }
    charge_increment(x);
    for (std::size_t i = 0; i < n; ++i) qdot_[i] = (euler ? 1 : 2) * product_[i] / h - (euler ? 0 : qdot_[i]);
    damp_ringing(h);
    c_now_ = assembly_.C;
    q_now_ = assembly_.q;
    if (history_.size() == 3) history_.erase(history_.begin());
    history_.push_back(Node{t, x});
    x_ = x;
    t_ = t;
    h_ = h * change;
    ++counts_[0];
    return t_;
  }
}

// The rows printed between two steps are the quadratic through the last three nodes.
// Where a device changes region inside the step (a MOSFET leaving cut-off: a kink in
// v(out)), that quadratic can miss the solution by far more than the divided differences
// over the longer steps before it estimate: a resistive inverter's grid rows were 20 mV
// off the exact DC transfer (4 x reltol of the 5 V swing) while every node was exact.
// On the rows without capacitance the solution must satisfy f(x) = u(t) at every t, so
// the interpolant's residual at the step's midpoint, taken through the step's last
// Jacobian, is its error there. The rows with capacitance keep the truncation test.
bool Trapezoidal::midpoint_error(double t, double h, const std::vector<double>& x) {
  const std::size_t n = x.size();
  const auto& rows = system_.rows();
  charged_row_.assign(n, 0);
  for (std::size_t e = 0; e < assembly_.C.size(); ++e)
    if (assembly_.C[e] != 0) charged_row_[static_cast<std::size_t>(rows[e])] = 1;
  if (std::all_of(charged_row_.begin(), charged_row_.end(), [](char c) { return c != 0; })) return true;
  std::array<double, 3> z{history_[history_.size() - 2].t, t_, t}, d{};
  const double middle = t - 0.5 * h;
  x_mid_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double values[] = {history_[history_.size() - 2].x[i], x_[i], x[i]};
    newton_form(z.data(), 3, [&](std::size_t j) { return values[j]; }, slope_[i], d.data());
    x_mid_[i] = evaluate_form(z.data(), d.data(), 3, middle);
  }
  ++counts_[2];
  if (!system_.evaluate(Eval{x_mid_, Mode::Tran, middle, system_.circuit().options().gmin}, middle_, false))
    return false;
  r_mid_.resize(n);
  bool any = false;
  for (std::size_t i = 0; i < n; ++i) {
    r_mid_[i] = charged_row_[i] ? 0.0 : middle_.f[i] - middle_.u[i];
    any = any || r_mid_[i] != 0;
  }
  if (!any) return true;
  lu_.solve(r_mid_);
  tolerance_mid_.resize(n);
  for (std::size_t i = 0; i < n; ++i) tolerance_mid_[i] = system_.tolerance(i, std::abs(x_mid_[i]));
  allowance_->apply(middle_.C, x_mid_, h, tolerance_mid_);  // a current into a capacitor's node
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(r_mid_[i])) return false;
    estimate_[i] = std::max(estimate_[i], std::abs(r_mid_[i]) / (tolerance_mid_[i] + noise(i)));
  }
  return true;
}

// The trapezoid's derivative, qdot_n+1 = 2 (q_n+1 - q_n) / h - qdot_n, carries any error
// of qdot_n on with its sign flipped at every step, undamped. Where a voltage source fixes
// a capacitor's charge (a 0 V ammeter in series), the O(h^2) error each step adds builds
// such a sawtooth in the current: 2 % of a 5 nF capacitor's 1 kHz current. Against the
// derivative of the quadratic through the last three charges (second order too, and no
// sawtooth), a row whose difference flips sign at two steps in a row and exceeds reltol
// of the current, plus what the Newton tolerance of x makes of it, takes that derivative.
void Trapezoidal::damp_ringing(double h) {
  const std::size_t n = x_.size();
  const bool have = !charge_step_.empty() && h_before_ > 0;
  if (have) {
    const double reltol = system_.circuit().options().reltol;
    for (std::size_t k = 0; k < c_now_.size(); ++k) c_abs_[k] = std::abs(assembly_.C[k]);
    for (std::size_t i = 0; i < n; ++i) dx_[i] = system_.tolerance(i, std::abs(x_[i]));
    system_.multiply(c_abs_, dx_, noise_);
    for (std::size_t i = 0; i < n; ++i) {
      const double before = charge_step_[i] / h_before_, now = product_[i] / h;
      const double smooth = now + (now - before) * h / (h + h_before_);
      const double r = qdot_[i] - smooth;
      const bool large = std::abs(r) > reltol * std::max(std::abs(qdot_[i]), std::abs(smooth)) + noise_[i] / h;
      if (large && r * ringing_[i] < 0) {
        qdot_[i] = smooth;
        ringing_[i] = 0;
        ++counts_[6];
      } else {
        ringing_[i] = large ? r : 0;
      }
    }
  } else {
    ringing_.assign(n, 0.0);
    c_abs_.resize(c_now_.size());
    noise_.resize(n);
  }
  charge_step_ = product_;
  h_before_ = h;
}

void Trapezoidal::hold(const std::vector<std::pair<std::size_t, double>>& moved) {
  for (const auto& [i, v] : moved) {
    x_[i] = v;
    slope_[i] = 0;
    for (Node& node : history_) node.x[i] = v;
  }
}

bool Trapezoidal::interpolate(double t, std::vector<double>& y, std::vector<double>* slope) const {
  const std::size_t n = x_.size(), m = history_.size();
  y.resize(n);
  if (slope) slope->assign(n, 0.0);
  if (history_[m - 2].t == t_) {  // no step since the (re)start
    y = x_;
    return false;
  }
  // The quadratic through the last three nodes: of the method's order.
  std::array<double, 3> z{}, d{};
  for (std::size_t j = 0; j < m; ++j) z[j] = history_[j].t;
  t = std::clamp(t, history_[m - 2].t, t_);
  for (std::size_t i = 0; i < n; ++i) {
    newton_form(z.data(), m, [&](std::size_t j) { return history_[j].x[i]; }, slope_[i], d.data());
    y[i] = evaluate_form(z.data(), d.data(), m, t);
    if (slope) {  // the form's derivative, by Horner's rule alongside
      double p = d[m - 1], dp = 0;
      for (std::size_t j = m - 1; j-- > 0;) dp = p + (t - z[j]) * dp, p = d[j] + (t - z[j]) * p;
      (*slope)[i] = dp;
    }
  }
  return t > history_[m - 2].t && t < t_;
}

std::string Trapezoidal::statistics() const {
  return fmt::format("trapezoidal rule: {} steps, {} Newton iterations, {} evaluations, {} error-test failures, "
                     "{} Newton failures, {} restarts at source corners, {} ringing currents reset, {} jumps out of the error test",
                     counts_[0], counts_[1], counts_[2], counts_[3], counts_[4], counts_[5], counts_[6],
                     jumps_ ? jumps_->jumps() : 0);
}

}  // namespace ns
