#include "circuit/source_function.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "circuit/params.hpp"

namespace ns {

namespace {

struct ShapeRule {
  std::string_view keyword;
  std::size_t min_args, max_args;
  std::string_view usage;
};

constexpr ShapeRule rules[] = {
    {"pulse", 2, 7, "pulse(v1 v2 td tr tf pw per)"},
    {"sin", 2, 6, "sin(vo va freq td theta phase)"},
    {"exp", 2, 6, "exp(v1 v2 td1 tau1 td2 tau2)"},
    {"pwl", 2, static_cast<std::size_t>(-1), "pwl(t1 v1 t2 v2 ...)"},
};

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
                                            "ac, pulse, sin, exp or pwl)", g.keyword, element.name));
    if (wave)
      throw InputError(g.where, fmt::format("'{}' already has a '{}' waveform", element.name,
                                            wave->keyword));
    check_count(g, rule->min_args, rule->max_args, rule->usage, element.name);
    wave = &g;
  }
  if (!wave) return;
  for (const Number& n : wave->args) given_.push_back(n.value);
  if (wave->keyword == "pulse") shape_ = Shape::Pulse;
  if (wave->keyword == "sin") shape_ = Shape::Sin;
  if (wave->keyword == "exp") shape_ = Shape::Exp;
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
}

void SourceFunction::start_transient(double tstep, double tstop) {
  const auto& a = given_;
  switch (shape_) {
    case Shape::None: p_.clear(); break;
    case Shape::Pulse:
      p_ = {a[0], a[1], arg_or(a, 2, 0), arg_or(a, 3, tstep), arg_or(a, 4, tstep),
            arg_or(a, 5, tstop), arg_or(a, 6, tstop)};
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
    case Shape::Pwl: p_ = a; break;
  }
}

double SourceFunction::value(const Eval& eval) const {
  if (eval.mode == Mode::Dc || eval.mode == Mode::Ac || shape_ == Shape::None) return dc_;
  return at(eval.time);
}

double SourceFunction::at(double t) const {
  const auto& p = p_;
  switch (shape_) {
    case Shape::None: return dc_;
    case Shape::Pulse: {
      const double v1 = p[0], v2 = p[1], td = p[2], tr = p[3], tf = p[4], pw = p[5], per = p[6];
      double s = t - td;
      if (s > per && per > 0 && std::isfinite(per)) s -= per * std::floor(s / per);
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
  const auto& p = p_;
  switch (shape_) {
    case Shape::None: break;
    case Shape::Pulse: {
      const double td = p[2], tr = p[3], tf = p[4], pw = p[5], per = p[6];
      const bool periodic = per > 0 && std::isfinite(per);
      double k = periodic ? std::max(0.0, std::floor((from - td) / per) - 1) : 0;
      for (;; k += 1) {
        const double start = td + k * per * (periodic ? 1 : 0);
        if (start > to) break;
        for (double corner : {0.0, tr, tr + pw, tr + pw + tf}) add(start + corner);
        if (!periodic) break;
      }
      break;
    }
    case Shape::Sin: add(p[3]); break;
    case Shape::Exp: add(p[2]); add(p[4]); break;
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
  }
}

}  // namespace ns
