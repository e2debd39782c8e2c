#pragma once
// SPICE's device convergence test (Device::settled), for a device whose currents are duals
// of its branch voltages: each current its linearisation at the accepted iterate predicts
// at the proposed one must be its current there, within reltol of the larger + abstol.
// A junction of small emission coefficient, or one at a large common-mode voltage whose
// tolerance is many n·Vt, can step down its exponential by n·Vt per iteration under the
// voltage tolerance, and Newton would stop with its current far off.
#include <array>
#include <cmath>
#include <cstddef>

#include "circuit/dual.hpp"

namespace ns {

inline bool current_settled(double predicted, double actual, double reltol, double abstol) {
  return std::abs(predicted - actual) <= reltol * std::max(std::abs(predicted), std::abs(actual)) + abstol;
}

// `before` at the accepted iterate, `after` at the proposed one, `dv` the change of the
// dual's variables between them.
template <std::size_t N>
bool current_settled(const Dual<N>& before, const Dual<N>& after, const std::array<double, N>& dv,
                     double reltol, double abstol) {
  double predicted = before.v;
  for (std::size_t k = 0; k < N; ++k) predicted += before.d[k] * dv[k];
  return current_settled(predicted, after.v, reltol, abstol);
}

}  // namespace ns
