// PSpice's U digital primitives, as vendor libraries (74xx models) write them, rewritten
// into XSPICE code-model A cards on the digital network (models/digital_*.cpp), as
// ngspice 39 reads them:
//
//   U<name> <primitive>[(<n>[,<m>])] <dpwr> <dgnd> <nodes...> <timing model> <io model>
//           [MNTYMXDLY=..] [IO_LEVEL=..]
//
// The power pins, the I/O model and MNTYMXDLY are read and dropped (no drive strengths or
// min/max corners here). A timing model's delay is its typical value; without one, the
// mean of min and max, or the one given; without any, 1 ps (ngspice's choice, measured:
// ugate tplhmn=2n tplhmx=4n gives 3n). A value of -1 is PSpice's "not given".
//
//   gates       and nand or nor (n inputs), xor xnor (2), buf inv (1): d_and ... with
//               rise_delay = tplh, fall_delay = tphl of the ugate
//   arrays      anda(n,m) ... xora(m) bufa(m) inva(m): m gates side by side
//   tristate    buf3 inv3 and3(n) ... and their arrays (one enable after the inputs): the
//               gate (1 ps) into a d_tristate whose delay is the larger of the utgate's
//               tplh and tphl
//   flip-flops  dff(n) jkff(n) (preset, clear active low; jkff clocks on the falling
//               edge): d_dff / d_jkff, clk_delay the larger of tpclkqlh and tpclkqhl,
//               set_delay tppcqlh, reset_delay tppcqhl of the ueff
//   latches     dltch(n), srff(n) (a gated SR latch): d_dlatch / d_srlatch, enable_delay
//               the larger of tpgqlh, tpgqhl; data_delay / sr_delay of tpdqlh, tpdqhl (ugff)
//   pull        pullup(n) pulldn(n): d_pullup / d_pulldown
//
// $d_hi and $d_lo are constant nodes (a pullup and a pulldown, made once); on a preset or
// clear pin, $d_hi is no connection. $d_nc is no connection on an output or a preset/clear.
//   logicexp    d_logicexp, its LOGIC section's statements and the ugate's delays
//               (models/digital_pspice.cpp)
//   pindly      d_pindly, its BOOLEAN, PINDLY and TRISTATE sections
//   constraint  read and dropped, with a warning: its checks change no node
// Anything else (STIM, RAM, ROM, PLAs) is refused, located.
#include <algorithm>
#include <array>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "expr/expression.hpp"
#include "netlist/deck.hpp"

namespace ns {

namespace {

constexpr double default_delay = 1e-12;  // ngspice's, for a delay no model gives

enum class Family { Gate, Tristate, Dff, Jkff, Srff, Latch, Pull, Logicexp, Pindly, Constraint };

struct Primitive {
  Family family = Family::Gate;
  std::string gate;       // XSPICE gate: d_and, d_inverter...
  std::string timing;     // the timing model type it takes: ugate, utgate, ueff, ugff
  int inputs = 1, count = 1;  // inputs per gate (or bits of a flip-flop), gates (outputs)
  int enables = 0, refs = 0;  // pindly
};

struct Base {
  std::string_view name, xspice;
  int fixed;  // inputs when it takes no (n); 0: (n) required
};
constexpr Base bases[] = {{"nand", "d_nand", 0}, {"xnor", "d_xnor", 2}, {"and", "d_and", 0},
                          {"nor", "d_nor", 0},   {"xor", "d_xor", 2},   {"or", "d_or", 0},
                          {"buf", "d_buffer", 1}, {"inv", "d_inverter", 1}};

constexpr std::string_view unsupported[] = {"stim", "ram", "rom",
                                            "pla", "pld", "rom", "nbtg", "pbtg", "nmos", "pmos", "udly"};

// The primitive a U card names, or nullopt when token 1 names none (a uniform RC line's node).
std::optional<std::string> primitive_name(const Card& card) {
  const auto& tk = card.tokens;
  if (tk.size() < 2 || tk[1].kind != Token::Kind::Word) return std::nullopt;
  const std::string& n = tk[1].text;
  for (std::string_view u : unsupported)
    if (n == u) return n;
  for (std::string_view f : {"dff", "jkff", "srff", "dltch", "pullup", "pulldn", "logicexp", "pindly", "constraint"})
    if (n == f) return n;
  for (const Base& b : bases)
    if (n.starts_with(b.name)) {
      const std::string_view rest = std::string_view(n).substr(b.name.size());
      if (rest.empty() || rest == "a" || rest == "3" || rest == "3a") return n;
    }
  return std::nullopt;
}

struct Reading {
  const Card& card;
  std::size_t k = 2;  // the next token

  std::vector<int> args(const std::string& name) {
    std::vector<int> out;
    const auto& tk = card.tokens;
    if (k >= tk.size() || tk[k].kind != Token::Kind::LParen) return out;
    for (++k; k < tk.size() && tk[k].kind != Token::Kind::RParen; ++k) {
      if (tk[k].kind == Token::Kind::Comma) continue;
      const auto v = parse_number(tk[k].text);
      // pindly(paths, enables, references) may have no enables or references
      const double least = name == "pindly" && !out.empty() ? 0 : 1;
      if (tk[k].kind != Token::Kind::Word || !v || *v < least || *v != static_cast<int>(*v) || *v > 1e6)
        throw InputError(card.at(tk[k]), fmt::format("'{}': '{}' is not a count of pins", name, tk[k].text));
      out.push_back(static_cast<int>(*v));
    }
    if (k == tk.size()) throw InputError(card.where(), fmt::format("'{}': '(' without ')'", name));
    ++k;
    return out;
  }
};

Primitive classify(const Card& card, const std::string& name, const std::vector<int>& args) {
  auto want = [&](std::size_t n, std::string_view form) {
    if (args.size() != n)
      throw InputError(card.at(card.tokens[1]), fmt::format("'{}': PSpice's '{}' is written {}", card.keyword(),
                                                            name, form));
  };
  Primitive p;
  if (name == "dff" || name == "jkff" || name == "srff" || name == "dltch") {
    want(1, name + "(<bits>)");
    p.family = name == "dff" ? Family::Dff : name == "jkff" ? Family::Jkff : name == "srff" ? Family::Srff : Family::Latch;
    p.timing = name == "dff" || name == "jkff" ? "ueff" : "ugff";
    p.count = args[0];
    return p;
  }
  if (name == "logicexp" || name == "pindly" || name == "constraint") {
    p.family = name == "logicexp" ? Family::Logicexp : name == "pindly" ? Family::Pindly : Family::Constraint;
    want(name == "logicexp" ? 2 : name == "pindly" ? 3 : 1,
         name == "logicexp" ? "logicexp(<inputs>,<outputs>)"
         : name == "pindly" ? "pindly(<paths>,<enables>,<references>)" : "constraint(<nodes>)");
    if (p.family == Family::Logicexp) p.inputs = args[0], p.count = args[1], p.timing = "ugate";
    if (p.family == Family::Pindly) p.count = args[0], p.enables = args[1], p.refs = args[2];
    if (p.family == Family::Constraint) p.inputs = args[0];
    return p;
  }
  if (name == "pullup" || name == "pulldn") {
    want(1, name + "(<outputs>)");
    p.family = Family::Pull;
    p.gate = name == "pullup" ? "d_pullup" : "d_pulldown";
    p.count = args[0];
    return p;
  }
  for (const Base& b : bases) {
    if (!name.starts_with(b.name)) continue;
    const std::string_view rest = std::string_view(name).substr(b.name.size());
    const bool array = rest.ends_with('a');
    p.family = rest.starts_with('3') ? Family::Tristate : Family::Gate;
    p.timing = p.family == Family::Tristate ? "utgate" : "ugate";
    p.gate = b.xspice;
    if (b.fixed) {
      p.inputs = b.fixed;
      if (array) want(1, name + "(<gates>)"), p.count = args[0];
      else want(0, name);
    } else if (array) {
      want(2, name + "(<inputs>,<gates>)");
      p.inputs = args[0], p.count = args[1];
    } else {
      want(1, name + "(<inputs>)");
      p.inputs = args[0];
    }
    return p;
  }
  throw InputError(card.at(card.tokens[1]), fmt::format("'{}': unknown PSpice primitive '{}'", card.keyword(), name));
}

// The nodes a primitive takes after its power pins, for messages.
std::size_t node_count(const Primitive& p, std::string& what) {
  const auto n = static_cast<std::size_t>(p.count), i = static_cast<std::size_t>(p.inputs);
  switch (p.family) {
    case Family::Gate: what = fmt::format("{} inputs, {} outputs", i * n, n); return i * n + n;
    case Family::Tristate: what = fmt::format("{} inputs, an enable, {} outputs", i * n, n); return i * n + 1 + n;
    case Family::Dff: what = fmt::format("preset, clear, clock, {0} data, {0} q, {0} q-bar", n); return 3 + 3 * n;
    case Family::Latch: what = fmt::format("preset, clear, gate, {0} data, {0} q, {0} q-bar", n); return 3 + 3 * n;
    case Family::Jkff: what = fmt::format("preset, clear, clock-bar, {0} j, {0} k, {0} q, {0} q-bar", n); return 3 + 4 * n;
    case Family::Srff: what = fmt::format("preset, clear, gate, {0} s, {0} r, {0} q, {0} q-bar", n); return 3 + 4 * n;
    case Family::Pull: what = fmt::format("{} outputs", n); return n;
    case Family::Logicexp: what = fmt::format("{} inputs, {} outputs", i, n); return i + n;
    case Family::Pindly:
      what = fmt::format("{0} inputs, {1} enables, {2} references, {0} outputs", n, p.enables, p.refs);
      return 2 * n + static_cast<std::size_t>(p.enables + p.refs);
    case Family::Constraint: what = fmt::format("{} nodes", i); return i;
  }
  return 0;
}

// A timing model's parameters (name=number), from its .model card.
struct Timing {
  std::map<std::string, double> values;
  // PSpice's estimate of a delay: typical, else the mean of min and max, else either.
  std::optional<double> estimate(const std::string& name) const {
    auto get = [&](const char* corner) -> std::optional<double> {
      const auto it = values.find(name + corner);
      if (it == values.end() || it->second < 0) return std::nullopt;  // -1: not given
      return it->second;
    };
    if (auto ty = get("ty")) return ty;
    const auto mn = get("mn"), mx = get("mx");
    if (mn && mx) return (*mn + *mx) / 2;
    return mn ? mn : mx;
  }
  std::optional<double> larger(const std::string& a, const std::string& b) const {
    const auto x = estimate(a), y = estimate(b);
    if (x && y) return std::max(*x, *y);
    return x ? x : y;
  }
};

const Card* find_model(const Subckt& scope, const std::string& name) {
  for (const Subckt* s = &scope; s; s = s->parent)
    if (const auto it = s->models.find(name); it != s->models.end()) return it->second;
  return nullptr;
}

Timing read_timing(const Card& model) {
  Timing t;
  const auto& tk = model.tokens;
  for (std::size_t k = 3; k < tk.size(); ++k) {
    if (tk[k].kind != Token::Kind::Word || k + 2 >= tk.size() || tk[k + 1].kind != Token::Kind::Equals) continue;
    const Token& v = tk[k + 2];
    const auto x = parse_number(v.text);
    if (v.kind != Token::Kind::Word || !x)
      throw InputError(model.at(v), fmt::format("'{}' of the timing model '{}' must be a number here, not '{}'",
                                                tk[k].text, tk[1].text, v.text));
    t.values[tk[k].text] = *x;
    k += 2;
  }
  return t;
}

std::string seconds(double s) { return fmt::format("{:.12g}", std::max(s, default_delay)); }

class Translation {
public:
  Translation(Deck& deck, const Card& card, const Subckt& scope, std::vector<const Card*>& top)
      : deck_(deck), card_(card), scope_(scope), top_(top) {}

  std::vector<const Card*> run(const std::string& name) {
    const auto& tk = card_.tokens;
    if (std::find(std::begin(unsupported), std::end(unsupported), name) != std::end(unsupported))
      throw InputError(card_.at(tk[1]), fmt::format("'{}': the PSpice primitive '{}' is not supported (supported: gates, "
                                                    "their arrays and tristate forms, dff, jkff, srff, dltch, "
                                                    "pullup, pulldn, logicexp, pindly, constraint)",
                                                    card_.keyword(), name));
    Reading r{card_};
    const Primitive p = classify(card_, name, r.args(name));
    if (p.family == Family::Logicexp || p.family == Family::Pindly || p.family == Family::Constraint)
      return behavioural(p, name, r.k);
    std::vector<std::size_t> words;
    for (std::size_t k = r.k; k < tk.size(); ++k) {
      if (k + 1 < tk.size() && tk[k + 1].kind == Token::Kind::Equals) break;  // MNTYMXDLY=...
      if (tk[k].kind != Token::Kind::Word)
        throw InputError(card_.at(tk[k]), fmt::format("'{}': unexpected '{}'", card_.keyword(), tk[k].text));
      words.push_back(k);
    }
    std::string what;
    const std::size_t n = node_count(p, what);
    const std::size_t models = p.family == Family::Pull ? 1 : 2;  // timing and I/O (pull: I/O only)
    if (words.size() != 2 + n + models)
      throw InputError(card_.where(), fmt::format("'{}': '{}' takes the power pins, then {} nodes ({}), then {}; "
                                                  "this card has {} names", card_.keyword(), name, n, what,
                                                  models == 2 ? "a timing and an I/O model" : "an I/O model",
                                                  words.size()));
    for (std::size_t j = 0; j < n; ++j) nodes_.push_back(tk[words[2 + j]].text), where_.push_back(words[2 + j]);
    if (p.family != Family::Pull) timing(p, words[2 + n]);
    switch (p.family) {
      case Family::Gate: gates(p); break;
      case Family::Tristate: tristates(p); break;
      case Family::Dff:
      case Family::Jkff:
      case Family::Srff:
      case Family::Latch: flipflops(p); break;
      case Family::Pull:
      {
        const std::string m = model(p.gate, "");
        for (int g = 0; g < p.count; ++g) element(fmt::format("_{}", g), out(static_cast<std::size_t>(g)), m);
        break;
      }
      default: break;  // the behavioural primitives: behavioural()
    }
    return cards_;
  }

private:
  // LOGICEXP, PINDLY (models/digital_pspice.cpp) and CONSTRAINT: nodes, models, then
  // sections, each a word ending in ':' and statements `name... = {expression}` (TRISTATE:
  // `enable hi|lo = node` first). CONSTRAINT's timing checks (SETUP_HOLD, WIDTH, FREQ) only
  // warn in PSpice and change no node: read and dropped, as ngspice 39 does.
  std::vector<const Card*> behavioural(const Primitive& p, const std::string& name, std::size_t k) {
    const auto& tk = card_.tokens;
    auto section_word = [&](std::size_t j) { return tk[j].kind == Token::Kind::Word && tk[j].text.ends_with(':'); };
    std::vector<std::size_t> words;
    for (; k < tk.size() && !section_word(k); ++k) {
      if (k + 1 < tk.size() && tk[k + 1].kind == Token::Kind::Equals) break;  // MNTYMXDLY=...
      if (tk[k].kind != Token::Kind::Word)
        throw InputError(card_.at(tk[k]), fmt::format("'{}': unexpected '{}'", card_.keyword(), tk[k].text));
      words.push_back(k);
    }
    for (; k + 2 < tk.size() && !section_word(k) && tk[k + 1].kind == Token::Kind::Equals; k += 3) {}
    std::string what;
    const std::size_t n = node_count(p, what), models = p.family == Family::Logicexp ? 2 : 1;
    if (words.size() != 2 + n + models)
      throw InputError(card_.where(), fmt::format("'{}': '{}' takes the power pins, then {} nodes ({}), then {}; "
                                                  "this card has {} names", card_.keyword(), name, n, what,
                                                  models == 2 ? "a timing and an I/O model" : "an I/O model",
                                                  words.size()));
    for (std::size_t j = 0; j < n; ++j) nodes_.push_back(tk[words[2 + j]].text), where_.push_back(words[2 + j]);
    if (p.family == Family::Logicexp) timing(p, words[2 + n]);

    std::map<std::string, std::string> sections;  // section: its statements as name=expression;
    std::string section;
    while (k < tk.size()) {
      const Token& t = tk[k];
      if (section_word(k)) {
        section = t.text.substr(0, t.text.size() - 1);
        if (p.family == Family::Constraint ? section != "setup_hold" && section != "width" && section != "freq" &&
                                                 section != "general"
            : p.family == Family::Logicexp ? section != "logic"
                                           : section != "boolean" && section != "pindly" && section != "tristate")
          throw InputError(card_.at(t), fmt::format("'{}': '{}' has no section '{}'", card_.keyword(), name, t.text));
        ++k;
        continue;
      }
      if (section.empty())
        throw InputError(card_.at(t), fmt::format("'{}': unexpected '{}' before a section ({})", card_.keyword(),
                                                  t.text, p.family == Family::Logicexp ? "logic:" : "pindly:"));
      if (p.family == Family::Constraint) {  // its checks: read past
        ++k;
        continue;
      }
      if (section == "tristate" && t.kind == Token::Kind::Word && t.text == "enable") {
        if (k + 3 >= tk.size() || (tk[k + 1].text != "hi" && tk[k + 1].text != "lo") ||
            tk[k + 2].kind != Token::Kind::Equals || tk[k + 3].kind != Token::Kind::Word)
          throw InputError(card_.at(t), fmt::format("'{}': a tristate section starts 'enable hi|lo = node'",
                                                    card_.keyword()));
        sections["tristate"] += fmt::format(";{} {}", tk[k + 3].text, tk[k + 1].text);
        k += 4;
        continue;
      }
      std::string targets;
      for (; k < tk.size() && tk[k].kind == Token::Kind::Word && !section_word(k); ++k) targets += " " + tk[k].text;
      if (targets.empty() || k + 1 >= tk.size() || tk[k].kind != Token::Kind::Equals || tk[k + 1].kind != Token::Kind::Expr)
        throw InputError(card_.at(tk[std::min(k, tk.size() - 1)]),
                         fmt::format("'{}': a statement of '{}:' is 'name = {{expression}}'", card_.keyword(), section));
      const Token& e = tk[k + 1];
      if (e.text.find_first_of(";\"") != std::string::npos)
        throw InputError(card_.at(e), fmt::format("'{}': ';' or '\"' in an expression", card_.keyword()));
      if (section == "tristate") {
        if (!sections.count("tristate"))
          throw InputError(card_.at(tk[k - 1]), fmt::format("'{}': a tristate section starts 'enable hi|lo = node'",
                                                            card_.keyword()));
        sections["tristate"] += targets;
        sections["pindly"] += fmt::format("{}={};", targets, e.text);
      } else {
        sections[section] += fmt::format("{}={};", targets, e.text);
      }
      k += 2;
    }
    if (p.family == Family::Constraint) {
      deck_.warnings.push_back(fmt::format("{}: warning: '{}': PSpice's timing checks (constraint) are not made",
                                           card_.where().str(), card_.keyword()));
      return cards_;
    }
    std::string pins;
    for (std::size_t j = 0; j < n; ++j) pins += (j ? " " : "") + nodes_[j];
    const std::size_t inputs = p.family == Family::Logicexp ? static_cast<std::size_t>(p.inputs) : n - p.count;
    std::string params;
    if (p.family == Family::Logicexp) {
      const std::string rise = seconds(timing_.estimate("tplh").value_or(default_delay));
      const std::string fall = seconds(timing_.estimate("tphl").value_or(default_delay));
      params = fmt::format("rise_delay={} fall_delay={} pins=\"{}\" logic=\"{}\"", rise, fall, pins, sections["logic"]);
    } else {
      std::string tri = sections["tristate"];
      if (!tri.empty()) tri.erase(0, 1);
      params = fmt::format("paths={} enables={} pins=\"{}\" boolean=\"{}\" delay=\"{}\" tristate=\"{}\"", p.count,
                           p.enables, pins, sections["boolean"], sections["pindly"], tri);
    }
    const std::string m = model(p.family == Family::Logicexp ? "d_logicexp" : "d_pindly", params, "");
    std::string ins = "[", outs = "[";
    for (std::size_t j = 0; j < inputs; ++j) ins += " " + in(j);
    for (std::size_t j = inputs; j < n; ++j) outs += " " + out(j);
    element("", ins + " ] " + outs + " ]", m);
    return cards_;
  }

  void timing(const Primitive& p, std::size_t k) {
    const Token& t = card_.tokens[k];
    const Card* m = find_model(scope_, t.text);
    if (!m) {
      deck_.warnings.push_back(fmt::format("{}: warning: '{}': no timing model '{}': its delays are 1 ps",
                                           card_.at(t).str(), card_.keyword(), t.text));
      return;
    }
    if (m->tokens[2].text != p.timing)
      throw InputError(card_.at(t), fmt::format("'{}': the timing model '{}' is a '{}', but '{}' takes a '{}'",
                                                card_.keyword(), t.text, m->tokens[2].text, card_.tokens[1].text,
                                                p.timing));
    timing_ = read_timing(*m);
  }

  // Node j of the card: a constant made once for $d_hi and $d_lo.
  std::string in(std::size_t j) {
    const std::string& n = nodes_[j];
    if (n == "$d_nc")
      throw InputError(card_.at(card_.tokens[where_[j]]),
                       fmt::format("'{}': $d_nc (no connection) on an input", card_.keyword()));
    if (n == "$d_hi" || n == "$d_lo") constant(n);
    return n;
  }
  std::string out(std::size_t j) const { return nodes_[j] == "$d_nc" ? "null" : nodes_[j]; }
  // An active-low preset or clear: the XSPICE set or reset, inverted; NULL when inactive.
  std::string active_low(std::size_t j) {
    if (nodes_[j] == "$d_hi" || nodes_[j] == "$d_nc") return "null";
    return "~" + in(j);
  }

  void constant(const std::string& node) {
    if (deck_.globals.count(node)) return;
    deck_.globals.insert(node);
    const bool hi = node == "$d_hi";
    const std::string m = hi ? "d_u$d_hi" : "d_u$d_lo";
    cards_top(fmt::format("a{} {} {}", node.substr(1), node, m));
    cards_top(fmt::format(".model {} {}", m, hi ? "d_pullup" : "d_pulldown"));
  }

  std::string gate_model(const std::string& gate, const std::string& rise, const std::string& fall, const std::string& tag) {
    return model(gate, fmt::format("rise_delay={} fall_delay={}", rise, fall), tag);
  }

  void gates(const Primitive& p) {
    const std::string rise = seconds(timing_.estimate("tplh").value_or(default_delay));
    const std::string fall = seconds(timing_.estimate("tphl").value_or(default_delay));
    const std::string m = gate_model(p.gate, rise, fall, "");
    const auto i = static_cast<std::size_t>(p.inputs), c = static_cast<std::size_t>(p.count);
    for (std::size_t g = 0; g < c; ++g)
      element(c > 1 ? fmt::format("_{}", g) : "", inputs(g * i, i) + " " + out(i * c + g), m);
  }

  void tristates(const Primitive& p) {
    const auto delay = timing_.larger("tplh", "tphl");
    const std::string tri = model("d_tristate", "delay=" + seconds(delay.value_or(default_delay)), "tri");
    const auto i = static_cast<std::size_t>(p.inputs), c = static_cast<std::size_t>(p.count);
    const std::string enable = in(i * c);
    const bool buffer = p.gate == "d_buffer";
    const std::string g = buffer ? "" : gate_model(p.gate, seconds(default_delay), seconds(default_delay), "");
    for (std::size_t k = 0; k < c; ++k) {
      const std::string suffix = c > 1 ? fmt::format("_{}", k) : "";
      std::string data = inputs(k * i, i);
      if (!buffer) {
        const std::string inner = fmt::format("{}{}$out", card_.keyword(), suffix);
        element(suffix + "_gate", data + " " + inner, g);
        data = inner;
      }
      element(suffix, data + " " + enable + " " + out(i * c + 1 + k), tri);
    }
  }

  void flipflops(const Primitive& p) {
    std::string params;
    auto add = [&](const char* name, std::optional<double> v) {
      if (v) params += fmt::format("{}{}={}", params.empty() ? "" : " ", name, seconds(*v));
    };
    std::string type;
    switch (p.family) {
      case Family::Dff: type = "d_dff"; add("clk_delay", timing_.larger("tpclkqlh", "tpclkqhl")); break;
      case Family::Jkff: type = "d_jkff"; add("clk_delay", timing_.larger("tpclkqlh", "tpclkqhl")); break;
      case Family::Srff: type = "d_srlatch"; add("sr_delay", timing_.larger("tpdqlh", "tpdqhl")); break;
      default: type = "d_dlatch"; add("data_delay", timing_.larger("tpdqlh", "tpdqhl")); break;
    }
    if (p.family == Family::Srff || p.family == Family::Latch) add("enable_delay", timing_.larger("tpgqlh", "tpgqhl"));
    add("set_delay", timing_.estimate("tppcqlh"));
    add("reset_delay", timing_.estimate("tppcqhl"));
    const std::string m = model(type, params, "");
    const auto n = static_cast<std::size_t>(p.count);
    const std::string set = active_low(0), reset = active_low(1);
    // The JK flip-flop's clock is PSpice's falling edge: XSPICE's rising edge of its inverse.
    const std::string clock = p.family == Family::Jkff ? "~" + in(2) : in(2);
    const bool two = p.family == Family::Jkff || p.family == Family::Srff;
    const std::size_t q = 3 + (two ? 2 : 1) * n;
    for (std::size_t b = 0; b < n; ++b) {
      std::string data = in(3 + b);
      if (two) data += " " + in(3 + n + b);
      element(fmt::format("_{}", b), fmt::format("{} {} {} {} {} {}", data, clock, set, reset, out(q + b), out(q + n + b)),
              m);
    }
  }

  std::string inputs(std::size_t first, std::size_t count) {
    if (count == 1) return in(first);
    std::string s = "[";
    for (std::size_t j = first; j < first + count; ++j) s += " " + in(j);
    return s + " ]";
  }

  std::string model(const std::string& type, const std::string& params, const std::string& tag) {
    const std::string name = fmt::format("d_{}{}{}", card_.keyword(), tag.empty() ? "" : "_", tag);
    cards_.push_back(make(params.empty() ? fmt::format(".model {} {}", name, type)
                                         : fmt::format(".model {} {}({})", name, type, params)));
    return name;
  }
  std::string model(const std::string& type, const std::string& params) { return model(type, params, ""); }
  void element(const std::string& suffix, const std::string& nodes, const std::string& m) {
    cards_.push_back(make(fmt::format("a{}{} {} {}", card_.keyword(), suffix, nodes, m)));
  }
  void cards_top(const std::string& text) { top_.push_back(make(text)); }

  // A card of the translation, located at the U card.
  const Card* make(const std::string& text) {
    Card c;
    c.text = text;
    c.file = card_.file;
    const Location at = card_.where();
    c.segments = {{0, at.line, at.column}};
    tokenize(c);
    return &deck_.cards.emplace_back(std::move(c));
  }

  Deck& deck_;
  const Card& card_;
  const Subckt& scope_;
  std::vector<const Card*>& top_;  // the constants' cards, for the top level
  Timing timing_;
  std::vector<std::string> nodes_;
  std::vector<std::size_t> where_;  // each node's token
  std::vector<const Card*> cards_;
};

void add_models(Subckt& scope, const std::vector<const Card*>& models) {
  for (const Card* m : models) {
    const auto [it, added] = scope.models.emplace(m->tokens[1].text, m);
    if (!added)
      throw InputError(m->where(), fmt::format("'{}' translates to the model '{}', which the deck already defines",
                                               m->keyword(), m->tokens[1].text));
  }
}

void translate(Deck& deck, Subckt& scope, std::vector<const Card*>& top) {
  std::vector<const Card*> elements;
  std::vector<const Card*> generated;
  for (const Card* card : scope.elements) {
    if (card->keyword()[0] != 'u' || !is_pspice_digital(*card)) {  // a U line of model urc stays
      elements.push_back(card);
      continue;
    }
    for (const Card* c : Translation(deck, *card, scope, top).run(*primitive_name(*card))) {
      if (c->keyword()[0] == '.') generated.push_back(c);
      else elements.push_back(c);
    }
  }
  scope.elements = std::move(elements);
  add_models(scope, generated);
  for (auto& [name, child] : scope.children) translate(deck, *child, top);
}

}  // namespace

bool is_pspice_digital(const Card& card) { return primitive_name(card).has_value(); }

void translate_pspice_digital(Deck& deck) {
  // A subcircuit's timing models are read before its U cards are: both are sorted first.
  std::vector<const Card*> top, models;
  translate(deck, deck.top, top);
  for (const Card* c : top) (c->keyword()[0] == '.' ? models : deck.top.elements).push_back(c);
  // Their own types (ugate, uio...) are not simulated: the translation has read them.
  constexpr std::array<std::string_view, 8> timing_types{"ugate", "utgate", "ueff", "ugff", "uio", "udly", "ubtg", "uros"};
  std::vector<Subckt*> stack{&deck.top};
  while (!stack.empty()) {
    Subckt* s = stack.back();
    stack.pop_back();
    std::erase_if(s->models, [&](const auto& m) {
      return std::find(timing_types.begin(), timing_types.end(), m.second->tokens[2].text) != timing_types.end();
    });
    for (auto& [name, child] : s->children) stack.push_back(child.get());
  }
  add_models(deck.top, models);
}

}  // namespace ns
