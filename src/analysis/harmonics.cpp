#include "analysis/harmonics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

namespace ns {

namespace {

std::string g(double x) {  // C's %g, as ngspice prints the table
  char text[32];
  std::snprintf(text, sizeof text, "%g", x);
  return text;
}

// y at x, linear between samples; at a repeated t (a jump), the earlier sample's value.
double linear(const std::vector<double>& t, const std::vector<double>& y, double x) {
  const auto hi = std::lower_bound(t.begin(), t.end(), x);
  if (hi == t.begin()) return y.front();
  if (hi == t.end()) return y.back();
  const std::size_t k = static_cast<std::size_t>(hi - t.begin());
  const double f = t[k] == t[k - 1] ? 1 : (x - t[k - 1]) / (t[k] - t[k - 1]);
  return y[k - 1] + f * (y[k] - y[k - 1]);
}

}  // namespace

Harmonics harmonics(const std::vector<double>& t, const std::vector<double>& y, double fundamental,
                    std::size_t count, std::size_t grid) {
  const double period = 1 / fundamental;
  std::vector<double> data(grid);
  for (std::size_t i = 0; i < grid; ++i) data[i] = linear(t, y, t.back() - period + period * double(i) / double(grid));
  Harmonics h;
  for (std::size_t j = 0; j < count; ++j) {
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
  for (std::size_t j = 2; j < count; ++j) sum += h.magnitude[j] * h.magnitude[j];
  h.thd = count > 1 && h.magnitude[1] > 0 ? std::sqrt(sum) / h.magnitude[1] * 100 : 0;
  return h;
}

std::string harmonics_table(const std::string& name, const Harmonics& h, std::size_t grid) {
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

std::vector<std::string> fourier_tables(const Netlist& netlist, const Waveform& waveform,
                                        std::vector<std::string>& notes) {
  std::vector<std::string> tables;
  const Options& o = netlist.options;
  for (const FourierRequest& r : netlist.fourier) {
    const double span = waveform.x.size() < 2 ? 0 : waveform.x.back() - waveform.x.front();
    if (span < (1 - 1e-9) / r.fundamental) {
      notes.push_back(fmt::format("{}: '.four' needs a transient of a period ({:g} s) or more; it spans {:g} s",
                                  r.where.str(), 1 / r.fundamental, span));
      continue;
    }
    for (const ProbeRequest& p : r.signals) {
      const auto column = std::find(waveform.labels.begin(), waveform.labels.end(), p.label);
      const auto& y = waveform.columns[static_cast<std::size_t>(column - waveform.labels.begin())];
      tables.push_back(harmonics_table(p.label, harmonics(waveform.x, y, r.fundamental, o.fourier_harmonics, o.fourier_grid),
                                       o.fourier_grid));
    }
  }
  return tables;
}

}  // namespace ns
