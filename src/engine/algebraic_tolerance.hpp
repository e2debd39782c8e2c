#pragma once
// The error-test tolerance of an algebraic unknown (no capacitance in its column): what
// its equation lets the unknowns it depends on pass on to it. IDA's error test holds every
// unknown it tests to reltol·|x| + abstol of its own. An algebraic unknown is a function of
// the differential ones; an error within their tolerances moves it, through its matched
// algebraic equation r (G_rj x_j + sum G_rk x_k = ...), by up to
//     sum_k |G_rk| tol_k / |G_rj|,
// which for a high-gain node (an op-amp's output, 1e5 times its input) is far more than its
// own reltol·|x|. Held to its own, it forced the differential unknowns 1e5 times tighter
// than their tolerances: a Wien-bridge oscillator around a 100k-gain op-amp (corpus
// OpWien.sp, constant R and C, 1.2 s) took 240747 steps where ngspice takes 24.2k. Such a
// node's tolerance is raised to what is passed on to it: it follows the differential
// unknowns to the accuracy those are tested to, as SPICE's truncation test, on charges and
// fluxes only, holds it. Only where that is more than 100 times its own (a gain node): a
// moderate ratio keeps the node's own test, which carries accuracy the differential tests
// can miss. A 1T1R cell's gap, whose reltol·|gap| (1.5e-3 nm) is far more than a weak
// reset's whole change (2e-3 nm), is held by its cell's current and node voltages: raised
// by as little as 3 times, they let the gap of a 16x16 crossbar's pulse drift 14 times
// further from its reference (1.2e-5 -> 1.7e-4 of its change); raised only past 100 times,
// not at all, while OpWien keeps 95155 steps. Its value at each step is still Newton's
// solution of its equation to its own tolerance, and output rows between steps solve it
// again (consistent_output.hpp).
//
// OpWien's remaining steps (step43, on 4648f28; 95243 steps in 1.2 s, 1.03 million and
// 9.3 s of CPU in its 12 s, ngspice 243k points and 2.6 s) are not waste: against a tight
// run (ours at reltol 1e-5 and ngspice's at 1e-5 with 1 us steps agree: period 1.007620 ms,
// peak 10.1797 V), our default period is 0.035 % off and ngspice's 0.78 %; ngspice needs
// steps of at most 10 us (120k points, 9.5 s for the 1.2 s where ours takes 0.6-0.8 s) to
// be within 0.031 %. The peak is ours +0.21 %, ngspice's +0.14 %. The steps go to the four knees of each period where a limiter
// diode turns on or off: the op-amp's output (xop.4, xop.5, v(4), the diodes' anodes) turns
// there within microseconds, and the error test cuts the step on it. Measured, not kept: a
// 7 times looser error test (SPICE's trtol) 76739 steps; maximum order 2, 3, 4: 140790,
// 103856, 93376; a fresh Jacobian at the last iterate when a solve on a fresh one fails
// (7646 -> 586 Newton cuts) 96198 steps, the same time. A branch current is raised by the
// same rule as a gain node, which holds a small current through a small resistor from a
// biased node to nothing (tests/sim/transient_accuracy_test.cpp, the VBIC pair's i(vin)).
//
// The sum runs over the equation's other unknowns with the tolerance each passes on: a
// differential one its own; an algebraic one what it was passed (two sweeps, in unknown
// order, carry it along chains of algebraic nodes); a source's fixed value none (zero).
// G is the last Jacobian's.
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "engine/system.hpp"

namespace ns {

class AlgebraicTolerance {
public:
  // `pairs`: (algebraic unknown, its matched row), as for ConsistentOutput.
  AlgebraicTolerance(const System& system, const std::vector<std::pair<std::size_t, std::size_t>>& pairs);
  // tolerance: by unknown (the system's first), each its own; the algebraic ones raised.
  // What is passed on is worked out again only for a new Jacobian (`jacobian` counts
  // them): it is as old as the G it is made of, and working it out at every step cost a
  // 256x256 crossbar's pulse 8 % of its run.
  void apply(const std::vector<double>& G, long jacobian, std::span<double> tolerance) const;
  bool empty() const { return unknown_.empty(); }

private:
  // Entry e: unknown_[e], the position of its G_rj own_[e] (-1: none), and its other
  // unknowns k with the positions of G_rk in [first_[e], first_[e + 1]) of other_column_
  // and other_position_: two arrays of 32-bit indices, half the memory of (size_t, int64)
  // pairs, since pass_on's time on a 256x256 crossbar went to reading them and G (3.6 % of
  // the run in perf, 1.6 % of its instructions). A circuit whose unknowns or pattern do not
  // fit 32 bits has no entries (no tolerance raised).
  std::vector<std::size_t> unknown_;
  std::vector<std::int64_t> own_;
  std::vector<std::size_t> first_;
  std::vector<std::uint32_t> other_column_, other_position_;
  // The entries the second sweep can change: those with another algebraic unknown of a
  // later entry (read as 0 by the first), or of an earlier one it changes. The others it
  // would work out again to the same bits.
  std::vector<std::size_t> again_;
  void pass_on(const std::vector<double>& G, std::span<const double> tolerance) const;

  mutable std::vector<double> passed_;
  mutable long passed_at_ = -1;  // the Jacobian passed_ was worked out from
};

}  // namespace ns
