#pragma once
// ngspice's fourier command: the harmonics of a transient's vectors over its last period.
#include <string>
#include <vector>

#include "analysis/harmonics.hpp"
#include "control/vectors.hpp"

namespace ns::control {

using ns::Harmonics;

// The last period 1/fundamental of y over t, interpolated linearly onto `grid` evenly spaced
// points from t.back() - 1/fundamental, and its Fourier coefficients 0 .. harmonics-1
// (ngspice-39's fourier with polydegree 1: magnitude 2/N |sum|, phase atan2(cos, sin)).
Harmonics fourier(const std::vector<double>& t, const Vector& y, double fundamental, std::size_t harmonics,
                  std::size_t grid);

// ngspice's table of them, as `fourier` prints it.
std::string fourier_table(const std::string& name, const Harmonics& h, std::size_t grid);

}  // namespace ns::control
