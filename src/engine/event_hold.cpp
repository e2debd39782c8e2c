#include "engine/event_hold.hpp"

#include <cmath>

#include <ida/ida_impl.h>  // IDA's memory: the divided differences of its history

namespace ns {

EventHold::EventHold(const System& system) : system_(system), assembly_(system.make_assembly()) {
  const std::size_t n = system.size();
  const auto& starts = system.column_starts();
  read_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto columns = system.row_columns(i);
    if (columns.size() == 1 && static_cast<std::size_t>(columns[0]) == i) alone_.push_back(i);
    read_[i] = starts[i + 1] - starts[i] > 1;
  }
}

bool EventHold::find(double t, std::span<const double> y, Moved& moved) {
  moved.clear();
  if (alone_.empty()) return true;
  const double gmin = system_.circuit().options().gmin;
  if (!system_.evaluate(Eval{y, Mode::Tran, t, gmin}, assembly_)) return false;
  diagonal_.clear();
  for (std::size_t i : alone_) {
    const auto d = static_cast<std::size_t>(system_.diagonal(static_cast<Unknown>(i)));
    const double g = assembly_.G[d];
    if (assembly_.C[d] != 0 || g == 0) continue;  // a differential unknown is continuous
    const double step = -(assembly_.f[i] - assembly_.u[i]) / g;
    if (std::abs(step) <= system_.tolerance(i, std::abs(y[i]))) continue;
    if (read_[i] || !std::isfinite(step)) return false;
    moved.emplace_back(i, y[i] + step);
    diagonal_.push_back(g);
  }
  if (moved.empty()) return true;
  // The rows were linear in their unknown, as a digital node's is: checked, at the new values.
  trial_.assign(y.begin(), y.end());
  for (const auto& [i, v] : moved) trial_[i] = v;
  if (!system_.evaluate(Eval{trial_, Mode::Tran, t, gmin}, assembly_, false)) return false;
  for (std::size_t k = 0; k < moved.size(); ++k) {
    const auto [i, v] = moved[k];
    if (!(std::abs((assembly_.f[i] - assembly_.u[i]) / diagonal_[k]) <= system_.tolerance(i, std::abs(v)))) return false;
  }
  return true;
}

void hold_in_ida(void* ida, const EventHold::Moved& moved) {
  auto* mem = static_cast<IDAMem>(ida);
  for (const auto& [i, v] : moved) {
    N_VGetArrayPointer(mem->ida_phi[0])[i] = v;
    for (int j = 1; j <= mem->ida_maxord_alloc; ++j) N_VGetArrayPointer(mem->ida_phi[j])[i] = 0;
    N_VGetArrayPointer(mem->ida_ee)[i] = 0;
  }
}

}  // namespace ns
