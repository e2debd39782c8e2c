#pragma once
// Where traces go. Analyses stream rows into a sink as they compute them.
#include <fstream>
#include <span>
#include <string>
#include <vector>

namespace ns {

class TraceSink {
public:
  virtual ~TraceSink() = default;
  virtual void begin(const std::vector<std::string>& columns) = 0;
  virtual void row(std::span<const double> values) = 0;
  // The run completed: the output is final. A sink never finished is partial.
  virtual void finish() = 0;
};

// CSV with round-trip numbers. Rows go to "PATH.partial"; finish() renames it to PATH.
// A run that fails or is interrupted leaves PATH.partial, named as what it is.
class CsvFile : public TraceSink {
public:
  explicit CsvFile(std::string path);
  void begin(const std::vector<std::string>& columns) override;
  void row(std::span<const double> values) override;
  void finish() override;
  const std::string& path() const { return path_; }
  std::string partial_path() const { return path_ + ".partial"; }
  std::size_t rows() const { return rows_; }

private:
  std::string path_;
  std::ofstream out_;
  std::size_t rows_ = 0;
};

// Rows kept in memory (the .op table, tests).
class TraceTable : public TraceSink {
public:
  void begin(const std::vector<std::string>& columns) override { columns_ = columns; }
  void row(std::span<const double> values) override { rows_.emplace_back(values.begin(), values.end()); }
  void finish() override {}
  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<std::vector<double>>& rows() const { return rows_; }

private:
  std::vector<std::string> columns_;
  std::vector<std::vector<double>> rows_;
};

}  // namespace ns
