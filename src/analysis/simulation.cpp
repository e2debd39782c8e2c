#include "analysis/analysis.hpp"

namespace ns {

Simulation::Simulation(const Netlist& n)
    : netlist(n),
      circuit(std::make_unique<Circuit>(netlist)),
      system(std::make_unique<System>(*circuit)),
      probes(make_probes(*circuit, netlist.outputs)) {}

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

std::vector<double> initial_guess(const Simulation& sim) {
  std::vector<double> x = sim.circuit->rest_state();
  for (const auto& [u, value] : node_values(sim, sim.netlist.nodeset)) x[u] = value;
  return x;
}

}  // namespace ns
