#include "circuit/source_function.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "circuit/fft.hpp"
#include "circuit/params.hpp"
#include "expr/expression.hpp"

namespace ns {

namespace {

struct ShapeRule {
  std::string_view keyword;
  std::size_t min_args, max_args;
  std::string_view usage;
};

constexpr ShapeRule rules[] = {
    {"pulse", 2, 8, "pulse(v1 v2 td tr tf pw per [np])"},
    {"sin", 2, 6, "sin(vo va freq td theta phase)"},
    {"exp", 2, 6, "exp(v1 v2 td1 tau1 td2 tau2)"},
    {"pwl", 2, static_cast<std::size_t>(-1), "pwl(t1 v1 t2 v2 ...)"},
    {"sffm", 2, 7, "sffm(vo va fc mdi fs phasec phases)"},
    {"am", 5, 8, "am(vo vmo vma fm fc td phasem phasec)"},
    {"trnoise", 2, 7, "trnoise(na nt nalpha namp rts_amp rts_cap rts_emt)"},
    {"trrandom", 2, 5, "trrandom(type ts td param1 param2)"},
};

// At most this many noise samples a source (8 bytes each).
constexpr double max_samples = 1e7;

void check_count(const Group& g, std::size_t lo, std::size_t hi, std::string_view usage,
                 const std::string& owner) {
  if (g.args.size() > hi)
    throw InputError(g.args[hi].where, fmt::format("too many arguments to '{}' on '{}' (expected {})",
                                                   g.keyword, owner, usage));
  if (g.args.size() < lo)
    throw InputError(g.where, fmt::format("too few arguments to '{}' on '{}' (expected {})",
                                          g.keyword, owner, usage));
}

// A missing or zero argument takes the fallback, as in ngspice.
double arg_or(const std::vector<double>& a, std::size_t k, double fallback) {
  return k < a.size() && a[k] != 0 ? a[k] : fallback;
}

}  // namespace

SourceFunction::SourceFunction(const Element& element, std::initializer_list<std::string_view> device_params) {
  // No bare values (a bare leading value is the "dc" group). A pwl's r= (repeat from that
  // time) and td= (delay) are read below.
  const bool pwl = std::any_of(element.groups.begin(), element.groups.end(),
                               [](const Group& g) { return g.keyword == "pwl"; });
  for (const auto& a : element.params) {
    if (pwl && (a.name == "r" || a.name == "td")) continue;
    if (std::find(device_params.begin(), device_params.end(), a.name) == device_params.end())
      detail::find_param({}, a.name, a.where, element.name, true);
  }
  if (!element.values.empty())
    throw InputError(element.values[0].where, "too many values on '" + element.name + "'");
  bool have_dc = false;
  const Group* wave = nullptr;
  for (const Group& g : element.groups) {
    if (g.keyword == "dc") {
      if (have_dc) throw InputError(g.where, fmt::format("'{}' has two dc values", element.name));
      check_count(g, 1, 1, "dc value", element.name);
      dc_ = g.args[0].value;
      have_dc = true;
      continue;
    }
    if (g.keyword == "ac") {
      check_count(g, 0, 2, "ac magnitude phase", element.name);
      const double magnitude = g.args.empty() ? 0 : g.args[0].value;
      const double phase = g.args.size() > 1 ? g.args[1].value : 0;
      ac_ = std::polar(magnitude, phase * std::numbers::pi / 180);
      continue;
    }
    const ShapeRule* rule = nullptr;
    for (const auto& r : rules)
      if (r.keyword == g.keyword) rule = &r;
    if (!rule)
      throw InputError(g.where, fmt::format("unknown source function '{}' on '{}' (expected dc, "
                                            "ac, pulse, sin, exp, pwl, sffm, am, trnoise or trrandom)", g.keyword, element.name));
    if (wave)
      throw InputError(g.where, fmt::format("'{}' already has a '{}' waveform", element.name,
                                            wave->keyword));
    check_count(g, rule->min_args, rule->max_args, rule->usage, element.name);
    wave = &g;
  }
  if (!wave) return;
  for (const Number& n : wave->args) given_.push_back(n.value);
  name_ = element.name;
  seed(1);
  where_ = wave->where;
  if (wave->keyword == "trnoise") {
    shape_ = Shape::TrNoise;
    given_.resize(7, 0);
    if (!(given_[1] > 0) && (given_[0] != 0 || (given_[2] > 0 && given_[3] != 0)))
      throw InputError(wave->args[1].where, fmt::format("trnoise on '{}' needs a sample time nt above 0", element.name));
    // nalpha = 0 (or namp = 0): no 1/f part; rts times of 0 (or not given): no telegraph
    // signal (ngspice's own demo decks write both).
    if (!(given_[2] >= 0 && given_[2] <= 2))
      throw InputError(wave->args[2].where,
                       fmt::format("trnoise on '{}': the 1/f exponent nalpha must be in [0, 2]", element.name));
    for (std::size_t k : {5, 6})
      if (given_[k] < 0)
        throw InputError(wave->args[k].where,
                         fmt::format("trnoise on '{}': telegraph capture and emission times must not be negative",
                                     element.name));
  }
  if (wave->keyword == "trrandom") {
    shape_ = Shape::TrRandom;
    const double type = given_[0];
    if (type != 1 && type != 2 && type != 3 && type != 4)
      throw InputError(wave->args[0].where, fmt::format("trrandom on '{}': type must be 1 (uniform), 2 (gaussian), "
                                                        "3 (exponential) or 4 (poisson), not {:g}", element.name, type));
    if (!(given_[1] > 0))
      throw InputError(wave->args[1].where, fmt::format("trrandom on '{}' needs a step time ts above 0", element.name));
    if (given_.size() < 3) given_.push_back(0);  // td
    if (given_.size() < 4) given_.push_back(1);  // param1
    if (given_.size() < 5) given_.push_back(0);  // param2
    if (type == 4 && !(given_[3] >= 0 && given_[3] <= 700))
      throw InputError(wave->args.size() > 3 ? wave->args[3].where : wave->where,
                       fmt::format("trrandom on '{}': the poisson mean must be in [0, 700]", element.name));
  }
  if (wave->keyword == "pulse") shape_ = Shape::Pulse;
  if (wave->keyword == "sin") shape_ = Shape::Sin;
  if (wave->keyword == "exp") shape_ = Shape::Exp;
  if (wave->keyword == "sffm") shape_ = Shape::Sffm;
  if (wave->keyword == "am") shape_ = Shape::Am;
  if (wave->keyword == "pwl") {
    shape_ = Shape::Pwl;
    if (given_.size() % 2 != 0)
      throw InputError(wave->args.back().where,
                       fmt::format("pwl on '{}' needs time-value pairs; this value has no partner",
                                   element.name));
    for (std::size_t k = 2; k < given_.size(); k += 2)
      if (!(given_[k] >= given_[k - 2]))  // equal times: a step (the reader warns, as ngspice)
        throw InputError(wave->args[k].where,
                         fmt::format("pwl times on '{}' must not decrease: {:g} follows {:g}",
                                     element.name, given_[k], given_[k - 2]));
    for (const auto& a : element.params) {
      if (a.name == "td") delay_ = a.value;
      if (a.name != "r") continue;
      // ngspice repeats from a time point of the waveform, before its last.
      bool point = false;
      for (std::size_t k = 0; k + 2 < given_.size(); k += 2) point = point || given_[k] == a.value;
      if (!point)
        throw InputError(a.where, fmt::format("pwl repeat time r = {:g} on '{}' is not one of its time "
                                              "points before the last", a.value, element.name));
      repeat_ = a.value;
    }
  }
  // Until a transient says otherwise: sharp edges and an endless pulse.
  start_transient(0, inf);
  // Without a dc value, .op, .dc and .ac take the waveform's value at t = 0, as ngspice
  // does (measured, ngspice 39: PULSE's v1, SIN's vo + va sin(phase), PWL's first value
  // even when its first time is later, SFFM's). Its AM, trnoise and trrandom stay at 0.
  if (!have_dc && shape_ != Shape::Am && shape_ != Shape::TrNoise && shape_ != Shape::TrRandom) dc_ = at(0);
}

void SourceFunction::seed(std::uint64_t stream) { seed_ = TransientNoise::key(stream, name_); }

void SourceFunction::start_transient(double tstep, double tstop) {
  ramp_ = 0;
  const auto& a = given_;
  switch (shape_) {
    case Shape::None: p_.clear(); break;
    case Shape::Pulse:
      // np, the number of pulses (ngspice's 8th value, LTspice's Ncycles): 0 or none is endless
      p_ = {a[0], a[1], arg_or(a, 2, 0), arg_or(a, 3, tstep), arg_or(a, 4, tstep),
            arg_or(a, 5, tstop), arg_or(a, 6, tstop), arg_or(a, 7, 0) > 0 ? a[7] : inf};
      break;
    case Shape::Sin:
      p_ = {a[0], a[1], arg_or(a, 2, 1 / tstop), arg_or(a, 3, 0), arg_or(a, 4, 0),
            arg_or(a, 5, 0)};
      break;
    case Shape::Exp: {
      const double td1 = arg_or(a, 2, 0);
      p_ = {a[0], a[1], td1, arg_or(a, 3, tstep), arg_or(a, 4, td1 + tstep), arg_or(a, 5, tstep)};
      break;
    }
    case Shape::Sffm:
      p_ = {a[0], a[1], arg_or(a, 2, 1 / tstop), arg_or(a, 3, 0), arg_or(a, 4, 1 / tstop),
            arg_or(a, 5, 0), arg_or(a, 6, 0)};
      break;
    case Shape::Am:
      p_ = a;
      p_.resize(8, 0);
      break;
    case Shape::Pwl: p_ = a; break;
    case Shape::TrNoise:
    case Shape::TrRandom:
      p_ = a;
      draw_noise(tstop);
      break;
  }
}

// trnoise: white gaussian samples of rms na every nt, plus 1/f^nalpha noise (Kasdin's
// fractional-integration filter h_k = h_(k-1) (nalpha/2 + k - 1) / k over white samples
// of rms namp, truncated at 4096 taps), linear between samples; plus a telegraph signal
// 0 / rts_amp whose dwell times are exponential, of means rts_cap (at 0) and rts_emt.
// The first sample is 0, so the operating point sees the dc value.
// trrandom: one value every ts from td on, held: 1 uniform param1 [-1, 1) + param2,
// 2 gaussian param1 N(0,1) + param2, 3 exponential of mean param1 plus param2, 4 poisson
// of mean param1 plus param2; param2 before td.
void SourceFunction::draw_noise(double tstop) {
  samples_.clear();
  switches_.clear();
  if (!std::isfinite(tstop)) return;  // no transient yet
  Random random(seed_);
  const auto& p = p_;
  const bool flicker = shape_ == Shape::TrNoise && p[2] > 0 && p[3] != 0;
  const bool telegraph = shape_ == Shape::TrNoise && p[4] != 0 && p[5] > 0 && p[6] > 0;
  const bool noise = shape_ == Shape::TrRandom || p[0] != 0 || flicker;
  const double step = p[1];  // nt, or ts
  const double span = shape_ == Shape::TrNoise ? tstop : tstop - p[2];
  if (noise && span > 0) {
    const double n = std::floor(span / step) + 2;
    if (n > max_samples)
      throw InputError(where_, fmt::format("{} would need {:g} samples up to tstop (at most {:g}): a longer step",
                                           shape_ == Shape::TrNoise ? "trnoise" : "trrandom", n, max_samples));
    samples_.resize(static_cast<std::size_t>(n));
  }
  if (shape_ == Shape::TrNoise) {
    for (double& x : samples_) x = p[0] * random.normal();
    if (flicker && !samples_.empty()) {
      std::vector<double> w(samples_.size()), h(std::min<std::size_t>(samples_.size(), 4096));
      for (double& x : w) x = p[3] * random.normal();
      h[0] = 1;
      for (std::size_t k = 1; k < h.size(); ++k) h[k] = h[k - 1] * (p[2] / 2 + double(k) - 1) / double(k);
      const std::vector<double> pink = causal_convolution(w, h);
      for (std::size_t i = 0; i < samples_.size(); ++i) samples_[i] += pink[i];
    }
    if (!samples_.empty()) samples_[0] = 0;
    if (telegraph) {
      double t = 0;
      for (bool captured = false; t <= tstop;) {
        t += -(captured ? p[6] : p[5]) * std::log1p(-0.5 * (random.uniform() + 1));
        switches_.push_back(t);
        captured = !captured;
        if (double(switches_.size()) > max_samples)
          throw InputError(where_, "trnoise: the telegraph signal switches more than 1e7 times up to tstop");
      }
    }
    return;
  }
  const double type = p[0], a = p[3], b = p[4];
  for (double& x : samples_) {
    const double u01 = 0.5 * (random.uniform() + 1);  // [0, 1)
    if (type == 1) x = a * random.uniform() + b;
    else if (type == 2) x = a * random.normal() + b;
    else if (type == 3) x = -a * std::log1p(-u01) + b;
    else {  // Knuth: count uniforms until their product falls below exp(-mean)
      double product = 0.5 * (random.uniform() + 1), k = 0;
      for (const double limit = std::exp(-a); product > limit; ++k) product *= 0.5 * (random.uniform() + 1);
      x = k + b;
    }
  }
}

double SourceFunction::noise_at(double t) const {
  const auto& p = p_;
  if (shape_ == Shape::TrRandom) {
    if (t < p[2] || samples_.empty()) return p[4];
    const auto k = std::min(static_cast<std::size_t>((t - p[2]) / p[1]), samples_.size() - 1);
    return samples_[k];
  }
  double v = 0;
  if (!samples_.empty() && t > 0) {
    const double s = t / p[1];
    const auto k = std::min(static_cast<std::size_t>(s), samples_.size() - 2);
    const double frac = std::min(s - double(k), 1.0);
    v = samples_[k] + (samples_[k + 1] - samples_[k]) * frac;
  }
  if (!switches_.empty()) {
    const auto after = std::upper_bound(switches_.begin(), switches_.end(), t) - switches_.begin();
    if (after % 2 == 1) v += p[4];  // an odd number of switches passed: captured
  }
  return v;
}

double SourceFunction::value(const Eval& eval) const {
  if (eval.mode == Mode::Dc || eval.mode == Mode::Ac) return dc_;
  const double v = shape_ == Shape::None ? dc_ : at(eval.time);
  return ramp_ > 0 && eval.time < ramp_ ? v * eval.time / ramp_ : v;
}

double SourceFunction::at(double t) const {
  const auto& p = p_;
  switch (shape_) {
    case Shape::None: return dc_;
    case Shape::Pulse: {
      const double v1 = p[0], v2 = p[1], td = p[2], tr = p[3], tf = p[4], pw = p[5], per = p[6];
      double s = t - td;
      if (s > per && per > 0 && std::isfinite(per)) {
        if (std::floor(s / per) >= p[7]) return v1;  // after the last of np pulses
        s -= per * std::floor(s / per);
      }
      if (s <= 0 || s >= tr + pw + tf) return v1;
      if (s >= tr + pw) return v2 + (v1 - v2) * (s - tr - pw) / tf;
      if (s >= tr) return v2;
      return v1 + (v2 - v1) * s / tr;
    }
    case Shape::Sin: {
      const double vo = p[0], va = p[1], freq = p[2], td = p[3], theta = p[4];
      const double phase = p[5] * std::numbers::pi / 180;
      if (t <= td) return vo + va * std::sin(phase);
      return vo + va * std::sin(2 * std::numbers::pi * freq * (t - td) + phase) *
                      std::exp(-(t - td) * theta);
    }
    case Shape::Exp: {
      const double v1 = p[0], v2 = p[1], td1 = p[2], tau1 = p[3], td2 = p[4], tau2 = p[5];
      double v = v1;
      if (t > td1) v += (v2 - v1) * (1 - std::exp(-(t - td1) / tau1));
      if (t > td2) v += (v1 - v2) * (1 - std::exp(-(t - td2) / tau2));
      return v;
    }
    case Shape::Sffm: {
      // SPICE's order, carrier before signal (ngspice-39, LTspice, PSpice); ngspice-39's
      // phases of the carrier and of the signal, degrees, after them (measured).
      const double vo = p[0], va = p[1], fc = p[2], mdi = p[3], fs = p[4];
      const double phasec = p[5] * std::numbers::pi / 180, phases = p[6] * std::numbers::pi / 180;
      const double w = 2 * std::numbers::pi;
      return vo + va * std::sin(w * fc * t + phasec + mdi * std::sin(w * fs * t + phases));
    }
    case Shape::Am: {
      // ngspice's AM: the carrier's amplitude is vmo + vma sin(modulation); from td on,
      // the value at td before.
      const double vo = p[0], vmo = p[1], vma = p[2], fm = p[3], fc = p[4], td = p[5];
      const double phasem = p[6] * std::numbers::pi / 180, phasec = p[7] * std::numbers::pi / 180;
      const double s = std::max(t - td, 0.0), w = 2 * std::numbers::pi;
      return vo + (vmo + vma * std::sin(w * fm * s + phasem)) * std::sin(w * fc * s + phasec);
    }
    case Shape::TrNoise:
    case Shape::TrRandom: return dc_ + noise_at(t);
    case Shape::Pwl: {
      t -= delay_;
      const double last = p[p.size() - 2];
      if (repeat_ >= 0 && t > last) t = repeat_ + std::fmod(t - last, last - repeat_);
      if (t <= p[0]) return p[1];
      for (std::size_t k = 2; k < p.size(); k += 2)
        if (t <= p[k]) return p[k - 1] + (p[k + 1] - p[k - 1]) * (t - p[k - 2]) / (p[k] - p[k - 2]);
      return p.back();
    }
  }
  return dc_;
}

void SourceFunction::breakpoints(double from, double to, std::vector<double>& out) const {
  auto add = [&](double t) {
    if (t > from && t <= to) out.push_back(t);
  };
  if (ramp_ > 0) add(ramp_);
  const auto& p = p_;
  switch (shape_) {
    case Shape::None: break;
    case Shape::Pulse: {
      const double td = p[2], tr = p[3], tf = p[4], pw = p[5], per = p[6];
      const bool periodic = per > 0 && std::isfinite(per);
      double k = periodic ? std::max(0.0, std::floor((from - td) / per) - 1) : 0;
      for (;; k += 1) {
        const double start = td + k * per * (periodic ? 1 : 0);
        if (start > to || k >= p[7]) break;
        for (double corner : {0.0, tr, tr + pw, tr + pw + tf}) add(start + corner);
        if (!periodic) break;
      }
      break;
    }
    case Shape::Sin: add(p[3]); break;
    case Shape::Exp: add(p[2]); add(p[4]); break;
    case Shape::Sffm: break;
    case Shape::Am: add(p[5]); break;
    case Shape::Pwl: {
      for (std::size_t k = 0; k < p.size(); k += 2) add(p[k] + delay_);
      const double last = p[p.size() - 2], period = last - repeat_;
      if (repeat_ < 0 || !(period > 0)) break;
      // The repeated corners: each period's copy of the points from r on.
      for (double start = last + delay_; start - period <= to; start += period)
        for (std::size_t k = 0; k < p.size(); k += 2)
          if (p[k] > repeat_) add(start + p[k] - repeat_);
      break;
    }
    case Shape::TrNoise:
    case Shape::TrRandom: {  // every sample (the integrator must not step over one)
      if (samples_.empty() && switches_.empty()) break;
      const double start = shape_ == Shape::TrNoise ? 0 : p[2], step = p[1];
      if (!samples_.empty())
        for (double k = std::max(0.0, std::floor((from - start) / step)); k < double(samples_.size()); ++k) {
          const double t = start + k * step;
          if (t > to) break;
          add(t);
        }
      for (auto it = std::upper_bound(switches_.begin(), switches_.end(), from); it != switches_.end() && *it <= to; ++it)
        add(*it);
      break;
    }
  }
}

}  // namespace ns
