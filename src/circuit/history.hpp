#pragma once
// A device's record of its own past: a few values at each accepted point of the transient
// (Device::accept), read back at an earlier time. The one history a device keeps: a delay
// has no other form in the DAE. Used by the transmission line (models/tline.cpp) and by
// the behavioural source's delay(x, T) (models/behavioural_source.cpp).
//
// The transient steps no longer than the device's delay (Device::delay) and repeats each
// source corner a delay later, so a step reads only accepted points, and corners are
// accepted points; the transient accepts a restart point twice, which marks it a corner.
// Between accepted points the record is read by the cubic through the two that bracket the
// time and one on either side, where no corner lies between them; else by the parabola
// through the two and the one before or after them, whichever bends it less (so the third
// point is not taken across a corner). A parabola read a 100 MHz sine through a T line
// 8e-4 V off at default tolerances (the integrator's steps up to order 5, ngspice's 6e-6);
// the cubic, 8e-10 V (tests/sim/ngspice_tline.cpp). Before the record starts it reads its
// first point (the operating point), after it ends its last.
#include <cstddef>
#include <deque>
#include <span>

namespace ns {

class History {
public:
  // `width` values per point; reads reach back at most `span` before the last point.
  History(std::size_t width, double span) : width_(width), span_(span) {}

  void clear() {
    times_.clear();
    corner_.clear();
    values_.clear();
  }
  // A point at or before the last one is ignored; the last one again (the transient
  // accepts its restart points twice) marks it a corner.
  void record(double t, std::span<const double> values);
  // The values at `t` into `out` (width of them); zeros while the record is empty.
  void read(double t, std::span<double> out) const;

private:
  std::size_t width_;
  double span_;
  std::deque<double> times_, values_;  // values_: width_ per point
  std::deque<char> corner_;            // by point: accepted twice (a restart)
};

}  // namespace ns
