#pragma once
// A stepped run's points as units of work that can be computed anywhere: on a thread of
// this process, or on another MPI rank (distributed.hpp), and kept in a journal
// (journal.hpp) to resume an interrupted run. A point's result travels as bytes that
// decode to the same doubles, so the files written from it are the same bit for bit.
#include <atomic>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "analysis/run.hpp"
#include "analysis/step.hpp"

namespace ns {

// A deck read, elaborated and checked, with the points to run.
struct Study {
  std::shared_ptr<const Deck> deck;
  Netlist netlist;
  std::vector<DeckAnalysis> analyses;
  bool stepped = false;
  std::vector<StepPoint> points;
  // The run's seed: RunOptions::seed when given, else the deck's .options seed, else 1.
  std::uint64_t seed = 1;
  // A plain run's circuit, built by the checks, for its one point to use.
  std::unique_ptr<Simulation> built;
};

// The outputs that .print lines of `deck` name dropped from `outputs` (one named on an
// earlier .save or .probe too is read there, and stays): what .save and .probe ask for.
// Whether some were dropped.
bool drop_print_items(std::vector<ProbeRequest>& outputs, const Deck& deck);

// A raw file holds every vector whatever .print names, as ngspice -b -r's ("print line
// ignored since rawfile was produced"): the outputs the .print lines of `deck` name are
// dropped from `netlist` when `output` is a raw file, and `say` gets a note saying so.
void drop_printed(Netlist& netlist, const Deck& deck, const OutputRequest& output,
                  const std::function<void(const std::string&)>& say);

// Whether `deck` has ngspice's `.options interp`: transients' rows on their tstep grid
// alone. An output option, read here rather than into the circuit's Options.
bool interpolated(const Deck& deck);

// Reads and checks the deck of `options` (InputError on bad input); `say` gets its warnings.
Study prepare(const RunOptions& options, const std::function<void(const std::string&)>& say);

// What one point computed.
struct PointResult {
  std::vector<TraceTable> tables;  // stepped runs: each analysis' rows
  std::vector<MeasureResult> measures;
  std::vector<std::string> notes;
  std::vector<std::string> printouts;  // text for stdout, after the outputs (.four's tables)
  std::exception_ptr error;
  bool done = false;
};

// Runs point `k` of a stepped study (its tables filled), or a plain study's one point
// into `sinks`. Failures end up in the result's error, not thrown.
PointResult compute_point(Study& study, std::size_t k, const RunOptions& options, const std::vector<TraceSink*>& sinks,
                          const std::atomic<bool>& stop, std::atomic<double>& progress);

// A stepped point's result as bytes and back. An error travels as its message (an
// interrupt stays an Interrupted).
std::string encode(const PointResult& result);
PointResult decode(const std::string& bytes);

// What makes two runs' points the same: the deck's cards, the seed and the options that
// change a point's rows, notes or measures.
std::uint64_t study_identity(const Study& study, const RunOptions& options);

}  // namespace ns
