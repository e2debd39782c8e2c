#pragma once
// Output files: which file each analysis of a run writes (the names --help describes),
// and how a run's points reach them. Files are written as FILE.partial and renamed when
// the run completes (the sinks do that), so a failed run leaves only files whose names
// say they are partial.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "output/sink.hpp"

namespace ns {

enum class Format { Csv, Raw, Ascii };

// What the user asked for.
struct OutputRequest {
  std::string netlist;     // the deck's path: its file name is the default stem
  std::string path;        // -o; empty: default names in the current directory
  std::string format;      // "csv", "raw", "ascii"; empty: from the extension of `path`, else csv
  bool step_files = false; // one file per .step/.mc point instead of one table
  // Analysis kinds ("tran", "ac") whose rows stay in memory to be printed, not written
  // (after a .control script, as ngspice -b prints a deck's .print tables); not with -o
  // or a stepped run.
  std::vector<std::string> print_kinds;
};

Format format_of(const OutputRequest& request);

// The file of each analysis ("" for a plain .op printed as a table), from their kinds
// ("op", "dc", "tran"...), and the stem that the .meas table goes with.
struct OutputPaths {
  std::vector<std::string> analyses;
  std::string stem;
};
OutputPaths output_paths(const OutputRequest& request, const std::vector<std::string>& kinds, bool stepped);

// "out.tran.csv", point 3 (0-based 2) -> "out.tran.step3.csv"
std::string point_path(const std::string& path, std::size_t point);

// Where a file of a stepped run ends after a point, for its journal (analysis/journal.hpp):
// its path (FILE.partial, or a --step-files point's own file), its size and how many rows
// it holds (the AnalysisOutput's count and its sink's, which counts a raw file's summaries).
struct FileMark {
  std::string path;
  std::uint64_t bytes = 0, rows = 0, sink_rows = 0;
};

// Where one analysis' rows go over a whole run. A plain run streams straight into the
// file; a stepped run hands over each point's rows in point order, as one more plot of
// the file or as a file of its own.
class AnalysisOutput {
public:
  // `path` empty: the rows stay in table() (a plain .op printed on the terminal).
  AnalysisOutput(std::string path, Format format, std::string title, std::string plot_name, std::string kind,
                 bool stepped, bool step_files);
  // Rows to `sink` and no file (the Python module's columns in memory).
  explicit AnalysisOutput(std::unique_ptr<TraceSink> sink) : format_(Format::Csv), stepped_(false), step_files_(false),
                                                             file_(std::move(sink)) {}

  // Where a plain run's analysis writes.
  TraceSink& direct();
  // One point of a stepped run: its label ("x = 2, run 3"), step columns and values, and rows.
  void point(std::size_t index, const std::string& label, const std::vector<std::string>& names,
             const std::vector<double>& values, const TraceTable& rows);
  // After point(): the file flushed, and where it ends.
  FileMark mark();
  // Continues a stepped run whose first `points` points are in the file up to `at`.
  void resume(std::size_t points, const FileMark& at);
  // The run completed: files are final. What was written, for the user: "tran: wrote
  // out.csv (101 rows)"; empty for a table.
  std::string finish();
  const TraceTable& table() const { return table_; }
  bool printed() const { return path_.empty() && !file_; }
  // The partial file a failure leaves, if any.
  std::string partial() const;

private:
  std::unique_ptr<TraceSink> open(const std::string& path) const;

  std::string path_;
  Format format_;
  std::string title_, plot_name_, kind_;
  bool stepped_, step_files_;
  std::unique_ptr<TraceSink> file_;
  TraceTable table_;
  std::size_t rows_ = 0, files_ = 0;
};

}  // namespace ns
