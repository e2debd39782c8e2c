// The compiled program: values equal to the parameter evaluator's, and every derivative
// against central finite differences, for every built-in function and operator; at the
// kinks of u, abs, limit... the derivative is one of the two one-sided differences (at a
// jump, the slope of one side).
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "expr/program.hpp"

namespace ns {
namespace {

double no_param(const std::string& name, const Expression&, std::size_t) {
  throw std::runtime_error("unexpected parameter " + name);
}

// The inputs of `p` by name ("a" for v(a), "i:x" for i(x), "time").
std::vector<double> inputs_of(const Program& p, const std::map<std::string, double>& at) {
  std::vector<double> x;
  for (const ProgramInput& in : p.inputs()) {
    const std::string key = in.kind == ProgramInput::Kind::Time      ? "time"
                            : in.kind == ProgramInput::Kind::Current ? "i:" + in.name
                                                                     : in.name;
    x.push_back(at.at(key));
  }
  return x;
}

double run(const Program& p, std::vector<double> x) {
  auto w = p.workspace();
  return p.run(x, w);
}

// Central differences, each input stepped by h (relative).
void expect_gradient(const std::string& text, const std::vector<double>& x, double tol = 1e-7) {
  SCOPED_TRACE(text);
  const Expression e(text);
  const Program p(e, no_param);
  ASSERT_EQ(p.inputs().size(), x.size());
  auto w = p.workspace();
  p.run(x, w);
  const std::vector<double> g(w.gradient().begin(), w.gradient().end());
  for (std::size_t k = 0; k < x.size(); ++k) {
    const double h = 1e-6 * std::max(1.0, std::abs(x[k]));
    std::vector<double> up = x, down = x;
    up[k] += h;
    down[k] -= h;
    const double fd = (run(p, up) - run(p, down)) / (2 * h);
    EXPECT_NEAR(g[k], fd, tol * std::max(1.0, std::abs(fd))) << "input " << k << " at " << x[k];
  }
}

struct Case {
  std::string text;   // over v(a), v(b), v(c)
  double lo, hi;      // where v(a) is drawn (b and c within [lo, hi] too, unless noted)
};

// Smooth away from the points the range avoids.
const Case smooth[] = {
    {"-v(a)", -3, 3},          {"v(a)+v(b)", -3, 3},        {"v(a)-v(b)", -3, 3},
    {"v(a)*v(b)", -3, 3},      {"v(a)/v(b)", 0.5, 3},       {"v(a)**v(b)", 0.5, 3},
    {"v(a)^v(b)", 0.5, 2},     {"pow(v(a),v(b))", 0.5, 2},  {"exp(v(a))", -3, 3},
    {"log(v(a))", 0.5, 3},     {"ln(v(a))", 0.5, 3},        {"log10(v(a))", 0.5, 3},
    {"sqrt(v(a))", 0.5, 3},    {"sin(v(a))", -3, 3},        {"cos(v(a))", -3, 3},
    {"tan(v(a))", -1, 1},      {"asin(v(a))", -0.9, 0.9},   {"acos(v(a))", -0.9, 0.9},
    {"atan(v(a))", -3, 3},     {"atan2(v(a),v(b))", 0.5, 3}, {"sinh(v(a))", -3, 3},
    {"cosh(v(a))", -3, 3},     {"tanh(v(a))", -3, 3},       {"asinh(v(a))", -3, 3},
    {"acosh(v(a))", 1.2, 3},   {"atanh(v(a))", -0.9, 0.9},  {"hypot(v(a),v(b))", 0.5, 3},
    {"fmod(v(a),v(b))", 0.3, 3}, {"pwr(v(a),v(b))", 0.5, 3}, {"pwr(-v(a),v(b))", 0.5, 3},
    {"pwrs(v(a),v(b))", 0.5, 3}, {"pwrs(-v(a),v(b))", 0.5, 3}, {"abs(v(a))", 0.5, 3},
    {"abs(-v(a))", 0.5, 3},    {"min(v(a),v(b))", -3, 3},   {"max(v(a),v(b))", -3, 3},
    {"u2(v(a))", 0.1, 0.9},    {"uramp(v(a))", 0.1, 3},     {"limit(v(a),v(b),v(c))", -3, 3},
    {"if(v(a)>v(b), v(a)*v(c), v(b)^2)", -3, 3},            {"v(a)<v(b) ? sin(v(c)) : v(a)*v(b)", -3, 3},
    {"v(a,b)*v(c)", -3, 3},
};

TEST(Program, EveryFunctionAgainstFiniteDifferences) {
  std::mt19937 rng(11);
  for (const Case& c : smooth) {
    std::uniform_real_distribution<double> draw(c.lo, c.hi);
    const Expression e(c.text);
    for (int k = 0; k < 20; ++k) {
      std::vector<double> x(Program(e, no_param).inputs().size());
      for (double& v : x) v = draw(rng);
      // Near a tie or a fmod jump a finite difference straddles the kink: skip those points.
      if (c.text.starts_with("fmod") && std::abs(std::remainder(x[0] / x[1], 1.0)) < 1e-3) continue;
      expect_gradient(c.text, x, 1e-6);
    }
  }
}

TEST(Program, ValuesEqualTheParameterEvaluator) {
  // The same function table serves both: with the inputs replaced by numbers, the
  // parameter evaluator gives the same double.
  std::mt19937 rng(5);
  for (const Case& c : smooth) {
    std::uniform_real_distribution<double> draw(c.lo, c.hi);
    const double a = draw(rng), b = draw(rng), cc = draw(rng);
    std::string numeric = c.text;
    for (auto [probe, value] : {std::pair{"v(a,b)", a - b}, {"v(a)", a}, {"v(b)", b}, {"v(c)", cc}})
      for (std::size_t at; (at = numeric.find(probe)) != std::string::npos;)
        numeric.replace(at, std::string(probe).size(), fmt::format("({:.17g})", value));
    const Expression e(c.text), n(numeric);
    const Program p(e, no_param);
    std::map<std::string, double> at{{"a", a}, {"b", b}, {"c", cc}};
    EXPECT_EQ(run(p, inputs_of(p, at)), n.evaluate([](const std::string&, std::size_t) -> double { return 0; }))
        << c.text << " = " << numeric;
  }
}

// At a kink the derivative is that of the branch taken: equal to one of the one-sided
// differences. At a jump (u, sgn, buf, an if) it is the slope of the side taken.
TEST(Program, KinksAndJumps) {
  struct Kink {
    std::string text;
    double at;
  };
  const Kink kinks[] = {
      {"abs(v(a))", 0},   {"uramp(v(a))", 0}, {"u2(v(a))", 0},  {"u2(v(a))", 1},
      {"limit(v(a),-1,2)", -1}, {"limit(v(a),-1,2)", 2}, {"min(v(a),1)", 1}, {"max(v(a),1)", 1},
      {"u(v(a))", 0},     {"sgn(v(a))", 0},   {"buf(v(a))", 0.5}, {"inv(v(a))", 0.5},
      {"floor(v(a))", 2}, {"ceil(v(a))", 2},  {"int(v(a))", 2},   {"nint(v(a))", 2.5},
      {"v(a) > 1 ? v(a) : 2 - v(a)", 1},      {"if(v(a) >= 1, 3*v(a), v(a))", 1},
  };
  for (const Kink& k : kinks) {
    SCOPED_TRACE(k.text);
    const Expression e(k.text);
    const Program p(e, no_param);
    auto w = p.workspace();
    const double v = p.run(std::vector<double>{k.at}, w);
    const double g = w.gradient()[0];
    const double h = 1e-7;
    const double right = (run(p, {k.at + h}) - v) / h, left = (v - run(p, {k.at - h})) / h;
    const bool jump = std::abs(right) > 1e3 || std::abs(left) > 1e3;
    if (jump) {  // the slope of the branch taken, measured on either side off the jump
      const double right2 = (run(p, {k.at + 2 * h}) - run(p, {k.at + h})) / h;
      const double left2 = (run(p, {k.at - h}) - run(p, {k.at - 2 * h})) / h;
      EXPECT_TRUE(std::abs(g - right2) < 1e-6 || std::abs(g - left2) < 1e-6)
          << "derivative " << g << ", slopes beside the jump " << left2 << " and " << right2;
    } else {
      EXPECT_TRUE(std::abs(g - right) < 1e-6 || std::abs(g - left) < 1e-6)
          << "derivative " << g << ", one-sided " << left << " and " << right;
    }
  }
}

TEST(Program, KnownValuesOfTheStepFunctions) {
  auto value = [](const std::string& text, double a) {
    const Expression e(text);
    return run(Program(e, no_param), {a});
  };
  EXPECT_EQ(value("u(v(a))", 0), 0.5);  // ngspice-39's B source, measured: the half step
  EXPECT_EQ(value("u(v(a))", -1e-300), 0);
  EXPECT_EQ(value("u(v(a))", 1e-300), 1);
  EXPECT_EQ(value("u2(v(a))", 0.25), 0.25);
  EXPECT_EQ(value("u2(v(a))", 7), 1);
  EXPECT_EQ(value("uramp(v(a))", -2), 0);
  EXPECT_EQ(value("uramp(v(a))", 2), 2);
  EXPECT_EQ(value("buf(v(a))", 0.5), 0);
  EXPECT_EQ(value("buf(v(a))", 0.6), 1);
  EXPECT_EQ(value("inv(v(a))", 0.5), 1);
  EXPECT_EQ(value("nint(v(a))", 2.5), 2);   // ties to even
  EXPECT_EQ(value("nint(v(a))", -1.6), -2);
  EXPECT_EQ(value("int(v(a))", -1.6), -1);
  EXPECT_EQ(value("pwr(v(a),2)", -3), -9);  // ngspice's pwr keeps the sign
  EXPECT_EQ(value("pwrs(v(a),2)", -3), -9);
  EXPECT_EQ(value("limit(v(a),1,2)", 5), 2);
  EXPECT_EQ(value("fmod(v(a),3)", 7), 1);
  // LTspice's spellings (ngspice's .param takes arctan too): the same functions.
  EXPECT_EQ(value("arctan(v(a))", 0.3), std::atan(0.3));
  EXPECT_EQ(value("arcsin(v(a))", 0.3), std::asin(0.3));
  EXPECT_EQ(value("arccos(v(a))", 0.3), std::acos(0.3));
}

TEST(Program, InputsConstantsAndFolding) {
  std::map<std::string, double> params{{"r", 2e3}, {"k", 3}};
  const Expression e("v(out) / r + k * i(vsense) * time + v(out, in) + 2 * r * k");
  const Program p(e, [&](const std::string& n, const Expression&, std::size_t) { return params.at(n); });
  ASSERT_EQ(p.inputs().size(), 4u);  // out, i(vsense), time, in; v(out) once
  EXPECT_EQ(p.inputs()[0].name, "out");
  EXPECT_EQ(p.inputs()[1].kind, ProgramInput::Kind::Current);
  EXPECT_EQ(p.inputs()[2].kind, ProgramInput::Kind::Time);
  EXPECT_EQ(p.inputs()[3].name, "in");
  EXPECT_EQ(p.inputs()[3].offset, e.text().find("v(out, in)"));
  auto w = p.workspace();
  const double v = p.run(std::vector<double>{1.5, 2e-3, 1e-6, 0.5}, w);
  EXPECT_DOUBLE_EQ(v, 1.5 / 2e3 + 3 * 2e-3 * 1e-6 + 1.0 + 12e3);
  EXPECT_DOUBLE_EQ(w.gradient()[0], 1 / 2e3 + 1);
  EXPECT_DOUBLE_EQ(w.gradient()[1], 3 * 1e-6);
  EXPECT_DOUBLE_EQ(w.gradient()[2], 3 * 2e-3);
  EXPECT_DOUBLE_EQ(w.gradient()[3], -1);
  // Without inputs, a program is its constant.
  const Expression c("2 * r + sqrt(k * 3)");
  const Program folded(c, [&](const std::string& n, const Expression&, std::size_t) { return params.at(n); });
  EXPECT_TRUE(folded.constant());
  EXPECT_EQ(run(folded, {}), 4e3 + 3);
}

// ngspice users write parameters in braces inside an unbraced B expression
// (`I = v(a,b) / ({r0} * exp(...))`): a grouping, worth the value inside.
TEST(Program, BracesInsideAnExpressionGroup) {
  std::map<std::string, double> params{{"r0", 190}, {"ea", 0.2}};
  const Expression e("v(a) / ({r0} * exp({ea}*2)) + {1 + 2}*3");
  const Program p(e, [&](const std::string& n, const Expression&, std::size_t) { return params.at(n); });
  EXPECT_DOUBLE_EQ(run(p, {1.5}), 1.5 / (190 * std::exp(0.4)) + 9);
}

TEST(Program, UserFunctionsAreInlined) {
  UserFunction square{"sq", {"x"}, nullptr};
  UserFunction hyp{"hyp", {"x", "y"}, nullptr};
  auto lookup = [&](std::string_view n) -> const UserFunction* {
    return n == "sq" ? &square : n == "hyp" ? &hyp : nullptr;
  };
  square.body = std::make_shared<const Expression>("x*x", lookup);
  hyp.body = std::make_shared<const Expression>("sqrt(sq(x) + sq(y))", lookup);
  const Expression e("hyp(v(a), 2*v(b)) + sq(3)", lookup);
  const Program p(e, no_param);
  auto w = p.workspace();
  EXPECT_DOUBLE_EQ(p.run(std::vector<double>{3, 2}, w), 5 + 9);
  EXPECT_DOUBLE_EQ(w.gradient()[0], 3.0 / 5);
  EXPECT_DOUBLE_EQ(w.gradient()[1], 2 * 4.0 / 5);
  // The parameter evaluator calls the same functions.
  EXPECT_EQ(Expression("hyp(3, 4) + sq(2)", lookup).evaluate([](const std::string&, std::size_t) -> double { return 0; }), 9);
  EXPECT_THROW(Expression("sq(1, 2)", lookup), ExpressionError);
}

TEST(Program, DomainErrorsGiveNonFiniteValuesAtRunTime) {
  const Expression e("1 / v(a) + log(v(b))");
  const Program p(e, no_param);
  EXPECT_TRUE(std::isinf(run(p, {0, 1})));
  EXPECT_TRUE(std::isnan(run(p, {1, -1})));
  // ...and constant parts fail when compiled, at their operator.
  try {
    const Expression c("v(a) + 1/(2-2)");
    const Program bad(c, no_param);
    ADD_FAILURE();
  } catch (const ExpressionError& err) {
    EXPECT_EQ(err.offset, 8u);
  }
  // An untaken branch's NaN does not reach the derivative.
  const Expression s("v(a) > 0 ? v(a) : sqrt(v(a))");
  const Program sel(s, no_param);
  auto w = sel.workspace();
  EXPECT_EQ(sel.run(std::vector<double>{4}, w), 4);
  EXPECT_EQ(w.gradient()[0], 1);
}

TEST(Program, ParameterEvaluatorRefusesRunTimeInputs) {
  auto none = [](const std::string&, std::size_t) -> double { return 0; };
  EXPECT_THROW(Expression("v(a)*2").evaluate(none), ExpressionError);
  EXPECT_THROW(Expression("i(v1)").evaluate(none), ExpressionError);
  EXPECT_THROW(Expression("time").evaluate(none), ExpressionError);
  EXPECT_THROW(Expression("v(a,b,c)"), ExpressionError);
  EXPECT_THROW(Expression("i(a,b)"), ExpressionError);
  EXPECT_NO_THROW(Expression("v(1) + v(n-1, x.y)"));  // numbers and odd node names
}

}  // namespace
}  // namespace ns

namespace ns {
namespace {

TEST(Program, TableAndPwlAgainstFiniteDifferencesAndAtTheirPoints) {
  // Between points: finite differences. At a point and at the ends: the slope is one of
  // the one-sided differences (the right segment's), beyond the ends table is flat and pwl
  // continues its end segment (ngspice 39's pwl, measured: pwl(x, 0,1, 1,3, 2,2) at x = -1
  // gives -1 and at 3 gives 1).
  // __table (an E/G TABLE card) rounds each corner over a tenth of the shorter segment
  // beside it: 0.95 and 1.02 are inside the rounding at 1, 3.85 inside the one at 4.
  for (const std::string text : {"table(v(a), 0,1, 1,3, 2,2, 4,-1)", "pwl(v(a), 0,1, 1,3, 2,2, 4,-1)",
                                  "pwl(2*v(a)+v(b), -1,0, 1,2)", "__table(v(a), 0,1, 1,3, 2,2, 4,-1)"}) {
    for (double a : {-1.3, 0.3, 0.95, 1.02, 1.7, 2.5, 3.85, 3.9, 5.2}) {
      std::vector<double> x{a};
      if (text.find("v(b)") != std::string::npos) x.push_back(0.1);
      expect_gradient(text, x, 1e-6);
    }
  }
  auto value = [](const std::string& text, double a, double* slope = nullptr) {
    const Expression e(text);
    const Program p(e, no_param);
    auto w = p.workspace();
    const double v = p.run(std::vector<double>{a}, w);
    if (slope) *slope = w.gradient()[0];
    return v;
  };
  const std::string table = "table(v(a), 0,1, 1,3, 2,2)", pwl = "pwl(v(a), 0,1, 1,3, 2,2)";
  EXPECT_EQ(value(table, -1), 1);
  EXPECT_EQ(value(table, 3), 2);
  EXPECT_EQ(value(pwl, -1), -1);
  EXPECT_EQ(value(pwl, 3), 1);
  EXPECT_EQ(value(pwl, 0.5), 2);
  for (const std::string& text : {table, pwl})
    for (double at : {0.0, 1.0, 2.0}) {
      SCOPED_TRACE(text + " at " + std::to_string(at));
      double g = 0;
      const double v = value(text, at, &g);
      const double h = 1e-7;
      const double right = (value(text, at + h) - v) / h, left = (v - value(text, at - h)) / h;
      EXPECT_TRUE(std::abs(g - right) < 1e-6 || std::abs(g - left) < 1e-6) << g << " " << left << " " << right;
    }
  // The rounded table is continuous in value and slope where each rounding begins and ends
  // (the corner at 1 has d = 0.1), and at the corner takes the parabola's value (ngspice
  // 39: TABLE (0,0) (1,1) (11,0) gives 0.9725 at 1).
  for (double edge : {0.9, 1.1}) {
    double inside = 0, outside = 0;
    const std::string t = "__table(v(a), 0,0, 1,1, 11,0)";
    const double vi = value(t, edge + (edge < 1 ? 1e-12 : -1e-12), &inside), vo = value(t, edge + (edge < 1 ? -1e-12 : 1e-12), &outside);
    EXPECT_NEAR(vi, vo, 1e-11);
    EXPECT_NEAR(inside, outside, 1e-9);
  }
  EXPECT_NEAR(value("__table(v(a), 0,0, 1,1, 11,0)", 1), 0.9725, 1e-15);
  // stp: 1 from 0 on (a jump, no slope).
  EXPECT_EQ(value("stp(v(a))", 0), 1);
  EXPECT_EQ(value("stp(v(a))", -1e-300), 0);
  // The parameter evaluator gives the same values.
  auto none = [](const std::string&, std::size_t) -> double { return 0; };
  EXPECT_EQ(Expression("pwl(3, 0,1, 1,3, 2,2)").evaluate(none), 1);
  EXPECT_EQ(Expression("table(0.25, 0,1, 1,3)").evaluate(none), 1.5);
}

TEST(Program, TablePointsAreCheckedWhereWritten) {
  auto offset_of = [](const std::string& text) -> std::size_t {
    try {
      const Expression e(text);
      const Program p(e, no_param);
    } catch (const ExpressionError& err) {
      return err.offset;
    }
    return std::string::npos;
  };
  EXPECT_EQ(offset_of("table(v(a), 0,1, 1)"), 0u);                // even count
  EXPECT_EQ(offset_of("pwl(v(a), 0,1, 2,3, 1+1,4)"), 20u);         // x does not increase
  EXPECT_EQ(offset_of("table(v(a), 0,1, v(b),3)"), 17u);           // a point reads the circuit
  EXPECT_EQ(offset_of("idt(v(a), v(b))"), 10u);                    // so does the initial value
  EXPECT_THROW(Expression("idt(1,2,3,4)"), ExpressionError);  // LTspice's third is the reset
  auto none = [](const std::string&, std::size_t) -> double { return 0; };
  EXPECT_THROW(Expression("ddt(2)").evaluate(none), ExpressionError);  // no time in a parameter
}

TEST(Program, DdtTermsAtTheTopAreACharge) {
  // value = result + d/dt charge: the terms c*ddt(a) added at the top go to the charge.
  const Expression e("v(a)/2 + 3n*ddt(v(a)*v(b)) - ddt(v(b))/4 + 2*(ddt(v(a)))");
  const Program p(e, no_param);
  EXPECT_TRUE(p.states().empty());
  ASSERT_GE(p.charge(), 0);
  auto w = p.workspace();
  EXPECT_DOUBLE_EQ(p.run(std::vector<double>{2, 5}, w), 1);
  const auto q = static_cast<std::size_t>(p.charge());
  EXPECT_DOUBLE_EQ(w.value(q), 3e-9 * 10 - 5.0 / 4 + 2 * 2);
  EXPECT_DOUBLE_EQ(w.gradient(q)[0], 3e-9 * 5 + 2);
  EXPECT_DOUBLE_EQ(w.gradient(q)[1], 3e-9 * 2 - 0.25);
  // Elsewhere a ddt is a state read as an input; its argument is a register.
  const Expression s("v(a)*ddt(v(b)^2) + idt(v(a), 1m) + ddt(7)");
  const Program ps(s, no_param);
  EXPECT_LT(ps.charge(), 0);
  ASSERT_EQ(ps.states().size(), 2u);
  EXPECT_EQ(ps.states()[0].kind, ProgramState::Kind::Ddt);
  EXPECT_EQ(ps.states()[1].kind, ProgramState::Kind::Idt);
  EXPECT_EQ(ps.states()[1].ic, 1e-3);
  ASSERT_EQ(ps.inputs().size(), 4u);  // a, b, the ddt state, the idt state
  auto ws = ps.workspace();
  EXPECT_DOUBLE_EQ(ps.run(std::vector<double>{2, 3, 10, 0.5}, ws), 2 * 10 + 0.5);
  EXPECT_DOUBLE_EQ(ws.value(ps.states()[0].argument), 9);
  EXPECT_DOUBLE_EQ(ws.gradient(ps.states()[0].argument)[1], 6);
  EXPECT_DOUBLE_EQ(ws.value(ps.states()[1].argument), 2);
}

}  // namespace
}  // namespace ns

namespace ns {
namespace {

TEST(Program, CornersInTime) {
  const Expression e("pwl(time, 0,0, 1m,1) + u(time - 3m) + u2(2m + time) + table(v(a), 0,1, 1,2) + stp(time*2)");
  const Program p(e, no_param);
  // pwl's points, u's step at 3m, u2's at -2m and 1 - 2m; table(v(a)) and stp(2 time) give none.
  const std::vector<double> expected{-2e-3, 0, 1e-3, 3e-3, 1 - 2e-3};
  const auto corners = p.time_corners();
  ASSERT_EQ(corners.size(), expected.size());
  for (std::size_t k = 0; k < corners.size(); ++k) EXPECT_NEAR(corners[k], expected[k], 1e-15);
}

// Comparisons of time with a constant jump there, either way round; v(a) < 1 does not
// depend on time alone.
TEST(Program, ComparisonCornersInTime) {
  const Expression e("time < 2u ? 1 : 5u >= time - 1u ? 2 : (v(a) < 1) + 3");
  const Program p(e, no_param);
  const std::vector<double> expected{2e-6, 6e-6};
  const auto corners = p.time_corners();
  ASSERT_EQ(corners.size(), expected.size());
  for (std::size_t k = 0; k < corners.size(); ++k) EXPECT_NEAR(corners[k], expected[k], 1e-18);
}

// delay(x, T) is a state of its own with its T; a constant's delay is the constant.
TEST(Program, DelayIsAState) {
  const Expression e("delay(v(a)*v(b), 2m) + delay(3, 1m)");
  const Program p(e, no_param);
  ASSERT_EQ(p.states().size(), 1u);
  EXPECT_EQ(p.states()[0].kind, ProgramState::Kind::Delay);
  EXPECT_EQ(p.states()[0].delay, 2e-3);
  auto w = p.workspace();
  std::vector<double> x(p.inputs().size());
  for (std::size_t k = 0; k < x.size(); ++k)
    x[k] = p.inputs()[k].kind == ProgramInput::Kind::State ? 0.25 : p.inputs()[k].name == "a" ? 2.0 : 5.0;
  EXPECT_EQ(p.run(x, w), 3.25);
  EXPECT_EQ(w.value(p.states()[0].argument), 10.0);  // the argument the device records
}

// The rounding-error bound run() carries. k v - k/2 (|v + vt| - |v - vt|) is exactly 0
// for |v| < vt (given the doubles v, vt), so each computed value is its own rounding
// error, and must lie within the bound; the bound is the large terms' few ulps (k (|v| +
// vt) u, here ~7e-4), not more. Where ?: takes one branch on that noise, the bound covers
// the other. An expression without cancellation keeps a bound of a few ulps of its value.
TEST(Program, RoundingErrorBound) {
  const std::string rate = "2e12*v(a) - 1e12*(abs(v(a) + 1.6) - abs(v(a) - 1.6))";
  const Expression e(rate), chosen("(" + rate + ") > 0 ? " + rate + " : 0"), plain("v(a)*v(a) + 1");
  const Program p(e, no_param), q(chosen, no_param), r(plain, no_param);
  auto w = p.workspace(), wq = q.workspace(), wr = r.workspace();
  constexpr double u = std::numeric_limits<double>::epsilon() / 2;
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> draw(-1.5, 1.5);
  int nonzero = 0;
  for (int k = 0; k < 2000; ++k) {
    const std::vector<double> x{draw(rng)};
    const double value = p.run(x, w);
    nonzero += value != 0;
    EXPECT_LE(std::abs(value), w.error()) << "v(a) = " << x[0];
    EXPECT_LE(w.error(), 8 * u * 1e12 * (2 * std::abs(x[0]) + 3.2)) << "v(a) = " << x[0];
    q.run(x, wq);
    EXPECT_GE(wq.error(), std::abs(value)) << "v(a) = " << x[0];
    const double plain_value = r.run(x, wr);
    EXPECT_LE(wr.error(), 3 * u * plain_value) << "v(a) = " << x[0];
  }
  EXPECT_GT(nonzero, 100);  // the cancellation does leave noise: the test tests something
}

}  // namespace
}  // namespace ns
