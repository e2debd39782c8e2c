#pragma once
// Forward-mode dual numbers for compact models: a value and its derivatives with respect
// to N chosen unknowns, carried through the model's arithmetic so that the Jacobian comes
// out exact with the residual. A model writes its equations once on Dual<N> (N = the
// unknowns its current or rate depends on) and reads .v into f and .d[k] into G.
//
// exp, sinh and cosh continue along their tangent beyond |argument| = max_exp_arg: a wild
// Newton or integrator iterate then gives a large finite value with the right sign and
// slope instead of inf, and the continuation is C1, so the iteration can come back.
#include <array>
#include <cmath>
#include <cstddef>

namespace ns {

inline constexpr double max_exp_arg = 80;

struct ValueSlope {
  double value, slope;
};

// exp(arg) and its derivative, continued along the tangent beyond max_exp_arg.
inline ValueSlope safe_exp(double arg) {
  if (arg <= max_exp_arg) {
    const double e = std::exp(arg);
    return {e, e};
  }
  const double e = std::exp(max_exp_arg);
  return {e * (1 + arg - max_exp_arg), e};
}

// sinh(arg), continued along the tangent beyond |arg| = max_exp_arg; alone, for a load
// that needs no derivative.
inline double safe_sinh_value(double arg) {
  if (std::abs(arg) <= max_exp_arg) return std::sinh(arg);
  const double s = arg > 0 ? 1.0 : -1.0;
  return s * std::sinh(max_exp_arg) + std::cosh(max_exp_arg) * (arg - s * max_exp_arg);
}

// sinh(arg) and its derivative, continued along the tangent beyond |arg| = max_exp_arg.
// The slope cosh = sqrt(1 + sinh^2), within an ulp or two of std::cosh and a square root
// instead of a second call into libm: sinh and cosh were 8 % of a 1T1R pulse (an HfOx
// RRAM's two sinh per load).
inline ValueSlope safe_sinh(double arg) {
  if (std::abs(arg) <= max_exp_arg) {
    const double s = std::sinh(arg);
    return {s, std::sqrt(1 + s * s)};
  }
  return {safe_sinh_value(arg), std::cosh(max_exp_arg)};
}

// cosh(arg) and its derivative, continued along the tangent beyond |arg| = max_exp_arg.
inline ValueSlope safe_cosh(double arg) {
  if (std::abs(arg) <= max_exp_arg) return {std::cosh(arg), std::sinh(arg)};
  const double s = arg > 0 ? 1.0 : -1.0;
  return {std::cosh(max_exp_arg) + s * std::sinh(max_exp_arg) * (arg - s * max_exp_arg),
          s * std::sinh(max_exp_arg)};
}

template <std::size_t N>
struct Dual {
  double v = 0;
  std::array<double, N> d{};  // d[k]: derivative with respect to the k-th chosen unknown

  // The k-th chosen unknown itself, at `value`.
  static Dual variable(double value, std::size_t k) {
    Dual x{value};
    x.d[k] = 1;
    return x;
  }
};

// A function of a at value `value` with derivative `slope`: the chain rule.
template <std::size_t N>
Dual<N> chain(const Dual<N>& a, double value, double slope) {
  Dual<N> r{value};
  for (std::size_t k = 0; k < N; ++k) r.d[k] = slope * a.d[k];
  return r;
}

template <std::size_t N>
Dual<N> operator+(const Dual<N>& a, const Dual<N>& b) {
  Dual<N> r{a.v + b.v};
  for (std::size_t k = 0; k < N; ++k) r.d[k] = a.d[k] + b.d[k];
  return r;
}
template <std::size_t N>
Dual<N> operator-(const Dual<N>& a, const Dual<N>& b) {
  Dual<N> r{a.v - b.v};
  for (std::size_t k = 0; k < N; ++k) r.d[k] = a.d[k] - b.d[k];
  return r;
}
template <std::size_t N>
Dual<N> operator-(const Dual<N>& a) {
  Dual<N> r{-a.v};
  for (std::size_t k = 0; k < N; ++k) r.d[k] = -a.d[k];
  return r;
}
template <std::size_t N>
Dual<N> operator*(const Dual<N>& a, const Dual<N>& b) {
  Dual<N> r{a.v * b.v};
  for (std::size_t k = 0; k < N; ++k) r.d[k] = a.d[k] * b.v + a.v * b.d[k];
  return r;
}
template <std::size_t N>
Dual<N> operator/(const Dual<N>& a, const Dual<N>& b) {
  const double q = a.v / b.v;
  Dual<N> r{q};
  for (std::size_t k = 0; k < N; ++k) r.d[k] = (a.d[k] - q * b.d[k]) / b.v;
  return r;
}

template <std::size_t N>
Dual<N> operator+(double s, const Dual<N>& a) {
  Dual<N> r = a;
  r.v = s + a.v;
  return r;
}
template <std::size_t N>
Dual<N> operator+(const Dual<N>& a, double s) {
  Dual<N> r = a;
  r.v = a.v + s;
  return r;
}
template <std::size_t N>
Dual<N> operator-(double s, const Dual<N>& a) {
  return s + (-a);
}
template <std::size_t N>
Dual<N> operator-(const Dual<N>& a, double s) {
  Dual<N> r = a;
  r.v = a.v - s;
  return r;
}
template <std::size_t N>
Dual<N> operator*(double s, const Dual<N>& a) {
  return chain(a, s * a.v, s);
}
template <std::size_t N>
Dual<N> operator*(const Dual<N>& a, double s) {
  return chain(a, a.v * s, s);
}
template <std::size_t N>
Dual<N> operator/(const Dual<N>& a, double s) {
  Dual<N> r{a.v / s};
  for (std::size_t k = 0; k < N; ++k) r.d[k] = a.d[k] / s;
  return r;
}
template <std::size_t N>
Dual<N> operator/(double s, const Dual<N>& b) {
  return Dual<N>{s} / b;
}

template <std::size_t N>
Dual<N> exp(const Dual<N>& a) {
  const ValueSlope e = safe_exp(a.v);
  return chain(a, e.value, e.slope);
}
template <std::size_t N>
Dual<N> sinh(const Dual<N>& a) {
  const ValueSlope s = safe_sinh(a.v);
  return chain(a, s.value, s.slope);
}
template <std::size_t N>
Dual<N> cosh(const Dual<N>& a) {
  const ValueSlope c = safe_cosh(a.v);
  return chain(a, c.value, c.slope);
}
template <std::size_t N>
Dual<N> tanh(const Dual<N>& a) {
  const double t = std::tanh(a.v);
  return chain(a, t, 1 - t * t);
}
template <std::size_t N>
Dual<N> sqrt(const Dual<N>& a) {
  const double r = std::sqrt(a.v);
  return chain(a, r, 0.5 / r);
}
template <std::size_t N>
Dual<N> log(const Dual<N>& a) {
  return chain(a, std::log(a.v), 1 / a.v);
}
template <std::size_t N>
Dual<N> pow(const Dual<N>& a, double p) {
  const double r = std::pow(a.v, p);
  return chain(a, r, p * std::pow(a.v, p - 1));
}

}  // namespace ns
