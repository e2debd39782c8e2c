#pragma once
// -o's files after a .control script whose `run` already computed them: ngspice -b -r runs
// the deck's analyses once more after the script, into the raw file; when the circuit has
// not changed since the script's last `run`, that second run would write the same rows,
// and the files are written from the script's tables instead of computing them twice.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/run.hpp"
#include "output/sink.hpp"

namespace ns::control {

// The script's last `run`: each of the deck's analyses, in deck order.
struct DeckRun {
  struct Done {
    std::shared_ptr<const TraceTable> table;
    std::vector<MeasureResult> measures;  // the deck's .meas of it
  };
  std::size_t version = 0;  // of the script's circuit when it ran
  std::vector<Done> done;
};

// The files the deck's run of `circuit` would write into options.output, from `done`
// (its analysis k's table), with the measures as that run returns them. `every_column`:
// the tables hold every node voltage and source current and no more (the default set).
// nullopt when a table lacks a column the files need: the deck must run again.
std::optional<RunResult> written_again(const RunOptions& options, const Netlist& circuit,
                                       const std::vector<DeckRun::Done>& done, bool every_column);

}  // namespace ns::control
