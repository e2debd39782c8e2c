#pragma once
// Where traces go. Analyses stream rows into a sink as they compute them.
#include <complex>
#include <cstdint>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ns {

// One column of a complex plot in a real table (CSV, the control language's vectors): a
// part of one of its vectors. Phases are in radians, as ngspice's vp() and .print ac.
struct RealPart {
  enum class Kind { Real, Imag, Magnitude, Phase, Db };
  Kind kind = Kind::Real;
  std::size_t vector = 0;
  std::string name;  // "frequency", "vm(out)", "vp(out)", "vdb(out)"
  double of(std::complex<double> z) const;
};

class TraceSink {
public:
  virtual ~TraceSink() = default;
  // A new plot in the same output: one point of a .step/.mc run, before its begin().
  // `label` names the point ("x = 2, run 3"); `names` and `values` are its step columns.
  // A CSV puts them before the columns of every row (one table for the whole run); a raw
  // file names the plot after the label.
  void begin_plot(std::string label, std::vector<std::string> names, std::vector<double> values) {
    plot_label_ = std::move(label);
    plot_names_ = std::move(names);
    plot_values_ = std::move(values);
  }
  // The columns of the rows to come and their units ("V", "A", "K"...; "" or none when
  // unknown; a raw file turns them into ngspice's vector types).
  virtual void begin(const std::vector<std::string>& columns, const std::vector<std::string>& units) = 0;
  virtual void row(std::span<const double> values) = 0;
  // A plot of complex vectors (.ac): `vectors` name them (the first is the real scale),
  // complex_row() gives one value per vector. A raw file keeps them complex; a real table
  // (this default) writes the columns `parts` choose.
  virtual void begin_complex(const std::vector<std::string>& vectors, const std::vector<std::string>& units,
                             const std::vector<RealPart>& parts);
  virtual void complex_row(std::span<const std::complex<double>> values);
  // One row that closes the analysis in a plot of its own, named `plot` (.noise's
  // integrated noise, ngspice's "Integrated Noise" after the spectra): a raw file writes
  // that plot; a CSV, one table, has no place for it (this default drops it).
  virtual void summary(const std::string& /*plot*/, const std::vector<std::string>& /*columns*/,
                       const std::vector<std::string>& /*units*/, std::span<const double> /*values*/) {}
  // The run completed: the output is final. A sink never finished is partial.
  virtual void finish() = 0;
  // Rows written so far, in every plot.
  virtual std::size_t rows_written() const = 0;
  // A file sink, between two plots of a stepped run: what is written reads as a whole
  // file (a raw plot's point count in place) and is handed to the system.
  virtual void sync() {}
  // A file sink: continues the FILE.partial an earlier run left, cut back to its first
  // `bytes` (a whole number of plots, after sync()), which hold `rows` rows.
  virtual void reopen(std::uintmax_t bytes, std::size_t rows);

protected:
  std::string plot_label_;
  std::vector<std::string> plot_names_;
  std::vector<double> plot_values_;

private:
  std::vector<RealPart> parts_;
  std::vector<double> real_row_;
};

// Where a file sink writes until finish(): PATH.partial, renamed to PATH once complete; or
// PATH itself when it exists and is not a regular file (/dev/null, a FIFO), which must be
// neither removed nor replaced by the rename (run as root, that replaced /dev/null).
std::string staging_path(const std::string& path);
// Cuts the file at `path` back to `bytes` and opens `out` on it to write on from its end.
void reopen_partial(std::ofstream& out, const std::string& path, std::uintmax_t bytes);

// CSV with round-trip numbers. Rows go to "PATH.partial"; finish() renames it to PATH.
// A run that fails or is interrupted leaves PATH.partial, named as what it is. Every plot
// is one more stretch of the same table: the header, written once, has the plot's step
// columns first.
class CsvFile : public TraceSink {
public:
  explicit CsvFile(std::string path);
  void begin(const std::vector<std::string>& columns, const std::vector<std::string>& units) override;
  void row(std::span<const double> values) override;
  void finish() override;
  std::size_t rows_written() const override { return rows_; }
  void sync() override;
  void reopen(std::uintmax_t bytes, std::size_t rows) override;
  const std::string& path() const { return path_; }
  std::string partial_path() const { return staging_path(path_); }

private:
  std::string path_;
  std::ofstream out_;
  std::size_t rows_ = 0;
  std::string line_;
};

// SPICE raw file in ngspice's layout (binary little-endian doubles, or ascii), readable
// by ngspice's `load`. Every begin() starts a new plot in the same file, so a .step run
// writes one plot per point, named "PLOTNAME: label" after begin_plot(). Rows stream to
// "PATH.partial": each plot's point count is a fixed-width placeholder, patched when the
// plot ends; finish() renames the file to PATH. Column labels are written unchanged
// (ngspice loads v(a,b) and @n1[t] as such; quote "v(a,b)" in its expressions).
class RawFile : public TraceSink {
public:
  RawFile(std::string path, bool binary, std::string title, std::string plotname);
  ~RawFile() override;
  void begin(const std::vector<std::string>& columns, const std::vector<std::string>& units) override;
  void row(std::span<const double> values) override;
  void begin_complex(const std::vector<std::string>& vectors, const std::vector<std::string>& units,
                     const std::vector<RealPart>& parts) override;
  void complex_row(std::span<const std::complex<double>> values) override;
  void summary(const std::string& plot, const std::vector<std::string>& columns, const std::vector<std::string>& units,
               std::span<const double> values) override;
  void finish() override;
  std::size_t rows_written() const override { return rows_; }
  void sync() override;
  void reopen(std::uintmax_t bytes, std::size_t rows) override;
  const std::string& path() const { return path_; }
  std::string partial_path() const { return staging_path(path_); }
  std::size_t plots() const { return plots_; }

private:
  void end_plot();
  void header(const std::vector<std::string>& columns, const std::vector<std::string>& units, bool complex,
              const std::string& plotname);

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

// Rows kept in memory (the .op table, tests). A complex plot is kept both ways: complex,
// to replay into a file, and as its real table (columns(), rows()).
class TraceTable : public TraceSink {
public:
  void begin(const std::vector<std::string>& columns, const std::vector<std::string>& units) override {
    columns_ = columns;
    units_ = units;
  }
  void begin_complex(const std::vector<std::string>& vectors, const std::vector<std::string>& units,
                     const std::vector<RealPart>& parts) override {
    vectors_ = vectors;
    vector_units_ = units;
    parts_ = parts;
    TraceSink::begin_complex(vectors, units, parts);
  }
  void complex_row(std::span<const std::complex<double>> values) override {
    complex_rows_.emplace_back(values.begin(), values.end());
    TraceSink::complex_row(values);
  }
  void summary(const std::string& plot, const std::vector<std::string>& columns, const std::vector<std::string>& units,
               std::span<const double> values) override {
    summary_ = Summary{plot, columns, units, {values.begin(), values.end()}};
  }
  struct Summary {
    std::string plot;
    std::vector<std::string> columns, units;
    std::vector<double> values;
  };
  const std::optional<Summary>& summary() const { return summary_; }
  void replay_summary(TraceSink& sink) const {
    if (summary_) sink.summary(summary_->plot, summary_->columns, summary_->units, summary_->values);
  }
  bool complex() const { return !vectors_.empty(); }
  const std::vector<std::string>& vectors() const { return vectors_; }
  const std::vector<std::string>& vector_units() const { return vector_units_; }
  const std::vector<RealPart>& parts() const { return parts_; }
  const std::vector<std::vector<std::complex<double>>>& complex_rows() const { return complex_rows_; }
  // Replays a complex plot into `sink`.
  void replay_complex(TraceSink& sink) const {
    sink.begin_complex(vectors_, vector_units_, parts_);
    for (const auto& r : complex_rows_) sink.complex_row(r);
  }
  void row(std::span<const double> values) override { rows_.emplace_back(values.begin(), values.end()); }
  void finish() override {}
  std::size_t rows_written() const override { return rows_.size(); }
  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<std::string>& units() const { return units_; }
  const std::vector<std::vector<double>>& rows() const { return rows_; }

private:
  std::vector<std::string> columns_, units_;
  std::vector<std::vector<double>> rows_;
  std::vector<std::string> vectors_, vector_units_;
  std::vector<RealPart> parts_;
  std::vector<std::vector<std::complex<double>>> complex_rows_;
  std::optional<Summary> summary_;
};

}  // namespace ns
