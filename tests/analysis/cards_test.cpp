// The analysis cards, each read by its registered analysis: .op, .dc and .tran syntax,
// their sweep points, and their located errors. Cards are run on tiny circuits and
// checked through the rows they write.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "analysis/analysis.hpp"
#include "netlist/frontend.hpp"

namespace ns {
namespace {

Netlist parse(const std::string& text) { return elaborate(*read_deck_text(text, "t.cir")); }

// The rows the deck's first analysis writes.
TraceTable run_first(const std::string& text) {
  const Netlist n = parse(text);
  const auto analyses = read_analyses(n);
  TraceTable table;
  analyses.at(0).analysis->run(AnalysisContext{.netlist = n}, table);
  return table;
}

std::vector<double> column(const TraceTable& t, std::size_t c) {
  std::vector<double> values;
  for (const auto& r : t.rows()) values.push_back(r.at(c));
  return values;
}

// "t.cir:3:7: error: message" of the InputError that reading the deck's analyses raises.
std::string error_of(const std::string& text) {
  try {
    (void)read_analyses(parse(text));
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

#define EXPECT_ERROR(deck, location, message)                                                   \
  do {                                                                                          \
    const std::string error_text = error_of(deck);                                              \
    EXPECT_EQ(error_text.rfind(std::string(location) + ": error: ", 0), 0u) << error_text;      \
    EXPECT_NE(error_text.find(message), std::string::npos) << error_text;                       \
  } while (0)

TEST(Analyses, RegisteredByCardName) {
  for (const char* card : {".op", ".dc", ".tran"}) ASSERT_NE(find_analysis(card), nullptr) << card;
  EXPECT_EQ(find_analysis(".tran")->kind, "tran");
  EXPECT_EQ(find_analysis(".dc")->plot, "DC transfer characteristic");
  EXPECT_FALSE(find_analysis(".op")->measures.has_value());
  EXPECT_ERROR("t\nr1 a 0 1\n.disto dec 1 1 10\n", "t.cir:3:1", "unknown control card '.disto'");
  EXPECT_ERROR("t\n.foo 1\n", "t.cir:2:1", "unknown control card '.foo'");
}

TEST(Analyses, Op) {
  const TraceTable t = run_first("t\nv1 a 0 2\nr1 a b 1k\nr2 b 0 1k\n.op\n");
  ASSERT_EQ(t.rows().size(), 1u);
  EXPECT_EQ(t.columns(), (std::vector<std::string>{"v(a)", "v(b)", "i(v1)"}));
  EXPECT_DOUBLE_EQ(t.rows()[0][1], 1.0);  // the divider's half
  EXPECT_ERROR("t\nr1 a 0 1\n.op 1\n", "t.cir:3:5", "'.op' takes no arguments");
}

TEST(Analyses, TranTimesAndUic) {
  // Rows at tstart + k tstep up to tstop; with uic the capacitor starts at its .ic value
  // instead of the operating point (0 V here).
  const std::string rc = "t\nv1 a 0 0\nr1 a b 1k\nc1 b 0 1u\n.ic v(b)=1\n";
  const TraceTable plain = run_first(rc + ".tran 1u 10u\n");
  const std::vector<double> time = column(plain, 0);
  ASSERT_EQ(time.size(), 11u);
  EXPECT_EQ(time.front(), 0);
  EXPECT_NEAR(time.back(), 10e-6, 1e-18);
  const TraceTable late = run_first(rc + ".tran 1u 10u 4u 1n uic\n");
  EXPECT_NEAR(column(late, 0).front(), 4e-6, 1e-18);
  // uic: v(b) = exp(-t / RC) from 1 V (RC = 1 ms); the .ic without uic holds v(b) = 1 in
  // the operating point too, so both start near 1; tmax = 1n makes the uic run fine.
  EXPECT_NEAR(late.rows()[0][2], std::exp(-4e-6 / 1e-3), 1e-5);
  EXPECT_ERROR("t\n.tran -1n 1u\n", "t.cir:2:7", "tstep must be >= 0");
  EXPECT_ERROR("t\n.tran 1n 1u 2u\n", "t.cir:2:10", "tstop (1e-06) must be greater than tstart (2e-06)");
  EXPECT_ERROR("t\n.tran\n", "t.cir:2:1", "'.tran' needs tstep and tstop");
  EXPECT_ERROR("t\n.tran 1n 1u -1n\n", "t.cir:2:13", "tstart must be >= 0");
  EXPECT_ERROR("t\n.tran 1n 1u 0 1n 5\n", "t.cir:2:18", "unexpected '5' on '.tran'");
}

TEST(Analyses, TranWithoutOutputStepWritesEveryStep) {
  // LTspice's `.tran tstop` and `.tran 0 tstop ...`: a row at each step the integrator
  // takes, from 0 to tstop, each on the RC's exact decay exp(-t/RC) from v(b) = 1 (uic).
  const std::string rc = "t\nv1 a 0 0\nr1 a b 1k\nc1 b 0 1u\n.ic v(b)=1\n";
  for (const std::string card : {".tran 5m uic\n", ".tran 0 5m 0 uic\n"}) {
    const TraceTable t = run_first(rc + card);
    ASSERT_GT(t.rows().size(), 20u) << card;
    EXPECT_EQ(t.rows().front()[0], 0) << card;
    EXPECT_NEAR(t.rows().back()[0], 5e-3, 1e-15) << card;
    for (std::size_t r = 1; r < t.rows().size(); ++r) {
      EXPECT_GT(t.rows()[r][0], t.rows()[r - 1][0]) << card;
      EXPECT_NEAR(t.rows()[r][2], std::exp(-t.rows()[r][0] / 1e-3), 1e-3) << card << " t = " << t.rows()[r][0];
    }
  }
}

std::vector<double> swept(const std::string& circuit, const std::string& dc) {
  return column(run_first(circuit + dc), 0);
}

TEST(Analyses, DcLinear) {
  const std::string c = "t\nv1 a 0 1\nr1 a 0 1k\n";
  const auto s = swept(c, ".dc v1 0 1 0.1\n");
  ASSERT_EQ(s.size(), 11u);
  EXPECT_DOUBLE_EQ(s[3], 0.3);
  EXPECT_EQ(s.back(), 1.0);
  EXPECT_EQ(swept(c, ".dc v1 1 -1 0.5\n"), (std::vector<double>{1, 0.5, 0, -0.5, -1}));  // sign from start -> stop
  EXPECT_EQ(swept(c, ".dc lin v1 0 1 0.3\n").size(), 4u);  // stop not on the grid: not included
}

TEST(Analyses, DcNestedListDecOctParamTempAndInstance) {
  const TraceTable nested = run_first("t\nv1 a 0 1\ni2 a 0 1\nr1 a 0 1k\n.dc v1 0 2 1 i2 list 1m 2m 5m\n");
  EXPECT_EQ(nested.columns().at(0), "v1");
  EXPECT_EQ(nested.columns().at(1), "i2");
  ASSERT_EQ(nested.rows().size(), 9u);
  EXPECT_EQ(column(nested, 0), (std::vector<double>{0, 1, 2, 0, 1, 2, 0, 1, 2}));
  EXPECT_DOUBLE_EQ(column(nested, 1).back(), 5e-3);

  const std::string c = "t\nv1 a 0 1\nr1 a 0 1k\n";
  const auto dec = swept(c, ".dc dec v1 1 100 2\n");
  ASSERT_EQ(dec.size(), 5u);
  EXPECT_DOUBLE_EQ(dec[1], std::sqrt(10.0));
  EXPECT_EQ(dec[4], 100);
  EXPECT_EQ(swept(c, ".dc oct v1 1 8 1\n"), (std::vector<double>{1, 2, 4, 8}));

  // A .param, by name or after `param`: the circuit follows it (i(v1) = -1 V / rl).
  const std::string p = "t\n.param rl=1k\nv1 a 0 1\nr1 a 0 {rl}\n";
  for (const char* card : {".dc param rl 1k 3k 1k\n", ".dc rl 1k 3k 1k\n"}) {
    const TraceTable t = run_first(p + card);
    EXPECT_EQ(column(t, 0), (std::vector<double>{1e3, 2e3, 3e3})) << card;
    EXPECT_DOUBLE_EQ(t.rows()[2][2], -1.0 / 3e3) << card;
  }
  EXPECT_EQ(swept("t\nr1 a 0 1\nv1 a 0 1\n", ".dc temp -40 80 40\n"), (std::vector<double>{-40, 0, 40, 80}));
  // Any knob .step takes: an instance parameter, here the resistor's value.
  const TraceTable r = run_first("t\nv1 a 0 1\nr1 a 0 1k\n.dc @r1[r] list 1k 4k\n");
  EXPECT_EQ(r.columns().at(0), "@r1[r]");
  EXPECT_DOUBLE_EQ(r.rows()[1][2], -1.0 / 4e3);
}

TEST(Analyses, DcErrors) {
  EXPECT_ERROR("t\nv1 a 0 1\n.dc v1 0 1 0\n", "t.cir:3:12", "the step must not be zero");
  EXPECT_ERROR("t\nv1 a 0 1\n.dc v1 0 1 1e-9\n", "t.cir:3:12", "the sweep would have");
  EXPECT_ERROR("t\nv1 a 0 1\n.dc vx 0 1 0.1\n", "t.cir:3:5", "unknown source 'vx' in '.dc' (did you mean 'v1'?)");
  EXPECT_ERROR("t\nv1 a 0 1\n.dc foo 0 1 0.1\n", "t.cir:3:5", "'foo' is neither a source");
  EXPECT_ERROR("t\nv1 a 0 1\n.dc v1 0 1\n", "t.cir:3:5", "'.dc v1' needs start, stop and step");
  EXPECT_ERROR("t\nv1 a 0 1\n.dc dec v1 0 10 5\n", "t.cir:3:12", "same sign");
  EXPECT_ERROR("t\nv1 a 0 1\n.dc param v1 0 1 1\n", "t.cir:3:11", "'v1' is not a top-level .param");
  EXPECT_ERROR("t\nv1 a 0 1\n.dc @r9[r] 0 1 1\n", "t.cir:3:5", "no element 'r9' to sweep");
  EXPECT_ERROR("t\nv1 a 0 1\n.dc\n", "t.cir:3:1", "'.dc' needs a source or parameter to sweep");
}

TEST(Analyses, VoltageSourceSeriesResistance) {
  // LTspice's Rser= on V: 2 V behind 1 kOhm into 1 kOhm gives half, 1 mA out of n+.
  const TraceTable t = run_first("t\nv1 a 0 dc 2 Rser=1k\nr1 a 0 1k\n.op\n");
  EXPECT_EQ(t.columns(), (std::vector<std::string>{"v(a)", "i(v1)"}));
  EXPECT_NEAR(t.rows()[0][0], 1.0, 1e-12);
  EXPECT_NEAR(t.rows()[0][1], -1e-3, 1e-15);
  // (tests/bad/vsource_rser_negative.cir, isource_rser.cir: the errors)
}

}  // namespace
}  // namespace ns
