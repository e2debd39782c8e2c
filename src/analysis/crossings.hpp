#pragma once
// The transient's discrete states (Device::discrete: a switch's on/off). After every step
// the devices' margins are checked at its end; where one fell below 0, the crossing is
// found on the step's interpolating polynomial (Illinois' regula falsi on the smallest
// margin, to a billionth of the step or the transient's time resolution) and the
// transient stops there, writes the new states and restarts as at a source corner. The
// state then changes at the threshold crossing itself, within the time tolerance of the
// integration, as SPICE's ideal switch does at a time point, and no time constant of our
// own stands between the crossing and the change.
#include <span>
#include <vector>

#include "circuit/device.hpp"

namespace ns {

class Integrator;

class Crossings {
public:
  Crossings(std::span<const std::unique_ptr<Device>> devices, double gmin);
  bool empty() const { return devices_.empty(); }

  // Within the step the integrator just took from `from` to its time: whether a margin
  // at the step's end is below 0, and then in `found` the first crossing, its time and the
  // solution there (interpolated).
  struct Found {
    double t = 0;
    std::vector<double> y;
  };
  bool locate(const Integrator& integrator, double from, double resolution, Found& found) const;
  // Writes into y (and into `also`, when given) the new state of every device whose
  // margin at (t, y) is below 0; true when there was one.
  bool cross(double t, std::span<double> y, std::span<double> also = {}) const;

private:
  double smallest(double t, std::span<const double> y) const;
  std::vector<const Device*> devices_;
  double gmin_;
};

}  // namespace ns
