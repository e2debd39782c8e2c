#pragma once
// A run: every analysis of a deck, once per point of its .step/.mc cards, its .meas
// cards evaluated, results written in point order whatever the number of threads. The
// command line, and later the control language and the Python module, start runs here.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/measure.hpp"
#include "output/files.hpp"

namespace ns {

struct RunOptions {
  OutputRequest output;     // the deck's path, -o, --format, --step-files
  unsigned jobs = 0;        // threads for .step/.mc points; 0: every core
  std::uint64_t seed = 1;   // of the Monte Carlo draws and the transient noise
  bool seed_given = false;  // seed was asked for (--seed, Python's seed=): it wins over .options seed
  bool every_step = false;  // a transient row at every accepted step
  bool interp = false;      // a script's `set interp`: as the deck's .options interp (study.hpp)
  bool stats = false;       // the integrator's counters among the notes
  bool resume = false;      // continue the stepped run that STEM.journal records (journal.hpp)
  bool distribute = false;  // may share its points with the other MPI ranks (distributed.hpp)
  // After a .control script (src/control): the analyses of these cards only (".op"),
  // none of the others; and the deck's warnings, already reported by the script's run.
  std::vector<std::string> only;
  bool warned = false;
  // After a .control script: its circuit as it left it (alter, altermod, alterparam,
  // option), run instead of the deck elaborated anew, as ngspice -b -r runs it after a script.
  std::shared_ptr<const Netlist> circuit;
  // The Python module (src/python): the deck as text (output.netlist then only names it
  // in messages), top-level .param values replaced, and analysis k's rows, points after
  // points with their step columns first, going to sink(k, kind) instead of any file.
  std::string text;
  std::map<std::string, double> params;
  std::function<std::unique_ptr<TraceSink>(std::size_t, const std::string&)> sink;
};

// How a run talks to whoever started it while it goes. Each may be empty.
struct RunEvents {
  std::function<void(const std::string&)> message;          // a warning or note line for the user
  std::function<void(double, const std::string&)> progress;  // fraction done, "point 3/10"
  std::function<bool()> interrupted;                          // polled; true stops the run (Interrupted)
};

struct RunResult {
  // Per analysis, in deck order: what was written ("tran: wrote out.csv (101 rows)"), or
  // for a plain .op without a file, its one-row table to print.
  struct Output {
    std::string written;
    const TraceTable* table = nullptr;
    std::string kind, plot;  // "tran", "Transient Analysis"
  };
  std::string title;  // the deck's title line
  std::vector<Output> outputs;
  std::vector<MeasureResult> measures;               // a plain run's .meas results
  std::vector<std::string> measure_names;            // a stepped run's .meas columns...
  std::vector<std::vector<MeasureResult>> point_measures;  // ...and results, point by point
  std::vector<std::string> printouts;                 // .four's tables, point by point
  std::string measure_file;                          // "meas: wrote out.meas.csv (3 rows)"
  TraceTable measure_table;  // a stepped run's step columns and measures, a row per point
  std::vector<std::unique_ptr<AnalysisOutput>> files;  // owns the tables above
};

// InputError for bad input (nothing is simulated then), SimulationError when a point
// fails (after `message` has reported its notes and the partial files), Interrupted
// when `interrupted` asked to stop.
RunResult run(const RunOptions& options, const RunEvents& events);

}  // namespace ns
