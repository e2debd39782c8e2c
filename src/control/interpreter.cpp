// The interpreter: variables, plots of vectors, commands and flow. Semantics follow
// `ngspice -b` as observed (README, "Control scripts"); what is not interpreted is
// reported once per command and skipped, as ngspice does.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <regex>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "analysis/analysis.hpp"
#include "analysis/step.hpp"
#include "analysis/study.hpp"
#include "circuit/circuit.hpp"
#include "circuit/probe.hpp"
#include "circuit/registry.hpp"
#include "control/control.hpp"
#include "control/deck_run.hpp"
#include "control/device_vectors.hpp"
#include "control/graphs.hpp"
#include "control/script.hpp"
#include "control/sensitivity.hpp"
#include "control/show.hpp"
#include "control/fourier.hpp"
#include "control/spectrum.hpp"
#include "control/stops.hpp"
#include "control/vectors.hpp"
#include "expr/expression.hpp"
#include "netlist/frontend.hpp"
#include "netlist/knob.hpp"
#include "output/listing.hpp"
#include "output/sink.hpp"
#include "netlist/ascii.hpp"

namespace ns::control {

namespace {

using Kind = Statement::Kind;

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i == text.size()) break;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t') ++j;
    out.emplace_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

// The words of a command's text as ngspice's csh-like reader splits them: on blanks, a
// quoted run ("a  b") one word with its quotes kept, and each of `alone` a word by itself.
std::vector<std::string> shell_words(std::string_view text, std::string_view alone) {
  std::vector<std::string> w;
  bool open = false;  // a word is being read
  char quote = 0;
  for (char c : text) {
    if (quote) {
      w.back() += c;
      if (c == quote) quote = 0;
    } else if (alone.find(c) != std::string_view::npos) {
      w.emplace_back(1, c);
      open = false;
    } else if (c == ' ' || c == '\t') {
      open = false;
    } else {
      if (!open) w.emplace_back();
      w.back() += c;
      open = true;
      if (c == '"' || c == '\'') quote = c;
    }
  }
  return w;
}

// The deck's analyses in the order ngspice's `run` does them, whatever their order in the
// deck: ac, dc, op, tran, pz, tf, noise, sens (measured on ngspice 39), deck order within a
// kind. Scripts name the plots that order gives: with .noise and .tran in a deck, `run`
// makes tran1 before noise1 and noise2, and `setplot tran1` follows.
std::ptrdiff_t run_rank(const ControlCard& c) {
  static constexpr std::array<std::string_view, 8> order{".ac", ".dc", ".op", ".tran", ".pz", ".tf", ".noise", ".sens"};
  return std::ranges::find(order, c.name) - order.begin();
}
std::vector<ControlCard> in_run_order(const std::vector<ControlCard>& cards) {
  std::vector<ControlCard> sorted = cards;
  std::ranges::stable_sort(sorted, {}, run_rank);
  return sorted;
}

std::string unquote(std::string s) {
  std::erase(s, '"');
  std::erase(s, '\'');
  return s;
}

// A set of vectors: an analysis' table (the plot's data) and the script's own vectors.
struct Plot {
  std::string name;   // tran1, dc2, op1, const
  std::string title;  // the circuit's title line, "Constant values", "Anonymous"
  std::string type;   // "Transient Analysis", "constants", "unknown"
  std::string date = ngspice_date();  // when it was made, as print's heading shows it
  std::shared_ptr<const TraceTable> table;
  std::string scale;  // ngspice's name of the table's first column: time, v-sweep
  double tstep = 0, tstart = 0, tstop = 0;  // a transient's, for linearize
  std::map<std::string, Vector> vectors;
  std::string scale_vector;  // setscale's: one of `vectors` that is the plot's scale instead

  bool has_scale() const { return table && !table->columns().empty(); }
  // The scale print, wrdata, write and deriv go along: setscale's vector, or the table's first column.
  std::optional<Vector> scale_values() const {
    if (!scale_vector.empty()) return find(scale_vector);
    if (has_scale()) return column(0);
    return std::nullopt;
  }
  std::string scale_name() const { return scale_vector.empty() ? scale : scale_vector; }
  Vector column(std::size_t k) const {
    Vector v;
    for (const auto& row : table->rows()) v.push_back(row.at(k));
    return v;
  }
  // A vector by name; a device inside a subcircuit also by ngspice's spelling, its letter
  // first: i(v.x1.vs) and v.x1.vs#branch are our i(x1.vs).
  std::optional<Vector> find(const std::string& name) const {
    std::optional<Vector> found;  // the last spelling tried: the one found, or none
    our_spelling(name, [&](const std::string& n) { return (found = find_as_named(n)).has_value(); });
    return found;
  }
  // After the script's `save a v1#branch`: the columns of those names (v(a), i(v1)); the
  // plot's other columns are not among its vectors for print all and display. Empty: all.
  std::set<std::string> saved;
  bool all_saved = false;  // `save all @m1[id]`: every node and source current, and those quantities
  void keep_only(const std::set<std::string>& names) {
    all_saved = names.count("all") > 0;
    for (const std::string& w : names) {
      if (all_saved && w[0] != '@') continue;
      const std::string ours = our_spelling(w, [&](const std::string& n) { return find_as_named(n).has_value(); });
      saved.insert({ours, "v(" + ours + ")"});
      if (ours.size() > 7 && ours.ends_with("#branch")) saved.insert("i(" + ours.substr(0, ours.size() - 7) + ")");
    }
  }
  std::optional<Vector> find_as_named(const std::string& name) const {
    if (const auto it = vectors.find(name); it != vectors.end()) return it->second;
    if (!table) return std::nullopt;
    const auto& columns = table->columns();
    auto index = [&](const std::string& label) -> std::optional<std::size_t> {
      for (std::size_t k = 0; k < columns.size(); ++k)
        if (columns[k] == label) return k;
      return std::nullopt;
    };
    if (const auto k = index(name)) return column(*k);
    if (name == scale && has_scale()) return column(0);
    if (table->complex()) {
      if (auto v = part(name)) return v;
      return part("v(" + name + ")");  // a node by its bare name
    }
    if (const auto hash = name.find("#branch"); hash != std::string::npos)
      if (const auto k = index("i(" + name.substr(0, hash) + ")")) return column(*k);
    if (const auto k = index("v(" + name + ")")) return column(*k);  // a node by its bare name
    if (name.starts_with("v(") && name.find(',') != std::string::npos) {  // v(a,b) = v(a) - v(b)
      const std::size_t comma = name.find(',');
      const std::string a = name.substr(2, comma - 2), b = name.substr(comma + 1, name.size() - comma - 2);
      const auto va = b == "0" || a.empty() ? std::nullopt : find("v(" + a + ")");
      const auto vb = find("v(" + b + ")");
      if (va && (vb || b == "0")) {
        Vector d = *va;
        if (vb) for (std::size_t k = 0; k < d.size(); ++k) d[k] -= (*vb)[k];
        return d;
      }
    }
    return std::nullopt;
  }

  // In an .ac plot: v(out) as its phasors, vdb(out) and the other parts from them.
  std::optional<Vector> part(const std::string& name) const {
    const auto open = name.find('(');
    if (open == std::string::npos || open < 1 || (name[0] != 'v' && name[0] != 'i')) {  // buf: a vector by its name
      const auto& vectors = table->vectors();
      const auto at = std::find(vectors.begin(), vectors.end(), name);
      if (at == vectors.begin() || at == vectors.end()) return std::nullopt;
      Vector v;
      for (const auto& row : table->complex_rows())
        v.push_back(row[std::size_t(at - vectors.begin())].real()), v.imag.push_back(row[std::size_t(at - vectors.begin())].imag());
      return v;
    }
    const std::string form = name.substr(1, open - 1), vector = name.substr(0, 1) + name.substr(open);
    static const std::map<std::string, RealPart::Kind> kinds = {
        {"m", RealPart::Kind::Magnitude}, {"p", RealPart::Kind::Phase}, {"db", RealPart::Kind::Db},
        {"r", RealPart::Kind::Real}, {"i", RealPart::Kind::Imag}};
    const auto kind = kinds.find(form);
    const auto& vectors = table->vectors();
    const auto at = std::find(vectors.begin(), vectors.end(), kind == kinds.end() ? name : vector);
    if (at == vectors.end()) return std::nullopt;
    const std::size_t column = std::size_t(at - vectors.begin());
    Vector v;
    if (kind == kinds.end()) {
      for (const auto& row : table->complex_rows()) v.push_back(row[column].real()), v.imag.push_back(row[column].imag());
      return v;
    }
    const RealPart part{kind->second, column, name};
    for (const auto& row : table->complex_rows()) v.push_back(part.of(row[part.vector]));
    return v;
  }
};

enum class Flow { Next, Break, Continue, Quit, Goto };  // Goto: to goto_, searched outwards

// A loop over max_iterations: ends the script, unlike a failed command.
struct LoopLimit : InputError {
  using InputError::InputError;
};

class Interpreter {
public:
  Interpreter(const RunOptions& options, const RunEvents& events, std::ostream& out,
              std::shared_ptr<const Deck> deck, Graphs graphs)
      : options_(options), events_(events), out_(&out), deck_(std::move(deck)), graphs_(std::move(graphs)) {
    auto constants = std::make_unique<Plot>();
    constants->name = "const";
    constants->title = "Constant values";
    constants->type = "constants";
    for (const auto& [name, value] : std::initializer_list<std::pair<const char*, double>>{
             {"pi", M_PI}, {"e", M_E}, {"c", 299792458.0}, {"kelvin", -273.15}, {"echarge", 1.602176634e-19},
             {"boltz", 1.380649e-23}, {"planck", 6.62607015e-34}, {"yes", 1}, {"no", 0}, {"true", 1}, {"false", 0}})
      constants->vectors[name] = {value};
    constants->vectors["i"] = {0.0};  // ngspice's constant i, the imaginary unit
    constants->vectors["i"].imag = {1.0};
    const_ = constants.get();
    current_ = const_;
    plots_.push_back(std::move(constants));
    // The variables ngspice -b starts with that decks test: batchmode, the deck's folder
    // as it was given (".", "sub", "/abs/dir"), the OS code (6: Linux).
    const std::string folder = std::filesystem::path(options_.output.netlist).parent_path().string();
    variables_ = {{"batchmode", ""}, {"inputdir", folder.empty() ? "." : folder}, {"oscompiled", "6"}};
    booleans_ = {"batchmode"};
    load();
    for (const auto& w : netlist_.warnings) say(w);
    // A deck whose circuit cannot be built is refused before the script runs; its model
    // warnings (a parameter a model does not have) are the plain run's, said once.
    const Simulation checked(netlist_);
    for (const auto* ws : {&checked.circuit->warnings(), &checked.warnings})
      for (const auto& w : *ws) say(w);
  }

  ScriptResult run(const std::vector<Statement>& script) {
    ScriptResult result;
    const Flow flow = block(script);
    if (flow == Flow::Goto) throw InputError(goto_->second, fmt::format("'goto {}': no 'label {}'", goto_->first, goto_->first));
    // quit N sets the status (ngspice), but never hides a command that failed here.
    result.status = std::max(quit_status_.value_or(0), failed_ ? 1 : 0);
    if (flow == Flow::Quit || netlist_.analyses.empty()) return result;
    // ngspice -b -r FILE runs every dot-analysis after the script into FILE (measured on
    // ngspice 39; those the script typed, `tran 1n 1u`, stay in its plots): -o's file
    // holds the deck's run as it would without the .control block.
    if (!options_.output.path.empty()) {
      // ngspice's run after the script takes the circuit as the script left it. The
      // deck's own .save/.probe and the script's save lines choose the file's vectors, not
      // what the script saw.
      if (!removed_) {
        auto circuit = std::make_shared<Netlist>(netlist_);
        circuit->outputs = deck_outputs_;
        drop_printed(*circuit, *deck_, options_.output, [this](const std::string& note) { say(note); });
        circuit->outputs = with_saves(*circuit);
        result.interp = interp();  // `set interp`: ngspice's raw file too
        result.deck_run = reuse_deck_run(*circuit);
        result.circuit = std::move(circuit);
      }
      result.run_deck = !result.deck_run;
      return result;
    }
    bool printed = !netlist_.measures.empty();
    for (const Card& c : deck_->cards) {
      printed |= c.keyword() == ".print" || c.keyword() == ".plot" || c.keyword() == ".four";
      if (c.keyword() == ".print" && c.tokens.size() > 1) result.printed.push_back(lower(c.tokens[1].text));
    }
    bool op = false;
    for (const ControlCard& a : netlist_.analyses) op |= a.name == ".op";
    result.run_deck = printed || op;
    if (!printed) result.only = {".op"};
    return result;
  }

private:
  // The deck elaborated again: the alterparam values, a new random draw (ngspice draws
  // agauss() and its kin again at every reset), alter and altermod forgotten.
  void load() {
    std::vector<std::pair<Knob, double>> knobs;
    for (const auto& [name, value] : alterparams_) knobs.push_back({Knob{Knob::Kind::Param, name, "", name, {}}, value});
    netlist_ = elaborate_at(*deck_, knobs, random_stream(seed_, ++loads_));
    removed_ = false;
    ++version_;
    deck_outputs_ = netlist_.outputs;
    deck_saves_.clear();
    std::vector<ProbeRequest> saves = deck_outputs_;
    drop_print_items(saves, *deck_);
    for (const ProbeRequest& p : saves) deck_saves_.insert(p.label);
    // The script sees every node and source current, as ngspice's plots hold them, unless
    // the deck asks for device probes (a .save of @n1[t]): then what it asks for.
    bool plain = true;
    deck_quantities_.clear();
    for (const ProbeRequest& p : netlist_.outputs) {
      plain &= p.kind != ProbeRequest::Kind::Device && p.b.empty();
      if (p.kind == ProbeRequest::Kind::Device) deck_quantities_.insert(p.label);
    }
    if (plain) netlist_.outputs = with_quantities();
    for (const auto& line : option_lines_) read_options_line(line.first, line.second, netlist_);
    for (const auto& [name, value] : netlist_.csparams) const_->vectors[name] = {value};
  }

  // The outputs of a run of `circuit` after the script (-o's file): its own, and what the
  // script's save lines name, as ngspice's save list holds both (a name that is no node,
  // source or quantity is left out, as ngspice leaves it; `save all`: every node and
  // source current, and the quantities named).
  std::vector<ProbeRequest> with_saves(const Netlist& circuit) {
    if (save_lines_.empty()) return circuit.outputs;
    Netlist saved = circuit;
    bool all = false;
    for (const auto& [text, where] : save_lines_) {
      all |= std::ranges::count(words(lower(text)), std::string("all")) > 0;
      read_save_line(lower(text), where, saved);
    }
    const Circuit built(saved);
    std::vector<ProbeRequest> out;
    for (ProbeRequest& p : saved.outputs) {
      try {
        make_probes(built, {p});
      } catch (const InputError& e) {
        say(fmt::format("{}: warning: 'save {}' names nothing to save: left out ({})", p.where.str(), p.label, e.message()));
        continue;
      }
      if (!all || p.kind == ProbeRequest::Kind::Device) out.push_back(std::move(p));
    }
    if (!all || out.empty()) return out;
    std::vector<ProbeRequest> every = every_node_and_current(built);
    every.insert(every.end(), out.begin(), out.end());
    return every;
  }

  // What ngspice saves without a save list: every node voltage (not a device's internal
  // node) and every branch current, in make_probes's default order.
  static std::vector<ProbeRequest> every_node_and_current(const Circuit& circuit) {
    const auto& unknowns = circuit.tables().unknowns;
    std::vector<ProbeRequest> out;
    for (std::size_t u = 0; u < unknowns.size(); ++u)
      if (unknowns[u].kind == UnknownKind::Voltage && !unknowns[u].internal_node())
        out.push_back({ProbeRequest::Kind::Voltage, unknowns[u].name, "", "v(" + unknowns[u].name + ")", {}, {}, {}});
    for (const auto& [device, u] : circuit.tables().branches)
      out.push_back({ProbeRequest::Kind::Current, device, "", unknowns.at(std::size_t(u)).name, {}, {}, {}});
    return out;
  }

  // The outputs of the script's analyses when it names device quantities (@m1[id], in
  // any line, as ngspice's save would): every node and source current, as by default,
  // and those quantities after them. None (the default set) when it names none.
  std::vector<ProbeRequest> with_quantities() {
    std::vector<ProbeRequest> quantities;
    static const std::regex at(R"(@([^\s\[\]()=,]+)\[([a-z0-9_]+)\])");
    auto add = [&](const std::string& device, const std::string& quantity) {
      if (auto r = quantity_request(netlist_, device_name(netlist_, device), quantity))
        if (std::none_of(quantities.begin(), quantities.end(), [&](const auto& q) { return q.label == r->label; }))
          quantities.push_back(std::move(*r));
    };
    for (const ScriptLine& line : deck_->script) {
      const std::string text = lower(line.text);
      for (std::sregex_iterator it(text.begin(), text.end(), at), end; it != end; ++it) add((*it)[1], (*it)[2]);
      // show q1 q2 : gm gpi asks for those quantities of those devices
      const std::vector<std::string> w = words(text);
      if (const std::size_t colon = text.find(':'); !w.empty() && w[0] == "show" && colon != std::string::npos)
        for (const std::string& device : words(text.substr(4, colon - 4)))
          for (const std::string& quantity : words(text.substr(colon + 1))) add(device, quantity);
    }
    if (quantities.empty()) return {};
    std::vector<ProbeRequest> out = every_node_and_current(Circuit(netlist_));
    out.insert(out.end(), quantities.begin(), quantities.end());
    return out;
  }

  // @dev[param]: a quantity the current plot holds, the swept value of a .dc's source,
  // or the parameter's value now (device_vectors.hpp).
  std::optional<Vector> at_vector(const std::string& name) const {
    const auto parts = split_at_name(name);
    if (!parts) return std::nullopt;
    const std::string device = device_name(netlist_, parts->first);
    if (auto v = current_->find(fmt::format("@{}[{}]", device, parts->second))) return v;
    // ngspice's dc plot holds @v1[dc] (the swept values) when the script saved it;
    // otherwise the name reads the source's own value, as after the sweep.
    if (current_->type == "DC transfer characteristic" && current_->has_scale() && parts->second == "dc" &&
        current_->table->columns().front() == device && saved_.count(fmt::format("@{}[dc]", parts->first)))
      return current_->column(0);
    return parameter_value(netlist_, device, parts->second);
  }

  void say(const std::string& line) const {
    if (events_.message) events_.message(line);
  }
  void error(const Location& where, const std::string& message) {
    say(fmt::format("{}: error: {}", where.str(), message));
    failed_ = true;
  }

  // $name, $&vector, $?name: ngspice's substitutions, before a line is read.
  std::string substitute(const std::string& text, const Location& where) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '$' || i + 1 == text.size()) {
        out += text[i];
        continue;
      }
      std::size_t j = i + 1;
      const char mode = text[j] == '&' || text[j] == '?' || text[j] == '#' ? text[j++] : 0;
      const std::size_t start = j;
      while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_' ||
                                 (mode == '&' && (text[j] == '#' || text[j] == '@'))))
        ++j;
      if (mode == '&' && j < text.size() && text[j] == '(') j = std::min(text.find(')', j) + 1, text.size());
      if (mode == '&' && j < text.size() && text[j] == '[') j = std::min(text.find(']', j) + 1, text.size());
      const std::string name = lower(text.substr(start, j - start));
      if (name.empty()) {
        out += text.substr(i, j - i);
        i = j - 1;
        continue;
      }
      if (mode == '&') {
        const Vector v = evaluate(name, lookup());
        // ngspice prints them as C's %G: 1E+06, -2.5E-07 (ngspice 39, measured)
        for (std::size_t k = 0; k < v.size(); ++k) out += fmt::format("{}{:G}", k ? " " : "", v[k]);
      } else if (mode == '?') {
        out += variable(name) ? "1" : "0";
      } else if (mode == '#') {  // the number of words of a list variable
        const auto value = variable(name);
        if (!value) throw InputError(where, fmt::format("no variable '{}' for '$#{}'", name, name));
        out += std::to_string(words(*value).size());
      } else if (const auto value = variable(name)) {
        // ngspice's: a variable set without a value reads TRUE; $list[k] is the k-th word
        // (from 1; 0 is the first too), $list[a-b] words a to b, none past the end.
        const std::string text_value = booleans_.count(name) ? "TRUE" : *value;
        const std::size_t close = j < text.size() && text[j] == '[' ? text.find(']', j) : std::string::npos;
        if (close == std::string::npos) {
          out += text_value;
        } else {
          const std::string range = substitute(text.substr(j + 1, close - j - 1), where);
          const std::size_t dash = range.find('-', 1);
          const auto first = parse_number(range.substr(0, dash));
          const auto last = dash == std::string::npos ? first : parse_number(range.substr(dash + 1));
          if (!first || !last) throw InputError(where, fmt::format("'${}[{}]' needs a whole number or a range a-b", name, range));
          const std::vector<std::string> list = words(text_value);
          for (long k = std::max(1L, long(*first)), n = 0; k <= std::max(1L, long(*last)) && k <= long(list.size()); ++k, ++n)
            out += (n ? " " : "") + list[std::size_t(k - 1)];
          j = close + 1;
        }
      } else {
        throw InputError(where, fmt::format("no variable '{}' for '${}'", name, name));
      }
      i = j - 1;
    }
    return braces(out);
  }

  // ngspice's braces after the substitutions: {$n} delimits a name ("n{$n}_t" is n1001_t),
  // {a,b} takes its first word, as ngspice-39 does; a '{' without '}' stays.
  static std::string braces(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const std::size_t close = text[i] == '{' ? text.find('}', i) : std::string::npos;
      if (close == std::string::npos) {
        out += text[i];
        continue;
      }
      const std::string inside = text.substr(i + 1, close - i - 1);
      out += inside.substr(0, inside.find(','));
      i = close;
    }
    return out;
  }

  std::optional<std::string> variable(const std::string& name) const {
    if (name == "curplot") return current_->name;
    if (name == "curplottitle") return current_->title;
    if (const auto it = variables_.find(name); it != variables_.end()) return it->second;
    return std::nullopt;
  }

  Lookup lookup() {
    Lookup l = [this](const std::string& name) -> std::optional<Vector> {
      if (name.empty()) return current_->scale_values();
      if (name[0] == '@') return at_vector(name);
      if (const auto dot = name.find('.'); dot != std::string::npos)
        for (const auto& p : plots_)
          if (p->name == name.substr(0, dot)) {
            if (auto v = p->find(name.substr(dot + 1))) {
              if (p.get() != current_)
                if (auto scale = p->scale_values(); scale && scale->size() == v->size())
                  v->scale = std::make_shared<const std::vector<double>>(scale->begin(), scale->end());
              return v;
            }
            if (name[dot + 1] == '@') {  // dc1.@r1[i]: as @r1[i] read with that plot current
              Plot* const was = std::exchange(current_, p.get());
              auto v = at_vector(name.substr(dot + 1));
              current_ = was;
              if (auto scale = p->scale_values(); v && scale && scale->size() == v->size() && p.get() != current_)
                v->scale = std::make_shared<const std::vector<double>>(scale->begin(), scale->end());
              return v;
            }
          }
      if (auto v = current_->find(name)) return v;
      if (auto v = const_->find(name)) return v;
      // v(foo) of no node foo: the vector foo (ngspice reads `$&v(foo)` of `let foo` so)
      if (name.size() > 3 && name.starts_with("v(") && name.back() == ')' && name.find_first_of(",()", 2) == name.size() - 1) {
        const std::string inner = name.substr(2, name.size() - 3);
        if (const auto it = current_->vectors.find(inner); it != current_->vectors.end()) return it->second;
        if (const auto it = const_->vectors.find(inner); it != const_->vectors.end()) return it->second;
      }
      return std::nullopt;
    };
    l.random = &random_;
    l.define = [this](const std::string& name, Vector v) { current_->vectors[name] = std::move(v); };
    return l;
  }

  bool condition(const Statement& s) {
    const std::string text = expand(substitute(s.rest, s.where));
    if (words(text).empty()) return false;  // `if $x` of x set to "": false, as ngspice (no message)
    const Vector v = evaluate(lower(text), lookup());  // lower: $x of a boolean x reads TRUE
    for (double x : v)
      if (x != 0) return true;
    return false;
  }

  // A goto finds its label in the block it is in or, failing that, in the blocks around it.
  Flow block(const std::vector<Statement>& statements) {
    for (std::size_t k = 0; k < statements.size(); ++k) {
      const Flow flow = statement(statements[k]);
      if (flow == Flow::Goto) {
        const auto label = std::find_if(statements.begin(), statements.end(), [&](const Statement& s) {
          return s.kind == Kind::Command && s.keyword == "label" && words(lower(s.rest)) == std::vector{goto_->first};
        });
        if (label == statements.end()) return flow;
        if (++jumps_ > max_iterations)
          throw LoopLimit(goto_->second, fmt::format("'goto' jumped {} times, the limit on a loop", max_iterations));
        goto_.reset();
        k = std::size_t(label - statements.begin());
        continue;
      }
      if (flow != Flow::Next) return flow;
    }
    return Flow::Next;
  }

  // A loop body's run: Break and Quit leave the loop (Quit passed on), Continue goes on.
  std::optional<Flow> body(const Statement& s, std::size_t& count, bool limited) {
    if (limited && ++count > max_iterations)
      throw LoopLimit(s.where, fmt::format("'{}' stopped after {} iterations, the limit on a loop", s.keyword, max_iterations));
    const Flow flow = block(s.body);
    if (flow == Flow::Break) return Flow::Next;
    if (flow == Flow::Quit || flow == Flow::Goto) return flow;
    return std::nullopt;
  }

  Flow statement(const Statement& s) {
    // A Ctrl-C or kill ends the script, not just the analysis under way: a loop of runs
    // (a Monte Carlo dowhile) would otherwise start its next run and never stop.
    if (interrupted()) throw Interrupted("interrupted");
    try {
      std::size_t count = 0;
      switch (s.kind) {
        case Kind::Break: return Flow::Break;
        case Kind::Continue: return Flow::Continue;
        case Kind::If: {  // a condition that fails (no such vector, empty) is false, as in ngspice
          bool yes = false;
          try {
            if (words(s.rest).empty()) throw VectorError("'if' without a condition: taken as false (as ngspice does)");
            yes = condition(s);
          } catch (const VectorError& e) {
            error(s.where, e.what());
          } catch (const LoopLimit&) {
            throw;
          } catch (const InputError& e) {  // $name of no variable
            error(e.where().file ? e.where() : s.where, e.message());
          }
          return block(yes ? s.body : s.otherwise);
        }
        case Kind::While:
          while (condition(s))
            if (auto f = body(s, count, true)) return *f;
          return Flow::Next;
        case Kind::Dowhile:
          do
            if (auto f = body(s, count, true)) return *f;
          while (condition(s));
          return Flow::Next;
        case Kind::Repeat: {
          const std::string rest = substitute(s.rest, s.where);
          const bool forever = words(rest).empty();
          const double n = forever ? 0 : evaluate(rest, lookup()).at(0);
          for (double k = 0; forever || k < n; ++k)
            if (auto f = body(s, count, forever)) return *f;
          return Flow::Next;
        }
        case Kind::Foreach: {
          const std::vector<std::string> list = words(substitute(s.rest, s.where));
          for (std::size_t k = 1; k < list.size(); ++k) {
            variables_[lower(list[0])] = unquote(list[k]);
            booleans_.erase(lower(list[0]));
            if (auto f = body(s, count, false)) return *f;
          }
          return Flow::Next;
        }
        case Kind::Command: return command(s, s.keyword == "define" ? s.rest : expand(substitute(s.rest, s.where)));
      }
    } catch (const VectorError& e) {
      error(s.where, e.what());
    } catch (const LoopLimit&) {
      throw;
    } catch (const InputError& e) {
      error(e.where().file ? e.where() : s.where, e.message());
    } catch (const Interrupted&) {
      throw;
    } catch (const SimulationError& e) {
      error(s.where, e.what());
    }
    return Flow::Next;
  }

  Flow command(const Statement& s, const std::string& rest) {
    const std::string& k = s.keyword;
    if (k == "quit" || k == "exit") {
      if (!rest.empty()) quit_status_ = static_cast<int>(evaluate(rest, lookup()).at(0));
      return Flow::Quit;
    }
    if (k != "define" && k != "stop" && redirected(rest)) {
      const auto [text, file] = *redirected(rest);
      std::ofstream to(file.first, file.second ? std::ios::app : std::ios::trunc);
      if (!to) throw VectorError(fmt::format("cannot write '{}'", file.first));
      std::ostream* const was = std::exchange(out_, &to);
      try {
        command(s, text);
      } catch (...) {
        out_ = was;
        throw;
      }
      out_ = was;
      return Flow::Next;
    }
    if (k == "goto") {
      const std::vector<std::string> w = words(lower(rest));
      if (w.size() != 1) throw InputError(s.where, "'goto' needs the name of a label");
      goto_ = {w[0], s.where};
      return Flow::Goto;
    }
    if (k == "label") return Flow::Next;
    if (k == "echo") {
      echo(rest);
    } else if (k == "print") {
      // print col | line: ngspice's forms; col is the default table, line one line a vector.
      const std::vector<std::string> w = words(lower(rest));
      const bool line = !w.empty() && w[0] == "line", col = !w.empty() && w[0] == "col";
      const std::string list = line || col ? lower(rest).substr(lower(rest).find(w[0]) + w[0].size()) : lower(rest);
      if (line) print_lines(print_list(list));
      else print(print_list(list));
    } else if (k == "let") {
      let(s, lower(rest));
    } else if (k == "unlet") {
      for (const auto& w : words(lower(rest))) current_->vectors.erase(w), const_->vectors.erase(w);
    } else if (k == "set" || k == "pre_set") {  // pre_set: set before the circuit is read (ours already is)
      // auto_bridge_d_out / d_in are the circuit's, read from the deck's lines as written
      // (netlist/bridge_templates.hpp); here their text is kept for $-substitution.
      static const std::regex bridge(R"(^\s*(auto_bridge_d_(?:out|in))\s*=\s*(.*)$)", std::regex::icase);
      std::smatch m;
      if (std::regex_match(rest, m, bridge)) {
        variables_[lower(m[1].str())] = m[2].str();
      } else {
        set(lower(rest));
        circuit_variables(s, lower(rest));
      }
      if (lower(rest).find("interp") != std::string::npos) ++version_;  // the next run's rows (reuse_deck_run)
    } else if (k == "setcs") {  // set, the case of the values kept (ngspice's fonts)
      set(rest);
    } else if (k == "settype" || k == "rusage") {
      // Vectors have no types here (print and wrdata do not show them); no resource report.
    } else if (k == "strcmp") {  // strcmp VAR A B: VAR is <0, 0 or >0 as A sorts before, with or after B
      const std::vector<std::string> w = words(rest);
      if (w.size() != 3) throw InputError(s.where, "'strcmp' needs a variable and two strings");
      const int c = unquote(w[1]).compare(unquote(w[2]));
      variables_[lower(w[0])] = std::to_string((c > 0) - (c < 0));
    } else if (k == "setseed") {  // the draws from here on, as from --seed N: sunif & co now, agauss & co at reset
      const double n = evaluate(rest, lookup()).at(0);
      if (!(n >= 0 && n < 1.8e19)) throw VectorError(fmt::format("'setseed' needs a whole number of at least 0, not {:g}", n));
      seed_ = static_cast<std::uint64_t>(n);
      loads_ = 0;
      random_ = Random(random_stream(seed_, 0) ^ 0x636f6e74726f6cULL);
    } else if (k == "unset") {
      for (const auto& w : words(lower(rest))) version_ += w == "interp", variables_.erase(w), booleans_.erase(w);
    } else if (k == "op" || k == "dc" || k == "tran" || k == "ac" || k == "noise" || k == "pz" || k == "sp" ||
               k == "tf") {
      analyse(ControlCard{"." + k, s.where, arguments(s, lower(rest))});
    } else if (k == "sens") {
      sens(s, lower(rest));
    } else if (k == "pss") {  // ngspice's, that neurospice does not have: no plot is made
      throw InputError(s.where, "'pss' (periodic steady state) is not an analysis neurospice has; a tran long enough "
                                "reaches the steady state");
    } else if (k == "stop") {
      stops_.push_back(parse_stop(lower(rest), s.where, ++stops_made_));
    } else if (k == "status") {
      for (const Stop& stop : stops_) fmt::print(*out_, "{:<4} {}\n", stop.number, stop.text);
    } else if (k == "delete") {
      for (const std::string& w : words(lower(rest).empty() ? "all" : lower(rest)))
        std::erase_if(stops_, [&](const Stop& stop) { return w == "all" || w == std::to_string(stop.number); });
    } else if (k == "resume") {
      resume(s);
    } else if (k == "listing") {
      listing();
    } else if (k == "show") {
      show(netlist_, lower(rest), *out_, [this](const std::string& device, const std::string& param) {
        return at_vector(fmt::format("@{}[{}]", device, param));
      });
    } else if (k == "shell") {  // a deck from elsewhere runs no program here
      if (warned_.insert(k).second)
        say(fmt::format("{}: warning: 'shell' is not run: neurospice runs no command a deck names ('{}'); the script "
                        "goes on", s.where.str(), rest));
    } else if (k == "run") {
      run_deck();
    } else if (k == "reset" || k == "mc_source") {  // mc_source: the deck again, with new draws, as reset
      if (removed_ && k == "reset") throw VectorError("'reset': no circuit ('remcirc' removed it)");
      load();
    } else if (k == "alter" || k == "altermod") {
      alter(s, lower(rest));
      ++version_;
    } else if (k == "alterparam") {
      alterparam(s, lower(rest));
    } else if (k == "option" || k == "options" || k == "opt") {
      option({lower(rest), s.rest_where});
      ++version_;
    } else if (k == "save") {
      // Our plots keep every node and source current (as `save all`); what the line names
      // (with the deck's .save and .probe) is what the next analyses' print all, display
      // and write list (Plot::keep_only), what -o's file after the script holds
      // (with_saves), and remembered for @source[dc] over a .dc (at_vector).
      for (const auto& w : words(lower(rest))) saved_.insert(w);
      save_lines_.push_back({rest, s.rest_where});
    } else if (k == "meas" || k == "measure") {
      measure(s, lower(rest));
    } else if (k == "wrdata") {
      wrdata(rest);
    } else if (k == "write") {
      write(rest);
    } else if (k == "define") {
      define(s, lower(rest));
    } else if (k == "compose") {
      const std::vector<std::string> w = words(lower(rest));
      if (w.empty()) throw InputError(s.where, "'compose' needs a name");
      const std::string name = w[0];
      Plot* home = current_->vectors.count(name) ? current_ : const_->vectors.count(name) ? const_ : current_;
      home->vectors[name] = compose(lower(rest).substr(lower(rest).find(name) + name.size()), lookup());
    } else if (k == "display") {
      display();
    } else if (k == "linearize") {
      linearize(lower(rest));
    } else if (k == "fft") {
      spectrum(lower(rest));
    } else if (k == "fourier") {
      harmonics(lower(rest));
    } else if (k == "setplot") {
      setplot(lower(rest));
    } else if (k == "setscale") {
      setscale(lower(rest));
    } else if (k == "reshape" || k == "transpose") {
      dimensions(s, lower(rest));
    } else if (k == "remcirc") {  // the circuit is gone until reset, mc_source or source loads one
      removed_ = true;
      ++version_;
    } else if (k == "source") {
      return source(s, rest);
    } else if (k == "shift") {
      shift(s, lower(rest));
    } else if (k == "setcirc") {
      setcirc(s, lower(rest));
    } else if (k == "destroy") {
      destroy(lower(rest));
    } else if ((k == "plot" || k == "gnuplot" || k == "hardcopy") && !graphs_.dir.empty()) {
      graph(s, rest);
    } else if (k == "plot" || k == "gnuplot" || k == "hardcopy" || k == "asciiplot") {
      if (warned_.insert("plot").second)
        say(fmt::format("{}: note: '{}' is skipped: a batch run does not plot (ngspice -b does not either; "
                        "--plots DIR draws plot, gnuplot and hardcopy)", s.where.str(), k));
    } else if (warned_.insert(k).second) {
      say(fmt::format("{}: warning: '{}' is not a command neurospice interprets: skipped", s.where.str(), k));
    }
    return Flow::Next;
  }

  // echo's words joined by one space, as ngspice's: "a   b" (quoted) keeps its spaces and
  // loses its quotes, an empty word ($x of x set to ()) vanishes; -n first: no newline.
  // A comma ends the word it follows and is dropped (ngspice's `echo a, b,c` prints "a b c");
  // one that starts a word is kept.
  void echo(const std::string& rest) {
    std::vector<std::string> w;
    for (std::string word : shell_words(rest, "")) {
      // the first comma past the word's first character and outside quotes
      const auto comma_in = [](const std::string& x) {
        char quote = 0;
        for (std::size_t k = 0; k < x.size(); ++k)
          if (quote) quote = x[k] == quote ? 0 : quote;
          else if (x[k] == '"' || x[k] == '\'') quote = x[k];
          else if (x[k] == ',' && k > 0) return k;
        return std::string::npos;
      };
      for (std::size_t comma; (comma = comma_in(word)) != std::string::npos;) {
        w.push_back(word.substr(0, comma));
        word.erase(0, comma + 1);
      }
      if (!word.empty()) w.push_back(word);
    }
    const bool newline = w.empty() || w[0] != "-n";
    std::string line;
    for (std::size_t k = newline ? 0 : 1; k < w.size(); ++k) {
      std::string word = w[k];
      if (word.size() >= 2 && (word[0] == '"' || word[0] == '\'') && word.back() == word[0])
        word = word.substr(1, word.size() - 2);
      if (word.empty()) continue;
      line += (line.empty() ? "" : " ") + word;
    }
    fmt::print(*out_, "{}{}", line, newline ? "\n" : "");
  }

  // echo TEXT > FILE, echo TEXT >> FILE (appends), and so for every command, as ngspice's
  // csh-like reading does (`let a = b > c` is `let a = b`, output to c): the text before
  // the first '>' outside quotes, the file (and whether to append) after it. >= >< <> are
  // comparisons.
  static std::optional<std::pair<std::string, std::pair<std::string, bool>>> redirected(const std::string& rest) {
    char quote = 0;
    for (std::size_t i = 0; i < rest.size(); ++i) {
      if (quote) {
        if (rest[i] == quote) quote = 0;
      } else if (rest[i] == '"' || rest[i] == '\'') {
        quote = rest[i];
      } else if (rest[i] == '>' && (i == 0 || rest[i - 1] != '<') && rest.compare(i, 2, ">=") != 0 &&
                 rest.compare(i, 2, "><") != 0) {
        const bool append = i + 1 < rest.size() && rest[i + 1] == '>';
        const std::vector<std::string> file = words(rest.substr(i + (append ? 2 : 1)));
        if (file.empty()) return std::nullopt;
        std::string text = rest.substr(0, i);
        while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
        return std::pair{text, std::pair{unquote(file[0]), append}};
      }
    }
    return std::nullopt;
  }

  // define NAME(A, B) BODY: a function of the control language, expanded in the text of
  // later lines, each parameter replaced by its argument in parentheses (ngspice's macro).
  void define(const Statement& s, const std::string& rest) {
    static const std::regex head(R"(^\s*([a-z_][a-z0-9_]*)\s*\(([^)]*)\)\s*(.+)$)");
    std::smatch m;
    if (!std::regex_match(rest, m, head))
      throw InputError(s.where, "'define' needs name(parameters) and the expression");
    Function f;
    for (const std::string& p : words(std::regex_replace(m[2].str(), std::regex(","), " "))) f.parameters.push_back(p);
    f.body = m[3];
    functions_[m[1]] = f;
  }

  // `text` with every call of a defined function replaced by its body (to a depth of 20).
  std::string expand(std::string text, int depth = 0) const {
    if (functions_.empty()) return text;
    if (depth > 20) throw VectorError("defined functions call one another too deep");
    auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    std::string out;
    bool changed = false;
    for (std::size_t i = 0; i < text.size();) {
      std::size_t j = i;
      while (j < text.size() && name_char(text[j])) ++j;
      if (j == i) {
        out += text[i++];
        continue;
      }
      const std::string word = lower(text.substr(i, j - i));
      const auto f = functions_.find(word);
      std::size_t open = j;
      while (open < text.size() && text[open] == ' ') ++open;
      if (f == functions_.end() || (i > 0 && (name_char(text[i - 1]) || text[i - 1] == '.')) || open >= text.size() ||
          text[open] != '(') {
        out += text.substr(i, j - i);
        i = j;
        continue;
      }
      std::vector<std::string> args(1);  // split at the commas outside parentheses
      int level = 0;
      std::size_t k = open + 1;
      for (; k < text.size() && !(level == 0 && text[k] == ')'); ++k) {
        if (text[k] == '(') ++level;
        if (text[k] == ')') --level;
        if (level == 0 && text[k] == ',') args.emplace_back();
        else args.back() += text[k];
      }
      if (k >= text.size()) throw VectorError(fmt::format("'{}(' has no ')'", word));
      if (args.size() != f->second.parameters.size())
        throw VectorError(fmt::format("'{}' takes {} arguments, not {}", word, f->second.parameters.size(), args.size()));
      std::string body;
      const std::string& b = f->second.body;
      for (std::size_t p = 0; p < b.size();) {
        std::size_t q = p;
        while (q < b.size() && name_char(b[q])) ++q;
        if (q == p) {
          body += b[p++];
          continue;
        }
        const std::string w = b.substr(p, q - p);
        const auto at = std::find(f->second.parameters.begin(), f->second.parameters.end(), w);
        body += at == f->second.parameters.end() || (p > 0 && b[p - 1] == '.') ? w : "(" + args[std::size_t(at - f->second.parameters.begin())] + ")";
        p = q;
      }
      out += "(" + body + ")";
      changed = true;
      i = k + 1;
    }
    return changed ? expand(out, depth + 1) : out;
  }

  // An analysis command's words as a card's arguments: numbers read with their suffixes.
  std::vector<CardArg> arguments(const Statement& s, const std::string& rest) {
    std::vector<CardArg> args;
    std::string spaced;
    for (char c : rest) {
      if (c == '(' || c == ')' || c == ',' || c == '=') spaced += std::string(" ") + c + " ";
      else spaced += c;
    }
    for (const std::string& w : words(spaced)) {
      CardArg a;
      a.text = w;
      a.where = s.where;
      a.kind = w == "(" ? CardArg::Kind::LParen : w == ")" ? CardArg::Kind::RParen
             : w == "," ? CardArg::Kind::Comma : w == "=" ? CardArg::Kind::Equals : CardArg::Kind::Word;
      if (a.kind == CardArg::Kind::Word) a.value = parse_number(w);
      args.push_back(std::move(a));
    }
    return args;
  }

  // An analysis the script started: kept while a stop has paused it (resume goes on).
  struct Running {
    const AnalysisType* type = nullptr;
    std::unique_ptr<Analysis> analysis;
    std::shared_ptr<TraceTable> table = std::make_shared<TraceTable>();
    Waveform waveform;
    bool measured = false;
    std::unique_ptr<Pause> pause;  // a transient's, when the script has breakpoints
  };

  // Runs (or, after a stop, goes on with) `r` into its table.
  void run_analysis(Running& r) {
    std::vector<std::string> notes;
    // The analysis polls `stop` at every step; the run's own interrupt (SIGINT, SIGTERM)
    // sets it from the progress report, which comes as often.
    std::atomic<bool> stop{false};
    if (r.pause) r.pause->times = stop_times(stops_);
    // A plot holds every accepted step of a transient, as ngspice's; with interp (the
    // variable or the option), its tstep grid only.
    const AnalysisContext context{.netlist = netlist_, .every_step = true, .interp = interp(),
                                  .statistics = options_.stats,
                                  .notes = &notes, .waveform = r.measured ? &r.waveform : nullptr,
                                  .progress = [&](double) { if (interrupted()) stop = true; },
                                  .stop = &stop, .pause = r.pause.get()};
    // sim_status: 1 after an analysis that stopped on an error, 0 after one that ran, as
    // ngspice sets it for scripts that skip a failed Monte Carlo run.
    variables_["sim_status"] = "1";
    try {
      r.analysis->run(context, *r.table);
    } catch (const SimulationError&) {
      for (const auto& n : notes) say("note: " + n);
      throw;
    }
    variables_["sim_status"] = "0";
    r.table->finish();
    for (const auto& n : notes) say("note: " + n);
  }

  // A transient's test of the breakpoints after each step: its plot's last row read as a
  // plot of one point.
  std::unique_ptr<Pause> pause_for(const std::shared_ptr<TraceTable>& table) {
    auto pause = std::make_unique<Pause>();
    pause->now = [this, table = table.get()](double t) {
      Plot point;
      auto one = std::make_shared<TraceTable>();
      auto value = [&](const std::string& side) {
        if (const auto x = parse_number(side)) return *x;
        if (!point.table) {
          one->begin(table->columns(), table->units());
          one->row(table->rows().back());
          point.table = one;
          point.scale = "time";
        }
        Lookup l = [&](const std::string& name) -> std::optional<Vector> {
          if (auto v = point.find(name)) return v;
          return const_->find(name);
        };
        const Vector v = evaluate(side, l);
        if (v.empty()) throw VectorError(fmt::format("'stop': '{}' has no value", side));
        return v[0];
      };
      const Stop* met = stop_met(stops_, table->rows().size(), value);
      if (met) say(fmt::format("note: {} : condition met at time = {:g}: {}", met->number, t, met->text));
      return met != nullptr;
    };
    return pause;
  }

  // Runs `card` into a new plot, the current one; its table, and the deck's measures of
  // it, unless a stop paused it.
  std::optional<DeckRun::Done> analyse(const ControlCard& card) {
    if (removed_) throw InputError(card.where, "no circuit to simulate: 'remcirc' removed it");
    const AnalysisType* type = find_analysis(card.name);
    if (!type) throw InputError(card.where, fmt::format("no analysis '{}'", card.name.substr(1)));
    if (netlist_.elements.empty()) throw InputError(card.where, "the circuit has no elements: nothing to simulate");
    paused_.reset();  // a new analysis forgets one a stop paused, as ngspice's does
    Running r;
    r.type = type;
    r.analysis = type->parse(card, netlist_);
    r.analysis->check(netlist_);
    for (const auto& m : netlist_.measures) r.measured |= type->measures == m.analysis;
    if (type->kind == "tran" && !stops_.empty()) r.pause = pause_for(r.table);
    run_analysis(r);
    const std::shared_ptr<TraceTable>& table = r.table;
    const bool measured = r.measured;
    const Waveform& waveform = r.waveform;
    auto plot = std::make_unique<Plot>();
    plot->name = plot_name(type->kind);
    plot->title = lower(netlist_.title);  // ngspice lower-cases it too
    plot->type = type->plot;
    plot->table = table;
    if (!table->columns().empty() && type->kind != "op" && type->kind != "tf") {  // one row, no scale
      const std::string& first = table->columns().front();
      plot->scale = first;
      if (type->kind == "dc")
        plot->scale = first == "temp" ? "temp-sweep" : first[0] == 'i' ? "i-sweep" : first[0] == 'v' ? "v-sweep" : first;
    }
    if (table->complex() && type->kind == "pz") {  // one row of poles and zeros: vectors, no scale
      for (std::size_t k = 0; k < table->vectors().size(); ++k) {
        Vector v{table->complex_rows().at(0)[k].real()};
        v.imag = {table->complex_rows().at(0)[k].imag()};
        plot->vectors[table->vectors()[k]] = v;
      }
      plot->table = nullptr;
    }
    if (type->kind == "tran") {  // tran tstep tstop [tstart]
      std::vector<double> v;
      for (const CardArg& a : card.args)
        if (a.value) v.push_back(*a.value);
      if (v.size() >= 2) plot->tstep = v[0], plot->tstop = v[1], plot->tstart = v.size() > 2 ? v[2] : 0;
    }
    // set sqrnoise: ngspice's noise vectors as powers, V^2/Hz and V^2, not their roots.
    const bool squared = type->kind == "noise" && variable("sqrnoise").has_value();
    if (squared && plot->table)
      for (std::size_t k = 1; k < table->columns().size(); ++k) {
        std::string name = table->columns()[k];
        if (name.size() > 3 && name[1] == '(' && name.back() == ')') name = name.substr(2, name.size() - 3);
        Vector v = plot->column(k);
        for (double& x : v) x *= x;
        plot->vectors[name] = std::move(v);
      }
    std::set<std::string> saved = deck_saves_;
    saved.insert(saved_.begin(), saved_.end());
    plot->keep_only(saved);
    current_ = plot.get();
    plots_.push_back(std::move(plot));
    // .noise's totals: the next plot, as ngspice's; none over a single frequency (ngspice's neither)
    if (const auto& summary = table->summary(); summary && table->rows().size() > 1) {
      auto totals = std::make_unique<Plot>();
      totals->name = plot_name(type->kind);
      totals->title = lower(netlist_.title);
      totals->type = summary->plot;
      for (std::size_t k = 0; k < summary->columns.size(); ++k) {
        std::string name = summary->columns[k];  // v(onoise_total): ngspice's vector is onoise_total
        if (name.size() > 3 && name[1] == '(' && name.back() == ')') name = name.substr(2, name.size() - 3);
        totals->vectors[name] = {summary->values.at(k) * (squared ? summary->values.at(k) : 1.0)};
      }
      current_ = totals.get();
      plots_.push_back(std::move(totals));
    }
    if (r.pause && r.pause->stopped) {
      paused_ = std::move(r);
      return std::nullopt;
    }
    DeckRun::Done done{table, {}};
    if (measured) done.measures = deck_measures(*type, waveform);
    return done;
  }

  // run: the deck's analyses, in ngspice's order. Their tables are kept for -o's file.
  void run_deck() {
    deck_run_.reset();
    const std::vector<ControlCard>& cards = netlist_.analyses;
    std::vector<std::size_t> order(cards.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::ranges::stable_sort(order, {}, [&](std::size_t k) { return run_rank(cards[k]); });
    std::vector<std::optional<DeckRun::Done>> done(cards.size());
    for (std::size_t k : order) done[k] = analyse(cards[k]);
    DeckRun run{.version = version_, .done = {}};
    for (auto& d : done) {
      if (!d) return;  // a stop paused it
      run.done.push_back(std::move(*d));
    }
    deck_run_ = std::move(run);
  }

  // -o's files from the script's last run when the circuit has not changed since and they
  // hold what the deck's run would write: the same rows (every step of a transient) and
  // the columns the deck asks for (.save, .probe; or all of them). Else nullopt: the deck
  // runs again after the script, as ngspice -b -r's does.
  std::optional<RunResult> reuse_deck_run(const Netlist& circuit) const {
    if (!deck_run_ || deck_run_->version != version_ || is_stepped(circuit)) return std::nullopt;
    // The script's transients have a row at every step; the deck's run, with --every-step.
    // With interp, both have the tstep grid's rows only.
    const bool every_step = options_.every_step || circuit.options.every_step || interp();
    for (const ControlCard& c : circuit.analyses)
      if (c.name == ".tran" && !every_step) return std::nullopt;
    return written_again(options_, circuit, deck_run_->done, netlist_.outputs.empty());
  }

  // The deck's .meas cards of an analysis, printed as ngspice prints them after it.
  std::vector<MeasureResult> deck_measures(const AnalysisType& type, const Waveform& waveform) {
    auto results = evaluate_measures(netlist_.measures, *type.measures, waveform, netlist_.params);
    for (const auto& r : results) fmt::print(*out_, "{}\n", measure_line(r, MeasureLine::Card));
    return results;
  }

  // resume: the transient a stop paused goes on, from its state, in the circuit as the
  // script has changed it since (alter, altermod); its plot grows and is the current one.
  // Without one paused, the deck's analyses run (ngspice's resume is then run).
  void resume(const Statement& s) {
    if (!paused_) {
      say(fmt::format("{}: note: 'resume': no analysis is stopped: the deck's analyses run, as 'run'", s.where.str()));
      for (const ControlCard& card : in_run_order(netlist_.analyses)) analyse(card);
      return;
    }
    const auto plot = std::find_if(plots_.begin(), plots_.end(), [&](const auto& p) { return p->table == paused_->table; });
    if (plot == plots_.end()) {
      paused_.reset();
      throw VectorError("'resume': the stopped analysis' plot was destroyed");
    }
    if (removed_) throw InputError(s.where, "no circuit to simulate: 'remcirc' removed it");
    current_ = plot->get();
    try {
      run_analysis(*paused_);
    } catch (...) {
      paused_.reset();
      throw;
    }
    if (paused_->pause->stopped) return;
    const Running r = std::move(*paused_);
    paused_.reset();
    if (r.measured) deck_measures(*r.type, r.waveform);
  }

  // sens OUTPUT dc | sens OUTPUT ac dec|oct|lin N f1 f2: a new plot of the derivatives
  // (sensitivity.hpp), the current one from then on, as ngspice's.
  void sens(const Statement& s, const std::string& rest) {
    static const std::regex form(R"(^\s*(.*\))\s*(dc|ac)\b(.*)$)");
    std::smatch m;
    if (!std::regex_match(rest, m, form))
      throw InputError(s.where, "'sens' needs an output and dc or ac: sens v(out) dc, sens v(out) ac dec 10 1 1meg");
    if (removed_) throw InputError(s.where, "no circuit to simulate: 'remcirc' removed it");
    const bool ac = m[2] == "ac";
    if (!ac && !words(m[3].str()).empty()) throw InputError(s.where, fmt::format("'sens ... dc' takes nothing after dc, not '{}'", m[3].str()));
    std::vector<CardArg> args = arguments(s, m[3]);
    // ngspice-39's sens steps a lin sweep by (fstop - fstart)/N: N points short of fstop.
    if (args.size() == 4 && args[0].text == "lin" && args[1].value && args[2].value && args[3].value && *args[1].value >= 1)
      args[3].value = *args[2].value + (*args[3].value - *args[2].value) * (*args[1].value - 1) / *args[1].value;
    const Sensitivities r = sensitivities(netlist_, ControlCard{ac ? ".ac" : ".op", s.where, std::move(args)}, m[1]);
    auto plot = std::make_unique<Plot>();
    plot->name = plot_name("sens");
    plot->title = lower(netlist_.title);
    plot->type = ac ? "AC Sensitivity Analysis" : "Sensitivity Analysis";
    if (r.frequency) plot->vectors["frequency"] = *r.frequency, plot->scale_vector = "frequency";
    for (const auto& [name, v] : r.vectors) plot->vectors[name] = v;
    current_ = plot.get();
    plots_.push_back(std::move(plot));
  }

  // plot/gnuplot/hardcopy under --plots DIR: DIR/NAME.csv and DIR/NAME.png, NAME the stem
  // of gnuplot's or hardcopy's file, else plotN (N counting the plot commands).
  void graph(const Statement& s, const std::string& rest) {
    const GraphRequest r = parse_graph(s.keyword, rest);
    std::vector<Value> values = evaluate_all(lower(r.vectors), lookup());
    if (values.empty()) throw VectorError(fmt::format("'{}' needs the vectors to draw", s.keyword));
    Value x{"index", {}};
    if (!r.vs.empty()) x = Value{words(r.vs).size() == 1 ? lower(words(r.vs)[0]) : "x", evaluate(lower(r.vs), lookup())};
    else if (const auto scale = current_->scale_values(); scale && scale->size() == values[0].data.size()) x = Value{current_->scale_name(), *scale};
    else for (std::size_t k = 0; k < values[0].data.size(); ++k) x.data.push_back(double(k));
    std::vector<std::string> names{x.text};
    std::vector<std::vector<double>> columns{x.data};
    for (const Value& v : values) {
      if (v.data.size() != x.data.size())
        throw VectorError(fmt::format("'{}': '{}' has {} points, its x vector '{}' {}", s.keyword, v.text, v.data.size(),
                                      x.text, x.data.size()));
      if (std::find(names.begin(), names.end(), v.text) != names.end()) continue;
      names.push_back(v.text);
      columns.emplace_back(v.data.begin(), v.data.end());  // a complex vector's real part, as ngspice draws it
    }
    const std::string stem = r.file.empty() ? fmt::format("plot{}", ++graphs_drawn_)
                                            : std::filesystem::path(unquote(r.file)).stem().string();
    const std::filesystem::path base = std::filesystem::path(graphs_.dir) / stem;
    Graph g{base.string() + ".csv", base.string() + ".png", x.text, r.xlog, r.ylog};
    // An .ac sweep by decades or octaves is drawn over a log axis, as ngspice draws it.
    if (x.text == "frequency" && x.data.size() > 2 && x.data[0] > 0 &&
        std::fabs(x.data[2] / x.data[1] - x.data[1] / x.data[0]) < 1e-9 * x.data[1] / x.data[0] && x.data[1] / x.data[0] > 1 + 1e-9)
      g.logx = true;
    write_graph_csv(g.csv, names, columns);
    if (const std::string failure = graphs_.draw ? graphs_.draw(g) : "no plotter"; !failure.empty())
      throw VectorError(fmt::format("'{}': {} (its data is in {})", s.keyword, failure, g.csv));
  }

  // listing: the deck as read, in ngspice's layout: its title, then each line of the deck's
  // file (continuations joined, lower case) with its line number there, the script's last.
  void listing() {
    fmt::print(*out_, "\t{}\n\n", deck_->title);
    std::vector<std::pair<int, std::string>> lines;
    for (const Card& c : deck_->cards)
      if (!c.segments.empty() && c.file == deck_->cards.front().file) lines.push_back({c.segments.front().line, c.text});
    for (const ScriptLine& l : deck_->script) lines.push_back({l.where.line, lower(l.text)});
    std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [line, text] : lines) fmt::print(*out_, "{:6} : {}\n", line, text);
  }

  // display: the current plot's vectors, as ngspice lists them (its names: V(1),
  // v1#branch; sorted as text; the scale marked).
  // The unit of the current plot's column `name` ("A", "S"), "" when not a column.
  std::string column_unit(const std::string& name) const {
    if (!current_->table) return "";
    const auto& columns = current_->table->columns();
    const auto& units = current_->table->units();
    for (std::size_t k = 0; k < columns.size() && k < units.size(); ++k)
      if (columns[k] == name) return units[k];
    return "";
  }

  // What display calls a device quantity of that unit, as ngspice-39 types them (measured):
  // currents, conductances, capacitances, powers, charges; any other number (a width, a
  // temperature, a resistance, a voltage) is a "voltage" there.
  static std::string quantity_type(const std::string& unit) {
    if (unit == "A") return "current";
    if (unit == "S") return "admittance";
    if (unit == "F") return "capacitance";
    if (unit == "W") return "power";
    if (unit == "C") return "charge";
    return "voltage";
  }

  void display() {
    fmt::print(*out_, "Here are the vectors currently active:\n\nTitle: {}\nName: {} ({})\nDate: {}\n\n",
               current_->title, current_->name, current_->type, current_->date);
    std::vector<std::pair<std::string, std::string>> lines;
    auto add = [&](const std::string& name, const Vector& v, bool scale) {
      const std::string shown = ngspice_vector_name(name);
      std::string type = "notype";
      if (name.starts_with("v(")) type = "voltage";
      else if (name.starts_with("i(") && name.back() == ')') type = "current";
      else if (name == "time" || name == "frequency") type = name;
      else if (name.starts_with("@")) type = quantity_type(column_unit(name));
      lines.push_back({shown, fmt::format("    {:<20}: {}, {}, {} long{}\n", shown, type, v.complex() ? "complex" : "real",
                                          v.size(), scale ? " [default scale]" : "")});
    };
    if (current_->has_scale() && !current_->scale.empty()) add(current_->scale, current_->column(0), true);
    // an op plot's first vector is its default scale for ngspice's display, though not a scale
    const bool first_is_scale = current_->has_scale() && current_->scale.empty() && !current_->table->complex();
    for (const Value& v : all())
      if (v.text != current_->scale || current_->scale.empty())  // an .ac plot's vectors hold its scale too
        add(v.text, v.data, first_is_scale && v.text == current_->table->columns().front());
    std::sort(lines.begin(), lines.end());
    for (const auto& [name, line] : lines) fmt::print(*out_, "{}", line);
  }

  // The vectors a linearize or fft command names, or all the current plot's but its scale.
  std::vector<Value> named(const std::string& rest) {
    std::vector<Value> values = words(rest).empty() ? all() : evaluate_all(rest, lookup());
    for (Value& v : values)  // a node by its bare name keeps its plot name: buf is v(buf)
      if (v.text.find('(') == std::string::npos && current_->find("v(" + v.text + ")")) v.text = "v(" + v.text + ")";
    return values;
  }

  void new_table_plot(const std::string& kind, const std::string& type, std::shared_ptr<TraceTable> table,
                      const std::string& scale) {
    auto plot = std::make_unique<Plot>();
    plot->name = plot_name(kind);
    plot->title = current_->title;
    plot->type = type;
    plot->table = std::move(table);
    plot->scale = scale;
    current_ = plot.get();
    plots_.push_back(std::move(plot));
  }

  // linearize [VECTORS]: a new transient plot, its scale tstart..tstop by tstep of the
  // current one's tran, the vectors interpolated linearly onto it (ngspice's).
  void linearize(const std::string& rest) {
    if (current_->scale != "time" || !current_->has_scale() || current_->tstep <= 0)
      throw VectorError(fmt::format("'linearize' needs a transient plot, not '{}'", current_->name));
    const std::vector<Value> values = named(rest);
    const std::vector<double> at = linear_points(current_->tstart, current_->tstop, current_->tstep);
    const Vector time = current_->column(0);
    std::vector<Vector> columns;
    std::vector<std::string> names{"time"}, units{"s"};
    for (const Value& v : values) {
      if (v.data.size() != time.size()) continue;  // not a vector over time
      columns.push_back(interpolate(time, v.data, at));
      names.push_back(v.text);
      units.push_back("");
    }
    auto table = std::make_shared<TraceTable>();
    table->begin(names, units);
    std::vector<double> row(names.size());
    for (std::size_t r = 0; r < at.size(); ++r) {
      row[0] = at[r];
      for (std::size_t c = 0; c < columns.size(); ++c) row[c + 1] = columns[c][r];
      table->row(row);
    }
    table->finish();
    const Plot& from = *current_;
    new_table_plot("tran", from.type, table, "time");
    current_->tstep = from.tstep, current_->tstart = from.tstart, current_->tstop = from.tstop;
  }

  // fft VECTORS: a new spectrum plot (ngspice's spN) over frequency; the window is the
  // variable specwindow, hanning when unset (as ngspice-39).
  void spectrum(const std::string& rest) {
    if (!current_->has_scale() || (current_->table && current_->table->complex()))
      throw VectorError(fmt::format("'fft' needs a plot over a real scale, not '{}'", current_->name));
    const std::vector<Value> values = named(rest);
    std::vector<Vector> inputs;
    for (const Value& v : values) inputs.push_back(v.data);
    const Vector t = current_->column(0);
    const Spectrum s = fft(t, inputs, variable("specwindow").value_or("hanning"));
    std::vector<std::string> vectors{"frequency"}, units{"Hz"};
    std::vector<RealPart> parts{{RealPart::Kind::Real, 0, "frequency"}};
    for (std::size_t k = 0; k < values.size(); ++k) {
      vectors.push_back(values[k].text);
      units.push_back("");
      parts.push_back({RealPart::Kind::Magnitude, k + 1, "mag(" + values[k].text + ")"});
      parts.push_back({RealPart::Kind::Phase, k + 1, "ph(" + values[k].text + ")"});
    }
    auto table = std::make_shared<TraceTable>();
    table->begin_complex(vectors, units, parts);
    std::vector<std::complex<double>> row(vectors.size());
    for (std::size_t r = 0; r < s.frequency.size(); ++r) {
      row[0] = s.frequency[r];
      for (std::size_t c = 0; c < s.values.size(); ++c) row[c + 1] = {s.values[c][r], s.values[c].imag[r]};
      table->complex_row(row);
    }
    table->finish();
    new_table_plot("sp", "Spectrum", table, "frequency");
  }

  // fourier F VECTORS: each vector's harmonics over the plot's last period 1/F, printed as
  // ngspice prints them; nfreqs (10) and fourgridsize (200) are read as ngspice reads them.
  void harmonics(const std::string& rest) {
    std::vector<std::string> w = words(rest);
    if (w.size() < 2) throw VectorError("'fourier' needs a fundamental frequency and vectors");
    if (!current_->has_scale() || (current_->table && current_->table->complex()))
      throw VectorError(fmt::format("'fourier' needs a transient plot, not '{}'", current_->name));
    const Vector f = evaluate(w[0], lookup());
    if (f.empty()) throw VectorError("'fourier' needs a fundamental frequency");
    auto count = [&](const char* name, std::size_t fallback) {
      const auto v = variable(name);
      const auto n = v ? parse_number(*v) : std::nullopt;
      return n && *n >= 2 ? static_cast<std::size_t>(*n) : fallback;
    };
    const std::size_t nfreqs = count("nfreqs", 10), grid = count("fourgridsize", 200);
    const Vector t = current_->column(0);
    for (const Value& v : named(rest.substr(rest.find(w[0]) + w[0].size())))
      fmt::print(*out_, "{}\n", fourier_table(v.text, fourier(t, v.data, f[0], nfreqs, grid), grid));
  }

  static Knob temperature_knob() { return Knob{Knob::Kind::Temperature, "temp", "", "temp", {}}; }

  // set temp = 40, set tnom = 50: ngspice hands a variable that is also a simulator option
  // to the circuit: the analyses from here on run at that temperature, `temper` in the
  // deck's expressions reading it, until reset loads the deck's own (ngspice-39's).
  // Unlike the option command, whose lines reset applies again.
  void circuit_variables(const Statement& s, const std::string& rest) {
    static const std::regex assignment(R"((?:^|\s)(temp|tnom)\s*=\s*([^\s=]+))");
    for (std::sregex_iterator it(rest.begin(), rest.end(), assignment), end; it != end; ++it) {
      const double value = evaluate((*it)[2].str(), lookup()).at(0);
      if ((*it)[1] == "tnom") {
        read_options_line(fmt::format("tnom={}", value), s.rest_where, netlist_);
        ++version_;
        continue;
      }
      // A deck that reads `temper` is elaborated again: the script's outputs and options stay.
      std::vector<ProbeRequest> outputs = netlist_.outputs;
      set_knob(netlist_, temperature_knob(), value);
      netlist_.outputs = std::move(outputs);
      for (const auto& line : option_lines_) read_options_line(line.first, line.second, netlist_);
      netlist_.options.temp = value;
      ++version_;
    }
  }

  // option NAME=VALUE ...: the .options card it spells; it lasts through `reset`.
  void option(const std::pair<std::string, Location>& line) {
    const std::size_t before = netlist_.warnings.size();
    auto warn = [&] {
      for (std::size_t k = before; k < netlist_.warnings.size(); ++k) say(netlist_.warnings[k]);
    };
    try {
      read_options_line(line.first, line.second, netlist_);
      if (std::ranges::count(words(line.first), std::string("interp"))) set("interp");  // ngspice's options are variables
    } catch (const InputError&) {
      warn();
      throw;
    }
    warn();
    option_lines_.push_back(line);
  }

  // meas tran|dc NAME ...: the .meas card it spells over the current plot's rows; the
  // result prints as a .meas result does and becomes the vector NAME of that plot.
  void measure(const Statement& s, std::string rest) {
    // meas sp: over an fft's spectrum plot, read as .meas ac reads an .ac plot (frequency
    // the scale, a phasor its real part unless vm() vdb() ... name another), as ngspice's.
    if (const std::vector<std::string> w = words(rest); !w.empty() && w[0] == "sp") {
      if (current_->type != "Spectrum")
        throw VectorError(fmt::format("'meas sp' needs a spectrum plot (of fft), not '{}'", current_->name));
      rest.replace(rest.find("sp"), 2, "ac");
    }
    // The same name again (a meas in a loop) measures anew, as ngspice's does: the earlier
    // one is forgotten, its value replaced.
    if (const std::vector<std::string> w = words(rest); w.size() > 1)
      std::erase_if(measures_, [&](const MeasureRequest& m) { return m.name == w[1]; });
    if (!current_->has_scale() || current_->table->rows().size() < 2)
      throw InputError(s.where, fmt::format("'meas' needs a plot of an analysis with more than one point, not '{}'",
                                            current_->name));
    Waveform waveform;
    const auto& columns = current_->table->columns();
    waveform.labels.assign(columns.begin() + 1, columns.end());
    waveform.x = current_->column(0);
    for (std::size_t k = 1; k < columns.size(); ++k) waveform.columns.push_back(current_->column(k));
    for (std::size_t k = 1; k < columns.size(); ++k)  // i(v.x1.vs), ngspice's spelling of our i(x1.vs), too
      if (const std::string& c = columns[k]; c.starts_with("i(") && c.back() == ')')
        if (const std::string ng = "i(" + ngspice_device(c.substr(2, c.size() - 3)) + ")"; ng != c) {
          waveform.labels.push_back(ng);
          waveform.columns.push_back(current_->column(k));
        }
    MeasureRequest m = parse_measure_line(script_vectors_in_measure(indexed_values(rest), waveform), s.rest_where,
                                          netlist_, measures_);
    if (current_->table->complex())  // an .ac plot: what .meas ac reads of each phasor, v(a) its real part
      for (const std::string& name : current_->table->vectors()) {
        const std::size_t open = name.find('(');
        if (open == std::string::npos) continue;
        for (const char* form : {"", "m", "p", "db", "r", "i"}) {
          const std::string label = name.substr(0, open) + form + name.substr(open);
          if (std::find(waveform.labels.begin(), waveform.labels.end(), label) != waveform.labels.end()) continue;
          if (auto v = current_->find(label)) {
            v->imag.clear();
            waveform.labels.push_back(label);
            waveform.columns.emplace_back(v->begin(), v->end());
          }
        }
      }
    std::map<std::string, double> known = netlist_.params;  // earlier results hide .params
    for (const auto& [name, value] : measured_) known[name] = value;
    measures_.push_back(m);
    const MeasureResult r = evaluate_measures({m}, m.analysis, waveform, known).at(0);
    fmt::print(*out_, "{}\n", measure_line(r, MeasureLine::Command));
    if (!r.value) return;
    measured_[r.name] = *r.value;
    current_->vectors[r.name] = {*r.value};
  }

  // The script's own vectors a meas line names (ngspice's `let db2 = db(v(2))` then
  // `meas ac f when db2 = a0`): one over the plot's scale becomes a signal v(NAME) of the
  // waveform, a single value its number. The line's other words stay.
  std::string script_vectors_in_measure(const std::string& rest, Waveform& waveform) const {
    static const std::regex name(R"([a-z_][a-z0-9_]*)");
    std::string out;
    std::size_t done = 0, word = 0;
    for (std::sregex_iterator it(rest.begin(), rest.end(), name), end; it != end; ++it) {
      const std::size_t at = std::size_t(it->position()), after = at + std::size_t(it->length());
      const char before = at > 0 ? rest[at - 1] : ' ';
      // Not a part of a word, a node in v(x) or a device in @d[x]; a name in an expression
      // (val=0.5*vmax) is.
      if (std::isalnum(static_cast<unsigned char>(before)) || before == '_' || before == '.' || before == '@' ||
          before == '#' || before == '[' || in_probe_call(rest, at))
        continue;
      if (before == ' ' || before == '\t' || before == '=') ++word;
      if (word <= 2 || (after < rest.size() && (rest[after] == '(' || rest[after] == '['))) continue;  // meas TYPE NAME
      const Plot* home = current_->vectors.count(it->str()) ? current_ : const_->vectors.count(it->str()) ? const_ : nullptr;
      // A bare name of the plot's own vector (`meas sp f max_at buf` after `fft buf`): its
      // real part, as v(buf) reads (ngspice 39: the same value for both).
      std::optional<Vector> own;
      if (!home && !measure_keyword(it->str()) && !current_->vectors.count(it->str()))
        own = current_->find(it->str());
      if (!home && !own) continue;
      const Vector& v = home ? home->vectors.at(it->str()) : *own;
      std::string replacement;
      if (v.size() == waveform.x.size() && v.size() > 1) {
        replacement = "v(" + it->str() + ")";
        if (std::find(waveform.labels.begin(), waveform.labels.end(), replacement) == waveform.labels.end()) {
          waveform.labels.push_back(replacement);
          waveform.columns.emplace_back(v.begin(), v.end());
        }
      } else if (v.size() == 1) {
        replacement = fmt::format("{:.17g}", v[0]);
      } else {
        continue;
      }
      out += rest.substr(done, at - done) + replacement;
      done = after;
    }
    return out + rest.substr(done);
  }

  // A value after '=' that indexes a vector (when gdb = -3.0103+vdb(out)[0]): the number the
  // script's expression gives, as ngspice reads it; a meas card has no [].
  std::string indexed_values(const std::string& rest) {
    std::string out;
    std::size_t from = 0;
    while (from < rest.size()) {
      const std::size_t start = rest.find_first_not_of(" \t", from);
      if (start == std::string::npos) break;
      const std::size_t end = std::min(rest.find_first_of(" \t", start), rest.size());
      std::string word = rest.substr(start, end - start);
      out += rest.substr(from, start - from);
      const std::size_t eq = word.rfind('=');
      const std::string value = eq == std::string::npos ? word : word.substr(eq + 1);
      if (value.find('[') != std::string::npos && value[0] != '@') {
        const Vector v = evaluate(value, lookup());
        if (v.size() == 1) word = word.substr(0, eq == std::string::npos ? 0 : eq + 1) + fmt::format("{:.17g}", v[0]);
      }
      out += word;
      from = end;
    }
    return out;
  }

  // The words of a meas line that are never a vector's name.
  static bool measure_keyword(const std::string& w) {
    static const std::set<std::string> keywords{
        "from", "to", "at", "td", "val", "rise", "fall", "cross", "last", "trig", "targ", "when", "find",
        "deriv", "derivative", "integ", "integral", "avg", "rms", "pp", "min", "max", "min_at", "max_at", "param",
        "goal", "weight", "minval", "par", "expr"};
    return keywords.count(w) > 0;
  }

  // Whether text[at] is inside the parentheses of a probe call, v(a,b), vdb(x), i(v1).
  static bool in_probe_call(const std::string& text, std::size_t at) {
    int depth = 0;
    for (std::size_t i = at; i-- > 0;) {
      if (text[i] == ')') ++depth;
      if (text[i] != '(' || depth-- > 0) continue;
      std::size_t start = i;
      while (start > 0 && std::isalpha(static_cast<unsigned char>(text[start - 1]))) --start;
      return probe_call_form(text.substr(start, i - start)).has_value();
    }
    return false;
  }

  void print(const std::vector<Value>& values) {
    if (values.empty()) throw VectorError("'print' needs something to print");
    std::size_t rows = 0;
    for (const Value& v : values) rows = std::max(rows, v.data.size());
    if (rows <= 1) {
      for (const Value& v : values)  // print all's V(1) is v(1) here (ngspice's)
        fmt::print(*out_, "{} = {}\n", v.text.starts_with("V(") ? "v" + v.text.substr(1) : v.text,
                   v.data.empty() ? std::string()
                   : v.data.complex() ? ngspice_number(v.data[0]) + "," + ngspice_number(v.data.imag[0])
                                      : ngspice_number(v.data[0]));
      return;
    }
    auto column = [](const Value& v) { return ListingColumn{v.text, v.data, v.data.imag, v.data.complex()}; };
    std::vector<ListingColumn> columns;
    for (const Value& v : values) columns.push_back(column(v));
    // The first vector's plot heads the table and gives its scale (ngspice's): a vector the
    // script made before any run, `let rate = vector(6)`, is in the constants plot and prints
    // there, six rows and no scale, not along the current transient's time.
    const Plot& home = plot_of(values[0].text);
    // The plot's scale before each page's columns; an .ac plot's frequency is complex, as
    // ngspice's, and so counts 32 wide on a page.
    std::optional<ListingColumn> scale;
    if (const auto s = home.scale_values(); s && !home.scale_name().empty())
      scale = ListingColumn{home.scale_name(), *s, {}, home.table && home.table->complex()};
    print_paged(*out_, page(home), scale, columns);
  }

  // The plot a printed name is read from: `plot.name`'s, else the current plot when it has
  // the name, else the constants when they have it; an expression is the current plot's.
  const Plot& plot_of(const std::string& text) const {
    if (const auto dot = text.find('.'); dot != std::string::npos)
      for (const auto& p : plots_)
        if (p->name == text.substr(0, dot) && p->find(text.substr(dot + 1))) return *p;
    if (!current_->find(text) && const_->find(text)) return *const_;
    return *current_;
  }

  // The page print's tables go on: ngspice's width, height and nobreak, its defaults in batch mode.
  ListingPage page(const Plot& plot) const {
    auto number = [&](const char* name, std::size_t fallback) {
      const auto value = variable(name);
      const auto x = value ? parse_number(*value) : std::nullopt;
      return x && *x >= 1 ? static_cast<std::size_t>(*x) : fallback;
    };
    return {plot.title, plot.type, plot.date, number("width", 80), number("height", 60), !variable("nobreak")};
  }

  // print line: "name = value" for one value, "name = (  v1\tv2\t...\t)" for more.
  void print_lines(const std::vector<Value>& values) {
    if (values.empty()) throw VectorError("'print' needs something to print");
    for (const Value& v : values) {
      if (v.data.size() == 1 && !v.data.complex()) {
        fmt::print(*out_, "{} = {}\n", v.text, ngspice_number(v.data[0]));
        continue;
      }
      std::string line = v.text + " = (  ";
      for (std::size_t r = 0; r < v.data.size(); ++r)
        line += (v.data.complex() ? ngspice_number(v.data[r]) + "," + ngspice_number(v.data.imag[r]) : ngspice_number(v.data[r])) + "\t";
      fmt::print(*out_, "{})\n", line);
    }
  }

  // print all's list: every vector of the current plot, its scale too, under ngspice's
  // names and in its order (measured, ngspice 39).
  std::vector<Value> print_all() const {
    std::vector<Value> values = all();
    const std::string scale = current_->scale_name();
    if (const auto v = current_->scale_values(); v && !scale.empty() &&
        std::none_of(values.begin(), values.end(), [&](const Value& x) { return x.text == scale; }))
      values.push_back({scale, *v});
    for (Value& v : values) v.text = ngspice_vector_name(v.text);
    std::sort(values.begin(), values.end(), [](const Value& a, const Value& b) { return ngspice_order(a.text, b.text); });
    return values;
  }

  // A vector's name as ngspice's plots name it: a node by its name (V(1) when the name
  // begins with a digit), a branch current v1#branch, a device inside a subcircuit by its
  // letter first (v.x1.vs#branch, @m.x1.m1[id]).
  static std::string ngspice_vector_name(const std::string& name) {
    const bool call = name.size() > 3 && name[1] == '(' && name.back() == ')' && name.find(',') == std::string::npos;
    const std::string inner = call ? name.substr(2, name.size() - 3) : "";
    if (call && name[0] == 'v') return std::isdigit(static_cast<unsigned char>(inner[0])) ? "V(" + inner + ")" : inner;
    if (call && name[0] == 'i') return ngspice_device(inner) + "#branch";
    if (const auto at = split_at_name(name)) return "@" + ngspice_device(at->first) + "[" + at->second + "]";
    return name;
  }

  // ngspice's spelling of a device inside a subcircuit, its letter first: x1.vs is v.x1.vs.
  static std::string ngspice_device(const std::string& path) {
    const std::size_t dot = path.rfind('.');
    return dot == std::string::npos || dot + 1 == path.size() ? path : path.substr(dot + 1, 1) + "." + path;
  }

  // ngspice's order of vector names: as text, but a run of digits by its number (n2 before n10).
  static bool ngspice_order(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    while (i < a.size() && j < b.size()) {
      if (digit(a[i]) && digit(b[j])) {
        std::size_t ei = i, ej = j;
        while (ei < a.size() && digit(a[ei])) ++ei;
        while (ej < b.size() && digit(b[ej])) ++ej;
        const double x = std::stod(a.substr(i, ei - i)), y = std::stod(b.substr(j, ej - j));
        if (x != y) return x < y;
        i = ei, j = ej;
        continue;
      }
      if (a[i] != b[j]) return a[i] < b[j];
      ++i, ++j;
    }
    return a.size() - i < b.size() - j;
  }

  // print's list: expressions, and the word `all` among them for every vector of the current
  // plot (`print all gold`).
  std::vector<Value> print_list(const std::string& text) {
    static const std::regex all_word(R"((^|[ \t])all(?=$|[ \t]))");
    std::vector<Value> out;
    std::size_t done = 0;
    auto add = [&](std::vector<Value> values) { std::move(values.begin(), values.end(), std::back_inserter(out)); };
    for (std::sregex_iterator it(text.begin(), text.end(), all_word), end; it != end; ++it) {
      if (const std::string before = text.substr(done, std::size_t(it->position()) - done); !words(before).empty())
        add(evaluate_all(before, lookup()));
      add(print_all());
      done = std::size_t(it->position() + it->length());
    }
    if (const std::string after = text.substr(done); !words(after).empty() || out.empty()) add(evaluate_all(after, lookup()));
    return out;
  }

  // ngspice's interp, set as a variable (`set interp`, `option interp`) or by the deck's
  // .options: a transient's rows on its tstep grid alone.
  bool interp() const { return variable("interp").has_value() || interpolated(*deck_); }

  // Whether the current plot's column `name` is among the vectors ngspice's plot would
  // hold: all of them, or those the save lists name. A device's quantity (@m1[id]) is a
  // column when the script names one, but in ngspice's plot only when saved (by the
  // deck's .save or the script's save).
  bool listed(const std::string& name) const {
    const bool plain = name[0] != '@' || deck_quantities_.count(name);
    return current_->saved.empty() ? plain : current_->saved.count(name) > 0 || (current_->all_saved && plain);
  }

  // print all: the current plot's vectors but its scale, by name as ngspice lists them.
  std::vector<Value> all() const {
    std::set<std::string> names;
    auto kept = [&](const std::string& name) {
      if (listed(name)) names.insert(name);
    };
    for (const auto& [name, v] : current_->vectors) names.insert(name);
    if (current_->table && current_->table->complex())
      for (const auto& name : current_->table->vectors()) kept(name);
    else if (current_->has_scale())  // an op plot's first column is a vector, not a scale
      for (std::size_t k = current_->scale.empty() ? 0 : 1; k < current_->table->columns().size(); ++k)
        kept(current_->table->columns()[k]);
    std::vector<Value> values;
    for (const auto& name : names) values.push_back({name, *current_->find(name)});
    return values;
  }

  // let NAME = EXPR, let NAME[K] = EXPR
  void let(const Statement& s, const std::string& rest) {
    const std::size_t eq = rest.find('=');
    if (eq == std::string::npos) throw InputError(s.where, "'let' needs name = expression");
    std::string target = rest.substr(0, eq);
    std::erase(target, ' ');
    std::erase(target, '\t');
    const Vector value = evaluate(rest.substr(eq + 1), lookup());
    std::vector<long> index;  // let a[k] = ..., let a[i][j] = ... of a multi-dimensional vector
    for (std::size_t open = target.find('['); open != std::string::npos; open = target.find('[', open + 1)) {
      const std::size_t close = target.find(']', open);
      if (close == std::string::npos) throw InputError(s.where, fmt::format("'let {}': a '[' without its ']'", target));
      index.push_back(std::lround(evaluate(target.substr(open + 1, close - open - 1), lookup()).at(0)));
    }
    target = target.substr(0, target.find('['));
    // let PLOT.NAME = ...: a vector of that plot, whichever is current (ngspice's
    // `let {$results}.freq[2] = f`).
    Plot* named = nullptr;
    if (const std::size_t dot = target.find('.'); dot != std::string::npos)
      for (const auto& p : plots_)
        if (p->name == target.substr(0, dot)) named = p.get();
    if (named) target = target.substr(target.find('.') + 1);
    if (target.empty()) throw InputError(s.where, "'let' needs a vector name before '='");
    // An existing vector is changed where it is (ngspice: a loop counter made before the
    // first analysis stays in the constants plot); a new one goes to the current plot.
    Plot* home = named ? named : current_->vectors.count(target) ? current_ : const_->vectors.count(target) ? const_ : current_;
    if (index.empty()) {
      home->vectors[target] = value;
      return;
    }
    auto it = home->vectors.find(target);
    if (it == home->vectors.end()) throw VectorError(fmt::format("no vector '{}' to index", target));
    Vector& target_vector = it->second;
    if (value.empty()) throw VectorError(fmt::format("'let {}[...]': the value is empty", target));
    // A block of a multi-dimensional vector takes the value's elements (ngspice's), as many as both have.
    const auto [first, length] = control::block(target_vector, index);
    // More values than places is refused, as ngspice refuses it ("must fit exactly"):
    // `let results[0] = v(cont)` of a whole transient leaves results as it was.
    if (value.size() > length)
      throw VectorError(fmt::format("'let {}[...]': {} values for {} place{}", target, value.size(), length,
                                    length == 1 ? "" : "s"));
    if (value.complex() && !target_vector.complex()) target_vector.imag.assign(target_vector.size(), 0.0);
    for (std::size_t k = 0; k < std::min(length, value.size()); ++k) {
      target_vector[first + k] = value[k];
      if (target_vector.complex()) target_vector.imag[first + k] = value.complex() ? value.imag[k] : 0.0;
    }
  }

  // set NAME, set NAME = VALUE, set NAME = ( A B ), several on one line. curplot and
  // curplottitle are the current plot's: setting them changes plot or title.
  void set(const std::string& text) {
    set_variables(text);
    if (const auto it = variables_.find("curplot"); it != variables_.end()) {
      const std::string name = it->second;
      variables_.erase(it);
      setplot(name);
    }
    if (const auto it = variables_.find("curplottitle"); it != variables_.end()) {
      current_->title = it->second;
      variables_.erase(it);
    }
  }

  // ngspice keeps a set value that reads as a number as that number: an integer as written
  // (10), any other as C's %G prints it (1k, 1e3 -> 1000; 2u -> 2E-06), and a quoted one as
  // its text (measured, ngspice 39: `set l = ( 1k 2u abc )`, `echo $l` prints 1000 2E-06 abc).
  static std::string set_value(const std::string& word) {
    if (word.size() >= 2 && (word.front() == '"' || word.front() == '\'')) return unquote(word);
    const std::size_t sign = !word.empty() && (word[0] == '-' || word[0] == '+') ? 1 : 0;
    if (word.size() > sign && std::all_of(word.begin() + static_cast<std::ptrdiff_t>(sign), word.end(),
                                          [](char c) { return c >= '0' && c <= '9'; }))
      return word;
    const auto x = parse_number(word);
    if (!x) return word;
    char text[32];
    std::snprintf(text, sizeof text, "%G", *x);
    return text;
  }

  void set_variables(const std::string& rest) {
    // Words as ngspice's set reads them: blank-separated, ( ) alone, "a b" one word (its
    // quotes kept for set_value). A word's first '=' ends the name: the rest of that word is
    // the value (`set title = R1={$&r}` sets title to r1=10000), else the next word is.
    const std::vector<std::string> w = shell_words(rest, "()");
    if (w.empty()) {
      for (const auto& [name, value] : variables_) fmt::print(*out_, "{}\t{}\n", name, value);
      return;
    }
    for (std::size_t k = 0; k < w.size(); ++k) {
      std::string name = w[k], after;
      bool assigned = false;
      if (const std::size_t eq = name.find('='); eq != std::string::npos && eq > 0 && name[0] != '"' && name[0] != '\'') {
        after = name.substr(eq + 1), name.resize(eq), assigned = true;
      } else if (k + 1 < w.size() && w[k + 1][0] == '=') {
        after = w[++k].substr(1), assigned = true;
      }
      if (!assigned) {
        variables_[name] = "";
        booleans_.insert(name);
        continue;
      }
      if (after.empty()) {
        if (k + 1 >= w.size()) throw VectorError(fmt::format("'set {} =' needs a value", name));
        after = w[++k];
      }
      std::string value;
      if (after == "(") {
        std::size_t j = k + 1;
        for (; j < w.size() && w[j] != ")"; ++j) value += (value.empty() ? "" : " ") + set_value(w[j]);
        k = j;
      } else {
        value = set_value(after);
      }
      variables_[name] = value;
      booleans_.erase(name);
    }
  }

  Knob element_knob(const Statement& s, const std::string& written, std::string param) {
    const std::string device = device_name(netlist_, written);
    const Element* element = nullptr;
    for (const Element& e : netlist_.elements)
      if (e.name == device) element = &e;
    if (!element) throw InputError(s.where, fmt::format("no device '{}' to alter", written));
    static const std::map<std::string, std::string> names = {
        {"resistance", "r"}, {"capacitance", "c"}, {"inductance", "l"}, {"coupling", "k"}};
    if (const auto it = names.find(param); it != names.end()) param = it->second;
    const bool source = element->kind == 'v' || element->kind == 'i';
    if (param.empty()) {  // a source's dc, else the card's first value (R's r, K's k, E's gain)
      const auto* type = find_device_type(std::string(1, element->kind));
      if (source) param = "dc";
      else if (element->model.empty() && type && !type->positional.empty()) param = std::string(type->positional[0]);
      else throw InputError(s.where, fmt::format("'alter {}' needs the parameter to change", written));
    }
    if (source && param == "dc") return Knob{Knob::Kind::Source, device, "", device, s.where};
    return Knob{Knob::Kind::InstanceParam, device, param, "@" + device + "[" + param + "]", s.where};
  }

  // alter DEV [PARAM] [=] VALUE, alter @DEV[PARAM] = VALUE, altermod MODEL PARAM [=] VALUE
  void alter(const Statement& s, const std::string& rest) {
    // altermod MODEL p1 = v1 p2 = v2: ngspice 39 sets p1 only and ignores the rest
    // (measured: v(c) as after `altermod MODEL p1 = v1` alone); so do we, and say so.
    if (s.keyword == "altermod" && std::ranges::count(rest, '=') > 1) {
      const std::vector<std::string> w = shell_words(rest, "=");
      std::size_t end = 3;  // the first value runs to the word before the next '='
      while (end < w.size() && !(end + 1 < w.size() && w[end + 1] == "=")) ++end;
      if (w.size() < 4 || w[2] != "=" || end >= w.size())
        throw InputError(s.where, "'altermod' needs a model, then parameter = value");
      std::string first = w[0] + " " + w[1] + " =", ignored;
      for (std::size_t j = 3; j < end; ++j) first += " " + w[j];
      for (std::size_t j = end; j < w.size(); ++j) ignored += (j > end && w[j] != "=" && w[j - 1] != "=" ? " " : "") + w[j];
      say(fmt::format("{}: warning: 'altermod' sets one parameter: '{}' is ignored, as ngspice ignores it",
                      s.where.str(), ignored));
      return alter(s, first);
    }
    // With '=', the words before it name the target and all after it is the value (an
    // expression may have spaces); without, the last word is the value.
    const std::size_t eq = rest.find('=');
    std::vector<std::string> w = words(rest.substr(0, eq));
    if (eq != std::string::npos) w.push_back(rest.substr(eq + 1));
    if (w.size() < 2) throw InputError(s.where, fmt::format("'{}' needs a device, a parameter and a value", s.keyword));
    std::string device = w[0], param;
    std::size_t value_at = 1;
    if (device[0] == '@') {
      const std::size_t open = device.find('['), close = device.find(']');
      if (open == std::string::npos || close == std::string::npos)
        throw InputError(s.where, fmt::format("expected @device[parameter], not '{}'", device));
      param = device.substr(open + 1, close - open - 1);
      device = device.substr(1, open - 1);
    } else if (w.size() > 2 || s.keyword == "altermod") {
      param = w[1];
      value_at = 2;
    }
    if (value_at >= w.size()) throw InputError(s.where, fmt::format("'{}' needs a value", s.keyword));
    std::string expression;
    for (std::size_t k = value_at; k < w.size(); ++k) expression += w[k] + " ";
    if (expression[expression.find_first_not_of(" \t")] == '[') return alter_function(s, device_name(netlist_, device), param, expression);
    const double value = evaluate(expression, lookup()).at(0);
    Knob knob;
    if (s.keyword == "altermod") {
      bool found = false;
      for (const auto& [key, model] : netlist_.models) found |= model.name == device;
      for (const Element& e : netlist_.elements)  // ngspice: a device names its model too
        if (!found && e.name == device && netlist_.models.count(e.model))
          device = netlist_.models.at(e.model).name, found = true;
      if (!found) throw InputError(s.where, fmt::format("no model '{}' to alter", device));
      knob = Knob{Knob::Kind::ModelParam, device, param, device + "(" + param + ")", s.where};
    } else {
      knob = element_knob(s, device, param);
    }
    set_knob(netlist_, knob, value);
  }

  // alter @v1[pulse] = [ 0 1 2n ... ]: a source function's values, all at once.
  void alter_function(const Statement& s, const std::string& device, const std::string& param, std::string text) {
    text = text.substr(text.find('[') + 1);
    const std::size_t close = text.find(']');
    if (close == std::string::npos) throw InputError(s.where, "'alter' of a list of values needs its ']'");
    std::vector<Number> args;
    for (const Value& v : evaluate_all(text.substr(0, close), lookup()))
      for (double x : v.data) args.push_back({x, s.where});
    for (Element& e : netlist_.elements)
      if (e.name == device)
        for (Group& g : e.groups)
          if (g.keyword == param) return void(g.args = std::move(args));
    throw InputError(s.where, fmt::format("no source '{}' with a '{}' function to alter", device, param));
  }

  // alterparam NAME = VALUE: the .param takes VALUE at the next reset, as in ngspice.
  void alterparam(const Statement& s, const std::string& rest) {
    const std::size_t eq = rest.find('=');
    if (eq == std::string::npos) throw InputError(s.where, "'alterparam' needs name = value");
    // alterparam NAME = value (a top-level .param), alterparam SUB NAME = value (a parameter
    // of subcircuit SUB, in each of its instances): from the next reset on.
    const std::vector<std::string> name = words(rest.substr(0, eq));
    if (name.empty() || name.size() > 2)
      throw InputError(s.where, "'alterparam' needs name = value, or subcircuit name = value");
    const std::string key = name.size() == 1 ? name[0] : name[0] + "." + name[1];
    try {
      check_param_override(*deck_, key);
    } catch (const InputError& e) {
      throw InputError(s.where, e.message());
    }
    alterparams_[key] = evaluate(rest.substr(eq + 1), lookup()).at(0);
  }

  // wrdata FILE VECTOR... [vs X]: ngspice's layout, each vector after its scale (once with
  // wr_singlescale), "% .8e " per number, names first with wr_vecnames; `vs X` makes X
  // the scale.
  void wrdata(const std::string& rest) {
    const std::vector<std::string> w = words(rest);
    if (w.size() < 2) throw VectorError("'wrdata' needs a file and the vectors to write");
    std::string text, against;
    bool vs = false;
    for (std::size_t k = 1; k < w.size(); ++k) {
      if (lower(w[k]) == "vs" && !vs) vs = true;
      else (vs ? against : text) += w[k] + " ";
    }
    if (vs && words(against).empty()) throw VectorError("'wrdata ... vs' needs the vector after 'vs'");
    const std::vector<Value> values = evaluate_all(lower(text), lookup());
    std::optional<Value> scale;
    if (vs) scale = Value{words(lower(against)).size() == 1 ? lower(words(against)[0]) : lower(against), evaluate(lower(against), lookup())};
    else if (const auto v = current_->scale_values()) scale = Value{current_->scale_name(), *v};
    const bool single = variable("wr_singlescale").has_value(), names = variable("wr_vecnames").has_value();
    std::vector<const Value*> columns;
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (scale && (!single || k == 0)) columns.push_back(&*scale);
      columns.push_back(&values[k]);
    }
    std::ofstream file(w[0], variable("appendwrite") ? std::ios::app : std::ios::trunc);
    if (!file) throw VectorError(fmt::format("cannot write '{}'", w[0]));
    if (names) {
      for (const Value* c : columns) file << fmt::format(" {:<14} ", c->text);
      file << '\n';
    }
    std::size_t rows = 0;
    for (const Value& v : values) rows = std::max(rows, v.data.size());
    for (std::size_t r = 0; r < rows; ++r) {
      for (const Value* c : columns) {  // a complex vector: its real and imaginary parts
        file << (r < c->data.size() ? fmt::format("{: .8e} ", c->data[r]) : std::string(16, ' '));
        if (c->data.complex()) file << (r < c->data.size() ? fmt::format("{: .8e} ", c->data.imag[r]) : std::string(16, ' '));
      }
      file << '\n';
    }
  }

  // A new plot's name as ngspice gives it: kind and the shared number, the number raised
  // while a plot of that name exists (tran1 ac1 tran2; op1, destroy op1, op1 again).
  std::string plot_name(std::string_view kind) {
    for (;;) {
      const std::string name = fmt::format("{}{}", kind, plot_number_);
      bool used = false;
      for (const auto& p : plots_) used |= p->name == name;
      if (!used) return name;
      ++plot_number_;
    }
  }

  // setplot new, set curplot = new: an empty plot of the script's own vectors.
  void new_plot() {
    auto plot = std::make_unique<Plot>();
    plot->name = plot_name("unknown");
    plot->title = "Anonymous";
    plot->type = "unknown";
    current_ = plot.get();
    plots_.push_back(std::move(plot));
  }

  // write [FILE [VECTORS]]: a raw file (ngspice's rawspice.raw without FILE), binary
  // unless `set filetype=ascii`; the current plot's vectors, or these after its scale.
  // With `set appendwrite` the plot goes after those already in the file (ngspice's).
  void write(const std::string& rest) {
    std::vector<std::string> w = words(rest);
    const std::string path = w.empty() ? "rawspice.raw" : w[0];
    std::string text;
    for (std::size_t k = 1; k < w.size(); ++k) text += w[k] + " ";
    if (!variable("appendwrite") || !std::filesystem::is_regular_file(path)) return write_raw(path, text);
    const std::string part = path + ".appending";
    write_raw(part, text);
    {
      std::ifstream in(part, std::ios::binary);
      std::ofstream out(path, std::ios::binary | std::ios::app);
      out << in.rdbuf();
      if (!out) throw VectorError(fmt::format("cannot write '{}'", path));
    }
    std::filesystem::remove(part);
  }

  void write_raw(const std::string& path, const std::string& text) {
    RawFile file(path, variable("filetype").value_or("binary") != "ascii", deck_->title, current_->type);
    const std::shared_ptr<const TraceTable> table = current_->table;
    // The scale and the vectors the save lists keep (listed), in the table's order.
    auto picked = [&](const std::vector<std::string>& names, const std::vector<std::string>& units) {
      std::vector<std::size_t> k;
      for (std::size_t c = 0; c < names.size(); ++c)
        if ((c == 0 && current_->has_scale() && !current_->scale.empty()) || listed(names[c])) k.push_back(c);
      std::vector<std::string> n, u;
      for (std::size_t c : k) n.push_back(names[c]), u.push_back(c < units.size() ? units[c] : std::string());
      return std::tuple{k, n, u};
    };
    if (table && table->complex()) {
      if (!text.empty()) throw VectorError("'write' of chosen vectors of a complex (.ac) plot: write the whole plot");
      const auto [k, names, units] = picked(table->vectors(), table->vector_units());
      file.begin_complex(names, units, {});
      std::vector<std::complex<double>> row(k.size());
      for (const auto& r : table->complex_rows()) {
        for (std::size_t c = 0; c < k.size(); ++c) row[c] = r[k[c]];
        file.complex_row(row);
      }
    } else if (text.empty() && table) {
      const auto [k, names, units] = picked(table->columns(), table->units());
      file.begin(names, units);
      std::vector<double> row(k.size());
      for (const auto& r : table->rows()) {
        for (std::size_t c = 0; c < k.size(); ++c) row[c] = r[k[c]];
        file.row(row);
      }
    } else {
      std::vector<Value> values = text.empty() ? std::vector<Value>{} : evaluate_all(lower(text), lookup());
      if (text.empty())
        for (const auto& [name, v] : current_->vectors) values.push_back({name, v});
      if (const auto scale = current_->scale_values()) values.insert(values.begin(), Value{current_->scale_name(), *scale});
      if (values.empty()) throw VectorError(fmt::format("'write': plot '{}' has no vectors", current_->name));
      std::vector<std::string> names;
      std::size_t rows = 0;
      for (const Value& v : values) names.push_back(v.text), rows = std::max(rows, v.data.size());
      std::vector<std::string> units(names.size());
      if (current_->scale_vector.empty() && current_->has_scale() && !table->units().empty()) units[0] = table->units()[0];
      file.begin(names, units);
      std::vector<double> row(values.size());
      for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < values.size(); ++c)
          row[c] = values[c].data.empty() ? 0 : values[c].data[std::min(r, values[c].data.size() - 1)];
        file.row(row);
      }
    }
    file.finish();
  }

  // setscale VECTOR: the current plot's scale is that vector of its own; without one, prints the scale's name.
  void setscale(const std::string& rest) {
    const std::vector<std::string> w = words(rest);
    if (w.empty()) {
      if (const auto scale = current_->scale_values())  // as display lists it
        fmt::print(*out_, "    {:<20}: {}, {}, {} long [default scale]\n", current_->scale_name(),
                   current_->scale_name() == "time" || current_->scale_name() == "frequency" ? current_->scale_name() : "notype",
                   scale->complex() ? "complex" : "real", scale->size());
      return;
    }
    if (!current_->find(w[0])) throw VectorError(fmt::format("'setscale': no vector '{}' in plot '{}'", w[0], current_->name));
    current_->scale_vector = w[0];
  }

  // reshape NAME... [n][m]..., transpose NAME...: the vectors of the current plot or the constants.
  void dimensions(const Statement& s, const std::string& rest) {
    const std::size_t bracket = s.keyword == "reshape" ? rest.find('[') : rest.size();
    if (bracket == std::string::npos) throw VectorError("'reshape' needs the dimensions: reshape NAME [n][m]");
    for (const std::string& name : words(rest.substr(0, bracket))) {
      Plot* home = current_->vectors.count(name) ? current_ : const_->vectors.count(name) ? const_ : nullptr;
      if (!home) throw VectorError(fmt::format("'{}': no vector '{}' of the script's own", s.keyword, name));
      if (s.keyword == "reshape") reshape(home->vectors[name], rest.substr(bracket));
      else transpose(home->vectors[name]);
    }
  }

  // source FILE: the circuit (and .control block) of FILE, found as given, in the deck's
  // folder or in the folders of the variable sourcepath; its script runs now.
  Flow source(const Statement& s, const std::string& rest) {
    const std::vector<std::string> w = words(rest);
    if (w.size() != 1) throw InputError(s.where, "'source' needs one file");
    std::vector<std::filesystem::path> tries{unquote(w[0])};
    const std::filesystem::path folder = std::filesystem::path(options_.output.netlist).parent_path();
    if (tries[0].is_relative()) {
      tries.push_back(folder / tries[0]);
      for (const std::string& dir : words(variable("sourcepath").value_or(""))) tries.push_back(std::filesystem::path(dir) / tries[0]);
    }
    const auto found = std::find_if(tries.begin(), tries.end(), [](const auto& p) { return std::filesystem::is_regular_file(p); });
    if (found == tries.end()) throw InputError(s.where, fmt::format("'source': no file '{}'", w[0]));
    deck_ = read_deck(found->string());
    circuits_.insert(circuits_.begin(), deck_);
    alterparams_.clear();
    load();
    for (const auto& warning : netlist_.warnings) say(warning);
    if (deck_->script.empty()) return Flow::Next;
    const Flow flow = block(parse_script(deck_->script));
    return flow == Flow::Break || flow == Flow::Continue ? Flow::Next : flow;
  }

  // shift [NAME [N]]: the list variable NAME (argv when not named) loses its first N
  // words (1 when not given), as csh's and ngspice's shift.
  void shift(const Statement& s, const std::string& rest) {
    const std::vector<std::string> w = words(rest);
    const std::string name = w.empty() ? "argv" : w[0];
    const auto n = w.size() > 1 ? parse_number(w[1]) : std::optional<double>(1.0);
    if (!n || *n < 0 || *n != std::floor(*n)) throw InputError(s.where, "'shift' needs a whole number of words");
    const auto it = variables_.find(name);
    if (it == variables_.end()) throw VectorError(fmt::format("'shift': no variable '{}'", name));
    const std::vector<std::string> list = words(it->second);
    if (*n > double(list.size())) throw VectorError(fmt::format("'shift': '{}' has only {} words", name, list.size()));
    std::string value;
    for (std::size_t k = std::size_t(*n); k < list.size(); ++k) value += (value.empty() ? "" : " ") + list[k];
    it->second = value;
  }

  // setcirc N: the N-th circuit `source` loaded, counted from the newest (ngspice's
  // numbers), loaded afresh: its alterations are not kept. Without N: the list.
  void setcirc(const Statement& s, const std::string& rest) {
    const std::vector<std::string> w = words(rest);
    if (w.empty()) {
      for (std::size_t k = 0; k < circuits_.size(); ++k)
        fmt::print(*out_, "{}{}\t{}\n", circuits_[k] == deck_ ? "Current " : "\t", k + 1, circuits_[k]->title);
      return;
    }
    const auto n = parse_number(w[0]);
    if (!n || *n < 1 || *n > double(circuits_.size()) || *n != std::floor(*n))
      throw InputError(s.where, fmt::format("'setcirc': no circuit {} (there {} {})", w[0],
                                            circuits_.size() == 1 ? "is" : "are", circuits_.size()));
    deck_ = circuits_[std::size_t(*n) - 1];
    alterparams_.clear();
    load();
  }

  void setplot(const std::string& rest) {
    const std::vector<std::string> w = words(rest);
    if (w.empty()) {
      fmt::print(*out_, "List of plots available:\n");
      for (auto it = plots_.rbegin(); it != plots_.rend(); ++it)
        fmt::print(*out_, "{}{}\t{} ({})\n", it->get() == current_ ? "Current " : "\t", (*it)->name, (*it)->title,
                   (*it)->type);
      return;
    }
    if (w[0] == "new") return new_plot();
    for (const auto& p : plots_)
      if (p->name == w[0]) return void(current_ = p.get());
    throw VectorError(fmt::format("no plot '{}'", w[0]));
  }

  void destroy(const std::string& rest) {
    std::vector<std::string> w = words(rest);
    if (w.empty()) w = {current_->name};
    for (const std::string& name : w)
      std::erase_if(plots_, [&](const auto& p) { return p.get() != const_ && (name == "all" || p->name == name); });
    bool alive = false;
    for (const auto& p : plots_) alive |= p.get() == current_;
    if (!alive) current_ = plots_.back().get();
  }

  const RunOptions& options_;
  const RunEvents& events_;
  bool interrupted() const { return events_.interrupted && events_.interrupted(); }
  std::ostream* out_;  // the output, or the file of a command's > or >>
  std::shared_ptr<const Deck> deck_;
  std::vector<std::shared_ptr<const Deck>> circuits_;  // the decks `source` loaded, the newest first
  Graphs graphs_;
  int graphs_drawn_ = 0;  // plot commands drawn so far: plotN
  Netlist netlist_;
  std::map<std::string, double> alterparams_;
  std::set<std::string> saved_;        // the names of the script's save lines
  std::vector<std::pair<std::string, Location>> save_lines_;  // those lines, in order, for -o's file
  std::set<std::string> deck_saves_;   // the labels of the deck's .save and .probe outputs
  std::set<std::string> deck_quantities_;  // the device quantities the deck's .save asks for (@m1[id])
  std::uint64_t loads_ = 0;
  std::uint64_t seed_ = options_.seed;  // --seed, or the script's setseed
  Random random_{random_stream(seed_, 0) ^ 0x636f6e74726f6cULL};  // sunif, sgauss, rnd: apart from the loads' streams
  std::vector<std::unique_ptr<Plot>> plots_;
  Plot* const_ = nullptr;
  Plot* current_ = nullptr;
  std::map<std::string, std::string> variables_;
  std::set<std::string> booleans_;  // the variables set without a value ($name reads TRUE)
  std::set<std::string> warned_;
  std::vector<std::pair<std::string, Location>> option_lines_;  // the script's option commands so far
  std::vector<MeasureRequest> measures_;       // the script's meas commands so far
  std::map<std::string, double> measured_;     // and their results, for later PARAM=
  bool failed_ = false;
  bool removed_ = false;  // remcirc: no circuit until one is loaded again
  // Counts the changes to the circuit (reset, alter, option...): a run's tables are of
  // the circuit as it is while the count has not moved.
  std::size_t version_ = 0;
  std::vector<ProbeRequest> deck_outputs_;  // the deck's own .save, .print, .probe
  std::optional<DeckRun> deck_run_;         // the last `run`
  std::optional<int> quit_status_;  // quit N
  std::optional<std::pair<std::string, Location>> goto_;  // the label a goto looks for, and where
  std::size_t jumps_ = 0;
  struct Function {
    std::vector<std::string> parameters;
    std::string body;
  };
  std::map<std::string, Function> functions_;  // define
  std::vector<Stop> stops_;  // stop's breakpoints
  int stops_made_ = 0;
  std::optional<Running> paused_;  // the analysis a stop paused
  int plot_number_ = 1;  // ngspice's: shared by every kind of plot, raised past a name in use
};

}  // namespace

std::optional<ScriptResult> run_script(const RunOptions& options, const RunEvents& events, std::ostream& out,
                                      const Graphs& graphs) {
  const std::shared_ptr<const Deck> deck = read_deck(options.output.netlist);
  if (deck->script.empty()) return std::nullopt;
  const std::vector<Statement> script = parse_script(deck->script);
  Interpreter interpreter(options, events, out, deck, graphs);
  return interpreter.run(script);
}

}  // namespace ns::control
