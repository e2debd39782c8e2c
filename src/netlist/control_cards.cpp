// The control cards: options, initial values, outputs, .step, .mc and .meas, read into
// the netlist; every other card goes on as a ControlCard to the analysis of its name.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "netlist/deck.hpp"
#include "netlist/knob.hpp"
#include "netlist/suggest.hpp"

namespace ns {

namespace {

using Kind = Token::Kind;

bool is_assignment(const std::vector<Token>& tk, std::size_t k) {
  return tk[k].kind == Kind::Word && k + 1 < tk.size() && tk[k + 1].kind == Kind::Equals;
}

const std::set<std::string>& ignored_options() {
  static const std::set<std::string> names = {
      "itl1", "itl2", "itl3", "itl4", "itl5", "itl6", "trtol", "pivtol", "pivrel",
      "noacct", "acct", "nopage", "numdgt", "list", "node", "opts", "norefvalue", "keepopinfo",
      "savecurrents", "maxord", "defad", "defas", "defl", "defw", "gminsteps", "srcsteps",
      "post", "ingold", "noinit", "nomod", "warn", "klu",
      "sparse", "rseries", "minbreak", "xmu", "trytocompact", "autostop", "abstol_i"};
  return names;
}

// The card's tokens as CardArgs, each value token evaluated now, in the .param scope.
ControlCard control_card(const Card& card, ControlScope& scope) {
  ControlCard c{card.keyword(), card.where(), {}};
  for (std::size_t k = 1; k < card.tokens.size(); ++k) {
    const Token& t = card.tokens[k];
    static_assert(int(Token::Kind::Equals) == int(CardArg::Kind::Equals), "the same kinds, in the same order");
    CardArg a{static_cast<CardArg::Kind>(t.kind), t.text, card.at(t), std::nullopt, nullptr};
    if (a.is_value()) {
      try {
        a.value = scope.value(card, t).value;
      } catch (const InputError& e) {
        a.error = std::make_shared<const InputError>(e);
      }
    }
    c.args.push_back(std::move(a));
  }
  return c;
}

void options(const Card& card, ControlScope& scope) {
  const auto& tk = card.tokens;
  static const std::vector<std::string> handled = {"reltol", "abstol", "vntol", "chgtol", "gmin", "tmax", "maxstep",
                                                   "method", "temp", "tnom", "everystep", "errnorm", "scale", "dialect",
                                                   "trnoise", "seed", "linsolve", "bypass", "rshunt", "cshunt",
                                                   "eventhold", "nfreqs", "fourgridsize", "interp"};
  Netlist& net = scope.netlist;
  Options& o = net.options;
  for (std::size_t k = 1; k < tk.size(); ++k) {
    const Token& t = tk[k];
    if (t.kind == Kind::Comma) continue;
    if (t.kind != Kind::Word)
      throw InputError(card.at(t), fmt::format("unexpected '{}' on '{}'", t.text, card.keyword()));
    const Token* v = nullptr;
    if (is_assignment(tk, k)) {
      if (k + 2 >= tk.size()) throw InputError(card.at(t), fmt::format("option '{}' has no value", t.text));
      v = &tk[k + 2];
      k += 2;
    }
    const std::string& name = t.text;
    const bool known = std::find(handled.begin(), handled.end(), name) != handled.end();
    if (!known) {
      const std::string hint = ignored_options().count(name) ? "" : did_you_mean(name, handled);
      net.warnings.push_back(fmt::format("{}: warning: option '{}' is ignored{}", card.at(t).str(), name, hint));
      continue;
    }
    if (name == "dialect") continue;  // read with the deck (netlist/dialect.cpp)
    if (name == "everystep") {
      o.every_step = v ? scope.value(card, *v).value != 0 : true;
      continue;
    }
    if (name == "interp") continue;  // read by the run, as ngspice's output reads it (analysis/study.hpp)
    if (name == "trnoise") {
      o.trnoise = v ? scope.value(card, *v).value != 0 : true;
      continue;
    }
    if (name == "bypass") {
      o.bypass = v ? scope.value(card, *v).value != 0 : true;
      continue;
    }
    if (name == "eventhold") {
      o.event_hold = v ? scope.value(card, *v).value != 0 : true;
      continue;
    }
    if (!v) throw InputError(card.at(t), fmt::format("option '{}' needs a value", name));
    if (name == "seed" && v->kind == Token::Kind::Word && v->text == "random") {
      // ngspice seeds from the clock; so do we, once per program run (a deck read again for
      // a reset or a .step point keeps it), and say with what, for --seed to repeat it
      static const std::uint64_t clock_seed =
          static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) % 1000000007u;
      o.deck_seed = clock_seed;
      net.warnings.push_back(fmt::format("{}: note: option seed=random: this run's draws are seeded with {} "
                                         "(--seed {} repeats them)", card.at(*v).str(), *o.deck_seed, *o.deck_seed));
      continue;
    }
    if (name == "seed") {  // the Monte Carlo draws' and the noise's seed, as --seed (which wins)
      const Number n = scope.value(card, *v);
      if (!(n.value >= 0 && n.value < 1.8e19 && n.value == std::floor(n.value)))
        throw InputError(n.where, fmt::format("option 'seed' must be a whole number of at least 0, not {:g}", n.value));
      o.deck_seed = static_cast<std::uint64_t>(n.value);
      continue;
    }
    if (name == "errnorm") {
      if (v->text != "rms" && v->text != "max")
        throw InputError(card.at(*v), fmt::format("option 'errnorm' must be rms or max, not '{}'", v->text));
      o.errnorm = v->text;
      continue;
    }
    if (name == "linsolve") {
      if (v->text != "auto" && v->text != "klu" && v->text != "blocks")
        throw InputError(card.at(*v), fmt::format("option 'linsolve' must be auto, klu or blocks, not '{}'", v->text));
      o.linsolve = v->text;
      continue;
    }
    if (name == "method") {
      // LTspice's modtrap is its own default rule (a damped trapezoidal one): taken as a
      // request for the default, as its other value is LTspice's gear.
      if (v->text == "modtrap") {
        net.warnings.push_back(fmt::format("{}: warning: method 'modtrap' (LTspice's default) runs as this program's default method", card.at(*v).str()));
        continue;
      }
      if (v->text != "gear" && v->text != "trap" && v->text != "trapezoidal")
        throw InputError(card.at(*v), fmt::format("option 'method' must be gear, trap or modtrap, not '{}'", v->text));
      // trap: the trapezoidal rule (engine/trapezoidal.cpp), which does not damp an
      // oscillation; gear: IDA's variable-order BDF, which does (issue 16).
      o.method = v->text == "gear" ? "gear" : "trap";
      continue;
    }
    const Number n = scope.value(card, *v);
    if (name == "nfreqs" || name == "fourgridsize") {  // .four's harmonics and grid
      if (!(n.value >= 2 && n.value <= 1e6 && n.value == std::floor(n.value)))
        throw InputError(n.where, fmt::format("option '{}' must be a whole number from 2 to 1e6, not {:g}", name, n.value));
      (name == "nfreqs" ? o.fourier_harmonics : o.fourier_grid) = static_cast<std::size_t>(n.value);
      continue;
    }
    if (name == "temp") {
      if (!scope.temp_card) o.temp = n.value;
    }
    else if (name == "tnom") o.tnom = n.value;
    else if (name == "scale") {
      if (!(n.value > 0)) throw InputError(n.where, fmt::format("option 'scale' must be > 0, not {:g}", n.value));
      o.scale = n.value;
    }
    else {
      const bool zero_ok = name == "gmin";
      if (n.value < 0 || (n.value == 0 && !zero_ok))
        throw InputError(n.where, fmt::format("option '{}' must be {}, not {:g}", name, zero_ok ? ">= 0" : "> 0", n.value));
      if (name == "reltol") o.reltol = n.value;
      else if (name == "abstol") o.abstol = n.value;
      else if (name == "vntol") o.vntol = n.value;
      else if (name == "chgtol") o.chgtol = n.value;
      else if (name == "gmin") o.gmin = n.value;
      else if (name == "rshunt") o.rshunt = n.value;
      else if (name == "cshunt") o.cshunt = n.value;
      else o.tmax = n.value;  // tmax, maxstep
    }
  }
}

}  // namespace

// .ic v(n)=value ... (at the top level, or in a subcircuit's body for each instance)
void read_initial_values(const Card& card, const std::function<Number(const Card&, const Token&)>& value,
                         const std::function<std::string(const std::string&)>& node, std::vector<InitialValue>& out) {
  const auto& tk = card.tokens;
  for (std::size_t k = 1; k < tk.size();) {
    if (tk[k].kind == Kind::Comma) {
      ++k;
      continue;
    }
    const bool ok = k + 5 < tk.size() && tk[k].kind == Kind::Word && tk[k].text == "v" &&
                    tk[k + 1].kind == Kind::LParen && tk[k + 2].kind == Kind::Word &&
                    tk[k + 3].kind == Kind::RParen && tk[k + 4].kind == Kind::Equals;
    if (!ok)
      throw InputError(card.at(tk[k]), fmt::format("expected v(node)=value on '{}'", card.keyword()));
    out.push_back({node(tk[k + 2].text), value(card, tk[k + 5])});
    k += 6;
  }
}

namespace {

// ngspice reads a .print line as expressions separated by blanks or commas, where an
// operator joins its neighbours: '.print v(a) -i(v1)' is one column, v(a)-i(v1). The end
// of the item starting at text[i].
std::size_t item_end(std::string_view text, std::size_t i) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  auto op = [](char c) { return std::string_view("+-*/^").find(c) != std::string_view::npos; };
  for (int depth = 0; i < text.size(); ++i) {
    const char c = text[i];
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (depth > 0) continue;
    if (c == ',') break;
    if (blank(c)) {
      std::size_t j = i;
      while (j < text.size() && blank(text[j])) ++j;
      if (j == text.size() || (!op(text[j]) && !op(text[i - 1]))) break;
      i = j - 1;
    }
  }
  return i;
}

// An item that is more than one probe call (v(a), vdb(a), db(v(a)), i(v1)): '-i(v1)',
// 'abs(i(v1))', 'v(a)*i(v1)'. A bare word is a node name, as before.
bool is_expression(std::string_view item) {
  const std::size_t open = item.find('(');
  if (open == std::string_view::npos) return false;
  static const std::set<std::string, std::less<>> parts = {"db", "ph", "phase", "mag", "real", "imag"};
  std::string_view word = item.substr(0, open);
  while (!word.empty() && (word.back() == ' ' || word.back() == '\t')) word.remove_suffix(1);
  if (!probe_call_form(word) && !parts.contains(word)) return true;
  int depth = 0;
  for (std::size_t k = open; k < item.size(); ++k) {
    depth += item[k] == '(' ? 1 : item[k] == ')' ? -1 : 0;
    if (depth == 0) return k + 1 != item.size();
  }
  return false;
}

void outputs(const Card& card, Netlist& net) {
  const auto& tk = card.tokens;
  std::size_t k = 1;
  if (k < tk.size() && tk[k].kind == Kind::Word &&
      (tk[k].text == "op" || tk[k].text == "dc" || tk[k].text == "tran" || tk[k].text == "ac" || tk[k].text == "pz" ||
       tk[k].text == "sens" || tk[k].text == "noise"))
    ++k;  // .print pz all, .print sens all: those analyses write what they compute, whatever is named
  auto add = [&](ProbeRequest p) {
    for (auto& q : net.outputs)
      if (q.label == p.label) {
        for (const auto& f : p.forms)
          if (std::find(q.forms.begin(), q.forms.end(), f) == q.forms.end()) q.forms.push_back(f);
        return;
      }
    net.outputs.push_back(std::move(p));
  };
  // vm(a) vp(a) vdb(a) vr(a) vi(a), im(v1)...: a part of v(a) or i(v1) for .ac.
  auto form_of = [&](std::size_t j) -> std::string {
    if (tk[j].kind != Kind::Word || j + 1 >= tk.size() || tk[j + 1].kind != Kind::LParen) return {};
    return probe_call_form(tk[j].text).value_or("");
  };
  // ngspice's .probe also names terminal currents (i(m1:s)), device voltages (vd(r1)) and
  // powers (p(m1), alli), and ngspice ignores a group '(xyz)': those items are skipped with a
  // warning, the rest saved as .save's.
  std::vector<bool> skipped(tk.size(), false);
  if (card.keyword() == ".probe")
    for (std::size_t j = k; j < tk.size(); ++j) {
      if (tk[j].kind == Kind::Comma) continue;
      std::size_t close = j;
      if (tk[j].kind == Kind::LParen) --close;  // '(xyz)': the group, skipped whole
      if (tk[j].kind == Kind::LParen || (j + 1 < tk.size() && tk[j + 1].kind == Kind::LParen))
        for (int depth = 0; close + 1 < tk.size();) {
          const Kind c = tk[++close].kind;
          depth += c == Kind::LParen ? 1 : c == Kind::RParen ? -1 : 0;
          if (depth == 0) break;
        }
      const std::string_view inside = std::string_view(card.text).substr(
          tk[j].offset, tk[close].offset + tk[close].text.size() - tk[j].offset);
      const bool plain = tk[j].kind != Kind::Word ? false
                         : close == j ? tk[j].text != "alli" && tk[j].text != "allv" && tk[j].text != "allp"
                                    : (tk[j].text == "v" || tk[j].text == "i") && inside.find(':') == std::string_view::npos &&
                                          inside.find('*') == std::string_view::npos &&
                                          (tk[j].text == "v" || inside.find(',') == std::string_view::npos);
      // vd(r1): the voltage across a two-terminal element, v(n1) - v(n2), named vd_r1 (ngspice's).
      if (!plain && tk[j].text == "vd" && close == j + 3 && tk[j + 2].kind == Kind::Word) {
        const auto e = std::find_if(net.elements.begin(), net.elements.end(),
                                    [&](const Element& x) { return x.name == tk[j + 2].text; });
        if (e != net.elements.end() && e->nodes.size() == 2) {
          ProbeRequest p;
          p.a = e->nodes[0];
          p.b = e->nodes[1];
          p.label = "vd_" + e->name;
          p.where = card.at(tk[j]);
          add(std::move(p));
          std::fill(skipped.begin() + static_cast<std::ptrdiff_t>(j), skipped.begin() + static_cast<std::ptrdiff_t>(close) + 1, true);
          j = close;
          continue;
        }
      }
      if (!plain) {
        // HSPICE's wildcards, v(*), i(x*.*): ngspice ignores them too; without other
        // probes every node is written anyway.
        const bool wildcard = inside.find('*') != std::string_view::npos;
        net.warnings.push_back(fmt::format("{}: warning: '.probe {}' is not supported{}: skipped", card.at(tk[j]).str(), inside,
                                           wildcard ? " (a wildcard)" : ""));
        std::fill(skipped.begin() + static_cast<std::ptrdiff_t>(j), skipped.begin() + static_cast<std::ptrdiff_t>(close) + 1, true);
      }
      j = close;
    }
  // .print noise v(inoise_spectrum) onoise_total...: the vectors .noise writes whatever is
  // named (ngspice's names, bare or as v(...)), not nodes.
  if (k == 2 && tk[1].text == "noise")
    for (std::size_t j = k; j < tk.size(); ++j) {
      static const std::set<std::string, std::less<>> noise = {"inoise_spectrum", "onoise_spectrum", "inoise_total",
                                                               "onoise_total"};
      if (tk[j].kind != Kind::Word || !noise.contains(tk[j].text)) continue;
      const bool called = j >= 2 && tk[j - 1].kind == Kind::LParen && j + 1 < tk.size() && tk[j + 1].kind == Kind::RParen;
      std::fill(skipped.begin() + static_cast<std::ptrdiff_t>(called ? j - 2 : j),
                skipped.begin() + static_cast<std::ptrdiff_t>(called ? j + 2 : j + 1), true);
    }
  // db(v(a)), ph(i(v1)), mag(..), real(..), imag(..): the function spellings of the same parts.
  auto wrapped_form = [&](std::size_t j) -> std::string {
    static const std::map<std::string, std::string, std::less<>> forms = {
        {"db", "db"}, {"ph", "p"}, {"phase", "p"}, {"mag", "m"}, {"real", "r"}, {"imag", "i"}};
    const auto it = forms.find(tk[j].text);
    if (tk[j].kind != Kind::Word || it == forms.end() || j + 3 >= tk.size() || tk[j + 1].kind != Kind::LParen ||
        (tk[j + 2].text != "v" && tk[j + 2].text != "i") || tk[j + 3].kind != Kind::LParen)
      return {};
    return it->second;
  };
  for (; k < tk.size(); ++k) {
    const Token& t = tk[k];
    const Location where = card.at(t);
    if (t.kind == Kind::Comma || skipped[k]) continue;
    // '(' opens an expression on .print: (v(a)-v(b))*2, HSPICE's PAR('...') unwrapped (reader.cpp).
    if (t.kind != Kind::Word && !(t.kind == Kind::LParen && card.keyword() == ".print"))
      throw InputError(where, fmt::format("unexpected '{}' on '{}'", t.text, card.keyword()));
    if (t.text == "all") continue;
    if (t.text == "allcurrents") {  // ngspice: all, and every device's terminal currents
      net.warnings.push_back(fmt::format("{}: warning: '{} allcurrents': saving all; device terminal currents are not written", where.str(), card.keyword()));
      continue;
    }
    if (const std::size_t end = item_end(card.text, t.offset);
        card.keyword() == ".print" && is_expression(std::string_view(card.text).substr(t.offset, end - t.offset))) {
      auto q = std::make_shared<Quantity>(probe_expression(card, t.offset, end - t.offset));
      if (!q->names.empty())
        throw InputError(card.at(t.offset + q->names[0].second),
                         fmt::format("'{}' is not a probe in '{}' (a node voltage is v({}))", q->names[0].first,
                                     q->text, q->names[0].first));
      if (q->probes.empty())
        throw InputError(where, fmt::format("'{}' reads no probe (v(node), i(source), @device[quantity])", q->text));
      ProbeRequest p;
      p.kind = ProbeRequest::Kind::Expression;
      for (char c : q->text)
        if (c != ' ' && c != '\t' && c != '\r') p.label += c;
      p.expression = std::move(q);
      p.where = where;
      add(std::move(p));
      while (k + 1 < tk.size() && tk[k + 1].offset < end) ++k;
      continue;
    }
    if (const std::string form = wrapped_form(k); !form.empty()) {
      std::size_t end = 0;
      std::optional<ProbeRequest> p;
      try {
        p = read_probe(card.text, tk[k + 2].offset, end);
        if (!p) throw ExpressionError(0, "expected v(node) or i(source)");
      } catch (const ExpressionError& e) {
        throw InputError(where, fmt::format("{} on '{}'", e.what(), card.keyword()));
      }
      k += 2;
      while (k < tk.size() && tk[k].offset < end) ++k;
      if (k == tk.size() || tk[k].kind != Kind::RParen)
        throw InputError(where, fmt::format("'{}(' has no matching ')' on '{}'", t.text, card.keyword()));
      p->forms.push_back(form);
      p->where = where;
      add(std::move(*p));
      continue;
    }
    const std::string form = form_of(k);
    const bool call = ((t.text == "v" || t.text == "i") && k + 1 < tk.size() && tk[k + 1].kind == Kind::LParen) ||
                      !form.empty();
    if (call || t.text[0] == '@') {
      std::size_t end = 0;
      try {
        // vdb(a) reads as v(a): the probe from the text with the form's letters dropped.
        const std::string text = form.empty() ? card.text
                                              : card.text.substr(0, t.offset + 1) + card.text.substr(t.offset + t.text.size());
        ProbeRequest p = *read_probe(text, t.offset, end);
        if (!form.empty()) end += form.size(), p.forms.push_back(form);
        if (!call && end != t.offset + t.text.size())
          throw ExpressionError(0, fmt::format("expected @device[quantity], not '{}'", t.text));
        p.where = where;
        add(std::move(p));
      } catch (const ExpressionError& e) {
        throw InputError(where, call ? fmt::format("{} on '{}'", e.what(), card.keyword()) : e.what());
      }
      while (k + 1 < tk.size() && tk[k + 1].offset < end) ++k;
    } else {
      ProbeRequest p;  // a bare node name, or ngspice's name of a branch current: vids#branch is i(vids)
      p.where = where;
      p.a = t.text;
      p.label = "v(" + t.text + ")";
      if (constexpr std::string_view branch = "#branch"; t.text.size() > branch.size() && t.text.ends_with(branch)) {
        p.kind = ProbeRequest::Kind::Current;
        p.a.resize(p.a.size() - branch.size());
        p.label = "i(" + p.a + ")";
      }
      add(std::move(p));
    }
  }
}

// .step [lin|dec|oct] TARGET [lin|dec|oct|list] values, TARGET a knob (netlist/knob.hpp).
void step(const ControlCard& card, Netlist& net) {
  constexpr std::size_t max_steps = 3;
  const auto& a = card.args;
  if (net.steps.size() == max_steps)
    throw InputError(card.where, fmt::format("at most {} '.step' cards may nest (the first is at {})",
                                             max_steps, net.steps.front().knob.where.str()));
  auto is_word = [&](std::size_t j) { return j < a.size() && a[j].kind == CardArg::Kind::Word; };
  auto is_type = [&](std::size_t j, bool list_too) {
    return is_word(j) && (a[j].text == "lin" || a[j].text == "dec" || a[j].text == "oct" ||
                          (list_too && a[j].text == "list"));
  };
  std::size_t k = 0;
  std::string type;
  if (is_type(k, false) && is_word(k + 1) && !looks_numeric(a[k + 1].text)) type = a[k++].text;
  Step s{read_knob(net, card, k, KnobCard::Step), {}};
  if (is_type(k, true)) {
    if (!type.empty()) throw InputError(a[k].where, fmt::format("the sweep type is already '{}'", type));
    type = a[k++].text;
  }
  if (type.empty()) type = "lin";
  std::vector<const CardArg*> values;
  for (; k < a.size(); ++k) {
    if (a[k].kind == CardArg::Kind::Comma) continue;
    if (!a[k].is_value() || (type != "list" && values.size() == 3))
      throw InputError(a[k].where, fmt::format("unexpected '{}' on '.step'", a[k].text));
    values.push_back(&a[k]);
  }
  if (type == "list" ? values.empty() : values.size() != 3)
    throw InputError(s.knob.where, fmt::format("'.step {}' needs {}", s.knob.label,
                                               type == "list" ? "at least one value after 'list'"
                                               : type == "lin" ? "start, stop and increment"
                                                               : "start, stop and points per " +
                                                                     std::string(type == "dec" ? "decade" : "octave")));
  for (const Step& other : net.steps)
    if (other.knob.label == s.knob.label)
      throw InputError(s.knob.where, fmt::format("'{}' is already stepped at {}", s.knob.label,
                                                 other.knob.where.str()));
  s.points = sweep_points(type, values);
  net.steps.push_back(std::move(s));
}

void monte_carlo(const Card& card, ControlScope& scope) {
  Netlist& net = scope.netlist;
  if (net.monte_carlo.runs > 0)
    throw InputError(card.where(), fmt::format("only one '.mc' card per deck (the first is at {})",
                                               net.monte_carlo.where.str()));
  if (card.tokens.size() != 2) throw InputError(card.where(), "'.mc' takes the number of runs");
  const Number n = scope.value(card, card.tokens[1]);
  if (!(n.value >= 1 && n.value <= 1e9 && n.value == std::floor(n.value)))
    throw InputError(n.where, fmt::format("the number of Monte Carlo runs must be a whole number >= 1, not {:g}",
                                          n.value));
  net.monte_carlo = MonteCarlo{static_cast<std::size_t>(n.value), card.where()};
}

// .csparam NAME = VALUE ...: evaluated in the .param scope, for the control script.
void csparam(const Card& card, ControlScope& scope) {
  const auto& tk = card.tokens;
  if (tk.size() < 2) throw InputError(card.where(), "'.csparam' needs name = value");
  for (std::size_t k = 1; k < tk.size(); k += 3) {
    if (tk[k].kind == Kind::Comma && ++k >= tk.size()) break;
    if (!is_assignment(tk, k) || k + 2 >= tk.size())
      throw InputError(card.at(tk[k]), fmt::format("expected name = value on '.csparam', not '{}'", tk[k].text));
    scope.netlist.csparams.emplace_back(tk[k].text, scope.value(card, tk[k + 2]).value);
  }
}

// LTspice's .meas op (a value at the operating point) is not measured here: ngspice 39
// reports it as an unrecognised analysis type and runs the rest (measured), and so does
// this program, with a warning, rather than refusing the deck.
bool is_meas_op(const Card& c) {
  return (c.keyword() == ".meas" || c.keyword() == ".measure") && c.tokens.size() > 1 &&
         c.tokens[1].kind == Kind::Word && c.tokens[1].text == "op";
}

void measure(const Card& card, ControlScope& scope) {
  if (is_meas_op(card)) {
    scope.netlist.warnings.push_back(fmt::format("{}: warning: '{} op' is not supported (nor in ngspice 39): skipped",
                                                 card.at(card.tokens[1]).str(), card.keyword()));
    return;
  }
  MeasureScope m;
  m.value = scope.value;
  for (const auto& [name, value] : scope.netlist.params) m.params.push_back(name);  // sorted: a map
  m.earlier = &scope.netlist.measures;
  m.functions = functions_of(scope.deck.top);  // the deck outlives the netlist's measures (Netlist::deck)
  for (const Card* c : scope.deck.controls)
    if ((c->keyword() == ".meas" || c->keyword() == ".measure") && c->tokens.size() > 2 && !is_meas_op(*c))
      m.all.emplace(c->tokens[2].text, c->at(c->tokens[2]));
  scope.netlist.measures.push_back(parse_measure(card, m));
}

}  // namespace

Card script_card(const std::string& keyword, const std::string& text, const Location& where) {
  Card card;
  card.text = keyword + " " + text;
  card.file = where.file;
  // The keyword is not on the script line; the text starts at `where`.
  card.segments = {{0, where.line, where.column}, {keyword.size() + 1, where.line, where.column}};
  tokenize(card);
  return card;
}

Number param_value(const Card& card, const Token& t, const Netlist& netlist) {
  const Location at = card.at(t);
  if (const auto v = parse_number(t.text)) return Number{*v, at};
  if (t.kind == Token::Kind::Word && looks_numeric(t.text)) throw InputError(at, fmt::format("invalid number '{}'", t.text));
  const auto expression = parse_expression(card, t.offset, t.text.size(),
                                           netlist.deck ? functions_of(netlist.deck->top) : FunctionLookup{});
  try {
    return Number{expression->evaluate([&](const std::string& name, std::size_t offset) {
                    const auto it = netlist.params.find(name);
                    if (it == netlist.params.end())
                      throw InputError(card.at(t.offset + offset), fmt::format("undefined parameter '{}'", name));
                    return it->second;
                  }),
                  at};
  } catch (const ExpressionError& e) {
    throw_at(card, t.offset, e);
  }
}

void read_options_line(const std::string& text, const Location& where, Netlist& netlist) {
  const Card card = script_card(".options", text, where);
  ControlScope scope{*netlist.deck, netlist, [&](const Card& c, const Token& t) { return param_value(c, t, netlist); }};
  options(card, scope);
}

void read_save_line(const std::string& text, const Location& where, Netlist& netlist) {
  outputs(script_card(".save", text, where), netlist);
}

void read_control_card(const Card& card, ControlScope& scope) {
  const auto same_node = [](const std::string& n) { return n; };
  const std::string& k = card.keyword();
  Netlist& net = scope.netlist;
  if (k == ".options" || k == ".option" || k == ".opt") {
    options(card, scope);
  } else if (k == ".temp") {
    if (card.tokens.size() < 2) throw InputError(card.where(), "'.temp' needs a temperature");
    for (std::size_t k = 1; k < card.tokens.size(); ++k) scope.value(card, card.tokens[k]);  // each must read
    scope.temp_card = true;
    if (card.tokens.size() == 2) {
      net.options.temp = scope.value(card, card.tokens[1]).value;
    } else {
      // A list of temperatures is one run per temperature in LTspice and HSPICE: the same
      // as '.step temp list ...'. ngspice 39 runs once, at 27 C, with a warning (measured).
      ControlCard c = control_card(card, scope);
      const Location at = c.args.front().where;
      c.args.insert(c.args.begin(), {CardArg{CardArg::Kind::Word, "temp", at, std::nullopt, nullptr},
                                     CardArg{CardArg::Kind::Word, "list", at, std::nullopt, nullptr}});
      step(c, net);
    }
  } else if (k == ".ic") {
    read_initial_values(card, scope.value, same_node, net.ic);
  } else if (k == ".nodeset") {
    read_initial_values(card, scope.value, same_node, net.nodeset);
  } else if (k == ".print" || k == ".save" || k == ".probe") {
    outputs(card, net);
  } else if (k == ".step") {
    step(control_card(card, scope), net);
  } else if (k == ".mc") {
    monte_carlo(card, scope);
  } else if (k == ".meas" || k == ".measure") {
    measure(card, scope);
  } else if (k == ".csparam") {
    csparam(card, scope);
  } else if (k == ".four") {
    scope.netlist.fourier.push_back(parse_fourier(card, scope.value));
  } else {
    net.analyses.push_back(control_card(card, scope));
  }
}

}  // namespace ns
