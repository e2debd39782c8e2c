// Complex plots in real tables: the parts a CSV or the control language's vectors show.
#include <cmath>

#include "output/sink.hpp"

namespace ns {

double RealPart::of(std::complex<double> z) const {
  switch (kind) {
    case Kind::Real: return z.real();
    case Kind::Imag: return z.imag();
    case Kind::Magnitude: return std::abs(z);
    case Kind::Phase: return std::arg(z);
    case Kind::Db: return 20 * std::log10(std::abs(z));
  }
  return NAN;
}

void TraceSink::begin_complex(const std::vector<std::string>& /*vectors*/, const std::vector<std::string>& units,
                              const std::vector<RealPart>& parts) {
  parts_ = parts;
  std::vector<std::string> columns, part_units;
  for (const RealPart& p : parts) {
    columns.push_back(p.name);
    const bool same_unit = p.kind != RealPart::Kind::Phase && p.kind != RealPart::Kind::Db;
    part_units.push_back(same_unit && p.vector < units.size() ? units[p.vector]
                         : p.kind == RealPart::Kind::Phase ? "rad" : "dB");
  }
  begin(columns, part_units);
}

void TraceSink::complex_row(std::span<const std::complex<double>> values) {
  real_row_.clear();
  for (const RealPart& p : parts_) real_row_.push_back(p.of(values[p.vector]));
  row(real_row_);
}

}  // namespace ns
