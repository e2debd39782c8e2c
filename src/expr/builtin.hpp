#pragma once
// The functions and operators of the expression language, written once: the parameter
// evaluator (Expression::evaluate) and the compiled program (expr/program.hpp) both call
// apply(), which gives the value and its partial derivatives with respect to each argument.
//
// At a kink or jump (abs, min, u, limit, floor...) the derivative is that of the branch
// the value takes: abs'(0) = 1 (x >= 0 takes x), uramp'(0) = 0 (x > 0 is false), u' = 0.
// Jumps carry no derivative (u, sgn, buf, floor...): their slope is zero on either side.
//
// Where simulators differ, the values are: u(0) = 0 (ngspice gives 0.5); x**y and x^y are
// pow(x, y), NaN for a negative x and a fractional y (ngspice's B source takes |x|:
// (-2.5)**3 = 15.625 there); pwr(x, y) = pwrs(x, y) = sgn(x) |x|^y (ngspice's pwr).
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ns {

enum class Fn : std::uint8_t {
  // operators
  Neg, Not, Add, Sub, Mul, Div, Pow, Eq, Ne, Lt, Le, Gt, Ge, And, Or, Select,
  // functions
  Exp, Log, Log10, Sqrt, Abs, Sin, Cos, Tan, Asin, Acos, Atan, Atan2, Sinh, Cosh, Tanh,
  Asinh, Acosh, Atanh, Floor, Ceil, Int, Nint, Round, Sgn, Min, Max, Fmod, Pwr, Pwrs, U, U2, Uramp,
  Buf, Inv, Limit, Hypot, Stp, Sqr,
  // compiled, not applied: table and pwl read their points from the program; ddt, idt,
  // sdt and LTspice's delay become charges and states (expr/program.hpp)
  Table, Pwl, Ddt, Idt, Delay,
  RoundedTable,  // "__table": an E/G TABLE card's table (netlist/poly_table.cpp)
  // random draws (the nominal value, their first argument, without a generator)
  Gauss, Agauss, Unif, Aunif, RandomLimit, Lognormal, Flat,
};

struct Builtin {
  std::string_view name;
  int min_args, max_args;
  Fn fn;
  bool random = false;
};

// Every built-in function; a name may appear twice with different argument counts
// (limit(nom, abs) draws at random, limit(x, lo, hi) clamps).
std::span<const Builtin> builtins();
// The built-in `name` taking `args` arguments; null when there is none.
const Builtin* find_builtin(std::string_view name, std::size_t args);
// Whether any built-in has that name.
bool is_builtin(std::string_view name);

// The names that read the circuit temperature, known to every expression unless a .param
// of the same name hides them: `temper` (SPICE), `temp` (PSpice's spelling, in vendor
// op-amp and timer models) and `vt` (PSpice: the thermal voltage kT/q at that
// temperature). Their value at `celsius`; nullopt for any other name.
std::optional<double> temperature_name(std::string_view name, double celsius);

// In apply(), exp continues along its tangent beyond this argument (exp(230) ~ 8e99): a
// wild Newton iterate gives a huge finite value with the right slope instead of inf.
// Below it the value is exact. (Parameters are exact everywhere: Expression::evaluate
// calls std::exp, and reports an overflow.)
inline constexpr double exp_continuation = 230;

// table(x, x1,y1, x2,y2, ...) and pwl(x, ...) at x over `points` (x1,y1, x2,y2, ...; the
// x strictly increasing), and its slope in *slope. Between points the value is linear;
// beyond the ends table holds the end value (slope 0) and pwl continues the end segment
// (measured: ngspice 39's B-source pwl extrapolates). At a point the slope is that of the
// segment to its right (of the last segment at the last point).
// RoundedTable is ngspice's E/G TABLE (measured, ngspice 39): table's clamped line with
// each corner (the ends too) rounded by a parabola over x_k +- d_k, d_k a tenth of the
// shorter segment beside it; the value and slope are continuous.
double interpolate(Fn fn, std::span<const double> points, double x, double* slope);
// Most arguments of table() and pwl(): x and 500 pairs.
inline constexpr int max_table_args = 1001;

// Whether fn jumps somewhere (a comparison, a logical operator, u, sgn, floor, fmod...):
// its partials do not say how far its value can move when an argument moves a little.
bool jumps(Fn fn);

// Whether fn's value can carry a rounding error of its own: not a comparison, a logical
// operator or a step (0 or 1 exactly), nor a value that is one of its arguments (abs, min,
// limit, ?:...). A condition is then uncertain only where its argument's error can flip it.
bool rounds(Fn fn);

// The value of fn at a[0..n), and, when `partials` is not null, d value / d a[k] in
// partials[k]. Domain errors give NaN or inf (the caller reports them).
double apply(Fn fn, const double* a, std::size_t n, double* partials);

}  // namespace ns
