#include "cli/app.hpp"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <ostream>
#include <thread>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "analysis/analysis.hpp"
#include "analysis/step.hpp"
#include "circuit/registry.hpp"
#include "cli/progress.hpp"
#include "netlist/frontend.hpp"
#include "output/sink.hpp"

namespace ns {

std::atomic<bool>& interrupt_requested() {
  static std::atomic<bool> flag{false};
  return flag;
}

namespace {

constexpr const char* usage = R"(usage: neurospice [options] NETLIST

Runs every analysis (.op, .dc, .tran) in the SPICE netlist, once per point of its .step
and .mc cards, and evaluates its .meas cards.

options:
  -o, --output FILE.csv  write the results as CSV (FILE.raw: SPICE raw). With one analysis
                         in the deck they go to FILE.csv; with several, analysis k of kind
                         K (op, dc, tran) goes to FILE.K.csv, or FILE.K1.csv, FILE.K2.csv
                         ... when a kind occurs more than once.
                         Without -o, .op results print as a table on stdout and dc/tran
                         results go to NETLIST-STEM.K.csv (same numbering) in the current
                         directory.
  --format F             csv, raw (binary SPICE raw) or ascii (ascii SPICE raw); by
                         default from the extension of -o, else csv
  -j, --jobs N           run .step/.mc points on N threads (default: every core); the
                         output is the same, bit for bit, whatever N
  --seed N               seed of the Monte Carlo draws (default 1): the same seed gives
                         the same devices
  --step-files           with .step/.mc, one file per point (FILE.K.stepN.csv) instead
                         of one table with the step values in the first columns
  --every-step           also write a transient row at every step the integrator accepts
                         (rows are always written at every multiple of tstep)
  --stats                report the integrator's work (steps, iterations, failures)
  --describe TYPE        print a device type's terminals and parameter table and exit
                         (--describe all lists every type)
  --help                 print this text and exit
  --version              print the version and exit

Output columns: the .print/.save/.probe items (v(a), v(a,b), i(vsrc), @dev[quantity]),
or by default every node voltage and every voltage-source current. A stepped run puts
the step values (one column per .step, then "run" for .mc) before them, .op included.
.meas results print on stdout; with .step/.mc they go to FILE.meas.csv (one row per
point) and stdout gets their mean, standard deviation and range.
While a file is being written it is named FILE.csv.partial; it is renamed to FILE.csv
when the run completes, so a failed or interrupted run leaves only a file whose name
says it is partial. On a terminal, runs longer than a second show a progress line.

exit status: 0 success, 1 the simulation failed, 2 bad input or usage, 130 interrupted.
)";

enum class Format { Csv, Raw, Ascii };

struct Arguments {
  std::string netlist, output, describe, format;
  unsigned jobs = 0;  // 0: every core
  std::uint64_t seed = 1;
  bool step_files = false, every_step = false, stats = false, help = false, version = false;
};

unsigned long long parse_count(const std::string& option, const std::string& text, unsigned long long lo) {
  std::size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || text[0] == '-' || value < lo)
    throw InputError({}, fmt::format("option '{}' needs a whole number{}, not '{}'", option,
                                     lo > 0 ? fmt::format(" of at least {}", lo) : "", text));
  return value;
}

Arguments parse_arguments(const std::vector<std::string>& args) {
  Arguments a;
  for (std::size_t k = 0; k < args.size(); ++k) {
    const std::string& arg = args[k];
    auto value = [&]() -> const std::string& {
      if (k + 1 >= args.size()) throw InputError({}, fmt::format("option '{}' needs a value", arg));
      return args[++k];
    };
    if (arg == "-o" || arg == "--output") a.output = value();
    else if (arg == "--format") a.format = value();
    else if (arg == "-j" || arg == "--jobs") a.jobs = static_cast<unsigned>(std::min(parse_count(arg, value(), 1), 4096ULL));
    else if (arg.size() > 2 && arg.rfind("-j", 0) == 0) a.jobs = static_cast<unsigned>(std::min(parse_count("-j", arg.substr(2), 1), 4096ULL));
    else if (arg == "--seed") a.seed = parse_count(arg, value(), 0);
    else if (arg == "--step-files") a.step_files = true;
    else if (arg == "--every-step") a.every_step = true;
    else if (arg == "--stats") a.stats = true;
    else if (arg == "--describe") a.describe = value();
    else if (arg == "--help" || arg == "-h") a.help = true;
    else if (arg == "--version") a.version = true;
    else if (arg.size() > 1 && arg[0] == '-') throw InputError({}, fmt::format("unknown option '{}' (see --help)", arg));
    else if (!a.netlist.empty()) throw InputError({}, "more than one netlist given (see --help)");
    else a.netlist = arg;
  }
  if (!a.format.empty() && a.format != "csv" && a.format != "raw" && a.format != "ascii")
    throw InputError({}, fmt::format("--format takes csv, raw or ascii, not '{}'", a.format));
  if (a.netlist.empty() && !a.help && !a.version && a.describe.empty())
    throw InputError({}, "no netlist given (see --help)");
  return a;
}

Format format_of(const Arguments& args) {
  if (args.format == "raw") return Format::Raw;
  if (args.format == "ascii") return Format::Ascii;
  if (args.format.empty() && std::filesystem::path(args.output).extension() == ".raw") return Format::Raw;
  return Format::Csv;
}

const char* kind_of(const Analysis& a) {
  return std::visit([](const auto& x) -> const char* {
    using T = std::decay_t<decltype(x)>;
    if constexpr (std::is_same_v<T, OpAnalysis>) return "op";
    else if constexpr (std::is_same_v<T, DcAnalysis>) return "dc";
    else return "tran";
  }, a);
}

// The file of each analysis, as --help describes ("" for an .op printed as a table), and
// the stem "meas" goes with.
struct Paths {
  std::vector<std::string> analyses;
  std::string stem, extension;
};

Paths output_paths(const Arguments& args, const std::vector<Analysis>& analyses, bool stepped) {
  std::map<std::string, int> total, seen;
  for (const auto& a : analyses) ++total[kind_of(a)];
  const bool given = !args.output.empty();
  std::filesystem::path base = given ? std::filesystem::path(args.output)
                                     : std::filesystem::path(args.netlist).filename();
  Paths paths;
  paths.extension = given && base.has_extension() ? base.extension().string()
                    : format_of(args) == Format::Csv ? ".csv" : ".raw";
  paths.stem = (base.parent_path() / base.stem()).string();
  for (const auto& a : analyses) {
    const std::string kind = kind_of(a);
    const int index = ++seen[kind];
    if (!given && kind == "op" && !stepped) paths.analyses.emplace_back();  // printed as a table
    else if (given && analyses.size() == 1) paths.analyses.push_back(args.output);
    else paths.analyses.push_back(fmt::format("{}.{}{}{}", paths.stem, kind,
                                              total[kind] > 1 ? std::to_string(index) : "", paths.extension));
  }
  return paths;
}

// "out.tran.csv", point 3 -> "out.tran.step3.csv"
std::string point_path(const std::string& path, std::size_t point) {
  const std::filesystem::path p(path);
  return ((p.parent_path() / p.stem()).string() + fmt::format(".step{}", point + 1)) + p.extension().string();
}

const char* plot_name(const Analysis& a) {
  return std::holds_alternative<OpAnalysis>(a) ? "Operating Point"
         : std::holds_alternative<DcAnalysis>(a) ? "DC transfer characteristic"
                                                 : "Transient Analysis";
}

std::unique_ptr<TraceSink> open_sink(const std::string& path, Format format, const Netlist& netlist,
                                     const Analysis& analysis) {
  if (format == Format::Csv) return std::make_unique<CsvFile>(path);
  return std::make_unique<RawFile>(path, format == Format::Raw, netlist.title, plot_name(analysis));
}

std::string partial_of(const std::string& path) { return path + ".partial"; }

void print_table(const TraceTable& table, std::ostream& out) {
  std::size_t width = 0;
  for (const auto& c : table.columns()) width = std::max(width, c.size());
  for (std::size_t k = 0; k < table.columns().size(); ++k)
    fmt::print(out, "{:<{}}  {:.9g}\n", table.columns()[k], width, table.rows().at(0).at(k));
}

// Where one analysis' rows go over the whole run. A plain run streams straight into the
// file; a stepped run hands over each point's rows, in point order.
class AnalysisOutput {
public:
  AnalysisOutput(std::string path, Format format, const Netlist& netlist, const Analysis& analysis,
                 bool stepped, bool step_files)
      : path_(std::move(path)), format_(format), netlist_(netlist), analysis_(analysis),
        stepped_(stepped), step_files_(step_files) {
    if (!stepped_ && !path_.empty()) file_ = open_sink(path_, format_, netlist_, analysis_);
  }

  // Where a plain run's analysis writes.
  TraceSink& direct() { return file_ ? *file_ : table_; }

  void point(const StepPoint& point, std::size_t index, const TraceTable& rows) {
    std::unique_ptr<TraceSink> own;
    TraceSink* sink = file_.get();
    std::vector<double> prefix = step_row(point);
    if (step_files_) {
      own = open_sink(point_path(path_, index), format_, netlist_, analysis_);
      sink = own.get();
      prefix.clear();
    } else if (!file_) {
      file_ = open_sink(path_, format_, netlist_, analysis_);
      sink = file_.get();
    }
    if (auto* raw = dynamic_cast<RawFile*>(sink)) {  // each point its own plot, named by its values
      raw->set_plotname(fmt::format("{}: {}", plot_name(analysis_), describe(netlist_, point)));
      prefix.clear();
      raw->begin(rows.columns());
    } else if (step_files_ || index == 0) {
      std::vector<std::string> columns = step_files_ ? std::vector<std::string>{} : step_labels(netlist_);
      columns.insert(columns.end(), rows.columns().begin(), rows.columns().end());
      sink->begin(columns);
    }
    std::vector<double> line;
    for (const auto& r : rows.rows()) {
      line = prefix;
      line.insert(line.end(), r.begin(), r.end());
      sink->row(line);
    }
    rows_ += rows.rows().size();
    if (own) {
      own->finish();
      ++files_;
    }
  }

  void finish(std::ostream& out, std::ostream& err) {
    if (!stepped_ && path_.empty()) return print_table(table_, out);
    if (file_ && stepped_) file_->finish();  // a plain run's analysis finished its own file
    const char* kind = kind_of(analysis_);
    if (step_files_ && stepped_)
      err << fmt::format("{}: wrote {} files {} ({} rows)\n", kind, files_, point_path(path_, 0), rows_);
    else
      err << fmt::format("{}: wrote {} ({} rows)\n", kind, path_, stepped_ ? rows_ : count_rows());
  }

  // The partial file a failure leaves, if any.
  std::string partial() const {
    if (path_.empty()) return {};
    const std::string p = partial_of(step_files_ ? point_path(path_, files_) : path_);
    return std::filesystem::exists(p) ? p : std::string{};
  }

private:
  std::size_t count_rows() const {
    if (auto* csv = dynamic_cast<CsvFile*>(file_.get())) return csv->rows();
    if (auto* raw = dynamic_cast<RawFile*>(file_.get())) return raw->rows();
    return 0;
  }
  std::string path_;
  Format format_;
  const Netlist& netlist_;
  const Analysis& analysis_;
  bool stepped_, step_files_;
  std::unique_ptr<TraceSink> file_;
  TraceTable table_;
  std::size_t rows_ = 0, files_ = 0;
};

// Everything that can be checked before simulating: the circuit of every analysis builds,
// its outputs exist, swept sources and parameters exist, and the outputs are of a size a
// disk holds. Returns the circuit it built for the first analysis to use, unless a .dc
// check set a source's value on it.
std::unique_ptr<Simulation> validate(const Netlist& netlist, const AnalysisContext& context,
                                     std::size_t points) {
  auto built = std::make_unique<Simulation>(netlist);
  Simulation& sim = *built;
  bool touched = false;
  (void)node_values(sim, netlist.ic);
  (void)node_values(sim, netlist.nodeset);
  constexpr double max_rows = 1e8;
  for (const auto& a : netlist.analyses) {
    if (const auto* dc = std::get_if<DcAnalysis>(&a))
      for (const Sweep& s : dc->sweeps) {
        if (s.target == Sweep::Target::Source) {
          Device* d = sim.circuit->find_device(s.name);
          if (!d || !d->set_sweep_value(s.points.at(0)))
            throw InputError(s.where, fmt::format("'{}' is not an independent source that .dc can sweep", s.name));
          touched = true;
        } else if (s.target == Sweep::Target::Param) {
          (void)context.elaborate({{s.name, s.points.at(0)}});
        }
      }
    if (const auto* tran = std::get_if<TranAnalysis>(&a)) {
      const double rows = std::floor((tran->tstop - tran->tstart) / tran->tstep) + 2;
      if (rows * double(points) > max_rows)
        throw InputError(tran->where, fmt::format("this .tran would write {:.3g} rows{} (at most {:g}); "
                                                  "choose a larger tstep",
                                                  rows * double(points),
                                                  points > 1 ? fmt::format(" over {} points", points) : "", max_rows));
    }
  }
  if (touched) built.reset();
  return built;
}

// The .meas columns: measure names, made unique when an analysis kind occurs twice.
std::vector<std::string> measure_columns(const Netlist& netlist) {
  std::vector<std::string> columns;
  std::map<std::string, int> seen;
  for (const auto& a : netlist.analyses) {
    const std::string kind = kind_of(a);
    const int index = ++seen[kind];
    for (const auto& m : netlist.measures) {
      const bool tran = m.analysis == MeasureRequest::Analysis::Tran;
      if ((kind == "tran" && tran) || (kind == "dc" && !tran))
        columns.push_back(index > 1 ? fmt::format("{}@{}{}", m.name, kind, index) : m.name);
    }
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

// Runs every analysis of `netlist` into `sinks`, measuring as it goes.
void run_analyses(const Netlist& netlist, const std::function<Netlist(const std::map<std::string, double>&)>& again,
                  const Arguments& args, std::vector<TraceSink*> sinks, const std::atomic<bool>& stop,
                  std::atomic<double>& progress, PointResult& result, std::unique_ptr<Simulation>* built = nullptr) {
  AnalysisContext context{.netlist = netlist, .elaborate = again, .every_step = args.every_step,
                          .statistics = args.stats, .notes = &result.notes, .stop = &stop, .built = built};
  const std::size_t n = netlist.analyses.size();
  for (std::size_t k = 0; k < n; ++k) {
    const Analysis& analysis = netlist.analyses[k];
    context.progress = [&progress, k, n](double f) { progress.store((double(k) + f) / double(n), std::memory_order_relaxed); };
    const bool tran = std::holds_alternative<TranAnalysis>(analysis);
    const bool dc = std::holds_alternative<DcAnalysis>(analysis);
    const auto kind = tran ? MeasureRequest::Analysis::Tran : MeasureRequest::Analysis::Dc;
    bool measured = false;
    for (const auto& m : netlist.measures) measured |= (tran || dc) && m.analysis == kind;
    Waveform waveform;
    context.waveform = measured ? &waveform : nullptr;
    std::visit([&](const auto& a) {
      using T = std::decay_t<decltype(a)>;
      if constexpr (std::is_same_v<T, OpAnalysis>) run_op(context, *sinks[k]);
      else if constexpr (std::is_same_v<T, DcAnalysis>) run_dc(context, a, *sinks[k]);
      else run_tran(context, a, *sinks[k]);
    }, analysis);
    if (measured)
      for (auto& r : evaluate_measures(netlist.measures, kind, waveform, netlist.params))
        result.measures.push_back(std::move(r));
  }
}

// Prints "name = value" for a plain run's measures.
void print_measures(const std::vector<MeasureResult>& results, std::ostream& out) {
  std::size_t width = 0;
  for (const auto& r : results) width = std::max(width, r.name.size());
  for (const auto& r : results) {
    if (r.value) fmt::print(out, "{:<{}} = {:.9g}\n", r.name, width, *r.value);
    else fmt::print(out, "{:<{}} failed: {}\n", r.name, width, r.failure);
  }
}

// A stepped run's measures: mean, standard deviation, range and failures over the points.
void print_measure_summary(const std::vector<std::string>& names, const std::vector<std::vector<MeasureResult>>& points,
                           std::ostream& out) {
  std::size_t width = 4;
  for (const auto& n : names) width = std::max(width, n.size());
  fmt::print(out, "{:<{}}  {:>15} {:>15} {:>15} {:>15} {:>7}\n", "meas", width, "mean", "std", "min", "max", "failed");
  for (std::size_t k = 0; k < names.size(); ++k) {
    double sum = 0, sum2 = 0, lo = INFINITY, hi = -INFINITY;
    std::size_t n = 0, failed = 0;
    for (const auto& p : points) {
      if (k >= p.size() || !p[k].value) { ++failed; continue; }
      const double v = *p[k].value;
      sum += v;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      ++n;
    }
    const double mean = n ? sum / double(n) : NAN;
    for (const auto& p : points)
      if (k < p.size() && p[k].value) sum2 += (*p[k].value - mean) * (*p[k].value - mean);
    const double sd = n > 1 ? std::sqrt(sum2 / double(n - 1)) : NAN;
    fmt::print(out, "{:<{}}  {:>15.6g} {:>15.6g} {:>15.6g} {:>15.6g} {:>7}\n", names[k], width, mean, sd,
               n ? lo : NAN, n ? hi : NAN, failed);
  }
}

int simulate(const Arguments& args, std::ostream& out, std::ostream& err, bool terminal) {
  const auto deck = read_deck(args.netlist);
  const Netlist netlist = elaborate(*deck);
  for (const auto& w : netlist.warnings) err << w << '\n';
  if (netlist.analyses.empty())
    throw InputError(Location{std::make_shared<const std::string>(args.netlist), 0, 0},
                     "no analysis in the deck: add .op, .dc or .tran");
  const bool stepped = is_stepped(netlist);
  const std::vector<StepPoint> points = step_points(netlist);
  constexpr std::size_t max_points = 1'000'000;
  if (points.size() > max_points)
    throw InputError(netlist.steps.empty() ? netlist.monte_carlo.where : netlist.steps.front().where,
                     fmt::format("the .step/.mc cards make {} points (at most {})", points.size(), max_points));
  auto elaborate_at = [&](const StepPoint& point) {
    return [&deck, &netlist, point, seed = args.seed](const std::map<std::string, double>& p) {
      return netlist_at(*deck, netlist, point, seed, p);
    };
  };
  // Check the first point's circuit before running anything. A plain run goes on with the
  // circuit built for the check (a 256x256 crossbar takes a second to build).
  std::unique_ptr<Simulation> built;
  {
    std::vector<std::string> notes;
    const Netlist first = stepped ? netlist_at(*deck, netlist, points.front(), args.seed) : Netlist{};
    const Netlist& checked = stepped ? first : netlist;
    AnalysisContext context{.netlist = checked, .elaborate = elaborate_at(points.front()), .notes = &notes};
    built = validate(checked, context, points.size());
    if (stepped) built.reset();
  }

  const Format format = format_of(args);
  const Paths paths = output_paths(args, netlist.analyses, stepped);
  std::vector<std::unique_ptr<AnalysisOutput>> outputs;
  for (std::size_t k = 0; k < netlist.analyses.size(); ++k)
    outputs.push_back(std::make_unique<AnalysisOutput>(paths.analyses[k], format, netlist, netlist.analyses[k],
                                                       stepped, args.step_files));

  // Points run on a pool of workers; this thread writes their results in point order,
  // shows progress and passes on an interrupt.
  std::vector<PointResult> results(points.size());
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::condition_variable ready;
  const unsigned workers = static_cast<unsigned>(std::min<std::size_t>(
      points.size(), args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency())));
  std::vector<std::atomic<double>> fraction(workers);
  auto work = [&](unsigned w) {
    for (std::size_t k; (k = next++) < points.size();) {
      PointResult result;
      fraction[w] = 0;
      try {
        if (stop) throw Interrupted("interrupted before it started");
        std::vector<TraceSink*> sinks;
        if (stepped) {
          result.tables.resize(netlist.analyses.size());
          for (auto& t : result.tables) sinks.push_back(&t);
          const Netlist at = netlist_at(*deck, netlist, points[k], args.seed);
          run_analyses(at, elaborate_at(points[k]), args, sinks, stop, fraction[w], result);
        } else {
          for (auto& o : outputs) sinks.push_back(&o->direct());
          run_analyses(netlist, elaborate_at(points[k]), args, sinks, stop, fraction[w], result, &built);
        }
      } catch (...) {
        result.error = std::current_exception();
      }
      result.done = true;
      fraction[w] = 0;
      std::lock_guard lock(mutex);
      results[k] = std::move(result);
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

  Progress progress(err, terminal);
  const std::vector<std::string> measure_names = measure_columns(netlist);
  std::unique_ptr<CsvFile> measure_file;
  std::vector<std::vector<MeasureResult>> measures;
  std::vector<MeasureResult> plain_measures;
  for (std::size_t k = 0; k < points.size(); ++k) {
    PointResult result;
    {
      std::unique_lock lock(mutex);
      while (!results[k].done) {
        ready.wait_for(lock, std::chrono::milliseconds(100));
        if (interrupt_requested()) stop = true;
        double running = 0;
        for (const auto& f : fraction) running += f.load(std::memory_order_relaxed);
        progress.show((double(k) + running) / double(points.size()),
                      stepped ? fmt::format("point {}/{}", k + 1, points.size()) : std::string{});
      }
      result = std::move(results[k]);
    }
    if (result.error) {
      progress.clear();
      stop = true;
      for (const auto& n : result.notes) err << "note: " << n << '\n';
      for (const auto& o : outputs)
        if (const std::string p = o->partial(); !p.empty())
          err << fmt::format("note: the rows computed before the {} are in '{}'\n",
                             interrupt_requested() ? "interrupt" : "failure", p);
      if (measure_file && std::filesystem::exists(measure_file->partial_path()))
        err << fmt::format("note: the measures of the points before are in '{}'\n", measure_file->partial_path());
      if (!stepped) std::rethrow_exception(result.error);
      try {
        std::rethrow_exception(result.error);
      } catch (const Interrupted&) {
        throw;
      } catch (const std::exception& e) {
        throw SimulationError(fmt::format("at {}: {}", describe(netlist, points[k]), e.what()));
      }
    }
    for (const auto& n : result.notes)
      err << "note: " << (stepped ? describe(netlist, points[k]) + ": " : "") << n << '\n';
    for (std::size_t a = 0; a < outputs.size(); ++a)
      if (stepped) outputs[a]->point(points[k], k, result.tables[a]);
    if (!stepped) {
      plain_measures = std::move(result.measures);
    } else if (!measure_names.empty()) {
      if (!measure_file) {
        measure_file = std::make_unique<CsvFile>(paths.stem + ".meas.csv");
        std::vector<std::string> columns = step_labels(netlist);
        columns.insert(columns.end(), measure_names.begin(), measure_names.end());
        measure_file->begin(columns);
      }
      std::vector<double> row = step_row(points[k]);
      for (const auto& m : result.measures) row.push_back(m.value ? *m.value : NAN);
      measure_file->row(row);
      measures.push_back(std::move(result.measures));
    }
  }
  progress.clear();
  for (auto& o : outputs) o->finish(out, err);
  print_measures(plain_measures, out);
  if (measure_file) {
    measure_file->finish();
    print_measure_summary(measure_names, measures, out);
    err << fmt::format("meas: wrote {} ({} rows)\n", measure_file->path(), measure_file->rows());
  }
  return 0;
}

}  // namespace

int run_app(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  std::string who = "neurospice";  // the netlist, once known: failures name it
  interrupt_requested() = false;
  try {
    const Arguments args = parse_arguments(argv);
    if (!args.netlist.empty()) who = args.netlist;
    if (args.help) return out << usage, 0;
    if (args.version) return out << "neurospice " << NS_VERSION << '\n', 0;
    if (!args.describe.empty()) {
      if (args.describe == "all") {
        for (const DeviceType* t : device_types()) out << describe_device_type(*t) << '\n';
        return 0;
      }
      const DeviceType* t = find_device_type(args.describe);
      if (!t) throw InputError({}, fmt::format("no device type '{}' (--describe all lists them)", args.describe));
      return out << describe_device_type(*t), 0;
    }
    return simulate(args, out, err, &err == &std::cerr && isatty(STDERR_FILENO));
  } catch (const InputError& e) {
    if (e.where().file) err << e.what() << '\n';
    else err << "neurospice: error: " << e.message() << '\n';
    return 2;
  } catch (const Interrupted& e) {
    err << who << ": " << e.what() << '\n';
    return 130;
  } catch (const SimulationError& e) {
    err << who << ": error: " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    err << who << ": error: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace ns
