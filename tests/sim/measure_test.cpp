// The .meas evaluator on hand-built waveforms with known answers: piecewise-linear ones
// (exact to round-off, since the evaluator is linear between samples) and unevenly
// sampled sines (analytic, within a stated interpolation error).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <numbers>

#include "analysis/measure.hpp"
#include "sim/support.hpp"
#include "expr/expression.hpp"

namespace ns::test {
namespace {

using Kind = MeasureRequest::Kind;
using Edge = Crossing::Edge;
constexpr double kExact = 1e-12;

Quantity probe(const std::string& label) {
  Quantity q;
  q.text = label;
  ProbeRequest p;
  p.label = label;
  q.probes.push_back(p);
  return q;
}

// An expression over probes: `text` names probe k as probe__k.
Quantity expression(const std::string& text, const std::vector<std::string>& labels) {
  Quantity q;
  q.text = text;
  for (const auto& l : labels) q.probes.push_back(probe(l).probes[0]);
  q.expression = std::make_shared<const Expression>(text);
  return q;
}

MeasureRequest request(Kind kind, const Quantity& q = {}) {
  MeasureRequest m;
  m.kind = kind;
  m.name = "m";
  m.quantity = q;
  m.spike_signal = q;
  return m;
}

Crossing crossing(const Quantity& q, double level, Edge edge, int count, double delay = 0) {
  Crossing c;
  c.signal = q;
  c.level = level;
  c.edge = edge;
  c.count = count;
  c.delay = delay;
  return c;
}

MeasureResult evaluate(const MeasureRequest& m, const Waveform& w, const std::map<std::string, double>& params = {}) {
  auto results = evaluate_measures({m}, MeasureRequest::Analysis::Tran, w, params);
  EXPECT_EQ(results.size(), 1u);
  return results.at(0);
}

double value(const MeasureRequest& m, const Waveform& w, const std::map<std::string, double>& params = {}) {
  const MeasureResult r = evaluate(m, w, params);
  EXPECT_TRUE(r.value) << "failed: " << r.failure;
  return r.value.value_or(NAN);
}

std::string failure(const MeasureRequest& m, const Waveform& w, const std::map<std::string, double>& params = {}) {
  const MeasureResult r = evaluate(m, w, params);
  EXPECT_FALSE(r.value) << "unexpected value " << r.value.value_or(NAN);
  return r.failure;
}

// A triangle with corners (0,0) (1,1) (3,-1) (4,0), sampled unevenly at its corners and
// in between, so that linear interpolation is exact; "v(b)" = 10x + 1, "v(c)" = 2 - x.
Waveform triangle() {
  Waveform w;
  w.labels = {"v(a)", "v(b)", "v(c)"};
  w.x = {0, 0.3, 1, 1.7, 2.2, 3, 3.5, 4};
  w.columns.resize(3);
  for (double x : w.x) {
    w.columns[0].push_back(x <= 1 ? x : x <= 3 ? 2 - x : x - 4);
    w.columns[1].push_back(10 * x + 1);
    w.columns[2].push_back(2 - x);
  }
  return w;
}

TEST(Measure, ExtremaAndIntegralsOfATriangleAreExact) {
  const Waveform w = triangle();
  const Quantity a = probe("v(a)");
  EXPECT_NEAR(value(request(Kind::Max, a), w), 1, kExact);
  EXPECT_NEAR(value(request(Kind::Min, a), w), -1, kExact);
  EXPECT_NEAR(value(request(Kind::Pp, a), w), 2, kExact);
  EXPECT_NEAR(value(request(Kind::Integ, a), w), 0, kExact);  // +1/2 - 1 + ... : areas cancel

  // The window ends fall between samples: only the samples inside count, as ngspice's
  // MAX/MIN take them (ngspice 39: v^2 swept by 0.1, MIN FROM=0.05 is 0.01, the sample at 0.1).
  MeasureRequest max = request(Kind::Max, a);
  max.from = 1.5;  // v = 0.5 here, interpolated; the next sample (1.7) has 0.3
  max.to = 3.8;
  EXPECT_NEAR(value(max, w), 0.3, kExact);
  max.kind = Kind::Min;
  EXPECT_NEAR(value(max, w), -1, kExact);

  // Integral over [0.5, 2.5]: int_0.5^1 x dx + int_1^2.5 (2 - x) dx = 0.375 + 0.375.
  MeasureRequest integ = request(Kind::Integ, a);
  integ.from = 0.5;
  integ.to = 2.5;
  EXPECT_NEAR(value(integ, w), 0.75, kExact);
  integ.kind = Kind::Avg;
  EXPECT_NEAR(value(integ, w), 0.375, kExact);
}

TEST(Measure, RmsIsTheTrapezoidOfTheSquares) {
  // Samples (0,1) (1,3) (3,-1): the trapezoid rule on q^2 gives (1+9)/2*1 + (9+1)/2*2 = 15
  // over a span of 3, so RMS = sqrt(5); the exact RMS of the linear interpolant would be
  // sqrt(3). The documented choice (ngspice's) is the former.
  Waveform w{{"v(a)"}, {0, 1, 3}, {{1, 3, -1}}};
  EXPECT_NEAR(value(request(Kind::Rms, probe("v(a)")), w), std::sqrt(5.0), kExact);
  // A constant's RMS is itself, whatever the window.
  Waveform dc{{"v(a)"}, {0, 0.1, 0.7, 2}, {{-2, -2, -2, -2}}};
  MeasureRequest rms = request(Kind::Rms, probe("v(a)"));
  rms.from = 0.05;
  rms.to = 1.3;
  EXPECT_NEAR(value(rms, dc), 2, kExact);
}

TEST(Measure, FindAndDerivAtArePiecewiseLinear) {
  const Waveform w = triangle();
  MeasureRequest find = request(Kind::FindAt, probe("v(a)"));
  find.at = 2.5;
  EXPECT_NEAR(value(find, w), -0.5, kExact);
  find.at = 1;  // a corner sample
  EXPECT_NEAR(value(find, w), 1, kExact);
  find.at = 4;
  EXPECT_NEAR(value(find, w), 0, kExact);

  MeasureRequest deriv = request(Kind::DerivAt, probe("v(a)"));
  deriv.at = 0.5;
  EXPECT_NEAR(value(deriv, w), 1, kExact);
  deriv.at = 2;
  EXPECT_NEAR(value(deriv, w), -1, kExact);
  deriv.at = 2.2;  // a sample inside a straight piece: both neighbours agree
  EXPECT_NEAR(value(deriv, w), -1, kExact);
  deriv.at = 1;  // the corner: the average of +1 and -1
  EXPECT_NEAR(value(deriv, w), 0, kExact);
  deriv.at = 0;  // an end: its one segment
  EXPECT_NEAR(value(deriv, w), 1, kExact);
  deriv.at = 4;
  EXPECT_NEAR(value(deriv, w), 1, kExact);
}

TEST(Measure, WhenCountsRisesFallsAndCrossings) {
  const Waveform w = triangle();
  const Quantity a = probe("v(a)");
  MeasureRequest when = request(Kind::When);
  // v(a) = 0.5 at x = 0.5 (rising) and 1.5 (falling); = -0.5 at 2.5 (falling), 3.5 (rising).
  // ngspice-39 on the same triangle as a PWL source gives the same for each case below
  // (values, and failures where these fail).
  when.when = crossing(a, 0.5, Edge::Rise, 1);
  EXPECT_NEAR(value(when, w), 0.5, kExact);
  when.when = crossing(a, 0.5, Edge::Fall, 1);
  EXPECT_NEAR(value(when, w), 1.5, kExact);
  when.when = crossing(a, 0.5, Edge::Cross, 2);
  EXPECT_NEAR(value(when, w), 1.5, kExact);
  when.when = crossing(a, 0.5, Edge::Cross, -1);  // LAST
  EXPECT_NEAR(value(when, w), 1.5, kExact);
  when.when = crossing(a, -0.5, Edge::Cross, -1);
  EXPECT_NEAR(value(when, w), 3.5, kExact);
  when.when = crossing(a, -0.5, Edge::Rise, 1);  // a crossing exactly at a sample
  EXPECT_NEAR(value(when, w), 3.5, kExact);
  // TD: crossings before x = 1 are not counted, so the first crossing is the fall.
  when.when = crossing(a, 0.5, Edge::Cross, 1, 1.0);
  EXPECT_NEAR(value(when, w), 1.5, kExact);
  when.when = crossing(a, 0.5, Edge::Rise, 1, 1.0);
  EXPECT_EQ(failure(when, w), "v(a) never crosses 0.5 (rising) at t >= 1");
  when.when = crossing(a, 0.5, Edge::Cross, 3);
  EXPECT_EQ(failure(when, w), "v(a) crosses 0.5 (either way) at t >= 0 only 2 times, not a 3rd time");
  // FROM/TO narrow WHEN as well.
  when.when = crossing(a, 0.5, Edge::Cross, 1);
  when.from = 0.7;
  EXPECT_NEAR(value(when, w), 1.5, kExact);
  when.to = 1.2;
  EXPECT_EQ(failure(when, w), "v(a) never crosses 0.5 (either way) for 0.7 <= t <= 1.2");
}

// A dc sweep from negative values: without TD= its crossings at x < 0 count (ngspice's
// `meas dc vhalf when iout=0` over vd = -0.3..0.3 finds -1.7e-3; it was "never crosses").
TEST(Measure, WhenInASweepFromNegativeValues) {
  Waveform w{{"v(a)"}, {-3, -1, 0, 2}, {{-2, 2, 4, 6}}};
  MeasureRequest when = request(Kind::When);
  when.when = crossing(probe("v(a)"), 0, Edge::Cross, 1);
  EXPECT_NEAR(value(when, w), -2, kExact);
  when.when = crossing(probe("v(a)"), 5, Edge::Rise, 1);
  EXPECT_NEAR(value(when, w), 1, kExact);
  // An explicit TD still starts the count there.
  when.when = crossing(probe("v(a)"), 0, Edge::Cross, 1, -1.5);
  EXPECT_EQ(failure(when, w), "v(a) never crosses 0 (either way) at t >= -1.5");
}

TEST(Measure, SamplesExactlyOnTheLevel) {
  // The triangle starts on 0 (not a crossing), falls through 0 at x = 2 and ends on 0
  // (arriving from below: a rise). ngspice-39 on the same PWL gives LAST = 4.
  const Waveform w = triangle();
  MeasureRequest when = request(Kind::When);
  when.when = crossing(probe("v(a)"), 0, Edge::Cross, -1);
  EXPECT_NEAR(value(when, w), 4, kExact);
  when.when = crossing(probe("v(a)"), 0, Edge::Cross, 1);
  EXPECT_NEAR(value(when, w), 2, kExact);
  when.when = crossing(probe("v(a)"), 0, Edge::Rise, 1);
  EXPECT_NEAR(value(when, w), 4, kExact);

  // -1 0 0 1 0 1: a rise where the run of zeros begins (x = 1), once; then a touch from
  // above at x = 4: a fall arriving and a rise leaving (ngspice's rule counts a touch so too).
  Waveform touch{{"v(a)"}, {0, 1, 2, 3, 4, 5}, {{-1, 0, 0, 1, 0, 1}}};
  when.when = crossing(probe("v(a)"), 0, Edge::Cross, 1);
  EXPECT_NEAR(value(when, touch), 1, kExact);
  when.when = crossing(probe("v(a)"), 0, Edge::Rise, 2);
  EXPECT_NEAR(value(when, touch), 4, kExact);
  when.when = crossing(probe("v(a)"), 0, Edge::Fall, 1);
  EXPECT_NEAR(value(when, touch), 4, kExact);
  when.when = crossing(probe("v(a)"), 0, Edge::Cross, 4);
  EXPECT_EQ(failure(when, touch), "v(a) crosses 0 (either way) at t >= 0 only 3 times, not a 4th time");

  // Starting on the level is not a crossing; 0 1 0 -1 falls once, at x = 2.
  Waveform start{{"v(a)"}, {0, 1, 2, 3}, {{0, 1, 0, -1}}};
  when.when = crossing(probe("v(a)"), 0, Edge::Cross, -1);
  EXPECT_NEAR(value(when, start), 2, kExact);
  when.when = crossing(probe("v(a)"), 0, Edge::Rise, 1);
  EXPECT_EQ(failure(when, start), "v(a) never crosses 0 (rising) at t >= 0");
}

TEST(Measure, FindDerivWhenAndTrigTarg) {
  const Waveform w = triangle();
  const Quantity a = probe("v(a)");
  MeasureRequest find = request(Kind::FindWhen, probe("v(b)"));
  find.when = crossing(a, 0.5, Edge::Fall, 1);  // x = 1.5: v(b) = 16
  EXPECT_NEAR(value(find, w), 16, kExact);
  find.kind = Kind::DerivWhen;
  EXPECT_NEAR(value(find, w), 10, kExact);
  find.quantity = a;
  EXPECT_NEAR(value(find, w), -1, kExact);

  // WHEN v(a) = v(c): v(a) meets 2 - x at x = 1 (a sample) and follows it to x = 3, then
  // leaves it upwards: the crossing is where they first met.
  MeasureRequest when = request(Kind::When);
  when.when = crossing(a, 0, Edge::Cross, 1);
  when.when.level_signal = probe("v(c)");
  EXPECT_NEAR(value(when, w), 1, kExact);
  when.when.level_signal = probe("v(b)");  // 10x + 1 stays above the triangle
  EXPECT_EQ(failure(when, w), "v(a) never crosses v(b) (either way) at t >= 0");

  MeasureRequest delay = request(Kind::TrigTarg);
  delay.trig = crossing(a, 0.5, Edge::Rise, 1);   // 0.5
  delay.targ = crossing(a, -0.5, Edge::Fall, 1);  // 2.5
  EXPECT_NEAR(value(delay, w), 2, kExact);
  delay.trig.at = 0.25;  // TRIG AT=0.25: from that time on
  EXPECT_NEAR(value(delay, w), 2.25, kExact);
  delay.targ = crossing(a, 0.5, Edge::Rise, 1, 1.0);
  EXPECT_EQ(failure(delay, w), "v(a) never crosses 0.5 (rising) at t >= 1");
}

// Unevenly spaced points over [0, end]: steps between 0.5h and 1.5h in a fixed pattern.
std::vector<double> uneven(double end, double h) {
  std::vector<double> x{0};
  for (int i = 1; x.back() < end; ++i) x.push_back(std::min(end, x.back() + h * (0.5 + double((i * 7919) % 101) / 100)));
  return x;
}

TEST(Measure, UnevenSineMatchesAnalyticWithinInterpolationError) {
  constexpr double f = 1e3, w0 = 2 * std::numbers::pi * f, A = 2, c = 0.5;
  const double h = 1 / (f * 200);  // ~200 samples a period, at most 1.5h apart
  Waveform w;
  w.labels = {"v(s)"};
  w.x = uneven(3e-3, h);
  w.columns.resize(1);
  for (double t : w.x) w.columns[0].push_back(c + A * std::sin(w0 * t));
  const double hmax = 1.5 * h, from = 0.13e-3, to = 2.71e-3, span = to - from;

  // Linear interpolation errs by at most hmax^2/8 * max|q''| anywhere, so an integral of
  // the interpolant by at most span times that; the window ends add the (interpolated q)^2
  // versus q^2 difference to INTEG(q^2).
  const double point_error = hmax * hmax / 8 * A * w0 * w0;
  const double integ = c * span + A / w0 * (std::cos(w0 * from) - std::cos(w0 * to));
  const double integ_sq = c * c * span + 2 * c * A / w0 * (std::cos(w0 * from) - std::cos(w0 * to)) +
                          A * A * (span / 2 - (std::sin(2 * w0 * to) - std::sin(2 * w0 * from)) / (4 * w0));
  const double sq_error = span * hmax * hmax / 8 * 2 * (A * A * w0 * w0 + (A + c) * A * w0 * w0) +
                          hmax * 2 * (A + c) * point_error;

  auto measure = [&](Kind kind) {
    MeasureRequest m = request(kind, probe("v(s)"));
    m.from = from;
    m.to = to;
    return value(m, w);
  };
  const double max = measure(Kind::Max), min = measure(Kind::Min), integral = measure(Kind::Integ);
  const double avg = measure(Kind::Avg), rms = measure(Kind::Rms), pp = measure(Kind::Pp);
  std::cout << "[measure] sine errors: max " << max - (c + A) << ", min " << min - (c - A) << ", integ "
            << integral - integ << " (bound " << span * point_error << "), rms^2 " << rms * rms - integ_sq / span
            << " (bound " << sq_error / span << ")\n";
  EXPECT_LE(max, c + A);  // the interpolant never overshoots a sine's peak
  EXPECT_NEAR(max, c + A, point_error);
  EXPECT_GE(min, c - A);
  EXPECT_NEAR(min, c - A, point_error);
  EXPECT_NEAR(pp, 2 * A, 2 * point_error);
  EXPECT_NEAR(integral, integ, span * point_error);
  EXPECT_NEAR(avg, integ / span, point_error);
  EXPECT_NEAR(rms * rms, integ_sq / span, sq_error / span);

  // Derivative inside a segment: the chord slope, within hmax/2 * max|q''| of q'.
  MeasureRequest deriv = request(Kind::DerivAt, probe("v(s)"));
  deriv.at = 1.1e-3;
  EXPECT_NEAR(value(deriv, w), A * w0 * std::cos(w0 * deriv.at), hmax / 2 * A * w0 * w0);

  // c + A sin crosses c upward at whole periods: the last before 2.9 ms is at 2 ms. The
  // interpolant is within hmax^2/8 * A w0^2 of the sine, so the crossing within that over
  // the slope A w0.
  MeasureRequest when = request(Kind::When);
  when.when = crossing(probe("v(s)"), c, Edge::Rise, -1);
  when.to = 2.9e-3;
  EXPECT_NEAR(value(when, w), 2e-3, hmax * hmax * w0 / 8);
  when.when = crossing(probe("v(s)"), c, Edge::Fall, 2);  // half periods: 1.5 ms
  EXPECT_NEAR(value(when, w), 1.5e-3, hmax * hmax * w0 / 8);
}

// Triangular spikes of height 1 over 0.4 (up 0.2, down 0.2) starting at `starts`, on a
// baseline of 0; the spike at 2 rings (0.45 then 0.6) on its way down.
Waveform spike_train() {
  std::vector<std::pair<double, double>> corners{{0, 0}, {0.5, 0}};
  for (double s : {1.0, 2.0, 3.5, 4.0, 6.0}) {
    corners.push_back({s, 0});
    corners.push_back({s + 0.2, 1});
    if (s == 2.0) {
      corners.push_back({2.3, 0.45});
      corners.push_back({2.35, 0.6});
      corners.push_back({2.5, 0});
    } else {
      corners.push_back({s + 0.4, 0});
      corners.push_back({s + 0.45, 0});
    }
  }
  corners.push_back({7, 0});
  Waveform w;
  w.labels = {"v(n)"};
  w.columns.resize(1);
  for (auto [x, y] : corners) {
    w.x.push_back(x);
    w.columns[0].push_back(y);
  }
  return w;
}

TEST(Measure, SpikeTrainStatisticsAreExact) {
  const Waveform w = spike_train();
  ASSERT_TRUE(std::is_sorted(w.x.begin(), w.x.end()));
  const Quantity n = probe("v(n)");
  auto spikes = [&](Kind kind) {
    MeasureRequest m = request(kind, n);
    m.threshold = 0.5;
    return m;
  };
  // Crossings of 0.5 at s + 0.1: 1.1, 2.1, 3.6, 4.1, 6.1. The ring at 2.3..2.35 (0.45 ->
  // 0.6) does not re-arm: the default hysteresis is half of threshold - minimum (0.25).
  EXPECT_EQ(value(spikes(Kind::Spikes), w), 5);
  EXPECT_NEAR(value(spikes(Kind::Rate), w), 4 / (6.1 - 1.1), kExact);
  // Intervals 1.0, 1.5, 0.5, 2.0: mean 1.25; squared deviations sum to 1.25, / 3.
  EXPECT_NEAR(value(spikes(Kind::IsiMean), w), 1.25, kExact);
  EXPECT_NEAR(value(spikes(Kind::IsiStd), w), std::sqrt(1.25 / 3), kExact);
  EXPECT_NEAR(value(spikes(Kind::IsiCv), w), std::sqrt(1.25 / 3) / 1.25, kExact);

  // Without hysteresis the ring is a sixth spike, at 2.3 + 0.05 * (0.05 / 0.15).
  MeasureRequest hyst0 = spikes(Kind::Spikes);
  hyst0.hysteresis = 0;
  EXPECT_EQ(value(hyst0, w), 6);
  hyst0.kind = Kind::IsiMean;
  EXPECT_NEAR(value(hyst0, w), (6.1 - 1.1) / 5, kExact);
  hyst0.hysteresis = 0.04;  // re-arms below 0.46: 0.45 is
  hyst0.kind = Kind::Spikes;
  EXPECT_EQ(value(hyst0, w), 6);
  hyst0.hysteresis = 0.06;  // below 0.44: not
  EXPECT_EQ(value(hyst0, w), 5);

  // Window [2, 5]: 2.1, 3.6, 4.1. From 2.15 (above threshold, so not armed): 3.6, 4.1.
  MeasureRequest window = spikes(Kind::Spikes);
  window.from = 2;
  window.to = 5;
  EXPECT_EQ(value(window, w), 3);
  window.from = 2.15;
  EXPECT_EQ(value(window, w), 2);
  window.kind = Kind::Rate;
  EXPECT_NEAR(value(window, w), 1 / 0.5, kExact);

  // One spike: RATE reads 0, the interval statistics fail.
  MeasureRequest one = spikes(Kind::Rate);
  one.to = 1.5;
  EXPECT_EQ(value(one, w), 0);
  one.kind = Kind::IsiMean;
  EXPECT_EQ(failure(one, w), "1 spike in the window; ISIMEAN needs at least 2");
  one.kind = Kind::IsiCv;
  one.to = 3;
  EXPECT_EQ(failure(one, w), "2 spikes in the window; ISICV needs at least 3");
  MeasureRequest none = spikes(Kind::Rate);
  none.threshold = 1.5;
  EXPECT_EQ(value(none, w), 0);
  none.kind = Kind::Spikes;
  EXPECT_EQ(value(none, w), 0);
}

TEST(Measure, EnergyPerSpikeIsTheIntegralOverTheSpikeCount) {
  const Waveform w = spike_train();
  // Power k*v(n): each plain spike's area is 0.4/2 = 0.2; the ringing one's trapezoids
  // are 0.1 + 0.0725 + 0.02625 + 0.045 = 0.24375; total 1.04375, times k = 2, over 5 spikes.
  MeasureRequest eps = request(Kind::EnergyPerSpike, expression("k*probe__0", {"v(n)"}));
  eps.spike_signal = probe("v(n)");
  eps.threshold = 0.5;
  EXPECT_NEAR(value(eps, w, {{"k", 2}}), 2 * 1.04375 / 5, kExact);
  eps.from = 3;  // spikes at 3.6, 4.1, 6.1; area 3 * 0.2
  EXPECT_NEAR(value(eps, w, {{"k", 2}}), 2 * 0.6 / 3, kExact);
  eps.threshold = 2;
  EXPECT_EQ(failure(eps, w, {{"k", 2}}), "v(n) has no spike in the window");
}

TEST(Measure, FrequencyOfAnUnevenlySampledSine) {
  constexpr double f = 1.234e6;
  Waveform w;
  w.labels = {"v(o)", "v(dc)"};
  w.x = uneven(40e-6, 1 / (f * 30));  // ~49 periods, ~30 samples each
  w.columns.resize(2);
  for (double t : w.x) {
    // An offset and a weaker third harmonic must not move the dominant peak.
    w.columns[0].push_back(0.7 + std::sin(2 * std::numbers::pi * f * t + 0.3) +
                           0.2 * std::sin(2 * std::numbers::pi * 3 * f * t));
    w.columns[1].push_back(1.5);
  }
  const double measured = value(request(Kind::Frequency, probe("v(o)")), w);
  std::cout << "[measure] FREQ of 1.234 MHz: " << measured << " Hz, relative error " << measured / f - 1 << "\n";
  EXPECT_NEAR(measured / f, 1, 1e-3);

  // A window of the last 20 us: fewer periods, the same frequency.
  MeasureRequest late = request(Kind::Frequency, probe("v(o)"));
  late.from = 20e-6;
  const double windowed = value(late, w);
  std::cout << "[measure] FREQ over 20 us: relative error " << windowed / f - 1 << "\n";
  EXPECT_NEAR(windowed / f, 1, 1e-3);

  EXPECT_EQ(failure(request(Kind::Frequency, probe("v(dc)")), w), "the signal is constant (1.5)");
}

// The parabola through the log magnitudes of a Hann-windowed peak is biased by up to
// ~0.02 bin, depending on where between two bins the frequency falls: sines of 20 + d
// periods in the window, d from 0 to 1.
TEST(Measure, FrequencyBiasStaysWithinAFiftiethOfABin) {
  double worst = 0;
  for (int step = 0; step <= 20; ++step) {
    const double periods = 20 + step / 20.0;
    Waveform w;
    w.labels = {"v(o)"};
    w.columns.resize(1);
    for (int i = 0; i <= 1000; ++i) {
      w.x.push_back(i * 1e-3);  // a window of 1 s: bins are 1 Hz apart
      w.columns[0].push_back(std::cos(2 * std::numbers::pi * periods * w.x.back() + 1));
    }
    const double error = value(request(Kind::Frequency, probe("v(o)")), w) - periods;
    worst = std::max(worst, std::abs(error));
  }
  std::cout << "[measure] FREQ worst bias over bin offsets: " << worst << " bin\n";
  EXPECT_LT(worst, 0.02);
}

TEST(Measure, ParamUsesEarlierMeasuresAndParams) {
  const Waveform w = triangle();
  MeasureRequest rise = request(Kind::When);
  rise.name = "rise";
  rise.when = crossing(probe("v(a)"), 0.5, Edge::Rise, 1);  // 0.5
  MeasureRequest never = rise;
  never.name = "never";
  never.when.level = 5;
  MeasureRequest p = request(Kind::Param);
  p.name = "p";
  p.expression = std::make_shared<const Expression>("rise*4 + k");
  MeasureRequest q = p;
  q.name = "q";
  q.expression = std::make_shared<const Expression>("never + 1");
  MeasureRequest u = p;
  u.name = "u";
  u.expression = std::make_shared<const Expression>("later + 1");
  MeasureRequest later = rise;
  later.name = "later";

  const auto results = evaluate_measures({rise, never, p, q, u, later}, MeasureRequest::Analysis::Tran, w, {{"k", 3}});
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[2].name, "p");
  EXPECT_NEAR(results[2].value.value_or(NAN), 5, kExact);
  EXPECT_FALSE(results[1].value);
  EXPECT_FALSE(results[3].value);
  EXPECT_EQ(results[3].failure, "it uses 'never', which failed");
  // PARAMs are evaluated after every waveform measure, as ngspice 39 does (its z=2*x
  // before x's card reads x): 'later' + 1 = 0.5 + 1.
  EXPECT_NEAR(results[4].value.value_or(NAN), 1.5, kExact);
  EXPECT_TRUE(results[5].value);
}

TEST(Measure, OnlyTheRequestedAnalysisIsEvaluated) {
  const Waveform w = triangle();
  MeasureRequest dc = request(Kind::Max, probe("v(a)"));
  dc.analysis = MeasureRequest::Analysis::Dc;
  dc.name = "dcmax";
  MeasureRequest tran = request(Kind::Min, probe("v(a)"));
  tran.name = "tranmin";
  const auto results = evaluate_measures({dc, tran}, MeasureRequest::Analysis::Tran, w, {});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].name, "tranmin");
  const auto dc_results = evaluate_measures({dc, tran}, MeasureRequest::Analysis::Dc, w, {});
  ASSERT_EQ(dc_results.size(), 1u);
  EXPECT_EQ(dc_results[0].name, "dcmax");
  EXPECT_EQ(dc_results[0].value.value_or(NAN), 1);
}

TEST(Measure, FailuresSayWhy) {
  const Waveform w = triangle();
  MeasureRequest find = request(Kind::FindAt, probe("v(a)"));
  find.at = 5;
  EXPECT_EQ(failure(find, w), "AT=5 is outside the data [0, 4]");

  MeasureRequest max = request(Kind::Max, probe("v(a)"));
  max.to = 4.5;  // narrowed to the data's end, as ngspice's window
  EXPECT_NEAR(value(max, w), 1, kExact);
  MeasureRequest beyond = request(Kind::Max, probe("v(a)"));
  beyond.from = 5;
  beyond.to = 6;
  EXPECT_EQ(failure(beyond, w), "the window [5, 6] lies outside the data [0, 4]");
  max.to = 4 * (1 + 1e-12);  // round-off past the end is clipped
  EXPECT_NEAR(value(max, w), 1, kExact);
  max.from = 3;
  max.to = 2;
  EXPECT_EQ(failure(max, w), "FROM=3 is after TO=2");

  MeasureRequest avg = request(Kind::Avg, probe("v(a)"));
  avg.from = avg.to = 2.5;
  EXPECT_EQ(failure(avg, w), "the window [2.5, 2.5] is empty");
  avg.kind = Kind::Integ;
  EXPECT_EQ(value(avg, w), 0);

  EXPECT_EQ(failure(request(Kind::Max, probe("v(zz)")), w), "'v(zz)' was not recorded");

  // v(c)/v(a): v(a) is 0 at the first sample.
  MeasureRequest ratio = request(Kind::Max, expression("probe__0/probe__1", {"v(c)", "v(a)"}));
  EXPECT_EQ(failure(ratio, w), "'probe__0/probe__1' at t = 0: division by zero");
  MeasureRequest unknown = request(Kind::Max, expression("probe__0*gain", {"v(a)"}));
  EXPECT_EQ(failure(unknown, w), "'probe__0*gain': unknown name 'gain'");
  EXPECT_NEAR(value(unknown, w, {{"gain", 3}}), 3, kExact);

  // A jump (two samples at x = 1) has no slope inside it.
  Waveform step{{"v(a)"}, {0, 1, 1, 2}, {{0, 0, 1, 1}}};
  MeasureRequest deriv = request(Kind::DerivWhen, probe("v(a)"));
  deriv.when = crossing(probe("v(a)"), 0.5, Edge::Rise, 1);
  EXPECT_EQ(failure(deriv, step), "the signal jumps at t = 1: no slope");
  MeasureRequest at_jump = request(Kind::FindAt, probe("v(a)"));
  at_jump.at = 1;  // the first sample at a repeated x
  EXPECT_EQ(value(at_jump, step), 0);

  // A dc sweep that runs downwards: extrema and crossings read it in sample order; what
  // needs x in order (integrals, windows, AT=) says why not.
  Waveform down{{"v(a)"}, {1, 0.5, 0}, {{1, 2, 3}}};
  EXPECT_EQ(value(request(Kind::Max, probe("v(a)")), down), 3);
  MeasureRequest average = request(Kind::Avg, probe("v(a)"));
  EXPECT_EQ(failure(average, down),
            "the sweep runs backwards at sample 1 (0.5 after 1); this measure needs it nondecreasing (WHEN, "
            "FIND with AT or WHEN, TRIG/TARG with VAL, and MAX/MIN/PP without FROM/TO read any sweep)");
  // FIND AT= reads the first stretch holding x (ngspice's, over a nested .dc's branches).
  MeasureRequest at_down = request(Kind::FindAt, probe("v(a)"));
  at_down.at = 0.25;
  EXPECT_NEAR(value(at_down, down), 2.5, kExact);
  Waveform branches{{"v(a)"}, {0, 1, 2, 0, 1, 2}, {{0, 10, 20, 0, 30, 60}}};
  at_down.at = 1.5;
  EXPECT_NEAR(value(at_down, branches), 15, kExact);
  MeasureRequest windowed = request(Kind::Max, probe("v(a)"));
  windowed.from = 0.2;
  EXPECT_NE(failure(windowed, down), "");
  Waveform empty{{"v(a)"}, {}, {{}}};
  EXPECT_EQ(failure(request(Kind::Max, probe("v(a)")), empty), "no samples");
}

// A hysteresis loop, swept 0 -> 3 -> 0: the device switches on at x = 2.5 going up and off
// at x = 1.5 coming down. Crossings are found in sample order, so RISE and FALL tell the
// branches apart.
TEST(Measure, CrossingsOnASweepThatTurnsBack) {
  const Waveform loop{{"i(v1)"}, {0, 1, 2, 3, 2, 1, 0}, {{0, 0, 0, 1, 1, 0, 0}}};
  MeasureRequest on = request(Kind::When);
  on.when = crossing(probe("i(v1)"), 0.5, Edge::Rise, 1);
  EXPECT_NEAR(value(on, loop), 2.5, kExact);
  MeasureRequest off = request(Kind::When);
  off.when = crossing(probe("i(v1)"), 0.5, Edge::Fall, 1);
  EXPECT_NEAR(value(off, loop), 1.5, kExact);
  MeasureRequest width = request(Kind::TrigTarg);
  width.trig = on.when;
  width.targ = off.when;
  EXPECT_NEAR(value(width, loop), -1, kExact);
  EXPECT_EQ(value(request(Kind::Pp, probe("i(v1)")), loop), 1);
}

// End to end: a .meas reads the transient between IDA's steps through its interpolating
// polynomial (at the output rows), not a straight line between long steps. RC step with a
// 1 us ramp: v(out) = 1 - (tau/Tr)(e^(Tr/tau) - 1) e^(-t/tau) after the ramp, so 90 % is
// reached tau ln(10 (tau/Tr)(e^(Tr/tau) - 1)) after the ramp starts. reltol 1e-7: the
// integrator may be off by reltol·v(out) at the crossing, 3.9e-6 of t90 at reltol 1e-6,
// above this test's 1e-6; a straight line between its ~35 us steps would be off by ~1e-4.
TEST(Measure, TrigAtTargOnAnRcStepMatchesTheAnalyticTime) {
  const auto run = run_neurospice(
      "rc\nV1 in 0 PULSE(0 1 1m 1u 1u 10m 20m)\nR1 in out 1k\nC1 out 0 1u\n.tran 1u 5m\n"
      ".options reltol=1e-7\n.meas tran t90 trig at=1m targ v(out) val=0.9 rise=1\n.end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const double tau = 1e-3, ramp = 1e-6;
  const double expected = tau * std::log(10 * tau / ramp * std::expm1(ramp / tau));
  const auto at = run.out.find("t90 = ");
  ASSERT_NE(at, std::string::npos) << run.out;
  EXPECT_NEAR(std::stod(run.out.substr(at + 6)), expected, 1e-6 * expected);
}

}  // namespace
}  // namespace ns::test
