// Decks that carry their expected values: every tests/good/*.cir and every deck under
// netlists/ with an expect line runs once through the program (ns::run_app, in-process),
// and each of its lines
//
//   * expect: TABLE PROBE [at COL=X[,COL=X...]] = VALUE TOLERANCES ; SOURCE
//   * expect: meas NAME = VALUE TOLERANCES ; SOURCE
//
// must hold. TABLE is the analysis whose output holds PROBE: op, dc, tran, ac or sp (dc2, tran1,
// ... when a kind repeats: the names the program gives its files). `at` picks the value
// at X of the table's column COL, linearly interpolated between rows; further COL=X
// pairs select rows first (the outer variable of a nested sweep, a .step value). An op
// has one row and no `at`. meas NAME is a .meas result as the program prints it; with `at`
// (meas NAME at P=X,...), one step's of a .step run, its row chosen by the stepped values.
// TOLERANCES: tol=ABS and/or rtol=REL; the line holds when |got - VALUE| <= ABS +
// REL*|VALUE|. Numbers take SPICE suffixes (1m, 2.2k, 1meg). SOURCE says where VALUE
// comes from (an analytic formula, an independent computation, a published figure):
// never from a neurospice run, and a line without one is an error.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/app.hpp"
#include "sim/support.hpp"

namespace ns::test {
namespace {

namespace fs = std::filesystem;

struct Expect {
  int line = 0;
  std::string text, table, probe, at, source;
  double value = 0, tol = 0, rtol = 0;
};

// A number with an optional SPICE scale suffix and trailing unit letters ("10u", "1meg", "2.5V").
double number(const std::string& text) {
  std::size_t used = 0;
  const double v = std::stod(text, &used);
  std::string rest;
  for (char c : text.substr(used)) rest += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (rest.empty()) return v;
  if (rest.rfind("meg", 0) == 0) return v * 1e6;
  if (!std::isalpha(static_cast<unsigned char>(rest[0]))) throw std::invalid_argument("bad number '" + text + "'");
  switch (rest[0]) {
    case 'f': return v * 1e-15;
    case 'p': return v * 1e-12;
    case 'n': return v * 1e-9;
    case 'u': return v * 1e-6;
    case 'm': return v * 1e-3;
    case 'k': return v * 1e3;
    case 'g': return v * 1e9;
    case 't': return v * 1e12;
    default: return v;  // a unit: "2.5V"
  }
}

std::vector<Expect> expectations(const fs::path& deck) {
  static const std::regex form(R"(\* expect: (\S+) (\S+)(?: at (\S+))? = (\S+)((?: r?tol=\S+)+)\s*;\s*(\S.*))");
  std::vector<Expect> all;
  std::ifstream in(deck);
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (line.rfind("* expect:", 0) != 0) continue;
    Expect e;
    e.line = n;
    e.text = line;
    std::smatch m;
    if (!std::regex_match(line, m, form)) {
      all.push_back(e);  // malformed: table stays empty, reported by the test
      continue;
    }
    try {  // this runs while the test list is built: a bad number must not end the program
      e.value = number(m[4]);
      std::istringstream tolerances(m[5]);
      for (std::string t; tolerances >> t;)
        (t.rfind("tol=", 0) == 0 ? e.tol : e.rtol) = number(t.substr(t.find('=') + 1));
      e.table = m[1], e.probe = m[2], e.at = m[3], e.source = m[6];
    } catch (const std::exception&) {
    }
    all.push_back(e);
  }
  return all;
}

std::vector<fs::path> good_decks() {
  std::vector<fs::path> decks;
  for (const auto& entry : fs::directory_iterator(NS_SOURCE_DIR "/tests/good"))
    if (entry.path().extension() == ".cir") decks.push_back(entry.path());
  for (const auto& entry : fs::recursive_directory_iterator(NS_SOURCE_DIR "/netlists"))
    if (entry.path().extension() == ".cir" && !expectations(entry.path()).empty()) decks.push_back(entry.path());
  std::sort(decks.begin(), decks.end());
  return decks;
}

// The value of `probe` in `t` where the `at` conditions hold; throws saying why not.
double value_at(const Table& t, const std::string& probe, const std::string& at) {
  if (at.empty()) {
    if (t.rows() != 1) throw std::runtime_error("the table has " + std::to_string(t.rows()) + " rows: say `at`");
    return t.col(probe)[0];
  }
  std::vector<std::pair<std::string, double>> conditions;
  std::istringstream parts(at);
  for (std::string part; std::getline(parts, part, ',');) {
    const auto eq = part.find('=');
    if (eq == std::string::npos) throw std::runtime_error("`at` needs COL=X, not '" + part + "'");
    conditions.emplace_back(part.substr(0, eq), number(part.substr(eq + 1)));
  }
  std::vector<std::size_t> rows(t.rows());
  for (std::size_t k = 0; k < rows.size(); ++k) rows[k] = k;
  for (std::size_t c = 1; c < conditions.size(); ++c) {
    const auto& [col, x] = conditions[c];
    std::vector<std::size_t> kept;
    for (std::size_t k : rows)
      if (std::abs(t.col(col)[k] - x) <= 1e-9 * std::max(1.0, std::abs(x))) kept.push_back(k);
    rows = kept;
  }
  const auto& [col, x] = conditions[0];
  const auto& xs = t.col(col);
  const auto& ys = t.col(probe);
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const std::size_t k = rows[j];
    // equal to the printed digits: 30n is 3.0000000000000004e-08, the CSV's last time 3e-08
    if (std::abs(xs[k] - x) <= 1e-14 * std::abs(x)) return ys[k];
    if (j + 1 < rows.size()) {
      const std::size_t k1 = rows[j + 1];
      if ((xs[k] < x && x < xs[k1]) || (xs[k1] < x && x < xs[k]))
        return ys[k] + (ys[k1] - ys[k]) * (x - xs[k]) / (xs[k1] - xs[k]);
    }
  }
  throw std::runtime_error(col + " never reaches " + std::to_string(x) + " in the selected rows");
}

// "name = value ..." lines of a plain run's stdout.
double measured(const std::string& out, const std::string& name) {
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const auto eq = line.find(" = ");
    if (eq == std::string::npos) continue;
    std::string left = line.substr(0, eq);  // names are padded to the longest
    while (!left.empty() && left.back() == ' ') left.pop_back();
    if (left == name) {  // the value, without what may follow it (at=, targ= trig=, from= to=)
      std::string value;
      std::istringstream(line.substr(eq + 3)) >> value;
      return number(value);
    }
  }
  throw std::runtime_error("no measure '" + name + "' on stdout:\n" + out);
}

class GoodDeck : public testing::TestWithParam<fs::path> {};

TEST_P(GoodDeck, MeetsEveryExpectLine) {
  const fs::path deck = GetParam();
  const auto expects = expectations(deck);
  ASSERT_FALSE(expects.empty()) << deck << " has no expect line";
  TempDir dir;
  std::ostringstream out, err;
  const int status = run_app({deck.string(), "-o", (dir.path() / "out.csv").string()}, out, err);
  ASSERT_EQ(status, 0) << err.str();
  std::map<std::string, Table> tables;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("out.", 0) != 0 || entry.path().extension() != ".csv") continue;
    tables.emplace(name == "out.csv" ? "" : name.substr(4, name.size() - 8), read_csv(entry.path()));
  }
  for (const Expect& e : expects) {
    SCOPED_TRACE(deck.filename().string() + ":" + std::to_string(e.line) + ": " + e.text);
    ASSERT_FALSE(e.table.empty()) << "malformed: TABLE PROBE [at COL=X] = VALUE tol=A|rtol=R ; SOURCE";
    ASSERT_GT(e.tol + e.rtol, 0) << "a tolerance is needed";
    double got = 0;
    try {
      if (e.table == "meas" && !e.at.empty()) {  // a .step run's measure, from out.meas.csv
        const auto table = tables.find("meas");
        ASSERT_NE(table, tables.end()) << "no out.meas.csv (a .step run's measures)";
        got = value_at(table->second, e.probe, e.at);
      } else if (e.table == "meas") {
        got = measured(out.str(), e.probe);
      } else {
        // One analysis writes out.csv (a .step run's measures beside it in out.meas.csv);
        // check that it is the kind the line names.
        auto table = tables.find(e.table);
        const bool one_analysis = std::all_of(tables.begin(), tables.end(), [](const auto& t) {
          return t.first.empty() || t.first == "meas";
        });
        if (table == tables.end() && one_analysis) table = tables.find("");
        ASSERT_NE(table, tables.end()) << "no output of " << e.table;
        const Table& t = table->second;
        if (table->first.empty()) {
          // a .step run's columns begin with its parameters: the sweep's column follows them
          const auto has = [&](const char* c) { return std::find(t.names.begin(), t.names.end(), c) != t.names.end(); };
          const std::string kind = has("time") ? "tran" : has("mag(s_1_1)") ? "sp" : has("frequency") ? "ac" : t.rows() == 1 && e.at.empty() ? "op" : "dc";
          const bool stepped_op = kind == "dc" && e.table == "op" && !e.at.empty();  // a row per step
          if (!stepped_op) {
            ASSERT_EQ(kind, e.table.substr(0, kind.size())) << "the deck's one analysis is not a " << e.table;
          }
        }
        got = value_at(t, e.probe, e.at);
      }
    } catch (const std::exception& x) {
      ADD_FAILURE() << x.what();
      continue;
    }
    const double allowed = e.tol + e.rtol * std::abs(e.value);
    EXPECT_LE(std::abs(got - e.value), allowed) << "got " << got << ", expected " << e.value << " +- " << allowed;
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, GoodDeck, testing::ValuesIn(good_decks()), [](const auto& info) {
  std::string name = info.param.parent_path().filename().string() + "_" + info.param.stem().string();
  for (char& c : name) if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
});

}  // namespace
}  // namespace ns::test
