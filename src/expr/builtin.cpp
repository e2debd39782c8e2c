#include "expr/builtin.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns {

namespace {

constexpr Builtin table[] = {
    {"exp", 1, 1, Fn::Exp},       {"log", 1, 1, Fn::Log},       {"ln", 1, 1, Fn::Log},
    {"log10", 1, 1, Fn::Log10},   {"sqrt", 1, 1, Fn::Sqrt},     {"pow", 2, 2, Fn::Pow},
    {"abs", 1, 1, Fn::Abs},       {"min", 1, 2, Fn::Min},       {"max", 1, 2, Fn::Max},  // min(x) = x, as ngspice
    {"sin", 1, 1, Fn::Sin},       {"cos", 1, 1, Fn::Cos},       {"tan", 1, 1, Fn::Tan},
    {"asin", 1, 1, Fn::Asin},     {"acos", 1, 1, Fn::Acos},     {"atan", 1, 1, Fn::Atan},
    {"arcsin", 1, 1, Fn::Asin},   {"arccos", 1, 1, Fn::Acos},   {"arctan", 1, 1, Fn::Atan},  // LTspice, ngspice's .param
    {"atan2", 2, 2, Fn::Atan2},   {"tanh", 1, 1, Fn::Tanh},     {"sinh", 1, 1, Fn::Sinh},
    {"cosh", 1, 1, Fn::Cosh},     {"asinh", 1, 1, Fn::Asinh},   {"acosh", 1, 1, Fn::Acosh},
    {"atanh", 1, 1, Fn::Atanh},   {"floor", 1, 1, Fn::Floor},   {"ceil", 1, 1, Fn::Ceil},
    {"sgn", 1, 1, Fn::Sgn},       {"int", 1, 1, Fn::Int},       {"nint", 1, 1, Fn::Nint},
    {"round", 1, 1, Fn::Round},   // LTspice
    {"fmod", 2, 2, Fn::Fmod},     {"pwr", 2, 2, Fn::Pwr},       {"pwrs", 2, 2, Fn::Pwrs},
    {"u", 1, 1, Fn::U},           {"u2", 1, 1, Fn::U2},         {"uramp", 1, 1, Fn::Uramp},
    {"buf", 1, 1, Fn::Buf},       {"inv", 1, 1, Fn::Inv},       {"if", 3, 3, Fn::Select},
    {"ternary_fcn", 3, 3, Fn::Select},  // ngspice's if(): its .param and B sources take it
    {"limit", 3, 3, Fn::Limit},   {"hypot", 2, 2, Fn::Hypot},   {"stp", 1, 1, Fn::Stp},
    {"sqr", 1, 1, Fn::Sqr},       // ngspice's .param: x^2
    // ngspice's B source: comparisons with 0 (apply() takes a missing second argument as 0)
    {"eq0", 1, 1, Fn::Eq},        {"ne0", 1, 1, Fn::Ne},        {"gt0", 1, 1, Fn::Gt},
    {"lt0", 1, 1, Fn::Lt},        {"ge0", 1, 1, Fn::Ge},        {"le0", 1, 1, Fn::Le},
    {"table", 3, max_table_args, Fn::Table}, {"pwl", 3, max_table_args, Fn::Pwl},
    {"__table", 3, max_table_args, Fn::RoundedTable},
    {"ddt", 1, 1, Fn::Ddt},       {"idt", 1, 2, Fn::Idt},       {"sdt", 1, 2, Fn::Idt},
    // LTspice's delay(x, T[, Tmax]) and absdelay(x, T[, Tmax]): x at time - T; Tmax only sizes
    // LTspice's buffer, so it is read (a constant) and not used
    {"delay", 2, 3, Fn::Delay},   {"absdelay", 2, 3, Fn::Delay},
    {"gauss", 1, 3, Fn::Gauss, true},   {"agauss", 2, 3, Fn::Agauss, true},
    {"unif", 2, 2, Fn::Unif, true},     {"aunif", 2, 2, Fn::Aunif, true},
    {"limit", 2, 2, Fn::RandomLimit, true}, {"lognormal", 2, 2, Fn::Lognormal, true},
    // LTspice: mc(x, y) uniform in x (1 +- y), ngspice's unif; flat(x) uniform in +-x; and
    // gauss(x) with one argument, normal with sigma x (both 0 at nominal)
    {"mc", 2, 2, Fn::Unif, true},       {"flat", 1, 1, Fn::Flat, true},
};

double step(bool b) { return b ? 1.0 : 0.0; }

}  // namespace

std::span<const Builtin> builtins() { return table; }

const Builtin* find_builtin(std::string_view name, std::size_t args) {
  for (const Builtin& b : table)
    if (b.name == name && static_cast<int>(args) >= b.min_args && static_cast<int>(args) <= b.max_args)
      return &b;
  return nullptr;
}

bool is_builtin(std::string_view name) {
  return std::any_of(std::begin(table), std::end(table), [&](const Builtin& b) { return b.name == name; });
}

std::optional<double> temperature_name(std::string_view name, double celsius) {
  if (name == "temper" || name == "temp") return celsius;
  // k/q of the 2019 SI, the models' (circuit/constants.hpp, a layer above; tests/expr
  // checks that the two agree).
  constexpr double boltzmann_ev = 1.380649e-23 / 1.602176634e-19;
  if (name == "vt") return boltzmann_ev * (celsius + 273.15);
  return std::nullopt;
}

double interpolate(Fn fn, std::span<const double> points, double x, double* slope) {
  const std::size_t n = points.size() / 2;
  auto px = [&](std::size_t k) { return points[2 * k]; };
  auto py = [&](std::size_t k) { return points[2 * k + 1]; };
  *slope = 0;
  if (n == 1) return py(0);
  if (fn == Fn::RoundedTable) {
    auto segment = [&](std::size_t k) { return (py(k + 1) - py(k)) / (px(k + 1) - px(k)); };
    for (std::size_t c = 0; c < n; ++c) {
      const double left = c == 0 ? 0.0 : segment(c - 1), right = c + 1 == n ? 0.0 : segment(c);
      const double shorter = std::min(c == 0 ? INFINITY : px(c) - px(c - 1), c + 1 == n ? INFINITY : px(c + 1) - px(c));
      const double d = 0.1 * shorter, u = x - px(c) + d;
      if (u <= 0 || u >= 2 * d) continue;
      *slope = left + (right - left) * u / (2 * d);
      return py(c) + left * (x - px(c)) + (right - left) * u * u / (4 * d);
    }
  }
  if (fn == Fn::Table || fn == Fn::RoundedTable) {
    if (x < px(0)) return py(0);
    if (x > px(n - 1)) return py(n - 1);
  }
  // The segment [k, k+1] holding x: the first point above x, less one, kept inside [0, n-2].
  std::size_t k = 0;
  while (k + 2 < n && x >= px(k + 1)) ++k;
  *slope = (py(k + 1) - py(k)) / (px(k + 1) - px(k));
  return py(k) + *slope * (x - px(k));
}

bool jumps(Fn fn) {
  switch (fn) {
    case Fn::Not: case Fn::Eq: case Fn::Ne: case Fn::Lt: case Fn::Le: case Fn::Gt: case Fn::Ge:
    case Fn::And: case Fn::Or: case Fn::Floor: case Fn::Ceil: case Fn::Int: case Fn::Nint: case Fn::Round:
    case Fn::Sgn: case Fn::U: case Fn::Buf: case Fn::Inv: case Fn::Stp: case Fn::Fmod:
    case Fn::Pwr: case Fn::Pwrs:  // sgn(x) |x|^y jumps at 0 when y = 0
      return true;
    default: return false;
  }
}

bool rounds(Fn fn) {
  switch (fn) {
    case Fn::Neg: case Fn::Not: case Fn::Eq: case Fn::Ne: case Fn::Lt: case Fn::Le: case Fn::Gt:
    case Fn::Ge: case Fn::And: case Fn::Or: case Fn::Select: case Fn::Abs: case Fn::Floor:
    case Fn::Ceil: case Fn::Int: case Fn::Nint: case Fn::Round: case Fn::Sgn: case Fn::Min: case Fn::Max: case Fn::U:
    case Fn::U2: case Fn::Uramp: case Fn::Buf: case Fn::Inv: case Fn::Limit: case Fn::Stp:
      return false;
    default: return true;
  }
}

double apply(Fn fn, const double* a, std::size_t n, double* partials) {
  double scratch[3];
  double* p = partials ? partials : scratch;
  std::fill(p, p + std::min<std::size_t>(n, 3), 0.0);
  const double x = a[0];
  const double y = n > 1 ? a[1] : 0.0;
  switch (fn) {
    case Fn::Neg: p[0] = -1; return -x;
    case Fn::Not: return step(x == 0);
    case Fn::Add: p[0] = 1, p[1] = 1; return x + y;
    case Fn::Sub: p[0] = 1, p[1] = -1; return x - y;
    case Fn::Mul: p[0] = y, p[1] = x; return x * y;
    case Fn::Div: p[0] = 1 / y, p[1] = -x / (y * y); return x / y;
    case Fn::Pow: {
      const double v = std::pow(x, y);
      // d/dx y x^(y-1), written so that x = 0 with y = 1 gives 1, not 0 * inf.
      p[0] = y == 0 ? 0.0 : y * std::pow(x, y - 1);
      p[1] = x > 0 ? v * std::log(x) : 0.0;  // x <= 0: only integer y is real; no slope in y
      return v;
    }
    case Fn::Eq: return step(x == y);
    case Fn::Ne: return step(x != y);
    case Fn::Lt: return step(x < y);
    case Fn::Le: return step(x <= y);
    case Fn::Gt: return step(x > y);
    case Fn::Ge: return step(x >= y);
    case Fn::And: return step(x != 0 && y != 0);
    case Fn::Or: return step(x != 0 || y != 0);
    case Fn::Select:
      if (x != 0) return p[1] = 1, a[1];
      return p[2] = 1, a[2];
    case Fn::Exp:
      if (x > exp_continuation) {
        const double e = std::exp(exp_continuation);
        p[0] = e;
        return e * (1 + x - exp_continuation);
      } else {
        const double e = std::exp(x);
        p[0] = e;
        return e;
      }
    case Fn::Log: p[0] = 1 / x; return x > 0 ? std::log(x) : std::numeric_limits<double>::quiet_NaN();
    case Fn::Log10:
      p[0] = 1 / (x * std::log(10.0));
      return x > 0 ? std::log10(x) : std::numeric_limits<double>::quiet_NaN();
    case Fn::Sqrt: {
      const double r = std::sqrt(x);
      p[0] = 0.5 / r;
      return r;
    }
    case Fn::Abs: p[0] = x >= 0 ? 1 : -1; return std::fabs(x);
    case Fn::Sin: p[0] = std::cos(x); return std::sin(x);
    case Fn::Cos: p[0] = -std::sin(x); return std::cos(x);
    case Fn::Tan: {
      const double c = std::cos(x);
      p[0] = 1 / (c * c);
      return std::tan(x);
    }
    case Fn::Asin: p[0] = 1 / std::sqrt(1 - x * x); return std::asin(x);
    case Fn::Acos: p[0] = -1 / std::sqrt(1 - x * x); return std::acos(x);
    case Fn::Atan: p[0] = 1 / (1 + x * x); return std::atan(x);
    case Fn::Atan2: {  // atan2(y = x, x = y) in the argument names of C
      const double r2 = x * x + y * y;
      p[0] = y / r2, p[1] = -x / r2;
      return std::atan2(x, y);
    }
    case Fn::Sinh: p[0] = std::cosh(x); return std::sinh(x);
    case Fn::Cosh: p[0] = std::sinh(x); return std::cosh(x);
    case Fn::Tanh: {
      const double t = std::tanh(x);
      p[0] = 1 - t * t;
      return t;
    }
    case Fn::Asinh: p[0] = 1 / std::sqrt(x * x + 1); return std::asinh(x);
    case Fn::Acosh: p[0] = 1 / std::sqrt(x * x - 1); return std::acosh(x);
    case Fn::Atanh: p[0] = 1 / (1 - x * x); return std::atanh(x);
    case Fn::Floor: return std::floor(x);
    case Fn::Ceil: return std::ceil(x);
    case Fn::Int: return std::trunc(x);
    case Fn::Nint: return std::nearbyint(x);
    case Fn::Round: return std::round(x);  // LTspice's round: halves away from 0 (nint: to even)
    case Fn::Sgn: return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
    case Fn::Min:
      if (n == 1 || x <= y) return p[0] = 1, x;
      return p[1] = 1, y;
    case Fn::Max:
      if (n == 1 || x >= y) return p[0] = 1, x;
      return p[1] = 1, y;
    case Fn::Fmod: p[0] = 1, p[1] = -std::trunc(x / y); return std::fmod(x, y);
    case Fn::Pwr:
    case Fn::Pwrs: {
      // sgn(x) |x|^y: ngspice's pwr (measured: pwr(-2.5, 2) = -6.25 in ngspice 39), and
      // LTspice's pwrs. (LTspice's pwr is |x|^y; the ngspice dialect is the default.)
      const double m = std::fabs(x);
      const double v = std::pow(m, y);
      const double dm = y == 0 ? 0.0 : y * std::pow(m, y - 1);  // d|x|^y / d|x|
      const double dy = m > 0 ? v * std::log(m) : 0.0;
      const double sign = x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
      p[0] = dm, p[1] = sign * dy;
      return sign * v;
    }
    case Fn::U: return x == 0 ? 0.5 : step(x > 0);  // the half step at 0, as ngspice's B source (measured: u(0) = 0.5)
    case Fn::U2:
      if (x <= 0) return 0;
      if (x >= 1) return 1;
      return p[0] = 1, x;
    case Fn::Uramp:
      if (x > 0) return p[0] = 1, x;
      return 0;
    case Fn::Buf: return step(x > 0.5);
    case Fn::Inv: return step(!(x > 0.5));
    case Fn::Limit: {  // limit(x, a, b): the middle of the three, x clamped to [a, b] when a <= b
      const double lo = std::min(y, a[2]), hi = std::max(y, a[2]);
      const std::size_t low = y <= a[2] ? 1 : 2;
      if (x < lo) return p[low] = 1, lo;
      if (x > hi) return p[3 - low] = 1, hi;
      return p[0] = 1, x;
    }
    case Fn::Hypot: {
      const double h = std::hypot(x, y);
      p[0] = x / h, p[1] = y / h;
      return h;
    }
    case Fn::Stp: return step(x >= 0);
    case Fn::Sqr: p[0] = 2 * x; return x * x;
    case Fn::Table: case Fn::Pwl: case Fn::RoundedTable: case Fn::Ddt: case Fn::Idt: case Fn::Delay: break;  // not applied (see the header)
    case Fn::Flat: return 0;  // nominal: the middle of +-x
    case Fn::Gauss:
      if (n == 1) return 0;  // LTspice's gauss(sigma): mean 0
      p[0] = 1;
      return x;
    case Fn::Agauss: case Fn::Unif: case Fn::Aunif: case Fn::RandomLimit:
    case Fn::Lognormal:
      p[0] = 1;
      return x;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace ns
