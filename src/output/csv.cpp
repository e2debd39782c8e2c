#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "output/sink.hpp"

namespace ns {

std::string staging_path(const std::string& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) return path;
  return path + ".partial";
}

void TraceSink::reopen(std::uintmax_t, std::size_t) {
  throw std::logic_error("only a file can be continued");
}

// Cuts FILE.partial back to `bytes` and opens it to write on from there.
void reopen_partial(std::ofstream& out, const std::string& path, std::uintmax_t bytes) {
  std::filesystem::resize_file(path, bytes);
  out.open(path, std::ios::binary | std::ios::in | std::ios::out);
  if (!out || !out.seekp(0, std::ios::end)) throw std::runtime_error(fmt::format("cannot write '{}'", path));
}

CsvFile::CsvFile(std::string path) : path_(std::move(path)) {}

void CsvFile::begin(const std::vector<std::string>& columns, const std::vector<std::string>& /*units*/) {
  if (out_.is_open()) return;  // a later plot: the same table goes on
  if (partial_path() != path_) std::remove(path_.c_str());  // an older complete file must not pass for this run's result
  out_.open(partial_path(), std::ios::trunc);
  if (!out_) throw std::runtime_error(fmt::format("cannot write '{}'", partial_path()));
  // RFC 4180 quoting, so that v(a,b) stays one column for every CSV reader.
  std::string header;
  std::vector<std::string> all = plot_names_;
  all.insert(all.end(), columns.begin(), columns.end());
  for (const auto& c : all) {
    std::string field = c;
    if (field.find_first_of(",\"") != std::string::npos) {
      std::string quoted = "\"";
      for (char ch : field) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      field = quoted + "\"";
    }
    header += (header.empty() ? "" : ",") + field;
  }
  out_ << header << '\n';
}

void CsvFile::row(std::span<const double> values) {
  line_.clear();
  bool first = true;
  for (std::span<const double> part : {std::span<const double>(plot_values_), values})
    for (double v : part) {
      if (!first) line_ += ',';
      first = false;
      fmt::format_to(std::back_inserter(line_), "{}", v);  // shortest round-trip form
    }
  out_ << line_ << '\n';
  ++rows_;
}

void CsvFile::sync() { out_.flush(); }

void CsvFile::reopen(std::uintmax_t bytes, std::size_t rows) {
  reopen_partial(out_, partial_path(), bytes);
  rows_ = rows;
}

void CsvFile::finish() {
  out_.close();
  if (!out_ || (partial_path() != path_ && std::rename(partial_path().c_str(), path_.c_str()) != 0))
    throw std::runtime_error(fmt::format("cannot write '{}'", path_));
}

}  // namespace ns
