#include "lossy_segments.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace ns {

std::size_t loss_segments(const LossyLine& p) {
  const double z0 = std::sqrt(p.l / p.c);
  const double loss = p.r * p.len / z0 + p.g * p.len * z0;
  return static_cast<std::size_t>(std::clamp(std::ceil(20 * loss), 1.0, 1000.0));
}

LossySegments::LossySegments(std::string device, Location where, LossyLine line, std::size_t segments)
    : device_(std::move(device)), where_(std::move(where)) {
  k_ = segments ? segments : loss_segments(line);
  z0_ = std::sqrt(line.l / line.c);
  tau_ = line.len * std::sqrt(line.l * line.c) / static_cast<double>(k_);
  rs_ = line.r * line.len / (2.0 * static_cast<double>(k_));
  gs_ = line.g * line.len / (2.0 * static_cast<double>(k_));
  record_ = History(2 * k_, tau_);
}

void LossySegments::add(Setup& s, Unknown row, Unknown col, double value) {
  if (row == ground || col == ground || value == 0) return;
  tran_terms_.push_back({row, col, s.entry(row, col), value});
}

void LossySegments::setup(Setup& s, Unknown p1, Unknown n1, Unknown p2, Unknown n2) {
  ref_ = n1;
  if (n2 != n1) {  // an ideal return: v(n2) = v(n1)
    tie_ = {n2, n1};
    tie_current_ = s.branch("return");
    add(s, n2, tie_current_, 1);
    add(s, n1, tie_current_, -1);
    add(s, tie_current_, n2, 1);
    add(s, tie_current_, n1, -1);
  }
  nodes_.push_back(p1);
  for (std::size_t k = 1; k < k_; ++k) nodes_.push_back(s.internal_node(fmt::format("{}", k)));
  nodes_.push_back(p2);
  for (std::size_t k = 0; k < k_; ++k) {
    const Unknown u = nodes_[k], w = nodes_[k + 1];
    const Unknown i1 = s.branch(k_ == 1 ? std::string("i1") : fmt::format("i1.{}", k + 1));
    const Unknown i2 = s.branch(k_ == 1 ? std::string("i2") : fmt::format("i2.{}", k + 1));
    currents_.push_back(i1);
    currents_.push_back(i2);
    // KCL at both ends (the reference takes the currents back), the shunt halves.
    add(s, u, i1, 1);
    add(s, ref_, i1, -1);
    add(s, w, i2, 1);
    add(s, ref_, i2, -1);
    for (const Unknown n : {u, w}) {
      add(s, n, n, gs_);
      add(s, n, ref_, -gs_);
      add(s, ref_, n, -gs_);
      add(s, ref_, ref_, gs_);
    }
    // The segment's rows: their own side's terms; the far side's wave comes from the
    // record in a transient, from the present solution at DC.
    add(s, i1, u, 1);
    add(s, i1, ref_, -1);
    add(s, i1, i1, -(z0_ + rs_));
    add(s, i2, w, 1);
    add(s, i2, ref_, -1);
    add(s, i2, i2, -(z0_ + rs_));
    for (const auto& [row, col, v] : {std::tuple{i1, w, -1.0}, {i1, ref_, 1.0}, {i1, i2, -(z0_ - rs_)},
                                      {i2, u, -1.0}, {i2, ref_, 1.0}, {i2, i1, -(z0_ - rs_)}})
      if (row != ground && col != ground) dc_terms_.push_back({row, col, s.entry(row, col), v});
  }
}

// At DC each segment is rs + rs in series from u to w, its shunt g halves to the reference.
void LossySegments::topology(Topology& t) const {
  for (std::size_t k = 0; k < k_; ++k) {
    if (rs_ > 0) t.conducts(nodes_[k], nodes_[k + 1]);
    else t.voltage_defined(nodes_[k], nodes_[k + 1]);
  }
  if (tie_current_ != ground) t.voltage_defined(tie_.first, tie_.second);
}

void LossySegments::load(const Eval& e, Load& l) const {
  if (e.mode == Mode::Ac)
    throw InputError(where_, fmt::format("lossy line '{}' (lossless segments with lumped loss) has no "
                                         "small-signal model here (its delay is not a G + jwC stamp): "
                                         ".ac, .noise and .pz refuse it", device_));
  for (const Term& t : tran_terms_) {
    l.f(t.row, t.value * e.v(t.col));
    l.G(t.entry, t.value);
  }
  if (e.mode == Mode::Tran) {
    std::vector<double> a(2 * k_);
    record_.read(e.time - tau_, a);
    for (std::size_t k = 0; k < k_; ++k) {
      l.f(currents_[2 * k], -a[2 * k + 1]);
      l.f(currents_[2 * k + 1], -a[2 * k]);
    }
    return;
  }
  for (const Term& t : dc_terms_) {
    l.f(t.row, t.value * e.v(t.col));
    l.G(t.entry, t.value);
  }
}

void LossySegments::accept(const Eval& e) {
  std::vector<double> a(2 * k_);
  const double ref = e.v(ref_);
  for (std::size_t k = 0; k < k_; ++k) {
    a[2 * k] = e.v(nodes_[k]) - ref + (z0_ - rs_) * e.v(currents_[2 * k]);
    a[2 * k + 1] = e.v(nodes_[k + 1]) - ref + (z0_ - rs_) * e.v(currents_[2 * k + 1]);
  }
  record_.record(e.time, a);
}

}  // namespace ns
