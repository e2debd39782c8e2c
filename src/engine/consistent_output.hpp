#pragma once
// Output rows between the integrator's steps (.tran tstep, .meas sampling) come from IDA's
// interpolating polynomial. For a differential unknown that is the method's own answer; for
// an algebraic one (no capacitance in its column) it is only near its equation's solution:
// as near as its error test held it, and not at all when it was left out of the test (a
// jump, jump_filter.hpp) or given a looser tolerance (algebraic_tolerance.hpp). A 1T1R
// cell's internal node, interpolated, broke its own KCL by 3e-5 of the current at reltol
// 1e-6. SPICE writes no row its Newton did not solve; so here, at such a row, the algebraic
// equations are solved again for the algebraic unknowns, the differential ones held at
// their interpolated values: every written row satisfies KCL to the Newton tolerance.
//
// Which equations: the maximum matching of algebraic unknowns to algebraic rows made for
// the index-2 test (exclude_index2_currents, integrator.cpp), without the index-2 unknowns
// (a capacitor loop's source current, which no algebraic equation fixes): a square system.
// Its Newton starts from the interpolated values on a fresh Jacobian of that block (a
// small one: KLU refactors it on the pivots of the last row), then keeps that LU while the
// iteration contracts. Rows whose residual is already within the absolute tolerance of
// what they sum (abstol for a node's KCL) are left as they are: a row written at the
// interpolated values that meets it needs no solve, and costs one evaluation. A row at
// which the polynomial is, to the bit, the solution at the step's end (every unknown held
// over the steps it passes through: a circuit at rest before or after a pulse) is that
// solution and costs none; a 256x256 1T1R pulse had 36 such rows of 95, each a full
// evaluation of its 65,536 cells.
//
// Which unknowns move: the interpolants are only within their own error of the solution,
// and a row that ties an algebraic unknown hard to a held one passes that error on
// amplified. A VBIC's base terminal, its voltage set by a sine source, its current
// (v - v_bx) / RBX over 20 ohm to the internal node bx (a capacitance's: held): the
// sine's interpolation error (6e-5 V on a 10 ns step) corrected at the terminal alone
// made the 1.2e-7 A base current 3.2e-6 A at the rows (2980 x the agreement tolerance;
// 7.8 x at the steps). Both interpolants carry that error; their difference does not.
// So the correction is the smallest one, each unknown measured in its interpolant's
// likely error, that solves the algebraic rows: over the matched algebraic unknowns and
// the differential ones in their rows, each scaled by the integrator's local error
// estimate of the last step (which for every unknown is the same multiple of its
// derivative that the interpolation error is) plus a thousandth of its tolerance. The
// sine's error goes to the nodes that follow the sine, terminal and bx alike, and none
// to a divider's node beside them (a tolerance scale moved that node by 6e-5 V on
// ngspice's VBIC diffamp: 56 x). Linearised, that is the bordered system
//     [ I   J~' ] [ x ]   [  0 ]
//     [ J~  0   ] [ l ] = [ -r ],   correction = scale * x,
// J~ the algebraic rows' G over the moving unknowns, each column times its scale. With no
// differential unknown in those rows it is the plain Newton step on the matched block.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "engine/sparse_lu.hpp"
#include "engine/system.hpp"

namespace ns {

class ConsistentOutput {
public:
  // `pairs`: (algebraic unknown, its matched row).
  // `differential`: by unknown, whether it has a capacitance (may be empty).
  ConsistentOutput(const System& system, const std::vector<std::pair<std::size_t, std::size_t>>& pairs,
                   const std::vector<char>& differential);
  ~ConsistentOutput();
  bool empty() const { return unknown_.empty(); }
  // y: the system's unknowns interpolated at t; end: the solution at the end of the step
  // t falls in; slopes(): the unknowns' slopes at t, asked for only when an algebraic row
  // has a capacitance there. Solves the algebraic unknowns of y again; leaves y as it was
  // when that Newton fails.
  // spread(): by unknown, a measure of its interpolant's error over the step (the
  // integrator's local error estimate), asked for when a row is solved.
  using Values = std::function<std::span<const double>()>;
  void solve(double t, std::span<double> y, std::span<const double> end, const Values& slopes, const Values& spread);
  long solves() const { return solves_; }        // rows between steps
  long settled() const { return settled_; }      // of them, at the step's solution: no evaluation
  long corrected() const { return corrected_; }  // of them, rows beyond their slack: solved
  long iterations() const { return iterations_; }
  long factorizations() const { return factorizations_; }
  long failures() const { return failures_; }

private:
  bool factor();
  const System& system_;
  std::vector<std::size_t> unknown_, row_;         // by equation: its unknown and row
  std::vector<std::size_t> moving_;                // the unknowns that move: unknown_, then differential ones in those rows
  std::vector<std::int64_t> starts_, rows_;        // the bordered system's pattern (CSC)
  std::vector<std::int64_t> position_;             // each entry's position in G (-1: the identity block)
  std::vector<long> var_;                          // each entry's moving unknown, whose tolerance scales it
  std::unique_ptr<SparseLu> lu_;
  Assembly assembly_;
  System::Part part_;                              // row_'s devices: the evaluations read row_ alone
  std::vector<double> slack_;                      // by equation: its residual's tolerance
  std::vector<double> scale_;                      // by moving unknown: its tolerance at the row
  std::vector<double> values_, step_, rhs_, before_;
  long solves_ = 0, settled_ = 0, corrected_ = 0, iterations_ = 0, factorizations_ = 0, failures_ = 0;
};

}  // namespace ns
