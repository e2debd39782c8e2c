// Hostile input gives a located error, not a stack overflow; input just inside the
// limits still works (and, in the asan build, fits the stack).
#include <string>

#include "helpers.hpp"
#include "expr/expression.hpp"

namespace ns::test {
namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int k = 0; k < n; ++k) out += s;
  return out;
}

TEST(Limits, HundredThousandParenthesesAreALocatedError) {
  const std::string deck = "t\n.param a={" + repeat("(", 100000) + "1" + repeat(")", 100000) + "}\n";
  // The 201st '(' (column 11 + 200) is one level too deep.
  EXPECT_ERROR(deck, "t.cir:2:211", "expression nested more than 200 deep");
}

TEST(Limits, ExpressionsAtTheLimitsEvaluate) {
  const std::string nested = repeat("(", max_expression_nesting - 1) + "2" +
                             repeat(")", max_expression_nesting - 1);
  // A chain of 1000 terms is a tree 999 operators (levels above the leaves) deep.
  const std::string chain = "1" + repeat("+1", max_expression_depth - 1);
  const Netlist n = parse("t\n.param a={" + nested + "} b={" + chain + "}\nr1 x 0 {a*b}\n");
  EXPECT_DOUBLE_EQ(element(n, "r1").values.at(0).value, 2.0 * max_expression_depth);
}

TEST(Limits, LongChainsOfParametersAreALocatedError) {
  // p0 = p1+1, p1 = p2+1, ...: each level costs 3 (an expression 2 deep, plus one), so
  // p666 passes 2000, at its use in p665's definition (line 667, column 14).
  std::string deck = "t\n";
  for (int k = 0; k < 1000; ++k) deck += ".param p" + std::to_string(k) + "={p" + std::to_string(k + 1) + "+1}\n";
  deck += ".param p1000=0\nr1 x 0 {p0+1}\n";
  EXPECT_ERROR(deck, "t.cir:667:14", "parameter 'p666' is nested too deeply");
}

TEST(Limits, ChainsOfParametersInsideTheLimitEvaluate) {
  std::string deck = "t\n";
  for (int k = 0; k < 600; ++k) deck += ".param p" + std::to_string(k) + "={p" + std::to_string(k + 1) + "+1}\n";
  deck += ".param p600=1\nr1 x 0 {p0}\n";
  EXPECT_DOUBLE_EQ(element(parse(deck), "r1").values.at(0).value, 601.0);
}

}  // namespace
}  // namespace ns::test
