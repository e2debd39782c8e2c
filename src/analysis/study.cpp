#include "analysis/study.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "analysis/harmonics.hpp"
#include "netlist/deck.hpp"

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

// Runs every analysis of `netlist` into `sinks`, measuring as it goes, and finishes each
// sink after its analysis.
void run_point(const Netlist& netlist, const std::vector<DeckAnalysis>& analyses, const RunOptions& options,
               const std::vector<TraceSink*>& sinks, const std::atomic<bool>& stop, std::atomic<double>& progress,
               PointResult& result, std::unique_ptr<Simulation>* built = nullptr) {
  AnalysisContext context{.netlist = netlist, .every_step = options.every_step,
                          .interp = options.interp || (netlist.deck && interpolated(*netlist.deck)),
                          .statistics = options.stats,
                          .notes = &result.notes, .stop = &stop, .built = built};
  // One point (not .step/.mc, whose points share the threads): -j threads inside it.
  if (built) context.threads = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t n = analyses.size();
  for (std::size_t k = 0; k < n; ++k) {
    context.progress = [&progress, k, n](double f) { progress.store((double(k) + f) / double(n), std::memory_order_relaxed); };
    const auto kind = analyses[k].type->measures;
    bool measured = false;
    for (const auto& m : netlist.measures) measured |= kind == m.analysis;
    const bool fourier = kind == MeasureRequest::Analysis::Tran && !netlist.fourier.empty();
    measured |= fourier;
    Waveform waveform;
    context.waveform = measured ? &waveform : nullptr;
    analyses[k].analysis->run(context, *sinks[k]);
    sinks[k]->finish();
    if (measured)
      for (auto& r : evaluate_measures(netlist.measures, *kind, waveform, netlist.params))
        result.measures.push_back(std::move(r));
    if (fourier)
      for (auto& t : fourier_tables(netlist, waveform, result.notes)) result.printouts.push_back(std::move(t));
  }
}

// Little-endian-agnostic on purpose: journals and messages stay on machines of one kind.
struct Writer {
  std::string out;
  void u64(std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
  void str(const std::string& s) { u64(s.size()); out += s; }
  void strs(const std::vector<std::string>& v) { u64(v.size()); for (const auto& s : v) str(s); }
  void f64s(std::span<const double> v) { u64(v.size()); for (double x : v) f64(x); }
};

struct Reader {
  const std::string& in;
  std::size_t at = 0;
  std::uint64_t u64() {
    if (at + 8 > in.size()) throw SimulationError("a point's result arrived cut short");
    std::uint64_t v;
    std::memcpy(&v, in.data() + at, 8);
    at += 8;
    return v;
  }
  std::size_t count() {
    const std::uint64_t n = u64();
    if (n > in.size() - at) throw SimulationError("a point's result arrived garbled");
    return static_cast<std::size_t>(n);
  }
  double f64() { return std::bit_cast<double>(u64()); }
  std::string str() {
    const std::size_t n = count();
    std::string s = in.substr(at, n);
    at += n;
    return s;
  }
  std::vector<std::string> strs() {
    std::vector<std::string> v(count());
    for (auto& s : v) s = str();
    return v;
  }
  std::vector<double> f64s() {
    std::vector<double> v(count());
    for (auto& x : v) x = f64();
    return v;
  }
};

}  // namespace

bool drop_print_items(std::vector<ProbeRequest>& outputs, const Deck& deck) {
  std::set<std::pair<std::string, int>> lines;
  for (const Card* c : deck.controls)
    if (c->keyword() == ".print" && c->file)
      for (const auto& segment : c->segments) lines.insert({*c->file, segment.line});
  const std::size_t before = outputs.size();
  std::erase_if(outputs, [&](const ProbeRequest& p) { return p.where.file && lines.count({*p.where.file, p.where.line}) > 0; });
  return outputs.size() < before;
}

bool interpolated(const Deck& deck) {
  bool on = false;  // the last card's word wins: interp, interp=1, interp=0
  for (const Card* c : deck.controls) {
    const std::string k = c->keyword();
    if (k != ".options" && k != ".option" && k != ".opt") continue;
    const auto& t = c->tokens;
    for (std::size_t i = 1; i < t.size(); ++i)
      if (t[i].kind == Token::Kind::Word && t[i].text == "interp")
        on = !(i + 2 < t.size() && t[i + 1].kind == Token::Kind::Equals && t[i + 2].text == "0");
  }
  return on;
}

void drop_printed(Netlist& netlist, const Deck& deck, const OutputRequest& output,
                  const std::function<void(const std::string&)>& say) {
  if (output.path.empty() || format_of(output) == Format::Csv || !drop_print_items(netlist.outputs, deck)) return;
  if (say)
    say(fmt::format("note: the .print lines choose none of the vectors in {} (as ngspice -b -r's raw file)",
                    output.path));
}

Study prepare(const RunOptions& options, const std::function<void(const std::string&)>& say) {
  Study s;
  s.deck = options.text.empty() ? read_deck(options.output.netlist)
                                 : read_deck_text(options.text, options.output.netlist);
  s.netlist = options.circuit ? *options.circuit : elaborate(*s.deck, options.params);
  const auto& deck_seed = s.netlist.options.deck_seed;
  s.seed = options.seed_given || !deck_seed ? options.seed : *deck_seed;
  s.netlist.options.seed = s.seed;  // transient device noise draws from it
  Netlist& netlist = s.netlist;
  if (!options.warned && say)
    for (const auto& w : netlist.warnings) say(w);
  if (!options.circuit) drop_printed(netlist, *s.deck, options.output, say);
  const bool deck_has_analyses = !netlist.analyses.empty();
  if (!options.only.empty())
    std::erase_if(netlist.analyses, [&](const ControlCard& c) {
      return std::find(options.only.begin(), options.only.end(), c.name) == options.only.end();
    });
  const Location deck_start{std::make_shared<const std::string>(options.output.netlist), 1, 1};
  if (netlist.elements.empty() && deck_has_analyses)
    throw InputError(deck_start, "the circuit has no elements: nothing to simulate");
  if (netlist.analyses.empty()) {
    Circuit circuit(netlist);  // the deck's own errors first, then what it lacks
    if (deck_has_analyses) throw InputError(deck_start, "none of the deck's analyses is among those asked for");
    // A circuit without analyses (or a file of subcircuits alone) is a deck for other decks
    // to include or a script to drive: ngspice -b reads it, runs nothing and exits 0
    // (ngspice 39, the corpus's MC_2_circ.sp and pll/vco_sub.cir).
    if (say)
      say(fmt::format("{}: warning: no analysis in the deck (.op, .dc, .tran, .ac, .tf...){}: nothing is simulated",
                      deck_start.str(), netlist.elements.empty() ? " and no elements" : ""));
    return s;
  }
  s.analyses = read_analyses(netlist);
  s.stepped = is_stepped(netlist);
  s.points = step_points(netlist);
  constexpr std::size_t max_points = 1'000'000;
  if (s.points.size() > max_points)
    throw InputError(netlist.steps.empty() ? netlist.monte_carlo.where : netlist.steps.front().knob.where,
                     fmt::format("the .step/.mc cards make {} points (at most {})", s.points.size(), max_points));
  // Check the first point's circuit before running anything. A plain run goes on with the
  // circuit built for the check.
  auto warn = [&](const Simulation& checked) {
    if (!options.warned && say)
      for (const auto* ws : {&checked.circuit->warnings(), &checked.warnings})
        for (const auto& w : *ws) say(w);
  };
  if (s.stepped) {
    const Netlist first = netlist_at(netlist, s.points.front(), s.seed);
    warn(*validate(first, read_analyses(first), s.points.size()));
  } else {
    s.built = validate(netlist, s.analyses, s.points.size());
    warn(*s.built);
  }
  return s;
}

PointResult compute_point(Study& study, std::size_t k, const RunOptions& options, const std::vector<TraceSink*>& sinks,
                          const std::atomic<bool>& stop, std::atomic<double>& progress) {
  PointResult point;
  try {
    if (stop) throw Interrupted("interrupted before it started");
    if (study.stepped) {
      point.tables.resize(study.analyses.size());
      std::vector<TraceSink*> own;
      for (auto& t : point.tables) own.push_back(&t);
      const Netlist at = netlist_at(study.netlist, study.points[k], study.seed);
      run_point(at, read_analyses(at), options, own, stop, progress, point);
    } else {
      run_point(study.netlist, study.analyses, options, sinks, stop, progress, point, &study.built);
    }
  } catch (...) {
    point.error = std::current_exception();
  }
  point.done = true;
  return point;
}

std::string encode(const PointResult& result) {
  Writer w;
  w.u64(result.tables.size());
  for (const TraceTable& t : result.tables) {
    w.u64(t.complex());
    if (t.complex()) {
      w.strs(t.vectors());
      w.strs(t.vector_units());
      w.u64(t.parts().size());
      for (const RealPart& p : t.parts()) {
        w.u64(static_cast<std::uint64_t>(p.kind));
        w.u64(p.vector);
        w.str(p.name);
      }
      w.u64(t.complex_rows().size());
      for (const auto& r : t.complex_rows()) {
        w.u64(r.size());
        for (const auto& z : r) {
          w.f64(z.real());
          w.f64(z.imag());
        }
      }
    } else {
      w.strs(t.columns());
      w.strs(t.units());
      w.u64(t.rows().size());
      for (const auto& r : t.rows()) w.f64s(r);
    }
    w.u64(t.summary().has_value());
    if (const auto& s = t.summary()) {
      w.str(s->plot);
      w.strs(s->columns);
      w.strs(s->units);
      w.f64s(s->values);
    }
  }
  w.u64(result.measures.size());
  for (const auto& m : result.measures) {
    w.str(m.name);
    w.u64(m.value.has_value());
    w.f64(m.value.value_or(0));
    w.str(m.failure);
  }
  w.strs(result.notes);
  w.strs(result.printouts);
  // 0: no error, 1: failed, 2: interrupted
  std::uint64_t error = 0;
  std::string message;
  if (result.error) try {
      std::rethrow_exception(result.error);
    } catch (const Interrupted& e) {
      error = 2, message = e.what();
    } catch (const std::exception& e) {
      error = 1, message = e.what();
    } catch (...) {
      error = 1, message = "unknown failure";
    }
  w.u64(error);
  w.str(message);
  return std::move(w.out);
}

PointResult decode(const std::string& bytes) {
  Reader r{bytes};
  PointResult result;
  result.tables.resize(r.count());
  for (TraceTable& t : result.tables) {
    if (r.u64()) {
      const auto vectors = r.strs();
      const auto units = r.strs();
      std::vector<RealPart> parts(r.count());
      for (auto& p : parts) {
        p.kind = static_cast<RealPart::Kind>(r.u64());
        p.vector = r.u64();
        p.name = r.str();
      }
      t.begin_complex(vectors, units, parts);
      const std::size_t rows = r.count();
      for (std::size_t k = 0; k < rows; ++k) {
        std::vector<std::complex<double>> row(r.count());
        for (auto& z : row) {
          const double re = r.f64();
          z = {re, r.f64()};
        }
        t.complex_row(row);
      }
    } else {
      const auto columns = r.strs();
      const auto units = r.strs();
      t.begin(columns, units);
      const std::size_t rows = r.count();
      for (std::size_t k = 0; k < rows; ++k) t.row(r.f64s());
    }
    if (r.u64()) {
      const std::string plot = r.str();
      const auto columns = r.strs();
      const auto units = r.strs();
      t.summary(plot, columns, units, r.f64s());
    }
  }
  result.measures.resize(r.count());
  for (auto& m : result.measures) {
    m.name = r.str();
    const bool has = r.u64();
    const double v = r.f64();
    if (has) m.value = v;
    m.failure = r.str();
  }
  result.notes = r.strs();
  result.printouts = r.strs();
  const std::uint64_t error = r.u64();
  const std::string message = r.str();
  if (error == 2) result.error = std::make_exception_ptr(Interrupted(message));
  else if (error == 1) result.error = std::make_exception_ptr(SimulationError(message));
  result.done = true;
  return result;
}

std::uint64_t study_identity(const Study& study, const RunOptions& options) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  auto add = [&h](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    h = (h ^ 0xff) * 0x100000001b3ULL;  // a separator, so "ab","c" differs from "a","bc"
  };
  for (const Card& c : study.deck->cards) add(c.text);
  for (const auto& o : options.only) add(o);
  add(fmt::format("seed {} points {} every_step {} stats {}", study.seed, study.points.size(), options.every_step,
                  options.stats));
  return h;
}

}  // namespace ns
