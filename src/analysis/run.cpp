#include "analysis/run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "analysis/step.hpp"

namespace ns {

namespace {

// Everything that can be checked before simulating: the circuit builds, its outputs and
// initial values exist, every analysis reads its card and passes its own checks, and the
// outputs are of a size a disk holds. Returns the circuit it built, for the first
// analysis of a plain run to use (a 256x256 crossbar takes a second to build).
std::unique_ptr<Simulation> validate(const Netlist& netlist, const std::vector<DeckAnalysis>& analyses,
                                     std::size_t points) {
  auto built = std::make_unique<Simulation>(netlist);
  (void)node_values(*built, netlist.ic);
  (void)node_values(*built, netlist.nodeset);
  constexpr double max_rows = 1e8;
  for (std::size_t k = 0; k < analyses.size(); ++k) {
    const Analysis& a = *analyses[k].analysis;
    a.check(netlist);
    const double rows = a.rows();
    if (rows * double(points) > max_rows)
      throw InputError(netlist.analyses[k].where,
                       fmt::format("this {} would write {:.3g} rows{} (at most {:g}); choose a larger tstep",
                                   analyses[k].type->card, rows * double(points),
                                   points > 1 ? fmt::format(" over {} points", points) : "", max_rows));
  }
  return built;
}

// The .meas columns: measure names, made unique when an analysis kind occurs twice.
std::vector<std::string> measure_columns(const Netlist& netlist, const std::vector<DeckAnalysis>& analyses) {
  std::vector<std::string> columns;
  std::map<std::string_view, int> seen;
  for (const DeckAnalysis& a : analyses) {
    const int index = ++seen[a.type->kind];
    for (const auto& m : netlist.measures)
      if (a.type->measures == m.analysis)
        columns.push_back(index > 1 ? fmt::format("{}@{}{}", m.name, a.type->kind, index) : m.name);
  }
  return columns;
}

// What one point computed.
struct PointResult {
  std::vector<TraceTable> tables;  // stepped runs: each analysis' rows
  std::vector<MeasureResult> measures;
  std::vector<std::string> notes;
  std::exception_ptr error;
  bool done = false;
};

// Runs every analysis of `netlist` into `sinks`, measuring as it goes, and finishes each
// sink after its analysis.
void run_point(const Netlist& netlist, const std::vector<DeckAnalysis>& analyses, const RunOptions& options,
               const std::vector<TraceSink*>& sinks,
               const std::atomic<bool>& stop, std::atomic<double>& progress, PointResult& result,
               std::unique_ptr<Simulation>* built = nullptr) {
  AnalysisContext context{.netlist = netlist, .every_step = options.every_step, .statistics = options.stats,
                          .notes = &result.notes, .stop = &stop, .built = built};
  const std::size_t n = analyses.size();
  for (std::size_t k = 0; k < n; ++k) {
    context.progress = [&progress, k, n](double f) { progress.store((double(k) + f) / double(n), std::memory_order_relaxed); };
    const auto kind = analyses[k].type->measures;
    bool measured = false;
    for (const auto& m : netlist.measures) measured |= kind == m.analysis;
    Waveform waveform;
    context.waveform = measured ? &waveform : nullptr;
    analyses[k].analysis->run(context, *sinks[k]);
    sinks[k]->finish();
    if (measured)
      for (auto& r : evaluate_measures(netlist.measures, *kind, waveform, netlist.params))
        result.measures.push_back(std::move(r));
  }
}

}  // namespace

RunResult run(const RunOptions& options, const RunEvents& events) {
  auto say = [&](const std::string& line) { if (events.message) events.message(line); };
  const auto deck = read_deck(options.output.netlist);
  Netlist netlist = elaborate(*deck);
  netlist.options.seed = options.seed;
  if (!options.warned)
    for (const auto& w : netlist.warnings) say(w);
  if (!options.only.empty())
    std::erase_if(netlist.analyses, [&](const ControlCard& c) {
      return std::find(options.only.begin(), options.only.end(), c.name) == options.only.end();
    });
  const Location deck_start{std::make_shared<const std::string>(options.output.netlist), 1, 1};
  if (netlist.elements.empty())
    throw InputError(deck_start, "the circuit has no elements: nothing to simulate");
  if (netlist.analyses.empty()) {
    Circuit circuit(netlist);  // the deck's own errors first, then what it lacks
    throw InputError(deck_start, "no analysis in the deck: add .op, .dc, .tran, .ac or .tf");
  }
  const std::vector<DeckAnalysis> analyses = read_analyses(netlist);
  const bool stepped = is_stepped(netlist);
  const std::vector<StepPoint> points = step_points(netlist);
  constexpr std::size_t max_points = 1'000'000;
  if (points.size() > max_points)
    throw InputError(netlist.steps.empty() ? netlist.monte_carlo.where : netlist.steps.front().knob.where,
                     fmt::format("the .step/.mc cards make {} points (at most {})", points.size(), max_points));
  // Check the first point's circuit before running anything. A plain run goes on with the
  // circuit built for the check.
  std::unique_ptr<Simulation> built;
  if (stepped) {
    const Netlist first = netlist_at(netlist, points.front(), options.seed);
    (void)validate(first, read_analyses(first), points.size());
  } else {
    built = validate(netlist, analyses, points.size());
  }

  RunResult result;
  const Format format = format_of(options.output);
  std::vector<std::string> kinds;
  for (const DeckAnalysis& a : analyses) kinds.emplace_back(a.type->kind);
  const OutputPaths paths = output_paths(options.output, kinds, stepped);
  auto& outputs = result.files;
  for (std::size_t k = 0; k < analyses.size(); ++k)
    outputs.push_back(std::make_unique<AnalysisOutput>(paths.analyses[k], format, netlist.title,
                                                       std::string(analyses[k].type->plot), kinds[k], stepped,
                                                       options.output.step_files));

  // Points run on a pool of workers; this thread writes their results in point order,
  // reports progress and passes on an interrupt.
  std::vector<PointResult> results(points.size());
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::condition_variable ready;
  const unsigned workers = static_cast<unsigned>(std::min<std::size_t>(
      points.size(), options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency())));
  std::vector<std::atomic<double>> fraction(workers);
  auto work = [&](unsigned w) {
    for (std::size_t k; (k = next++) < points.size();) {
      PointResult point;
      fraction[w] = 0;
      try {
        if (stop) throw Interrupted("interrupted before it started");
        std::vector<TraceSink*> sinks;
        if (stepped) {
          point.tables.resize(analyses.size());
          for (auto& t : point.tables) sinks.push_back(&t);
          const Netlist at = netlist_at(netlist, points[k], options.seed);
          run_point(at, read_analyses(at), options, sinks, stop, fraction[w], point);
        } else {
          for (auto& o : outputs) sinks.push_back(&o->direct());
          run_point(netlist, analyses, options, sinks, stop, fraction[w], point, &built);
        }
      } catch (...) {
        point.error = std::current_exception();
      }
      point.done = true;
      fraction[w] = 0;
      std::lock_guard lock(mutex);
      results[k] = std::move(point);
      ready.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned w = 0; w < workers; ++w) pool.emplace_back(work, w);
  struct Join {  // however this function leaves, no worker outlives it
    std::vector<std::thread>& pool;
    std::atomic<bool>& stop;
    ~Join() {
      stop = true;
      for (auto& t : pool) t.join();
    }
  } join{pool, stop};

  const std::vector<std::string> measure_names = measure_columns(netlist, analyses);
  std::unique_ptr<CsvFile> measure_file;
  const std::vector<std::string> labels = step_labels(netlist);
  for (std::size_t k = 0; k < points.size(); ++k) {
    PointResult point;
    {
      std::unique_lock lock(mutex);
      while (!results[k].done) {
        ready.wait_for(lock, std::chrono::milliseconds(100));
        if (events.interrupted && events.interrupted()) stop = true;
        double running = 0;
        for (const auto& f : fraction) running += f.load(std::memory_order_relaxed);
        if (events.progress)
          events.progress((double(k) + running) / double(points.size()),
                          stepped ? fmt::format("point {}/{}", k + 1, points.size()) : std::string{});
      }
      point = std::move(results[k]);
    }
    if (point.error) {
      stop = true;
      for (const auto& n : point.notes) say("note: " + n);
      const bool interrupted = events.interrupted && events.interrupted();
      for (const auto& o : outputs)
        if (const std::string p = o->partial(); !p.empty())
          say(fmt::format("note: the rows computed before the {} are in '{}'", interrupted ? "interrupt" : "failure", p));
      if (measure_file && std::filesystem::exists(measure_file->partial_path()))
        say(fmt::format("note: the measures of the points before are in '{}'", measure_file->partial_path()));
      if (!stepped) std::rethrow_exception(point.error);
      try {
        std::rethrow_exception(point.error);
      } catch (const Interrupted&) {
        throw;
      } catch (const std::exception& e) {
        throw SimulationError(fmt::format("at {}: {}", describe(netlist, points[k]), e.what()));
      }
    }
    for (const auto& n : point.notes) say("note: " + (stepped ? describe(netlist, points[k]) + ": " : "") + n);
    if (!stepped) {
      result.measures = std::move(point.measures);
      continue;
    }
    const std::vector<double> values = step_row(points[k]);
    for (std::size_t a = 0; a < outputs.size(); ++a)
      outputs[a]->point(k, describe(netlist, points[k]), labels, values, point.tables[a]);
    if (!measure_names.empty()) {
      if (!measure_file) {
        measure_file = std::make_unique<CsvFile>(paths.stem + ".meas.csv");
        std::vector<std::string> columns = labels;
        columns.insert(columns.end(), measure_names.begin(), measure_names.end());
        measure_file->begin(columns, {});
      }
      std::vector<double> row = values;
      for (const auto& m : point.measures) row.push_back(m.value ? *m.value : NAN);
      measure_file->row(row);
      result.point_measures.push_back(std::move(point.measures));
    }
  }
  for (auto& o : outputs) result.outputs.push_back({o->finish(), o->printed() ? &o->table() : nullptr});
  if (measure_file) {
    measure_file->finish();
    result.measure_names = measure_names;
    result.measure_file = fmt::format("meas: wrote {} ({} rows)", measure_file->path(), measure_file->rows_written());
  }
  return result;
}

}  // namespace ns
