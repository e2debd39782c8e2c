// Controlled sources (E F G H) at the operating point, and a DC sweep up then down.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// Hand solution of tests/sim/decks/controlled_op.cir (V1 = 2 V); every value is linear in V1.
const std::map<std::string, double>& hand_solution() {
  static const std::map<std::string, double> values{
      {"v(1)", 2.0},  {"v(2)", 1.0},           {"v(3)", 3.0},         {"v(4)", 2.0},  {"v(5)", 0.0},
      {"v(7)", 6.0},  {"v(8)", 1.5},           {"i(vsense)", 3e-3},   {"i(v1)", -1e-3}};
  return values;
}

TEST(AnalyticControlled, OperatingPointMatchesHandSolution) {
  const auto run = run_neurospice(deck_file("controlled_op.cir"));
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  ASSERT_EQ(t.rows(), 1u);
  for (const auto& [probe, value] : hand_solution())
    EXPECT_NEAR(t.col(probe)[0], value, 1e-9 * std::abs(value) + 1e-15) << probe;
}

// .print chooses the columns, in its order, including a differential voltage.
TEST(AnalyticControlled, PrintSelectsColumns) {
  std::string deck = deck_file("controlled_op.cir");
  const auto op = deck.find(".op");
  ASSERT_NE(op, std::string::npos);
  deck.insert(op, ".print op v(3,2) i(vsense) v(7)\n");
  const auto run = run_neurospice(deck);
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  ASSERT_EQ(t.names, (std::vector<std::string>{"v(3,2)", "i(vsense)", "v(7)"}));
  EXPECT_NEAR(t.col("v(3,2)")[0], 2.0, 1e-12);
  EXPECT_NEAR(t.col("i(vsense)")[0], 3e-3, 1e-15);
  EXPECT_NEAR(t.col("v(7)")[0], 6.0, 1e-12);
}

// Each sweep point starts from the previous solution; a linear circuit must not care.
TEST(AnalyticControlled, SweepUpThenDownGivesEqualValuesAtEqualInputs) {
  std::string deck = deck_file("controlled_op.cir");
  const auto op = deck.find(".op");
  ASSERT_NE(op, std::string::npos);
  deck.replace(op, 3, ".dc v1 list 0 0.5 1 1.5 2 1.5 1 0.5 0");
  const auto run = run_neurospice(deck);
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  ASSERT_EQ(t.names.at(0), "v1");
  ASSERT_EQ(t.rows(), 9u);
  const auto& v1 = t.col("v1");
  for (std::size_t k = 0; k < 9; ++k) {
    const std::size_t mirror = 8 - k;
    EXPECT_DOUBLE_EQ(v1[k], v1[mirror]);
    for (const auto& [probe, value_at_2v] : hand_solution()) {
      const auto& c = t.col(probe);
      EXPECT_NEAR(c[k], c[mirror], 1e-12 * std::abs(value_at_2v) + 1e-15) << probe << " row " << k;
      const double exact = value_at_2v * v1[k] / 2.0;
      EXPECT_NEAR(c[k], exact, 1e-9 * std::abs(exact) + 1e-15) << probe << " at v1=" << v1[k];
    }
  }
}

}  // namespace
}  // namespace ns::test
