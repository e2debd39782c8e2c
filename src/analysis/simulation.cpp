#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "netlist/suggest.hpp"

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
  const auto& nodes = sim.circuit->tables().nodes;
  for (const auto& v : values) {
    const auto it = nodes.find(v.node);
    if (it == nodes.end()) {
      std::vector<std::string> names;
      for (const auto& [name, u] : nodes) names.push_back(name);
      throw InputError(v.value.where, fmt::format("no node '{}' in the circuit{}", v.node,
                                                  did_you_mean(v.node, names)));
    }
    out.emplace_back(it->second, v.value.value);
  }
  return out;
}

std::vector<double> initial_guess(const Simulation& sim) {
  std::vector<double> x = sim.circuit->rest_state();
  for (const auto& [u, value] : node_values(sim, sim.netlist.nodeset)) x[u] = value;
  return x;
}

}  // namespace ns
