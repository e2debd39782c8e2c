// Independent sources: PULSE, SIN, EXP and PWL values at chosen times against values
// worked out by hand, their breakpoints, ngspice's tstep/tstop defaults, the DC/OP/TRAN
// modes, DC sweeps, the sign conventions of V and I, and malformed cards.
#include <numbers>

#include "harness.hpp"

namespace ns::test {
namespace {

Element source(char kind, std::vector<Group> groups) {
  Element e = element(kind, std::string(1, kind) + "1", {"n0", "n1"});
  e.groups = std::move(groups);
  return e;
}

Bench vsource(std::vector<Group> groups) { return Bench("v", source('v', std::move(groups)), {}, {0, 1}, 2); }

// The value the source drives, at `time` in a transient.
double value(const Bench& b, double time, Mode mode = Mode::Tran) {
  return b.load({0, 0, 0}, mode, time).u[2];
}

std::vector<double> breakpoints(const Device& d, double from, double to) {
  std::vector<double> out;
  d.breakpoints(from, to, out);
  std::sort(out.begin(), out.end());
  return out;
}

void expect_times(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t k = 0; k < got.size(); ++k) EXPECT_NEAR(got[k], want[k], 1e-9 * want[k]) << k;
}

TEST(Source, Pulse) {
  Bench b = vsource({group("pulse", {0, 1, 1e-9, 2e-9, 3e-9, 10e-9, 20e-9})});
  b.device().start_transient(1e-10, 1e-7);
  EXPECT_DOUBLE_EQ(value(b, 0), 0);
  EXPECT_DOUBLE_EQ(value(b, 1e-9), 0);
  EXPECT_NEAR(value(b, 1.5e-9), 0.25, 1e-12);      // rising: 0.5 ns into a 2 ns edge
  EXPECT_DOUBLE_EQ(value(b, 3e-9), 1);
  EXPECT_DOUBLE_EQ(value(b, 8e-9), 1);
  EXPECT_NEAR(value(b, 14.5e-9), 0.5, 1e-12);      // falling: 1.5 ns into a 3 ns edge
  EXPECT_DOUBLE_EQ(value(b, 17e-9), 0);
  EXPECT_NEAR(value(b, 21.5e-9 + 40e-9), 0.25, 1e-9);  // third period
  expect_times(breakpoints(b.device(), 0, 45e-9),
               {1e-9, 3e-9, 13e-9, 16e-9, 21e-9, 23e-9, 33e-9, 36e-9, 41e-9, 43e-9});
  expect_times(breakpoints(b.device(), 22e-9, 34e-9), {23e-9, 33e-9});
}

TEST(Source, PulseDefaults) {
  // tr, tf = tstep; pw, per = tstop (zero counts as missing, as in ngspice)
  Bench b = vsource({group("pulse", {0, 2, 0, 0})});
  b.device().start_transient(1e-9, 1e-6);
  EXPECT_NEAR(value(b, 0.5e-9), 1, 1e-12);
  EXPECT_DOUBLE_EQ(value(b, 0.5e-6), 2);
  // per = tstop cuts the pulse (tr + pw + tf > per): the next period rises again at tstop
  EXPECT_NEAR(value(b, 1e-6 + 0.5e-9), 1, 1e-6);
  expect_times(breakpoints(b.device(), 0, 1e-6), {1e-9, 1e-6});
}

TEST(Source, Sin) {
  Bench b = vsource({group("sin", {0.5, 2, 1e3, 1e-3, 100, 30})});
  b.device().start_transient(1e-6, 5e-3);
  EXPECT_NEAR(value(b, 0.5e-3), 0.5 + 2 * 0.5, 1e-12);  // before td: vo + va sin(phase)
  const double t = 1.25e-3;  // a quarter period after td: sin(pi/2 + pi/6) = cos(pi/6)
  EXPECT_NEAR(value(b, t), 0.5 + 2 * std::cos(std::numbers::pi / 6) * std::exp(-0.25e-3 * 100), 1e-12);
  expect_times(breakpoints(b.device(), 0, 5e-3), {1e-3});
}

TEST(Source, SinDefaultFrequencyIsOneOverTstop) {
  Bench b = vsource({group("sin", {0, 1})});
  b.device().start_transient(1e-6, 4e-3);
  EXPECT_NEAR(value(b, 1e-3), 1, 1e-12);  // quarter of a 4 ms period
  EXPECT_NEAR(value(b, 3e-3), -1, 1e-12);
}

TEST(Source, Exp) {
  Bench b = vsource({group("exp", {-1, 1, 1e-6, 2e-6, 5e-6, 1e-6})});
  b.device().start_transient(1e-8, 1e-5);
  EXPECT_DOUBLE_EQ(value(b, 0.5e-6), -1);
  EXPECT_NEAR(value(b, 3e-6), -1 + 2 * (1 - std::exp(-1.0)), 1e-12);
  EXPECT_NEAR(value(b, 6e-6), -1 + 2 * (1 - std::exp(-2.5)) - 2 * (1 - std::exp(-1.0)), 1e-12);
  expect_times(breakpoints(b.device(), 0, 1e-5), {1e-6, 5e-6});
}

TEST(Source, ExpDefaults) {
  // tau1 = tstep, td2 = td1 + tstep, tau2 = tstep
  Bench b = vsource({group("exp", {0, 1, 2e-9})});
  b.device().start_transient(1e-9, 1e-7);
  EXPECT_NEAR(value(b, 2.5e-9), 1 - std::exp(-0.5), 1e-12);
  EXPECT_NEAR(value(b, 4e-9), (1 - std::exp(-2.0)) - (1 - std::exp(-1.0)), 1e-12);
}

TEST(Source, Pwl) {
  Bench b = vsource({group("pwl", {1e-6, 0, 2e-6, 1, 3e-6, 1, 4e-6, -2})});
  EXPECT_DOUBLE_EQ(value(b, 0), 0);
  EXPECT_NEAR(value(b, 1.5e-6), 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(value(b, 2.5e-6), 1);
  EXPECT_NEAR(value(b, 3.25e-6), 0.25, 1e-12);
  EXPECT_DOUBLE_EQ(value(b, 9e-6), -2);
  expect_times(breakpoints(b.device(), 1e-6, 1e-5), {2e-6, 3e-6, 4e-6});
}

TEST(Source, Modes) {
  Bench b = vsource({group("dc", {2}), group("ac", {1}), group("pulse", {5, 7, 1e-6})});
  EXPECT_DOUBLE_EQ(value(b, 0, Mode::Dc), 2);      // .op/.dc: the DC value
  EXPECT_DOUBLE_EQ(value(b, 0, Mode::TranOp), 5);  // a transient's OP: the waveform at 0
  EXPECT_DOUBLE_EQ(value(b, 5e-6, Mode::Tran), 7);
  // A knob changed the card's dc value (a .dc sweep): the source takes it without a rebuild.
  EXPECT_TRUE(b.device().update(source('v', {group("dc", {-3}), group("pulse", {5, 7, 1e-6})})));
  EXPECT_DOUBLE_EQ(value(b, 0, Mode::Dc), -3);
  // No dc value: the waveform's value at t = 0, as ngspice 39 (measured: PULSE's v1, SIN's
  // vo + va sin(phase)); AM's stays 0 there.
  Bench none = vsource({group("pulse", {1, 2})});
  EXPECT_DOUBLE_EQ(value(none, 0, Mode::Dc), 1);
  Bench sine = vsource({group("sin", {0.3, 1, 1e3, 0, 0, 30})});
  EXPECT_NEAR(value(sine, 0, Mode::Dc), 0.8, 1e-15);
  Bench am = vsource({group("am", {2, 0.4, 1e3, 1e4, 0})});
  EXPECT_DOUBLE_EQ(value(am, 0, Mode::Dc), 0);
  Bench dc_only = vsource({group("dc", {4})});
  EXPECT_DOUBLE_EQ(value(dc_only, 1e-3, Mode::Tran), 4);
}

TEST(Source, VoltageSourceStampAndProbes) {
  const Bench b = vsource({group("dc", {5})});
  const std::vector<double> x{5, 1, -2e-3};  // n0, n1, i(v1)
  const Sample s = b.load(x);
  EXPECT_DOUBLE_EQ(s.f[0], -2e-3);  // branch current leaves n+ into the source
  EXPECT_DOUBLE_EQ(s.f[1], 2e-3);
  EXPECT_DOUBLE_EQ(s.f[2], 4);  // v(+) - v(-) = u
  EXPECT_DOUBLE_EQ(s.u[2], 5);
  EXPECT_DOUBLE_EQ(b.quantity("i", x), -2e-3);
  EXPECT_DOUBLE_EQ(b.quantity("p", x), 4 * -2e-3);  // absorbed, as ngspice
}

TEST(Source, CurrentSourcePushesFromPlusThroughItselfToMinus) {
  const Bench b("i", source('i', {group("dc", {1e-3})}), {}, {0, 1}, 2);
  const std::vector<double> x{0.2, 1.2};
  const Sample s = b.load(x);
  // F = f - u: the source takes 1 mA out of n+ and delivers it into n-
  EXPECT_DOUBLE_EQ(s.u[0], -1e-3);
  EXPECT_DOUBLE_EQ(s.u[1], 1e-3);
  EXPECT_DOUBLE_EQ(b.quantity("v", x), 1.0);     // as ngspice: v(n-) - v(n+)
  EXPECT_DOUBLE_EQ(b.quantity("p", x), -1e-3);   // delivering 1 mW
}

void expect_error_at(std::vector<Group> groups, const std::string& where) {
  try {
    vsource(std::move(groups));
    ADD_FAILURE() << "accepted; expected an error at " << where;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(where), std::string::npos) << e.what();
  }
}

TEST(Source, MalformedGroups) {
  // group keyword at 1:30, its k-th argument at 1:(40+k) (see harness.hpp)
  expect_error_at({group("pulse", {0, 1, 0, 0, 0, 1, 2, 3, 4})}, "bench.cir:1:48");  // 9th (np is the 8th)
  expect_error_at({group("sin", {1})}, "bench.cir:1:30");                        // too few
  expect_error_at({group("pwl", {0, 1, 1e-6})}, "bench.cir:1:42");               // no partner
  expect_error_at({group("pwl", {0, 1, 2e-6, 0, 1e-6, 3})}, "bench.cir:1:44");   // time goes back
  expect_error_at({group("square", {0, 1})}, "bench.cir:1:30");                  // unknown
  expect_error_at({group("dc", {1, 2})}, "bench.cir:1:41");
  expect_error_at({group("sin", {0, 1}), group("pulse", {0, 1})}, "bench.cir:1:30");
}

}  // namespace
}  // namespace ns::test
