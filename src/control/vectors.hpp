#pragma once
// Vector expressions of the control language: numbers with SPICE suffixes, vectors by
// name (v(out), i(v1), time, a let vector), + - * / % ^, comparisons (= <> < > <= >=
// >< and eq ne lt gt le ge) giving 1 or 0, and or not (& | ~), c ? a : b (c a scalar),
// indexing v[3] and v[2,5] (inclusive; of a multi-dimensional vector, its blocks), and functions. An .ac plot's v(a) is complex: + - * / ^ work on complex
// values, mag ph db real imag abs j give or make them; vm(a) vp(a) vdb(a) vr(a) vi(a)
// (im(v1)... for currents) are its parts, as in .print. cph/unwrap/group_delay give a
// phase without 2 pi jumps and -d(phase)/d(omega); stddev, sortorder, interpolate (a
// plot's vector onto the current plot's scale) as ngspice's.
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "expr/expression.hpp"

namespace ns::control {

// A vector: its real parts, and its imaginary parts in `imag` when it is complex (an .ac
// plot's v(out), j(1), what arithmetic makes of them); a real vector's `imag` is empty.
struct Vector : std::vector<double> {
  using std::vector<double>::vector;
  std::vector<double> imag;
  // A vector `reshape` made multi-dimensional: its dimensions, outermost first (v[k] is
  // the k-th block of the others); empty for an ordinary vector.
  std::vector<std::size_t> dims;
  // The scale of the plot it was read from when named with that plot (dc1.v(out)): deriv
  // and integ go along it, not along the current plot's. Arithmetic does not keep it.
  std::shared_ptr<const std::vector<double>> scale;
  bool complex() const { return !imag.empty(); }
};

// A vector by its lower-case name; nullopt when there is none. The empty name asks for
// the current plot's scale (time, frequency, v-sweep), which deriv and integ go along.
// sunif(), sgauss() and rnd() draw from `random` (they fail without one).
struct Lookup : std::function<std::optional<Vector>(const std::string&)> {
  using function::function;
  Random* random = nullptr;
  // Keeps a vector a function makes beside its result (fft's fft_scale); may be empty.
  std::function<void(const std::string&, Vector)> define;
};

struct VectorError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Value {
  std::string text;  // as written, trimmed: what print names it
  Vector data;
};

// The expressions of `text` one after another: "v(out) v(in)*2" is two, "a + b" one.
std::vector<Value> evaluate_all(std::string_view text, const Lookup& lookup);
// Exactly one expression.
Vector evaluate(std::string_view text, const Lookup& lookup);

// The vector `compose NAME ...` makes from the text after NAME (compose.cpp).
Vector compose(std::string_view text, const Lookup& lookup);

// Multi-dimensional vectors (dimensions.cpp). `reshape`'s dimensions, "[5][3][6]" or
// "[5,3,6]" (one may be left empty, "[][6]", and is then what the length leaves): the
// vector keeps its elements, ngspice's order (the last index runs fastest).
void reshape(Vector& v, std::string_view dims);
// A two-dimensional vector's rows and columns exchanged.
void transpose(Vector& v);
// Where v[i][j]... lies: its first element and its length (the block of the dimensions
// the indices leave; one element when they are all given).
std::pair<std::size_t, std::size_t> block(const Vector& v, const std::vector<long>& index);

}  // namespace ns::control
