#include "engine/charge_rows.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns {

namespace {

// The unknowns time alone fixes, at the assembly's point: a row without capacitance whose
// non-zero conductances leave one unknown not yet fixed fixes that one (a voltage source's
// row its node, then a source stacked on it the next node, ...), row after row.
std::vector<char> fixed_by_time(const System& system, const Assembly& a) {
  const std::size_t n = system.size();
  std::vector<char> charged(n, 0), fixed(n, 0);
  std::vector<int> open(n, 0);  // a row's unknowns not yet fixed
  for (std::size_t r = 0; r < n; ++r)
    for (auto p : system.row_positions(r)) charged[r] = charged[r] || a.C[static_cast<std::size_t>(p)] != 0;
  std::vector<std::size_t> ready;
  for (std::size_t r = 0; r < n; ++r) {
    if (charged[r]) continue;
    for (auto p : system.row_positions(r)) open[r] += a.G[static_cast<std::size_t>(p)] != 0;
    if (open[r] == 1) ready.push_back(r);
  }
  const auto& starts = system.column_starts();
  const auto& rows = system.rows();
  while (!ready.empty()) {
    const std::size_t r = ready.back();
    ready.pop_back();
    if (open[r] != 1) continue;
    const auto positions = system.row_positions(r);
    const auto columns = system.row_columns(r);
    for (std::size_t k = 0; k < positions.size(); ++k) {
      const auto j = static_cast<std::size_t>(columns[k]);
      if (a.G[static_cast<std::size_t>(positions[k])] == 0 || fixed[j]) continue;
      fixed[j] = 1;
      for (auto e = starts[j]; e < starts[j + 1]; ++e) {
        const auto other = static_cast<std::size_t>(rows[e]);
        if (charged[other] || a.G[static_cast<std::size_t>(e)] == 0) continue;
        if (--open[other] == 1) ready.push_back(other);
      }
    }
  }
  return fixed;
}

}  // namespace

std::vector<std::size_t> charge_rows(const System& system, std::span<const double> x0, double t) {
  const std::size_t n = system.size();
  const double gmin = system.circuit().options().gmin;
  // x1: each unknown moved by about its tolerance, by a size and sign that differ from one
  // unknown to the next (golden-ratio spread), so no device sees its terminals move together.
  std::vector<double> x1(x0.begin(), x0.end()), dx(n);
  for (std::size_t j = 0; j < n; ++j) {
    const double spread = std::fmod(0.6180339887498949 * static_cast<double>(j + 1), 1.0);
    dx[j] = (j % 2 ? -1 : 1) * (0.5 + spread) * system.tolerance(j, std::abs(x0[j]));
    x1[j] += dx[j];
  }
  Assembly a = system.make_assembly(), b = system.make_assembly();
  a.q.resize(n);
  b.q.resize(n);
  if (!system.evaluate(Eval{x0, Mode::Tran, t, gmin}, a) || !system.evaluate(Eval{x1, Mode::Tran, t, gmin}, b))
    return {};  // the transient reports it, at its first step
  constexpr double eps = std::numeric_limits<double>::epsilon();
  std::vector<char> incomplete(n, 0);  // a row of a device with a C that no charge is behind
  const auto& devices = system.circuit().devices();
  for (std::size_t k = 0; k < devices.size(); ++k)
    if (!devices[k]->charges_complete())
      for (Unknown r : system.circuit().rows_of(k))
        if (r >= 0) incomplete[static_cast<std::size_t>(r)] = 1;
  std::vector<std::size_t> out;
  std::vector<char> fixed;
  for (std::size_t r = 0; r < n; ++r) {
    if (incomplete[r]) continue;
    const auto positions = system.row_positions(r);
    const auto columns = system.row_columns(r);
    bool changes = false;
    double trapezoid = 0, scale = 0;
    for (std::size_t k = 0; k < positions.size(); ++k) {
      const auto p = static_cast<std::size_t>(positions[k]);
      changes = changes || a.C[p] != b.C[p];
      const double term = 0.5 * (a.C[p] + b.C[p]) * dx[static_cast<std::size_t>(columns[k])];
      trapezoid += term;
      scale += std::abs(term);
    }
    if (!changes) continue;  // linear: C x' is exact
    // The charge must follow C (the trapezoid's own error over dx is ~1e-5 of it).
    const double dq = b.q[r] - a.q[r];
    if (std::abs(dq - trapezoid) > 1e-3 * scale + 64 * eps * std::max(std::abs(a.q[r]), std::abs(b.q[r]))) continue;
    if (fixed.empty()) fixed = fixed_by_time(system, a);
    bool free = false;  // an argument of the charge that time alone does not fix
    for (std::size_t k = 0; k < positions.size(); ++k)
      free = free || (a.C[static_cast<std::size_t>(positions[k])] != 0 && !fixed[static_cast<std::size_t>(columns[k])]);
    if (free) out.push_back(r);
  }
  return out;
}

double charge_tolerance(const System& system, const std::vector<double>& C, std::size_t row,
                        std::span<const double> x) {
  const auto positions = system.row_positions(row);
  const auto columns = system.row_columns(row);
  double tolerance = 0;
  for (std::size_t k = 0; k < positions.size(); ++k) {
    const auto j = static_cast<std::size_t>(columns[k]);
    tolerance += std::abs(C[static_cast<std::size_t>(positions[k])]) * system.tolerance(j, std::abs(x[j]));
  }
  const Options& o = system.circuit().options();
  return std::max(tolerance, o.reltol * o.chgtol);
}

double charge_size(const System& system, const std::vector<double>& C, std::size_t row,
                   std::span<const double> x, double start) {
  const auto positions = system.row_positions(row);
  const auto columns = system.row_columns(row);
  double size = start;
  for (std::size_t e = 0; e < positions.size(); ++e)
    size += std::abs(C[static_cast<std::size_t>(positions[e])] * x[static_cast<std::size_t>(columns[e])]);
  return size;
}

}  // namespace ns
