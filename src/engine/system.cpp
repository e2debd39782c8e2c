#include "engine/system.hpp"

#include <algorithm>
#include <numeric>

namespace ns {

System::System(const Circuit& circuit) : circuit_(circuit) {
  const auto& entries = circuit.tables().entries;
  std::vector<int> order(entries.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return std::pair(entries[a].second, entries[a].first) < std::pair(entries[b].second, entries[b].first);
  });
  const std::size_t n = circuit.size();
  column_start_.assign(n + 1, 0);
  slot_.resize(entries.size());
  diagonal_.assign(n, -1);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto [row, col] = entries[order[k]];
    slot_[order[k]] = static_cast<int>(k);
    row_.push_back(row);
    ++column_start_[col + 1];
    if (row == col) diagonal_[row] = static_cast<int>(k);
  }
  std::partial_sum(column_start_.begin(), column_start_.end(), column_start_.begin());
}

Assembly System::make_assembly() const {
  const std::size_t n = size(), nnz = nonzeros();
  return {std::vector<double>(n), std::vector<double>(n), std::vector<double>(nnz),
          std::vector<double>(nnz)};
}

void System::evaluate(const Eval& eval, Assembly& out) const {
  std::fill(out.f.begin(), out.f.end(), 0.0);
  std::fill(out.u.begin(), out.u.end(), 0.0);
  std::fill(out.G.begin(), out.G.end(), 0.0);
  std::fill(out.C.begin(), out.C.end(), 0.0);
  Load load(out.f, {}, out.u, out.G, out.C, slot_);
  for (const auto& device : circuit_.devices()) device->load(eval, load);
}

void System::multiply(const std::vector<double>& values, std::span<const double> v,
                      std::span<double> out) const {
  std::fill(out.begin(), out.end(), 0.0);
  for (std::size_t col = 0; col < size(); ++col)
    for (auto k = column_start_[col]; k < column_start_[col + 1]; ++k)
      out[static_cast<std::size_t>(row_[k])] += values[k] * v[col];
}

std::string System::unknown_name(Unknown u) const {
  const UnknownInfo& info = circuit_.tables().unknowns.at(static_cast<std::size_t>(u));
  return info.kind == UnknownKind::Voltage ? "v(" + info.name + ")" : info.name;
}

}  // namespace ns
