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

// SPICE raw file in ngspice's layout (binary little-endian doubles, or ascii), readable
// by ngspice's `load`. Every begin() starts a new plot in the same file, so a .step run
// writes one plot per point, named by set_plotname() before its begin(). Rows stream to
// "PATH.partial": each plot's point count is a fixed-width placeholder, patched when the
// plot ends; finish() renames the file to PATH. Column labels are written unchanged
// (ngspice loads v(a,b) and @n1[t] as such; quote "v(a,b)" in its expressions).
class RawFile : public TraceSink {
public:
  RawFile(std::string path, bool binary, std::string title, std::string plotname);
  ~RawFile() override;
  void set_plotname(std::string plotname) { plotname_ = std::move(plotname); }
  void begin(const std::vector<std::string>& columns) override;
  void row(std::span<const double> values) override;
  void finish() override;
  const std::string& path() const { return path_; }
  std::string partial_path() const { return path_ + ".partial"; }
  std::size_t rows() const { return rows_; }  // in all plots
  std::size_t plots() const { return plots_; }

private:
  void end_plot();

  std::string path_;
  bool binary_;
  std::string title_;
  std::string plotname_;
  std::ofstream out_;
  std::streampos count_at_ = -1;  // the current plot's point-count placeholder
  std::size_t columns_ = 0;
  std::size_t points_ = 0;  // in the current plot
  std::size_t rows_ = 0;
  std::size_t plots_ = 0;
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
