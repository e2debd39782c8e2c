// A deck with no analysis card, or a file of subcircuits alone, is read, checked and
// simulated not at all: a warning and exit 0, as ngspice 39 -b does (it prints nothing,
// writes no raw file and exits 0; measured on the same decks).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "sim/support.hpp"

namespace ns::test {
namespace {

TEST(DeckWithoutAnalysis, CircuitAloneWarnsAndExitsZero) {
  const auto run = run_neurospice("a divider to include elsewhere\nv1 a 0 1\nr1 a b 1k\nr2 b 0 1k\n.end\n");
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("deck.cir:1:1: warning: no analysis in the deck (.op, .dc, .tran, .ac, .tf...): nothing is "
                         "simulated"),
            std::string::npos)
      << run.err;
  EXPECT_TRUE(run.tables.empty());
  EXPECT_TRUE(run.out.empty()) << run.out;
}

TEST(DeckWithoutAnalysis, SubcircuitsAloneWarnAndExitZero) {
  const auto run = run_neurospice("a library\n.subckt div a b\nr1 a b 1k\nr2 b 0 1k\n.ends\n.end\n");
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("no analysis in the deck (.op, .dc, .tran, .ac, .tf...) and no elements: nothing is simulated"),
            std::string::npos)
      << run.err;
}

// The circuit is still checked: its own errors first (tests/bad/no_analysis_other_error.cir
// has the located one).
TEST(DeckWithoutAnalysis, CircuitErrorsStillStop) {
  const auto run = run_neurospice("bad model\nv1 a 0 1\nd1 a 0 dx\n.end\n");
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("dx"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace ns::test
