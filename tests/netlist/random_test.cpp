// Random functions (gauss, agauss, unif, aunif, limit, lognormal) and .mc: the generator,
// the distributions' moments, reproducibility, and which draws are shared per run or
// made per device.
#include <cmath>

#include <fmt/format.h>

#include "helpers.hpp"
#include "expr/expression.hpp"

namespace ns {
namespace {

using test::element;

Netlist parse_mc(const std::string& text, std::optional<std::uint64_t> stream) {
  return elaborate(*read_deck_text(text, "t.cir"), {}, stream);
}

double no_names(const std::string& name, std::size_t) { throw std::runtime_error("unknown " + name); }

TEST(Random, KnownAnswer) {
  // splitmix64 seeded with 0 gives the state e220a8397b1dcdaf 6e789e6aa1b965f4
  // 06c45d188009454f f88bb8a8724c81ec; xoshiro256** then outputs these (computed with an
  // independent Python transcription of the reference C code).
  Random r(0);
  EXPECT_EQ(r.next(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(r.next(), 0xbf6e1f784956452aULL);
  EXPECT_EQ(r.next(), 0x1a5f849d4933e6e0ULL);
}

struct Moments {
  double mean = 0, sd = 0, lo = INFINITY, hi = -INFINITY;
};

// `draws` samples of `text`, each transformed by `f`.
Moments sample(const std::string& text, std::uint64_t seed, double (*f)(double) = nullptr) {
  constexpr int draws = 10000;
  const Expression e(text);
  Random random(seed);
  std::vector<double> x;
  for (int k = 0; k < draws; ++k) {
    const double v = e.evaluate(no_names, &random);
    x.push_back(f ? f(v) : v);
  }
  Moments m;
  for (double v : x) m.mean += v / draws, m.lo = std::min(m.lo, v), m.hi = std::max(m.hi, v);
  for (double v : x) m.sd += (v - m.mean) * (v - m.mean) / (draws - 1);
  m.sd = std::sqrt(m.sd);
  return m;
}

// Tolerances are 4 standard errors for n = 10000: the mean's is sd/sqrt(n); the sample
// standard deviation's is sd/sqrt(2n) for a normal variable and sd*sqrt(0.2/n) for a
// uniform one (its fourth moment is 9/5 sd^4).
constexpr double n = 10000;
double mean_tol(double sd) { return 4 * sd / std::sqrt(n); }
double sd_tol_normal(double sd) { return 4 * sd / std::sqrt(2 * n); }
double sd_tol_uniform(double sd) { return 4 * sd * std::sqrt(0.2 / n); }

TEST(Random, GaussMoments) {
  // gauss(nom, rel, sigma): sd = nom * rel / sigma.
  const Moments m = sample("gauss(10, 0.3, 3)", 1);
  EXPECT_NEAR(m.mean, 10, mean_tol(1));
  EXPECT_NEAR(m.sd, 1, sd_tol_normal(1));
  const Moments d = sample("gauss(10, 0.1)", 2);  // sigma defaults to 1
  EXPECT_NEAR(d.mean, 10, mean_tol(1));
  EXPECT_NEAR(d.sd, 1, sd_tol_normal(1));
}

TEST(Random, AgaussMoments) {
  const Moments m = sample("agauss(2.2n, 0.1n, 1)", 3);
  EXPECT_NEAR(m.mean, 2.2e-9, mean_tol(0.1e-9));
  EXPECT_NEAR(m.sd, 0.1e-9, sd_tol_normal(0.1e-9));
  const Moments s = sample("agauss(-5, 2, 4)", 4);
  EXPECT_NEAR(s.mean, -5, mean_tol(0.5));
  EXPECT_NEAR(s.sd, 0.5, sd_tol_normal(0.5));
}

TEST(Random, UniformMoments) {
  // U(nom - w, nom + w) has sd w/sqrt(3).
  const Moments u = sample("unif(100, 0.2)", 5);  // w = 20
  EXPECT_NEAR(u.mean, 100, mean_tol(20 / std::sqrt(3.0)));
  EXPECT_NEAR(u.sd, 20 / std::sqrt(3.0), sd_tol_uniform(20 / std::sqrt(3.0)));
  EXPECT_GE(u.lo, 80);
  EXPECT_LT(u.hi, 120);
  const Moments a = sample("aunif(1, 0.5)", 6);
  EXPECT_NEAR(a.mean, 1, mean_tol(0.5 / std::sqrt(3.0)));
  EXPECT_NEAR(a.sd, 0.5 / std::sqrt(3.0), sd_tol_uniform(0.5 / std::sqrt(3.0)));
  EXPECT_GE(a.lo, 0.5);
  EXPECT_LT(a.hi, 1.5);
  EXPECT_LT(a.lo, 0.501);  // the whole range is reached
  EXPECT_GT(a.hi, 1.499);
}

TEST(Random, LimitIsNominalPlusOrMinus) {
  const Moments m = sample("limit(3, 2)", 7);
  EXPECT_EQ(m.lo, 1);
  EXPECT_EQ(m.hi, 5);
  EXPECT_NEAR(m.mean, 3, mean_tol(2));  // each sign with probability 1/2
  // Values are only 1 or 5: sd is 2 up to the sample's imbalance of signs.
  EXPECT_NEAR(m.sd, 2, 1e-3);
}

TEST(Random, LognormalHasMedianNomAndSigmaOfLn) {
  const Moments m = sample("lognormal(1k, 0.5)", 8, [](double v) { return std::log(v / 1e3); });
  EXPECT_NEAR(m.mean, 0, mean_tol(0.5));
  EXPECT_NEAR(m.sd, 0.5, sd_tol_normal(0.5));
}

TEST(Random, NominalWithoutGenerator) {
  for (const char* text : {"gauss(7, 0.1, 3)", "agauss(7, 1)", "unif(7, 0.5)", "aunif(7, 1)",
                           "limit(7, 1)", "lognormal(7, 0.3)"})
    EXPECT_EQ(Expression(text).evaluate(no_names), 7) << text;
  EXPECT_TRUE(Expression("1 + agauss(7, 1)").random());
  EXPECT_FALSE(Expression("1 + abs(7)").random());
}

TEST(Random, ArgumentCountsAndSigma) {
  // gauss(x) with one argument is LTspice's (sigma x, mean 0): tests/good/ltspice_mc_nominal.cir
  EXPECT_ERROR("t\n.param a={gauss(1,2,3,4)}\n", "t.cir:2:11", "function 'gauss' takes 1 to 3 arguments, not 4");
  EXPECT_ERROR("t\n.param a={agauss(1,2,3,4)}\n", "t.cir:2:11", "function 'agauss' takes 2 or 3 arguments, not 4");
  EXPECT_ERROR("t\n.param a={unif(1)}\n", "t.cir:2:11", "function 'unif' takes 2 arguments, not 1");
  // limit(nom, abs) draws; limit(x, lo, hi) clamps (the behavioural function).
  EXPECT_ERROR("t\n.param a={limit(1,2,3,4)}\n", "t.cir:2:11", "function 'limit' takes 2 or 3 arguments, not 4");
  EXPECT_ERROR("t\n.param a={lognormal(1)}\n", "t.cir:2:11", "function 'lognormal' takes 2 arguments, not 1");
  EXPECT_ERROR("t\n.param a={gauss(1, 0.1, 0)}\n", "t.cir:2:11", "gauss: sigma must not be zero");
}

const std::string deck =
    "mc\n"
    ".param shared={agauss(1k, 100, 1)}\n"
    ".subckt cell a b params: w={agauss(2, 0.5, 1)}\n"
    ".param inner={unif(1, 0.5)}\n"
    "r1 a b {agauss(1k, 100, 1)}\n"
    "r2 a b r={inner*1k}\n"
    "c1 a b {w*1p}\n"
    ".ends\n"
    ".model dr d is={agauss(1e-14, 1e-15, 1)} n=1\n"
    ".model dn d is=1e-14\n"
    "v1 in 0 1\n"
    "ra in 0 {shared}\n"
    "rb in 0 {shared}\n"
    "x1 in 0 cell\n"
    "x2 in 0 cell\n"
    "d1 in 0 dr\n"
    "d2 in 0 dr\n"
    "d3 in 0 dn\n"
    ".mc 20\n";

double value_of(const Netlist& n, const std::string& name) {
  const Element& e = element(n, name);
  return e.values.empty() ? e.params.at(0).value : e.values.at(0).value;
}

TEST(MonteCarlo, NominalWithoutStream) {
  const Netlist n = parse_mc(deck, std::nullopt);
  EXPECT_EQ(n.monte_carlo.runs, 20u);
  EXPECT_EQ(n.monte_carlo.where.line, 19);
  EXPECT_EQ(value_of(n, "ra"), 1000);
  EXPECT_EQ(value_of(n, "x1.r1"), 1000);
  EXPECT_EQ(value_of(n, "x2.r2"), 1000);
  EXPECT_EQ(value_of(n, "x2.c1"), 2e-12);
  EXPECT_EQ(element(n, "d1").model, "dr");  // no copies without draws
  EXPECT_EQ(n.models.at("dr").params.at(0).value, 1e-14);
  EXPECT_EQ(n.params.at("shared"), 1000);
}

// Every number an elaborated netlist carries, in a fixed order.
std::vector<double> numbers(const Netlist& n) {
  std::vector<double> all;
  for (const Element& e : n.elements) {
    for (const Number& v : e.values) all.push_back(v.value);
    for (const Assignment& a : e.params) all.push_back(a.value);
    for (const Group& g : e.groups)
      for (const Number& v : g.args) all.push_back(v.value);
  }
  for (const auto& [key, m] : n.models)
    for (const Assignment& a : m.params) all.push_back(a.value);
  for (const auto& [name, v] : n.params) all.push_back(v);
  return all;
}

TEST(MonteCarlo, SameStreamSameNetlistOtherStreamOther) {
  const Netlist a = parse_mc(deck, 42), b = parse_mc(deck, 42), c = parse_mc(deck, 43);
  const auto na = numbers(a), nb = numbers(b), nc = numbers(c);
  ASSERT_EQ(na.size(), nb.size());
  for (std::size_t k = 0; k < na.size(); ++k) EXPECT_EQ(na[k], nb[k]) << k;  // bit for bit
  ASSERT_EQ(na.size(), nc.size());
  EXPECT_NE(value_of(a, "ra"), value_of(c, "ra"));
  EXPECT_NE(value_of(a, "x1.r1"), value_of(c, "x1.r1"));
  EXPECT_NE(a.models.at(element(a, "d1").model).params[0].value,
            c.models.at(element(c, "d1").model).params[0].value);
}

TEST(MonteCarlo, TopLevelParamIsDrawnOncePerRun) {
  const Netlist n = parse_mc(deck, 7);
  EXPECT_EQ(value_of(n, "ra"), value_of(n, "rb"));
  EXPECT_NE(value_of(n, "ra"), 1000);
  EXPECT_EQ(n.params.at("shared"), value_of(n, "ra"));
}

TEST(MonteCarlo, EverythingElseIsDrawnPerInstance) {
  const Netlist n = parse_mc(deck, 7);
  EXPECT_NE(value_of(n, "x1.r1"), value_of(n, "x2.r1"));  // instance card value
  EXPECT_NE(value_of(n, "x1.r2"), value_of(n, "x2.r2"));  // .param inside the subcircuit
  EXPECT_NE(value_of(n, "x1.c1"), value_of(n, "x2.c1"));  // subcircuit default
  // Each diode of the random model has its own copy, named as the user wrote it.
  const std::string k1 = element(n, "d1").model, k2 = element(n, "d2").model;
  ASSERT_NE(k1, k2);
  EXPECT_EQ(n.models.at(k1).name, "dr");
  EXPECT_EQ(n.models.at(k2).name, "dr");
  EXPECT_NE(n.models.at(k1).params[0].value, n.models.at(k2).params[0].value);
  EXPECT_EQ(n.models.at(k1).params[1].value, 1);  // the non-random parameter is kept
  EXPECT_EQ(element(n, "d3").model, "dn");         // a model without random calls is shared
}

TEST(MonteCarlo, PerDeviceModelDrawsFollowTheDistribution) {
  // 10000 cells sharing one random model: the drawn gmax has the requested mean and sd.
  std::string text = "xbar\n.model rr d is={agauss(2.2n, 0.1n, 1)}\nv1 a 0 1\n";
  constexpr int cells = 10000;
  for (int k = 0; k < cells; ++k) text += fmt::format("d{} a 0 rr\n", k);
  const Netlist net = parse_mc(text, 99);
  double mean = 0, square = 0;
  for (int k = 0; k < cells; ++k) {
    const double v = net.models.at(element(net, fmt::format("d{}", k)).model).params[0].value;
    mean += v / cells;
    square += v * v / cells;
  }
  const double sd = std::sqrt((square - mean * mean) * cells / (cells - 1));
  EXPECT_NEAR(mean, 2.2e-9, mean_tol(0.1e-9));
  EXPECT_NEAR(sd, 0.1e-9, sd_tol_normal(0.1e-9));
}

TEST(MonteCarlo, CardErrors) {
  EXPECT_ERROR("t\n.mc 0\n", "t.cir:2:5", "the number of Monte Carlo runs must be a whole number >= 1, not 0");
  EXPECT_ERROR("t\n.mc 2.5\n", "t.cir:2:5", "whole number >= 1, not 2.5");
  EXPECT_ERROR("t\n.mc\n", "t.cir:2:1", "'.mc' takes the number of runs");
  EXPECT_ERROR("t\n.mc 10\n.mc 20\n", "t.cir:3:1", "only one '.mc' card per deck (the first is at t.cir:2:1)");
}

}  // namespace
}  // namespace ns
