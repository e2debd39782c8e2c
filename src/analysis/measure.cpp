#include "analysis/measure.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <ranges>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

#include "circuit/fft.hpp"
#include "expr/expression.hpp"

namespace ns {

namespace {

// A crossing written on the card (TRIG/TARG of a range measure are optional).
bool given(const Crossing& c) { return c.at || !c.signal.text.empty(); }

// Why a measure has no value; caught per measure, never leaves evaluate_measures.
struct Failed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Samples = std::vector<double>;  // a signal at each x of the waveform

// A stretch of a signal: the samples inside a window plus its interpolated ends.
struct Points {
  std::vector<double> x, y;
};

// Where on the waveform: between sample i and i+1 at fraction f (f = 0: sample i itself).
struct Position {
  std::size_t i = 0;
  double f = 0;
  double x = 0;
};

double lerp(double a, double b, double f) { return a + (b - a) * f; }

std::string text_of(const Quantity& q) {
  if (!q.text.empty()) return q.text;
  return q.probes.empty() ? std::string("?") : q.probes[0].label;
}

class Evaluator {
public:
  Evaluator(const Waveform& w, MeasureRequest::Analysis analysis, const std::map<std::string, double>& params)
      : w_(w), params_(params), sweep_(analysis == MeasureRequest::Analysis::Dc), axis_(analysis == MeasureRequest::Analysis::Tran ? "t" : analysis == MeasureRequest::Analysis::Ac ? "f" : "x"),
        monotonic_(std::is_sorted(w.x.begin(), w.x.end())) {
    if (!w.x.empty()) std::tie(lo_, hi_) = std::pair(*std::min_element(w.x.begin(), w.x.end()),
                                                     *std::max_element(w.x.begin(), w.x.end()));
  }

  double measure(const MeasureRequest& m, const std::vector<MeasureResult>& earlier) const;

private:
  using Kind = MeasureRequest::Kind;

  const Samples& column(const std::string& label) const;
  Samples samples(const Quantity& q) const;
  std::pair<double, double> window(const MeasureRequest& m) const;
  Points clip(const Samples& y, std::pair<double, double> window) const;
  Points samples_in(const Samples& y, std::pair<double, double> window) const;
  Position position_at(double x) const;
  double value_at(const Samples& y, const Position& p) const;
  double slope_at(const Samples& y, const Position& p) const;
  Position crossing(const Crossing& c, double from, double to) const;
  std::vector<double> spike_times(const MeasureRequest& m, const Quantity& signal) const;
  double frequency(const Points& p) const;
  double param(const MeasureRequest& m, const std::vector<MeasureResult>& earlier) const;

public:
  mutable std::vector<std::pair<std::string, double>> details_;  // of the last measure (MeasureResult::details)

private:
  const Waveform& w_;
  const std::map<std::string, double>& params_;
  bool sweep_;        // a .dc's: INTEG and RMS integrate as ngspice's do over a sweep
  const char* axis_;  // what x is called in messages
  // A .dc sweep that turns back (up, then down: hysteresis) has x out of order. Measures
  // that follow the samples in order (crossings, extrema) still read it; x ranges
  // (FROM/TO, windows) then mean "x between these values", anywhere in the sweep.
  bool monotonic_;
  double lo_ = 0, hi_ = 0;  // the range of x
};

const Samples& Evaluator::column(const std::string& label) const {
  for (std::size_t k = 0; k < w_.labels.size(); ++k)
    if (w_.labels[k] == label) return w_.columns[k];
  throw Failed(fmt::format("'{}' was not recorded", label));
}

Samples Evaluator::samples(const Quantity& q) const {
  if (q.probes.empty()) throw Failed(fmt::format("'{}' reads no probe", q.text));
  if (!q.expression) return column(q.probes[0].label);
  std::map<std::string, const Samples*> probes;
  for (std::size_t k = 0; k < q.probes.size(); ++k) probes[quantity_name(k)] = &column(q.probes[k].label);
  Samples y(w_.x.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    try {
      y[i] = q.expression->evaluate([&](const std::string& name, std::size_t) {
        if (auto p = probes.find(name); p != probes.end()) return (*p->second)[i];
        if (auto p = params_.find(name); p != params_.end()) return p->second;
        throw Failed(fmt::format("'{}': unknown name '{}'", q.text, name));
      });
    } catch (const ExpressionError& e) {
      throw Failed(fmt::format("'{}' at {} = {:g}: {}", q.text, axis_, w_.x[i], e.what()));
    }
  }
  return y;
}

// FROM/TO, defaulting to the data's ends. A window reaching past an end narrows to it, as
// ngspice's does (a deck's TO= beyond its tran's stop is common); one wholly outside fails.
std::pair<double, double> Evaluator::window(const MeasureRequest& m) const {
  const double lo = lo_, hi = hi_, slack = 1e-9 * (hi - lo);
  // LTspice's AVG q TRIG c1 TARG c2: the window runs from c1's crossing to c2's.
  auto x_of = [&](const Crossing& c) { return c.at ? *c.at : crossing(c, lo, hi).x; };
  const bool ranged = m.kind != MeasureRequest::Kind::TrigTarg;
  const double from = ranged && given(m.trig) ? x_of(m.trig) : m.from.value_or(lo);
  const double to = ranged && given(m.targ) ? x_of(m.targ) : m.to.value_or(hi);
  if (from > to) throw Failed(fmt::format("FROM={:g} is after TO={:g}", from, to));
  if (to < lo - slack || from > hi + slack)
    throw Failed(fmt::format("the window [{:g}, {:g}] lies outside the data [{:g}, {:g}]", from, to, lo, hi));
  return {std::max(from, lo), std::min(to, hi)};
}

Points Evaluator::clip(const Samples& y, std::pair<double, double> window) const {
  const auto [from, to] = window;
  Points p;
  auto add = [&](double x, double v) { p.x.push_back(x); p.y.push_back(v); };
  if (!std::binary_search(w_.x.begin(), w_.x.end(), from)) add(from, value_at(y, position_at(from)));
  for (std::size_t i = 0; i < y.size(); ++i)
    if (w_.x[i] >= from && w_.x[i] <= to) add(w_.x[i], y[i]);
  if (to > from && !std::binary_search(w_.x.begin(), w_.x.end(), to)) add(to, value_at(y, position_at(to)));
  return p;
}

// An extremum's stretch: the samples inside the window only, as ngspice takes them
// (measured, ngspice 39: v(2) = v(1)^2 swept by 0.1, MIN FROM=0.05 is 0.01 at 0.1, not
// 0.0025 at 0.05); a window between two samples, its interpolated ends.
Points Evaluator::samples_in(const Samples& y, std::pair<double, double> window) const {
  Points p;
  for (std::size_t i = 0; i < y.size(); ++i)
    if (w_.x[i] >= window.first && w_.x[i] <= window.second) p.x.push_back(w_.x[i]), p.y.push_back(y[i]);
  return p.x.empty() ? clip(y, window) : p;
}

// x inside the data: the first sample at x, or the segment holding it. In a sweep that
// runs back (a nested .dc: one branch after another), the first stretch reaching x, as
// ngspice's FIND ... AT= reads it.
Position Evaluator::position_at(double x) const {
  const auto& xs = w_.x;
  if (!monotonic_) {
    for (std::size_t i = 0; i < xs.size(); ++i) {
      if (xs[i] == x) return {i, 0, x};
      if (i + 1 < xs.size() && std::min(xs[i], xs[i + 1]) < x && x < std::max(xs[i], xs[i + 1]))
        return {i, (x - xs[i]) / (xs[i + 1] - xs[i]), x};
    }
    throw Failed(fmt::format("no stretch of the sweep holds {} = {:g}", axis_, x));
  }
  const std::size_t j = std::size_t(std::lower_bound(xs.begin(), xs.end(), x) - xs.begin());
  if (j < xs.size() && xs[j] == x) return {j, 0, x};
  return {j - 1, (x - xs[j - 1]) / (xs[j] - xs[j - 1]), x};
}

double Evaluator::value_at(const Samples& y, const Position& p) const {
  return p.f == 0 ? y[p.i] : lerp(y[p.i], y[p.i + 1], p.f);
}

double Evaluator::slope_at(const Samples& y, const Position& p) const {
  const auto& xs = w_.x;
  // The slope at x of the parabola through samples a < b < c: second order in the spacing
  // where a segment's chord is first order (a 1 us output step on a 1 kHz sine is 1% off).
  auto parabola = [&](std::size_t a, std::size_t b, std::size_t c, double x) {
    const double s1 = (y[b] - y[a]) / (xs[b] - xs[a]), s2 = (y[c] - y[b]) / (xs[c] - xs[b]);
    return s1 + (s2 - s1) * (2 * x - xs[a] - xs[b]) / (xs[c] - xs[a]);
  };
  if (p.f > 0) {
    if (xs[p.i + 1] == xs[p.i]) throw Failed(fmt::format("the signal jumps at {} = {:g}: no slope", axis_, p.x));
    // The segment and the nearer of the samples either side of it (not across a jump).
    const std::size_t a = p.i, b = p.i + 1;
    const bool left = monotonic_ && a > 0 && xs[a - 1] < xs[a];
    const bool right = monotonic_ && b + 1 < xs.size() && xs[b + 1] > xs[b];
    if (left && (!right || p.x - xs[a - 1] <= xs[b + 1] - p.x)) return parabola(a - 1, a, b, p.x);
    if (right) return parabola(a, b, b + 1, p.x);
    return (y[b] - y[a]) / (xs[b] - xs[a]);
  }
  // At a sample: the samples either side, skipping samples that repeat its x; across a jump
  // (several samples at its x), the average of the slopes of the segments either side.
  const auto first = std::size_t(std::lower_bound(xs.begin(), xs.end(), xs[p.i]) - xs.begin());
  const auto after = std::size_t(std::upper_bound(xs.begin(), xs.end(), xs[p.i]) - xs.begin());
  if (monotonic_ && first > 0 && after < xs.size() && after == first + 1) return parabola(first - 1, first, after, p.x);
  std::vector<double> slopes;
  if (first > 0) slopes.push_back((y[first] - y[first - 1]) / (xs[first] - xs[first - 1]));
  if (after < xs.size()) slopes.push_back((y[after] - y[after - 1]) / (xs[after] - xs[after - 1]));
  if (slopes.empty()) throw Failed(fmt::format("one sample at {} = {:g}: no slope", axis_, p.x));
  return slopes.size() == 1 ? slopes[0] : 0.5 * (slopes[0] + slopes[1]);
}

// ngspice's integral over a .dc sweep (measured, ngspice 39, on x^2 and x^3 swept by
// 0.125: exact for cubics over 3, 6, 9... steps, the last step a chord after 4, 7...): the
// cubic through each run of four samples from the window's start, then the polynomial
// through the two or three left. Each piece integrated exactly by two-point Gauss.
double sweep_integral(const Points& p) {
  double sum = 0;
  for (std::size_t i = 0; i + 1 < p.x.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(4, p.x.size() - i);
    const double* x = &p.x[i];
    const double* y = &p.y[i];
    bool distinct = true;
    for (std::size_t j = 1; j < n; ++j) distinct &= x[j] > x[j - 1];
    if (!distinct) {  // a repeated x: the chords
      for (std::size_t j = 1; j < n; ++j) sum += 0.5 * (y[j - 1] + y[j]) * (x[j] - x[j - 1]);
      continue;
    }
    auto at = [&](double t) {  // Lagrange's form of the polynomial through the n points
      double v = 0;
      for (std::size_t j = 0; j < n; ++j) {
        double w = y[j];
        for (std::size_t k = 0; k < n; ++k)
          if (k != j) w *= (t - x[k]) / (x[j] - x[k]);
        v += w;
      }
      return v;
    };
    const double half = 0.5 * (x[n - 1] - x[0]), mid = 0.5 * (x[n - 1] + x[0]), d = half / std::sqrt(3.0);
    sum += half * (at(mid - d) + at(mid + d));
  }
  return sum;
}

std::string ordinal(int n) {
  const int tens = n % 100, ones = n % 10;
  const char* suffix = (tens >= 11 && tens <= 13) ? "th" : ones == 1 ? "st" : ones == 2 ? "nd" : ones == 3 ? "rd" : "th";
  return fmt::format("{}{}", n, suffix);
}

// The crossing `c` asks for, counting only those at x in [max(TD, from), to].
Position Evaluator::crossing(const Crossing& c, double from, double to) const {
  Samples d = samples(c.signal);
  if (c.level_signal) {
    const Samples level = samples(*c.level_signal);
    for (std::size_t i = 0; i < d.size(); ++i) d[i] -= level[i];
  } else {
    for (double& v : d) v -= c.level;
  }
  // TD=0, the default, counts from the sweep's start: a .dc from -2 V crosses below 0 too.
  const double lo = c.delay != 0 ? std::max(from, c.delay) : from;
  std::vector<Position> found;
  auto add = [&](const Position& p, bool rising) {
    const bool wanted = c.edge == Crossing::Edge::Cross || rising == (c.edge == Crossing::Edge::Rise);
    if (wanted && p.x >= lo && p.x <= to) found.push_back(p);
  };
  auto sign_of = [](double v) { return (v > 0) - (v < 0); };
  int last_sign = 0;  // of the last non-zero d; 0 before the first
  for (std::size_t i = 0; i < d.size();) {
    if (d[i] != 0) {
      const int sign = sign_of(d[i]);
      if (last_sign != 0 && sign != last_sign) {
        const double f = d[i - 1] / (d[i - 1] - d[i]);
        add({i - 1, f, lerp(w_.x[i - 1], w_.x[i], f)}, sign > 0);
      }
      last_sign = sign;
      ++i;
      continue;
    }
    // A run of samples exactly on the level, [i, j): arriving counts as a crossing, and
    // leaving back to the side it came from as another.
    std::size_t j = i;
    while (j < d.size() && d[j] == 0) ++j;
    const int after = j < d.size() ? sign_of(d[j]) : 0;
    if (last_sign != 0) {
      add({i, 0, w_.x[i]}, last_sign < 0);
      if (after == last_sign) add({j - 1, 0, w_.x[j - 1]}, after > 0);
    }
    if (after != 0) last_sign = after;
    i = j;
  }
  if (c.count == -1 && !found.empty()) return found.back();
  if (c.count >= 1 && std::size_t(c.count) <= found.size()) return found[std::size_t(c.count) - 1];

  const char* edge = c.edge == Crossing::Edge::Rise ? "rising" : c.edge == Crossing::Edge::Fall ? "falling" : "either way";
  const std::string level = c.level_signal ? text_of(*c.level_signal) : fmt::format("{:g}", c.level);
  const std::string where = to < hi_ ? fmt::format("for {:g} <= {} <= {:g}", lo, axis_, to)
                                             : fmt::format("at {} >= {:g}", axis_, lo);
  if (c.count < 1 && c.count != -1) throw Failed(fmt::format("crossing count {} is not a positive number", c.count));
  if (found.empty()) throw Failed(fmt::format("{} never crosses {} ({}) {}", text_of(c.signal), level, edge, where));
  throw Failed(fmt::format("{} crosses {} ({}) {} only {} time{}, not a {} time", text_of(c.signal), level, edge,
                           where, found.size(), found.size() == 1 ? "" : "s", ordinal(c.count)));
}

std::vector<double> Evaluator::spike_times(const MeasureRequest& m, const Quantity& signal) const {
  const Points p = clip(samples(signal), window(m));
  // By default the signal must come back halfway from the threshold to its lowest value
  // once it has reached the threshold: a spike's own ringing doesn't count twice, whatever
  // the signal's scale, and a start-up before the first spike (a neuron's capacitor
  // charging from 0 V, far below where it resets to between spikes) doesn't set the level.
  const auto reached = std::find_if(p.y.begin(), p.y.end(), [&](double y) { return y >= m.threshold; });
  const double min = reached == p.y.end() ? m.threshold : *std::min_element(reached, p.y.end());
  const double hysteresis = m.hysteresis.value_or(std::max(0.0, 0.5 * (m.threshold - min)));
  if (hysteresis < 0) throw Failed(fmt::format("HYST={:g} is negative", hysteresis));
  const double th = m.threshold;
  std::vector<double> times;
  bool armed = p.y[0] < th;
  for (std::size_t i = 1; i < p.y.size(); ++i) {
    if (armed && p.y[i] >= th) {  // armed means p.y[i-1] < th
      times.push_back(lerp(p.x[i - 1], p.x[i], (th - p.y[i - 1]) / (p.y[i] - p.y[i - 1])));
      armed = false;
    } else if (!armed && p.y[i] < th - hysteresis) {
      armed = true;
    }
  }
  return times;
}

double Evaluator::frequency(const Points& p) const {
  const double from = p.x.front(), span = p.x.back() - from;
  if (span <= 0) throw Failed("the window is empty");
  const auto [min, max] = std::minmax_element(p.y.begin(), p.y.end());
  if (*min == *max) throw Failed(fmt::format("the signal is constant ({:g})", *min));
  std::vector<double> steps;
  for (std::size_t i = 1; i < p.x.size(); ++i)
    if (p.x[i] > p.x[i - 1]) steps.push_back(p.x[i] - p.x[i - 1]);
  std::nth_element(steps.begin(), steps.begin() + std::ptrdiff_t(steps.size() / 2), steps.end());
  const double median = steps[steps.size() / 2];
  std::size_t n = 64;
  while (n < (std::size_t(1) << 20) && span / double(n) > median) n *= 2;

  std::vector<std::complex<double>> a(n);
  double mean = 0;
  for (std::size_t j = 0, i = 0; j < n; ++j) {
    const double x = from + span * double(j) / double(n);
    while (i + 2 < p.x.size() && p.x[i + 1] <= x) ++i;
    const double dx = p.x[i + 1] - p.x[i];
    a[j] = dx > 0 ? lerp(p.y[i], p.y[i + 1], (x - p.x[i]) / dx) : p.y[i + 1];
    mean += a[j].real() / double(n);
  }
  for (std::size_t j = 0; j < n; ++j)
    a[j] = (a[j] - mean) * (0.5 - 0.5 * std::cos(2 * std::numbers::pi * double(j) / double(n)));
  fft(a);
  std::size_t peak = 1;
  for (std::size_t k = 2; k <= n / 2; ++k)
    if (std::abs(a[k]) > std::abs(a[peak])) peak = k;
  double bin = double(peak);
  if (peak < n / 2) {
    auto log_mag = [&](std::size_t k) { return std::log(std::max(std::abs(a[k]), 1e-300)); };
    const double l = log_mag(peak - 1), c = log_mag(peak), r = log_mag(peak + 1);
    const double curvature = l - 2 * c + r;
    if (curvature < 0) bin += 0.5 * (l - r) / curvature;
  }
  return bin / span;
}

double Evaluator::param(const MeasureRequest& m, const std::vector<MeasureResult>& earlier) const {
  if (!m.expression) throw Failed("PARAM has no expression");
  try {
    return m.expression->evaluate([&](const std::string& name, std::size_t) {
      for (const MeasureResult& r : earlier | std::views::reverse)  // a name measured twice: its last value
        if (r.name == name) {
          if (!r.value) throw Failed(fmt::format("it uses '{}', which failed", name));
          return *r.value;
        }
      if (auto p = params_.find(name); p != params_.end()) return p->second;
      throw Failed(fmt::format("unknown name '{}' (not an earlier measure nor a .param)", name));
    });
  } catch (const ExpressionError& e) {
    throw Failed(e.what());
  }
}

double Evaluator::measure(const MeasureRequest& m, const std::vector<MeasureResult>& earlier) const {
  switch (m.kind) {
    case Kind::Max: case Kind::Min: case Kind::Pp: case Kind::Avg: case Kind::Rms: case Kind::Integ: {
      Points p;
      const bool extremum = m.kind == Kind::Max || m.kind == Kind::Min || m.kind == Kind::Pp;
      if (monotonic_) p = extremum ? samples_in(samples(m.quantity), window(m)) : clip(samples(m.quantity), window(m));
      else p.y = samples(m.quantity);  // extrema of the whole sweep (see needs_order)
      const auto [min, max] = std::minmax_element(p.y.begin(), p.y.end());
      if (m.kind == Kind::Max || m.kind == Kind::Min) {
        const auto at = std::size_t((m.kind == Kind::Max ? max : min) - p.y.begin());
        details_ = {{"at", p.x.empty() ? w_.x[at] : p.x[at]}};
        return m.kind == Kind::Max ? *max : *min;
      }
      if (!p.x.empty()) details_ = {{"from", p.x.front()}, {"to", p.x.back()}};
      if (m.kind == Kind::Pp) return *max - *min;
      const bool squared = m.kind == Kind::Rms;
      if (squared)
        for (double& y : p.y) y *= y;
      double integral = 0;
      if (sweep_ && monotonic_ && m.kind != Kind::Avg) {  // AVG: chords, as ngspice's
        integral = sweep_integral(p);
      } else {
        for (std::size_t i = 1; i < p.x.size(); ++i) integral += 0.5 * (p.y[i - 1] + p.y[i]) * (p.x[i] - p.x[i - 1]);
      }
      if (m.kind == Kind::Integ) return integral;
      const double span = p.x.back() - p.x.front();
      if (span <= 0) throw Failed(fmt::format("the window [{:g}, {:g}] is empty", p.x.front(), p.x.back()));
      return squared ? std::sqrt(integral / span) : integral / span;
    }
    case Kind::MaxAt: case Kind::MinAt: {
      // The sample where the extremum is (the first, if it repeats), as ngspice reports it.
      const Points p = samples_in(samples(m.quantity), window(m));
      const auto at = m.kind == Kind::MaxAt ? std::max_element(p.y.begin(), p.y.end())
                                            : std::min_element(p.y.begin(), p.y.end());
      if (at == p.y.end()) throw Failed("the window holds no samples");
      details_ = {{"with", *at}};
      return p.x[static_cast<std::size_t>(at - p.y.begin())];
    }
    case Kind::FindAt: case Kind::DerivAt: {
      const Samples y = samples(m.quantity);
      const double lo = lo_, hi = hi_, slack = 1e-9 * (hi - lo);
      if (m.at < lo - slack || m.at > hi + slack)
        throw Failed(fmt::format("AT={:g} is outside the data [{:g}, {:g}]", m.at, lo, hi));
      const Position p = position_at(std::clamp(m.at, lo, hi));
      return m.kind == Kind::FindAt ? value_at(y, p) : slope_at(y, p);
    }
    case Kind::When: case Kind::FindWhen: case Kind::DerivWhen: {
      const auto [from, to] = window(m);
      const Position p = crossing(m.when, from, to);
      if (m.kind == Kind::When) return p.x;
      const Samples y = samples(m.quantity);
      return m.kind == Kind::FindWhen ? value_at(y, p) : slope_at(y, p);
    }
    case Kind::TrigTarg: {
      const double lo = lo_, hi = hi_;
      auto x_of = [&](const Crossing& c) { return c.at ? *c.at : crossing(c, lo, hi).x; };
      const double targ = x_of(m.targ), trig = x_of(m.trig);
      details_ = {{"targ", targ}, {"trig", trig}};
      return targ - trig;
    }
    case Kind::Param:
      return param(m, earlier);
    case Kind::Spikes: case Kind::Rate: case Kind::IsiMean: case Kind::IsiStd: case Kind::IsiCv: {
      const std::vector<double> t = spike_times(m, m.spike_signal.probes.empty() ? m.quantity : m.spike_signal);
      const std::size_t n = t.size();
      if (m.kind == Kind::Spikes) return double(n);
      if (m.kind == Kind::Rate) {
        if (n < 2) return 0;
        if (t.back() == t.front()) throw Failed(fmt::format("{} spikes all at {} = {:g}", n, axis_, t.front()));
        return double(n - 1) / (t.back() - t.front());
      }
      const std::size_t needed = m.kind == Kind::IsiMean ? 2 : 3;
      if (n < needed)
        throw Failed(fmt::format("{} spike{} in the window; {} needs at least {}", n, n == 1 ? "" : "s",
                                 m.kind == Kind::IsiMean ? "ISIMEAN" : m.kind == Kind::IsiStd ? "ISISTD" : "ISICV",
                                 needed));
      const double mean = (t.back() - t.front()) / double(n - 1);
      if (m.kind == Kind::IsiMean) return mean;
      double sum = 0;
      for (std::size_t k = 1; k < n; ++k) sum += (t[k] - t[k - 1] - mean) * (t[k] - t[k - 1] - mean);
      const double std = std::sqrt(sum / double(n - 2));
      if (m.kind == Kind::IsiStd) return std;
      if (mean == 0) throw Failed("the mean interval is 0");
      return std / mean;
    }
    case Kind::EnergyPerSpike: {
      const std::size_t n = spike_times(m, m.spike_signal).size();
      if (n == 0) throw Failed(fmt::format("{} has no spike in the window", text_of(m.spike_signal)));
      const Points p = clip(samples(m.quantity), window(m));
      double integral = 0;
      for (std::size_t i = 1; i < p.x.size(); ++i) integral += 0.5 * (p.y[i - 1] + p.y[i]) * (p.x[i] - p.x[i - 1]);
      return integral / double(n);
    }
    case Kind::Frequency:
      return frequency(clip(samples(m.quantity), window(m)));
  }
  throw Failed("unknown measure kind");
}

// Measures that need x in order: integrals, averages and FROM/TO windows on a signal's
// values, values AT an x (which may occur twice), spikes and spectra.
bool needs_order(const MeasureRequest& m) {
  using K = MeasureRequest::Kind;
  switch (m.kind) {
    case K::When: case K::FindWhen: case K::TrigTarg: case K::Param: case K::FindAt: return false;
    case K::Max: case K::Min: case K::Pp: return m.from || m.to || given(m.trig) || given(m.targ);
    default: return true;
  }
}

}  // namespace

std::vector<MeasureResult> evaluate_measures(const std::vector<MeasureRequest>& measures,
                                             MeasureRequest::Analysis analysis,
                                             const Waveform& waveform,
                                             const std::map<std::string, double>& params) {
  const Evaluator evaluator(waveform, analysis, params);
  std::string out_of_order;  // why a measure that needs x in order cannot read this waveform
  for (std::size_t i = 1; i < waveform.x.size() && out_of_order.empty(); ++i)
    if (!(waveform.x[i] >= waveform.x[i - 1]))
      out_of_order = fmt::format("the sweep runs backwards at sample {} ({:g} after {:g}); this measure needs "
                                 "it nondecreasing (WHEN, FIND with AT or WHEN, TRIG/TARG with VAL, and MAX/MIN/PP "
                                 "without FROM/TO read any sweep)", i, waveform.x[i], waveform.x[i - 1]);
  // As ngspice 39: every measure of the waveform first, then the PARAMs in card order, each
  // reading the value a name had last in that order (a name measured twice: its second
  // value, even for a PARAM written between the two). Reported in card order.
  std::vector<MeasureResult> evaluated;  // in evaluation order
  std::vector<std::size_t> card_order;   // evaluated[card_order[k]] is the k-th card's
  std::vector<const MeasureRequest*> cards;
  for (const MeasureRequest& m : measures)
    if (m.analysis == analysis) cards.push_back(&m);
  card_order.resize(cards.size());
  for (const bool params : {false, true})
    for (std::size_t k = 0; k < cards.size(); ++k) {
      const MeasureRequest& m = *cards[k];
      if ((m.kind == MeasureRequest::Kind::Param) != params) continue;
      const std::string unusable = waveform.x.empty() ? "no samples" : needs_order(m) ? out_of_order : "";
      MeasureResult r{m.name, std::nullopt, unusable, {}, m.kind};
      // PARAM needs no waveform.
      if (unusable.empty() || params) {
        try {
          evaluator.details_.clear();
          r.value = evaluator.measure(m, evaluated);
          r.details = evaluator.details_;
          r.failure.clear();
        } catch (const Failed& e) {
          r.failure = e.what();
        }
      }
      card_order[k] = evaluated.size();
      evaluated.push_back(std::move(r));
    }
  std::vector<MeasureResult> results;
  for (const std::size_t k : card_order) results.push_back(std::move(evaluated[k]));
  return results;
}

std::string measure_line(const MeasureResult& r, MeasureLine where) {
  if (!r.value) return fmt::format("{:<20}failed: {}", r.name, r.failure);
  // ngspice 39 (measured on its -b output): "name<pad to 20>=" and two spaces before
  // each number, C's %e (six decimals, a minus sign in place); RMS and INTEG five
  // decimals. A .meas card's WHEN, RMS and INTEG put three spaces and five decimals
  // before the value, its PARAM two and five; the script's meas command does not.
  using Kind = MeasureRequest::Kind;
  const bool five = r.kind == Kind::Rms || r.kind == Kind::Integ;
  const bool card = where == MeasureLine::Card;
  const bool wide = card && (five || r.kind == Kind::When);
  const int decimals = five || (card && (r.kind == Kind::When || r.kind == Kind::Param)) ? 5 : 6;
  std::string line = fmt::format("{:<20}={}{:.{}e}", r.name, wide ? "   " : "  ", *r.value, decimals);
  for (const auto& [what, x] : r.details) line += fmt::format(" {}=  {:.{}e}", what, x, five ? 5 : 6);
  return line;
}

}  // namespace ns
