#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <stdexcept>

#include <fmt/format.h>

#include "output/listing.hpp"
#include "output/sink.hpp"

namespace ns {

namespace {

static_assert(std::endian::native == std::endian::little, "raw files hold little-endian doubles");

// Wide enough for any std::size_t, so patching never moves the bytes after it.
constexpr int count_width = 20;

// ngspice's vector types, where its unit for the type is ours; anything else (K: ngspice's
// temperature is in Celsius) is "notype". ngspice loads unknown types as notype too.
const char* vector_type(const std::string& label, const std::string& unit, bool first) {
  if (first && label == "time") return "time";
  if (unit == "V/sqrt(Hz)") return "voltage-density";  // .noise spectra
  if (unit == "A/sqrt(Hz)") return "current-density";
  if (label.starts_with("v(") || unit == "V") return "voltage";
  if (label.starts_with("i(") || unit == "A") return "current";
  static const std::pair<const char*, const char*> types[] = {
      {"Hz", "frequency"}, {"W", "power"}, {"Ohm", "impedance"}, {"S", "admittance"},
      {"F", "capacitance"}, {"C", "charge"}};
  for (const auto& [u, type] : types)
    if (std::equal(unit.begin(), unit.end(), u, u + std::strlen(u),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
      return type;
  return "notype";
}

std::string date_now() { return now_as("%a %b %e %H:%M:%S %Y"); }

}  // namespace

RawFile::RawFile(std::string path, bool binary, std::string title, std::string plotname)
    : path_(std::move(path)), binary_(binary), title_(std::move(title)), plotname_(std::move(plotname)) {}

// A run that stops early leaves a partial file that still reads as a raw file.
RawFile::~RawFile() {
  if (out_.is_open()) end_plot();
}

void RawFile::begin(const std::vector<std::string>& columns, const std::vector<std::string>& units) {
  header(columns, units, false, plotname_);
}

// As ngspice writes an .ac plot: every vector complex, the scale's imaginary part 0.
void RawFile::begin_complex(const std::vector<std::string>& vectors, const std::vector<std::string>& units,
                            const std::vector<RealPart>& /*parts*/) {
  header(vectors, units, true, plotname_);
}

void RawFile::summary(const std::string& plot, const std::vector<std::string>& columns,
                      const std::vector<std::string>& units, std::span<const double> values) {
  header(columns, units, false, plot);
  row(values);
}

void RawFile::header(const std::vector<std::string>& columns, const std::vector<std::string>& units, bool complex,
                     const std::string& name) {
  // Reopening would truncate the finished file: a .step run finishes once, after its last plot.
  if (plots_ > 0 && !out_.is_open())
    throw std::logic_error(fmt::format("raw file '{}': a plot begun after finish()", path_));
  if (!out_.is_open()) {
    if (partial_path() != path_) std::remove(path_.c_str());  // an older complete file must not pass for this run's result
    out_.open(partial_path(), std::ios::binary | std::ios::trunc);
    if (!out_) throw std::runtime_error(fmt::format("cannot write '{}'", partial_path()));
  } else {
    end_plot();
  }
  columns_ = columns.size();
  points_ = 0;
  ++plots_;
  // The header is one line per field; the reader splits each line at its first colon.
  const std::string plotname = plot_label_.empty() ? name : fmt::format("{}: {}", name, plot_label_);
  std::string header = fmt::format("Title: {}\nDate: {}\nPlotname: {}\nFlags: {}\nNo. Variables: {}\n",
                                   title_, date_now(), plotname, complex ? "complex" : "real", columns_);
  out_ << header << "No. Points: ";
  count_at_ = out_.tellp();
  out_ << fmt::format("{:<{}}\nVariables:\n", 0, count_width);
  for (std::size_t k = 0; k < columns.size(); ++k)
    out_ << fmt::format("\t{}\t{}\t{}\n", k, columns[k], vector_type(columns[k], k < units.size() ? units[k] : "", k == 0));
  out_ << (binary_ ? "Binary:\n" : "Values:\n");
  if (!out_) throw std::runtime_error(fmt::format("cannot write '{}'", partial_path()));
}

void RawFile::row(std::span<const double> values) {
  if (values.size() != columns_)
    throw std::logic_error(fmt::format("raw file '{}': a row of {} values in a plot of {} columns", path_,
                                       values.size(), columns_));
  if (binary_) {
    out_.write(reinterpret_cast<const char*>(values.data()),
               static_cast<std::streamsize>(values.size() * sizeof(double)));
  } else {
    // ngspice's ascii layout: the point index, then one value a line, tab-indented.
    std::string text = fmt::format("{}\t", points_);
    for (double v : values) fmt::format_to(std::back_inserter(text), "\t{:.17g}\n", v);
    out_ << text;
  }
  ++points_;
  ++rows_;
}

void RawFile::complex_row(std::span<const std::complex<double>> values) {
  if (values.size() != columns_)
    throw std::logic_error(fmt::format("raw file '{}': a row of {} values in a plot of {} columns", path_,
                                       values.size(), columns_));
  if (binary_) {
    static_assert(sizeof(std::complex<double>) == 2 * sizeof(double), "re, im pairs");
    out_.write(reinterpret_cast<const char*>(values.data()),
               static_cast<std::streamsize>(values.size() * sizeof(std::complex<double>)));
  } else {
    std::string text = fmt::format("{}\t", points_);
    for (auto v : values) fmt::format_to(std::back_inserter(text), "\t{:.17g},{:.17g}\n", v.real(), v.imag());
    out_ << text;
  }
  ++points_;
  ++rows_;
}

void RawFile::sync() {
  if (!out_.is_open()) return;
  end_plot();
  out_.flush();
}

void RawFile::reopen(std::uintmax_t bytes, std::size_t rows) {
  reopen_partial(out_, partial_path(), bytes);
  rows_ = rows;
  plots_ = 1;
  count_at_ = -1;  // its plots are complete, their counts in place
}

void RawFile::end_plot() {
  if (count_at_ == std::streampos(-1)) return;
  const std::streampos end = out_.tellp();
  out_.seekp(count_at_);
  out_ << fmt::format("{:<{}}", points_, count_width);
  out_.seekp(end);
}

void RawFile::finish() {
  if (out_.is_open()) {
    end_plot();
    out_.close();
  }
  if (!out_ || (partial_path() != path_ && std::rename(partial_path().c_str(), path_.c_str()) != 0))
    throw std::runtime_error(fmt::format("cannot write '{}'", path_));
}

}  // namespace ns
