#pragma once
// Helpers for end-to-end tests: run neurospice (in-process, through ns::run_app) or
// ngspice (as a child process, `ngspice -b`) on a deck, and read their results back as
// columns of numbers.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace ns::test {

// Named columns of equal length, as read from a CSV file or one plot of a raw file.
struct Table {
  std::vector<std::string> names;            // lower-case
  std::vector<std::vector<double>> columns;  // columns[k] belongs to names[k]

  std::size_t rows() const { return columns.empty() ? 0 : columns[0].size(); }
  bool has(const std::string& name) const;
  // Throws std::runtime_error listing the available names when `name` is missing.
  const std::vector<double>& col(const std::string& name) const;
};

// A fresh directory under the system temp dir, removed when the object goes.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
};

std::string read_text(const std::filesystem::path& file);
void write_text(const std::filesystem::path& file, const std::string& text);
// A deck under tests/sim/decks/.
std::string deck_file(const std::string& name);

Table read_csv(const std::filesystem::path& file);

// The first rows at which a digital node's row (0 / 1 / 0.5 V) has a new value, and the
// values (with --every-step, a row follows each event just after it; the rows on the
// tstep grid between are interpolated).
struct LevelChange {
  double t, v;
};
std::vector<LevelChange> level_changes(const Table& table, const std::string& node);

struct NeurospiceRun {
  int status = -1;
  std::string out, err;
  // Keyed by what run_app put between "out." and ".csv": "" when the deck has one
  // analysis, else "op", "dc", "tran", "dc1", "dc2", ...
  std::map<std::string, Table> tables;

  // The table for `key`; throws with the run's stderr when missing.
  const Table& table(const std::string& key = "") const;
};

// Writes `deck` to a temp dir as deck.cir and runs `neurospice [extra_args] -o out.csv deck.cir`.
NeurospiceRun run_neurospice(const std::string& deck, const std::vector<std::string>& extra_args = {});

// One plot of an ngspice raw file; the first column is the scale (time, v(v-sweep)).
// A complex plot (.ac) gives its scale's real part (frequency), then each vector's
// magnitude, phase (radians), real and imaginary parts, named as ngspice's functions
// name them: vm(out), vp(out), vr(out), vi(out); im(v1)...; m(x), p(x)... for others.
struct RawPlot {
  std::string plotname;  // "Transient Analysis", "DC transfer characteristic", "Operating Point"
  Table table;
};
std::vector<RawPlot> read_ascii_raw(const std::filesystem::path& file);
std::string complex_part_name(const std::string& vector, const std::string& part);

// Runs `ngspice -b -r out.raw deck.cir` on the unchanged deck, with ascii raw output.
// Throws std::runtime_error (the test fails with its message) when ngspice is not on
// PATH, fails, or writes no plots.
std::vector<RawPlot> run_ngspice(const std::string& deck);
// A copy of the first plot whose name starts with `prefix` ("Transient", "DC", "Operating").
Table plot(const std::vector<RawPlot>& plots, const std::string& prefix);

// y(x) sampled at `at`, linearly interpolated; x must be non-decreasing and cover `at`
// (points outside take the end value).
std::vector<double> interpolate(const std::vector<double>& x, const std::vector<double>& y,
                                const std::vector<double>& at);

// max_k |a[k] - b[k]|; the vectors must have equal length.
double max_abs_error(const std::vector<double>& a, const std::vector<double>& b);
// max_k |a[k] - b[k]| / max(|b[k]|, floor): relative to b, with `floor` keeping
// near-zero references from dominating.
double max_rel_error(const std::vector<double>& a, const std::vector<double>& b, double floor);
// Largest |a[k] - b[k]| - (abs + rel*|b[k]|); <= 0 means every point is within tolerance.
double worst_excess(const std::vector<double>& a, const std::vector<double>& b, double rel, double abs);

// A .dc deck (or, with plot_prefix "Operating", an .op deck) in neurospice and in ngspice:
// each column, row by row, within rel * |ngspice| + abs (gtest expectations), with the
// largest differences printed.
void expect_dc_agrees(const std::string& deck_name, const std::vector<std::string>& columns, double rel,
                      double abs, const std::string& plot_prefix = "DC");

// Accepted transient steps, from the --stats line of a run (-1 when there is none).
long transient_steps(const NeurospiceRun& run);

// Indices k where column `col` equals `value` (to 1e-9 relative), e.g. the rows of one
// outer-sweep value in a nested .dc.
std::vector<std::size_t> rows_where(const Table& t, const std::string& col, double value);
std::vector<double> pick(const std::vector<double>& v, const std::vector<std::size_t>& rows);

}  // namespace ns::test
