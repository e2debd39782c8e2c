#include <optional>

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "engine/newton.hpp"

namespace ns {

namespace {

// The circuit of the current sweep point. A sweep over a source sets the source; a sweep
// over a .param or the temperature elaborates and builds the circuit again (the unknowns
// stay the same, so the previous solution still serves as the guess).
class SweptCircuit {
public:
  explicit SweptCircuit(const AnalysisContext& context) : context_(context) {}

  void set(const Sweep& sweep, double value) {
    switch (sweep.target) {
      case Sweep::Target::Source: sources_[&sweep] = value; break;
      case Sweep::Target::Param:
        if (params_[sweep.name] != value || !sim_) stale_ = true;
        params_[sweep.name] = value;
        break;
      case Sweep::Target::Temperature:
        if (temperature_ != value || !sim_) stale_ = true;
        temperature_ = value;
        break;
    }
  }

  Simulation& current() {
    if (!sim_ || stale_) {
      solver_.reset();
      sim_.reset();
      netlist_ = params_.empty() ? context_.netlist : context_.elaborate(params_);
      if (temperature_) netlist_.options.temp = *temperature_;
      sim_ = std::make_unique<Simulation>(netlist_);
      solver_ = std::make_unique<OpSolver>(*sim_->system);
      stale_ = false;
    }
    for (const auto& [sweep, value] : sources_) {
      Device* d = sim_->circuit->find_device(sweep->name);
      if (!d || !d->set_sweep_value(value))
        throw InputError(sweep->where, fmt::format("'{}' is not an independent source that .dc can sweep",
                                                   sweep->name));
    }
    return *sim_;
  }
  OpSolver& solver() { return *solver_; }

private:
  const AnalysisContext& context_;
  std::map<const Sweep*, double> sources_;
  std::map<std::string, double> params_;
  std::optional<double> temperature_;
  Netlist netlist_;  // the circuit's netlist at these parameter values
  std::unique_ptr<Simulation> sim_;
  std::unique_ptr<OpSolver> solver_;
  bool stale_ = true;
};

}  // namespace

void run_dc(const AnalysisContext& context, const DcAnalysis& dc, TraceSink& sink) {
  SweptCircuit swept(context);
  const Sweep& inner = dc.sweeps.at(0);
  const Sweep* outer = dc.sweeps.size() > 1 ? &dc.sweeps[1] : nullptr;
  const std::vector<double> single{0.0};
  std::vector<double> x;
  bool started = false;
  const std::size_t total = inner.points.size() * (outer ? outer->points.size() : 1);
  std::size_t done = 0;
  for (double outer_value : outer ? outer->points : single) {
    if (outer) swept.set(*outer, outer_value);
    for (double value : inner.points) {
      context.check_stop(value, inner.name.c_str());
      swept.set(inner, value);
      Simulation& sim = swept.current();
      if (!started) {
        x = initial_guess(sim);
        std::vector<std::string> columns{inner.name};
        if (outer) columns.push_back(outer->name);
        for (const auto& p : sim.probes) columns.push_back(p.label);
        sink.begin(columns);
        if (context.waveform) *context.waveform = empty_waveform(sim);
        started = true;
      }
      try {
        swept.solver().solve(x, OpRequest{}, context.notes);
      } catch (const SimulationError& e) {
        throw SimulationError(fmt::format("dc sweep at {} = {:g}{}: {}", inner.name, value,
                                          outer ? fmt::format(", {} = {:g}", outer->name, outer_value) : "",
                                          e.what()));
      }
      const Eval eval{x, Mode::Dc, 0, sim.netlist.options.gmin};
      std::vector<double> row{value};
      if (outer) row.push_back(outer_value);
      for (double v : sim.probe_values(eval)) row.push_back(v);
      sink.row(row);
      if (context.waveform) sim.record(*context.waveform, value, eval);
      context.report(double(++done) / double(total));
    }
  }
  sink.finish();
}

}  // namespace ns
