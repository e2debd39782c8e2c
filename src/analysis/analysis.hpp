#pragma once
// The analyses: .op, .dc and .tran, each streaming its rows into a TraceSink.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "circuit/probe.hpp"
#include "engine/system.hpp"
#include "netlist/netlist.hpp"
#include "output/sink.hpp"

namespace ns {

// A circuit ready to simulate.
struct Simulation {
  explicit Simulation(const Netlist& netlist);
  Netlist netlist;
  std::unique_ptr<Circuit> circuit;
  std::unique_ptr<System> system;
  std::vector<Probe> probes;
  std::vector<double> probe_values(const Eval& eval) const;
};

struct AnalysisContext {
  const Netlist& netlist;
  // The netlist elaborated again with these top-level .param values (sweeps over a .param).
  std::function<Netlist(const std::map<std::string, double>&)> elaborate;
  bool every_step = false;
  bool statistics = false;  // report the integrator's counters among the notes
  std::vector<std::string>* notes = nullptr;  // what the solvers had to try, for the user
};

void run_op(const AnalysisContext& context, TraceSink& sink);
void run_dc(const AnalysisContext& context, const DcAnalysis& dc, TraceSink& sink);
void run_tran(const AnalysisContext& context, const TranAnalysis& tran, TraceSink& sink);

// The first guess for an operating point: states at rest, .nodeset values where given.
std::vector<double> initial_guess(const Simulation& sim);
std::vector<std::pair<Unknown, double>> node_values(const Simulation& sim,
                                                    const std::vector<InitialValue>& values);

}  // namespace ns
