// .tf OUT SRC: the DC small-signal transfer function from an independent source to an
// output, with the input and output impedances, as ngspice defines them. The circuit is
// linearised at its operating point (G = df/dx), and G dx = e is solved for two unit
// stimuli e: the source's value (giving the transfer function and, from the source's own
// response, the input impedance), and a unit test current into the output (its voltage
// is the output impedance; for an output i(VX), VX's value is the stimulus instead).
// One row: transfer_function, output_impedance_at_v(out) (or vx#output_impedance),
// src#input_impedance.
#include <cmath>

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "engine/sparse_lu.hpp"

namespace ns {

namespace {

struct Output {
  bool current = false;  // i(source), else v(a[,b])
  std::string a, b;      // nodes (b empty: ground), or the source
  std::string label;     // "v(out)", "v(out,in)", "i(v1)"
  Location where;
};

class Tf final : public Analysis {
public:
  Tf(Output out, std::string source, Location where)
      : out_(std::move(out)), source_(std::move(source)), where_(std::move(where)) {}
  void check(const Netlist& netlist) const override { (void)source(netlist, source_, where_); }
  void run(const AnalysisContext& context, TraceSink& sink) const override;

private:
  // The independent source named `name`: an InputError at `where` when there is none.
  static const Element& source(const Netlist& netlist, const std::string& name, const Location& where) {
    for (const Element& e : netlist.elements)
      if (e.name == name && (e.kind == 'v' || e.kind == 'i')) return e;
    throw InputError(where, fmt::format("'.tf' needs an independent V or I source; there is no '{}'", name));
  }

  Output out_;
  std::string source_;
  Location where_;
};

// The stimulus of a unit change of source `e`'s value, in the rows where it enters u.
std::vector<double> unit_source(const Simulation& sim, const Element& e, const Location& where) {
  std::vector<double> u(sim.system->size());
  const Circuit& c = *sim.circuit;
  if (e.kind == 'v') {
    u[static_cast<std::size_t>(c.tables().branches.at(e.name))] = 1;
  } else {  // from n+ through the source to n-: it leaves n+ and enters n-
    const Unknown p = c.node(e.nodes.at(0), where), n = c.node(e.nodes.at(1), where);
    if (p != ground) u[static_cast<std::size_t>(p)] = -1;
    if (n != ground) u[static_cast<std::size_t>(n)] = 1;
  }
  return u;
}

void Tf::run(const AnalysisContext& context, TraceSink& sink) const {
  const auto built = simulation(context);
  Simulation& sim = *built;
  const System& system = *sim.system;
  const Circuit& circuit = *sim.circuit;
  const std::vector<double> x0 = operating_point(sim, context.notes);
  Assembly a = linearised(sim, x0, Mode::Dc, ".tf");
  SparseLu lu(system.column_starts(), system.rows());
  if (!lu.factor(a.G))
    throw SimulationError(fmt::format("the .tf matrix is singular (at {})",
                                      system.unknown_name(static_cast<Unknown>(lu.singular_column()))));
  auto at = [](const std::vector<double>& v, Unknown u) { return u == ground ? 0.0 : v[static_cast<std::size_t>(u)]; };

  const Element& in = source(sim.netlist, source_, where_);
  std::vector<double> dx = unit_source(sim, in, where_);
  lu.solve(dx);
  Unknown out_a = ground, out_b = ground;
  const Element* out_source = nullptr;
  if (out_.current) {
    out_source = &source(sim.netlist, out_.a, out_.where);
    if (out_source->kind != 'v')
      throw InputError(out_.where, fmt::format("'.tf i({})' needs a voltage source, whose current is an unknown", out_.a));
    out_a = circuit.tables().branches.at(out_.a);
  } else {
    out_a = circuit.node(out_.a, out_.where);
    if (!out_.b.empty()) out_b = circuit.node(out_.b, out_.where);
  }
  const double transfer = at(dx, out_a) - at(dx, out_b);
  // A V source's branch current runs from + through it: a unit volt draws -i from it.
  auto impedance = [&](const Element& e, const std::vector<double>& response) {
    if (e.kind == 'v') {  // no current at all (a MOSFET's gate): ngspice's 1e20
      const double i = at(response, circuit.tables().branches.at(e.name));
      return std::abs(i) < 1e-20 ? 1e20 : -1 / i;
    }
    return at(response, circuit.node(e.nodes.at(1), where_)) - at(response, circuit.node(e.nodes.at(0), where_));
  };
  const double input = impedance(in, dx);
  double output = 0;
  if (out_source) {
    std::vector<double> dy = unit_source(sim, *out_source, where_);
    lu.solve(dy);
    output = impedance(*out_source, dy);
  } else {
    std::vector<double> dy(system.size());
    if (out_a != ground) dy[static_cast<std::size_t>(out_a)] = 1;
    if (out_b != ground) dy[static_cast<std::size_t>(out_b)] = -1;
    lu.solve(dy);
    output = at(dy, out_a) - at(dy, out_b);
  }
  sink.begin({"transfer_function",
              out_source ? out_.a + "#output_impedance" : "output_impedance_at_" + out_.label,
              source_ + "#input_impedance"},
             {"", "Ohm", "Ohm"});
  sink.row(std::vector<double>{transfer, output, input});
}

// .tf v(a[,b])|i(vx) src
std::unique_ptr<Analysis> parse(const ControlCard& card, const Netlist& netlist) {
  const auto& a = card.args;
  auto usage = [&](const Location& where) {
    return InputError(where, "'.tf' needs an output v(node), v(node,node) or i(vsource), then a source");
  };
  if (a.size() < 4 || !(a[0].is("v") || a[0].is("i")) || a[1].kind != CardArg::Kind::LParen ||
      a[2].kind != CardArg::Kind::Word)
    throw usage(a.empty() ? card.where : a[0].where);
  Output out;
  out.current = a[0].is("i");
  out.where = a[0].where;
  out.a = a[2].text;
  std::size_t k = 3;
  if (!out.current && k + 1 < a.size() && a[k].kind == CardArg::Kind::Comma && a[k + 1].kind == CardArg::Kind::Word) {
    out.b = a[k + 1].text;
    k += 2;
  }
  if (k >= a.size() || a[k].kind != CardArg::Kind::RParen) throw usage(a[std::min(k, a.size() - 1)].where);
  ++k;
  if (k >= a.size() || a[k].kind != CardArg::Kind::Word) throw usage(a[k - 1].where);
  if (k + 1 < a.size()) throw InputError(a[k + 1].where, fmt::format("unexpected '{}' on '.tf'", a[k + 1].text));
  if (out.b == "0" || out.b == "gnd") out.b.clear();
  out.label = fmt::format("{}({}{})", out.current ? "i" : "v", out.a, out.b.empty() ? "" : "," + out.b);
  auto tf = std::make_unique<Tf>(std::move(out), a[k].text, a[k].where);
  tf->check(netlist);
  return tf;
}

const bool registered = register_analysis({".tf", "tf", "Transfer Function", std::nullopt, parse});

}  // namespace

}  // namespace ns
