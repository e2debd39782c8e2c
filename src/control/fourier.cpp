#include "control/fourier.hpp"

#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "control/spectrum.hpp"

namespace ns::control {

namespace {

std::string g(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", x);
  return text;
}

}  // namespace

Harmonics fourier(const std::vector<double>& t, const Vector& y, double fundamental, std::size_t harmonics,
                  std::size_t grid) {
  if (!(fundamental > 0)) throw VectorError(fmt::format("'fourier' needs a fundamental frequency > 0, not {:g}", fundamental));
  if (t.size() < 2 || y.size() != t.size()) throw VectorError("'fourier' needs a transient plot of two points or more");
  if (harmonics < 2 || grid < 2) throw VectorError("'fourier' needs nfreqs and fourgridsize of at least 2");
  const double period = 1 / fundamental;
  if (t.back() - t.front() < period * (1 - 1e-9))
    throw VectorError(fmt::format("'fourier': the plot spans {:g} s, less than a period {:g} s", t.back() - t.front(), period));
  std::vector<double> at(grid);
  for (std::size_t i = 0; i < grid; ++i) at[i] = t.back() - period + period * double(i) / double(grid);
  const Vector data = interpolate(t, y, at);
  Harmonics h;
  for (std::size_t j = 0; j < harmonics; ++j) {
    double s = 0, c = 0;
    for (std::size_t i = 0; i < grid; ++i) {
      const double w = 2 * M_PI * double(j) * double(i) / double(grid);
      s += data[i] * std::sin(w);
      c += data[i] * std::cos(w);
    }
    h.frequency.push_back(double(j) * fundamental);
    if (j == 0) {
      h.magnitude.push_back(c / double(grid));
      h.phase.push_back(0);
    } else {
      s *= 2 / double(grid), c *= 2 / double(grid);
      h.magnitude.push_back(std::hypot(s, c));
      h.phase.push_back(std::atan2(c, s) * 180 / M_PI);
    }
  }
  double sum = 0;
  for (std::size_t j = 2; j < harmonics; ++j) sum += h.magnitude[j] * h.magnitude[j];
  h.thd = h.magnitude[1] > 0 ? std::sqrt(sum) / h.magnitude[1] * 100 : 0;
  return h;
}

std::string fourier_table(const std::string& name, const Harmonics& h, std::size_t grid) {
  std::string out = fmt::format("Fourier analysis for {}:\n  No. Harmonics: {}, THD: {} %, Gridsize: {}, "
                                "Interpolation Degree: 1\n\n",
                                name, h.frequency.size(), g(h.thd), grid);
  out += "Harmonic Frequency   Magnitude   Phase       Norm. Mag   Norm. Phase\n";
  out += "-------- ---------   ---------   -----       ---------   -----------\n";
  for (std::size_t j = 0; j < h.frequency.size(); ++j) {
    // the DC row's normalised columns are 0 (ngspice-39)
    const double norm = j == 0 || h.magnitude[1] == 0 ? 0 : h.magnitude[j] / h.magnitude[1];
    const double shift = j == 0 ? 0 : h.phase[j] - h.phase[1];
    out += fmt::format(" {:<7} {:<11} {:<11} {:<11} {:<11} {:<11}\n", j, g(h.frequency[j]), g(h.magnitude[j]),
                       g(h.phase[j]), g(norm), g(shift));
  }
  return out;
}

}  // namespace ns::control
