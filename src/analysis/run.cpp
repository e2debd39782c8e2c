#include "analysis/run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <fstream>
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

// The rows of a .meas table's first `bytes` (its header skipped): numbers as CsvFile
// writes them, shortest round-trip, so they read back as the same doubles.
std::vector<std::vector<double>> read_measure_rows(const std::string& path, std::uintmax_t bytes) {
  std::ifstream in(path, std::ios::binary);
  std::string text(bytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(bytes));
  std::vector<std::vector<double>> rows;
  std::size_t at = text.find('\n');
  while (at != std::string::npos && at + 1 < text.size()) {
    const std::size_t end = text.find('\n', at + 1);
    const std::string line = text.substr(at + 1, end - at - 1);
    std::vector<double> row;
    for (std::size_t from = 0; from <= line.size();) {
      const std::size_t comma = std::min(line.find(',', from), line.size());
      row.push_back(std::strtod(line.substr(from, comma - from).c_str(), nullptr));
      from = comma + 1;
    }
    rows.push_back(std::move(row));
    at = end;
  }
  return rows;
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
  result.title = netlist.title;
  if (analyses.empty()) return result;  // a deck with no analysis: warned in prepare()
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
  // A stepped run into files keeps a journal of where each point's bytes are; --resume
  // reads it back.
  std::vector<PointResult> results(points.size());
  std::mutex mutex;
  std::condition_variable ready;
  std::size_t writing = 0;  // the point this thread waits for, under `mutex`
  const std::vector<std::string> measure_names = measure_columns(netlist, analyses);
  const std::vector<std::string> labels = step_labels(netlist);
  std::vector<std::string> measure_header = labels;
  measure_header.insert(measure_header.end(), measure_names.begin(), measure_names.end());
  std::unique_ptr<CsvFile> measure_file;
  if (stepped && !measure_names.empty() && !options.sink)
    measure_file = std::make_unique<CsvFile>(paths.stem + ".meas.csv");
  // The journal points into the files: only real ones (not /dev/null, not the Python
  // module's columns) can be continued.
  bool journaled = stepped && !options.sink;
  for (const auto& p : paths.analyses) journaled = journaled && !p.empty() && staging_path(p) != p;
  std::unique_ptr<Journal> journal;
  std::size_t written = 0;  // points already in the files, on --resume
  if (journaled) {
    journal = std::make_unique<Journal>(paths.stem, study_identity(study, options), points.size(), options.resume);
    written = journal->written();
    for (auto& [k, bytes] : journal->ahead()) results[k] = decode(bytes);
    journal->ahead().clear();
    if (written > 0) {
      const auto& marks = journal->marks();
      if (marks.size() != outputs.size() + (measure_file ? 1 : 0))
        throw InputError({}, fmt::format("--resume: the journal '{}' does not match the output files; run without "
                                         "--resume to start over", journal->path()));
      for (std::size_t a = 0; a < outputs.size(); ++a) outputs[a]->resume(written, marks[a]);
      if (measure_file) {
        measure_file->reopen(marks.back().bytes, written);
        result.measure_table.begin(measure_header, {});
        for (auto& row : read_measure_rows(measure_file->partial_path(), marks.back().bytes)) {
          std::vector<MeasureResult> measures;
          for (std::size_t m = 0; m < measure_names.size(); ++m) {
            const double v = labels.size() + m < row.size() ? row[labels.size() + m] : NAN;
            measures.push_back({.name = measure_names[m], .value = std::isnan(v) ? std::nullopt : std::optional(v),
                                .failure = std::isnan(v) ? "failed before --resume" : "", .details = {}});
          }
          result.measure_table.row(row);
          result.point_measures.push_back(std::move(measures));
        }
      }
    }
    if (options.resume) {
      const auto pending = static_cast<std::size_t>(
          std::count_if(results.begin(), results.end(), [](const PointResult& r) { return r.done; }));
      say(fmt::format("note: resuming from '{}': {} of {} points done ({} in the files, {} pending)", journal->path(),
                      written + pending, points.size(), written, pending));
      for (const auto& [k, rank] : journal->unfinished())
        say(fmt::format("note: point {} ({}) was running on rank {} when the run stopped", k + 1,
                        describe(netlist, points[k]), rank));
    }
  } else if (options.resume) {
    say(stepped ? "note: --resume: this output is not a file to continue; running the study whole"
                : "note: --resume: the deck has no .step/.mc points to resume; running it whole");
  }
  std::vector<std::size_t> todo;
  for (std::size_t k = written; k < points.size(); ++k)
    if (!results[k].done) todo.push_back(k);
  std::size_t handed = 0;  // of todo, under `mutex`
  std::size_t finished = points.size() - todo.size();  // points done, under `mutex`
  std::atomic<bool> stop{false};
  auto take = [&]() -> std::optional<std::size_t> {
    std::lock_guard lock(mutex);
    if (handed == todo.size()) return std::nullopt;
    return todo[handed++];  // after a stop, a local point fails at once (Interrupted), in its turn
  };
  // A point that finishes before its turn goes to the journal's pending file; the one
  // this thread waits for goes straight to the files. `running`: the local worker's
  // fraction of the point, zeroed in the same step as the point counts as finished, so
  // that the progress reported never goes back.
  auto complete = [&](std::size_t k, PointResult point, const std::string* bytes,
                      std::atomic<double>* running = nullptr) {
    bool ahead = false;
    {
      std::lock_guard lock(mutex);
      ahead = journal && !point.error && k != writing;
    }
    if (ahead) journal->point_ahead(k, bytes ? *bytes : encode(point));
    std::lock_guard lock(mutex);
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
                             if (k < points.size()) complete(k, decode(bytes), &bytes);
                           },
                           .assigned = [&](std::size_t k, int rank) {
                             if (journal) journal->point_assigned(k, rank);
                           },
                           .say = say,
                           .interrupted = events.interrupted});
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
      complete(*k, std::move(point), nullptr, &fraction[w]);
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

  // An interrupt under MPI: which points the other ranks hold, said at once (when a rank
  // dies, mpirun ends the job: SIGTERM to the other ranks, SIGKILL a second later), then
  // which ranks do not answer a stop: dead, with the points they held.
  bool ranks_stopped = false;
  auto stop_the_ranks = [&] {
    ranks_stopped = true;
    std::map<int, std::string> held;  // by rank, its points
    for (const auto& [k, rank] : coordinator->out())
      held[rank] += fmt::format("{}point {} ({})", held[rank].empty() ? "" : ", ", k + 1, describe(netlist, points[k]));
    std::string running;
    for (const auto& [rank, what] : held) running += fmt::format("{}rank {}: {}", running.empty() ? "" : "; ", rank, what);
    say("note: interrupted; running on the other ranks: " + (running.empty() ? std::string("nothing") : running));
    for (int rank : coordinator->stop_ranks(0.5))
      say(fmt::format("note: rank {} does not answer: it died (or hangs) running {}", rank,
                      held.count(rank) ? held[rank] : std::string("no point")));
    // What the ranks will not send back fails in its turn, as an interrupt.
    std::lock_guard lock(mutex);
    for (const auto& [k, rank] : coordinator->out())
      if (!results[k].done) {
        results[k].error = std::make_exception_ptr(
            Interrupted(fmt::format("interrupted; point {} was left unfinished on rank {}", k + 1, rank)));
        results[k].done = true;
      }
    ready.notify_all();
  };

  double write_seconds = 0;  // rank 0's CPU time writing the files, for --stats
  for (std::size_t k = written; k < points.size(); ++k) {
    PointResult point;
    {
      std::unique_lock lock(mutex);
      writing = k;
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
        if (events.interrupted && events.interrupted()) {
          stop = true;
          if (coordinator && !ranks_stopped) {
            lock.unlock();
            stop_the_ranks();
            lock.lock();
            if (results[k].done) break;
          }
        }
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
    for (auto& p : point.printouts) result.printouts.push_back((stepped ? describe(netlist, points[k]) + ":\n" : "") + p);
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
        result.measure_table.begin(measure_header, {});
        if (measure_file) measure_file->begin(measure_header, {});
      }
      std::vector<double> row = values;
      for (const auto& m : point.measures) row.push_back(m.value ? *m.value : NAN);
      result.measure_table.row(row);
      if (measure_file) measure_file->row(row);
      result.point_measures.push_back(std::move(point.measures));
    }
    if (journal) {
      std::vector<FileMark> marks;
      for (auto& o : outputs) marks.push_back(o->mark());
      if (measure_file) {
        measure_file->sync();
        const auto rows = measure_file->rows_written();
        marks.push_back({measure_file->partial_path(), std::filesystem::file_size(measure_file->partial_path()), rows, rows});
      }
      journal->point_written(k, marks);
    }
    if (coordinator) write_seconds += thread_seconds() - write_start;
  }
  // Every point is in the files: they are complete before rank 0 waits for the ranks' goodbyes,
  // which a rank that died without a point never sends (mpirun then interrupts this one).
  for (std::size_t k = 0; k < outputs.size(); ++k)
    result.outputs.push_back({outputs[k]->finish(), outputs[k]->printed() ? &outputs[k]->table() : nullptr, kinds[k],
                              std::string(analyses[k].type->plot)});
  result.title = netlist.title;
  if (stepped) result.measure_names = measure_names;
  if (measure_file) {
    measure_file->finish();
    result.measure_file = fmt::format("meas: wrote {} ({} rows)", measure_file->path(), measure_file->rows_written());
  }
  if (journal) journal->remove();
  if (coordinator) {
    if (!coordinator->finish()) stop_the_ranks();
    if (options.stats)
      say(fmt::format("note: rank 0 received {} points from the other ranks, {:.0f} bytes per point, {:.1f} us "
                      "CPU per point handling them ({:.3f} s probing for messages in all); writing the files took "
                      "{:.1f} us CPU per point",
                      coordinator->results(), double(coordinator->bytes()) / double(std::max<std::size_t>(coordinator->results(), 1)),
                      1e6 * coordinator->seconds() / double(std::max<std::size_t>(coordinator->results(), 1)),
                      coordinator->idle_seconds(),
                      1e6 * write_seconds / double(points.size())));
  }
  return result;
}

}  // namespace ns
