#include "control/fourier.hpp"

#include <fmt/format.h>

namespace ns::control {

Harmonics fourier(const std::vector<double>& t, const Vector& y, double fundamental, std::size_t harmonics,
                  std::size_t grid) {
  if (!(fundamental > 0)) throw VectorError(fmt::format("'fourier' needs a fundamental frequency > 0, not {:g}", fundamental));
  if (t.size() < 2 || y.size() != t.size()) throw VectorError("'fourier' needs a transient plot of two points or more");
  if (harmonics < 2 || grid < 2) throw VectorError("'fourier' needs nfreqs and fourgridsize of at least 2");
  const double period = 1 / fundamental;
  if (t.back() - t.front() < period * (1 - 1e-9))
    throw VectorError(fmt::format("'fourier': the plot spans {:g} s, less than a period {:g} s", t.back() - t.front(), period));
  return ns::harmonics(t, y, fundamental, harmonics, grid);
}

std::string fourier_table(const std::string& name, const Harmonics& h, std::size_t grid) {
  return harmonics_table(name, h, grid);
}

}  // namespace ns::control
