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
// 1/20 (measured: tests/sim/ngspice_lossy_line.cpp).
//
// .ac and .noise see the exact line instead (Device::ac_admittance): each segment, d =
// len / K long, is the two-port of the telegrapher's equations at angular frequency w,
//
//     i1 = (coth(gamma d) v1 - v2 / sinh(gamma d)) / zc,  i2 likewise with 1 and 2 swapped,
//     gamma = sqrt((r + jwl)(g + jwc)),  zc = sqrt((r + jwl) / (g + jwc)),
//
// so a cascade of them is the whole line's exact response, whatever K.
//
// A port need not be two nodes: a mode of a coupled line (models/cpl.cpp) has for its
// voltage a weighted sum of the conductors' voltages and puts its current into each
// conductor with weights (LinePort). Its interior joints are then nodes of their own, over
// ground.
#include <complex>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "circuit/device.hpp"
#include "circuit/history.hpp"

namespace ns {

struct LossyLine {
  double r = 0, l = 0, g = 0, c = 0, len = 0;  // per unit length; m
};

// An end of the line: its voltage sum_k w v(unknown) (`voltage`), and the currents its
// current i puts into the circuit's rows, w i at each unknown (`current`).
struct LinePort {
  std::vector<std::pair<Unknown, double>> voltage, current;
  static LinePort across(Unknown p, Unknown n) { return {{{p, 1}, {n, -1}}, {{p, 1}, {n, -1}}}; }
};

class LossySegments {
public:
  // `segments` 0: chosen from the loss (above).
  LossySegments(std::string device, Location where, LossyLine line, std::size_t segments);

  // One conductor from p1 over n1 to p2 over n2 (each port's current returns by its own).
  void setup(Setup& s, Unknown p1, Unknown n1, Unknown p2, Unknown n2);
  // Between two ports; the interior joints are internal nodes over `interior_ref`.
  void setup(Setup& s, const LinePort& side1, const LinePort& side2, Unknown interior_ref, const std::string& prefix);
  void topology(Topology& t) const;
  void load(const Eval& e, Load& l) const;
  void ac_admittance(double omega, const std::function<void(Entry, std::complex<double>)>& add) const;
  void start_transient() { record_.clear(); }
  double delay() const { return tau_; }
  double line_delay() const { return tau_ * static_cast<double>(k_); }
  void accept(const Eval& e);
  std::size_t segments() const { return k_; }

private:
  struct Term {
    Unknown row, col;
    Entry entry;
    double value;
  };
  void add(Setup& s, std::vector<Term>& to, Unknown row, Unknown col, double value);
  double voltage(const Eval& e, std::size_t k) const;

  std::string device_;
  Location where_;
  LossyLine line_;
  double z0_ = 0, tau_ = 0, rs_ = 0, gs_ = 0;
  std::size_t k_ = 1;
  bool single_ = false;            // one conductor between two node pairs (else a mode)
  std::vector<LinePort> ports_;        // K + 1: side 1, the joints, side 2
  std::vector<Unknown> currents_;  // 2K: i1, i2 of each segment
  std::pair<Unknown, Unknown> references_{ground, ground};  // one conductor's n1, n2
  // Always (KCL); the lumped segments' own terms (DC and transient); the DC
  // rows' far-side terms; the .ac rows (per segment row: its entries and which of y11,
  // y12, -1 each takes times the port weight).
  std::vector<Term> kcl_terms_, lumped_terms_, dc_terms_;
  struct AcTerm {
    Entry entry;
    int which;  // 0: y11, 1: y12, 2: -1
    double weight;
  };
  std::vector<AcTerm> ac_terms_;
  mutable History record_{2, 0};  // a1, a2 of every segment
};

// The segment count above: per-segment loss at most 1/20, at least 1, at most 1000.
std::size_t loss_segments(const LossyLine& line);

}  // namespace ns
