// .ac: the small-signal response, the circuit linearised at its operating point.
// Every device loads G = df/dx and C = dq/dx at the OP, so the response to the sources'
// 'ac mag phase' phasors u is (G + j omega C) x = u at each frequency: one complex KLU
// factorisation per frequency on the circuit's one pattern. States are unknowns like
// any other and respond too; a state held at DC (Hold::InDc, a non-volatile state) keeps
// its row x = rest, so it does not respond, as in .op.
#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "analysis/frequency_sweep.hpp"
#include "engine/sparse_lu.hpp"

namespace ns {

namespace {

using Complex = std::complex<double>;

// A probe's small-signal value for the response dx around x0. A linear probe (a node
// voltage, a branch current) is exact at dx's parts; any other (@d1[id]) is differentiated
// along them by central differences, with steps of 1e-6 of the OP's scale.
Complex small_signal(const Probe& p, const std::vector<double>& x0, const std::vector<Complex>& dx, double gmin) {
  std::vector<double> part(dx.size());
  auto along = [&](auto pick) {
    for (std::size_t k = 0; k < dx.size(); ++k) part[k] = pick(dx[k]);
    if (p.linear) return p.value(Eval{part, Mode::Ac, 0, gmin});
    double size = 0, scale = 1;
    for (std::size_t k = 0; k < dx.size(); ++k) size = std::max(size, std::abs(part[k])), scale = std::max(scale, std::abs(x0[k]));
    if (size == 0) return 0.0;
    const double h = 1e-6 * scale / size;
    std::vector<double> plus(x0), minus(x0);
    for (std::size_t k = 0; k < dx.size(); ++k) plus[k] += h * part[k], minus[k] -= h * part[k];
    return (p.value(Eval{plus, Mode::Ac, 0, gmin}) - p.value(Eval{minus, Mode::Ac, 0, gmin})) / (2 * h);
  };
  return {along([](Complex z) { return z.real(); }), along([](Complex z) { return z.imag(); })};
}

// "v(out)" -> "vm(out)" for part "m"; "i(v1)" -> "ip(v1)"; other labels -> "db(@d1[id])".
std::string part_name(const std::string& label, const std::string& form) {
  if ((label.starts_with("v(") || label.starts_with("i(")) ) return label.substr(0, 1) + form + label.substr(1);
  static const std::map<std::string, std::string> functions = {
      {"m", "mag"}, {"p", "ph"}, {"db", "db"}, {"r", "real"}, {"i", "imag"}};
  return fmt::format("{}({})", functions.at(form), label);
}

RealPart::Kind part_kind(const std::string& form) {
  if (form == "m") return RealPart::Kind::Magnitude;
  if (form == "p") return RealPart::Kind::Phase;
  if (form == "db") return RealPart::Kind::Db;
  if (form == "r") return RealPart::Kind::Real;
  return RealPart::Kind::Imag;
}

class Ac final : public Analysis {
public:
  explicit Ac(std::vector<double> frequencies) : frequencies_(std::move(frequencies)) {}
  double rows() const override { return double(frequencies_.size()); }
  void run(const AnalysisContext& context, TraceSink& sink) const override;

private:
  std::vector<double> frequencies_;
};

void Ac::run(const AnalysisContext& context, TraceSink& sink) const {
  const auto built = simulation(context);
  Simulation& sim = *built;
  const System& system = *sim.system;
  const double gmin = sim.netlist.options.gmin;
  const std::vector<double> x0 = operating_point(sim, context.notes);
  const Assembly a = linearised_ac(sim, x0, ".ac");
  const auto& starts = system.column_starts();
  const auto& rows = system.rows();

  std::vector<Complex> u(system.size());
  std::vector<const Device*> dispersive;  // Device::frequency_dependent
  for (const auto& device : sim.circuit->devices()) {
    device->ac(u);
    if (device->frequency_dependent()) dispersive.push_back(device.get());
  }

  // The vectors: frequency, then every probe; the real table's parts of each.
  std::vector<std::string> vectors{"frequency"}, units{"Hz"};
  std::vector<RealPart> parts{{RealPart::Kind::Real, 0, "frequency"}};
  const auto& requests = sim.netlist.outputs;
  for (std::size_t k = 0; k < sim.probes.size(); ++k) {
    const Probe& p = sim.probes[k];
    vectors.push_back(p.label);
    units.push_back(p.unit);
    std::vector<std::string> forms{"m", "p"};
    if (k < requests.size() && !requests[k].forms.empty()) forms = requests[k].forms;
    for (const auto& form : forms) parts.push_back({part_kind(form), k + 1, part_name(p.label, form)});
  }
  sink.begin_complex(vectors, units, parts);
  if (context.waveform) *context.waveform = empty_waveform(sim);
  // What a .meas ac reads of each probe: vdb(out) its dB, v(out) its real part (ngspice's rule).
  std::vector<RealPart> measured;
  for (const Probe& p : sim.measure_probes) {
    const auto open = p.label.find('(');
    const std::string form = open != std::string::npos && open >= 2 ? p.label.substr(1, open - 1) : "r";
    measured.push_back({part_kind(form), 0, p.label});
  }

  ComplexLu lu(starts, rows);
  std::vector<Complex> matrix(rows.size()), x(system.size());
  std::vector<Complex> row(vectors.size());
  for (std::size_t i = 0; i < frequencies_.size(); ++i) {
    const double f = frequencies_[i];
    context.check_stop(f, "frequency");
    const double omega = 2 * std::numbers::pi * f;
    for (std::size_t k = 0; k < rows.size(); ++k) matrix[k] = Complex(a.G[k], omega * a.C[k]);
    for (const Device* d : dispersive) d->ac_admittance(omega, [&](Entry e, Complex y) { matrix[system.slot(e)] += y; });
    if (!lu.factor(matrix))
      throw SimulationError(fmt::format("the .ac matrix is singular at {:g} Hz (at {})", f,
                                        system.unknown_name(static_cast<Unknown>(lu.singular_column()))));
    x = u;
    lu.solve(x);
    row[0] = f;
    for (std::size_t k = 0; k < sim.probes.size(); ++k) row[k + 1] = small_signal(sim.probes[k], x0, x, gmin);
    sink.complex_row(row);
    if (context.waveform) {
      context.waveform->x.push_back(f);
      for (std::size_t k = 0; k < measured.size(); ++k)
        context.waveform->columns[k].push_back(measured[k].of(small_signal(sim.measure_probes[k], x0, x, gmin)));
    }
    context.report(double(i + 1) / double(frequencies_.size()));
  }
}

// .ac dec|oct|lin N fstart fstop (analysis/frequency_sweep.hpp).
std::unique_ptr<Analysis> parse(const ControlCard& card, const Netlist&) {
  const auto& a = card.args;
  std::vector<double> f = frequency_sweep(card, 0, ".ac");
  if (a.size() > 4) throw InputError(a[4].where, fmt::format("unexpected '{}' on '.ac'", a[4].text));
  return std::make_unique<Ac>(std::move(f));
}

const bool registered = register_analysis({".ac", "ac", "AC Analysis", MeasureRequest::Analysis::Ac, parse});

}  // namespace

}  // namespace ns
