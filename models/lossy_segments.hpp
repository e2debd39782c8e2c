#pragma once
// A lossy line of one conductor as K lossless segments with the loss lumped between them
// (Bergeron's method with lumped resistance, as EMTP-type programs build a lossy line):
// the O (ltra) and Y (txl) lines with inductance use it.
//
// The line, r l g c per unit length and len long, has the lossless part's impedance
// z0 = sqrt(l / c) and delay td = len sqrt(l c). It is cut into K segments of delay
// tau = td / K. Each is a lossless line (models/tline.cpp's method of characteristics)
// with series resistance rs = r len / (2K) on each of its two sides and shunt conductance
// g len / (2K) at each of its two ends to the reference; at a joint two halves meet.
// With the resistance folded into the segment, the two rows of segment k, whose ends are
// the nodes u (left) and w (right) and whose port currents are i1 (into it at u) and i2
// (at w), are
//
//     v(u) - (z0 + rs) i1 = a2(t - tau),   a2 = v(w) + (z0 - rs) i2
//     v(w) - (z0 + rs) i2 = a1(t - tau),   a1 = v(u) + (z0 - rs) i1
//
// (a = the lossless line's own v + z0 i at its port, behind rs). Exact: the lossless line
// (r = g = 0: one segment), the delay, the DC resistance r len. Approximate: the loss,
// lumped at K places instead of spread, which is an error of order (r len / (K z0))^2 in
// the waves; K is chosen to make the per-segment loss r len / (K z0) + g len z0 / K at most
// 1/20 (measured against a converged reference in tests/models/lossy_line_test.cpp).
//
// .ac refuses it (its delay is not a G + jwC stamp), as it does the lossless T.
#include <cstddef>
#include <string>
#include <vector>

#include "circuit/device.hpp"
#include "circuit/history.hpp"

namespace ns {

struct LossyLine {
  double r = 0, l = 0, g = 0, c = 0, len = 0;  // per unit length; m
};

class LossySegments {
public:
  // `segments` 0: chosen from the loss (above).
  LossySegments(std::string device, Location where, LossyLine line, std::size_t segments);

  void setup(Setup& s, Unknown p1, Unknown n1, Unknown p2, Unknown n2);
  void topology(Topology& t) const;
  void load(const Eval& e, Load& l) const;
  void start_transient() { record_.clear(); }
  double delay() const { return tau_; }
  double line_delay() const { return tau_ * static_cast<double>(k_); }
  void accept(const Eval& e);
  std::size_t segments() const { return k_; }

private:
  void add(Setup& s, Unknown row, Unknown col, double value);

  std::string device_;
  Location where_;
  double z0_ = 0, tau_ = 0, rs_ = 0, gs_ = 0;
  std::size_t k_ = 1;
  std::vector<Unknown> nodes_;     // K + 1: port 1's p, the joints, port 2's p
  std::vector<Unknown> currents_;  // 2K: i1, i2 of each segment
  Unknown ref_ = ground;
  std::pair<Unknown, Unknown> tie_{ground, ground};
  Unknown tie_current_ = ground;
  struct Term {
    Unknown row, col;
    Entry entry;
    double value;
  };
  std::vector<Term> dc_terms_, tran_terms_;  // the DC rows' extra terms; the rows common to both
  mutable History record_{2, 0};              // a1, a2 of every segment
};

// The segment count above: per-segment loss at most 1/20, at least 1, at most 1000.
std::size_t loss_segments(const LossyLine& line);

}  // namespace ns
