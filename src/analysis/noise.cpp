// .noise v(out[,ref]) src dec|oct|lin N fstart fstop [pts_per_summary]: small-signal noise
// at the operating point, as ngspice defines it. Every device lists its noise currents
// (Device::noise: the two unknowns a current flows between and its one-sided PSD). The
// output's response to a unit current between a and b is y(b) - y(a) for the solution y
// of the transposed system (G + j omega C)^T y = e_out (e_out: +1 at out, -1 at ref), so
// one factorisation and one solve per frequency give every source's transfer, and the
// gain from `src` (y . u_src, u_src the source's own 'ac' stimulus).
//   onoise_spectrum = sqrt(sum psd |transfer|^2)     V/sqrt(Hz)
//   inoise_spectrum = onoise_spectrum / |gain|        per unit of the source's stimulus
// Integrated noise: each source's output density integrated over the sweep on its own,
// as a power law between adjacent points, then summed. The input-referred total is
// ngspice's: each interval's output integral divided by |gain|^2 at the interval's upper
// end (not the integral of inoise_spectrum^2, which differs by up to the gain's change
// across one interval: 2.3 % for an RC at 100 points a decade). The square roots are
// reported as onoise_total / inoise_total (V, and V or A) in a second plot
// ("Integrated Noise"). A CSV holds the spectra; the totals are also among the notes.
// With pts_per_summary > 0, ngspice's per-device summary as well: before the two spectra,
// each device's sources' output densities onoise_<device>_<source> and their sum
// onoise_<device>; before the two totals, onoise_total_<device>_<source>,
// inoise_total_<device>_<source>, ..., onoise_total_<device>, inoise_total_<device>. A
// device whose kinds begin with a dot (BSIM3, BSIM4: ".id") has dots there instead:
// onoise.m1.id, v(onoise_total.m1.id), as ngspice writes them.
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

// The integral from f0 to f1 of a density that is s0 at f0 and s1 at f1, taken as the
// power law through both points (exact for thermal, shot, 1/f and filtered spectra
// between sweep points); trapezoidal where a power law cannot pass (a zero, f0 = 0).
double power_law_integral(double f0, double s0, double f1, double s1) {
  if (!(f0 > 0) || !(s0 > 0) || !(s1 > 0)) return 0.5 * (s0 + s1) * (f1 - f0);
  const double ratio = std::log(f1 / f0);
  const double a = std::log(s1 / s0) / ratio;  // s = s1 (f / f1)^a
  const double b = a + 1;
  if (std::abs(b * ratio) < 1e-9) return s1 * f1 * ratio;  // 1/f: a logarithm
  return s1 * f1 / b * -std::expm1(-b * ratio);
}

class Noise final : public Analysis {
public:
  Noise(std::string out, std::string ref, Location out_where, std::string source, Location source_where,
        std::vector<double> frequencies, bool summary)
      : out_(std::move(out)), ref_(std::move(ref)), out_where_(std::move(out_where)), source_(std::move(source)),
        source_where_(std::move(source_where)), frequencies_(std::move(frequencies)), summary_(summary) {}
  double rows() const override { return double(frequencies_.size()); }
  void check(const Netlist& netlist) const override { (void)input(netlist); }
  void run(const AnalysisContext& context, TraceSink& sink) const override;

private:
  const Element& input(const Netlist& netlist) const {
    for (const Element& e : netlist.elements)
      if (e.name == source_ && (e.kind == 'v' || e.kind == 'i')) return e;
    throw InputError(source_where_,
                     fmt::format("'.noise' needs an independent V or I source as input; there is no '{}'", source_));
  }

  std::string out_, ref_;
  Location out_where_;
  std::string source_;
  Location source_where_;
  std::vector<double> frequencies_;
  bool summary_;  // pts_per_summary > 0: each device's and each source's noise too
};

// The transposed pattern of a CSC matrix (its CSR), and where each entry goes there.
struct Transposed {
  std::vector<std::int64_t> starts, rows;
  std::vector<std::size_t> to;  // entry k of the original is entry to[k] of the transpose
};

Transposed transpose(const std::vector<std::int64_t>& starts, const std::vector<std::int64_t>& rows, std::size_t n) {
  Transposed t;
  t.starts.assign(n + 1, 0);
  for (std::int64_t r : rows) ++t.starts[static_cast<std::size_t>(r) + 1];
  for (std::size_t k = 0; k < n; ++k) t.starts[k + 1] += t.starts[k];
  std::vector<std::int64_t> next(t.starts.begin(), t.starts.end() - 1);
  t.rows.resize(rows.size());
  t.to.resize(rows.size());
  for (std::size_t col = 0; col < n; ++col)
    for (auto k = starts[col]; k < starts[col + 1]; ++k) {
      const auto at = static_cast<std::size_t>(next[static_cast<std::size_t>(rows[static_cast<std::size_t>(k)])]++);
      t.rows[at] = static_cast<std::int64_t>(col);
      t.to[static_cast<std::size_t>(k)] = at;
    }
  return t;
}

void Noise::run(const AnalysisContext& context, TraceSink& sink) const {
  const auto built = simulation(context);
  Simulation& sim = *built;
  const System& system = *sim.system;
  const Circuit& circuit = *sim.circuit;
  const double gmin = sim.netlist.options.gmin;

  const std::vector<double> x0 = operating_point(sim, context.notes);
  const Assembly a = linearised_ac(sim, x0, ".noise");
  const Eval op{x0, Mode::Ac, 0, gmin};  // where the devices' noise is evaluated
  const auto& starts = system.column_starts();
  const auto& rows = system.rows();
  const Transposed t = transpose(starts, rows, system.size());

  // The input's stimulus: its own 'ac mag phase', as ngspice requires one.
  std::vector<Complex> u_in(system.size());
  const Device* in = nullptr;
  for (const auto& d : circuit.devices())
    if (d->name() == source_) in = d.get();
  if (!in) throw InputError(source_where_, fmt::format("'.noise': no source '{}' in the circuit", source_));
  in->ac(u_in);
  bool stimulated = false;
  for (Complex z : u_in) stimulated = stimulated || z != Complex{};
  if (!stimulated)
    throw InputError(source_where_, fmt::format("'.noise' input source '{}' has no ac value (give it 'ac 1')", source_));
  const bool current_input = input(sim.netlist).kind == 'i';

  const Unknown out = circuit.node(out_, out_where_);
  const Unknown ref = ref_.empty() ? ground : circuit.node(ref_, out_where_);
  const std::string units_in = current_input ? "A/sqrt(Hz)" : "V/sqrt(Hz)";
  std::vector<NoiseSource> sources;
  // Each device's sources, sources[first[d]] up to sources[first[d + 1]] (they do not
  // change with frequency), and the summary's names.
  std::vector<std::size_t> first{0};
  auto list_sources = [&](double f) {
    sources.clear();
    first.resize(1);
    for (const auto& d : circuit.devices()) {
      d->noise(op, f, sources);
      first.push_back(sources.size());
    }
  };
  list_sources(frequencies_.front());
  std::vector<std::string> columns{"frequency"}, units{"Hz"};
  std::vector<std::string> summary_names, summary_units;
  const std::string in_total = current_input ? "i(inoise_total" : "v(inoise_total";
  for (std::size_t d = 0; summary_ && d < circuit.devices().size(); ++d) {
    if (first[d] == first[d + 1]) continue;
    const bool dotted = sources[first[d]].kind.starts_with('.');
    auto name = [&](std::string_view kind) {
      const std::string part = fmt::format("{}{}{}{}", dotted ? '.' : '_', circuit.devices()[d]->name(),
                                           kind.empty() || dotted ? "" : "_", kind);
      columns.push_back("onoise" + part);
      summary_names.insert(summary_names.end(), {"v(onoise_total" + part + ")", in_total + part + ")"});
    };
    for (std::size_t k = first[d]; k < first[d + 1]; ++k) name(sources[k].kind);
    name("");
  }
  units.resize(columns.size(), "V/sqrt(Hz)");
  columns.insert(columns.end(), {"onoise_spectrum", "inoise_spectrum"});
  units.insert(units.end(), {"V/sqrt(Hz)", units_in});
  sink.begin(columns, units);

  ComplexLu lu(t.starts, t.rows);
  std::vector<Complex> matrix(rows.size()), y(system.size());
  std::vector<double> last_out;  // each source's output density at the previous point
  std::vector<double> source_out(sources.size()), source_in(sources.size());  // each one's integrals
  std::vector<double> values;
  double total_out = 0, total_in = 0;
  auto at = [&](Unknown k) { return k == ground ? Complex{} : y[static_cast<std::size_t>(k)]; };
  for (std::size_t i = 0; i < frequencies_.size(); ++i) {
    const double f = frequencies_[i];
    context.check_stop(f, "frequency");
    const double omega = 2 * std::numbers::pi * f;
    for (std::size_t k = 0; k < rows.size(); ++k) matrix[t.to[k]] = Complex(a.G[k], omega * a.C[k]);
    for (const auto& d : circuit.devices())
      if (d->frequency_dependent())
        d->ac_admittance(omega, [&](Entry e, Complex y) { matrix[t.to[system.slot(e)]] += y; });
    if (!lu.factor(matrix))
      throw SimulationError(fmt::format("the .noise matrix is singular at {:g} Hz (at {})", f,
                                        system.unknown_name(static_cast<Unknown>(lu.singular_column()))));
    std::fill(y.begin(), y.end(), Complex{});
    if (out != ground) y[static_cast<std::size_t>(out)] = 1;
    if (ref != ground) y[static_cast<std::size_t>(ref)] = -1;
    lu.solve(y);
    Complex gain{};
    for (std::size_t k = 0; k < y.size(); ++k) gain += y[k] * u_in[k];
    const double gain2 = std::max(std::norm(gain), 1e-300);

    const std::vector<std::size_t> before = first;
    list_sources(f);
    if (first != before) throw std::logic_error("a device's noise sources changed with frequency");
    last_out.resize(sources.size());
    double density = 0;
    for (std::size_t k = 0; k < sources.size(); ++k) {
      const NoiseSource& s = sources[k];
      const double o = s.psd * std::norm(at(s.to) - at(s.from));
      density += o;
      if (i > 0) {
        const double band = power_law_integral(frequencies_[i - 1], last_out[k], f, o);
        total_out += band;
        total_in += band / gain2;
        source_out[k] += band;
        source_in[k] += band / gain2;
      }
      last_out[k] = o;
    }
    values.assign(1, f);
    for (std::size_t d = 0; summary_ && d + 1 < first.size(); ++d) {
      if (first[d] == first[d + 1]) continue;
      double device = 0;
      for (std::size_t k = first[d]; k < first[d + 1]; ++k) values.push_back(std::sqrt(last_out[k])), device += last_out[k];
      values.push_back(std::sqrt(device));
    }
    values.insert(values.end(), {std::sqrt(density), std::sqrt(density / gain2)});
    sink.row(values);
    context.report(double(i + 1) / double(frequencies_.size()));
  }
  // ngspice's raw file names the totals as node-like vectors of their type.
  std::vector<double> totals;
  for (std::size_t d = 0; summary_ && d + 1 < first.size(); ++d) {
    if (first[d] == first[d + 1]) continue;
    double device_out = 0, device_in = 0;
    for (std::size_t k = first[d]; k < first[d + 1]; ++k) {
      totals.insert(totals.end(), {std::sqrt(source_out[k]), std::sqrt(source_in[k])});
      device_out += source_out[k], device_in += source_in[k];
    }
    totals.insert(totals.end(), {std::sqrt(device_out), std::sqrt(device_in)});
  }
  totals.insert(totals.end(), {std::sqrt(total_out), std::sqrt(total_in)});
  summary_names.insert(summary_names.end(), {"v(onoise_total)", in_total + ")"});
  for (std::size_t k = 0; k < summary_names.size(); ++k) summary_units.push_back(k % 2 && current_input ? "A" : "V");
  sink.summary("Integrated Noise", summary_names, summary_units, totals);
  if (context.notes)
    context.notes->push_back(fmt::format("noise: onoise_total = {:.6g} V, inoise_total = {:.6g} {}",
                                         totals[totals.size() - 2], totals.back(), current_input ? "A" : "V"));
}

// .noise v(out[,ref]) src dec|oct|lin N fstart fstop [pts_per_summary]
std::unique_ptr<Analysis> parse(const ControlCard& card, const Netlist& netlist) {
  const auto& a = card.args;
  auto usage = [&](const Location& where) {
    return InputError(where, "'.noise' needs an output v(node) or v(node,ref), an input source, then "
                             "dec|oct|lin N fstart fstop");
  };
  if (a.size() < 4 || !a[0].is("v") || a[1].kind != CardArg::Kind::LParen || a[2].kind != CardArg::Kind::Word)
    throw usage(a.empty() ? card.where : a[0].where);
  std::string out = a[2].text, ref;
  std::size_t k = 3;
  if (k + 1 < a.size() && a[k].kind == CardArg::Kind::Comma && a[k + 1].kind == CardArg::Kind::Word) {
    ref = a[k + 1].text;
    k += 2;
  }
  if (k >= a.size() || a[k].kind != CardArg::Kind::RParen) throw usage(a[std::min(k, a.size() - 1)].where);
  ++k;
  if (k >= a.size() || a[k].kind != CardArg::Kind::Word) throw usage(a[k - 1].where);
  const std::size_t src = k;
  std::vector<double> f = frequency_sweep(card, src + 1, ".noise");
  if (!(f.front() > 0))
    throw InputError(a[src + 3].where, "'.noise' needs fstart above 0 Hz (flicker noise grows without bound at 0)");
  bool summary = false;
  if (a.size() > src + 5) {
    const Number n = a[src + 5].number();
    if (!(n.value >= 0) || n.value != std::floor(n.value))
      throw InputError(n.where, fmt::format("points per summary must be a whole number, not {:g}", n.value));
    summary = n.value > 0;
  }
  if (a.size() > src + 6) throw InputError(a[src + 6].where, fmt::format("unexpected '{}' on '.noise'", a[src + 6].text));
  if (ref == "0" || ref == "gnd") ref.clear();
  auto noise = std::make_unique<Noise>(std::move(out), std::move(ref), a[0].where, a[src].text, a[src].where,
                                       std::move(f), summary);
  noise->check(netlist);
  return noise;
}

const bool registered = register_analysis({".noise", "noise", "Noise Spectral Density Curves", std::nullopt, parse});

}  // namespace

}  // namespace ns
