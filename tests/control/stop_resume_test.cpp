// stop and resume in a transient (ngspice's breakpoints): the run pauses after a step and
// goes on from its state, with what the script altered in between. Checked against the
// closed form of an RC charge and against the same run without the stop; where and how
// often ngspice-39 stops as it printed on these decks.
#include <cmath>

#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using ns::control_test::neurospice;
using ns::control_test::numbers;
using ns::control_test::printed;

// 5 V into 1k and 1u from 0 V (uic): v(2) = 5 (1 - exp(-t / 1 ms)).
constexpr const char* rc = R"(RC charge
v1 1 0 dc 5
r1 1 2 1k
c1 2 0 1u
)";

double charge(double t) { return 5 * (1 - std::exp(-t / 1e-3)); }

// The largest |v - f(t)| over a wrdata file of (time, v) rows.
template <class F>
double worst(const std::string& file, F f) {
  double e = 0;
  for (const auto& row : numbers(file)) e = std::max(e, std::fabs(row.at(1) - f(row.at(0))));
  return e;
}

// The integrator keeps each step's local error within reltol (1e-3) of the value; over
// the run the error of a 5 V charge stays within a few of those, 5e-3 V at most, with or
// without a restart at the stop.
constexpr double tran_tolerance = 5e-3;

TEST(StopResume, StopAtATimeThenResumeIsTheRunWithoutTheStop) {
  const auto r = neurospice("stop_time", std::string(rc) + R"(.control
stop when time = 0.7m
status
tran 1u 2m uic
let n = length(time)
let t_stopped = time[n-1]
print t_stopped
resume
let t_end = time[length(time)-1]
print t_end
wrdata stopped.txt v(2)
delete all
tran 1u 2m uic
wrdata plain.txt v(2)
.endc
.end
)");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto values = printed(r.out);
  EXPECT_NEAR(values.at("t_stopped"), 0.7e-3, 1e-15);  // landed on the stop time (ngspice: 3.330000e-04 on its deck)
  EXPECT_NEAR(values.at("t_end"), 2e-3, 1e-15);
  EXPECT_NE(r.out.find("1    stop when time = 0.7m"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("condition met"), std::string::npos) << r.err;
  const double stopped = worst(r.file("stopped.txt"), charge), plain = worst(r.file("plain.txt"), charge);
  EXPECT_LT(stopped, tran_tolerance);
  EXPECT_LT(plain, tran_tolerance);
  // the two runs' rows, each against the other's (interpolated linearly on 1 us rows)
  const auto a = numbers(r.file("stopped.txt")), b = numbers(r.file("plain.txt"));
  double apart = 0;
  for (const auto& row : a) {
    const auto at = std::lower_bound(b.begin(), b.end(), row[0], [](const auto& x, double t) { return x[0] < t; });
    if (at == b.begin() || at == b.end()) continue;
    const auto& p = *(at - 1);
    const double v = p[1] + (row[0] - p[0]) * ((*at)[1] - p[1]) / ((*at)[0] - p[0]);
    apart = std::max(apart, std::fabs(row[1] - v));
  }
  EXPECT_LT(apart, tran_tolerance);
  std::printf("stop/resume vs closed form %.3g V, plain run %.3g V, apart %.3g V\n", stopped, plain, apart);
}

// Stop at 1 ms, a source of -5 V and 100 ohm then: from v(1 ms) the capacitor discharges
// with tau = 0.1 ms towards -5 V (ngspice's resume regression checks this shape).
TEST(StopResume, AlterBetweenStopAndResumeChangesTheRestOfTheRun) {
  const auto r = neurospice("stop_alter", std::string(rc) + R"(.control
stop when time = 1m
tran 1u 2m uic
alter v1 = -5
alter r1 = 100
resume
let v1ms = 5 * (1 - exp(-1))
let gold = (time le 1m) * 5 * (1 - exp(-time / 1m)) + (time gt 1m) * (v1ms + (-5 - v1ms) * (1 - exp(-(time - 1m) / 0.1m)))
let err = vecmax(abs(v(2) - gold))
print err
.endc
.end
)");
  ASSERT_EQ(r.status, 0) << r.err;
  const double err = printed(r.out).at("err");
  EXPECT_LT(err, tran_tolerance);
  std::printf("alter at the stop: max error against the closed form %.3g V\n", err);
}

// ngspice-39 on this deck: 'stop when v(2) > 2' stops at the first step past 2 V and, resumed,
// again at the next step; 'stop after 10' when the plot holds 10 points, once. v(2) passes
// 2 V at -1 ms ln(0.6) = 0.5108 ms; a step is at most tstop/50 = 40 us long.
TEST(StopResume, StopWhenAndAfterAsNgspice) {
  const auto r = neurospice("stop_when", std::string(rc) + R"(.control
stop when v(2) > 2
tran 10u 2m uic
let n1 = length(time)
let v_last = v(2)[n1-1]
let t_last = time[n1-1]
print n1 v_last t_last
resume
let n2 = length(time)
let v_next = v(2)[n2-1]
print n2 v_next
delete 1
stop after 10
tran 10u 2m uic
let n3 = length(time)
print n3
resume
let t3 = time[length(time)-1]
print t3
.endc
.end
)");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto v = printed(r.out);
  EXPECT_GT(v.at("v_last"), 2);
  EXPECT_GT(v.at("t_last"), 0.5108e-3);
  EXPECT_LE(v.at("t_last"), 0.5109e-3 + 40e-6);
  EXPECT_GT(v.at("n2"), v.at("n1"));
  EXPECT_GT(v.at("v_next"), v.at("v_last"));
  EXPECT_GE(v.at("n3"), 10);
  EXPECT_LE(v.at("n3"), 11);  // a step may write a grid row and its own
  EXPECT_NEAR(v.at("t3"), 2e-3, 1e-15);  // after 10 stops once
}

TEST(StopResume, AMalformedStopIsALocatedErrorAndResumeWithoutAStopRuns) {
  const auto r = neurospice("stop_bad", std::string(rc) + R"(.op
.control
stop when v(2) >
stop after two
resume
print v(2)
.endc
.end
)");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("deck.cir:7:1: error: 'stop'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("deck.cir:8:1: error: 'stop after' needs a whole number"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("v(2) = 5.000000e+00"), std::string::npos) << r.out;  // resume ran the deck's .op
}

}  // namespace
