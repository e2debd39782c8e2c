// .sp: the S-parameters of the circuit linearised at its operating point, between its
// ports: the V sources written with ngspice's 'portnum N z0 R' (models/vsource.cpp), each
// a source of reference impedance z0 in series, in every analysis. Card and control
// command as ngspice's: `.sp dec|oct|lin N fstart fstop [donoise]`.
//
// At each frequency the small-signal matrix (G + j omega C) of .ac is factored once; then
// each port j in turn drives 1 V behind its z0 with every other source at 0, and every
// port i gives its power waves (Kurokawa's), V_i across its terminals and I_i into the
// circuit:
//     a_i = (V_i + z0_i I_i) / (2 sqrt z0_i)        b_i = (V_i - z0_i I_i) / (2 sqrt z0_i)
// as column j of A and B. Then S = B A^-1 and, with Z0 = diag(z0_i), R = diag(sqrt z0_i):
//     Z = R (1 - S)^-1 (S + 1) R        Y = Z^-1 = R^-1 (S + 1)^-1 (1 - S) R^-1
// (the one-port case: Z = z0 (1 + S) / (1 - S)). Written out: the vectors s_i_j, y_i_j and
// z_i_j (ngspice's S_i_j, Y_i_j, Z_i_j) against frequency.
#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "analysis/frequency_sweep.hpp"
#include "circuit/circuit.hpp"
#include "engine/sparse_lu.hpp"

namespace ns {

namespace {

using Complex = std::complex<double>;

// A small dense complex matrix, row-major (n ports by n).
struct Square {
  std::size_t n = 0;
  std::vector<Complex> m;
  explicit Square(std::size_t size, Complex diagonal = 0) : n(size), m(size * size) {
    for (std::size_t k = 0; k < n; ++k) m[k * n + k] = diagonal;
  }
  Complex& operator()(std::size_t i, std::size_t j) { return m[i * n + j]; }
  Complex operator()(std::size_t i, std::size_t j) const { return m[i * n + j]; }
};

Square operator*(const Square& a, const Square& b) {
  Square c(a.n);
  for (std::size_t i = 0; i < a.n; ++i)
    for (std::size_t k = 0; k < a.n; ++k)
      for (std::size_t j = 0; j < a.n; ++j) c(i, j) += a(i, k) * b(k, j);
  return c;
}

Square operator+(Square a, Complex diagonal) {
  for (std::size_t k = 0; k < a.n; ++k) a(k, k) += diagonal;
  return a;
}

// a^-1 by Gauss-Jordan with partial pivoting; every entry NaN when a is singular (a
// port left open has no Y, one shorted no Z: the vector says so at that frequency).
Square inverse(Square a) {
  const std::size_t n = a.n;
  Square x(n, 1);
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::abs(a(r, c)) > std::abs(a(pivot, c))) pivot = r;
    if (a(pivot, c) == Complex(0)) {
      std::fill(x.m.begin(), x.m.end(), Complex(std::nan(""), std::nan("")));
      return x;
    }
    for (std::size_t j = 0; j < n; ++j) std::swap(a(c, j), a(pivot, j)), std::swap(x(c, j), x(pivot, j));
    const Complex d = 1.0 / a(c, c);
    for (std::size_t j = 0; j < n; ++j) a(c, j) *= d, x(c, j) *= d;
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c || a(r, c) == Complex(0)) continue;
      const Complex f = a(r, c);
      for (std::size_t j = 0; j < n; ++j) a(r, j) -= f * a(c, j), x(r, j) -= f * x(c, j);
    }
  }
  return x;
}

// The circuit's ports in number order; an InputError unless they are 1..N, each once.
std::vector<Device::Port> ports_of(const Circuit& circuit, const Location& card) {
  std::vector<Device::Port> ports;
  for (const auto& d : circuit.devices())
    if (auto p = d->port()) ports.push_back(*p);
  if (ports.empty())
    throw InputError(card, "'.sp' needs ports: V sources with 'portnum N' (and 'z0 R', 50 Ohm if not given)");
  std::sort(ports.begin(), ports.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
  for (std::size_t k = 0; k < ports.size(); ++k) {
    if (k > 0 && ports[k].number == ports[k - 1].number)
      throw InputError(ports[k].where, fmt::format("port {} is given twice (also at {})", ports[k].number,
                                                   ports[k - 1].where.str()));
    if (ports[k].number != static_cast<int>(k + 1))
      throw InputError(ports[k].where, fmt::format("the ports must be numbered 1 to {} without a gap; port {} is missing",
                                                   ports.size(), k + 1));
  }
  return ports;
}

class Sp final : public Analysis {
public:
  Sp(std::vector<double> frequencies, Location where, bool noise)
      : frequencies_(std::move(frequencies)), where_(std::move(where)), noise_(noise) {}
  double rows() const override { return double(frequencies_.size()); }
  void run(const AnalysisContext& context, TraceSink& sink) const override;

private:
  std::vector<double> frequencies_;
  Location where_;
  bool noise_;
};

void Sp::run(const AnalysisContext& context, TraceSink& sink) const {
  const auto built = simulation(context);
  Simulation& sim = *built;
  const System& system = *sim.system;
  const std::vector<Device::Port> ports = ports_of(*sim.circuit, where_);
  const std::size_t n = ports.size();
  const std::vector<double> x0 = operating_point(sim, context.notes);
  const Assembly a = linearised_ac(sim, x0, ".sp");
  if (noise_ && context.notes)
    context.notes->push_back(fmt::format("'.sp' donoise (at {}): the ports' noise correlation (ngspice's Cy_i_j) is "
                                         "not computed; the S, Y and Z parameters are", where_.str()));

  std::vector<std::string> vectors{"frequency"}, units{"Hz"};
  std::vector<RealPart> parts{{RealPart::Kind::Real, 0, "frequency"}};
  for (const auto& [kind, unit] : {std::pair{"s", ""}, {"y", "S"}, {"z", "Ohm"}})
    for (std::size_t i = 1; i <= n; ++i)
      for (std::size_t j = 1; j <= n; ++j) {
        const std::string name = fmt::format("{}_{}_{}", kind, i, j);
        vectors.push_back(name);
        units.push_back(unit);
        parts.push_back({RealPart::Kind::Magnitude, vectors.size() - 1, fmt::format("mag({})", name)});
        parts.push_back({RealPart::Kind::Phase, vectors.size() - 1, fmt::format("ph({})", name)});
      }
  sink.begin_complex(vectors, units, parts);
  if (context.waveform) *context.waveform = empty_waveform(sim);

  const auto& rows = system.rows();
  ComplexLu lu(system.column_starts(), rows);
  std::vector<Complex> matrix(rows.size()), x(system.size());
  std::vector<Complex> row(vectors.size());
  Square root(n), root_inverse(n);  // diag(sqrt z0), its inverse
  for (std::size_t i = 0; i < n; ++i) root(i, i) = std::sqrt(ports[i].z0), root_inverse(i, i) = 1.0 / root(i, i);
  for (std::size_t f = 0; f < frequencies_.size(); ++f) {
    const double frequency = frequencies_[f];
    context.check_stop(frequency, "frequency");
    const double omega = 2 * std::numbers::pi * frequency;
    for (std::size_t k = 0; k < rows.size(); ++k) matrix[k] = Complex(a.G[k], omega * a.C[k]);
    if (!lu.factor(matrix))
      throw SimulationError(fmt::format("the .sp matrix is singular at {:g} Hz (at {})", frequency,
                                        system.unknown_name(static_cast<Unknown>(lu.singular_column()))));
    Square wave_a(n), wave_b(n);
    for (std::size_t j = 0; j < n; ++j) {
      std::fill(x.begin(), x.end(), Complex(0));
      x[static_cast<std::size_t>(ports[j].branch)] = 1;
      lu.solve(x);
      auto at = [&](Unknown u) { return u == ground ? Complex(0) : x[static_cast<std::size_t>(u)]; };
      for (std::size_t i = 0; i < n; ++i) {
        const Complex v = at(ports[i].p) - at(ports[i].n), current = -at(ports[i].branch);  // into the circuit
        const double z0 = ports[i].z0, scale = 2 * std::sqrt(z0);
        wave_a(i, j) = (v + z0 * current) / scale;
        wave_b(i, j) = (v - z0 * current) / scale;
      }
    }
    const Square s = wave_b * inverse(wave_a);
    Square minus_s = s;
    for (Complex& c : minus_s.m) c = -c;
    const Square z = root * inverse(minus_s + 1.0) * (s + 1.0) * root;
    const Square y = root_inverse * inverse(s + 1.0) * (minus_s + 1.0) * root_inverse;
    row[0] = frequency;
    std::size_t k = 1;
    for (const Square* m : {&s, &y, &z})
      for (const Complex c : m->m) row[k++] = c;
    sink.complex_row(row);
    context.report(double(f + 1) / double(frequencies_.size()));
  }
}

// .sp dec|oct|lin N fstart fstop [donoise] (analysis/frequency_sweep.hpp). donoise 1 asks
// ngspice for the ports' noise correlation matrix, which this analysis does not compute:
// it says so among the run's notes.
std::unique_ptr<Analysis> parse(const ControlCard& card, const Netlist&) {
  const auto& a = card.args;
  std::vector<double> f = frequency_sweep(card, 0, ".sp");
  bool noise = false;
  if (a.size() > 4) {
    const Number n = a[4].number();
    if (n.value != 0 && n.value != 1) throw InputError(n.where, fmt::format("donoise must be 0 or 1, not {:g}", n.value));
    noise = n.value == 1;
  }
  if (a.size() > 5) throw InputError(a[5].where, fmt::format("unexpected '{}' on '.sp'", a[5].text));
  return std::make_unique<Sp>(std::move(f), card.where, noise);
}

const bool registered = register_analysis({".sp", "sp", "SP Analysis", std::nullopt, parse});

}  // namespace

}  // namespace ns
