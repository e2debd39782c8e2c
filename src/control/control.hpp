#pragma once
// The .control block of a deck, run as `ngspice -b` runs it: the script first, then
// (unless it quit) the deck's dot-analyses that ngspice's batch mode would run after it.
// Analyses started by the script go through the registered analyses; the plots it keeps
// are the tables they write.
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/run.hpp"
#include "control/graphs.hpp"

namespace ns::control {

// Runs of a loop's body at most (while, dowhile, a repeat without a count): a script that
// would loop for ever is stopped with a located error.
constexpr std::size_t max_iterations = 1'000'000;

struct ScriptResult {
  int status = 0;  // 1 when a command failed (the script went on, as ngspice's does)
  // After the script, as ngspice -b: every dot-analysis when the deck has .print, .plot,
  // .four or .meas cards, or when -o names a file (ngspice -b -r); else its .op alone;
  // nothing after 'quit' or without either.
  bool run_deck = false;
  std::vector<std::string> only;  // cards of the analyses to run then; empty: all
  std::vector<std::string> printed;  // the kinds of the deck's .print cards ("tran"): ngspice prints those tables
  // With -o: the circuit as the script left it, which the deck's run analyses (RunOptions::circuit);
  // or that run's result already, its files written from the script's own `run` (deck_run.hpp).
  std::shared_ptr<const Netlist> circuit;
  std::optional<RunResult> deck_run;
  bool interp = false;  // the script set interp: that run's transients on their tstep grid (RunOptions::interp)
};

// Runs the deck's .control script, echo and print to `out`, messages through `events`,
// plot commands drawn through `graphs` (graphs.hpp) when it names a folder.
// nullopt when the deck has no .control block. InputError for a malformed script
// (before anything runs) or a loop over the limit.
std::optional<ScriptResult> run_script(const RunOptions& options, const RunEvents& events, std::ostream& out,
                                      const Graphs& graphs = {});

}  // namespace ns::control
