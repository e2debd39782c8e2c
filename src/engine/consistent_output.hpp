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
// The held unknowns' interpolants are only within their own tolerance of the solution,
// and a row that ties an algebraic unknown to them hard passes that error on amplified: a
// VBIC base terminal, its voltage set by a sine source, its current (v - v_bx) / RBX over
// 10 ohm to a held internal node; the sine's interpolation error (1e-5 V, the held node
// having the same) corrected at the terminal alone made the 1e-7 A base current 7e-6 A.
// So an unknown whose row met its slack as interpolated keeps its interpolated value
// where its correction (the others' passed on) is within what its row's held unknowns
// leave open: sum |G| tolerance over them, over its own |G|. That row is then written
// with a residual within those tolerances, not within its slack.
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
  ConsistentOutput(const System& system, const std::vector<std::pair<std::size_t, std::size_t>>& pairs);
  ~ConsistentOutput();
  bool empty() const { return unknown_.empty(); }
  // y: the system's unknowns interpolated at t; end: the solution at the end of the step
  // t falls in; slopes(): the unknowns' slopes at t, asked for only when an algebraic row
  // has a capacitance there. Solves the algebraic unknowns of y again; leaves y as it was
  // when that Newton fails.
  void solve(double t, std::span<double> y, std::span<const double> end,
             const std::function<std::span<const double>()>& slopes);
  long solves() const { return solves_; }        // rows between steps
  long settled() const { return settled_; }      // of them, at the step's solution: no evaluation
  long corrected() const { return corrected_; }  // of them, rows beyond their slack: solved
  long iterations() const { return iterations_; }
  long factorizations() const { return factorizations_; }
  long failures() const { return failures_; }

private:
  bool factor();
  void measure_open(std::span<const double> y);  // with G at the interpolated point
  void keep_within_open(std::span<double> y) const;
  const System& system_;
  std::vector<std::size_t> unknown_, row_;         // by equation: its unknown and row
  std::vector<std::int64_t> starts_, rows_;        // the block's pattern (CSC)
  std::vector<std::int64_t> position_;             // each entry's position in G
  std::unique_ptr<SparseLu> lu_;
  Assembly assembly_;
  std::vector<double> slack_;                      // by equation: its residual's tolerance
  std::vector<double> open_;                       // by equation: its unknown's range left by the held ones
  std::vector<char> solved_;                       // by unknown: one of the block's
  std::vector<double> values_, step_, before_;
  long solves_ = 0, settled_ = 0, corrected_ = 0, iterations_ = 0, factorizations_ = 0, failures_ = 0;
};

}  // namespace ns
