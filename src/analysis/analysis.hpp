#pragma once
// The analyses: .op, .dc and .tran, each streaming its rows into a TraceSink.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "circuit/probe.hpp"
#include "analysis/measure.hpp"
#include "engine/system.hpp"
#include "netlist/netlist.hpp"
#include "output/sink.hpp"

namespace ns {

// A circuit ready to simulate, built from a netlist the caller keeps alive.
struct Simulation {
  explicit Simulation(const Netlist& netlist);
  const Netlist& netlist;
  std::unique_ptr<Circuit> circuit;
  std::unique_ptr<System> system;
  std::vector<Probe> probes;
  std::vector<Probe> measure_probes;  // what the .meas cards read, each label once
  std::vector<double> probe_values(const Eval& eval) const;
  // A sample of the measured probes at x (time or sweep value) into `waveform`.
  void record(Waveform& waveform, double x, const Eval& eval) const;
};

// A run stopped on request (SIGINT, or another point of a .step run failed).
struct Interrupted : SimulationError {
  using SimulationError::SimulationError;
};

struct AnalysisContext {
  const Netlist& netlist;
  // The netlist elaborated again with these top-level .param values (sweeps over a .param).
  std::function<Netlist(const std::map<std::string, double>&)> elaborate = nullptr;
  bool every_step = false;
  bool statistics = false;  // report the integrator's counters among the notes
  std::vector<std::string>* notes = nullptr;  // what the solvers had to try, for the user
  // When set, the analysis samples the measured probes at every accepted time step (or
  // sweep point) into it, for the .meas cards: finer than the output rows.
  Waveform* waveform = nullptr;
  // Told the fraction of the analysis done, often (at every step); may be empty.
  std::function<void(double)> progress = nullptr;
  // Checked at every step or point; once true the analysis throws Interrupted.
  const std::atomic<bool>* stop = nullptr;
  // A Simulation of `netlist` already built, by the checks before the run, and untouched
  // since: the first analysis takes it instead of building the circuit again.
  std::unique_ptr<Simulation>* built = nullptr;
  void check_stop(double x, const char* what) const;
  void report(double fraction) const { if (progress) progress(fraction); }
};

// The circuit of context.netlist: the one already built, else a new one.
std::unique_ptr<Simulation> simulation(const AnalysisContext& context);

// The measured probes' labels, the Waveform's columns.
Waveform empty_waveform(const Simulation& sim);

void run_op(const AnalysisContext& context, TraceSink& sink);
void run_dc(const AnalysisContext& context, const DcAnalysis& dc, TraceSink& sink);
void run_tran(const AnalysisContext& context, const TranAnalysis& tran, TraceSink& sink);

// The first guess for an operating point: states at rest, .nodeset values where given.
std::vector<double> initial_guess(const Simulation& sim);
std::vector<std::pair<Unknown, double>> node_values(const Simulation& sim,
                                                    const std::vector<InitialValue>& values);

}  // namespace ns
