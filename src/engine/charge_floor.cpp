#include "engine/charge_floor.hpp"

#include <algorithm>
#include <cmath>

#include "circuit/circuit.hpp"
#include "engine/workers.hpp"

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

// Each node's own: in pieces on the transient's threads (it was 2.5 % of a 10,000-neuron
// run, serial, once a step).
void ChargeFloor::apply(const std::vector<double>& C, std::span<double> tolerance) const {
  in_pieces(nodes_.size(), system_.workers().get(), [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to; ++k) tolerance[nodes_[k]] = std::max(tolerance[nodes_[k]], floor(C, nodes_[k]));
  });
}

}  // namespace ns
