// @device[param] vectors, alter inside subcircuits and of a source function, braces,
// meas again in a loop and into a file, the random functions. Expected values: what
// `ngspice -b` (ngspice-39) printed for the same decks, or Kirchhoff's current law.
#include <cmath>
#include <map>
#include <regex>

#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using ns::control_test::neurospice;
using ns::control_test::printed;

const char* const divider = R"(device vectors
v1 in 0 dc 2 pulse(0 1 1u 2u 3u 4u 20u)
r1 in mid 1k
x1 mid 0 half
d1 mid 0 dm
.model dm d is=1e-14 n=1.5
.subckt half a b
r1 a b 3k
.ends
.control
op
print @r1[resistance] @v1[dc] @dm[is] @dm[n] @r.x1.r1[resistance] @dm[rs]
let p = @v1[pulse]
print p[1] p[3] length(p)
let id1 = @d1[id]
alter r.x1.r1 = 1k
alter @v1[pulse] = [ 0 2 1u 1u 1u 5u 20u ]
let q = @v1[pulse]
print q[1] q[3]
op
print v(mid) @d1[id] op1.id1
.endc
.end
)";

// Parameters as the cards give them (rs: the diode's default, 0), a source function's
// values as a vector, a device in a subcircuit by ngspice's name r.x1.r1.
TEST(DeviceVectors, ParametersQuantitiesAndAlter) {
  const auto r = neurospice("divider", divider);
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = printed(r.out);
  const std::map<std::string, double> ngspice = {
      {"@r1[resistance]", 1e3}, {"@v1[dc]", 2}, {"@dm[is]", 1e-14}, {"@dm[n]", 1.5}, {"@r.x1.r1[resistance]", 3e3},
      {"@dm[rs]", 0}, {"p[1]", 1}, {"p[3]", 2e-6}, {"length(p)", 7}, {"q[1]", 2}, {"q[3]", 1e-6},
      // the operating points: ngspice's to its 7 printed digits; ours agree to 1e-6
      {"op1.id1", 7.076526e-04}, {"v(mid)", 9.142641e-01}, {"@d1[id]", 1.714720e-04}};
  for (const auto& [name, value] : ngspice) {
    ASSERT_TRUE(v.count(name)) << name << "\n" << r.out << r.err;
    EXPECT_NEAR(v.at(name), value, 1e-5 * std::fabs(value)) << name;
  }
}

// A quantity the script names is recorded over the analysis, beside every node: the
// diode's current is what r1 brings to mid less what r2 takes, at every step. (ngspice
// records it only when saved; unsaved, it is the value at the last point.)
TEST(DeviceVectors, QuantityOverATransient) {
  const auto r = neurospice("tran", R"(diode current
v1 in 0 pulse(0 2 1u 2u 3u 4u 20u)
r1 in mid 1k
r2 mid 0 3k
d1 mid 0 dm
.model dm d is=1e-14 n=1.5
.control
tran 0.1u 10u
let kcl = vecmax(abs(@d1[id] - (v(in) - v(mid))/1k + v(mid)/3k)) / vecmax(abs(i(v1)))
let extra = length(@d1[id]) - length(time)
print kcl extra vecmax(@d1[id])
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = printed(r.out);
  ASSERT_TRUE(v.count("kcl")) << r.out << r.err;
  EXPECT_LT(v.at("kcl"), 1e-3);  // Newton's reltol on the currents meeting at mid
  EXPECT_EQ(v.at("extra"), 0);
  EXPECT_GT(v.at("vecmax(@d1[id])"), 1e-4);  // the pulse does drive the diode
}

// ngspice's braces after substitution ({$n} delimits a name), meas again under the same
// name in a loop, meas into a file with >>, a let whose '>' is a redirection.
TEST(DeviceVectors, BracesMeasLoopsAndRedirection) {
  const auto r = neurospice("braces", R"(braces
v1 n1001_t 0 dc 0 pulse(0 1 0 1m 1m 1 2)
r1 n1001_t 0 1k
.control
let n = 1001
set name = "n{$&n}_t"
op
print v($name)
foreach slope 1m 2m
  alter @v1[pulse] = [ 0 1 0 $slope $slope 1 2 ]
  tran 10u 1m
  meas tran half when v(n1001_t)=0.25
  meas tran half when v(n1001_t)=0.25 >> meas.txt
end
let big = half > big.txt
print big
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = printed(r.out);
  ASSERT_TRUE(v.count("v(n1001_t)")) << r.out << r.err;
  EXPECT_EQ(v.at("v(n1001_t)"), 0);
  // the ramps reach 0.25 at a quarter of their rise
  EXPECT_NEAR(v.at("big"), 0.5e-3, 1e-9);
  const auto lines = ns::control_test::numbers(std::regex_replace(r.file("meas.txt"), std::regex("half +="), ""));
  ASSERT_EQ(lines.size(), 2u) << r.file("meas.txt");
  EXPECT_NEAR(lines[0][0], 0.25e-3, 1e-9);
  EXPECT_NEAR(lines[1][0], 0.5e-3, 1e-9);
}

// sunif, sgauss, rnd and compose gauss= draw from the run's stream: the same numbers for the same
// --seed, other numbers for another, and the right moments (10000 draws: the means
// within 5 standard errors).
TEST(DeviceVectors, RandomFunctions) {
  const std::string deck = R"(random
r1 1 0 1
.control
let n = vector(10000)
let g = sgauss(n)
let u = sunif(n)
let k = rnd(n*0 + 6)
compose c gauss=10000 mean=1 sd=0.2
print mean(g) mean(g*g) mean(u) mean(u*u) vecmin(u) vecmax(u) vecmin(k) vecmax(k) mean(k) g[7]
let vc = mean((c - 1)^2)
print mean(c) vc length(c)
.endc
.end
)";
  auto run = [&](const char* seed) {
    const auto dir = ns::control_test::fresh_dir(std::string("random") + seed);
    std::ofstream(dir / "deck.cir") << deck;
    std::ostringstream out, err;
    EXPECT_EQ(ns::run_app({"--seed", seed, (dir / "deck.cir").string()}, out, err), 0) << err.str();
    return printed(out.str());
  };
  const auto a = run("1"), b = run("1"), c = run("2");
  ASSERT_TRUE(a.count("g[7]"));
  EXPECT_EQ(a.at("g[7]"), b.at("g[7]"));
  EXPECT_NE(a.at("g[7]"), c.at("g[7]"));
  EXPECT_NEAR(a.at("mean(g)"), 0, 5 * 0.01);
  EXPECT_NEAR(a.at("mean(g*g)"), 1, 5 * std::sqrt(2.0) * 0.01);
  EXPECT_NEAR(a.at("mean(u)"), 0, 5 * std::sqrt(1 / 3.0) * 0.01);
  EXPECT_NEAR(a.at("mean(u*u)"), 1 / 3.0, 5 * std::sqrt(4 / 45.0) * 0.01);
  EXPECT_GE(a.at("vecmin(u)"), -1);
  EXPECT_LT(a.at("vecmax(u)"), 1);
  EXPECT_EQ(a.at("vecmin(k)"), 0);
  EXPECT_EQ(a.at("vecmax(k)"), 5);
  EXPECT_NEAR(a.at("mean(k)"), 2.5, 5 * std::sqrt(35 / 12.0) * 0.01);
  EXPECT_EQ(a.at("length(c)"), 10000);
  EXPECT_NEAR(a.at("mean(c)"), 1, 5 * 0.2 * 0.01);
  EXPECT_NEAR(a.at("vc"), 0.04, 5 * std::sqrt(2.0) * 0.04 * 0.01);
}

}  // namespace

namespace {

// ngspice-39 listed the same lines.
TEST(DeviceVectors, Display) {
  const auto r = neurospice("display", R"(display
v1 1 0 1
r1 1 2 1k
r2 2 0 1k
.control
op
let x = vector(3)
display
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(ns::control_test::undated(r.out), R"(Here are the vectors currently active:

Title: display
Name: op1 (Operating Point)
Date: DATE

    V(1)                : voltage, real, 1 long [default scale]
    V(2)                : voltage, real, 1 long
    v1#branch           : current, real, 1 long
    x                   : notype, real, 3 long
)");
}

}  // namespace
