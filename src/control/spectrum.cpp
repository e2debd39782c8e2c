#include "control/spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <complex>

#include <fmt/format.h>

#include "circuit/fft.hpp"

namespace ns::control {

namespace {

using Complex = std::complex<double>;

// The window at x = (t - t0) / span in [0, 1], its mean over a period 1 (ngspice's gain).
double window_at(const std::string& window, double x) {
  const double c1 = std::cos(2 * M_PI * x), c2 = std::cos(4 * M_PI * x);
  if (window == "none" || window == "rectangular") return 1;
  if (window == "hanning" || window == "hann") return 1 - c1;
  if (window == "hamming") return 1 - 0.46 / 0.54 * c1;
  if (window == "blackman") return 1 - 0.5 / 0.42 * c1 + 0.08 / 0.42 * c2;
  throw VectorError(fmt::format("specwindow '{}' is not one fft knows (none, rectangular, hanning, hamming, blackman)", window));
}

}  // namespace

std::vector<double> linear_points(double tstart, double tstop, double tstep) {
  if (!(tstep > 0) || !(tstop > tstart)) throw VectorError("'linearize' needs a transient with tstop > tstart and tstep > 0");
  const double n = std::floor((tstop - tstart) / tstep + 1.5);
  if (n > 1e8) throw VectorError(fmt::format("'linearize' to {:g} points", n));
  std::vector<double> out;
  for (std::size_t k = 0; k < static_cast<std::size_t>(n); ++k) out.push_back(tstart + double(k) * tstep);
  return out;
}

Vector interpolate(const std::vector<double>& x, const Vector& y, const std::vector<double>& at) {
  Vector out;
  for (double t : at) {
    const auto hi = std::lower_bound(x.begin(), x.end(), t);
    if (hi == x.begin()) out.push_back(y.front());
    else if (hi == x.end()) out.push_back(y.back());
    else {
      const std::size_t k = std::size_t(hi - x.begin());
      const double f = x[k] == x[k - 1] ? 1 : (t - x[k - 1]) / (x[k] - x[k - 1]);
      out.push_back(y[k - 1] + f * (y[k] - y[k - 1]));
    }
  }
  return out;
}

Spectrum fft(const std::vector<double>& t, const std::vector<Vector>& inputs, const std::string& window) {
  if (t.size() < 2) throw VectorError("'fft' needs a plot with a scale of two points or more");
  const double span = t.back() - t.front();
  if (!(span > 0)) throw VectorError("'fft' needs a scale that rises");
  std::size_t n = 1;
  while (n < t.size()) n <<= 1;
  Spectrum s;
  for (std::size_t k = 0; k <= n / 2; ++k) s.frequency.push_back(double(k) * double(t.size()) / (span * double(n)));
  std::vector<double> w(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) w[i] = window_at(window, (t[i] - t.front()) / span);
  for (const Vector& v : inputs) {
    if (v.size() != t.size()) throw VectorError("'fft' of a vector whose length is not its plot's scale's");
    if (v.complex()) throw VectorError("'fft' of a complex vector");
    std::vector<Complex> a(n, 0.0);
    for (std::size_t i = 0; i < t.size(); ++i) a[i] = v[i] * w[i];
    ns::fft(a);
    Vector out(n / 2 + 1);
    out.imag.resize(n / 2 + 1);
    for (std::size_t k = 0; k <= n / 2; ++k) out[k] = a[k].real() * 2 / double(n), out.imag[k] = a[k].imag() * 2 / double(n);
    s.values.push_back(std::move(out));
  }
  return s;
}

Vector fft_function(const std::vector<double>& t, const Vector& x, std::vector<double>& frequency) {
  if (!x.complex()) {
    Spectrum s = fft(t, {x}, "none");
    frequency = std::move(s.frequency);
    return std::move(s.values.at(0));
  }
  // Of a complex vector: all N bins, scaled by 1/N (ngspice-39's).
  if (t.size() < 2 || !(t.back() > t.front())) throw VectorError("'fft' needs a scale of two points or more that rises");
  std::size_t n = 1;
  while (n < x.size()) n <<= 1;
  std::vector<Complex> a(n, 0.0);
  for (std::size_t i = 0; i < x.size(); ++i) a[i] = {x[i], x.imag[i]};
  ns::fft(a);
  Vector out(n);
  out.imag.resize(n);
  frequency.clear();
  for (std::size_t k = 0; k < n; ++k) {
    out[k] = a[k].real() / double(n), out.imag[k] = a[k].imag() / double(n);
    frequency.push_back(double(k) * double(t.size()) / ((t.back() - t.front()) * double(n)));
  }
  return out;
}

Vector ifft_function(const Vector& s, std::size_t length) {
  if (s.empty()) throw VectorError("'ifft' of an empty vector");
  std::size_t n = 1;
  while (n < s.size()) n <<= 1;
  // The inverse transform as the forward one of the conjugates, conjugated.
  std::vector<Complex> a(n, 0.0);
  for (std::size_t k = 0; k < s.size(); ++k) a[k] = std::conj(Complex(s[k], s.complex() ? s.imag[k] : 0.0));
  ns::fft(a);
  Vector out(length);
  out.imag.resize(length);
  const double scale = double(length) / double(n);
  for (std::size_t i = 0; i < length; ++i) {
    const Complex z = std::conj(a[i % n]) * scale;
    out[i] = z.real(), out.imag[i] = z.imag();
  }
  return out;
}

}  // namespace ns::control
