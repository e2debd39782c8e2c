#include "cli/app.hpp"

#include <filesystem>
#include <map>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "analysis/analysis.hpp"
#include "circuit/registry.hpp"
#include "netlist/frontend.hpp"

namespace ns {

namespace {

constexpr const char* usage = R"(usage: neurospice [options] NETLIST

Runs every analysis (.op, .dc, .tran) in the SPICE netlist.

options:
  -o, --output FILE.csv  write the results as CSV. With one analysis in the deck they go
                         to FILE.csv; with several, analysis k of kind K (op, dc, tran)
                         goes to FILE.K.csv, or FILE.K1.csv, FILE.K2.csv ... when a kind
                         occurs more than once.
                         Without -o, .op results print as a table on stdout and dc/tran
                         results go to NETLIST-STEM.K.csv (same numbering) in the current
                         directory.
  --every-step           also write a transient row at every step the integrator accepts
                         (rows are always written at every multiple of tstep)
  --stats               report the integrator's work (steps, iterations, failures)
  --describe TYPE        print a device type's terminals and parameter table and exit
                         (--describe all lists every type)
  --help                 print this text and exit
  --version              print the version and exit

Output columns: the .print/.save/.probe items (v(a), v(a,b), i(vsrc), @dev[quantity]),
or by default every node voltage and every voltage-source current. While a file is being
written it is named FILE.csv.partial; it is renamed to FILE.csv when the analysis completes,
so a failed or interrupted run leaves only a file whose name says it is partial.

exit status: 0 success, 1 the simulation failed, 2 bad input or usage.
)";

struct Arguments {
  std::string netlist, output, describe;
  bool every_step = false, stats = false, help = false, version = false;
};

Arguments parse_arguments(const std::vector<std::string>& args) {
  Arguments a;
  for (std::size_t k = 0; k < args.size(); ++k) {
    const std::string& arg = args[k];
    auto value = [&]() -> const std::string& {
      if (k + 1 >= args.size()) throw InputError({}, fmt::format("option '{}' needs a value", arg));
      return args[++k];
    };
    if (arg == "-o" || arg == "--output") a.output = value();
    else if (arg == "--every-step") a.every_step = true;
    else if (arg == "--stats") a.stats = true;
    else if (arg == "--describe") a.describe = value();
    else if (arg == "--help" || arg == "-h") a.help = true;
    else if (arg == "--version") a.version = true;
    else if (arg.size() > 1 && arg[0] == '-') throw InputError({}, fmt::format("unknown option '{}' (see --help)", arg));
    else if (!a.netlist.empty()) throw InputError({}, "more than one netlist given (see --help)");
    else a.netlist = arg;
  }
  if (a.netlist.empty() && !a.help && !a.version && a.describe.empty())
    throw InputError({}, "no netlist given (see --help)");
  return a;
}

const char* kind_of(const Analysis& a) {
  return std::visit([](const auto& x) -> const char* {
    using T = std::decay_t<decltype(x)>;
    if constexpr (std::is_same_v<T, OpAnalysis>) return "op";
    else if constexpr (std::is_same_v<T, DcAnalysis>) return "dc";
    else return "tran";
  }, a);
}

// File names per analysis, as --help describes.
std::vector<std::string> output_paths(const Arguments& args, const std::vector<Analysis>& analyses) {
  std::map<std::string, int> total, seen;
  for (const auto& a : analyses) ++total[kind_of(a)];
  const bool given = !args.output.empty();
  std::filesystem::path base = given ? std::filesystem::path(args.output)
                                     : std::filesystem::path(args.netlist).filename();
  const std::string extension = given && base.has_extension() ? base.extension().string() : ".csv";
  const std::string stem = (base.parent_path() / base.stem()).string();
  std::vector<std::string> paths;
  for (const auto& a : analyses) {
    const std::string kind = kind_of(a);
    const int index = ++seen[kind];
    if (!given && kind == "op") paths.emplace_back();  // printed as a table
    else if (given && analyses.size() == 1) paths.push_back(args.output);
    else paths.push_back(fmt::format("{}.{}{}{}", stem, kind, total[kind] > 1 ? std::to_string(index) : "", extension));
  }
  return paths;
}

void print_table(const TraceTable& table, std::ostream& out) {
  std::size_t width = 0;
  for (const auto& c : table.columns()) width = std::max(width, c.size());
  for (std::size_t k = 0; k < table.columns().size(); ++k)
    fmt::print(out, "{:<{}}  {:.9g}\n", table.columns()[k], width, table.rows().at(0).at(k));
}

// Everything that can be checked before simulating: the circuit of every analysis builds,
// its outputs exist, and swept sources and parameters exist.
void validate(const Netlist& netlist, const AnalysisContext& context) {
  Simulation sim(netlist);
  (void)node_values(sim, netlist.ic);
  (void)node_values(sim, netlist.nodeset);
  for (const auto& a : netlist.analyses)
    if (const auto* dc = std::get_if<DcAnalysis>(&a))
      for (const Sweep& s : dc->sweeps) {
        if (s.target == Sweep::Target::Source) {
          Device* d = sim.circuit->find_device(s.name);
          if (!d || !d->set_sweep_value(s.points.at(0)))
            throw InputError(s.where, fmt::format("'{}' is not an independent source that .dc can sweep", s.name));
        } else if (s.target == Sweep::Target::Param) {
          (void)context.elaborate({{s.name, s.points.at(0)}});
        }
      }
}

int simulate(const Arguments& args, std::ostream& out, std::ostream& err) {
  const auto deck = read_deck(args.netlist);
  const Netlist netlist = elaborate(*deck);
  for (const auto& w : netlist.warnings) err << w << '\n';
  if (netlist.analyses.empty())
    throw InputError(Location{std::make_shared<const std::string>(args.netlist), 0, 0},
                     "no analysis in the deck: add .op, .dc or .tran");
  std::vector<std::string> notes;
  AnalysisContext context{netlist, [&](const std::map<std::string, double>& p) { return elaborate(*deck, p); },
                          args.every_step, args.stats, &notes};
  validate(netlist, context);

  const std::vector<std::string> paths = output_paths(args, netlist.analyses);
  for (std::size_t k = 0; k < netlist.analyses.size(); ++k) {
    const Analysis& analysis = netlist.analyses[k];
    TraceTable table;
    CsvFile file(paths[k]);
    TraceSink& sink = paths[k].empty() ? static_cast<TraceSink&>(table) : file;
    notes.clear();
    try {
      std::visit([&](const auto& a) {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, OpAnalysis>) run_op(context, sink);
        else if constexpr (std::is_same_v<T, DcAnalysis>) run_dc(context, a, sink);
        else run_tran(context, a, sink);
      }, analysis);
    } catch (const SimulationError&) {
      for (const auto& n : notes) err << "note: " << n << '\n';
      if (!paths[k].empty() && std::filesystem::exists(file.partial_path()))
        err << fmt::format("note: the rows computed before the failure are in '{}'\n", file.partial_path());
      throw;
    }
    for (const auto& n : notes) err << "note: " << n << '\n';
    if (paths[k].empty()) print_table(table, out);
    else err << fmt::format("{}: wrote {} ({} rows)\n", kind_of(analysis), paths[k], file.rows());
  }
  return 0;
}

}  // namespace

int run_app(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  std::string who = "neurospice";  // the netlist, once known: failures name it
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
    return simulate(args, out, err);
  } catch (const InputError& e) {
    if (e.where().file) err << e.what() << '\n';
    else err << "neurospice: error: " << e.message() << '\n';
    return 2;
  } catch (const SimulationError& e) {
    err << who << ": error: " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    err << who << ": error: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace ns
