#include "rlgc_ladder.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace ns {

RlgcLadder::RlgcLadder(std::string device, RlgcLine line, std::vector<double> segments)
    : device_(std::move(device)), line_(std::move(line)), segments_(std::move(segments)) {}

void RlgcLadder::add(Setup& s, Unknown row, Unknown col, double value, bool reactive) {
  if (row == ground || col == ground || value == 0) return;
  terms_.push_back({row, col, s.entry(row, col), value, reactive});
}

// Shunt G and C of `length` of line at `nodes` over `ref`: the current out of node i is
// sum_j Y_ij (v_j - v_ref), and the reference takes it back.
void RlgcLadder::shunt(Setup& s, std::span<const Unknown> nodes, Unknown ref, double length) {
  const std::size_t m = line_.m;
  for (int reactive = 0; reactive < 2; ++reactive) {
    const std::vector<double>& y = reactive ? line_.c : line_.g;
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < m; ++j) {
        const double v = y[i * m + j] * length;
        add(s, nodes[i], nodes[j], v, reactive);
        add(s, nodes[i], ref, -v, reactive);
        add(s, ref, nodes[j], -v, reactive);
        add(s, ref, ref, v, reactive);
      }
  }
}

void RlgcLadder::setup(Setup& s, std::span<const Unknown> a, Unknown ra, std::span<const Unknown> b, Unknown rb) {
  const std::size_t m = line_.m, n = segments_.size();
  if (rb != ra) {  // the ideal return: v(rb) = v(ra), its current an unknown
    const Unknown i = s.branch("return");
    add(s, rb, i, 1, false);
    add(s, ra, i, -1, false);
    add(s, i, rb, 1, false);
    add(s, i, ra, -1, false);
    tie_ = {rb, ra};
  }
  std::vector<Unknown> left(a.begin(), a.end()), right(m);
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t i = 0; i < m; ++i)
      right[i] = k + 1 == n ? b[i] : s.internal_node(m == 1 ? fmt::format("{}", k + 1) : fmt::format("{}.{}", k + 1, i + 1));
    shunt(s, left, ra, segments_[k] / 2);
    std::vector<Unknown> current(m);
    for (std::size_t i = 0; i < m; ++i)
      current[i] = s.branch(m == 1 ? fmt::format("s{}", k + 1) : fmt::format("s{}.{}", k + 1, i + 1));
    // Row of conductor i's current: v(left) - v(right) - sum_j (R_ij I_j + L_ij dI_j/dt) d_k.
    for (std::size_t i = 0; i < m; ++i) {
      add(s, left[i], current[i], 1, false);
      add(s, right[i], current[i], -1, false);
      add(s, current[i], left[i], 1, false);
      add(s, current[i], right[i], -1, false);
      for (std::size_t j = 0; j < m; ++j) {
        add(s, current[i], current[j], -line_.r[i * m + j] * segments_[k], false);
        add(s, current[i], current[j], -line_.l[i * m + j] * segments_[k], true);
      }
      series_.emplace_back(left[i], right[i]);
      resistive_.push_back(line_.r[i * m + i] > 0);
    }
    shunt(s, right, ra, segments_[k] / 2);
    left = right;
  }
}

void RlgcLadder::topology(Topology& t) const {
  for (std::size_t k = 0; k < series_.size(); ++k) {
    if (resistive_[k]) t.conducts(series_[k].first, series_[k].second);
    else t.voltage_defined(series_[k].first, series_[k].second);
  }
  if (tie_.first != tie_.second) t.voltage_defined(tie_.first, tie_.second);
}

void RlgcLadder::load(const Eval& e, Load& l) const {
  for (const Term& t : terms_) {
    if (t.reactive) {
      l.q(t.row, t.value * e.v(t.col));
      l.C(t.entry, t.value);
    } else {
      l.f(t.row, t.value * e.v(t.col));
      l.G(t.entry, t.value);
    }
  }
}

std::size_t lc_sections(double td, std::size_t least) {
  // A step through N LC sections rises over about td N^(-2/3) (the Airy front of the
  // lumped ladder); 2 ps keeps that under a tenth of a 20 ps edge for td up to ~1 ns,
  // and the count is capped so that a long line stays a few thousand unknowns.
  constexpr double front = 2e-12;
  const double n = std::ceil(std::pow(td / front, 1.5));
  return std::clamp<std::size_t>(static_cast<std::size_t>(std::min(n, 1e6)), least, 2000);
}

}  // namespace ns
