// PSpice U digital primitives (src/netlist/udevices.cpp) on our decks
// tests/sim/decks/pspice_{gates,tristate,flipflops}.cir (and XSPICE's d_lut, d_genlut on
// digital_lut.cir): each output's edges computed here
// again from the stimulus table, the truth tables and the timing models' delays (as the
// decks' comments derive them), against the rows of the run. The same decks (less the
// forms ngspice 39 does not translate: xnor, pullup/pulldn, $d_lo) agree with ngspice 39's
// eprint to 1e-15 s (gates, tristates) and 1 ps (flip-flops: ngspice inverts preset, clear
// and the JK clock through 1 ps inverters, we through '~' ports). LOGICEXP and PINDLY:
// pspice_logicexp.cir against ngspice 39 in the test, pspice_semantics.cir (PSpice's
// precedence and CASE conditions, which ngspice does not read) against edges computed here.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

constexpr int U = 2;  // the unknown level, beside 0 and 1

struct Row {
  double t;
  std::vector<int> v;
};

const std::string decks = std::string(NS_SOURCE_DIR) + "/tests/sim/decks";

// A deck's text with @DECKS@ (where its stimulus table is) replaced by the decks' folder.
std::string deck_text(const std::string& name) {
  std::string deck = deck_file(name);
  for (auto at = deck.find("@DECKS@"); at != std::string::npos; at = deck.find("@DECKS@")) deck.replace(at, 7, decks);
  return deck;
}

// The stimulus table beside a deck: time (ns, with an 'n') and levels 0s / 1s.
std::vector<Row> stimulus(const std::string& file) {
  std::ifstream in(decks + "/" + file);
  std::vector<Row> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '*') continue;
    std::istringstream words(line);
    std::string t, level;
    words >> t;
    Row r{std::stod(t) * (t.back() == 'n' ? 1e-9 : 1.0), {}};
    while (words >> level) r.v.push_back(level[0] == '1' ? 1 : level[0] == '0' ? 0 : U);
    rows.push_back(r);
  }
  return rows;
}

struct Edge {
  double t;
  int level;
};

// The run's edges on node `col`: the first row at each new level (0, 1, U as 0.5 V).
std::vector<Edge> edges(const Table& table, const std::string& col, int& initial) {
  const auto& t = table.col("time");
  const auto& v = table.col(col);
  auto level = [](double x) { return x < 0.25 ? 0 : x > 0.75 ? 1 : U; };
  std::vector<Edge> out;
  initial = level(v[0]);
  int now = initial;
  for (std::size_t k = 1; k < t.size(); ++k)
    if (level(v[k]) != now) out.push_back({t[k], now = level(v[k])});
  return out;
}

// An output's reference: from the state before, the row before and the row now, the new
// state and the delay of its change.
struct Next {
  int level;
  double delay;
};
using Rule = std::function<Next(int state, const Row& before, const Row& now)>;

void expect_edges(const Table& table, const std::string& col, const std::vector<Row>& rows, int initial,
                  const Rule& rule) {
  std::vector<Edge> expected;
  int state = initial;
  for (std::size_t k = 1; k < rows.size(); ++k) {
    const Next n = rule(state, rows[k - 1], rows[k]);
    if (n.level != state) expected.push_back({rows[k].t + n.delay, state = n.level});
  }
  int first = -1;
  const auto got = edges(table, col, first);
  EXPECT_EQ(first, initial) << col << " at the operating point";
  ASSERT_EQ(got.size(), expected.size()) << col;
  for (std::size_t k = 0; k < got.size(); ++k) {
    EXPECT_EQ(got[k].level, expected[k].level) << col << " edge " << k;
    // --every-step puts a row just after each event (1e-15 s for these tstops), never
    // before; 1e-14 is a hundredth of the smallest delay told apart here (1 ps).
    EXPECT_GE(got[k].t, expected[k].t - 1e-20) << col << " edge " << k;
    EXPECT_LE(got[k].t, expected[k].t + 1e-14) << col << " edge " << k;
  }
}

// A gate's rule: f of the row, rise or fall delay by the new level.
Rule gate(std::function<int(const std::vector<int>&)> f, double rise, double fall) {
  return [=](int, const Row&, const Row& now) {
    const int y = f(now.v);
    return Next{y, y == 1 ? rise : fall};
  };
}

TEST(PspiceDigital, GatesFollowTruthTablesAndTimingModels) {
  const auto run = run_neurospice(deck_text("pspice_gates.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto rows = stimulus("pspice_gates.txt");
  const int a = 0, b = 1, c = 2;
  // ga: typical 2n / 3n; gb: mean of min and max 3n, max alone 6n; gc: min 1n (typical
  // -1), typical 4n; gnone: 1 ps.
  const double ga_r = 2e-9, ga_f = 3e-9, gb_r = 3e-9, gb_f = 6e-9, gc_r = 1e-9, gc_f = 4e-9, g0 = 1e-12;
  auto check = [&](const std::string& node, std::function<int(const std::vector<int>&)> f, double r, double fl) {
    expect_edges(t, "v(" + node + ")", rows, f(rows[0].v), gate(f, r, fl));
  };
  check("y_and", [&](auto& v) { return v[a] & v[b] & v[c]; }, ga_r, ga_f);
  check("y_nand", [&](auto& v) { return 1 - (v[a] & v[b]); }, gb_r, gb_f);
  check("y_or", [&](auto& v) { return v[b] | v[c]; }, gc_r, gc_f);
  check("y_nor", [&](auto& v) { return 1 - (v[a] | v[b] | v[c]); }, g0, g0);
  check("y_xor", [&](auto& v) { return v[a] ^ v[c]; }, ga_r, ga_f);
  check("y_xnor", [&](auto& v) { return 1 - (v[b] ^ v[c]); }, ga_r, ga_f);
  check("y_buf", [&](auto& v) { return v[a]; }, gb_r, gb_f);
  check("y_inv", [&](auto& v) { return 1 - v[c]; }, ga_r, ga_f);
  check("y_a0", [&](auto& v) { return v[a] & v[b]; }, ga_r, ga_f);
  check("y_a1", [&](auto& v) { return v[b] & v[c]; }, ga_r, ga_f);
  check("y_x0", [&](auto& v) { return v[a] ^ v[b]; }, gb_r, gb_f);
  check("y_x1", [&](auto& v) { return v[b] ^ v[c]; }, gb_r, gb_f);
  check("y_i0", [&](auto& v) { return 1 - v[a]; }, gc_r, gc_f);
  check("y_i1", [&](auto& v) { return 1 - v[b]; }, gc_r, gc_f);
}

TEST(PspiceDigital, TristatesFloatToTheirPulls) {
  const auto run = run_neurospice(deck_text("pspice_tristate.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto rows = stimulus("pspice_tristate.txt");
  const int a = 0, b = 1, en = 2;
  // mt: max(tplh, tphl) = 3n; mz: no tplh / tphl, 1 ps. A gate before the tristate adds
  // its 1 ps to changes of its inputs, not of the enable. Disabled, the node shows its
  // pull's level; with no pull (y_and3), the level the tristate still gives, hi-impedance.
  const double d = 3e-9, ps = 1e-12;
  auto tristate = [&](std::function<int(const std::vector<int>&)> f, int pull, double delay, bool gated) -> Rule {
    return [=](int, const Row& before, const Row& now) {
      const bool enable_changed = before.v[en] != now.v[en];
      return Next{now.v[en] || pull < 0 ? f(now.v) : pull, delay + (gated && !enable_changed ? ps : 0)};
    };
  };
  auto check = [&](const std::string& node, std::function<int(const std::vector<int>&)> f, int pull, double delay,
                   bool gated) {
    const int initial = rows[0].v[en] || pull < 0 ? f(rows[0].v) : pull;
    expect_edges(t, "v(" + node + ")", rows, initial, tristate(f, pull, delay, gated));
  };
  check("y_b3", [&](auto& v) { return v[a]; }, 0, d, false);
  check("y_i3", [&](auto& v) { return 1 - v[a]; }, 1, d, true);
  check("y_and3", [&](auto& v) { return v[a] & v[b]; }, -1, d, true);
  check("y_0", [&](auto& v) { return v[a]; }, 0, ps, false);
  check("y_1", [&](auto& v) { return v[b]; }, 0, ps, false);
}

TEST(PspiceDigital, FlipFlopsAndLatches) {
  const auto run = run_neurospice(deck_text("pspice_flipflops.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto rows = stimulus("pspice_flipflops.txt");
  const int pre = 0, clr = 1, clk = 2, d = 3, j = 4, k = 5, g = 6;
  // XSPICE adds rise / fall (1n) to the cause's delay: mff clk 4n, set 1n, reset 2n; mgff
  // enable 2n, data (s, r) 3n.
  const double out = 1e-9, clock = 4e-9 + out, set = 1e-9 + out, reset = 2e-9 + out;
  const double enable = 2e-9 + out, data = 3e-9 + out;
  const double latch_reset = 1e-9 + out;  // mgff gives no tppcqhl: d_dlatch's own reset_delay, 1n
  auto changed = [](const Row& x, const Row& y, int i) { return x.v[i] != y.v[i]; };
  const Rule dff = [&](int q, const Row& x, const Row& y) -> Next {
    if (!y.v[clr]) return {0, reset};
    if (!y.v[pre]) return {1, set};
    if (!x.v[clk] && y.v[clk]) return {y.v[d], clock};
    return {q, 0};
  };
  const Rule jkff = [&](int q, const Row& x, const Row& y) -> Next {
    if (!(x.v[clk] && !y.v[clk])) return {q, 0};  // PSpice's JK flip-flop: the falling edge
    const int jj = y.v[j], kk = y.v[k];
    return {jj && kk ? 1 - q : jj ? 1 : kk ? 0 : q, clock};
  };
  const Rule latch = [&](int q, const Row& x, const Row& y) -> Next {
    if (!y.v[clr]) return {0, latch_reset};
    if (!y.v[g]) return {q, 0};
    return {y.v[d], changed(x, y, g) ? enable : data};
  };
  const Rule sr = [&](int q, const Row& x, const Row& y) -> Next {
    if (!y.v[g]) return {q, 0};
    const int s = y.v[j], r = y.v[k];
    return {s && r ? U : s ? 1 : r ? 0 : q, changed(x, y, g) ? enable : data};
  };
  auto inverse = [](const Rule& rule) -> Rule {
    return [rule](int qb, const Row& x, const Row& y) {
      const Next n = rule(qb == U ? U : 1 - qb, x, y);
      return Next{n.level == U ? U : 1 - n.level, n.delay};
    };
  };
  expect_edges(t, "v(q1)", rows, 0, dff);
  expect_edges(t, "v(qb1)", rows, 1, inverse(dff));
  expect_edges(t, "v(q2)", rows, 0, jkff);
  expect_edges(t, "v(qb2)", rows, 1, inverse(jkff));
  expect_edges(t, "v(q3)", rows, 0, latch);
  expect_edges(t, "v(qb3)", rows, 1, inverse(latch));
  expect_edges(t, "v(q4)", rows, 0, sr);
  expect_edges(t, "v(qb4)", rows, 1, inverse(sr));
  // preset on $d_lo: set from the operating point on, whatever the clock does
  expect_edges(t, "v(q5)", rows, 1, [](int, const Row&, const Row&) { return Next{1, 0}; });
}

TEST(XspiceDigital, LookUpTables) {
  const auto run = run_neurospice(deck_text("digital_lut.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto rows = stimulus("digital_lut.txt");
  // entry (a + 2 b) of a table; d_genlut: plus the changed input's input_delay (2n a, 3n b)
  auto lut = [](const std::string& table, double rise, double fall, bool input_delay) -> Rule {
    return [=](int, const Row& x, const Row& y) {
      const int level = table[static_cast<std::size_t>(y.v[0] + 2 * y.v[1])] - '0';
      const double extra = !input_delay ? 0 : x.v[0] != y.v[0] ? 2e-9 : 3e-9;
      return Next{level, extra + (level ? rise : fall)};
    };
  };
  expect_edges(t, "v(y1)", rows, 0, lut("0100", 5e-9, 6e-9, false));
  expect_edges(t, "v(y2)", rows, 0, lut("0100", 5e-9, 6e-9, true));
  expect_edges(t, "v(y3)", rows, 1, lut("1110", 7e-9, 8e-9, true));
}

// ngspice's transient of `deck` in its PSpice mode, with "a" (all decks; its U cards need it).
Table ngspice_pspice(const std::string& deck) {
  TempDir dir;
  write_text(dir.path() / "deck.cir", deck);
  write_text(dir.path() / ".spiceinit", "set ngbehavior=ltpsa\n");
  const std::string command = "cd '" + dir.path().string() +
                              "' && SPICE_ASCIIRAWFILE=1 ngspice -b -r out.raw deck.cir >log.txt 2>&1";
  const int status = std::system(command.c_str());
  if (status != 0 || !std::filesystem::exists(dir.path() / "out.raw"))
    throw std::runtime_error("ngspice failed:\n" + read_text(dir.path() / "log.txt"));
  for (const auto& p : read_ascii_raw(dir.path() / "out.raw"))
    if (p.plotname.rfind("Transient", 0) == 0) return p.table;
  throw std::runtime_error("ngspice wrote no transient");
}

// Each 0.5 V crossing of v(t), linear between samples, and the level after it.
std::vector<Edge> crossings(const std::vector<double>& t, const std::vector<double>& v) {
  std::vector<Edge> out;
  for (std::size_t k = 1; k < t.size(); ++k)
    if ((v[k - 1] < 0.5) != (v[k] < 0.5))
      out.push_back({t[k - 1] + (0.5 - v[k - 1]) / (v[k] - v[k - 1]) * (t[k] - t[k - 1]), v[k] < 0.5 ? 0 : 1});
  return out;
}

TEST(PspiceDigital, LogicexpAndPindlyAgreeWithNgspice) {
  const std::string deck = deck_text("pspice_logicexp.cir");
  const auto run = run_neurospice(deck, {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& ours = run.table();
  const Table theirs = ngspice_pspice(deck);
  // ngspice builds an expression from gates of 1 ps each, so an output lags ours (zero-delay
  // logic, PSpice's) by 1 ps per gate inside it: at most 1 here.
  for (const char* col : {"v(ay1)", "v(ay2)", "v(ay3)", "v(ay4)", "v(az1)", "v(az2)", "v(az3)"}) {
    const auto a = crossings(ours.col("time"), ours.col(col));
    const auto b = crossings(theirs.col("time"), theirs.col(col));
    ASSERT_GE(b.size(), 3u) << col;
    ASSERT_EQ(a.size(), b.size()) << col;
    for (std::size_t k = 0; k < a.size(); ++k) {
      EXPECT_EQ(a[k].level, b[k].level) << col << " edge " << k;
      EXPECT_NEAR(a[k].t, b[k].t, 1.5e-12) << col << " edge " << k;
    }
  }
}

TEST(PspiceDigital, LogicexpPrecedenceAndPindlyCases) {
  const auto run = run_neurospice(deck_text("pspice_semantics.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto rows = stimulus("pspice_logic.txt");
  const int a = 0, b = 1, c = 2, en = 3, r = 4;
  const double ps = 1e-12;  // d0 gives no delay: ngspice's 1 ps
  auto logic = [&](const std::string& p, const std::string& q, std::function<int(const std::vector<int>&)> f) {
    for (const std::string& node : {p, q}) expect_edges(t, "v(" + node + ")", rows, f(rows[0].v), gate(f, ps, ps));
  };
  logic("p1", "q1", [&](auto& v) { return v[a] | (v[b] ^ (v[c] & v[a])); });
  logic("p2", "q2", [&](auto& v) { return ((1 - v[a]) & v[b]) ^ v[c]; });
  logic("p3", "q3", [&](auto& v) { return (v[a] ^ v[b]) | ((1 - v[c]) & v[a]); });
  // z1: trn_lh 5n, trn_hl the mean of 2n and 4n
  expect_edges(t, "v(z1)", rows, rows[0].v[a], [&](int, const Row&, const Row& y) {
    return Next{y.v[a], y.v[a] ? 5e-9 : 3e-9};
  });
  // z2: the first true of: r rose now and z2 rises 1n; r changed now 2n; en is 1 4n; else 7n
  expect_edges(t, "v(z2)", rows, rows[0].v[b], [&](int, const Row& x, const Row& y) {
    const bool rose = !x.v[r] && y.v[r], moved = x.v[r] != y.v[r];
    return Next{y.v[b], rose && y.v[b] ? 1e-9 : moved ? 2e-9 : y.v[en] ? 4e-9 : 7e-9};
  });
  // z3: c while en is 0, else hi-impedance, which the pullup makes 1; from Z 3n, to Z 4n,
  // else 6n
  expect_edges(t, "v(z3)", rows, rows[0].v[en] ? 1 : rows[0].v[c], [&](int, const Row& x, const Row& y) {
    const double delay = x.v[en] && !y.v[en] ? 3e-9 : !x.v[en] && y.v[en] ? 4e-9 : 6e-9;
    return Next{y.v[en] ? 1 : y.v[c], delay};
  });
}

}  // namespace
}  // namespace ns::test
