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
#include "analysis/distributed.hpp"
#include "analysis/journal.hpp"
#include "analysis/step.hpp"
#include "analysis/study.hpp"

namespace ns {

namespace {

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

}  // namespace

RunResult run(const RunOptions& options, const RunEvents& events) {
  auto say = [&](const std::string& line) { if (events.message) events.message(line); };
  Study study = prepare(options, say);
  const Netlist& netlist = study.netlist;
  const std::vector<DeckAnalysis>& analyses = study.analyses;
  const std::vector<StepPoint>& points = study.points;
  const bool stepped = study.stepped;

  RunResult result;
  const Format format = format_of(options.output);
  std::vector<std::string> kinds;
  for (const DeckAnalysis& a : analyses) kinds.emplace_back(a.type->kind);
  const OutputPaths paths = output_paths(options.output, kinds, stepped);
  auto& outputs = result.files;
  for (std::size_t k = 0; k < analyses.size(); ++k)
    outputs.push_back(options.sink ? std::make_unique<AnalysisOutput>(options.sink(k, kinds[k]))
                                   : std::make_unique<AnalysisOutput>(paths.analyses[k], format, netlist.title,
                                                                      std::string(analyses[k].type->plot), kinds[k],
                                                                      stepped, options.output.step_files));

  // Points run on a pool of workers (and, under MPI, on the other ranks); this thread
  // writes their results in point order, reports progress and passes on an interrupt.
  // A stepped run journals each point as it completes; --resume reads them back.
  std::vector<PointResult> results(points.size());
  std::mutex mutex;
  std::condition_variable ready;
  std::unique_ptr<Journal> journal;
  if (stepped) {
    journal = std::make_unique<Journal>(paths.stem + ".journal", study_identity(study, options), points.size(),
                                        options.resume);
    for (auto& [k, bytes] : journal->completed()) results[k] = decode(bytes);
    journal->completed().clear();
    if (options.resume) {
      say(fmt::format("note: resuming from '{}': {} of {} points done", journal->path(), journal->done(),
                      points.size()));
      for (const auto& [k, rank] : journal->unfinished())
        say(fmt::format("note: point {} ({}) was running on rank {} when the run stopped", k + 1,
                        describe(netlist, points[k]), rank));
    }
  } else if (options.resume) {
    say("note: --resume: the deck has no .step/.mc points to resume; running it whole");
  }
  std::vector<std::size_t> todo;
  for (std::size_t k = 0; k < points.size(); ++k)
    if (!results[k].done) todo.push_back(k);
  std::size_t handed = 0;  // of todo, under `mutex`
  std::size_t finished = points.size() - todo.size();  // points done, under `mutex`
  std::atomic<bool> stop{false};
  auto take = [&]() -> std::optional<std::size_t> {
    std::lock_guard lock(mutex);
    if (handed == todo.size()) return std::nullopt;
    return todo[handed++];  // after a stop, a local point fails at once (Interrupted), in its turn
  };
  // `running`: the local worker's fraction of the point, zeroed in the same step as the
  // point counts as finished, so that the progress reported never goes back.
  auto complete = [&](std::size_t k, PointResult point, const std::string& bytes,
                      std::atomic<double>* running = nullptr) {
    std::lock_guard lock(mutex);
    if (journal && !point.error) journal->point_done(k, bytes);
    results[k] = std::move(point);
    ++finished;
    if (running) *running = 0;
    ready.notify_all();
  };
  std::unique_ptr<Coordinator> coordinator;
  if (options.distribute && stepped && Coordinator::available()) {
    coordinator = std::make_unique<Coordinator>(
        options.only,
        Coordinator::Hooks{.take = [&]() -> std::optional<std::size_t> {
                             if (stop) return std::nullopt;  // no new remote work once stopping
                             return take();
                           },
                           .deliver = [&](std::size_t k, std::string&& bytes, int) {
                             if (k < points.size()) complete(k, decode(bytes), bytes);
                           },
                           .assigned = [&](std::size_t k, int rank) {
                             std::lock_guard lock(mutex);
                             journal->point_assigned(k, rank);
                           },
                           .say = say});
  } else if (options.distribute) {
    Coordinator::release();
  }
  const unsigned workers = static_cast<unsigned>(std::min<std::size_t>(
      std::max<std::size_t>(todo.size(), 1),
      options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency())));
  std::vector<std::atomic<double>> fraction(workers);
  auto work = [&](unsigned w) {
    std::vector<TraceSink*> sinks;
    if (!stepped)
      for (auto& o : outputs) sinks.push_back(&o->direct());
    while (const auto k = take()) {
      fraction[w] = 0;
      PointResult point = compute_point(study, *k, options, sinks, stop, fraction[w]);
      const std::string bytes = journal && !point.error ? encode(point) : std::string{};
      complete(*k, std::move(point), bytes, &fraction[w]);
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
  auto resume_note = [&] {
    std::lock_guard lock(mutex);
    if (journal)
      say(fmt::format("note: --resume continues this run from '{}' ({} of {} points done)", journal->path(),
                      journal->done(), points.size()));
  };

  double write_seconds = 0;  // rank 0's CPU time writing the files, for --stats
  const std::vector<std::string> measure_names = measure_columns(netlist, analyses);
  std::unique_ptr<CsvFile> measure_file;
  const std::vector<std::string> labels = step_labels(netlist);
  for (std::size_t k = 0; k < points.size(); ++k) {
    PointResult point;
    {
      std::unique_lock lock(mutex);
      auto shown = std::chrono::steady_clock::now();
      while (!results[k].done) {
        ready.wait_for(lock, std::chrono::milliseconds(coordinator ? 1 : 100));
        if (coordinator) {
          lock.unlock();
          coordinator->poll();
          lock.lock();
          if (results[k].done) break;
          if (std::chrono::steady_clock::now() - shown < std::chrono::milliseconds(100)) continue;
        }
        shown = std::chrono::steady_clock::now();
        if (events.interrupted && events.interrupted()) stop = true;
        double running = 0;
        for (const auto& f : fraction) running += f.load(std::memory_order_relaxed);
        if (events.progress)
          events.progress((double(finished) + running) / double(points.size()),
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
      resume_note();
      if (!stepped) std::rethrow_exception(point.error);
      try {
        std::rethrow_exception(point.error);
      } catch (const Interrupted&) {
        throw;
      } catch (const SimulationError& e) {
        throw e.within(fmt::format("at {}: ", describe(netlist, points[k])));
      } catch (const std::exception& e) {
        throw SimulationError(fmt::format("at {}: {}", describe(netlist, points[k]), e.what()));
      }
    }
    for (const auto& n : point.notes) say("note: " + (stepped ? describe(netlist, points[k]) + ": " : "") + n);
    if (!stepped) {
      result.measures = std::move(point.measures);
      continue;
    }
    const double write_start = coordinator ? thread_seconds() : 0;
    const std::vector<double> values = step_row(points[k]);
    for (std::size_t a = 0; a < outputs.size(); ++a)
      outputs[a]->point(k, describe(netlist, points[k]), labels, values, point.tables[a]);
    if (!measure_names.empty()) {
      if (k == 0) {
        std::vector<std::string> columns = labels;
        columns.insert(columns.end(), measure_names.begin(), measure_names.end());
        result.measure_table.begin(columns, {});
        if (!options.sink) {
          measure_file = std::make_unique<CsvFile>(paths.stem + ".meas.csv");
          measure_file->begin(columns, {});
        }
      }
      std::vector<double> row = values;
      for (const auto& m : point.measures) row.push_back(m.value ? *m.value : NAN);
      result.measure_table.row(row);
      if (measure_file) measure_file->row(row);
      result.point_measures.push_back(std::move(point.measures));
    }
    if (coordinator) write_seconds += thread_seconds() - write_start;
  }
  if (coordinator) {
    coordinator->finish();
    if (options.stats)
      say(fmt::format("note: rank 0 received {} points from the other ranks, {:.0f} bytes per point, {:.1f} us "
                      "CPU per point handling them ({:.3f} s probing for messages in all); writing the files took "
                      "{:.1f} us CPU per point",
                      coordinator->results(), double(coordinator->bytes()) / double(std::max<std::size_t>(coordinator->results(), 1)),
                      1e6 * coordinator->seconds() / double(std::max<std::size_t>(coordinator->results(), 1)),
                      coordinator->idle_seconds(),
                      1e6 * write_seconds / double(points.size())));
  }
  for (auto& o : outputs) result.outputs.push_back({o->finish(), o->printed() ? &o->table() : nullptr});
  if (stepped) result.measure_names = measure_names;
  if (measure_file) {
    measure_file->finish();
    result.measure_file = fmt::format("meas: wrote {} ({} rows)", measure_file->path(), measure_file->rows_written());
  }
  if (journal) journal->remove();
  return result;
}

}  // namespace ns
