#pragma once
// The rows whose charge the transient integrates as a charge (issue 16).
//
// The DAE's C(x) x' is d/dt q(x), but integrated as C(x) x' it does not conserve charge
// when C depends on x: each step's charge increment is C times the voltage increment, off
// by O(C' dx^2), and on a floating node (a capacitor in series with a junction) the error
// never decays: 10 pulses moved it by 2.7e-2 V where SPICE, integrating dq/dt, stays within
// 4e-6 V. So a row whose charge is a nonlinear function of x integrates q(x) itself: IDA
// gets a charge unknown q_k = q_r(x) for it, whose derivative replaces the row's C x'
// (integrator.cpp); our trapezoid and implicit Euler use the increment q(x) - q(x_n).
//
// Which rows, found numerically at the transient's start x0 (two evaluations): those whose
// C changes from x0 to a small perturbation x1 of it, and whose charge does follow C
// there, q(x1) - q(x0) = the trapezoid of C over x1 - x0, on which no device stamps a C
// without a charge (Device::charges_complete: Meyer's gate capacitances, whose rows keep
// C x', as they do in SPICE, which has no charge to integrate for them either). A linear
// row keeps C x', which is exact and costs nothing: the neuron networks, NbOx decks and
// crossbars get no charge unknowns. Left out too: a charge whose arguments time alone
// fixes (a behavioural capacitor across a source). Its BDF derivative from a charge
// unknown is off by h q''/2 at order 1, where C(x) x' with the source's exact ramp is not.
#include <cstddef>
#include <span>
#include <vector>

#include "engine/system.hpp"

namespace ns {

std::vector<std::size_t> charge_rows(const System& system, std::span<const double> x0, double t);

// The tolerance of row `row`'s charge unknown at x, C the rows' capacitances there (values
// on the pattern): what the tolerances of the unknowns it depends on make of it,
// sum_j |C_rj| tol_j, and not below reltol·chgtol (where C vanishes; charge_floor.hpp).
double charge_tolerance(const System& system, const std::vector<double>& C, std::size_t row,
                        std::span<const double> x);

// The size of row `row`'s charge for its rounding error: `start` (the charges themselves)
// plus sum_j |C_rj x_j|, the terms it sums (C on the pattern, at x).
double charge_size(const System& system, const std::vector<double>& C, std::size_t row,
                   std::span<const double> x, double start);

}  // namespace ns
