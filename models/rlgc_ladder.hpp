#pragma once
// A uniform RLGC line of m conductors over a reference, as a cascade of lumped pi sections:
// the lossy lines (O/ltra, Y/txl, P/cpl) and the uniform RC line (U/urc) are all built on it.
//
// Per unit length the line has series resistance R and inductance L and shunt conductance G
// and capacitance C, each an m x m matrix (m = 1: numbers). The telegrapher's equations
//
//     -dV/dx = R I + L dI/dt,     -dI/dx = G V + C dV/dt
//
// are approximated by cutting the line into segments of lengths d_k: each segment is a
// series branch R d_k, L d_k per conductor (its current an unknown; L couples the
// conductors), and half its G d_k, C d_k stands at each of its two ends (a pi section), so
// that the ends of the line carry a half section's shunt and the joints a whole one.
//
// What is exact: DC (the series resistance R len, the shunt conductance G len), the total
// charge and flux, and the RC-only line in the limit of many segments. What is not: a wave
// on N sections of delay tau = td / N travels with the dispersion of a lumped LC ladder
// (cut-off at w = 2 / tau), so a step edge arrives spread over about td N^(-2/3) with a
// ringing tail. lc_sections() chooses N from the delay for that spread to stay under a
// fraction of the fastest edge the circuit is expected to carry.
//
// The network is linear with constant G and C (Device::linear), so a transient stamps it
// once; .ac sees the same network, the frequency response of the ladder.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "circuit/device.hpp"

namespace ns {

struct RlgcLine {
  std::size_t m = 1;                // conductors
  std::vector<double> r, l, g, c;   // per unit length, m x m, row-major
};

class RlgcLadder {
public:
  // Segments of the given lengths (m), end to end from side 1 to side 2.
  RlgcLadder(std::string device, RlgcLine line, std::vector<double> segments);

  // Side 1's conductors `a` over reference `ra`, side 2's `b` over `rb` (ra and rb are
  // joined by an ideal return conductor when they differ).
  void setup(Setup& s, std::span<const Unknown> a, Unknown ra, std::span<const Unknown> b, Unknown rb);
  void topology(Topology& t) const;
  void load(const Eval& e, Load& l) const;

private:
  struct Term {  // f[row] += value x[col] (q[row] when reactive), and its Jacobian entry
    Unknown row, col;
    Entry entry;
    double value;
    bool reactive;
  };
  void add(Setup& s, Unknown row, Unknown col, double value, bool reactive);
  void shunt(Setup& s, std::span<const Unknown> nodes, Unknown ref, double length);

  std::string device_;
  RlgcLine line_;
  std::vector<double> segments_;
  std::vector<Term> terms_;
  std::vector<std::pair<Unknown, Unknown>> series_;  // per series branch: its ends
  std::vector<bool> resistive_;                       // per series branch: R > 0 (else a short at DC)
  std::pair<Unknown, Unknown> tie_{ground, ground};
};

// The number of equal sections for a line of delay td (s): see above. At least `least`.
std::size_t lc_sections(double td, std::size_t least);

}  // namespace ns
