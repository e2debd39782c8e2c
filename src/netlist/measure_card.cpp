// .meas / .measure cards, and the probe syntax they share with .print/.save/.probe.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "netlist/deck.hpp"
#include "netlist/suggest.hpp"

namespace ns {

namespace {

using Kind = Token::Kind;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }  // as tokenize()'s
bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }
// What may appear in a node, device or quantity name inside a probe.
bool is_probe_char(char c) {
  return !is_blank(c) && std::string_view("()[]{},'\"=*/+<>!?:^&|").find(c) == std::string_view::npos;
}

}  // namespace

std::optional<ProbeRequest> read_probe(std::string_view text, std::size_t i, std::size_t& end) {
  ProbeRequest p;
  if (text[i] == '@') {
    std::size_t open = i + 1;
    while (open < text.size() && is_probe_char(text[open])) ++open;
    std::size_t close = open + 1;
    while (close < text.size() && is_probe_char(text[close])) ++close;
    if (open == i + 1 || open >= text.size() || text[open] != '[' || close == open + 1 ||
        close >= text.size() || text[close] != ']') {
      std::size_t stop = i + 1;
      while (stop < text.size() && !is_blank(text[stop])) ++stop;
      throw ExpressionError(i, fmt::format("expected @device[quantity], not '{}'", text.substr(i, stop - i)));
    }
    p.kind = ProbeRequest::Kind::Device;
    p.a = std::string(text.substr(i + 1, open - i - 1));
    p.b = std::string(text.substr(open + 1, close - open - 1));
    p.label = std::string(text.substr(i, close + 1 - i));
    end = close + 1;
    return p;
  }
  if (text[i] != 'v' && text[i] != 'i') return std::nullopt;
  std::size_t j = i + 1;
  while (j < text.size() && is_blank(text[j])) ++j;
  if (j == text.size() || text[j] != '(') return std::nullopt;
  const bool voltage = text[i] == 'v';
  const std::string usage = voltage ? "expected v(node) or v(node,node)" : "expected i(source)";
  std::vector<std::string> args;
  std::size_t k = j + 1;
  for (;;) {
    while (k < text.size() && is_blank(text[k])) ++k;
    if (k < text.size() && text[k] == '"') {
      // v("/A"): a name in double quotes is taken whole (KiCad's and xschem's node names
      // hold '/', '-', '+'), as ngspice does.
      const std::size_t close = text.find('"', k + 1);
      if (close == std::string_view::npos || close == k + 1) throw ExpressionError(i, usage);
      args.emplace_back(text.substr(k + 1, close - k - 1));
      k = close + 1;
    } else {
      const std::size_t start = k;
      // ':' too: LTspice's path inside a subcircuit, v(xu1:n); and the characters node names
      // hold in exported netlists: bus indices bl<0>, n[2] (schematic editors), /soma/out
      // and parentheses balanced inside the name, net-(c1-pad1) (KiCad).
      for (int depth = 0; k < text.size() && !is_blank(text[k]) && text[k] != ',' && text[k] != '"'; ++k) {
        if (text[k] == '(') ++depth;
        if (text[k] == ')' && depth-- == 0) break;
      }
      if (k == start) throw ExpressionError(i, usage);
      args.emplace_back(text.substr(start, k - start));
    }
    while (k < text.size() && is_blank(text[k])) ++k;
    if (k < text.size() && text[k] == ',') {
      ++k;
      continue;
    }
    if (k < text.size() && text[k] == ')') break;
    throw ExpressionError(i, usage);
  }
  if (args.size() > (voltage ? 2u : 1u)) throw ExpressionError(i, usage);
  p.kind = voltage ? ProbeRequest::Kind::Voltage : ProbeRequest::Kind::Current;
  // v(vin#branch): ngspice's vector of the source's current, i(vin).
  constexpr std::string_view branch = "#branch";
  if (voltage && args.size() == 1 && args[0].size() > branch.size() && args[0].ends_with(branch)) {
    p.kind = ProbeRequest::Kind::Current;
    args[0].resize(args[0].size() - branch.size());
  }
  p.a = args[0];
  if (args.size() == 2) p.b = args[1];
  p.label = std::string(1, p.kind == ProbeRequest::Kind::Voltage ? 'v' : 'i') + "(" + p.a + (p.b.empty() ? "" : "," + p.b) + ")";
  end = k + 1;
  return p;
}

// The probe calls in an expression become the names quantity_name(k); the rewritten
// text keeps a map back to the original offsets for error messages.
Quantity probe_expression(const Card& card, std::size_t begin, std::size_t length) {
  const std::string_view text = std::string_view(card.text).substr(begin, length);
  Quantity q;
  q.text = std::string(text);
  q.where = card.at(begin);
  std::string rewritten;
  std::vector<std::size_t> origin;  // rewritten offset -> offset in `text`
  try {
    for (std::size_t i = 0; i < text.size();) {
      const bool boundary = i == 0 || (!is_name_char(text[i - 1]) && text[i - 1] != '.');
      std::size_t end = i;
      std::optional<ProbeRequest> probe;
      if (boundary && (i + 1 == text.size() || !is_name_char(text[i + 1]) || text[i] == '@')) {
        try {
          probe = read_probe(text, i, end);
        } catch (const ExpressionError& e) {
          throw InputError(card.at(begin + e.offset), e.what());
        }
      }
      if (!probe) {
        rewritten += text[i];
        origin.push_back(i++);
        continue;
      }
      probe->where = card.at(begin + i);
      std::size_t index = 0;
      while (index < q.probes.size() && q.probes[index].label != probe->label) ++index;
      if (index == q.probes.size()) q.probes.push_back(std::move(*probe));
      for (char c : quantity_name(index)) rewritten += c, origin.push_back(i);
      i = end;
    }
    origin.push_back(text.size());
    q.expression = std::make_shared<const Expression>(rewritten);
  } catch (const ExpressionError& e) {
    const std::size_t at = e.offset < origin.size() ? origin[e.offset] : e.offset;
    throw InputError(card.at(begin + at), e.what());
  }
  // Names other than probes, offsets into the text as written.
  for (const auto& [name, offset] : q.expression->names())
    if (!name.starts_with("probe__")) q.names.push_back({name, origin[offset]});
  return q;
}

namespace {

const std::map<std::string, MeasureRequest::Kind>& measure_kinds() {
  using K = MeasureRequest::Kind;
  static const std::map<std::string, K> kinds = {
      {"max", K::Max},         {"min", K::Min},         {"pp", K::Pp},
      {"avg", K::Avg},         {"rms", K::Rms},         {"integ", K::Integ},
      {"integral", K::Integ},  {"find", K::FindAt},     {"when", K::When},
      {"deriv", K::DerivAt},   {"derivative", K::DerivAt}, {"trig", K::TrigTarg},
      {"param", K::Param},     {"spikes", K::Spikes},   {"rate", K::Rate},
      {"isimean", K::IsiMean}, {"isistd", K::IsiStd},   {"isicv", K::IsiCv},
      {"eps", K::EnergyPerSpike}, {"freq", K::Frequency}, {"max_at", K::MaxAt}, {"min_at", K::MinAt},
  };
  return kinds;
}

const std::vector<std::string>& option_names() {
  static const std::vector<std::string> names = {"from", "to",   "at",   "td",  "val",
                                                 "rise", "fall", "cross", "hyst", "spike"};
  return names;
}

static std::string ac_part(const std::string& word);

class MeasureParser {
public:
  MeasureParser(const Card& card, const MeasureScope& scope)
      : card_(card), tk_(card.tokens), scope_(scope) {}
  MeasureRequest parse();

private:
  struct Option {
    const Token* name = nullptr;
    std::optional<Token> value;
    std::optional<Quantity> quantity;  // spike=Q
  };
  using Options = std::map<std::string, Option>;

  [[noreturn]] void fail(const Token& t, const std::string& message) const {
    throw InputError(card_.at(t), message);
  }
  [[noreturn]] void fail_at_end(const std::string& message) const { fail(tk_.back(), message); }
  bool word_is(std::size_t k, std::string_view text) const {
    return k < tk_.size() && tk_[k].kind == Kind::Word && tk_[k].text == text;
  }
  bool starts_quantity(std::size_t k) const;
  std::size_t item_end(std::size_t k) const;
  bool is_expression_item(std::size_t k) const;
  Token value_token();
  Quantity quantity(const std::string& what);
  Quantity expression_quantity(const Token& t, std::size_t begin, std::size_t length);
  Options options(const std::set<std::string>& allowed);
  Crossing crossing(const std::string& what, bool with_value, MeasureRequest* windowed = nullptr);
  void apply_edge(Crossing& c, Options& o) const;
  double number(const Option& o) const { return scope_.value(card_, *o.value).value; }
  void window(MeasureRequest& m, const Options& o) const;

  const Card& card_;
  const std::vector<Token>& tk_;
  const MeasureScope& scope_;
  std::size_t k_ = 1;
  std::string keyword_;             // the measurement, or when/trig/targ inside a crossing
  const Token* keyword_token_ = nullptr;  // where "'trig' needs VAL=" and the like point
  bool ac_ = false;                 // a .meas ac: vm(a), vdb(a)... are quantities too
};

// "db" for vdb, "m" for im...: the part of an .ac phasor a .meas ac reads; "" for others.
static std::string ac_part(const std::string& word) { return probe_call_form(word).value_or(""); }

bool MeasureParser::starts_quantity(std::size_t k) const {
  if (k >= tk_.size()) return false;
  const Token& t = tk_[k];
  if (t.kind == Kind::Expr) return true;
  if (t.kind != Kind::Word) return false;
  if (t.text[0] == '@') return true;
  const bool call = k + 1 < tk_.size() && tk_[k + 1].kind == Kind::LParen;
  return (call && (t.text == "v" || t.text == "i" || t.text == "par" || (ac_ && !ac_part(t.text).empty()))) ||
         is_expression_item(k);
}

// Where the item starting at token k ends in the card's text: an expression written
// without blanks ("0.9*v(2)", "vdd/2", "1-0.5"), its parentheses balanced; it stops at a
// blank, ',' or '=' outside parentheses (not the '=' of <=, >=, ==, !=).
std::size_t MeasureParser::item_end(std::size_t k) const {
  const std::string& text = card_.text;
  std::size_t i = tk_[k].offset;
  if (tk_[k].kind != Kind::Word) return i + tk_[k].text.size();
  for (int depth = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' && depth > 0 && text.find('"', i + 1) != std::string::npos) {  // v("/a"): a quoted node
      i = text.find('"', i + 1);
      continue;
    }
    if (c == '{' || c == '\'' || c == '"') break;  // par('...') and {...} are read as they are
    if (c == '(') ++depth;
    if (c == ')' && --depth < 0) break;
    if (depth > 0) continue;
    if (is_blank(c) || c == ',') break;
    if (c == '=' && !(i > 0 && std::string_view("<>!=").find(text[i - 1]) != std::string_view::npos) &&
        !(i + 1 < text.size() && text[i + 1] == '='))
      break;
  }
  return i;
}

// An item that is an expression over probes rather than one probe: '0.9*v(2)',
// 'v(a)-v(b)', 'abs(i(v1))'.
bool MeasureParser::is_expression_item(std::size_t k) const {
  if (k >= tk_.size() || tk_[k].kind != Kind::Word || tk_[k].text == "par") return false;
  const std::string_view item = std::string_view(card_.text).substr(tk_[k].offset, item_end(k) - tk_[k].offset);
  bool probe = false;
  for (std::size_t i = 0; i < item.size() && !probe; ++i) {
    if (i > 0 && (is_name_char(item[i - 1]) || item[i - 1] == '.')) continue;
    if (item[i] == '@') probe = true;
    if (item[i] != 'v' && item[i] != 'i') continue;
    std::size_t j = i + 1;
    while (j < item.size() && is_blank(item[j])) ++j;
    probe = j < item.size() && item[j] == '(';
  }
  if (!probe) return false;
  // A single probe call is not an expression (v(a), v(a,b), i(v1), @d[q]).
  std::size_t end = 0;
  try {
    if (read_probe(item, 0, end) && end == item.size()) return false;
  } catch (const ExpressionError&) {
  }
  return true;
}

// The value at k_, consumed: its token, or an Expr token spanning an expression written
// without blanks over several tokens or with operators (TD=2*tper, VAL=1-0.5).
Token MeasureParser::value_token() {
  const Token& t = tk_[k_];
  const std::size_t end = item_end(k_);
  std::size_t next = k_ + 1;
  while (next < tk_.size() && tk_[next].offset < end) ++next;
  const bool single = next == k_ + 1;
  k_ = next;
  if (t.kind != Kind::Word || (single && (parse_number(t.text) || t.text.find_first_of("+-*/^") == std::string::npos)))
    return t;
  return Token{Kind::Expr, card_.text.substr(t.offset, end - t.offset), t.offset};
}

Quantity MeasureParser::expression_quantity(const Token& t, std::size_t begin, std::size_t length) {
  Quantity q = probe_expression(card_, begin, length);
  q.where = card_.at(t);
  for (const auto& [name, offset] : q.names)
    if (std::find(scope_.params.begin(), scope_.params.end(), name) == scope_.params.end())
      throw InputError(card_.at(begin + offset),
                       fmt::format("'{}' is not a top-level .param{} (a node voltage is v({}))", name,
                                   did_you_mean(name, scope_.params), name));
  return q;
}

// A probe (v(a), v(a,b), i(v1), @dev[q]) or an expression over probes: {...}, '...',
// par('...').
Quantity MeasureParser::quantity(const std::string& what) {
  if (!starts_quantity(k_)) {
    if (k_ >= tk_.size()) fail_at_end(fmt::format("'{}' needs {} after it", keyword_, what));
    fail(tk_[k_], fmt::format("expected {} (v(node), i(source), @device[quantity] or an expression "
                              "in braces), not '{}'", what, tk_[k_].text));
  }
  const Token& t = tk_[k_];
  if (t.kind == Kind::Expr) {
    ++k_;
    return expression_quantity(t, t.offset, t.text.size());
  }
  if (is_expression_item(k_)) {
    const std::size_t end = item_end(k_);
    while (k_ < tk_.size() && tk_[k_].offset < end) ++k_;
    return expression_quantity(t, t.offset, end - t.offset);
  }
  if (t.text == "par") {
    if (k_ + 3 >= tk_.size() || tk_[k_ + 2].kind != Kind::Expr || tk_[k_ + 3].kind != Kind::RParen)
      fail(t, "expected par('expression')");
    const Token& e = tk_[k_ + 2];
    k_ += 4;
    Quantity q = expression_quantity(e, e.offset, e.text.size());
    q.where = card_.at(t);
    return q;
  }
  Quantity q;
  std::size_t end = 0;
  try {
    // .meas ac vdb(out): the probe v(out), labelled with its part (the .ac analysis
    // records that part; a plain v(out) is its real part, as in ngspice).
    const std::string part = ac_ ? ac_part(t.text) : std::string();
    const std::string text = part.empty() ? card_.text
                                          : card_.text.substr(0, t.offset + 1) + card_.text.substr(t.offset + t.text.size());
    q.probes.push_back(*read_probe(text, t.offset, end));
    if (!part.empty()) {
      end += part.size();
      q.probes[0].label.insert(1, part);
    }
  } catch (const ExpressionError& e) {
    throw InputError(card_.at(e.offset), e.what());
  }
  if (t.text[0] == '@' && end != t.offset + t.text.size())
    fail(t, fmt::format("expected @device[quantity], not '{}'", t.text));
  q.where = card_.at(t);
  q.probes[0].where = q.where;
  q.text = q.probes[0].label;
  while (k_ < tk_.size() && tk_[k_].offset < end) ++k_;
  return q;
}

MeasureParser::Options MeasureParser::options(const std::set<std::string>& allowed) {
  Options result;
  // LTspice also takes FROM 1m TO 2m and AT 5m without '=' (a value follows: no '=' after it).
  auto bare = [&](std::size_t k) {
    const std::string& w = tk_[k].text;
    return (w == "from" || w == "to" || w == "at" || w == "td") && allowed.count(w) &&
           (tk_[k + 1].kind == Kind::Expr || tk_[k + 1].kind == Kind::Word) &&
           !(k + 2 < tk_.size() && tk_[k + 2].kind == Kind::Equals);
  };
  while (k_ + 1 < tk_.size() && tk_[k_].kind == Kind::Word &&
         (tk_[k_ + 1].kind == Kind::Equals || bare(k_))) {
    const Token& name = tk_[k_];
    const auto& known = option_names();
    if (!allowed.count(name.text)) {
      if (std::find(known.begin(), known.end(), name.text) != known.end())
        fail(name, fmt::format("'{}=' does not apply to '{}'", name.text, keyword_));
      fail(name, fmt::format("unknown keyword '{}' on '.meas'{}", name.text, did_you_mean(name.text, known)));
    }
    if (result.count(name.text)) fail(name, fmt::format("'{}=' is given twice", name.text));
    k_ += tk_[k_ + 1].kind == Kind::Equals ? 2 : 1;
    Option o;
    o.name = &name;
    if (name.text == "spike") {
      o.quantity = quantity("a signal");
    } else {
      if (k_ >= tk_.size() || (tk_[k_].kind != Kind::Word && tk_[k_].kind != Kind::Expr))
        fail(name, fmt::format("'{}=' needs a value", name.text));
      o.value = value_token();
    }
    result.emplace(name.text, std::move(o));
  }
  return result;
}

void MeasureParser::apply_edge(Crossing& c, Options& o) const {
  const Option* given = nullptr;
  for (const char* edge : {"rise", "fall", "cross"}) {
    const auto it = o.find(edge);
    if (it == o.end()) continue;
    if (given) fail(*it->second.name, "give only one of RISE=, FALL= and CROSS=");
    given = &it->second;
    c.edge = edge[0] == 'r' ? Crossing::Edge::Rise : edge[0] == 'f' ? Crossing::Edge::Fall : Crossing::Edge::Cross;
    if (given->value->kind == Kind::Word && given->value->text == "last") {
      c.count = -1;
      continue;
    }
    const Number n = scope_.value(card_, *given->value);
    if (n.value < 1 || n.value != std::floor(n.value) || n.value > 1e9)
      throw InputError(n.where, fmt::format("'{}=' must be a whole number >= 1 or 'last', not {:g}", edge, n.value));
    c.count = static_cast<int>(n.value);
  }
  if (const auto it = o.find("td"); it != o.end()) c.delay = number(it->second);
}

// WHEN q=level | q=q2, or (with_value) TRIG/TARG q VAL=level; then TD= and RISE/FALL/CROSS=
// (and, for a WHEN, FROM= and TO=: the window searched, set on `windowed`, as ngspice's).
// TRIG/TARG AT=x is the point x itself.
Crossing MeasureParser::crossing(const std::string& what, bool with_value, MeasureRequest* windowed) {
  const std::string saved = keyword_;
  const Token* saved_token = keyword_token_;
  keyword_ = what;
  keyword_token_ = &tk_[k_ - 1];
  Crossing c;
  if (with_value && word_is(k_, "at")) {
    c.at = number(options({"at"}).at("at"));
    keyword_ = saved;
    keyword_token_ = saved_token;
    return c;
  }
  c.signal = quantity("a signal");
  if (!with_value) {
    if (k_ >= tk_.size() || tk_[k_].kind != Kind::Equals)
      fail(k_ < tk_.size() ? tk_[k_] : tk_.back(), fmt::format("expected '=' after '{} {}'", what, c.signal.text));
    ++k_;
    if (k_ >= tk_.size()) fail_at_end(fmt::format("'{} {}=' needs a value or a signal", what, c.signal.text));
    const Token& right = tk_[k_];
    if (starts_quantity(k_)) {
      Quantity level = quantity("a signal");
      if (level.probes.empty()) c.level = scope_.value(card_, right).value;  // {vdd/2}: a constant
      else c.level_signal = std::move(level);
    } else {
      c.level = scope_.value(card_, value_token()).value;
    }
  }
  // LTspice's TRIG V(a)=0.5: VAL is optional there (TRIG <lhs> [[VAL]=<rhs>]).
  std::optional<double> level;
  if (with_value && k_ + 1 < tk_.size() && tk_[k_].kind == Kind::Equals &&
      (tk_[k_ + 1].kind == Kind::Word || tk_[k_ + 1].kind == Kind::Expr)) {
    ++k_;
    level = scope_.value(card_, value_token()).value;
  }
  std::set<std::string> allowed = {"td", "rise", "fall", "cross"};
  if (with_value && !level) allowed.insert("val");
  if (windowed) allowed.insert({"from", "to"});
  Options o = options(allowed);
  if (windowed) window(*windowed, o);
  if (with_value && level) {
    c.level = *level;
  } else if (with_value) {
    const auto it = o.find("val");
    if (it == o.end()) fail(*keyword_token_, fmt::format("'{}' needs VAL=", what));
    c.level = number(it->second);
  }
  apply_edge(c, o);
  keyword_ = saved;
  keyword_token_ = saved_token;
  return c;
}

void MeasureParser::window(MeasureRequest& m, const Options& o) const {
  if (const auto it = o.find("from"); it != o.end()) m.from = number(it->second);
  if (const auto it = o.find("to"); it != o.end()) m.to = number(it->second);
  if (m.from && m.to && *m.from > *m.to)
    fail(*o.at("to").name, fmt::format("TO= ({:g}) is before FROM= ({:g})", *m.to, *m.from));
}

MeasureRequest MeasureParser::parse() {
  using K = MeasureRequest::Kind;
  const std::string card_name = card_.keyword();
  MeasureRequest m;
  if (word_is(1, "sp") || word_is(1, "pss") || word_is(1, "noise"))
    fail(tk_[1], fmt::format("'{} {}': neurospice measures tran, dc and ac analyses only", card_name, tk_[1].text));
  if (tk_.size() < 2 || !(word_is(1, "tran") || word_is(1, "dc") || word_is(1, "ac")))
    fail(tk_.size() < 2 ? tk_[0] : tk_[1], fmt::format("'{}' needs an analysis type, tran, dc or ac", card_name));
  m.analysis = tk_[1].text == "tran" ? MeasureRequest::Analysis::Tran
               : tk_[1].text == "dc" ? MeasureRequest::Analysis::Dc : MeasureRequest::Analysis::Ac;
  ac_ = m.analysis == MeasureRequest::Analysis::Ac;
  if (tk_.size() < 3 || tk_[2].kind != Kind::Word || looks_numeric(tk_[2].text))
    fail(tk_.size() < 3 ? tk_[1] : tk_[2], fmt::format("'{} {}' needs a measure name", card_name, tk_[1].text));
  m.name = tk_[2].text;
  m.where = card_.at(tk_[2]);
  // The same name again is measured again, as ngspice 39 does: each card is evaluated and
  // printed in order, and a later card that reads the name reads the latest before it.
  if (std::find(scope_.params.begin(), scope_.params.end(), m.name) != scope_.params.end())
    throw InputError(m.where, fmt::format("measure '{}' has the name of a top-level .param", m.name));
  k_ = 3;
  if (k_ >= tk_.size() || tk_[k_].kind != Kind::Word)
    fail(k_ < tk_.size() ? tk_[k_] : tk_[2], fmt::format("'{}' needs a measurement (max, min, find, when, trig, param, ...)", m.name));
  const auto& kinds = measure_kinds();
  const auto kind = kinds.find(tk_[k_].text);
  if (kind == kinds.end()) {
    std::vector<std::string> names;
    for (const auto& [n, k] : kinds) names.push_back(n);
    fail(tk_[k_], fmt::format("unknown measurement '{}'{}", tk_[k_].text, did_you_mean(tk_[k_].text, names)));
  }
  m.kind = kind->second;
  keyword_token_ = &tk_[k_];
  keyword_ = tk_[k_++].text;

  switch (m.kind) {
    case K::Max: case K::Min: case K::Pp: case K::Avg: case K::Rms: case K::Integ: case K::Frequency:
    case K::MaxAt: case K::MinAt:
      m.quantity = quantity("a signal");
      window(m, options({"from", "to"}));
      // LTspice's range over a TRIG ... TARG ... window: AVG V(out) TRIG V(in)=.5 TARG V(in)=.5 FALL=1
      if (word_is(k_, "trig") && !m.from) {
        ++k_;
        m.trig = crossing("trig", true);
      }
      if (word_is(k_, "targ") && !m.to) {
        ++k_;
        m.targ = crossing("targ", true);
      }
      break;
    case K::FindAt: case K::DerivAt: case K::FindWhen: case K::DerivWhen:
      m.quantity = quantity("a signal");
      if (word_is(k_, "when")) {
        ++k_;
        m.kind = m.kind == K::DerivAt ? K::DerivWhen : K::FindWhen;
        m.when = crossing("when", false, &m);
      } else {
        const Options o = options({"at"});
        if (!o.count("at")) fail(k_ < tk_.size() ? tk_[k_] : *keyword_token_, fmt::format("'{}' needs AT= or WHEN", keyword_));
        m.at = number(o.at("at"));
      }
      break;
    case K::When:
      m.when = crossing("when", false, &m);
      break;
    case K::TrigTarg:
      m.trig = crossing("trig", true);
      if (!word_is(k_, "targ")) fail(k_ < tk_.size() ? tk_[k_] : *keyword_token_, "'trig' needs 'targ' after it");
      ++k_;
      m.targ = crossing("targ", true);
      break;
    case K::Param: {
      if (k_ < tk_.size() && tk_[k_].kind == Kind::Equals) ++k_;
      if (k_ >= tk_.size() || (tk_[k_].kind != Kind::Expr && tk_[k_].kind != Kind::Word))
        fail(tk_[k_ - 1], "'param' needs an expression, param='expression'");
      const Token& t = tk_[k_++];
      // Unquoted, the expression is the rest of the card (LTspice: PARAM 20*log10(a/b)).
      std::size_t length = t.text.size();
      if (t.kind == Kind::Word) {
        length = card_.text.find_last_not_of(" \t\r") + 1 - t.offset;
        k_ = tk_.size();
      }
      m.expression = parse_expression(card_, t.offset, length, scope_.functions);
      for (const auto& [name, offset] : m.expression->names()) {
        const bool earlier = std::any_of(scope_.earlier->begin(), scope_.earlier->end(),
                                         [&name = name](const MeasureRequest& r) { return r.name == name; });
        if (earlier || std::find(scope_.params.begin(), scope_.params.end(), name) != scope_.params.end())
          continue;
        const Location at = card_.at(t.offset + offset);
        if (const auto later = scope_.all.find(name); later != scope_.all.end())
          throw InputError(at, fmt::format("measure '{}' is defined later (at {}); 'param' can use only "
                                           "earlier measures", name, later->second.str()));
        std::vector<std::string> known = scope_.params;
        for (const MeasureRequest& r : *scope_.earlier) known.push_back(r.name);
        throw InputError(at, fmt::format("unknown measure or parameter '{}'{}", name, did_you_mean(name, known)));
      }
      break;
    }
    case K::Spikes: case K::Rate: case K::IsiMean: case K::IsiStd: case K::IsiCv:
    case K::EnergyPerSpike: {
      const bool energy = m.kind == K::EnergyPerSpike;
      m.quantity = quantity(energy ? "a power" : "a signal");
      std::set<std::string> allowed = {"val", "hyst", "from", "to"};
      if (energy) allowed.insert("spike");
      Options o = options(allowed);
      if (energy && !o.count("spike")) fail(*keyword_token_, "'eps' needs SPIKE= (the signal that spikes)");
      if (!o.count("val")) fail(*keyword_token_, fmt::format("'{}' needs VAL= (the spike threshold)", keyword_));
      m.spike_signal = energy ? *o.at("spike").quantity : m.quantity;
      m.threshold = number(o.at("val"));
      if (const auto it = o.find("hyst"); it != o.end()) {
        const Number h = scope_.value(card_, *it->second.value);
        if (h.value < 0) throw InputError(h.where, fmt::format("HYST= must be >= 0, not {:g}", h.value));
        m.hysteresis = h.value;
      }
      window(m, o);
      break;
    }
  }
  if (k_ < tk_.size()) {
    if (tk_[k_].kind == Kind::Word && k_ + 1 < tk_.size() && tk_[k_ + 1].kind == Kind::Equals)
      options({});  // reports the keyword as unknown or not applicable
    fail(tk_[k_], fmt::format("unexpected '{}' on '{}'", tk_[k_].text, card_name));
  }
  return m;
}

}  // namespace

MeasureRequest parse_measure(const Card& card, const MeasureScope& scope) {
  return MeasureParser(card, scope).parse();
}

MeasureRequest parse_measure_line(const std::string& text, const Location& where, const Netlist& netlist,
                                  const std::vector<MeasureRequest>& earlier) {
  const Card card = script_card(".meas", text, where);
  MeasureScope scope;
  scope.value = [&](const Card& c, const Token& t) { return param_value(c, t, netlist); };
  for (const auto& [name, value] : netlist.params) scope.params.push_back(name);
  if (netlist.deck) scope.functions = functions_of(netlist.deck->top);
  scope.earlier = &earlier;
  if (card.tokens.size() > 2) scope.all.emplace(card.tokens[2].text, card.at(card.tokens[2]));
  return parse_measure(card, scope);
}

}  // namespace ns
