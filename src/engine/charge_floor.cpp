#include "engine/charge_floor.hpp"

#include <algorithm>
#include <cmath>

#include "circuit/circuit.hpp"

namespace ns {

ChargeFloor::ChargeFloor(const System& system) : system_(system) {
  const auto& unknowns = system.circuit().tables().unknowns;
  is_node_.assign(system.size(), 0);
  for (std::size_t j = 0; j < system.size(); ++j)
    if (unknowns[j].kind == UnknownKind::Voltage) nodes_.push_back(j), is_node_[j] = 1;
  const Options& o = system.circuit().options();
  charge_ = o.reltol * o.chgtol;
}

double ChargeFloor::floor(const std::vector<double>& C, std::size_t j) const {
  if (!is_node_[j]) return 0;
  const auto& starts = system_.column_starts();
  double largest = 0;
  for (auto k = starts[j]; k < starts[j + 1]; ++k) largest = std::max(largest, std::abs(C[static_cast<std::size_t>(k)]));
  return largest > 0 ? charge_ / largest : 0;
}

void ChargeFloor::apply(const std::vector<double>& C, std::span<double> tolerance) const {
  for (std::size_t j : nodes_) tolerance[j] = std::max(tolerance[j], floor(C, j));
}

}  // namespace ns
