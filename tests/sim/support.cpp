#include "sim/support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "cli/app.hpp"

namespace ns::test {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// Splits a CSV line on commas, except inside double quotes or parentheses: a probe name
// like v(a,b) is one field whether the writer quotes it or not.
std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  int depth = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '(' || c == ')') {
      depth += c == '(' ? 1 : -1;
      field += c;
    } else if (c == ',' && depth <= 0) {
      fields.push_back(trim(field));
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(trim(field));
  return fields;
}

double parse_number(const std::string& text, const fs::path& file, int line) {
  // strtod, not stod: ngspice writes subnormals such as -2.06e-308, which strtod returns
  // (flagging ERANGE) and stod rejects as out of range.
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size())
    throw std::runtime_error(file.string() + ":" + std::to_string(line) + ": not a number: '" + text + "'");
  return value;
}

bool ngspice_on_path() {
  return std::system("command -v ngspice >/dev/null 2>&1") == 0;
}

}  // namespace

bool Table::has(const std::string& name) const {
  return std::find(names.begin(), names.end(), lower(name)) != names.end();
}

const std::vector<double>& Table::col(const std::string& name) const {
  const auto it = std::find(names.begin(), names.end(), lower(name));
  if (it == names.end()) {
    std::string known;
    for (const auto& n : names) known += " " + n;
    throw std::runtime_error("no column '" + name + "'; columns are:" + known);
  }
  return columns[static_cast<std::size_t>(it - names.begin())];
}

TempDir::TempDir() {
  static std::mt19937_64 random{std::random_device{}()};
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path candidate = fs::temp_directory_path() / ("ns-test-" + std::to_string(random()));
    if (fs::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::string deck_file(const std::string& name) {
  return read_text(fs::path(NS_SOURCE_DIR) / "tests" / "sim" / "decks" / name);
}

Table read_csv(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  Table t;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (trim(line).empty()) continue;
    const auto fields = split_csv_line(line);
    if (t.names.empty()) {
      for (const auto& f : fields) t.names.push_back(lower(f));
      t.columns.resize(t.names.size());
      continue;
    }
    if (fields.size() != t.names.size())
      throw std::runtime_error(file.string() + ":" + std::to_string(line_number) + ": " +
                               std::to_string(fields.size()) + " fields, header has " +
                               std::to_string(t.names.size()));
    for (std::size_t k = 0; k < fields.size(); ++k)
      t.columns[k].push_back(parse_number(fields[k], file, line_number));
  }
  if (t.names.empty()) throw std::runtime_error(file.string() + ": empty CSV file");
  return t;
}

const Table& NeurospiceRun::table(const std::string& key) const {
  const auto it = tables.find(key);
  if (it != tables.end()) return it->second;
  std::string known;
  for (const auto& [k, _] : tables) known += " '" + k + "'";
  throw std::runtime_error("neurospice wrote no table '" + key + "' (status " + std::to_string(status) +
                           ", tables:" + known + ")\nstderr:\n" + err);
}

NeurospiceRun run_neurospice(const std::string& deck, const std::vector<std::string>& extra_args) {
  TempDir dir;
  const fs::path deck_path = dir.path() / "deck.cir";
  write_text(deck_path, deck);
  std::vector<std::string> args = extra_args;
  args.insert(args.end(), {"-o", (dir.path() / "out.csv").string(), deck_path.string()});

  NeurospiceRun run;
  std::ostringstream out, err;
  run.status = ns::run_app(args, out, err);
  run.out = out.str();
  run.err = err.str();
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 7 || name.rfind("out.", 0) != 0 || name.substr(name.size() - 4) != ".csv") continue;
    // "out.csv" -> "", "out.tran.csv" -> "tran"
    const std::string key = name == "out.csv" ? "" : name.substr(4, name.size() - 8);
    run.tables.emplace(key, read_csv(entry.path()));
  }
  return run;
}

std::string complex_part_name(const std::string& vector, const std::string& part) {
  if (vector.starts_with("v(") || vector.starts_with("i(")) return vector.substr(0, 1) + part + vector.substr(1);
  return part + "(" + vector + ")";
}

std::vector<RawPlot> read_ascii_raw(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::vector<RawPlot> plots;
  std::string line;
  int line_number = 0;
  RawPlot current;
  std::size_t variables = 0, points = 0;
  bool complex = false;
  std::vector<std::string> names;  // a complex plot's vectors
  auto next_line = [&](std::string& into) {
    if (!std::getline(in, into)) throw std::runtime_error(file.string() + ": truncated raw file");
    ++line_number;
  };
  while (std::getline(in, line)) {
    ++line_number;
    const auto colon = line.find(':');
    const std::string key = colon == std::string::npos ? "" : lower(trim(line.substr(0, colon)));
    const std::string value = colon == std::string::npos ? "" : trim(line.substr(colon + 1));
    if (key == "title") {
      current = RawPlot{};
    } else if (key == "plotname") {
      current.plotname = value;
    } else if (key == "flags") {
      complex = value.find("complex") != std::string::npos;
    } else if (key == "no. variables") {
      variables = std::stoul(value);
    } else if (key == "no. points") {
      points = std::stoul(value);
    } else if (key == "variables") {
      for (std::size_t k = 0; k < variables; ++k) {
        next_line(line);
        std::istringstream fields(line);
        std::size_t index = 0;
        std::string name;
        fields >> index >> name;
        names.push_back(lower(name));
      }
      current.table.names.clear();
      for (std::size_t k = 0; k < variables; ++k) {
        if (!complex || k == 0) {
          current.table.names.push_back(names[k]);
          continue;
        }
        for (const char* part : {"m", "p", "r", "i"})
          current.table.names.push_back(complex_part_name(names[k], part));
      }
      names.clear();
      current.table.columns.assign(current.table.names.size(), {});
    } else if (key == "values") {
      for (std::size_t p = 0; p < points; ++p) {
        for (std::size_t k = 0; k < variables; ++k) {
          next_line(line);
          std::istringstream fields(line);
          std::string first, second;
          fields >> first;
          if (k == 0) fields >> second;  // the point index, then the scale value
          const std::string& number = k == 0 ? second : first;
          if (!complex) {
            current.table.columns[k].push_back(parse_number(number, file, line_number));
            continue;
          }
          const auto comma = number.find(',');
          if (comma == std::string::npos) throw std::runtime_error(file.string() + ": a complex value without ','");
          const std::complex<double> z(parse_number(number.substr(0, comma), file, line_number),
                                       parse_number(number.substr(comma + 1), file, line_number));
          if (k == 0) {
            current.table.columns[0].push_back(z.real());
            continue;
          }
          const std::size_t at = 1 + 4 * (k - 1);
          current.table.columns[at].push_back(std::abs(z));
          current.table.columns[at + 1].push_back(std::arg(z));
          current.table.columns[at + 2].push_back(z.real());
          current.table.columns[at + 3].push_back(z.imag());
        }
      }
      plots.push_back(current);
    }
  }
  return plots;
}

std::vector<RawPlot> run_ngspice(const std::string& deck) {
  if (!ngspice_on_path())
    throw std::runtime_error(
        "ngspice is not on PATH: the cross-check tests need it (tools/install-deps installs it)");
  TempDir dir;
  write_text(dir.path() / "deck.cir", deck);
  const std::string command = "cd '" + dir.path().string() +
                              "' && SPICE_ASCIIRAWFILE=1 ngspice -b -r out.raw deck.cir >log.txt 2>&1";
  const int status = std::system(command.c_str());
  const fs::path raw = dir.path() / "out.raw";
  const std::string log = fs::exists(dir.path() / "log.txt") ? read_text(dir.path() / "log.txt") : "";
  if (status != 0 || !fs::exists(raw))
    throw std::runtime_error("ngspice failed (status " + std::to_string(status) + "):\n" + log);
  auto plots = read_ascii_raw(raw);
  if (plots.empty()) throw std::runtime_error("ngspice wrote no plots:\n" + log);
  return plots;
}

Table plot(const std::vector<RawPlot>& plots, const std::string& prefix) {
  for (const auto& p : plots)
    if (p.plotname.rfind(prefix, 0) == 0) return p.table;
  std::string known;
  for (const auto& p : plots) known += " '" + p.plotname + "'";
  throw std::runtime_error("ngspice wrote no plot starting with '" + prefix + "'; plots:" + known);
}

std::vector<double> interpolate(const std::vector<double>& x, const std::vector<double>& y,
                                const std::vector<double>& at) {
  if (x.size() != y.size() || x.empty()) throw std::runtime_error("interpolate: bad input lengths");
  std::vector<double> result;
  result.reserve(at.size());
  for (double t : at) {
    if (t <= x.front()) {
      result.push_back(y.front());
      continue;
    }
    if (t >= x.back()) {
      result.push_back(y.back());
      continue;
    }
    // First sample strictly after t; the one before it is <= t. Repeated x values (a
    // simulator may record both sides of a breakpoint) are handled by taking the last.
    const auto upper = std::upper_bound(x.begin(), x.end(), t);
    const std::size_t i = static_cast<std::size_t>(upper - x.begin());
    const double x0 = x[i - 1], x1 = x[i];
    const double w = x1 > x0 ? (t - x0) / (x1 - x0) : 1.0;
    result.push_back(y[i - 1] + w * (y[i] - y[i - 1]));
  }
  return result;
}

double max_abs_error(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) throw std::runtime_error("max_abs_error: lengths differ");
  double worst = 0;
  for (std::size_t k = 0; k < a.size(); ++k) worst = std::max(worst, std::abs(a[k] - b[k]));
  return worst;
}

double max_rel_error(const std::vector<double>& a, const std::vector<double>& b, double floor) {
  if (a.size() != b.size()) throw std::runtime_error("max_rel_error: lengths differ");
  double worst = 0;
  for (std::size_t k = 0; k < a.size(); ++k)
    worst = std::max(worst, std::abs(a[k] - b[k]) / std::max(std::abs(b[k]), floor));
  return worst;
}

double worst_excess(const std::vector<double>& a, const std::vector<double>& b, double rel, double abs) {
  if (a.size() != b.size()) throw std::runtime_error("worst_excess: lengths differ");
  double worst = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < a.size(); ++k)
    worst = std::max(worst, std::abs(a[k] - b[k]) - (abs + rel * std::abs(b[k])));
  return worst;
}

void expect_dc_agrees(const std::string& deck_name, const std::vector<std::string>& columns, double rel,
                      double abs, const std::string& plot_prefix) {
  const std::string deck = deck_file(deck_name);
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), plot_prefix);
  ASSERT_EQ(ours.rows(), theirs.rows()) << deck_name;
  for (const std::string& c : columns) {
    std::cout << "[ngspice] " << deck_name << " " << c << ": max abs diff "
              << max_abs_error(ours.col(c), theirs.col(c)) << ", max rel diff (1 nA floor) "
              << max_rel_error(ours.col(c), theirs.col(c), 1e-9) << '\n';
    EXPECT_LE(worst_excess(ours.col(c), theirs.col(c), rel, abs), 0) << deck_name << " " << c;
  }
}

long transient_steps(const NeurospiceRun& run) {
  std::smatch m;
  const std::regex steps("transient: (?:trapezoidal rule: )?([0-9]+) steps");  // gear or trap
  return std::regex_search(run.err, m, steps) ? std::stol(m[1]) : -1;
}

std::vector<std::size_t> rows_where(const Table& t, const std::string& col, double value) {
  const auto& c = t.col(col);
  std::vector<std::size_t> rows;
  for (std::size_t k = 0; k < c.size(); ++k)
    if (std::abs(c[k] - value) <= 1e-9 * std::max(1.0, std::abs(value))) rows.push_back(k);
  return rows;
}

std::vector<double> pick(const std::vector<double>& v, const std::vector<std::size_t>& rows) {
  std::vector<double> out;
  out.reserve(rows.size());
  for (auto r : rows) out.push_back(v.at(r));
  return out;
}

std::vector<LevelChange> level_changes(const Table& table, const std::string& node) {
  const auto& t = table.col("time");
  const auto& v = table.col(node);
  std::vector<LevelChange> out;
  double level = v[0];
  for (std::size_t k = 1; k < t.size(); ++k)
    if (std::abs(v[k] - level) > 0.25) out.push_back({t[k], level = v[k]});
  return out;
}

}  // namespace ns::test
