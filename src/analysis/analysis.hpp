#pragma once
// Analyses: each analysis card (.op, .dc, .tran...) is read and run by the analysis
// registered under its name. One file per analysis declares its card syntax (parse), its
// run and its output columns (the first row it writes into the TraceSink), and ends with
// one register_analysis line, as a device model does.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
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
  // Outputs left out (make_probes), "file:line:col: warning: ...": before `probes`, which
  // the constructor fills with it.
  std::vector<std::string> warnings;
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

// A transient that stops after an accepted step and later goes on from that state (the
// control language's stop and resume), with whatever the script changed in between: the
// circuit is built again from the netlist then, and the integrator starts again from the
// saved unknowns as it does at a source corner.
struct Pause {
  std::vector<double> times;  // instants the transient lands on exactly (stop when time = t)
  // Asked after each accepted step, its rows written: stop here?
  std::function<bool(double t)> now;
  struct State {
    double t = 0;
    std::vector<double> y;  // the unknowns at t
    long row = 0;           // the output grid's next row
  };
  // Set by a run that stopped; a run given one goes on from it (and clears it).
  std::optional<State> stopped;
};

struct AnalysisContext {
  const Netlist& netlist;
  bool every_step = false;
  // ngspice's interp (`.options interp`, a script's `set interp`): a transient's rows on
  // its tstep grid alone (tran.cpp).
  bool interp = false;
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
  // Threads the analysis may use inside itself (a transient on weakly coupled blocks,
  // engine/workers.hpp): -j for a run of one point, 1 for .step/.mc points.
  unsigned threads = 1;
  // A transient's stop and resume (the control language's); none elsewhere.
  Pause* pause = nullptr;
  void check_stop(double x, const char* what) const;
  void report(double fraction) const { if (progress) progress(fraction); }
};

// The circuit of context.netlist: the one already built, else a new one.
std::unique_ptr<Simulation> simulation(const AnalysisContext& context);

// The measured probes' labels, the Waveform's columns.
Waveform empty_waveform(const Simulation& sim);

// One analysis card, read. run() streams the analysis' rows into `sink` (begin, then
// rows; the caller finishes the sink) and throws SimulationError when it cannot go on.
class Analysis {
public:
  virtual ~Analysis() = default;
  virtual void run(const AnalysisContext& context, TraceSink& sink) const = 0;
  // What the run checks before any point starts: rows it will write (for the size limit;
  // 0 when small) and anything else that can fail without simulating.
  virtual double rows() const { return 0; }
  virtual void check(const Netlist& /*netlist*/) const {}
};

struct AnalysisType {
  std::string_view card;  // ".tran"
  std::string_view kind;  // "tran": names its output file (FILE.tran.csv)
  std::string_view plot;  // its plots' name in raw files: "Transient Analysis"
  // The .meas cards it feeds (.meas tran, .meas dc), if any.
  std::optional<MeasureRequest::Analysis> measures;
  // Reads the card; InputError located on it when malformed. Sweep targets resolve
  // against `netlist` (netlist/knob.hpp).
  std::function<std::unique_ptr<Analysis>(const ControlCard&, const Netlist&)> parse;
};

bool register_analysis(AnalysisType type);
const AnalysisType* find_analysis(std::string_view card);

// The netlist's analysis cards, read by their registered types, in card order; an
// InputError at a card no analysis reads.
struct DeckAnalysis {
  const AnalysisType* type;
  std::unique_ptr<Analysis> analysis;
};
std::vector<DeckAnalysis> read_analyses(const Netlist& netlist);

// The first guess for an operating point in `mode`: states at rest; with `element_ics` (a
// .tran uic start) the elements' ic= values; .nodeset and `held` values where given (they
// win); then each node an independent voltage source ties to one of those or to ground
// takes that node's value plus the source's (Device::guess).
std::vector<double> initial_guess(const Simulation& sim, Mode mode = Mode::Dc,
                                  std::span<const std::pair<Unknown, double>> held = {}, bool element_ics = false);
// The operating point, as .op solves it: .nodeset values held first, then released.
// With `statistics`, a note of its Newton work.
std::vector<double> operating_point(Simulation& sim, std::vector<std::string>* notes, bool statistics = false);
// The circuit's G and C at the operating point `x` (in `mode`); a non-finite entry is a
// SimulationError naming the analysis and the device.
Assembly linearised(const Simulation& sim, const std::vector<double>& x, Mode mode, std::string_view analysis);
// The same in Mode::Ac for a small-signal analysis (.ac, .noise, .sp): a state held at DC
// (Hold::InDc, a non-volatile state) keeps its row x = rest, and its C row goes too, so it
// does not respond, as in .op.
Assembly linearised_ac(const Simulation& sim, const std::vector<double>& x, std::string_view analysis);
std::vector<std::pair<Unknown, double>> node_values(const Simulation& sim,
                                                    const std::vector<InitialValue>& values);

}  // namespace ns
