#include <set>

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "engine/newton.hpp"

namespace ns {

namespace {

std::vector<ProbeRequest> measured(const Netlist& netlist) {
  std::vector<ProbeRequest> requests;
  std::set<std::string> seen;
  auto add = [&](const Quantity& q) {
    for (const ProbeRequest& r : q.probes)
      if (seen.insert(r.label).second) requests.push_back(r);
  };
  for (const MeasureRequest& m : netlist.measures) each_quantity(m, add);
  for (const FourierRequest& f : netlist.fourier)
    for (const ProbeRequest& p : f.signals)
      if (seen.insert(p.label).second) requests.push_back(p);
  return requests;
}

}  // namespace

Simulation::Simulation(const Netlist& n)
    : netlist(n),
      circuit(std::make_unique<Circuit>(netlist)),
      system(std::make_unique<System>(*circuit)),
      probes(make_probes(*circuit, netlist.outputs, &warnings)) {
  const std::vector<ProbeRequest> requests = measured(netlist);
  if (!requests.empty()) measure_probes = make_probes(*circuit, requests);
}

std::unique_ptr<Simulation> simulation(const AnalysisContext& context) {
  if (context.built && *context.built) return std::move(*context.built);
  return std::make_unique<Simulation>(context.netlist);
}

void Simulation::record(Waveform& waveform, double x, const Eval& eval) const {
  waveform.x.push_back(x);
  for (std::size_t k = 0; k < measure_probes.size(); ++k) waveform.columns[k].push_back(measure_probes[k].value(eval));
}

Waveform empty_waveform(const Simulation& sim) {
  Waveform w;
  for (const Probe& p : sim.measure_probes) w.labels.push_back(p.label);
  w.columns.resize(w.labels.size());
  return w;
}

void AnalysisContext::check_stop(double x, const char* what) const {
  if (stop && stop->load(std::memory_order_relaxed))
    throw Interrupted(fmt::format("interrupted at {} = {:g}", what, x));
}

std::vector<double> Simulation::probe_values(const Eval& eval) const {
  std::vector<double> values;
  values.reserve(probes.size());
  for (const auto& p : probes) values.push_back(p.value(eval));
  return values;
}

std::vector<std::pair<Unknown, double>> node_values(const Simulation& sim,
                                                    const std::vector<InitialValue>& values) {
  std::vector<std::pair<Unknown, double>> out;
  for (const auto& v : values) {
    const Unknown u = sim.circuit->node(v.node, v.value.where);
    if (u == ground) throw InputError(v.value.where, "ground is 0 V; it takes no initial value");
    out.emplace_back(u, v.value.value);
  }
  return out;
}

namespace {

void guess_from_sources(const Simulation& sim, Mode mode, std::vector<double>& x, std::vector<char>& known) {
  const Eval at{x, mode, 0, sim.netlist.options.gmin};
  // Each pass fixes at least one node or ends the loop: at most one pass per node.
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& d : sim.circuit->devices()) changed |= d->guess(at, x, known);
  }
}

}  // namespace

std::vector<double> initial_guess(const Simulation& sim, Mode mode, std::span<const std::pair<Unknown, double>> held,
                                  bool element_ics) {
  const std::vector<double> rest = sim.circuit->rest_state();
  std::vector<double> x = rest;
  std::vector<char> known(x.size(), 0);
  auto hold = [&] {
    for (const auto& [u, value] : node_values(sim, sim.netlist.nodeset)) x[u] = value, known[u] = 1;
    for (const auto& [u, value] : held) x[u] = value, known[u] = 1;
  };
  if (element_ics) {
    // An element's ic is across it: from the voltage its other terminal is driven to (a
    // membrane capacitor with ic=0 on a -70 mV rest source starts at -70 mV, not 0).
    hold();
    guess_from_sources(sim, mode, x, known);
    const std::vector<double> driven = x;
    // Again until nothing moves: in a chain (C1 a b ic=1, C2 b 0 ic=2) C1's node follows
    // C2's, whatever their order (bounded: ics around a loop need not agree).
    for (int pass = 0; pass < 64; ++pass) {
      const std::vector<double> before = x;
      for (const auto& d : sim.circuit->devices()) d->initial_condition(x);
      if (x == before) break;
    }
    for (std::size_t k = 0; k < x.size(); ++k) known[k] = known[k] || x[k] != driven[k];
  }
  hold();
  guess_from_sources(sim, mode, x, known);
  return x;
}

std::vector<double> operating_point(Simulation& sim, std::vector<std::string>* notes, bool statistics) {
  OpSolver solver(*sim.system);
  std::vector<double> x = initial_guess(sim);
  OpRequest request;
  request.from_guess = true;
  if (!sim.netlist.nodeset.empty()) {  // SPICE: hold the .nodeset values first, then release
    request.forced = node_values(sim, sim.netlist.nodeset);
    solver.solve(x, request, notes);
    request.forced.clear();
    request.from_guess = false;
  }
  solver.solve(x, request, notes);
  if (statistics && notes) notes->push_back("operating point: " + solver.statistics());
  return x;
}

Assembly linearised(const Simulation& sim, const std::vector<double>& x, Mode mode, std::string_view analysis) {
  Assembly a = sim.system->make_assembly();
  const Eval op{x, mode, 0, sim.netlist.options.gmin};
  if (!sim.system->evaluate(op, a))
    throw SimulationError(fmt::format("at the {} operating point: {}", analysis, sim.system->non_finite_source(op)));
  return a;
}

Assembly linearised_ac(const Simulation& sim, const std::vector<double>& x, std::string_view analysis) {
  Assembly a = linearised(sim, x, Mode::Ac, analysis);
  const System& system = *sim.system;
  std::vector<bool> held(system.size(), false);
  for (const HeldState& h : sim.circuit->tables().held)
    if (h.hold == Hold::InDc) held[static_cast<std::size_t>(h.unknown)] = true;
  const auto& rows = system.rows();
  for (std::size_t k = 0; k < rows.size(); ++k)
    if (held[static_cast<std::size_t>(rows[k])]) a.C[k] = 0;
  return a;
}

}  // namespace ns
