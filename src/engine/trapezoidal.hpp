#pragma once
// .options method=trap: a variable-step trapezoidal rule on the circuit's DAE
//     C(x) x' + f(x) = u(t),
// our own Newton and KLU, in place of IDA's BDF, which damps a lightly damped orbit (an
// ideal LC tank keeps 0.998996 V of 1 V after 1000 periods at the default settings, a loss
// of about reltol that grows with time; the trapezoid keeps 0.9999992 V). Integrator
// (integrator.hpp) hands its calls here when the method is trap.
#include <array>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/charge_allowance.hpp"
#include "engine/jump_filter.hpp"
#include "engine/sparse_lu.hpp"
#include "engine/system.hpp"

namespace ns {

class Trapezoidal {
public:
  // Start at t0 from a consistent (y, y'); the first step, of first_step (0: a thousandth
  // of max_step), is backward Euler. The rows `charge_rows` (charge_rows.hpp) integrate
  // their charge: their increment over a step is q(x) - q(x_n).
  Trapezoidal(const System& system, double max_step, double t0, std::span<const double> y,
              std::span<const double> yp, double first_step, std::vector<std::size_t> charge_rows = {});

  double step(double stop);
  void restart(double t, std::span<const double> y, std::span<const double> yp, double first_step);
  // Integrator::hold: each unknown constant at its new value over the history.
  void hold(const std::vector<std::pair<std::size_t, double>>& moved);
  // y at t within the last step, and y' there when `slope` is given; true when t is
  // strictly inside the step (not at one of its ends, where y is the step's solution).
  bool interpolate(double t, std::vector<double>& y, std::vector<double>* slope = nullptr) const;
  std::span<const double> y() const { return x_; }
  double time() const { return t_; }
  // The node before the last: where the last step started, and x there.
  std::pair<double, std::span<const double>> start() const {
    const Node& n = history_[history_.size() - 2];
    return {n.t, n.x};
  }
  std::string statistics() const;

private:
  // A point of the solution's history. The restart point enters twice, its second copy
  // standing for its slope (a Hermite node): then the same divided differences give a
  // backward-Euler first step its error estimate and the trapezoid its third derivative.
  struct Node {
    double t;
    std::vector<double> x;
  };
  // Newton on one step to time t: a = 2/h, b = 1 (trapezoid) or a = 1/h, b = 0 (Euler).
  bool newton(double t, double a, double b, std::vector<double>& x);
  // The highest divided difference of unknown i over nodes[0..k) then `last`, oldest first.
  double divided(std::size_t i, std::size_t k, const std::vector<double>& last, double t_last) const;
  // The nodes the estimate and the interpolation use: the last `count` of the history.
  const Node& node(std::size_t k) const { return history_[k]; }

  const System& system_;
  double max_step_;
  SparseLu lu_;
  Assembly assembly_;
  double t_ = 0, h_ = 0;
  std::vector<double> x_, slope_;     // x at t_; x' at the restart point
  std::vector<double> c_now_;          // C at x_ (CSC values)
  std::vector<std::size_t> charge_rows_;
  std::vector<double> q_now_;          // the rows' charges at x_ (when there are charge rows)
  // The charge increments over the step into product_: (C_n + C) / 2 (x - x_n), and on
  // the charge rows q(x) - q(x_n), from assembly_.
  void charge_increment(const std::vector<double>& x);
  std::vector<double> qdot_;           // C x' at t_, the trapezoid's derivative
  std::vector<Node> history_;          // up to 3 nodes, oldest first; the last is (t_, x_)
  std::vector<double> matrix_, rhs_, product_, dx_, trial_, c_sum_;
  std::vector<double> floor_;          // each unknown's rounding noise at the last Newton (noise_floor)
  double noise(std::size_t i) const { return floor_.empty() ? 0.0 : floor_[i]; }
  std::vector<char> differential_;     // the error test's unknowns at this step
  // The interpolated output between the step's ends, measured on the rows without
  // capacitance: each unknown's Newton correction at the midpoint over its tolerance,
  // into estimate_ where larger; false when the midpoint does not evaluate.
  bool midpoint_error(double t, double h, const std::vector<double>& x);
  std::vector<double> estimate_, weight_;  // each unknown's error over its tolerance; 1 or 0
  std::optional<JumpFilter> jumps_;       // algebraic unknowns that jump leave the test
  Assembly middle_;
  std::vector<double> x_mid_, r_mid_, tolerance_mid_;
  std::optional<ChargeAllowance> allowance_;  // for the algebraic currents the midpoint test reads
  std::vector<char> charged_row_;
  std::vector<UnknownKind> kind_;
  // After an accepted step: rows whose trapezoid derivative saws about the smooth one.
  void damp_ringing(double h);
  std::vector<double> charge_step_;    // the last step's charge increment (empty: none yet)
  double h_before_ = 0;                // and its length
  std::vector<double> ringing_, c_abs_, noise_;
  // steps, iterations, evaluations, error fails, Newton fails, restarts, ringing resets
  std::array<long, 7> counts_{};
};

}  // namespace ns
