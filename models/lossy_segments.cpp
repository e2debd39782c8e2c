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
    : device_(std::move(device)), where_(std::move(where)), line_(line) {
  k_ = segments ? segments : loss_segments(line);
  z0_ = std::sqrt(line.l / line.c);
  tau_ = line.len * std::sqrt(line.l * line.c) / static_cast<double>(k_);
  rs_ = line.r * line.len / (2.0 * static_cast<double>(k_));
  gs_ = line.g * line.len / (2.0 * static_cast<double>(k_));
  record_ = History(2 * k_, tau_);
}

void LossySegments::add(Setup& s, std::vector<Term>& to, Unknown row, Unknown col, double value) {
  if (row == ground || col == ground || value == 0) return;
  to.push_back({row, col, s.entry(row, col), value});
}

// Each port's current returns by its own reference, as on the lossless T: i1 into p1 out
// of n1, i2 into p2 out of n2; the joints stand over n1.
void LossySegments::setup(Setup& s, Unknown p1, Unknown n1, Unknown p2, Unknown n2) {
  single_ = true;
  references_ = {n1, n2};
  setup(s, LinePort::across(p1, n1), LinePort::across(p2, n2), n1, "");
}

void LossySegments::setup(Setup& s, const LinePort& side1, const LinePort& side2, Unknown interior_ref, const std::string& prefix) {
  ports_.push_back(side1);
  for (std::size_t k = 1; k < k_; ++k)
    ports_.push_back(LinePort::across(s.internal_node(fmt::format("{}{}", prefix, k)), interior_ref));
  ports_.push_back(side2);
  for (std::size_t k = 0; k < k_; ++k) {
    const LinePort &u = ports_[k], &w = ports_[k + 1];
    const std::string n = k_ == 1 ? prefix : fmt::format("{}.{}", prefix, k + 1);
    const Unknown i1 = s.branch("i1" + n), i2 = s.branch("i2" + n);
    currents_.push_back(i1);
    currents_.push_back(i2);
    // The port currents into the circuit; the shunt halves, g across each port.
    for (const auto& [at, i] : {std::pair{&u, i1}, {&w, i2}}) {
      for (const auto& [node, weight] : at->current) add(s, kcl_terms_, node, i, weight);
      for (const auto& [row, wr] : at->current)
        for (const auto& [col, wc] : at->voltage) add(s, lumped_terms_, row, col, gs_ * wr * wc);
    }
    // The segment's rows: their own side's terms; the far side's wave comes from the
    // record in a transient, from the present solution at DC.
    for (const auto& [row, near, far, other] : {std::tuple{i1, &u, &w, i2}, {i2, &w, &u, i1}}) {
      for (const auto& [col, weight] : near->voltage) add(s, lumped_terms_, row, col, weight);
      add(s, lumped_terms_, row, row, -(z0_ + rs_));
      for (const auto& [col, weight] : far->voltage) add(s, dc_terms_, row, col, -weight);
      add(s, dc_terms_, row, other, -(z0_ - rs_));
      for (const auto& [col, weight] : near->voltage)
        if (col != ground) ac_terms_.push_back({s.entry(row, col), 0, weight});
      for (const auto& [col, weight] : far->voltage)
        if (col != ground) ac_terms_.push_back({s.entry(row, col), 1, weight});
      ac_terms_.push_back({s.entry(row, row), 2, 1});
    }
  }
}

// At DC each segment is rs + rs in series from one end to the other. A mode of a coupled
// line declares only its joints, which its neighbours' waves fix (the device declares its
// conductors' paths).
void LossySegments::topology(Topology& t) const {
  if (!single_) {
    for (std::size_t k = 1; k < k_; ++k) t.conducts(ports_[k].voltage[0].first, ground);
    return;
  }
  for (std::size_t k = 0; k < k_; ++k) {
    const Unknown a = ports_[k].voltage[0].first, b = ports_[k + 1].voltage[0].first;
    if (rs_ > 0) t.conducts(a, b);
    else t.voltage_defined(a, b);
  }
  t.conducts(references_.first, references_.second);
}

void LossySegments::load(const Eval& e, Load& l) const {
  auto stamp = [&](const std::vector<Term>& terms) {
    for (const Term& t : terms) {
      l.f(t.row, t.value * e.v(t.col));
      l.G(t.entry, t.value);
    }
  };
  stamp(kcl_terms_);
  if (e.mode == Mode::Ac) return;  // the rest is ac_admittance's
  stamp(lumped_terms_);
  if (e.mode == Mode::Tran) {
    std::vector<double> a(2 * k_);
    record_.read(e.time - tau_, a);
    for (std::size_t k = 0; k < k_; ++k) {
      l.f(currents_[2 * k], -a[2 * k + 1]);
      l.f(currents_[2 * k + 1], -a[2 * k]);
    }
    return;
  }
  stamp(dc_terms_);
}

// Each segment's rows i = y11 v(near) + y12 v(far): the exact two-port above, its
// hyperbolic functions written with exp(-2 gamma d) so that a long lossy segment does not
// overflow, and by their series where gamma d is small.
void LossySegments::ac_admittance(double omega, const std::function<void(Entry, std::complex<double>)>& stamp) const {
  using C = std::complex<double>;
  const double d = line_.len / static_cast<double>(k_);
  const C z(line_.r, omega * line_.l), y(line_.g, omega * line_.c);
  const C gamma = std::sqrt(z * y), x = gamma * d;
  C y11, y12;
  if (std::abs(x) < 1e-4) {  // coth x = 1/x + x/3, 1/sinh x = 1/x - x/6
    y11 = 1.0 / (z * d) + y * d / 3.0;
    y12 = -1.0 / (z * d) + y * d / 6.0;
  } else {
    const C e2 = std::exp(-2.0 * x), zc = z / gamma;
    y11 = (1.0 + e2) / (1.0 - e2) / zc;
    y12 = -2.0 * std::exp(-x) / (1.0 - e2) / zc;
  }
  const C values[] = {y11, y12, -1.0};
  for (const AcTerm& t : ac_terms_) stamp(t.entry, t.weight * values[t.which]);
}

double LossySegments::voltage(const Eval& e, std::size_t k) const {
  double v = 0;
  for (const auto& [node, weight] : ports_[k].voltage) v += weight * e.v(node);
  return v;
}

void LossySegments::accept(const Eval& e) {
  std::vector<double> a(2 * k_);
  for (std::size_t k = 0; k < k_; ++k) {
    a[2 * k] = voltage(e, k) + (z0_ - rs_) * e.v(currents_[2 * k]);
    a[2 * k + 1] = voltage(e, k + 1) + (z0_ - rs_) * e.v(currents_[2 * k + 1]);
  }
  record_.record(e.time, a);
}

}  // namespace ns
