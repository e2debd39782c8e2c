// dec|oct|lin N fstart fstop, as ngspice steps it: dec spreads floor(decades * N) steps
// evenly (in log) from fstart to fstop, both included (fstop up to rounding); oct steps by
// 2^(1/N) from fstart while at most fstop; lin takes N points from fstart to fstop.
#include "analysis/frequency_sweep.hpp"

#include <cmath>

#include <fmt/format.h>

namespace ns {

std::vector<double> frequency_sweep(const ControlCard& card, std::size_t first, std::string_view name) {
  const auto& a = card.args;
  if (a.size() <= first || !(a[first].is("dec") || a[first].is("oct") || a[first].is("lin")))
    throw InputError(a.size() <= first ? card.where : a[first].where,
                     fmt::format("'{}' needs a sweep type dec, oct or lin{}", name,
                                 a.size() <= first ? "" : fmt::format(", not '{}'", a[first].text)));
  const std::string type = a[first].text;
  if (a.size() < first + 4) throw InputError(card.where, fmt::format("'{} {}' needs points, fstart and fstop", name, type));
  const Number n = a[first + 1].number(), start = a[first + 2].number(), stop = a[first + 3].number();
  if (!(n.value >= 1) || n.value != std::floor(n.value) || n.value > 1e7)
    throw InputError(n.where, fmt::format("the number of points must be a whole number from 1 to 1e7, not {:g}",
                                          n.value));
  if (type == "lin" ? !(start.value >= 0) : !(start.value > 0))
    throw InputError(start.where, fmt::format("fstart must be {} 0 Hz, not {:g}", type == "lin" ? "at least" : "above",
                                              start.value));
  if (!(stop.value >= start.value) || !std::isfinite(stop.value))
    throw InputError(stop.where, fmt::format("fstop ({:g}) must not be below fstart ({:g})", stop.value, start.value));
  std::vector<double> f;
  const double points = n.value;
  if (type == "lin") {
    for (double k = 0; k < points; ++k)
      f.push_back(points == 1 ? start.value : start.value + (stop.value - start.value) * k / (points - 1));
  } else {
    const double base = type == "dec" ? 10 : 2;
    const double span = std::log(stop.value / start.value) / std::log(base) * points;  // steps
    const double steps = std::floor(span + 1e-9);
    if (steps > 1e7) throw InputError(n.where, fmt::format("the sweep would have {:g} points (at most 1e7)", steps));
    // Each point the last times a ratio, as ngspice-39 steps (so its printed frequencies
    // are ours to the last digit): a dec sweep's 1 MHz point from 1 kHz at 10 per decade
    // is then 1e6 + 1.16e-9 Hz, past a .meas window's to=1meg by that rounding. Our
    // measures interpolate at the window's edges, so they still count that point at 1 MHz,
    // as the user meant it; ngspice's leave it out.
    const double ratio = type == "dec" ? std::exp(std::log(stop.value / start.value) / std::max(steps, 1.0))
                                       : std::exp(std::log(2.0) / points);
    f.push_back(start.value);
    for (double k = 1; k <= steps; ++k) f.push_back(f.back() * ratio);
  }
  return f;
}

}  // namespace ns
