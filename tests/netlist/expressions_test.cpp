#include <cmath>
#include <numbers>

#include "helpers.hpp"
#include "expr/expression.hpp"

namespace ns {
namespace {

using test::parse;

double eval(const std::string& text) {
  return Expression(text).evaluate([](const std::string& name, std::size_t) -> double {
    if (name == "a") return 2;
    if (name == "b") return 3;
    throw std::runtime_error("unknown " + name);
  });
}

TEST(Numbers, PlainAndExponent) {
  EXPECT_EQ(parse_number("1"), 1.0);
  EXPECT_EQ(parse_number("1.5"), 1.5);
  EXPECT_EQ(parse_number(".5"), 0.5);
  EXPECT_EQ(parse_number("1e-3"), 1e-3);
  EXPECT_EQ(parse_number("2.5E+2"), 250.0);
  EXPECT_EQ(parse_number("-4"), -4.0);
  EXPECT_EQ(parse_number("+.25"), 0.25);
}

TEST(Numbers, EngineeringSuffixes) {
  EXPECT_DOUBLE_EQ(*parse_number("1f"), 1e-15);
  EXPECT_DOUBLE_EQ(*parse_number("1p"), 1e-12);
  EXPECT_DOUBLE_EQ(*parse_number("1n"), 1e-9);
  EXPECT_DOUBLE_EQ(*parse_number("1u"), 1e-6);
  EXPECT_DOUBLE_EQ(*parse_number("1m"), 1e-3);
  EXPECT_DOUBLE_EQ(*parse_number("1k"), 1e3);
  EXPECT_DOUBLE_EQ(*parse_number("1meg"), 1e6);
  EXPECT_DOUBLE_EQ(*parse_number("1MEG"), 1e6);
  EXPECT_DOUBLE_EQ(*parse_number("1g"), 1e9);
  EXPECT_DOUBLE_EQ(*parse_number("1t"), 1e12);
  EXPECT_DOUBLE_EQ(*parse_number("2mil"), 2 * 25.4e-6);
  EXPECT_DOUBLE_EQ(*parse_number("1M"), 1e-3);  // M is milli, as in SPICE
}

// LTspice writes micro as a mu (UTF-8 U+00B5 or U+03BC, or the Latin-1 byte), also inside
// an expression: `.param ioff=115µ` was a syntax error at the mu.
TEST(Numbers, MicroAsAMuInsideExpressions) {
  EXPECT_DOUBLE_EQ(*parse_number("115\xC2\xB5"), 115e-6);
  EXPECT_DOUBLE_EQ(eval("115\xC2\xB5"), 115e-6);
  EXPECT_DOUBLE_EQ(eval("2*10\xCE\xBC + a"), 2 * 10e-6 + 2);
  EXPECT_DOUBLE_EQ(eval("3\xB5" "F*b"), 3e-6 * 3);
  EXPECT_DOUBLE_EQ(eval("-8.9\xC2\xB5"), -8.9e-6);
}

TEST(Numbers, TrailingUnitsIgnored) {
  EXPECT_DOUBLE_EQ(*parse_number("10pF"), 10e-12);
  EXPECT_DOUBLE_EQ(*parse_number("1kOhm"), 1e3);
  EXPECT_DOUBLE_EQ(*parse_number("5V"), 5.0);
  EXPECT_DOUBLE_EQ(*parse_number("2.2uF"), 2.2e-6);
  EXPECT_DOUBLE_EQ(*parse_number("3.3e3Hz"), 3.3e3);
  EXPECT_DOUBLE_EQ(*parse_number("1e"), 1.0);  // 'e' without digits is a unit letter
}

// ngspice-39 reads no RKM notation: what follows the scale letter is ignored, digits too
// (checked: `R1 a 0 4k7` draws 1 V / 4 kOhm, `2m5` 1 V / 2 mOhm, `1R5` 1 V / 1 Ohm).
TEST(Numbers, RkmDigitsIgnoredAsNgspice) {
  EXPECT_DOUBLE_EQ(*parse_number("4k7"), 4e3);
  EXPECT_DOUBLE_EQ(*parse_number("2m5"), 2e-3);
  EXPECT_DOUBLE_EQ(*parse_number("1R5"), 1.0);
  EXPECT_DOUBLE_EQ(*parse_number("1k2"), 1e3);
  EXPECT_FALSE(parse_number("1.5k.3"));
}

TEST(Numbers, NotNumbers) {
  EXPECT_FALSE(parse_number("abc"));
  EXPECT_FALSE(parse_number("1.5.3"));
  EXPECT_FALSE(parse_number(""));
  EXPECT_FALSE(parse_number("."));
  EXPECT_TRUE(looks_numeric("1..5"));
  EXPECT_TRUE(looks_numeric("-.5x"));
  EXPECT_FALSE(looks_numeric("r1"));
}

TEST(Expressions, Precedence) {
  EXPECT_DOUBLE_EQ(eval("1+2*3"), 7);
  EXPECT_DOUBLE_EQ(eval("(1+2)*3"), 9);
  EXPECT_DOUBLE_EQ(eval("2^3^2"), 512);      // right associative
  EXPECT_DOUBLE_EQ(eval("2**3"), 8);
  EXPECT_DOUBLE_EQ(eval("-2^2"), -4);        // power binds tighter than unary minus
  EXPECT_DOUBLE_EQ(eval("2^-1"), 0.5);
  EXPECT_DOUBLE_EQ(eval("8/4/2"), 1);        // left associative
  EXPECT_DOUBLE_EQ(eval("10-4-3"), 3);
  EXPECT_DOUBLE_EQ(eval("2*3**2"), 18);
  EXPECT_DOUBLE_EQ(eval("1+2 < 4"), 1);
  EXPECT_DOUBLE_EQ(eval("1 < 2 == 1"), 1);
  EXPECT_DOUBLE_EQ(eval("1 || 0 && 0"), 1);  // && binds tighter than ||
  EXPECT_DOUBLE_EQ(eval("!0 + 1"), 2);
  EXPECT_DOUBLE_EQ(eval("a*b - -1"), 7);
  EXPECT_DOUBLE_EQ(eval("2k * 3m"), 6);      // suffixes inside expressions
}

TEST(Expressions, ComparisonsAndTernary) {
  EXPECT_DOUBLE_EQ(eval("a == 2"), 1);
  EXPECT_DOUBLE_EQ(eval("a != 2"), 0);
  EXPECT_DOUBLE_EQ(eval("a <= 2"), 1);
  EXPECT_DOUBLE_EQ(eval("a >= 3"), 0);
  EXPECT_DOUBLE_EQ(eval("a > b ? 10 : 20"), 20);
  EXPECT_DOUBLE_EQ(eval("a < b ? a > 1 ? 5 : 6 : 7"), 5);
  // The branch not taken is not evaluated: no division by zero here.
  EXPECT_DOUBLE_EQ(eval("a > 0 ? 1 : 1/0"), 1);
}

TEST(Expressions, Functions) {
  EXPECT_DOUBLE_EQ(eval("exp(1)"), std::exp(1.0));
  EXPECT_DOUBLE_EQ(eval("log(10)"), std::log(10.0));  // natural log, as in ngspice
  EXPECT_DOUBLE_EQ(eval("ln(10)"), std::log(10.0));
  EXPECT_DOUBLE_EQ(eval("log10(1000)"), 3);
  EXPECT_DOUBLE_EQ(eval("sqrt(16)"), 4);
  EXPECT_DOUBLE_EQ(eval("pow(2, 10)"), 1024);
  EXPECT_DOUBLE_EQ(eval("abs(-3)"), 3);
  EXPECT_DOUBLE_EQ(eval("min(a, b)"), 2);
  EXPECT_DOUBLE_EQ(eval("max(a, b)"), 3);
  EXPECT_DOUBLE_EQ(eval("sin(pi/2)"), 1);
  EXPECT_DOUBLE_EQ(eval("cos(0)"), 1);
  EXPECT_DOUBLE_EQ(eval("tan(pi/4)"), std::tan(std::numbers::pi / 4));
  EXPECT_DOUBLE_EQ(eval("atan(1)"), std::numbers::pi / 4);
  EXPECT_DOUBLE_EQ(eval("atan2(1, -1)"), 3 * std::numbers::pi / 4);
  EXPECT_DOUBLE_EQ(eval("tanh(0.5)"), std::tanh(0.5));
  EXPECT_DOUBLE_EQ(eval("sinh(0.5)"), std::sinh(0.5));
  EXPECT_DOUBLE_EQ(eval("cosh(0.5)"), std::cosh(0.5));
  EXPECT_DOUBLE_EQ(eval("floor(-1.5)"), -2);
  EXPECT_DOUBLE_EQ(eval("ceil(1.2)"), 2);
  EXPECT_DOUBLE_EQ(eval("sgn(-7)"), -1);
  EXPECT_DOUBLE_EQ(eval("sgn(0)"), 0);
  EXPECT_DOUBLE_EQ(eval("int(-2.7)"), -2);
  EXPECT_DOUBLE_EQ(eval("max(min(a,b), 1) * 2"), 4);
}

std::size_t error_offset(const std::string& text) {
  try {
    eval(text);
  } catch (const ExpressionError& e) {
    return e.offset;
  }
  return std::string::npos;
}

TEST(Expressions, ErrorOffsets) {
  EXPECT_EQ(error_offset("1 + 2/(a-2)"), 5u);   // at the '/'
  EXPECT_EQ(error_offset("3*log(a-2)"), 2u);    // at the function name
  EXPECT_EQ(error_offset("sqrt(-1)"), 0u);
  EXPECT_EQ(error_offset("1 + (2"), 6u);        // where ')' was expected
  EXPECT_EQ(error_offset("1 + * 2"), 4u);
  EXPECT_EQ(error_offset("2 3"), 2u);
  EXPECT_EQ(error_offset("foo(1)"), 0u);        // unknown function
  EXPECT_EQ(error_offset("a + pow(1)"), 4u);    // wrong argument count
  EXPECT_EQ(error_offset("exp(1000)"), 0u);     // not finite
}

TEST(Params, ValuesAndLazyOrder) {
  const Netlist n = parse(
      "t\n"
      ".param c='a+b' a=1 b={a*2}\n"
      ".param d = a * 10 + 1  e=max(a, b)\n"
      "r1 1 0 {c}\n"
      "r2 1 0 'd'\n"
      "r3 1 0 e\n"
      "r4 1 0 {f}\n"
      ".param f=c*c\n");
  EXPECT_DOUBLE_EQ(test::element(n, "r1").values.at(0).value, 3);
  EXPECT_DOUBLE_EQ(test::element(n, "r2").values.at(0).value, 11);
  EXPECT_DOUBLE_EQ(test::element(n, "r3").values.at(0).value, 2);
  EXPECT_DOUBLE_EQ(test::element(n, "r4").values.at(0).value, 9);  // used before its line
}

// ngspice 39: .param a=1 b={a*2} then .param a=5 gives b = 10, the second a everywhere.
TEST(Params, ALaterDefinitionReplacesAnEarlierOne) {
  const Netlist n = parse("t\n.param a=1 b={a*2}\nr1 1 0 {b}\n.param a=5\n");
  EXPECT_DOUBLE_EQ(test::element(n, "r1").values.at(0).value, 10);
  ASSERT_EQ(n.warnings.size(), 1u);
  EXPECT_NE(n.warnings[0].find("t.cir:4:8: warning: parameter 'a' defined again"), std::string::npos) << n.warnings[0];
  EXPECT_NE(n.warnings[0].find("t.cir:2:8"), std::string::npos) << n.warnings[0];
}

TEST(Params, OverridesReplaceTopLevelValues) {
  const std::string deck = "t\n.param a=1 b={2*a}\nr1 1 0 {b}\n";
  EXPECT_DOUBLE_EQ(test::element(parse(deck, {{"a", 5}}), "r1").values.at(0).value, 10);
  EXPECT_DOUBLE_EQ(test::element(parse(deck, {{"b", 7}}), "r1").values.at(0).value, 7);
  const std::string error = test::error_of(deck, {{"c", 1}});
  EXPECT_NE(error.find("'c'"), std::string::npos) << error;
}

TEST(Params, ErrorsLocatedInsideTheExpression) {
  EXPECT_ERROR("t\n.param a=1 b={a/0}\n", "t.cir:2:16", "division by zero");
  EXPECT_ERROR("t\nr1 1 0 {2*log(0)}\n", "t.cir:2:11", "log of non-positive value 0");
  EXPECT_ERROR("t\nr1 1 0 'sqrt(-4)'\n", "t.cir:2:9", "sqrt of negative value -4");
  EXPECT_ERROR("t\n.param alpha=1\nr1 1 0 {1 + alpah}\n", "t.cir:3:13",
               "undefined parameter 'alpah' (did you mean 'alpha'?)");
  EXPECT_ERROR("t\n.param a={b+1}\n.param b={2*a}\n", "t.cir:3:13",
               "parameter 'a' is defined in terms of itself (a -> b -> a)");
  EXPECT_ERROR("t\n.param a={a}\n", "t.cir:2:11", "parameter 'a' is defined in terms of itself");
  EXPECT_ERROR("t\nr1 1 0 {(1+2}\n", "t.cir:2:13", "expected ')'");
  EXPECT_ERROR("t\n.param big=exp(1000)\n", "t.cir:2:12", "not finite");
  EXPECT_ERROR("t\n.subckt s p params: w=1\n.param w=2\nr1 p 0 {w}\n.ends\n", "t.cir:3:8",
               "parameter 'w' is already defined at t.cir:2:21");
  EXPECT_ERROR("t\nr1 1 0 1..5k\n", "t.cir:2:8", "invalid number '1..5k'");
}

TEST(Params, ErrorOnAContinuationLine) {
  EXPECT_ERROR("t\nr1 1 0\n+  {1 +\n+ 2/0}\n", "t.cir:4:4", "division by zero");
}

}  // namespace
}  // namespace ns
