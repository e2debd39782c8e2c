#include "engine/charge_allowance.hpp"

#include <algorithm>
#include <cmath>

#include "circuit/circuit.hpp"

namespace ns {

ChargeAllowance::ChargeAllowance(const System& system, const std::vector<double>& C,
                                 const std::vector<char>& left_out)
    : system_(system) {
  const std::size_t n = system.size();
  const auto& starts = system.column_starts();
  const auto& rows = system.rows();
  std::vector<char> charged_row(n, 0), charged_column(n, 0);
  for (std::size_t j = 0; j < n; ++j)
    for (auto k = starts[j]; k < starts[j + 1]; ++k)
      if (C[static_cast<std::size_t>(k)] != 0) charged_row[rows[k]] = charged_column[j] = 1;
  const auto& unknowns = system.circuit().tables().unknowns;
  for (std::size_t j = 0; j < n; ++j) {
    if (unknowns[j].kind != UnknownKind::Current || charged_column[j] || (!left_out.empty() && left_out[j])) continue;
    std::vector<std::size_t> into;
    for (auto k = starts[j]; k < starts[j + 1]; ++k)
      if (charged_row[rows[k]]) into.push_back(static_cast<std::size_t>(rows[k]));
    // Or into a device's terminal whose charge sits on the device's internal node behind
    // its series resistance (the terminal's column stands for its row: a node's
    // conductances are symmetric).
    if (into.empty())
      for (auto k = starts[j]; k < starts[j + 1]; ++k) {
        const auto r = static_cast<std::size_t>(rows[k]);
        if (unknowns[r].kind != UnknownKind::Voltage) continue;
        for (auto e = starts[r]; e < starts[r + 1]; ++e) {
          const auto i = static_cast<std::size_t>(rows[e]);
          if (charged_row[i] && i != r && unknowns[i].internal_node()) into.push_back(i);
        }
      }
    if (!into.empty()) currents_.emplace_back(j, std::move(into));
  }
}

void ChargeAllowance::apply(const std::vector<double>& C, std::span<const double> x, double h,
                            std::span<double> tolerance) {
  if (currents_.empty() || !(h > 0)) return;
  charges_.resize(x.size());
  system_.multiply(C, x, charges_);
  const double reltol = system_.circuit().options().reltol;
  for (const auto& [j, rows] : currents_) {
    double q = 0;
    for (std::size_t r : rows) q = std::max(q, std::abs(charges_[r]));
    tolerance[j] = std::max(tolerance[j], reltol * q / h);
  }
}

}  // namespace ns
