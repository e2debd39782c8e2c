// RawFile: ngspice raw output, binary and ascii, one plot per begin(). Read back by a
// reader here (bit for bit), by ngspice's own `load`, and checked against the CSV of
// the same transient.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "analysis/analysis.hpp"
#include "cli/app.hpp"
#include "netlist/frontend.hpp"
#include "output/sink.hpp"
#include "sim/support.hpp"

namespace ns::test {
namespace {

namespace fs = std::filesystem;

struct Plot {
  std::string plotname;
  std::vector<std::string> names, types;
  std::vector<std::vector<double>> rows;
};

double number(const std::string& text) {
  // strtod, not stod: stod rejects subnormals, which a raw file must carry.
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') throw std::runtime_error("not a number: '" + text + "'");
  return value;
}

std::string after_colon(const std::string& line) {
  const auto colon = line.find(':');
  const auto first = line.find_first_not_of(' ', colon + 1);
  return first == std::string::npos ? "" : line.substr(first);
}

// The layout RawFile writes: "Key: value" header lines up to "Binary:" (then raw
// little-endian doubles) or "Values:" (then per point "index\t\tvalue" and one
// "\tvalue" line per further variable); the next plot's header follows at once. Every
// byte must belong to a plot.
std::vector<Plot> read_raw(const fs::path& file) {
  const std::string bytes = read_text(file);
  std::size_t at = 0;
  auto line = [&] {
    const auto end = bytes.find('\n', at);
    if (end == std::string::npos) throw std::runtime_error(file.string() + ": truncated header");
    std::string text = bytes.substr(at, end - at);
    at = end + 1;
    return text;
  };
  std::vector<Plot> plots;
  while (at < bytes.size()) {
    Plot plot;
    std::size_t variables = 0, points = 0;
    for (bool data = false; !data;) {
      const std::string text = line();
      const std::string key = text.substr(0, text.find(':'));
      if (key == "Plotname") {
        plot.plotname = after_colon(text);
      } else if (key == "No. Variables") {
        variables = std::stoul(after_colon(text));
      } else if (key == "No. Points") {
        points = std::stoul(after_colon(text));
      } else if (key == "Variables") {
        for (std::size_t k = 0; k < variables; ++k) {
          std::istringstream fields(line());
          std::size_t index = 0;
          std::string name, type;
          fields >> index >> name >> type;
          if (index != k) throw std::runtime_error(file.string() + ": variable index out of order");
          plot.names.push_back(name);
          plot.types.push_back(type);
        }
      } else if (key == "Binary") {
        const std::size_t size = points * variables * sizeof(double);
        if (at + size > bytes.size()) throw std::runtime_error(file.string() + ": truncated data");
        for (std::size_t p = 0; p < points; ++p) {
          std::vector<double> row(variables);
          std::memcpy(row.data(), bytes.data() + at, variables * sizeof(double));
          at += variables * sizeof(double);
          plot.rows.push_back(row);
        }
        data = true;
      } else if (key == "Values") {
        for (std::size_t p = 0; p < points; ++p) {
          std::vector<double> row;
          for (std::size_t k = 0; k < variables; ++k) {
            const std::string text = line();
            const auto tab = text.find_last_of('\t');
            if (k == 0 && text.substr(0, text.find('\t')) != std::to_string(p))
              throw std::runtime_error(file.string() + ": point index " + std::to_string(p) + " missing");
            row.push_back(number(text.substr(tab + 1)));
          }
          plot.rows.push_back(row);
        }
        data = true;
      }
    }
    plots.push_back(plot);
  }
  return plots;
}

std::uint64_t bits(double v) { return std::bit_cast<std::uint64_t>(v); }

const std::vector<std::string> columns{"time", "v(a)", "v(a,b)", "i(v1)", "@n1[t]", "x"};

// Values that need all 17 digits, extremes, a subnormal and a negative zero.
std::vector<double> awkward_row(std::size_t plot, std::size_t k) {
  const double n = static_cast<double>(k + 1);
  return {static_cast<double>(k) * 1e-6 / 3, 0.1 * n + static_cast<double>(plot), -n / 3,
          5e-324 * n, -1.7976931348623157e308 / n, k % 2 ? -0.0 : 1e-300 * n};
}

std::string point_label(std::size_t p) { return "x = " + std::to_string(p + 1); }
std::string plotname(std::size_t p) { return "Transient Analysis: " + point_label(p); }

// Writes `plots` plots of `rows` rows each and returns the file.
fs::path write_awkward(const TempDir& dir, bool binary, std::size_t plots, std::size_t rows) {
  const fs::path path = dir.path() / (binary ? "binary.raw" : "ascii.raw");
  RawFile raw(path.string(), binary, "awkward numbers", "Transient Analysis");
  for (std::size_t p = 0; p < plots; ++p) {
    raw.begin_plot(point_label(p), {"x"}, {double(p + 1)});  // step columns: not in a raw plot
    raw.begin(columns, {});
    for (std::size_t k = 0; k < rows; ++k) raw.row(awkward_row(p, k));
  }
  raw.finish();
  EXPECT_EQ(raw.rows_written(), plots * rows);
  EXPECT_EQ(raw.plots(), plots);
  return path;
}

void expect_awkward(const std::vector<Plot>& read, std::size_t plots, std::size_t rows) {
  ASSERT_EQ(read.size(), plots);
  for (std::size_t p = 0; p < plots; ++p) {
    EXPECT_EQ(read[p].plotname, plotname(p));
    EXPECT_EQ(read[p].names, columns);
    EXPECT_EQ(read[p].types, (std::vector<std::string>{"time", "voltage", "voltage", "current", "notype", "notype"}));
    ASSERT_EQ(read[p].rows.size(), rows);
    for (std::size_t k = 0; k < rows; ++k) {
      const auto expected = awkward_row(p, k);
      ASSERT_EQ(read[p].rows[k].size(), expected.size());
      for (std::size_t c = 0; c < expected.size(); ++c)
        EXPECT_EQ(bits(read[p].rows[k][c]), bits(expected[c])) << "plot " << p << " row " << k << " column " << c;
    }
  }
}

bool have_ngspice() { return std::system("command -v ngspice >/dev/null 2>&1") == 0; }

// ngspice loads `raw` and writes each of its plots' vectors with wrdata at 17 digits,
// the scale first: one table per plot, columns in the order of `names`.
std::vector<std::vector<std::vector<double>>> ngspice_load(const fs::path& raw, std::size_t plots,
                                                            const std::vector<std::string>& names) {
  const fs::path dir = raw.parent_path();
  std::string script = "* load a neurospice raw file\n.control\nset numdgt=17\nset wr_singlescale\nload " +
                       raw.string() + "\n";
  for (std::size_t p = 0; p < plots; ++p) {
    script += "setplot tran" + std::to_string(p + 1) + "\nwrdata " + (dir / ("plot" + std::to_string(p) + ".txt")).string();
    for (std::size_t k = 1; k < names.size(); ++k) script += " \"" + names[k] + "\"";  // quoted: v(a,b) is a name
    script += "\n";
  }
  script += ".endc\n.end\n";
  write_text(dir / "load.cir", script);
  // ngspice exits 1 after a script that runs no simulation: the written data is the test.
  (void)std::system(("cd '" + dir.string() + "' && ngspice -b load.cir >load.log 2>&1").c_str());
  std::vector<std::vector<std::vector<double>>> tables;
  for (std::size_t p = 0; p < plots; ++p) {
    const fs::path data = dir / ("plot" + std::to_string(p) + ".txt");
    if (!fs::exists(data))
      throw std::runtime_error("ngspice wrote no " + data.string() + ":\n" + read_text(dir / "load.log"));
    std::istringstream in(read_text(data));
    std::vector<std::vector<double>> rows;
    for (std::string line; std::getline(in, line);) {
      std::istringstream fields(line);
      std::vector<double> row;
      for (std::string f; fields >> f;) row.push_back(number(f));
      if (!row.empty()) rows.push_back(row);
    }
    tables.push_back(rows);
  }
  return tables;
}

class RawLayout : public testing::TestWithParam<bool> {};  // true: binary

TEST_P(RawLayout, OnePlotReadsBackBitForBit) {
  TempDir dir;
  const auto path = write_awkward(dir, GetParam(), 1, 7);
  expect_awkward(read_raw(path), 1, 7);
}

TEST_P(RawLayout, ThreePlotsReadBackBitForBit) {
  TempDir dir;
  const auto path = write_awkward(dir, GetParam(), 3, 5);
  expect_awkward(read_raw(path), 3, 5);
}

TEST_P(RawLayout, NgspiceLoadsThreePlotsWithTheSameValues) {
  if (!have_ngspice()) GTEST_SKIP() << "ngspice is not on PATH";
  TempDir dir;
  const auto path = write_awkward(dir, GetParam(), 3, 5);
  const auto loaded = ngspice_load(path, 3, columns);
  for (std::size_t p = 0; p < 3; ++p) {
    ASSERT_EQ(loaded[p].size(), 5u) << "plot " << p;
    for (std::size_t k = 0; k < 5; ++k) {
      const auto expected = awkward_row(p, k);
      ASSERT_EQ(loaded[p][k].size(), expected.size());
      for (std::size_t c = 0; c < expected.size(); ++c)
        EXPECT_EQ(bits(loaded[p][k][c]), bits(expected[c])) << "plot " << p << " row " << k << " column " << c;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Raw, RawLayout, testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Binary" : "Ascii"; });

TEST(RawFile, PartialUntilFinishedAndStillReadable) {
  TempDir dir;
  const fs::path path = dir.path() / "out.raw";
  const fs::path partial = dir.path() / "out.raw.partial";
  write_text(path, "an older run's result");
  {
    RawFile raw(path.string(), true, "interrupted", "Transient Analysis");
    raw.begin({"time", "v(a)"}, {});
    EXPECT_FALSE(fs::exists(path)) << "the older file must not pass for this run's";
    raw.row(std::vector<double>{0, 1});
    raw.row(std::vector<double>{1e-3, 2});
    EXPECT_THROW(raw.row(std::vector<double>{2e-3}), std::logic_error);
    EXPECT_TRUE(fs::exists(partial));
  }  // never finished
  EXPECT_FALSE(fs::exists(path));
  const auto plots = read_raw(partial);
  ASSERT_EQ(plots.size(), 1u);
  EXPECT_EQ(plots[0].rows, (std::vector<std::vector<double>>{{0, 1}, {1e-3, 2}}));

  RawFile raw(path.string(), true, "complete", "Transient Analysis");
  raw.begin({"time", "v(a)"}, {});
  raw.row(std::vector<double>{0, 3});
  raw.finish();
  EXPECT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(partial));
  EXPECT_THROW(raw.begin({"time", "v(a)"}, {}), std::logic_error) << "reopening would truncate the finished file";
  EXPECT_EQ(read_raw(path).at(0).rows, (std::vector<std::vector<double>>{{0, 3}}));
}

// -o /dev/null (or a FIFO) is written in place: removing the older file and renaming the
// .partial over it, as for a regular file, replaced /dev/null with a plain file as root.
TEST(OutputFiles, ADeviceIsWrittenInPlaceNotReplaced) {
  ASSERT_TRUE(fs::is_character_file("/dev/null"));
  EXPECT_EQ(ns::staging_path("/dev/null"), "/dev/null");
  EXPECT_EQ(ns::staging_path("/no/such/dir/out.csv"), "/no/such/dir/out.csv.partial");
  {
    RawFile raw("/dev/null", false, "discarded", "Transient Analysis");
    raw.begin({"time", "v(a)"}, {});
    raw.row(std::vector<double>{0, 1});
    raw.finish();
  }
  ns::CsvFile csv("/dev/null");
  csv.begin({"time", "v(a)"}, {});
  csv.row(std::vector<double>{0, 1});
  csv.finish();
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  EXPECT_FALSE(fs::exists("/dev/null.partial"));
}

TEST(RawFile, SweepAndDeviceColumnsAreNotype) {
  TempDir dir;
  const fs::path path = dir.path() / "dc.raw";
  RawFile raw(path.string(), false, "dc", "DC transfer characteristic");
  raw.begin({"v1", "v(a)", "i(v1)", "@d1[id]", "time"}, {});  // "time" is the scale only when first
  raw.row(std::vector<double>{0.5, 0.25, -1e-3, 2e-3, 0});
  raw.finish();
  const auto plots = read_raw(path);
  ASSERT_EQ(plots.size(), 1u);
  EXPECT_EQ(plots[0].types, (std::vector<std::string>{"notype", "voltage", "current", "notype", "notype"}));
}

// With units (every analysis passes its probes'), a column whose unit is the one ngspice
// gives a vector type gets that type; kelvin does not (ngspice's temperature is Celsius).
TEST(RawFile, UnitsGiveVectorTypes) {
  TempDir dir;
  const fs::path path = dir.path() / "units.raw";
  RawFile raw(path.string(), false, "units", "DC transfer characteristic");
  raw.begin({"v1", "@n1[t]", "@n1[p]", "@d1[id]", "@n1[r]", "@m1[cgs]", "temp"},
            {"V", "K", "W", "A", "Ohm", "F", ""});
  raw.row(std::vector<double>{1, 2, 3, 4, 5, 6, 7});
  raw.finish();
  EXPECT_EQ(read_raw(path).at(0).types, (std::vector<std::string>{"voltage", "notype", "power", "current",
                                                                   "impedance", "capacitance", "notype"}));
}

TEST(RawFile, DeviceProbesOfARunCarryTheirDeclaredUnits) {
  TempDir dir;
  write_text(dir.path() / "n.cir", "nbox\nv1 a 0 1\nn1 a 0 nb\n.model nb nbox\n.save v(a) i(v1) @n1[t] @n1[p] @n1[r]\n"
                                   ".dc v1 0 1 0.5\n");
  std::ostringstream out, err;
  ASSERT_EQ(run_app({(dir.path() / "n.cir").string(), "--format", "ascii", "-o", (dir.path() / "n.raw").string()},
                    out, err), 0) << err.str();
  EXPECT_EQ(read_raw(dir.path() / "n.raw").at(0).types,
            (std::vector<std::string>{"voltage", "voltage", "current", "notype", "power", "impedance"}));
}

// A real transient written through RawFile holds the very numbers that the same
// analysis writes through CsvFile (the command line's sink for -o FILE.csv), and
// ngspice loads the same numbers from it.
TEST_P(RawLayout, TransientMatchesTheCsvAndLoadsInNgspice) {
  const std::string text =
      "rc with a pulse\nV1 a 0 pulse(0 1 0.1m 10u 10u 0.5m 1m)\nR1 a b 1k\nC1 b 0 0.1u\n"
      ".save v(a) v(b) v(a,b) i(v1)\n.tran 20u 2m\n";
  const auto deck = read_deck_text(text, "deck.cir");
  const Netlist netlist = elaborate(*deck);
  const AnalysisContext context{.netlist = netlist, .progress = {}};
  const auto analyses = read_analyses(netlist);
  const Analysis& tran = *analyses.at(0).analysis;
  TempDir dir;
  CsvFile csv_file((dir.path() / "rc.csv").string());
  tran.run(context, csv_file);
  csv_file.finish();
  const Table csv = read_csv(dir.path() / "rc.csv");
  ASSERT_EQ(csv.names, (std::vector<std::string>{"time", "v(a)", "v(b)", "v(a,b)", "i(v1)"}));
  ASSERT_EQ(csv.rows(), 101u);  // every 20 us from 0 to 2 ms

  const fs::path path = dir.path() / "rc.raw";
  RawFile raw(path.string(), GetParam(), "rc with a pulse", "Transient Analysis");
  tran.run(context, raw);
  raw.finish();
  ASSERT_TRUE(fs::exists(path));

  const auto plots = read_raw(path);
  ASSERT_EQ(plots.size(), 1u);
  ASSERT_EQ(plots[0].names, csv.names);
  ASSERT_EQ(plots[0].rows.size(), csv.rows());
  for (std::size_t k = 0; k < csv.rows(); ++k)
    for (std::size_t c = 0; c < csv.names.size(); ++c)
      ASSERT_EQ(bits(plots[0].rows[k][c]), bits(csv.columns[c][k])) << csv.names[c] << " row " << k;

  if (!GetParam()) {  // the ascii layout also reads with the ngspice-output reader of the other tests
    const Table other = plot(read_ascii_raw(path), "Transient");
    ASSERT_EQ(other.names, csv.names);
    for (std::size_t c = 0; c < csv.names.size(); ++c) EXPECT_EQ(other.columns[c], csv.columns[c]) << csv.names[c];
  }

  if (!have_ngspice()) GTEST_SKIP() << "ngspice is not on PATH";
  const auto loaded = ngspice_load(path, 1, csv.names).at(0);
  ASSERT_EQ(loaded.size(), csv.rows());
  for (std::size_t k = 0; k < csv.rows(); ++k) {
    ASSERT_EQ(loaded[k].size(), csv.names.size());
    for (std::size_t c = 0; c < csv.names.size(); ++c)
      ASSERT_EQ(bits(loaded[k][c]), bits(csv.columns[c][k])) << csv.names[c] << " row " << k;
  }
}

}  // namespace
}  // namespace ns::test
