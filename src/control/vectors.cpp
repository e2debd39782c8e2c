#include "control/vectors.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <complex>
#include <type_traits>
#include <map>
#include <set>
#include <numeric>

#include <fmt/format.h>

#include "control/spectrum.hpp"
#include "expr/expression.hpp"
#include "netlist/netlist.hpp"

namespace ns::control {

namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '@'; }
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '#' || c == '.' || c == ':';
}

double truth(bool b) { return b ? 1.0 : 0.0; }

using Complex = std::complex<double>;

Complex at(const Vector& v, std::size_t k) { return {v[k], v.complex() ? v.imag[k] : 0.0}; }

// A vector from complex values: real when every imaginary part is 0 and `keep` is false.
Vector from(const std::vector<Complex>& z, bool keep) {
  Vector v(z.size());
  bool complex = keep;
  for (std::size_t k = 0; k < z.size(); ++k) v[k] = z[k].real(), complex |= z[k].imag() != 0;
  if (complex) {
    v.imag.resize(z.size());
    for (std::size_t k = 0; k < z.size(); ++k) v.imag[k] = z[k].imag();
  }
  return v;
}

// Applies `op` element by element; a vector of one element goes with every element of the
// other. An `op` that takes complex values (arithmetic) gets them when either operand is
// complex; real ones (comparisons, and, or) and real operands get real parts.
template <class Op>
Vector combine(const Vector& a, const Vector& b, Op op) {
  if (a.empty() || b.empty()) throw VectorError("an empty vector in an operation");
  const std::size_t n = a.size() == 1 ? b.size() : b.size() == 1 ? a.size() : std::min(a.size(), b.size());
  if constexpr (std::is_invocable_v<Op, Complex, Complex>) {
    if (a.complex() || b.complex()) {
      std::vector<Complex> z(n);
      for (std::size_t k = 0; k < n; ++k) z[k] = op(at(a, a.size() == 1 ? 0 : k), at(b, b.size() == 1 ? 0 : k));
      return from(z, true);
    }
  }
  Vector out(n);
  for (std::size_t k = 0; k < n; ++k) out[k] = op(a[a.size() == 1 ? 0 : k], b[b.size() == 1 ? 0 : k]);
  return out;
}

template <class Op>
Vector each(Vector v, Op op) {
  v.imag.clear();
  for (double& x : v) x = op(x);
  return v;
}

// A complex function element by element; the result complex when the argument is.
template <class Op>
Vector each_complex(const Vector& v, Op op) {
  std::vector<Complex> z(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) z[k] = op(at(v, k));
  return from(z, v.complex());
}

class Parser {
public:
  Parser(std::string_view text, const Lookup& lookup) : t_(text), lookup_(lookup) {}

  bool at_end() {
    skip();
    return i_ >= t_.size();
  }
  std::size_t position() const { return i_; }
  Vector expression() { return ternary(); }

private:
  void skip() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t')) ++i_;
  }
  bool peek(std::string_view s) {
    skip();
    return t_.substr(i_, s.size()) == s;
  }
  // A word operator (and, eq...) standing alone.
  bool word(std::string_view w) {
    skip();
    if (t_.substr(i_, w.size()) != w) return false;
    const std::size_t j = i_ + w.size();
    return j >= t_.size() || !is_name_char(t_[j]);
  }
  bool take(std::string_view s) {
    if (!peek(s)) return false;
    i_ += s.size();
    return true;
  }
  [[noreturn]] void fail(const std::string& what) {
    throw VectorError(fmt::format("{} at column {} of '{}'", what, i_ + 1, t_));
  }

  // c ? a : b, below every other operator and grouping to the right, as ngspice's. The
  // branch not taken is read but its errors do not count (ngspice evaluates only one).
  Vector ternary() {
    Vector c = logical_or();
    if (!take("?")) return c;
    if (c.size() != 1) fail(fmt::format("the condition of '?' has {} elements, not one", c.size()));
    const bool yes = c[0] != 0 || (c.complex() && c.imag[0] != 0);
    auto branch = [&](bool taken) {
      if (taken) return ternary();
      try {
        return ternary();
      } catch (const VectorError&) {
        return Vector{};
      }
    };
    Vector a = branch(yes);
    if (!take(":")) fail("expected ':' after '?'");
    Vector b = branch(!yes);
    return yes ? a : b;
  }
  Vector logical_or() {
    Vector a = logical_and();
    while (take("|") || (word("or") && (i_ += 2)))
      a = combine(a, logical_and(), [](double x, double y) { return truth(x != 0 || y != 0); });
    return a;
  }
  Vector logical_and() {
    Vector a = logical_not();
    while (take("&") || (word("and") && (i_ += 3)))
      a = combine(a, logical_not(), [](double x, double y) { return truth(x != 0 && y != 0); });
    return a;
  }
  Vector logical_not() {
    if (take("~") || (word("not") && (i_ += 3))) return each(logical_not(), [](double x) { return truth(x == 0); });
    return comparison();
  }
  Vector comparison() {
    Vector a = sum();
    static const std::vector<std::pair<std::string_view, int>> ops = {
        {"<>", 0}, {"><", 0}, {"!=", 0}, {"<=", 1}, {">=", 2}, {"==", 3}, {"=", 3}, {"<", 4}, {">", 5},
        {"ne", 0}, {"le", 1}, {"ge", 2}, {"eq", 3}, {"lt", 4}, {"gt", 5}};
    for (const auto& [text, op] : ops) {
      const bool is_word = std::isalpha(static_cast<unsigned char>(text[0]));
      if (is_word ? !word(text) : !peek(text)) continue;
      i_ += text.size();
      const Vector b = sum();
      return combine(a, b, [op = op](double x, double y) {
        switch (op) {
          case 0: return truth(x != y);
          case 1: return truth(x <= y);
          case 2: return truth(x >= y);
          case 3: return truth(x == y);
          case 4: return truth(x < y);
          default: return truth(x > y);
        }
      });
    }
    return a;
  }
  Vector sum() {
    Vector a = product();
    for (;;) {
      if (take("+")) a = combine(a, product(), [](auto x, auto y) { return x + y; });
      else if (take("-")) a = combine(a, product(), [](auto x, auto y) { return x - y; });
      else return a;
    }
  }
  Vector product() {
    Vector a = unary();
    for (;;) {
      if (take("*")) a = combine(a, unary(), [](auto x, auto y) { return x * y; });
      else if (take("/")) a = combine(a, unary(), [this](auto x, auto y) {
        if (y == decltype(y)(0)) fail("division by zero");
        return x / y;
      });
      else if (take("%")) a = combine(a, unary(), [](double x, double y) { return std::fmod(x, y); });
      else return a;
    }
  }
  Vector unary() {
    if (++depth_ > 200) fail("expression nested too deep");
    Vector v;
    if (take("-")) v = each_complex(unary(), [](Complex x) { return -x; });
    else if (take("+")) v = unary();
    else v = power();
    --depth_;
    return v;
  }
  Vector power() {
    Vector a = postfix();
    if (take("^") || take("**")) return combine(a, unary(), [](auto x, auto y) { return std::pow(x, y); });
    return a;
  }
  Vector postfix() {
    Vector v = primary();
    while (take("[")) {
      const Vector from = expression();
      Vector to = from;
      if (take(",")) to = expression();
      if (!take("]")) fail("expected ']'");
      if (from.empty() || to.empty()) fail("an empty index");
      long a = std::lround(from[0]), b = std::lround(to[0]);
      if (a > b) std::swap(a, b);
      if (v.dims.size() > 1) {  // blocks a..b of the outermost dimension
        if (a < 0 || b >= static_cast<long>(v.dims[0]))
          fail(fmt::format("index {} out of range (the dimension has {} element{})", a < 0 ? a : b, v.dims[0],
                           v.dims[0] == 1 ? "" : "s"));
        const std::size_t block = v.size() / v.dims[0];
        Vector slice(v.begin() + a * long(block), v.begin() + (b + 1) * long(block));
        if (v.complex()) slice.imag.assign(v.imag.begin() + a * long(block), v.imag.begin() + (b + 1) * long(block));
        slice.dims.assign(v.dims.begin() + (a == b ? 1 : 0), v.dims.end());
        if (a != b) slice.dims[0] = std::size_t(b - a + 1);
        if (slice.dims.size() == 1) slice.dims.clear();
        v = std::move(slice);
        continue;
      }
      if (a < 0 || b >= static_cast<long>(v.size()))
        fail(fmt::format("index {} out of range (the vector has {} element{})", a < 0 ? a : b, v.size(),
                         v.size() == 1 ? "" : "s"));
      Vector slice(v.begin() + a, v.begin() + b + 1);
      if (v.complex()) slice.imag.assign(v.imag.begin() + a, v.imag.begin() + b + 1);
      v = std::move(slice);
    }
    return v;
  }

  Vector primary() {
    skip();
    if (i_ >= t_.size()) fail("expected a value");
    const char c = t_[i_];
    if (c == '(') {
      ++i_;
      Vector v = expression();
      if (take(",")) {  // (re, im): ngspice's complex number
        const Vector im = expression();
        if (v.size() != 1 || im.size() != 1 || v.complex() || im.complex()) fail("(re, im) takes two real numbers");
        v.imag = {im[0]};
      }
      if (!take(")")) fail("expected ')'");
      return v;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && i_ + 1 < t_.size() && std::isdigit(static_cast<unsigned char>(t_[i_ + 1]))))
      return {number()};
    if (c == '"') {  // "zero(1)": a vector whose name is not an expression
      const std::size_t close = t_.find('"', i_ + 1);
      if (close == std::string_view::npos) fail("a '\"' without its end");
      const std::string name(t_.substr(i_ + 1, close - i_ - 1));
      i_ = close + 1;
      return vector(name);
    }
    if (!is_name_start(c)) fail(fmt::format("unexpected '{}'", c));
    std::size_t j = i_;
    if (c == '@') {  // @device[param]
      j = t_.find(']', i_);
      if (j == std::string_view::npos) fail("expected ']' after '@'");
      ++j;
    } else {
      while (j < t_.size() && is_name_char(t_[j])) ++j;
      if (j < t_.size() && t_[j] == '@' && t_[j - 1] == '.') {  // dc1.@r1[i]: a plot's device vector
        j = t_.find(']', j);
        if (j == std::string_view::npos) fail("expected ']' after '@'");
        ++j;
      }
    }
    std::string name(t_.substr(i_, j - i_));
    if (t_.substr(j, 6) == "-sweep") name += "-sweep", j += 6;  // ngspice's dc scale: v-sweep
    i_ = j;
    // v(a), v(a,b), i(v1): a vector's name; so are vm(a), vp(a), vdb(a), vr(a), vi(a),
    // im(v1)...: parts of an .ac plot's phasors (ngspice's functions of them); pole(1),
    // zero(2): a pz plot's.

    // tran1.v(out): a plot's vector, the plot's name before the dot.
    const std::size_t dot = name.rfind('.');
    const std::string base = dot == std::string::npos ? name : name.substr(dot + 1);
    if ((probe_call_form(base) || base == "pole" || base == "zero") && peek("(")) {
      const std::size_t close = t_.find(')', i_);
      if (close == std::string_view::npos) fail("expected ')'");
      std::string inside;
      for (char ch : t_.substr(i_ + 1, close - i_ - 1))
        if (ch != ' ' && ch != '\t' && ch != '"') inside += ch;  // v("/A"): a quoted node name
      i_ = close + 1;
      return vector(name + "(" + inside + ")");
    }
    if (peek("(")) return call(name);
    return vector(name);
  }

  double number() {
    std::size_t j = i_;
    auto digits = [&] { while (j < t_.size() && std::isdigit(static_cast<unsigned char>(t_[j]))) ++j; };
    digits();
    if (j < t_.size() && t_[j] == '.') ++j, digits();
    if (j < t_.size() && (t_[j] == 'e' || t_[j] == 'E')) {
      std::size_t k = j + 1;
      if (k < t_.size() && (t_[k] == '+' || t_[k] == '-')) ++k;
      if (k < t_.size() && std::isdigit(static_cast<unsigned char>(t_[k]))) j = k, digits();
    }
    while (j < t_.size() && std::isalpha(static_cast<unsigned char>(t_[j]))) ++j;  // scale and units
    const auto value = parse_number(t_.substr(i_, j - i_));
    if (!value) fail(fmt::format("bad number '{}'", t_.substr(i_, j - i_)));
    i_ = j;
    return *value;
  }

  Vector vector(const std::string& name) {
    if (auto v = lookup_(name)) return *v;
    throw VectorError(fmt::format("no vector '{}'", name));
  }

  Vector call(const std::string& name) {
    take("(");
    std::vector<Vector> args;
    if (!take(")")) {
      do args.push_back(expression());
      while (take(","));
      if (!take(")")) fail("expected ')'");
    }
    auto want = [&](std::size_t n) {
      if (args.size() != n) fail(fmt::format("'{}' takes {} argument{}", name, n, n == 1 ? "" : "s"));
      if (args[0].empty()) fail(fmt::format("'{}' of an empty vector", name));
    };
    // Of complex values: parts, magnitude, phase (radians, as ngspice), j(x) = x times i.
    using C = Complex (*)(Complex);
    static const std::map<std::string, C, std::less<>> complex_wise = {
        {"abs", [](Complex z) { return Complex(std::abs(z)); }}, {"mag", [](Complex z) { return Complex(std::abs(z)); }},
        {"real", [](Complex z) { return Complex(z.real()); }}, {"imag", [](Complex z) { return Complex(z.imag()); }},
        {"ph", [](Complex z) { return Complex(std::arg(z)); }}, {"j", [](Complex z) { return z * Complex(0, 1); }},
        {"conj", [](Complex z) { return std::conj(z); }}};
    if (const auto f = complex_wise.find(name); f != complex_wise.end()) {
      want(1);
      Vector v = each_complex(args[0], f->second);
      if (name != "j" && name != "conj") v.imag.clear();  // a part is real, even of a real vector
      if (name == "j" && !v.complex()) v.imag.assign(v.size(), 0.0);  // j(0) is complex, as ngspice's
      return v;
    }
    if (name == "fft" || name == "ifft") {  // along the plot's scale (spectrum.hpp)
      want(1);
      const std::optional<Vector> scale = lookup_("");
      if (name == "ifft") return ifft_function(args[0], scale ? scale->size() : std::size_t(1) << std::bit_width(args[0].size() - 1));
      Vector t;  // the plot's scale, or the index when it has none of x's length (ngspice's)
      if (scale && scale->size() == args[0].size()) t = *scale;
      else for (std::size_t k = 0; k < args[0].size(); ++k) t.push_back(double(k));
      std::vector<double> frequency;
      Vector v = fft_function(t, args[0], frequency);
      if (lookup_.define) lookup_.define("fft_scale", Vector(frequency.begin(), frequency.end()));
      return v;
    }
    // Phase as a curve: cph the phase (radians) with no jump of more than pi between
    // neighbours, unwrap the same of a phase vector, group_delay -d(cph)/d(omega) along
    // the plot's frequency (deriv's three-point rule), as ngspice's (measured, an RC ladder).
    if (name == "cph" || name == "unwrap" || name == "group_delay") {
      want(1);
      Vector phase(args[0].size());
      for (std::size_t k = 0; k < phase.size(); ++k) {
        phase[k] = name == "unwrap" ? args[0][k] : std::arg(at(args[0], k));
        if (k > 0) phase[k] -= 2 * M_PI * std::round((phase[k] - phase[k - 1]) / (2 * M_PI));
      }
      phase.scale = args[0].scale;
      if (name != "group_delay") return phase;
      return each(calculus("deriv", phase, args[0].scale), [](double x) { return -x / (2 * M_PI); });
    }
    if (name == "interpolate") {  // tran1.v(out) onto the current plot's scale, linearly
      want(1);
      const std::optional<Vector> scale = lookup_("");
      if (!scale || scale->complex() || (args[0].scale && args[0].scale->empty()))
        fail("'interpolate' needs a current plot with a real scale");
      if (!args[0].scale) return args[0];  // already along the current plot's scale
      if (args[0].scale->size() != args[0].size()) fail("'interpolate' of a vector that is not along its plot's scale");
      Vector v = interpolate(*args[0].scale, args[0], *scale);
      if (args[0].complex()) {
        const Vector im = interpolate(*args[0].scale, Vector(args[0].imag.begin(), args[0].imag.end()), *scale);
        v.imag.assign(im.begin(), im.end());
      }
      return v;
    }
    if (name == "stddev") {  // the sample's: sqrt(sum |x - mean|^2 / (n - 1)), of complex values too
      want(1);
      const std::size_t n = args[0].size();
      if (n < 2) fail("'stddev' needs two elements at least");
      Complex mean = 0;
      for (std::size_t k = 0; k < n; ++k) mean += at(args[0], k);
      mean /= double(n);
      double sum = 0;
      for (std::size_t k = 0; k < n; ++k) sum += std::norm(at(args[0], k) - mean);
      return {std::sqrt(sum / double(n - 1))};
    }
    if (name == "sortorder") {  // the indices (from 0) that put the real parts in rising order
      want(1);
      std::vector<std::size_t> order(args[0].size());
      std::iota(order.begin(), order.end(), std::size_t(0));
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return args[0][a] < args[0][b]; });
      return Vector(order.begin(), order.end());
    }
    if (name == "sqrt" && args.size() == 1 && !args[0].complex() &&
        std::any_of(args[0].begin(), args[0].end(), [](double x) { return x < 0; })) {
      Vector z = args[0];  // of a negative number, complex (ngspice's: sqrt(-1) = j)
      z.imag.assign(z.size(), 0.0);
      return each_complex(z, [](const Complex& x) { return std::sqrt(x); });
    }
    if (args.size() == 1 && args[0].complex()) {  // the rest need complex arithmetic
      if (name == "db") {
        Vector v = each_complex(args[0], [](Complex z) { return Complex(20 * std::log10(std::abs(z))); });
        v.imag.clear();
        return v;
      }
      using CF = Complex (*)(const Complex&);
      static const std::map<std::string, CF, std::less<>> analytic = {
          {"sqrt", std::sqrt}, {"exp", std::exp}, {"ln", std::log}, {"log", std::log}, {"log10", std::log10},
          {"sin", std::sin}, {"cos", std::cos}, {"tan", std::tan}, {"sinh", std::sinh}, {"cosh", std::cosh},
          {"tanh", std::tanh}, {"atanh", std::atanh}};
      if (const auto f = analytic.find(name); f != analytic.end()) return each_complex(args[0], f->second);
      if (name == "mean") {
        Complex sum = 0;
        for (std::size_t k = 0; k < args[0].size(); ++k) sum += at(args[0], k);
        return from({sum / double(args[0].size())}, true);
      }
      if (name == "deriv" || name == "integ") {  // along a real scale: each part alone
        Vector re = calculus(name, Vector(args[0].begin(), args[0].end()), args[0].scale);
        const Vector im = calculus(name, Vector(args[0].imag.begin(), args[0].imag.end()), args[0].scale);
        re.imag.assign(im.begin(), im.end());
        return re;
      }
      if (name != "length")
        fail(fmt::format("'{}' of a complex vector: take its mag(), ph(), real() or imag() first", name));
    }
    using F = double (*)(double);
    static const std::map<std::string, F, std::less<>> elementwise = {
        {"floor", [](double x) { return std::floor(x); }},
        {"ceil", [](double x) { return std::ceil(x); }}, {"exp", [](double x) { return std::exp(x); }},
        {"sin", [](double x) { return std::sin(x); }}, {"cos", [](double x) { return std::cos(x); }},
        {"tan", [](double x) { return std::tan(x); }}, {"atan", [](double x) { return std::atan(x); }},
        {"sgn", [](double x) { return double((x > 0) - (x < 0)); }},
        {"sinh", [](double x) { return std::sinh(x); }}, {"cosh", [](double x) { return std::cosh(x); }},
        {"tanh", [](double x) { return std::tanh(x); }}, {"pos", [](double x) { return truth(x > 0); }},
        {"nint", [](double x) { return std::nearbyint(x); }}};
    if (const auto f = elementwise.find(name); f != elementwise.end()) return want(1), each(args[0], f->second);
    if (name == "sqrt" || name == "ln" || name == "log" || name == "log10" || name == "db") {
      want(1);
      for (double x : args[0])
        if (name == "sqrt" ? x < 0 : name == "db" ? x == 0 : x <= 0)
          fail(fmt::format("'{}' of {:g}: the control language's vectors are real here", name, x));
      if (name == "sqrt") return each(args[0], [](double x) { return std::sqrt(x); });
      // ngspice 39's log is natural, as ln (measured: log(2.7) = 0.99325).
      if (name == "ln" || name == "log") return each(args[0], [](double x) { return std::log(x); });
      if (name == "db") return each(args[0], [](double x) { return 20 * std::log10(std::fabs(x)); });
      return each(args[0], [](double x) { return std::log10(x); });
    }
    if (name == "atanh") {  // real while |x| < 1 (newer ngspice's; ngspice-39 has none)
      want(1);
      for (double x : args[0])
        if (!(std::fabs(x) < 1)) fail(fmt::format("'atanh' of {:g}: take it of a complex vector", x));
      return each(args[0], [](double x) { return std::atanh(x); });
    }
    if (name == "avg") {  // ngspice's: the running mean, element k the mean of 0..k
      want(1);
      Vector v = args[0];
      double sum = 0;
      for (std::size_t k = 0; k < v.size(); ++k) sum += args[0][k], v[k] = sum / double(k + 1);
      return v;
    }
    if (name == "norm") {  // divided by its largest magnitude
      want(1);
      double top = 0;
      for (double x : args[0]) top = std::max(top, std::fabs(x));
      if (top == 0) fail("'norm' of a vector of zeros");
      return each(args[0], [top](double x) { return x / top; });
    }
    // Random values from the run's stream (--seed), one per element of the argument:
    // sunif uniform in [-1, 1), sgauss N(0, 1), rnd(n) an integer in [0, |n|).
    if (name == "sunif" || name == "sgauss" || name == "rnd") {
      want(1);
      if (!lookup_.random) fail(fmt::format("'{}' needs a random stream", name));
      Random& r = *lookup_.random;
      if (name == "sunif") return each(args[0], [&r](double) { return r.uniform(); });
      if (name == "sgauss") return each(args[0], [&r](double) { return r.normal(); });
      return each(args[0], [&r](double x) { return std::floor(std::fabs(std::trunc(x)) * 0.5 * (r.uniform() + 1)); });
    }
    if (name == "length") return want(1), Vector{double(args[0].size())};
    if (name == "deriv" || name == "integ") return want(1), calculus(name, args[0], args[0].scale);
    if (name == "mean") return want(1), Vector{std::accumulate(args[0].begin(), args[0].end(), 0.0) / double(args[0].size())};
    // maximum/minimum: ngspice's other names for vecmax/vecmin
    if (name == "vecmax" || name == "vecmin" || name == "maximum" || name == "minimum" ||
        ((name == "max" || name == "min") && args.size() == 1)) {
      want(1);
      const bool max = name.find("max") != std::string::npos;  // vecmax, maximum, max
      return {max ? *std::max_element(args[0].begin(), args[0].end()) : *std::min_element(args[0].begin(), args[0].end())};
    }
    if (name == "max" || name == "min") {
      want(2);
      return name == "max" ? combine(args[0], args[1], [](double x, double y) { return std::max(x, y); })
                           : combine(args[0], args[1], [](double x, double y) { return std::min(x, y); });
    }
    if (name == "vector" || name == "unitvec") {
      want(1);
      const double n = std::floor(args[0][0]);
      if (!(n >= 0 && n <= 1e8)) fail(fmt::format("'{}' of {:g}", name, args[0][0]));
      Vector v(static_cast<std::size_t>(n), 1.0);
      if (name == "vector") std::iota(v.begin(), v.end(), 0.0);
      return v;
    }
    fail(fmt::format("unknown function '{}'", name));
  }

  // Along the scale of the plot y was read from (dc1.v(out)), else the current plot's (the
  // index when it has none or another length), as ngspice: deriv from the parabola through each point and its neighbours (the first or
  // last three at the ends), integ by the trapezoidal rule from 0 at the first point.
  Vector calculus(const std::string& name, const Vector& y, const std::shared_ptr<const std::vector<double>>& own) {
    Vector x;
    if (own && own->size() == y.size()) x.assign(own->begin(), own->end());
    else if (auto scale = lookup_(""); scale && scale->size() == y.size()) x = std::move(*scale);
    else for (std::size_t k = 0; k < y.size(); ++k) x.push_back(double(k));
    const std::size_t n = y.size();
    Vector out(n, 0.0);
    if (name == "integ") {
      for (std::size_t k = 1; k < n; ++k) out[k] = out[k - 1] + 0.5 * (y[k] + y[k - 1]) * (x[k] - x[k - 1]);
      return out;
    }
    if (n < 2) return out;
    if (n == 2) {
      if (x[1] == x[0]) fail("'deriv' along a scale that does not change");
      return Vector(2, (y[1] - y[0]) / (x[1] - x[0]));
    }
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t a = k == 0 ? 0 : k == n - 1 ? n - 3 : k - 1;  // the window's first point
      const double* xs = &x[a];
      const double* ys = &y[a];
      for (int i = 0; i < 3; ++i) {  // d/dx of the Lagrange basis polynomial of point i, at x[k]
        double den = 1, num = 0;
        for (int j = 0; j < 3; ++j) {
          if (j == i) continue;
          den *= xs[i] - xs[j];
          num += x[k] - xs[3 - i - j];
        }
        if (den == 0) fail("'deriv' along a scale with a repeated point");
        out[k] += ys[i] * num / den;
      }
    }
    return out;
  }

  std::string_view t_;
  const Lookup& lookup_;
  std::size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace

std::vector<Value> evaluate_all(std::string_view text, const Lookup& lookup) {
  Parser p(text, lookup);
  std::vector<Value> values;
  while (!p.at_end()) {
    const std::size_t from = p.position();
    Vector v = p.expression();
    std::string written(text.substr(from, p.position() - from));
    while (!written.empty() && (written.back() == ' ' || written.back() == '\t')) written.pop_back();
    std::erase(written, '"');  // v("/a") is named v(/a), as in ngspice
    values.push_back({std::move(written), std::move(v)});
  }
  return values;
}

Vector evaluate(std::string_view text, const Lookup& lookup) {
  Parser p(text, lookup);
  if (p.at_end()) throw VectorError("expected an expression");
  Vector v = p.expression();
  if (!p.at_end()) throw VectorError(fmt::format("unexpected '{}' after the expression", text.substr(p.position())));
  return v;
}

}  // namespace ns::control
