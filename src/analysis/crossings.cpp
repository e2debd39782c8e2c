#include "analysis/crossings.hpp"

#include <algorithm>
#include <cmath>

#include "engine/integrator.hpp"

namespace ns {

Crossings::Crossings(std::span<const std::unique_ptr<Device>> devices, double gmin) : gmin_(gmin) {
  for (const auto& d : devices)
    if (d->discrete()) devices_.push_back(d.get());
}

double Crossings::smallest(double t, std::span<const double> y) const {
  double m = INFINITY;
  for (const Device* d : devices_) m = std::min(m, d->margin(Eval{y, Mode::Tran, t, gmin_}));
  return m;
}

bool Crossings::locate(const Integrator& integrator, double from, double resolution, Found& found) const {
  double b = integrator.time();
  if (devices_.empty() || smallest(b, integrator.y()) >= 0) return false;
  found.t = b;
  found.y.assign(integrator.y().begin(), integrator.y().end());
  std::vector<double> y;
  integrator.interpolate(from, y);
  double a = from, ga = smallest(a, y), gb = smallest(b, found.y);
  if (ga < 0) {  // crossed within the start steps before this one: change at its start
    found.t = a;
    found.y = y;
    return true;
  }
  // Illinois: regula falsi, halving the weight of an end kept twice in a row. The crossing
  // is taken at the bracket's right end, where the margin is < 0, so change_state() changes it.
  const double width = std::max(resolution, 1e-9 * (b - a));
  int side = 0;  // which end the last point replaced: -1 the right, +1 the left
  for (int k = 0; k < 100 && b - a > width; ++k) {
    const double t = std::clamp(b - gb * (b - a) / (gb - ga), a + 0.01 * (b - a), b - 0.01 * (b - a));
    integrator.interpolate(t, y);
    const double g = smallest(t, y);
    if (g < 0) {
      b = t, gb = g, found.y = y;
      if (side == -1) ga /= 2;
      side = -1;
    } else {
      a = t, ga = g;
      if (side == 1) gb /= 2;
      side = 1;
    }
  }
  found.t = b;
  return true;
}

bool Crossings::cross(double t, std::span<double> y, std::span<double> also) const {
  std::vector<const Device*> changing;  // every margin read before any state changes
  for (const Device* d : devices_)
    if (d->margin(Eval{y, Mode::Tran, t, gmin_}) < 0) changing.push_back(d);
  for (const Device* d : changing) {
    d->change_state(y);
    if (!also.empty()) d->change_state(also);
  }
  return !changing.empty();
}

}  // namespace ns
