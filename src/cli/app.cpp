#include "cli/app.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "analysis/analysis.hpp"
#include "analysis/distributed.hpp"
#include "analysis/run.hpp"
#include "circuit/registry.hpp"
#include "cli/progress.hpp"
#include "control/control.hpp"
#include "output/listing.hpp"

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
  -j, --jobs N           run .step/.mc points on N threads (default: every core), or a
                         single run's transient of weakly coupled blocks (a neuron
                         network), or a large circuit's device evaluation (200 or more
                         non-linear devices); the output is the same, bit for bit,
                         whatever N
  --seed N               seed of the Monte Carlo draws, of transient device noise and of
                         trnoise/trrandom (default: the deck's .options seed, else 1):
                         the same seed gives the same devices and noise
  --step-files           with .step/.mc, one file per point (FILE.K.stepN.csv) instead
                         of one table with the step values in the first columns
  --every-step           also write a transient row at every step the integrator accepts
                         (rows are always written at every multiple of tstep)
  --resume               continue a .step/.mc run that was cut short (Ctrl-C, a failed
                         point, a killed process or node) from its journal (out.journal
                         beside out.csv), computing only the points it lacks; the files
                         are those of an uninterrupted run, bit for bit. Under mpirun (or
                         srun) the points are shared among the ranks; rank 0 writes.
  --stats                report the integrator's work (steps, iterations, failures)
  --plots DIR            a .control script's plot, gnuplot and hardcopy commands each
                         write DIR/NAME.csv and draw it as DIR/NAME.png with tools/plot
                         (python3-matplotlib; NAME: the file gnuplot or hardcopy names,
                         else plot1, plot2, ...). Without it they are skipped.
  --describe TYPE        print a device type's terminals and parameter table and exit
                         (--describe all lists every type)
  --help                 print this text and exit
  --version              print the version and exit

Output columns: the .print/.save/.probe items (v(a), v(a,b), i(vsrc), @dev[quantity]),
or by default every node voltage and every voltage-source current. A raw file, as
ngspice -b -r's, ignores .print lines. A stepped run puts
the step values (one column per .step, then "run" for .mc) before them, .op included.
.meas results print on stdout; with .step/.mc they go to FILE.meas.csv (one row per
point) and stdout gets their mean, standard deviation and range.
While a file is being written it is named FILE.csv.partial; it is renamed to FILE.csv
when the run completes, so a failed or interrupted run leaves only a file whose name
says it is partial. On a terminal, runs longer than a second show a progress line.

exit status: 0 success, 1 the simulation failed, 2 bad input or usage, 130 interrupted.
)";

struct Arguments {
  std::string netlist, output, describe, format, plots;
  unsigned jobs = 0;  // 0: every core
  std::uint64_t seed = 1;
  bool seed_given = false;
  bool step_files = false, every_step = false, stats = false, resume = false, help = false, version = false;
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
    else if (arg == "--seed") a.seed = parse_count(arg, value(), 0), a.seed_given = true;
    else if (arg == "--step-files") a.step_files = true;
    else if (arg == "--every-step") a.every_step = true;
    else if (arg == "--stats") a.stats = true;
    else if (arg == "--resume") a.resume = true;
    else if (arg == "--describe") a.describe = value();
    else if (arg == "--plots") a.plots = value();
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

void print_table(const TraceTable& table, std::ostream& out) {
  std::size_t width = 0;
  for (const auto& c : table.columns()) width = std::max(width, c.size());
  for (std::size_t k = 0; k < table.columns().size(); ++k)
    fmt::print(out, "{:<{}}  {:.9g}\n", table.columns()[k], width, table.rows().at(0).at(k));
}

// Prints "name = value" for a plain run's measures, nine digits: what tests/sim's good
// decks read their expected values from (rtol down to 1e-9). A script's run prints
// ngspice's lines (measure_line); the command line keeps these until the good decks read
// their measures at full precision from elsewhere.
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

// What a run wrote and printed: its files, tables and measures.
void report(const RunResult& result, std::ostream& out, std::ostream& err) {
  for (const auto& o : result.outputs) {
    if (o.table && o.kind != "op") print_listing(out, result.title, o.plot, o.kind, *o.table);
    else if (o.table) print_table(*o.table, out);
    else err << o.written << '\n';
  }
  for (const auto& p : result.printouts) out << p << '\n';
  print_measures(result.measures, out);
  if (!result.measure_file.empty()) {
    print_measure_summary(result.measure_names, result.point_measures, out);
    err << result.measure_file << '\n';
  }
}

// A graph of a .control script drawn by tools/plot ($NEUROSPICE_PLOT, else the source
// tree's); "" when it wrote the image.
std::string draw(const control::Graph& graph) {
  const char* tool = std::getenv("NEUROSPICE_PLOT");
  std::vector<std::string> words{tool && *tool ? tool : NS_PLOT_TOOL, graph.csv, "-x", graph.x, "-o", graph.png};
  if (graph.logx) words.push_back("--logx");
  if (graph.logy) words.push_back("--logy");
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (const int e = posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ); e != 0)
    return fmt::format("cannot run {}: {}", argv[0], std::strerror(e));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return fmt::format("lost {}", argv[0]);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  return fmt::format("{} failed (status {}; it needs python3-matplotlib)", argv[0],
                     WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

int simulate(const Arguments& args, std::ostream& out, std::ostream& err, bool terminal) {
  RunOptions options{.output = {.netlist = args.netlist, .path = args.output, .format = args.format,
                                .step_files = args.step_files, .print_kinds = {}},
                     .jobs = args.jobs, .seed = args.seed, .seed_given = args.seed_given, .every_step = args.every_step, .stats = args.stats,
                     .resume = args.resume, .distribute = false, .only = {}, .warned = false, .circuit = {}, .text = {},
                     .params = {}, .sink = {}};
  if (Cluster::rank() > 0) return serve_points(options);  // another MPI rank: rank 0 runs the deck
  Progress progress(err, terminal);
  const RunEvents events{
      .message = [&](const std::string& line) {
        progress.clear();
        err << line << '\n';
      },
      .progress = [&](double fraction, const std::string& detail) { progress.show(fraction, detail); },
      .interrupted = [] { return interrupt_requested().load(); }};
  // A .control script runs first, then what ngspice -b would run after it.
  int status = 0;
  control::Graphs graphs{.dir = args.plots, .draw = draw};
  if (!args.plots.empty()) std::filesystem::create_directories(args.plots);
  if (const auto script = control::run_script(options, events, out, graphs)) {
    progress.clear();
    status = script->status;
    if (script->deck_run) return report(*script->deck_run, out, err), status;
    if (!script->run_deck) return status;
    options.only = script->only;
    options.output.print_kinds = script->printed;
    options.warned = true;
    options.circuit = script->circuit;
    options.interp = script->interp;
  }
  options.distribute = !options.circuit;  // the deck's own run, not a script's (whose circuit the other ranks lack)
  const RunResult result = run(options, events);
  progress.clear();
  report(result, out, err);
  return status;
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
