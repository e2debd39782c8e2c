// .meas over a .dc sweep as ngspice -b (ngspice-39) reads it: crossings counted from the
// sweep's start when it starts below 0 (TRIG/TARG, WHEN), and INTEG/RMS integrated as
// ngspice integrates a sweep (exact for cubics over runs of three steps; a chord for a
// last step left alone). Each deck is ours; the expected values are what ngspice -b prints
// for it, run here, and where they are closed forms, those too.
#include <cmath>
#include <map>
#include <regex>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using namespace ns::control_test;

// "name = value" and ngspice's "name               =  value ..." lines.
std::map<std::string, double> measures(const std::string& out) {
  std::map<std::string, double> v;
  static const std::regex line(R"((?:^|\n)(\w+)\s+=\s+([-+0-9.e]+))");
  for (std::sregex_iterator it(out.begin(), out.end(), line), end; it != end; ++it) v[(*it)[1]] = std::stod((*it)[2]);
  return v;
}

std::map<std::string, double> of_ngspice(const std::string& name, const std::string& deck) {
  const fs::path file = fresh_dir(name + "_src") / "deck.cir";
  std::ofstream(file) << deck;
  return measures(ngspice(name, file.string()).out);
}

// v(sq) = x^2 and v(cube) = x^3 swept by 0.125 (exact in binary): ngspice integrates the
// cubic through each four samples of a window from its start, then a parabola or a chord
// through what is left. From -1 over k steps: exact but for k = 1, 4, 7, whose last step
// is a chord (x^2: h^3/6 too much).
TEST(SweepMeasures, IntegAndRmsAsNgspiceIntegratesASweep) {
  std::string deck = "sweep integrals\nv1 in 0 0\nb2 sq 0 v=v(in)*v(in)\nb3 cube 0 v=v(in)*v(in)*v(in)\n"
                     "r2 sq 0 1k\nr3 cube 0 1k\n.dc v1 -2 2 0.125\n";
  for (int k = 1; k <= 7; ++k) {
    const double to = -1 + 0.125 * k;
    deck += fmt::format(".meas dc s{} integ v(sq) from=-1 to={}\n.meas dc c{} integ v(cube) from=-1 to={}\n", k, to, k, to);
  }
  deck += ".meas dc rs rms v(sq)\n.meas dc rc rms v(cube) from=-1.5 to=1\n.end\n";
  const auto ours = ns::control_test::neurospice("integ", deck);
  ASSERT_EQ(ours.status, 0) << ours.err;
  const auto got = measures(ours.out);
  const auto ng = of_ngspice("integ_ng", deck);
  ASSERT_TRUE(ng.count("s7") && ng.count("rc")) << "ngspice printed no measures";
  const double h = 0.125;
  for (int k = 1; k <= 7; ++k) {
    const double to = -1 + h * k;
    const double chord = k % 3 == 1 ? h * h * h / 6 : 0;  // the x^2 chord's excess
    ASSERT_TRUE(got.count(fmt::format("s{}", k))) << ours.out;
    EXPECT_NEAR(got.at(fmt::format("s{}", k)), (to * to * to + 1) / 3 + chord, 1e-8) << k;
    EXPECT_NEAR(got.at(fmt::format("s{}", k)), ng.at(fmt::format("s{}", k)), 5e-6) << k;
    EXPECT_NEAR(got.at(fmt::format("c{}", k)), ng.at(fmt::format("c{}", k)), 5e-6) << k;
    if (chord == 0) {
      EXPECT_NEAR(got.at(fmt::format("c{}", k)), (std::pow(to, 4) - 1) / 4, 1e-8) << k;
    }
  }
  for (const char* name : {"rs", "rc"})
    EXPECT_NEAR(got.at(name), ng.at(name), 5e-6 * std::abs(ng.at(name))) << name;
}

// A diode clamp swept from -2 V: v(out) follows v(in) below 0 and is clamped near 0.66 V.
// TRIG at -1 V rising, WHEN v(out) = -0.5: crossings below 0, which count (ngspice).
TEST(SweepMeasures, CrossingsBelowZeroCount) {
  const std::string deck = R"(clamp swept from below zero
v1 in 0 0
r1 in out 1k
d1 out 0 dclamp
.model dclamp d is=1e-14
.dc v1 -2 2 0.1
.meas dc rise_time trig v(out) val=-1 rise=1 targ v(out) val=0.3 rise=1
.meas dc at_half when v(out)=-0.5
.meas dc total integ v(out)
.meas dc swing rms v(out) from=-1 to=1.5
.end
)";
  const auto ours = ns::control_test::neurospice("crossings", deck);
  ASSERT_EQ(ours.status, 0) << ours.err;
  const auto got = measures(ours.out);
  const auto ng = of_ngspice("crossings_ng", deck);
  for (const char* name : {"rise_time", "at_half", "total", "swing"}) {
    ASSERT_TRUE(got.count(name)) << name << "\n" << ours.out << ours.err;
    ASSERT_TRUE(ng.count(name)) << name;
    // the diode's currents differ by 1e-5 relative between the two simulators
    EXPECT_NEAR(got.at(name), ng.at(name), 1e-4 * std::abs(ng.at(name))) << name;
  }
  EXPECT_NEAR(got.at("at_half"), -0.5, 1e-6);
  EXPECT_NEAR(got.at("rise_time"), 1.3, 1e-3);
}

}  // namespace
