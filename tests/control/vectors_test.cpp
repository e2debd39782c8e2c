// The control language's vector expressions and script structure, without a circuit.
#include <cmath>
#include <complex>

#include <gtest/gtest.h>

#include "control/script.hpp"
#include "control/vectors.hpp"

namespace {

using ns::control::evaluate;
using ns::control::Vector;

const ns::control::Lookup lookup = [](const std::string& name) -> std::optional<Vector> {
  if (name == "v(out)") return Vector{1, 2, 3, 4};
  if (name == "k") return Vector{2};
  return std::nullopt;
};

TEST(Vectors, Arithmetic) {
  EXPECT_EQ(evaluate("2*3+1", lookup), Vector{7});
  EXPECT_EQ(evaluate("1k/2", lookup), Vector{500});
  EXPECT_EQ(evaluate("-2^2", lookup), Vector{-4});
  EXPECT_EQ(evaluate("2^3^2", lookup), Vector{512});
  EXPECT_EQ(evaluate("v(out)*k - 1", lookup), (Vector{1, 3, 5, 7}));
  EXPECT_EQ(evaluate("7 % 4", lookup), Vector{3});
}

TEST(Vectors, IndexingIsZeroBasedAndRangesInclusive) {
  EXPECT_EQ(evaluate("v(out)[2]", lookup), Vector{3});
  EXPECT_EQ(evaluate("v(out)[1,3]", lookup), (Vector{2, 3, 4}));
  EXPECT_EQ(evaluate("vector(5)[k+1]", lookup), Vector{3});
  EXPECT_THROW(evaluate("v(out)[4]", lookup), ns::control::VectorError);
}

TEST(Vectors, ComparisonsAndLogic) {
  EXPECT_EQ(evaluate("k = 2", lookup), Vector{1});
  EXPECT_EQ(evaluate("k <> 2", lookup), Vector{0});
  EXPECT_EQ(evaluate("k ge 2 and k lt 3", lookup), Vector{1});
  EXPECT_EQ(evaluate("v(out) > 2", lookup), (Vector{0, 0, 1, 1}));
  EXPECT_EQ(evaluate("~(k > 1) | 0", lookup), Vector{0});
}

TEST(Vectors, Functions) {
  EXPECT_EQ(evaluate("length(v(out))", lookup), Vector{4});
  EXPECT_EQ(evaluate("mean(v(out))", lookup), Vector{2.5});
  EXPECT_EQ(evaluate("vecmax(v(out)) + vecmin(v(out))", lookup), Vector{5});
  EXPECT_EQ(evaluate("max(v(out), 2.5)", lookup), (Vector{2.5, 2.5, 3, 4}));
  EXPECT_DOUBLE_EQ(evaluate("db(10)", lookup)[0], 20);
  EXPECT_DOUBLE_EQ(evaluate("log10(1k) + log(exp(2))", lookup)[0], 5);  // ngspice 39: log(2.7) = 0.99325, natural
  EXPECT_DOUBLE_EQ(evaluate("ln(exp(2)) + sqrt(16) + abs(-1) + mag(-1)", lookup)[0], 8);
  const Vector j = evaluate("sqrt(-4)", lookup);  // complex, as ngspice's
  EXPECT_EQ(j, Vector{0});
  EXPECT_EQ(j.imag, std::vector<double>{2});
  EXPECT_THROW(evaluate("nosuch(1)", lookup), ns::control::VectorError);
  EXPECT_THROW(evaluate("v(nowhere)", lookup), ns::control::VectorError);
  EXPECT_THROW(evaluate("1/0", lookup), ns::control::VectorError);
}

// ngspice-39 printed the same: c ? a : b below every other operator, grouping to the
// right, its condition one element; >< is <>.
TEST(Vectors, TernaryAndNotEqual) {
  EXPECT_EQ(evaluate("1 + 0 ? 2 : 3", lookup), Vector{2});
  EXPECT_EQ(evaluate("0 ? 2 : 3 + 10", lookup), Vector{13});
  EXPECT_EQ(evaluate("0 ? 2 : 0 ? 4 : 5", lookup), Vector{5});
  EXPECT_EQ(evaluate("0 | 1 ? 7 : 8", lookup), Vector{7});
  EXPECT_EQ(evaluate("k > 1 ? v(out) : nowhere", lookup), (Vector{1, 2, 3, 4}));  // the other branch unread
  EXPECT_THROW(evaluate("v(out) ? 1 : 2", lookup), ns::control::VectorError);
  EXPECT_EQ(evaluate("k >< 3", lookup), Vector{1});
  EXPECT_EQ(evaluate("k >< 2", lookup), Vector{0});
  EXPECT_EQ(evaluate("\"v(out)\"[1]", lookup), Vector{2});  // a quoted name
}

// Values ngspice-39 printed for x = -2..2 (sinh(-2) = -3.626860); atanh as newer ngspice.
TEST(Vectors, MoreFunctions) {
  const auto near = [](const Vector& a, const Vector& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) EXPECT_NEAR(a[k], b[k], 1e-6 * std::max(1.0, std::fabs(b[k])));
  };
  near(evaluate("sinh(v(out) - 3)", lookup), {-3.626860, -1.175201, 0, 1.175201});
  near(evaluate("tanh(v(out) - 3)", lookup), {-0.9640276, -0.7615942, 0, 0.7615942});
  near(evaluate("avg(v(out))", lookup), {1, 1.5, 2, 2.5});  // the running mean
  near(evaluate("pos(v(out) - 2)", lookup), {0, 0, 1, 1});
  near(evaluate("nint((v(out) - 3)/3)", lookup), {-1, 0, 0, 0});
  near(evaluate("norm(v(out) - 3)", lookup), {-1, -0.5, 0, 0.5});
  near(evaluate("atanh(0.5)", lookup), {0.5493061});
  EXPECT_THROW(evaluate("atanh(1)", lookup), ns::control::VectorError);
  EXPECT_THROW(evaluate("sgauss(1)", lookup), ns::control::VectorError);  // no random stream here
}

TEST(Vectors, ListsSplitWhereAnExpressionEnds) {
  const auto values = ns::control::evaluate_all("v(out)[0] k * 2 -1", lookup);
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0].text, "v(out)[0]");
  EXPECT_EQ(values[1].text, "k * 2 -1");
  EXPECT_EQ(values[1].data, Vector{3});
}

std::vector<ns::ScriptLine> lines(std::initializer_list<const char*> texts) {
  std::vector<ns::ScriptLine> out;
  int n = 0;
  for (const char* t : texts) out.push_back({t, ns::Location{std::make_shared<const std::string>("s.cir"), ++n, 1}});
  return out;
}

void expect_error(std::initializer_list<const char*> texts, const std::string& where, const std::string& what) {
  try {
    (void)ns::control::parse_script(lines(texts));
    ADD_FAILURE() << "no error, expected " << what;
  } catch (const ns::InputError& e) {
    EXPECT_EQ(e.where().str(), where) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(Script, Blocks) {
  const auto s = ns::control::parse_script(lines({"if 1", "echo a", "else", "while 0", "break", "end", "end", "echo b"}));
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].body.size(), 1u);
  ASSERT_EQ(s[0].otherwise.size(), 1u);
  EXPECT_EQ(s[0].otherwise[0].body[0].kind, ns::control::Statement::Kind::Break);
  EXPECT_EQ(s[1].rest, "b");
}

TEST(Script, LocatedErrors) {
  expect_error({"echo a", "if 1", "echo b"}, "s.cir:2:1", "'if' has no 'end'");
  expect_error({"repeat 3", "if 1", "end"}, "s.cir:1:1", "'repeat' has no 'end'");
  expect_error({"end"}, "s.cir:1:1", "'end' without");
  expect_error({"while 1", "else", "end"}, "s.cir:2:1", "'else' without 'if'");
  expect_error({"if 1", "break", "end"}, "s.cir:2:1", "'break' outside a loop");
  expect_error({"while"}, "s.cir:1:1", "needs a condition");
}

// stddev (the sample's), sortorder, unwrap: closed forms.
TEST(Vectors, StatisticsAndOrder) {
  EXPECT_DOUBLE_EQ(evaluate("stddev(v(out))", lookup)[0], std::sqrt(5.0 / 3.0));
  EXPECT_EQ(evaluate("sortorder(-v(out))", lookup), (Vector{3, 2, 1, 0}));
  // a phase ramp of -2 rad a step wraps at -pi; unwrap gives the ramp back
  const Vector u = evaluate("unwrap(ph(exp(j(-2 * vector(5)))))", lookup);
  for (std::size_t k = 0; k < 5; ++k) EXPECT_NEAR(u[k], -2.0 * double(k), 1e-12);
}

// Three RC low-passes, H^3 = 1 / (1 + j w RC)^3: cph is -3 atan(w RC) without a wrap
// (the phase passes -pi), group_delay 3 RC / (1 + (w RC)^2) within the three-point
// derivative's error on a fine frequency grid.
TEST(Vectors, ContinuousPhaseAndGroupDelay) {
  const double rc = 1e-3;
  Vector f, re, im;
  for (int k = 0; k <= 400; ++k) {
    f.push_back(1.0 * std::pow(10.0, k / 100.0));  // 1 Hz .. 10 kHz
    const std::complex<double> h = 1.0 / std::complex<double>(1, 2 * M_PI * f.back() * rc);
    re.push_back((h * h * h).real());
    im.push_back((h * h * h).imag());
  }
  Vector h2 = re;
  h2.imag = im;
  const ns::control::Lookup rcl = [&](const std::string& name) -> std::optional<Vector> {
    if (name.empty()) return f;
    if (name == "h2") return h2;
    return std::nullopt;
  };
  const Vector c = evaluate("cph(h2)", rcl);
  const Vector g = evaluate("group_delay(h2)", rcl);
  for (std::size_t k = 0; k < f.size(); ++k) {
    const double x = 2 * M_PI * f[k] * rc;
    EXPECT_NEAR(c[k], -3 * std::atan(x), 1e-12);
    EXPECT_NEAR(g[k], 3 * rc / (1 + x * x), 2e-3 * 3 * rc);
  }
  EXPECT_LT(evaluate("vecmin(ph(h2))", rcl)[0], 0);  // ph wraps where cph does not
  EXPECT_GT(evaluate("vecmax(ph(h2))", rcl)[0], 3);
}

}  // namespace
