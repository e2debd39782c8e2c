// .pz in+ in- out+ out- vol|cur pol|zer|pz: poles and zeros (rad/s, complex) of the
// transfer function of a small circuit linearised at its operating point, as ngspice
// defines them: vol is v(out+, out-) / v(in+, in-) with the input driven by a voltage
// (shorted for the poles), cur is v(out+, out-) / i(in) with the input driven by a current
// (open for the poles). Independent sources are zeroed (V shorts, I opens); a V source
// already across the input port is the vol stimulus itself.
//
// Method, for small dense systems (at most 60 unknowns): the poles are the roots of
// D(s) = det(G + sC) (the matrix with the input stimulus in place), the zeros those of
// N(s) = H(s) D(s). Both are polynomials of degree at most n; they are sampled at n + 1
// points on circles |s| = r (dense complex LU), their coefficients recovered by a
// discrete Fourier transform, and their roots found by Aberth's iteration. The first r
// is the geometric mean of the roots found at max|G| / max|C|; each further circle is
// 30 times wider and keeps the roots of its own band (circle_roots), so that roots eight
// decades apart (a VBIC stage: 1.9e4 to 1.2e12 rad/s) are each found where the
// coefficients resolve them.
#include <algorithm>
#include <cmath>
#include <complex>
#include <functional>
#include <numbers>

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "circuit/circuit.hpp"

namespace ns {

namespace {

using Complex = std::complex<double>;
constexpr std::size_t max_unknowns = 60;

struct Port {
  std::string plus, minus;
  Location where;
};

class Pz final : public Analysis {
public:
  Pz(Port in, Port out, bool voltage, bool poles, bool zeros)
      : in_(std::move(in)), out_(std::move(out)), voltage_(voltage), poles_(poles), zeros_(zeros) {}
  void run(const AnalysisContext& context, TraceSink& sink) const override;

private:
  Port in_, out_;
  bool voltage_, poles_, zeros_;
};

// Determinant and, when `rhs` is not empty, the solution of A x = rhs (in place), by
// Gaussian elimination with partial pivoting on a dense copy.
Complex det_solve(std::vector<Complex> a, std::size_t n, std::vector<Complex>& rhs) {
  Complex det = 1;
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t p = k;
    for (std::size_t i = k + 1; i < n; ++i)
      if (std::abs(a[i * n + k]) > std::abs(a[p * n + k])) p = i;
    if (a[p * n + k] == Complex{}) return 0;
    if (p != k) {
      for (std::size_t j = 0; j < n; ++j) std::swap(a[p * n + j], a[k * n + j]);
      if (!rhs.empty()) std::swap(rhs[p], rhs[k]);
      det = -det;
    }
    det *= a[k * n + k];
    for (std::size_t i = k + 1; i < n; ++i) {
      const Complex m = a[i * n + k] / a[k * n + k];
      if (m == Complex{}) continue;
      for (std::size_t j = k; j < n; ++j) a[i * n + j] -= m * a[k * n + j];
      if (!rhs.empty()) rhs[i] -= m * rhs[k];
    }
  }
  if (!rhs.empty())
    for (std::size_t k = n; k-- > 0;) {
      Complex s = rhs[k];
      for (std::size_t j = k + 1; j < n; ++j) s -= a[k * n + j] * rhs[j];
      rhs[k] = s / a[k * n + k];
    }
  return det;
}

// Coefficients c_j r^j (j = 0..m-1) of a polynomial of degree < m from its values at
// s_k = r exp(2 pi i k / m).
std::vector<Complex> coefficients(const std::vector<Complex>& values) {
  const std::size_t m = values.size();
  std::vector<Complex> c(m);
  for (std::size_t j = 0; j < m; ++j) {
    for (std::size_t k = 0; k < m; ++k)
      c[j] += values[k] * std::polar(1.0, -2 * std::numbers::pi * double(j * k % m) / double(m));
    c[j] /= double(m);
  }
  return c;
}

// The roots (in z = s / r) of sum c_j z^j: coefficients below 1e-9 of the largest are
// rounding noise (the degree falls, or roots at 0 for trailing ones); Aberth's iteration.
std::vector<Complex> roots(std::vector<Complex> c) {
  double big = 0;
  for (Complex x : c) big = std::max(big, std::abs(x));
  if (big == 0) return {};
  for (Complex& x : c)
    if (std::abs(x) < 1e-9 * big) x = 0;
  while (!c.empty() && c.back() == Complex{}) c.pop_back();
  std::vector<Complex> found;
  while (c.size() > 1 && c.front() == Complex{}) {  // a root at 0
    found.emplace_back(0);
    c.erase(c.begin());
  }
  const std::size_t degree = c.size() - 1;
  if (degree == 0) return found;
  std::vector<Complex> z(degree);
  for (std::size_t k = 0; k < degree; ++k)  // spread on a circle, off the axes
    z[k] = std::polar(1.0, 2 * std::numbers::pi * (double(k) + 0.25) / double(degree) + 0.4);
  auto eval = [&](Complex x, Complex& derivative) {
    Complex p = c.back();
    derivative = 0;
    for (std::size_t j = c.size() - 1; j-- > 0;) {
      derivative = derivative * x + p;
      p = p * x + c[j];
    }
    return p;
  };
  for (int iteration = 0; iteration < 500; ++iteration) {
    double move = 0;
    for (std::size_t k = 0; k < degree; ++k) {
      Complex d;
      const Complex p = eval(z[k], d);
      if (p == Complex{}) continue;
      const Complex ratio = p / d;
      Complex sum = 0;
      for (std::size_t j = 0; j < degree; ++j)
        if (j != k) sum += 1.0 / (z[k] - z[j]);
      const Complex step = ratio / (1.0 - ratio * sum);
      z[k] -= step;
      move = std::max(move, std::abs(step) / std::max(std::abs(z[k]), 1e-300));
    }
    if (move < 1e-14) break;
  }
  found.insert(found.end(), z.begin(), z.end());
  return found;
}

// The roots (rad/s) of a polynomial f of degree at most `degree`, known by its values.
// One circle |s| = r resolves the roots within a few decades of r (a coefficient below
// 1e-9 of the largest is rounding), and a transistor stage's poles spread over eight: so
// f is sampled on circles of growing radius r, 30 r, 900 r..., each keeping the roots of
// its own band, |s| in [r / sqrt(30), r sqrt(30)) (the first circle also those below),
// until a circle finds none at or above its band. Each root comes from the circle it is
// nearest, where its coefficients are largest; none is divided out of f (a divided root's
// rounding would leak into the next circle's coefficients).
std::vector<Complex> circle_roots(const std::function<Complex(Complex)>& f, std::size_t degree, double r) {
  constexpr double step = 30;
  const double edge = std::sqrt(step);
  std::vector<Complex> found;
  for (int pass = 0; pass < 24; ++pass, r *= step) {
    std::vector<Complex> v(degree + 1);
    double size = 0;
    for (std::size_t k = 0; k <= degree; ++k) {
      v[k] = f(std::polar(r, 2 * std::numbers::pi * double(k) / double(degree + 1)));
      size = std::max(size, std::abs(v[k]));
    }
    if (size == 0) break;
    for (Complex& z : v) z /= size;
    bool above = false;
    for (Complex z : roots(coefficients(v))) {
      const double at = std::abs(z);
      if (at >= edge) above = true;
      else if (at >= 1 / edge || pass == 0) found.push_back(z * r);
    }
    if (!above) break;
  }
  return found;
}

// Scaled back to rad/s; an imaginary part below 1e-9 of the root's size is rounding (the
// root is real); sorted by real part, most negative first.
std::vector<Complex> tidy(std::vector<Complex> r, double scale) {
  for (Complex& x : r) {
    x *= scale;
    if (std::abs(x.imag()) < 1e-9 * std::abs(x)) x = {x.real(), 0};
  }
  std::sort(r.begin(), r.end(), [](Complex a, Complex b) {
    return a.real() != b.real() ? a.real() < b.real() : a.imag() < b.imag();
  });
  return r;
}

void Pz::run(const AnalysisContext& context, TraceSink& sink) const {
  const auto built = simulation(context);
  Simulation& sim = *built;
  const System& system = *sim.system;
  const Circuit& circuit = *sim.circuit;
  const std::vector<double> x0 = operating_point(sim, context.notes);
  Assembly a = linearised(sim, x0, Mode::Ac, ".pz");
  for (const auto& d : circuit.devices())
    if (d->frequency_dependent())
      throw InputError(d->where(), fmt::format("'.pz': '{}' has a frequency-dependent admittance (a line's delay), "
                                               "not the rational G + sC that .pz factors", d->name()));
  const std::size_t n = system.size();
  if (n + 1 > max_unknowns)
    throw InputError(in_.where, fmt::format("'.pz' is for small circuits: this one has {} unknowns (at most {})", n,
                                            max_unknowns - 1));
  auto node = [&](const std::string& name) { return name == "0" ? ground : circuit.node(name, in_.where); };
  const Unknown ip = node(in_.plus), im = node(in_.minus), op_ = node(out_.plus), om = node(out_.minus);

  // A V source across the input port drives it (vol); else a new branch (vol) or a
  // unit current into in+ (cur).
  Unknown driving = ground;
  if (voltage_)
    for (const Element& e : sim.netlist.elements)
      if (e.kind == 'v' && e.nodes.size() >= 2 && node(e.nodes[0]) == ip && node(e.nodes[1]) == im)
        driving = circuit.tables().branches.at(e.name);
  const bool extra = voltage_ && driving == ground;
  const std::size_t m = n + (extra ? 1 : 0);
  std::vector<double> g(m * m, 0.0), c(m * m, 0.0);
  const auto& starts = system.column_starts();
  const auto& rows = system.rows();
  double gmax = 0, cmax = 0;
  for (std::size_t col = 0; col < n; ++col)
    for (auto k = starts[col]; k < starts[col + 1]; ++k) {
      const auto row = static_cast<std::size_t>(rows[static_cast<std::size_t>(k)]);
      g[row * m + col] = a.G[static_cast<std::size_t>(k)];
      c[row * m + col] = a.C[static_cast<std::size_t>(k)];
      gmax = std::max(gmax, std::abs(g[row * m + col]));
      cmax = std::max(cmax, std::abs(c[row * m + col]));
    }
  std::vector<Complex> u(m);
  auto add = [&](std::vector<double>& mat, Unknown r, std::size_t col, double v) {
    if (r != ground) mat[static_cast<std::size_t>(r) * m + col] += v;
  };
  if (extra) {  // the branch current leaves in+ through the source: KCL and v(in+) - v(in-) = 1
    add(g, ip, n, 1);
    add(g, im, n, -1);
    if (ip != ground) g[n * m + static_cast<std::size_t>(ip)] += 1;
    if (im != ground) g[n * m + static_cast<std::size_t>(im)] -= 1;
    u[n] = 1;
  } else if (voltage_) {
    u[static_cast<std::size_t>(driving)] = 1;
  } else {
    if (ip != ground) u[static_cast<std::size_t>(ip)] = 1;
    if (im != ground) u[static_cast<std::size_t>(im)] = -1;
  }
  if (cmax == 0) throw SimulationError("'.pz': the circuit has no capacitance or inductance, so no poles or zeros");

  // D(s) and N(s) at one s: det(G + sC) and v(out) det(G + sC).
  std::vector<Complex> matrix(m * m);
  auto sample = [&](Complex s, bool numerator) {
    for (std::size_t i = 0; i < m * m; ++i) matrix[i] = g[i] + s * c[i];
    std::vector<Complex> x = u;
    const Complex det = det_solve(matrix, m, x);
    if (!numerator || det == Complex{}) return det;
    auto at = [&](Unknown q) { return q == ground ? Complex{} : x[static_cast<std::size_t>(q)]; };
    return (at(op_) - at(om)) * det;
  };
  // The first circle: r from the sizes in G and C, then once more at the geometric mean
  // of the roots found there, where the coefficients are balanced.
  double r = gmax / cmax;
  {
    std::vector<Complex> dv(m + 1);
    double size = 0;
    for (std::size_t k = 0; k <= m; ++k) {
      dv[k] = sample(std::polar(r, 2 * std::numbers::pi * double(k) / double(m + 1)), false);
      size = std::max(size, std::abs(dv[k]));
    }
    if (size == 0) throw SimulationError("'.pz': the circuit's matrix is singular for every s");
    for (Complex& z : dv) z /= size;
    double log_sum = 0, count = 0;
    for (Complex z : roots(coefficients(dv)))
      if (std::abs(z) > 0) log_sum += std::log(std::abs(z)), count += 1;
    if (count > 0) r *= std::exp(log_sum / count);
  }
  const auto poles = tidy(circle_roots([&](Complex s) { return sample(s, false); }, m, r), 1);
  const auto zeros = tidy(circle_roots([&](Complex s) { return sample(s, true); }, m, r), 1);

  std::vector<std::string> vectors, units;
  std::vector<RealPart> parts;
  std::vector<Complex> row;
  auto list = [&](const char* what, const std::vector<Complex>& values) {
    for (std::size_t k = 0; k < values.size(); ++k) {
      const std::string name = fmt::format("{}({})", what, k + 1);
      parts.push_back({RealPart::Kind::Real, vectors.size(), "real(" + name + ")"});
      parts.push_back({RealPart::Kind::Imag, vectors.size(), "imag(" + name + ")"});
      vectors.push_back(name);
      units.push_back("");
      row.push_back(values[k]);
    }
  };
  if (poles_) list("pole", poles);
  if (zeros_) list("zero", zeros);
  if (vectors.empty()) {
    sink.begin({}, {});
    return;
  }
  sink.begin_complex(vectors, units, parts);
  sink.complex_row(row);
}

// .pz in+ in- out+ out- vol|cur pol|zer|pz
std::unique_ptr<Analysis> parse(const ControlCard& card, const Netlist&) {
  const auto& a = card.args;
  auto usage = [&](const Location& where) {
    return InputError(where, "'.pz' needs four nodes (input +, -, output +, -), then vol or cur, then pol, zer or pz");
  };
  if (a.size() < 6) throw usage(a.empty() ? card.where : a.back().where);
  for (std::size_t k = 0; k < 4; ++k)
    if (a[k].kind != CardArg::Kind::Word) throw usage(a[k].where);
  if (!a[4].is("vol") && !a[4].is("cur"))
    throw InputError(a[4].where, fmt::format("'.pz' transfer type must be vol or cur, not '{}'", a[4].text));
  if (!a[5].is("pol") && !a[5].is("zer") && !a[5].is("pz"))
    throw InputError(a[5].where, fmt::format("'.pz' analysis must be pol, zer or pz, not '{}'", a[5].text));
  if (a.size() > 6) throw InputError(a[6].where, fmt::format("unexpected '{}' on '.pz'", a[6].text));
  auto name = [&](std::size_t k) { return a[k].text == "gnd" ? std::string("0") : a[k].text; };
  Port in{name(0), name(1), a[0].where}, out{name(2), name(3), a[2].where};
  return std::make_unique<Pz>(std::move(in), std::move(out), a[4].is("vol"), !a[5].is("zer"), !a[5].is("pol"));
}

const bool registered = register_analysis({".pz", "pz", "Pole-Zero Analysis", std::nullopt, parse});

}  // namespace

}  // namespace ns
