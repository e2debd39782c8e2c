#pragma once
// ngspice's linearize and fft commands, as observed with ngspice-39 (and checked against
// a sine's analytic spectrum in tests/control/spectrum_test.cpp).
#include <string>
#include <vector>

#include "control/vectors.hpp"

namespace ns::control {

// The points tstart, tstart + tstep, ... up to tstop (ngspice: floor((tstop - tstart) /
// tstep + 1.5) of them), and `y` over `x` interpolated linearly onto them.
std::vector<double> linear_points(double tstart, double tstop, double tstep);
Vector interpolate(const std::vector<double>& x, const Vector& y, const std::vector<double>& at);

struct Spectrum {
  std::vector<double> frequency;
  std::vector<Vector> values;  // complex, one per input
};

// fft over the scale `t` (any spacing is taken as even, as ngspice does): each input
// times the window `window` (ngspice's specwindow: none, rectangular, hanning, hamming,
// blackman; VectorError for another), zero-padded to a power of two N, transformed; the
// bins 0..N/2 scaled by 2/N. frequency[k] = k * length(t) / (span * N), ngspice's.
Spectrum fft(const std::vector<double>& t, const std::vector<Vector>& inputs, const std::string& window);

// The vector functions (ngspice-39's, as measured): fft(x) is the fft command's spectrum
// without a window (specwindow is not read), over x's scale `t`, its frequencies
// going to `frequency` (ngspice's fft_scale); of a complex x, all N bins scaled by 1/N. ifft(s) of M values: N the power of two at
// or above M, and `length` values x[n] = length / N * sum over k < M of s[k] exp(2 pi i k n / N)
// (ngspice's length: the plot's scale's).
Vector fft_function(const std::vector<double>& t, const Vector& x, std::vector<double>& frequency);
Vector ifft_function(const Vector& s, std::size_t length);

}  // namespace ns::control
