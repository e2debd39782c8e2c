// Elaboration: parameters evaluated (lazily, per scope), subcircuits flattened, element
// and model cards turned into the flat Netlist; the control cards are read by
// netlist/control_cards.cpp.
#include <algorithm>
#include <cmath>
#include <deque>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "expr/builtin.hpp"
#include "netlist/binning.hpp"
#include "netlist/behavioural.hpp"
#include "netlist/laplace.hpp"
#include "netlist/rkm.hpp"
#include "netlist/deck.hpp"
#include "netlist/multiplier.hpp"
#include "netlist/current_sense.hpp"
#include "netlist/cpl_card.hpp"
#include "netlist/parasitics.hpp"
#include "netlist/pwl_file.hpp"
#include "netlist/suggest.hpp"
#include "netlist/xspice.hpp"

namespace ns {

namespace {

using Kind = Token::Kind;

// Levels of parameters evaluated inside each other, each counted with its expression's
// depth (Expression::depth() + 1): bounds the recursion, as max_expression_depth does in
// one expression.
constexpr int max_param_nesting = 2000;
// Elements and subcircuit instances in the flattened circuit (about 1 kB each).
constexpr std::size_t max_elements = 1'000'000;

// Element letters whose card names a .model: the nodes before it, usually `nodes` of them
// (0: any number, N elements). Which model types each letter accepts is the registry's.
struct ModelCard {
  char letter;
  std::size_t nodes;
  std::string_view needs;  // what a card without a visible model lacks
  bool control = false;    // W: the word before the model names the controlling V source
};
constexpr ModelCard model_cards[] = {
    {'d', 2, "2 nodes and a model name"},
    {'m', 4, "4 nodes (d g s b) and a model name"},
    {'q', 3, "3 nodes (c b e) and a model name"},
    {'j', 3, "3 nodes (d g s) and a model name"},
    {'z', 3, "3 nodes (d g s) and a model name"},
    {'n', 0, "nodes and a model name"},
    {'s', 4, "4 nodes (n+ n- nc+ nc-) and a model name"},
    {'w', 3, "2 nodes, a controlling voltage source and a model name", true},
    {'o', 4, "4 nodes (p1 n1 p2 n2) and a model name"},
    {'y', 4, "4 nodes (p1 n1 p2 n2) and a model name"},
    {'u', 3, "3 nodes (n1 n2 n3) and a model name"},
    {'p', 0, "nodes (the conductors of side 1, its reference, those of side 2, its reference) and a model name"},
};
const ModelCard* model_card(char letter) {
  for (const ModelCard& m : model_cards)
    if (m.letter == letter) return &m;
  return nullptr;
}

// The parameters of one scope: the top level, or one subcircuit instance. A name is
// evaluated when first used, in the scope that defines it.
struct ParamScope {
  enum class State { Pending, Busy, Done };
  struct Entry {
    const ParamDef* def = nullptr;
    double value = 0;
    State state = State::Pending;
    std::optional<std::string> text;  // a string value given on the instance
  };
  std::unordered_map<std::string, Entry> entries;
  ParamScope* parent = nullptr;
  const Subckt* def = nullptr;  // whose .func its expressions call
};

struct Instance {
  const Subckt* def = nullptr;
  std::string prefix;  // "" at the top, "x1." inside x1, "x1.x2." inside x1.x2
  std::unordered_map<std::string, std::string> ports;  // port name -> flattened outer node
  ParamScope* params = nullptr;
  const Instance* parent = nullptr;
  double multiplier = 1;      // m= on the X cards down to here (netlist/multiplier.hpp)
  Location multiplier_where;  // the innermost such m=
};

bool is_param(const ParamScope& scope, const std::string& name) {
  for (const ParamScope* s = &scope; s; s = s->parent)
    if (s->entries.count(name)) return true;
  return false;
}

bool encloses(const Subckt* outer, const Subckt* inner) {
  for (const Subckt* s = inner; s; s = s->parent)
    if (s == outer) return true;
  return false;
}

bool is_value_token(const Token& t) { return t.kind == Kind::Word || t.kind == Kind::Expr; }
bool is_assignment(const std::vector<Token>& tk, std::size_t k) {
  return tk[k].kind == Kind::Word && k + 1 < tk.size() && tk[k + 1].kind == Kind::Equals;
}

// The last token of the value at tokens[k]: k itself, or the ')' that closes an unbraced
// call written against its name, agauss(9n, 1n, 3), which ngspice reads as one value.
std::size_t value_end(const Card& card, std::size_t k) {
  const auto& tk = card.tokens;
  const Token& t = tk[k];
  if (t.kind != Token::Kind::Word || k + 1 == tk.size() || tk[k + 1].kind != Token::Kind::LParen ||
      tk[k + 1].offset != t.offset + t.text.size() || parse_number(t.text))
    return k;
  for (std::size_t close = k + 1, depth = 0; close < tk.size(); ++close) {
    if (tk[close].kind == Token::Kind::LParen) ++depth;
    if (tk[close].kind == Token::Kind::RParen && --depth == 0) return close;
  }
  throw InputError(card.at(tk[k + 1]), "'(' has no matching ')'");
}

double deck_temperature(const Deck& deck);

class Elaborator {
public:
  Elaborator(const Deck& deck, const std::map<std::string, double>& overrides,
             std::optional<std::uint64_t> random_stream, std::optional<double> temperature)
      : deck_(deck), overrides_(overrides), temper_(temperature.value_or(deck_temperature(deck))),
        random_stream_(random_stream) {
    if (random_stream) random_.emplace(*random_stream);
  }
  Netlist run();

private:
  double lookup(ParamScope& scope, const std::string& name, const Card& card, std::size_t offset) {
    return lookup(scope, name, [&] { return card.at(offset); });
  }
  double lookup(ParamScope& scope, const std::string& name, const std::function<Location()>& where);
  double evaluate(const Expression& e, ParamScope& scope, const Card& card, std::size_t base);
  Number value(const Card& card, const Token& t, ParamScope& scope);
  // The value of a name=value pair starting at tk[k], leaving k on its last token: also an
  // unbraced call, tox=agauss(9n, 1n, 3), as ngspice reads on .model cards and instances.
  Number value_at(const Card& card, std::size_t& k, ParamScope& scope);
  Number top_value(const Card& card, const Token& t) { return value(card, t, top_scope_); }

  void expand(const Instance& inst);
  void evaluate_all(ParamScope& scope, const std::vector<const std::vector<ParamDef>*>& lists);
  std::optional<std::string> string_param(const ParamScope& scope, const std::string& name) const;
  Model make_model(const Card& card, const Instance& inst);
  Model a_kind_of(const Card& card, const Instance& inst, Model m);
  bool has_random(const Card& model_card, const Subckt& scope);
  void instantiate(const Card& card, const Instance& inst);
  void add_element(const Card& card, const Instance& inst);
  void parse_source(const Card& card, Element& e, ParamScope& scope);
  std::string node(const Instance& inst, const std::string& name) const;
  const Instance* model_owner(const Instance& inst, const std::string& name) const;
  void claim_name(const std::string& name, const Location& where);


  const Deck& deck_;
  const std::map<std::string, double>& overrides_;
  Netlist net_;
  ParamScope top_scope_;
  std::deque<ParamScope> scopes_;  // one per subcircuit instance; stable addresses
  std::deque<Instance> instances_;
  int ako_depth_ = 0;
  std::vector<std::string> evaluating_;  // names being evaluated, for the cycle message
  int nesting_ = 0;  // expression levels of the parameters being evaluated, for max_param_nesting
  double temper_ = 27;  // `temper` in expressions: the circuit temperature, degrees Celsius
  std::unordered_map<std::string, Location> names_;
  std::optional<std::uint64_t> random_stream_;
  std::optional<Random> random_;  // set in a Monte Carlo run
  std::optional<Location> nominal_random_;  // the first random function taken at its nominal value
  std::unordered_map<const Card*, bool> random_models_;  // .model cards with random calls
  bool distof_said_ = false;  // the warning for sources' DISTOF1/DISTOF2, given once
};

double Elaborator::lookup(ParamScope& scope, const std::string& name,
                          const std::function<Location()>& where) {
  for (ParamScope* s = &scope; s; s = s->parent) {
    const auto it = s->entries.find(name);
    if (it == s->entries.end()) continue;
    ParamScope::Entry& entry = it->second;
    if (const auto text = entry.text ? entry.text : entry.def ? entry.def->text : std::nullopt)
      throw InputError(where(), fmt::format("parameter '{}' is a string (\"{}\"), not a number", name, *text));
    if (entry.state == ParamScope::State::Done) return entry.value;
    if (entry.state == ParamScope::State::Busy) {
      std::string chain;
      auto first = std::find(evaluating_.rbegin(), evaluating_.rend(), name).base();
      if (first != evaluating_.begin()) --first;
      for (auto i = first; i != evaluating_.end(); ++i) chain += *i + " -> ";
      throw InputError(where(), fmt::format("parameter '{}' is defined in terms of itself ({}{})",
                                                    name, chain, name));
    }
    // Evaluation recurses through parameters that use parameters: bound it, or a long
    // chain of definitions would overflow the stack.
    nesting_ += entry.def->expression->depth() + 1;
    if (nesting_ > max_param_nesting)
      throw InputError(where(), fmt::format("parameter '{}' is nested too deeply: the parameters "
                                                    "it depends on, with their expressions, are more "
                                                    "than {} levels deep", name, max_param_nesting));
    entry.state = ParamScope::State::Busy;
    evaluating_.push_back(name);
    entry.value = evaluate(*entry.def->expression, *s, *entry.def->card, entry.def->offset);
    evaluating_.pop_back();
    nesting_ -= entry.def->expression->depth() + 1;
    entry.state = ParamScope::State::Done;
    return entry.value;
  }
  if (const auto t = temperature_name(name, temper_)) {  // unless a .param of that name hides it
    net_.reads_temper = true;
    return *t;
  }
  std::vector<std::string> known;
  for (ParamScope* s = &scope; s; s = s->parent)
    for (const auto& [n, entry] : s->entries) known.push_back(n);
  throw InputError(where(), fmt::format("undefined parameter '{}'{}", name, did_you_mean(name, known)));
}

double Elaborator::evaluate(const Expression& e, ParamScope& scope, const Card& card,
                            std::size_t base) {
  if (e.random() && !random_ && !nominal_random_) nominal_random_ = card.at(base);
  try {
    return e.evaluate([&](const std::string& name, std::size_t offset) {
      return lookup(scope, name, card, base + offset);
    }, random_ ? &*random_ : nullptr);
  } catch (const ExpressionError& error) {
    throw_at(card, base, error);
  }
}

Number Elaborator::value(const Card& card, const Token& t, ParamScope& scope) {
  const Location where = card.at(t);
  if (t.kind == Kind::Word) {
    if (const auto v = parse_number(t.text)) return Number{*v, where};
    if (looks_numeric(t.text)) throw InputError(where, fmt::format("invalid number '{}'", t.text));
  } else if (t.kind != Kind::Expr) {
    throw InputError(where, fmt::format("expected a value, not '{}'", t.text));
  }
  const auto expression = parse_expression(card, t.offset, t.text.size(), functions_of(*scope.def));
  if (const auto c = expression->constant()) return Number{*c, where};
  return Number{evaluate(*expression, scope, card, t.offset), where};
}

Number Elaborator::value_at(const Card& card, std::size_t& k, ParamScope& scope) {
  const Token& t = card.tokens[k];
  const std::size_t last = value_end(card, k);
  if (last == k) return value(card, t, scope);
  k = last;
  const std::size_t length = card.tokens[last].offset + 1 - t.offset;
  const auto expression = parse_expression(card, t.offset, length, functions_of(*scope.def));
  if (const auto c = expression->constant()) return Number{*c, card.at(t)};
  return Number{evaluate(*expression, scope, card, t.offset), card.at(t)};
}

void Elaborator::claim_name(const std::string& name, const Location& where) {
  // Subcircuits instantiated several times inside each other multiply: a few lines can
  // ask for billions of elements. Stop before memory runs out.
  if (names_.size() >= max_elements)
    throw InputError(where, fmt::format("the circuit has more than {} elements and subcircuit "
                                        "instances once subcircuits are expanded", max_elements));
  const auto [it, added] = names_.emplace(name, where);
  if (!added)
    throw InputError(where, fmt::format("duplicate element name '{}' (first defined at {})", name,
                                        it->second.str()));
}

std::string Elaborator::node(const Instance& inst, const std::string& name) const {
  if (inst.prefix.empty() || name == "0" || name == "gnd" || deck_.globals.count(name)) return name;
  const auto it = inst.ports.find(name);
  return it != inst.ports.end() ? it->second : inst.prefix + name;
}

// The instance whose definition holds the innermost .model of that name among the
// definitions lexically enclosing this one (its flattened name is that instance's prefix
// + name). Null when none.
const Instance* Elaborator::model_owner(const Instance& inst, const std::string& name) const {
  for (const Instance* p = &inst; p; p = p->parent)
    if (encloses(p->def, inst.def) && has_model_or_bins(p->def->models, name)) return p;
  return nullptr;
}

// Every parameter is evaluated even when nothing uses it, so that its errors surface.
void Elaborator::evaluate_all(ParamScope& scope, const std::vector<const std::vector<ParamDef>*>& lists) {
  for (const auto* list : lists)
    for (const ParamDef& d : *list)
      if (!string_param(scope, d.name)) lookup(scope, d.name, *d.card, d.offset);
}

// The text of a string parameter visible from `scope` (an instance's value, or a .param or
// .subckt default name="text"), or nullopt when `name` is a number or no parameter.
std::optional<std::string> Elaborator::string_param(const ParamScope& scope, const std::string& name) const {
  for (const ParamScope* s = &scope; s; s = s->parent) {
    const auto it = s->entries.find(name);
    if (it == s->entries.end()) continue;
    if (it->second.text) return it->second.text;
    if (it->second.state != ParamScope::State::Done && it->second.def) return it->second.def->text;
    return std::nullopt;
  }
  return std::nullopt;
}

void Elaborator::expand(const Instance& inst) {
  for (const auto& [name, card] : inst.def->models) {
    Model m = make_model(*card, inst);
    net_.models[m.name] = std::move(m);
  }
  for (const Card* card : inst.def->elements) {
    if (card->keyword()[0] == 'x') instantiate(*card, inst);
    else add_element(*card, inst);
  }
  for (const Card* card : inst.def->initial)
    read_initial_values(
        *card, [&](const Card& c, const Token& t) { return value(c, t, *inst.params); },
        [&](const std::string& n) { return node(inst, n); }, card->keyword() == ".ic" ? net_.ic : net_.nodeset);
}

namespace {
// A token that is a number ("1e-3", ".00", "-2"), not a name.
bool starts_number(const std::string& text) {
  std::size_t i = text[0] == '-' || text[0] == '+' ? 1 : 0;
  if (i < text.size() && text[i] == '.') ++i;
  return i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]));
}
}  // namespace

Model Elaborator::make_model(const Card& card, const Instance& inst) {
  const auto& tk = card.tokens;
  Model m;
  m.name = inst.prefix + tk[1].text;
  m.type = tk[2].text;
  m.where = card.at(tk[1]);
  m.type_where = card.at(tk[2]);
  if (read_code_model(card, m, [&](const Token& t) { return value(card, t, *inst.params); },
                      [&](const std::string& name) { return string_param(*inst.params, name); }))
    return m;
  if (read_cpl_model(card, m, [&](const Token& t) { return value(card, t, *inst.params); })) return m;
  std::size_t first = 3;
  if (m.type.starts_with("ako:")) {
    m = a_kind_of(card, inst, m);
    first = 4;
  }
  for (std::size_t k = first; k < tk.size(); ++k) {
    const Token& t = tk[k];
    if (t.kind == Kind::LParen || t.kind == Kind::RParen || t.kind == Kind::Comma) continue;
    // LTspice's and ngspice's VDMOS polarity flags (.model irf VDMOS pchan ...).
    // ngspice's LTRA flags (steplimit, nocontrol, lininterp, truncnr ...): bare words,
    // kept as flag=1 (models/ltra.cpp accepts them).
    const bool ltra_flag = m.type == "ltra" && t.kind == Kind::Word && !is_assignment(tk, k);
    if (ltra_flag || (t.kind == Kind::Word && (t.text == "nchan" || t.text == "pchan") && !is_assignment(tk, k))) {
      m.params.push_back({t.text, 1, card.at(t)});
      continue;
    }
    // A bare number among the pairs (a vendor card's stray "CJC=4.66E-11 .00 FC=.5"):
    // ngspice's PSpice-compatible reading drops it; so do we, with a warning.
    if (!is_assignment(tk, k) && t.kind == Kind::Word && starts_number(t.text)) {
      net_.warnings.push_back(fmt::format("{}: warning: '{}' on '.model {}' names no parameter: it is ignored",
                                          card.at(t).str(), t.text, tk[1].text));
      continue;
    }
    if (!is_assignment(tk, k) || k + 2 >= tk.size())
      throw InputError(card.at(t), fmt::format("expected name=value on '.model {}', not '{}'",
                                               tk[1].text, t.text));
    k += 2;
    // BSIM's version=4.5.0, a string in ngspice: accepted and not kept (no model here reads
    // it), so that such a card fails, if at all, on its level or type.
    if (t.text == "version") continue;
    // LTspice's library cards carry datasheet figures for its part picker (mfg=OnSemi
    // type=silicon Iave=200m Vpk=75 Vceo=40 Icrating=200m): no SPICE model reads them.
    static constexpr std::string_view datasheet[] = {"mfg", "type", "iave", "vpk", "ipk", "vceo", "icrating"};
    if (std::ranges::find(datasheet, t.text) != std::end(datasheet)) {
      k = value_end(card, k);
      continue;
    }
    // HSPICE's Monte-Carlo specs after a parameter (r=1 dev/gauss=5% lot=2%, vth0=0.4
    // dev=0.01): ngspice warns ("Model issue") and runs the nominal model; so do we.
    if (t.text == "dev" || t.text == "lot" || t.text.starts_with("dev/") || t.text.starts_with("lot/")) {
      net_.warnings.push_back(fmt::format("{}: warning: '{}' (a Monte-Carlo spread) on '.model {}' is ignored: "
                                          "the nominal value is used",
                                          card.at(t).str(), t.text, tk[1].text));
      k = value_end(card, k);
      continue;
    }
    // ngspice's booleans on any .model card (limit=TRUE on a switch's card, a code model's
    // flags when its type is one neurospice does not have): 1 and 0.
    if (tk[k].kind == Kind::Word && (tk[k].text == "true" || tk[k].text == "false")) {
      m.params.push_back({t.text, tk[k].text == "true" ? 1.0 : 0.0, card.at(t)});
      continue;
    }
    const Number v = value_at(card, k, *inst.params);
    // On an AKO card a parameter replaces the base model's of that name.
    const auto same = std::ranges::find_if(m.params, [&](const Assignment& a) { return a.name == t.text; });
    if (first == 4 && same != m.params.end()) *same = {t.text, v.value, card.at(t)};
    else m.params.push_back({t.text, v.value, card.at(t)});
  }
  return m;
}

// PSpice's ".model NEW AKO:BASE TYPE (overrides)": a copy of BASE, the .model of that name
// visible from here (itself possibly AKO), under the new name; TYPE must be BASE's type.
Model Elaborator::a_kind_of(const Card& card, const Instance& inst, Model m) {
  const auto& tk = card.tokens;
  const std::string base = m.type.substr(4);
  if (tk.size() < 4 || tk[3].kind != Kind::Word)
    throw InputError(m.type_where, fmt::format("'.model {} ako:{}' needs the type after the base model", tk[1].text, base));
  const Instance* owner = base.empty() ? nullptr : model_owner(inst, base);
  if (!owner || !owner->def->models.count(base))
    throw InputError(m.type_where, fmt::format("'.model {}' is a kind of '{}': no .model of that name", tk[1].text, base));
  const Card& base_card = *owner->def->models.at(base);
  if (++ako_depth_ > 20) throw InputError(m.type_where, fmt::format("AKO models nested more than 20 deep at '{}'", base));
  // The base is made on its own as well: its warnings are said there, once.
  const std::size_t said = net_.warnings.size();
  Model copy = make_model(base_card, *owner);
  net_.warnings.resize(said);
  --ako_depth_;
  if (copy.type != tk[3].text)
    throw InputError(card.at(tk[3]), fmt::format("'.model {}' is a kind of '{}', a '{}', not a '{}'", tk[1].text,
                                                 base, copy.type, tk[3].text));
  copy.name = m.name;
  copy.where = m.where;
  copy.type_where = card.at(tk[3]);
  return copy;
}

bool Elaborator::has_random(const Card& model_card, const Subckt& scope) {
  const auto [it, added] = random_models_.emplace(&model_card, false);
  if (added)
    for (const Token& t : model_card.tokens)
      if (t.kind == Kind::Expr &&
          parse_expression(model_card, t.offset, t.text.size(), functions_of(scope))->random())
        it->second = true;
  return it->second;
}

void Elaborator::instantiate(const Card& card, const Instance& inst) {
  const auto& tk = card.tokens;
  const std::string name = inst.prefix + tk[0].text;
  std::size_t k = 1;
  std::vector<const Token*> words;
  for (; k < tk.size() && !is_assignment(tk, k); ++k) {
    if (tk[k].kind == Kind::Word && tk[k].text == "params:") {
      ++k;
      break;
    }
    if (tk[k].kind != Kind::Word)
      throw InputError(card.at(tk[k]), fmt::format("unexpected '{}' on '{}'", tk[k].text, tk[0].text));
    words.push_back(&tk[k]);
  }
  if (words.empty())
    throw InputError(card.where(), fmt::format("'{}' needs nodes and a subcircuit name", tk[0].text));
  const Token& sub_token = *words.back();
  words.pop_back();

  const Subckt* target = nullptr;
  std::vector<std::string> visible;
  for (const Subckt* s = inst.def; s && !target; s = s->parent) {
    const auto it = s->children.find(sub_token.text);
    if (it != s->children.end()) target = it->second.get();
    for (const auto& [n, child] : s->children) visible.push_back(n);
  }
  if (!target)
    throw InputError(card.at(sub_token), fmt::format("unknown subcircuit '{}'{}", sub_token.text,
                                                     did_you_mean(sub_token.text, visible)));
  for (const Instance* p = &inst; p; p = p->parent) {
    if (p->def != target) continue;
    std::vector<std::string> chain{target->name};
    for (const Instance* q = &inst; q != p; q = q->parent) chain.insert(chain.begin() + 1, q->def->name);
    std::string text;
    for (const auto& c : chain) text += c + " -> ";
    throw InputError(card.where(), fmt::format("subcircuit '{}' instantiates itself ({}{})",
                                               target->name, text, target->name));
  }
  int depth = 1;  // of the instance this card makes
  for (const Instance* p = inst.parent; p; p = p->parent) ++depth;
  if (depth > max_subckt_depth)
    throw InputError(card.where(), fmt::format("subcircuit instances nested more than {} deep "
                                               "('{}' inside '{}')", max_subckt_depth, target->name,
                                               inst.def->name));
  if (words.size() < target->ports.size() || words.size() > target->ports.size() + target->optional.size()) {
    std::string ports;
    for (const auto& p : target->ports) ports += (ports.empty() ? "" : " ") + p;
    std::string optional;
    for (const auto& [pin, node] : target->optional) optional += (optional.empty() ? "" : " ") + pin;
    throw InputError(card.where(), fmt::format("'{}' connects {} node{}, but subcircuit '{}' has {} "
                                               "port{} ({}){}", tk[0].text, words.size(),
                                               words.size() == 1 ? "" : "s", target->name,
                                               target->ports.size(),
                                               target->ports.size() == 1 ? "" : "s", ports,
                                               optional.empty() ? "" : ", then the optional pins " + optional));
  }
  claim_name(name, card.where());

  double multiplier = inst.multiplier;
  Location multiplier_where = inst.multiplier_where;
  ParamScope& scope = scopes_.emplace_back();
  scope.parent = inst.params;
  scope.def = target;
  for (const ParamDef& d : target->defaults) scope.entries[d.name].def = &d;
  for (const ParamDef& d : target->params) scope.entries[d.name].def = &d;
  for (; k < tk.size(); ++k) {
    if (tk[k].kind == Kind::Comma) continue;
    if (!is_assignment(tk, k) || k + 2 >= tk.size())
      throw InputError(card.at(tk[k]), fmt::format("expected name=value on '{}', not '{}'",
                                                   tk[0].text, tk[k].text));
    const std::string& pname = tk[k].text;
    auto named_m = [&](const ParamDef& d) { return d.name == "m"; };
    if (pname == "m" && std::none_of(target->defaults.begin(), target->defaults.end(), named_m) &&
        std::none_of(target->params.begin(), target->params.end(), named_m)) {
      const double m = value(card, tk[k + 2], *inst.params).value;
      if (!(m > 0)) throw InputError(card.at(tk[k + 2]), fmt::format("m on '{}' must be > 0, not {:g}", tk[0].text, m));
      multiplier *= m;
      multiplier_where = card.at(tk[k]);
      k += 2;
      continue;
    }
    // ngspice lets an instance also set a .param of the body (measured, ngspice 39:
    // `X1 a b rpot value=5k` over a body's `.param value=1k` uses 5k).
    auto named = [&](const ParamDef& d) { return d.name == pname; };
    if (std::none_of(target->defaults.begin(), target->defaults.end(), named) &&
        std::none_of(target->params.begin(), target->params.end(), named)) {
      std::vector<std::string> names;
      for (const ParamDef& d : target->defaults) names.push_back(d.name);
      for (const ParamDef& d : target->params) names.push_back(d.name);
      throw InputError(card.at(tk[k]), fmt::format("unknown parameter '{}' for subcircuit '{}'{}",
                                                   pname, target->name, did_you_mean(pname, names)));
    }
    auto& entry = scope.entries[pname];
    // A string: written in quotes, or the name of a string parameter of the caller.
    const Token& v = tk[k + 2];
    if (v.kind == Kind::String) entry.text = v.text;
    else if (v.kind == Kind::Word && value_end(card, k + 2) == k + 2) entry.text = string_param(*inst.params, v.text);
    if (!entry.text) entry.value = value(card, v, *inst.params).value;
    entry.state = ParamScope::State::Done;
    k += 2;
  }

  // alterparam SUB NAME = value: NAME in every instance of SUB, over the instance's own value.
  for (const auto& [key, v] : overrides_)
    if (key.size() > target->name.size() && key.starts_with(target->name) && key[target->name.size()] == '.')
      if (const auto it = scope.entries.find(key.substr(target->name.size() + 1)); it != scope.entries.end()) {
        it->second.value = v;
        it->second.state = ParamScope::State::Done;
      }

  Instance& child = instances_.emplace_back();
  child.def = target;
  child.prefix = name + ".";
  child.params = &scope;
  child.parent = &inst;
  child.multiplier = multiplier;
  child.multiplier_where = multiplier_where;
  for (std::size_t i = 0; i < words.size(); ++i)
    child.ports.emplace(i < target->ports.size() ? target->ports[i] : target->optional[i - target->ports.size()].first,
                        node(inst, words[i]->text));
  // PSpice's optional pins left out: their default nodes, named as at the top level ($g_dpwr).
  for (std::size_t i = words.size(); i < target->ports.size() + target->optional.size(); ++i)
    child.ports.emplace(target->optional[i - target->ports.size()].first,
                        target->optional[i - target->ports.size()].second);
  evaluate_all(scope, {&target->defaults, &target->params});
  expand(child);
}

void Elaborator::add_element(const Card& card, const Instance& inst) {
  const auto& tk = card.tokens;
  Element e;
  e.kind = tk[0].text[0];
  e.name = inst.prefix + tk[0].text;
  e.where = card.where();
  const std::string& short_name = tk[0].text;
  auto add_node = [&](const Token& t) {
    if (t.kind != Kind::Word)
      throw InputError(card.at(t), fmt::format("expected a node name on '{}', not '{}'", short_name, t.text));
    e.nodes.push_back(node(inst, t.text));
    e.node_where.push_back(card.at(t));
  };
  auto too_few = [&](const std::string& needs) {
    throw InputError(e.where, fmt::format("'{}' needs {}", short_name, needs));
  };
  const BehaviouralContext behavioural{
      [&](const std::string& n) { return node(inst, n); }, inst.prefix,
      [&](const std::string& n, const Location& where) { return lookup(*inst.params, n, [&] { return where; }); },
      [this](const Expression& body, std::size_t at) { return locate_in_function(deck_.top, body, at); },
      functions_of(*inst.def), random_ ? &*random_ : nullptr,
      [this](const std::string& line) { net_.warnings.push_back(line); }};
  if (e.kind == 'a') {
    read_xspice_element(card, e, {[&](const std::string& n) { return node(inst, n); }, inst.prefix,
                                  [&](const std::string& m) -> std::optional<std::pair<std::string, const Card*>> {
                                    const Instance* owner = model_owner(inst, m);
                                    if (!owner || !owner->def->models.count(m)) return std::nullopt;
                                    return std::make_pair(owner->prefix + m, owner->def->models.at(m));
                                  }});
    for (ParamScope* s = inst.params; s && !e.vcc; s = s->parent)
      if (s->entries.count("vcc")) e.vcc = lookup(*inst.params, "vcc", [&] { return e.where; });
    claim_name(e.name, e.where);
    if (inst.multiplier != 1) apply_multiplier(e, inst.multiplier, inst.multiplier_where);
    net_.elements.push_back(std::move(e));
    return;
  }
  if (LaplaceParts laplace; read_laplace(card, behavioural, laplace)) {
    for (Element& part : laplace.elements) {
      claim_name(part.name, part.where);
      if (inst.multiplier != 1 && part.name == e.name) apply_multiplier(part, inst.multiplier, inst.multiplier_where);
      net_.elements.push_back(std::move(part));
    }
    net_.models[laplace.model.name] = std::move(laplace.model);
    return;
  }
  if (read_behavioural(card, e, behavioural)) {
    claim_name(e.name, e.where);
    if (inst.multiplier != 1) apply_multiplier(e, inst.multiplier, inst.multiplier_where);
    net_.elements.push_back(std::move(e));
    return;
  }

  if (e.kind == 'v' || e.kind == 'i') {
    if (tk.size() < 3) too_few("2 nodes");
    add_node(tk[1]);
    add_node(tk[2]);
    parse_source(card, e, *inst.params);
  } else {
    std::vector<const Token*> positional;
    for (std::size_t k = 1; k < tk.size(); ++k) {
      const Token& t = tk[k];
      if (t.kind == Kind::Comma) continue;
      if (is_assignment(tk, k)) {
        if (k + 2 >= tk.size())
          throw InputError(card.at(t), fmt::format("parameter '{}' has no value", t.text));
        k += 2;
        // PSpice's TC=tc1[,tc2] (its schematic exports write TC=0,0 on every R and C)
        const bool tc_list = t.text == "tc" && (e.kind == 'r' || e.kind == 'c' || e.kind == 'l');
        e.params.push_back({tc_list ? "tc1" : t.text, value_at(card, k, *inst.params).value, card.at(t)});
        if (tc_list && k + 2 < tk.size() && tk[k + 1].kind == Kind::Comma && is_value_token(tk[k + 2])) {
          e.params.push_back({"tc2", value(card, tk[k + 2], *inst.params).value, card.at(tk[k + 2])});
          k += 2;
        }
        // SPICE's vector of initial conditions, ic=v1,v2,...: the further values are ic2, ic3 ...
        for (int n = 2; t.text == "ic" && k + 2 < tk.size() && tk[k + 1].kind == Kind::Comma &&
                        is_value_token(tk[k + 2]);
             ++n, k += 2)
          e.params.push_back({fmt::format("ic{}", n), value(card, tk[k + 2], *inst.params).value, card.at(tk[k + 2])});
      } else if (is_value_token(t)) {
        if (!e.params.empty())
          throw InputError(card.at(t), fmt::format("'{}' after name=value parameters on '{}'", t.text,
                                                   short_name));
        positional.push_back(&t);
      } else {
        throw InputError(card.at(t), fmt::format("unexpected '{}' on '{}'", t.text, short_name));
      }
    }
    std::size_t node_count = 0;
    std::size_t model_at = 0;  // index into positional; 0: no model on this card
    const ModelCard* with_model = model_card(e.kind);
    switch (e.kind) {
      case 'r': case 'c':  // ngspice: R1 a b [value] [model] [l= w= ...]; the model is optional
        node_count = 2;
        for (std::size_t j = 2; j < positional.size(); ++j)
          if (positional[j]->kind == Kind::Word && model_owner(inst, positional[j]->text)) {
            std::swap(positional[2], positional[j]);  // the model next after the nodes
            model_at = 2;
            break;
          }
        // A name that is neither a model nor a parameter: a model the deck lacks, which the
        // circuit builder reports as such (not as an undefined parameter).
        if (!model_at && positional.size() > 2 && positional[2]->kind == Kind::Word &&
            !looks_numeric(positional[2]->text) && !is_param(*inst.params, positional[2]->text) &&
            !rkm_value(positional[2]->text, e.kind))
          model_at = 2;
        break;
      case 'l': case 'f': case 'h': node_count = 2; break;
      case 'e': case 'g': case 't': node_count = 4; break;
      case 'k':  // K L1 L2 k: no nodes; set up after the inductors, as a controlled element is
        if (positional.size() < 3) too_few("two inductors and a coupling coefficient");
        for (std::size_t j = 0; j < 2; ++j)
          e.coupled.emplace_back(inst.prefix + positional[j]->text, card.at(*positional[j]));
        e.control = e.coupled[0].first;
        positional.erase(positional.begin(), positional.begin() + 2);
        break;
      default:
        if (const ModelCard* m = model_card(e.kind)) {
          // The model is the first word naming a visible .model; the nodes come before it.
          for (std::size_t j = 1; j < positional.size() && !model_at; ++j)
            if (positional[j]->kind == Kind::Word && model_owner(inst, positional[j]->text))
              model_at = j;
          if (!model_at) {
            // No visible model: take the usual position so the builder can report the name.
            if (m->nodes == 0) {
              for (std::size_t j = 0; j < positional.size(); ++j)
                if (positional[j]->kind == Kind::Word && !looks_numeric(positional[j]->text)) model_at = j;
            } else {
              model_at = m->nodes;
            }
            if (model_at == 0 || model_at >= positional.size()) too_few(std::string(m->needs));
          }
          node_count = model_at - (m->control ? 1 : 0);
        }
        break;
    }
    if (positional.size() < node_count) too_few(fmt::format("{} nodes", node_count));
    for (std::size_t j = 0; j < node_count; ++j) add_node(*positional[j]);
    std::size_t next = node_count;
    if (with_model && with_model->control) {
      e.control = inst.prefix + positional[next]->text;
      e.control_where = card.at(*positional[next]);
      ++next;
    }
    if (model_at) {
      const Token& m = *positional[next++];
      const Instance* owner = model_owner(inst, m.text);
      e.model = owner ? owner->prefix + m.text : m.text;
      e.model_where = card.at(m);
      if (owner && random_ && owner->def->models.count(m.text) &&
          has_random(*owner->def->models.at(m.text), *owner->def)) {
        // Each device draws its own model parameters: a copy of the model per element.
        Model copy = make_model(*owner->def->models.at(m.text), *owner);
        e.model = copy.name + "@" + e.name;
        net_.models[e.model] = std::move(copy);
      }
    }
    if (e.kind == 'f' || e.kind == 'h') {
      if (next >= positional.size() || positional[next]->kind != Kind::Word)
        too_few("2 nodes, a controlling voltage source and a gain");
      e.control = inst.prefix + positional[next]->text;
      e.control_where = card.at(*positional[next]);
      ++next;
    }
    for (; next < positional.size(); ++next) {
      // SPICE's bare `off` after the model (Q1 c b e qn off): the instance flag off=1; a
      // switch's `on` and a VDMOS's `thermal` likewise.
      if (model_at && positional[next]->kind == Kind::Word &&
          (positional[next]->text == "off" || positional[next]->text == "on" || positional[next]->text == "thermal")) {
        e.params.push_back({positional[next]->text, 1, card.at(*positional[next])});
        continue;
      }
      const Token& t = *positional[next];
      if (const auto rkm = t.kind == Kind::Word && !is_param(*inst.params, t.text) ? rkm_value(t.text, e.kind) : std::nullopt) {
        e.values.push_back({*rkm, card.at(t)});  // 4k7 = 4.7k (netlist/rkm.cpp)
        continue;
      }
      e.values.push_back(value(card, t, *inst.params));
    }
    if ((e.kind == 'e' || e.kind == 'g' || e.kind == 'f' || e.kind == 'h') && e.values.empty() &&
        e.params.empty())
      too_few("a gain");
  }
  claim_name(e.name, e.where);
  if (inst.multiplier != 1) apply_multiplier(e, inst.multiplier, inst.multiplier_where);
  net_.elements.push_back(std::move(e));
}

// V/I: [[dc] value] [ac mag [phase]] [pulse(...) | sin(...) | pwl(...) | exp(...) | sffm(...) | am(...)]
void Elaborator::parse_source(const Card& card, Element& e, ParamScope& scope) {
  static const std::set<std::string> keywords = {"dc", "ac", "pulse", "sin", "sine", "pwl", "exp", "sffm",
                                                 "am", "trnoise", "trrandom", "distof1", "distof2"};
  const auto& tk = card.tokens;
  auto is_keyword = [&](const Token& t) { return t.kind == Kind::Word && keywords.count(t.text); };
  auto is_port_word = [&](const Token& t) {
    return e.kind == 'v' && t.kind == Kind::Word && (t.text == "portnum" || t.text == "z0" || t.text == "pwr" || t.text == "freq");
  };
  std::size_t k = 3;
  while (k < tk.size()) {
    const Token& t = tk[k];
    if (t.kind == Kind::Comma) {
      ++k;
      continue;
    }
    Group g;
    g.where = card.at(t);
    // A sound file as the waveform (V1 in 0 file song.wav snd(...)), with .sndparam and
    // .sndprint: a patched ngspice's; Debian's ngspice 39 does not read it either.
    if (t.kind == Kind::Word && t.text == "file" && k + 1 < tk.size() &&
        (tk[k + 1].kind == Kind::Word || tk[k + 1].kind == Kind::LParen))
      throw InputError(g.where, fmt::format("'{}': a sound file as a source's waveform ('file {}') is not supported; "
                                            "a PWL file= of its samples is", tk[0].text,
                                            tk[k + 1 + (tk[k + 1].kind == Kind::LParen)].text));
    if (is_keyword(t)) {
      g.keyword = t.text == "sine" ? "sin" : t.text;  // LTspice spells it SINE
      ++k;
      if (k < tk.size() && tk[k].kind == Kind::Equals) ++k;
      // The list may hold its points as pairs in parentheses, as XSPICE's decks write
      // them: PWL( (0 0) (1m 1) ); ngspice reads the numbers in order.
      auto parenthesised = [&] {
        const Token& open = tk[k++];
        for (int depth = 0; k < tk.size() && (depth > 0 || tk[k].kind != Kind::RParen); ++k) {
          if (tk[k].kind == Kind::LParen) ++depth;
          else if (tk[k].kind == Kind::RParen) --depth;
          else if (tk[k].kind != Kind::Comma) g.args.push_back(value(card, tk[k], scope));
        }
        if (k == tk.size()) throw InputError(card.at(open), "'(' has no matching ')'");
        ++k;
      };
      // PSpice writes PWL points as pairs in parentheses: PWL (0,0) (1m,1) (2m,0).
      auto pairs = [&] {
        parenthesised();
        if (g.keyword == "pwl")
          while (k < tk.size() && tk[k].kind == Kind::LParen) parenthesised();
      };
      auto word = [&](std::size_t j, std::string_view w) { return j < tk.size() && tk[j].kind == Kind::Word && tk[j].text == w; };
      if (g.keyword == "pwl" && word(k, "file") && k + 2 < tk.size() && tk[k + 1].kind == Kind::Equals &&
          (tk[k + 2].kind == Kind::Word || tk[k + 2].kind == Kind::String)) {
        g.args = pwl_file_points(card, tk[k + 2]);
        k += 3;
      } else if (g.keyword == "pwl" && word(k, "repeat")) {
        // LTspice's PWL REPEAT FOREVER (t1 v1 ...) ENDREPEAT: ngspice's r=0, on a waveform
        // from t = 0. REPEAT FOR N (...) ENDREPEAT: pwl_file.hpp.
        const Location at = card.at(tk[k]);
        const bool forever = word(k + 1, "forever");
        const std::size_t open = forever ? k + 2 : k + 3;
        if ((!forever && !word(k + 1, "for")) || open >= tk.size() || tk[open].kind != Kind::LParen)
          throw InputError(card.at(tk[std::min(k + 1, tk.size() - 1)]),
                           "expected 'pwl repeat forever (t1 v1 ...) endrepeat' or 'pwl repeat for N (t1 v1 ...) endrepeat'");
        double count = 0;
        if (!forever) {
          const Number n = value(card, tk[k + 2], scope);
          if (n.value < 1 || n.value != std::floor(n.value))
            throw InputError(n.where, fmt::format("'repeat for' needs a whole number of repetitions, not {:g}", n.value));
          count = n.value;
        }
        k = open;
        pairs();
        if (!word(k, "endrepeat"))
          throw InputError(k < tk.size() ? card.at(tk[k]) : at, "'pwl repeat (...)' needs 'endrepeat' after it");
        ++k;
        if (g.args.size() >= 2 && g.args[0].value > 0) g.args.insert(g.args.begin(), {Number{0, at}, g.args[1]});
        if (forever) {
          e.params.push_back({"r", 0, at});
        } else {
          repeat_pwl(g.args, static_cast<int>(count));
        }
      } else if (k < tk.size() && tk[k].kind == Kind::LParen) {
        pairs();
      } else {
        const std::size_t most = g.keyword == "dc" ? 1 : g.keyword == "ac" || g.keyword.starts_with("distof") ? 2 : SIZE_MAX;
        for (; k < tk.size() && g.args.size() < most; ++k) {
          if (tk[k].kind == Kind::Comma) continue;
          if (!is_value_token(tk[k]) || is_keyword(tk[k]) || is_port_word(tk[k]) || is_assignment(tk, k)) break;
          g.args.push_back(value(card, tk[k], scope));
        }
      }
      // SPICE: an AC keyword without a magnitude means a magnitude of 1, a DC keyword
      // without a value 0 (ngspice-39's rts-1.cir writes 'DC trnoise(...)').
      if (g.keyword == "ac" && g.args.empty()) g.args.push_back({1, g.where});
      if (g.keyword == "dc" && g.args.empty()) g.args.push_back({0, g.where});
      // DISTOF1/DISTOF2 [mag [phase]]: the inputs of ngspice's .disto, an analysis neurospice
      // does not run; read and left out, said once per deck.
      if (g.keyword.starts_with("distof")) {
        if (!distof_said_)
          net_.warnings.push_back(fmt::format("{}: warning: '{}' on '{}' is ignored: it feeds .disto, which "
                                              "neurospice does not run", g.where.str(), g.keyword, tk[0].text));
        distof_said_ = true;
        continue;
      }
    } else if (is_assignment(tk, k)) {
      if (k + 2 >= tk.size())
        throw InputError(card.at(t), fmt::format("parameter '{}' has no value", t.text));
      e.params.push_back({t.text, value(card, tk[k + 2], scope).value, card.at(t)});
      k += 3;
      continue;
    } else if (is_port_word(t) && k + 1 < tk.size() && is_value_token(tk[k + 1])) {
      // ngspice's port words, written without '=': 'portnum 1 z0 50' (analysis/sp.cpp).
      // pwr and freq (the port's transient sine, which replaces the source's waveform) are
      // not simulated: said, and left out.
      if (t.text == "pwr" || t.text == "freq")
        net_.warnings.push_back(fmt::format("{}: warning: '{}' on port '{}' is ignored: the source keeps its own "
                                            "waveform in a transient", card.at(t).str(), t.text, tk[0].text));
      else
        e.params.push_back({t.text, value(card, tk[k + 1], scope).value, card.at(t)});
      k += 2;
      continue;
    } else if (is_value_token(t) && e.groups.empty()) {
      g.keyword = "dc";
      g.args.push_back(value(card, t, scope));
      ++k;
    } else if (t.kind == Kind::Word && t.text == "r" && !e.groups.empty() && e.groups.back().keyword == "pwl") {
      e.params.push_back({"r", 0, card.at(t)});  // HSPICE's PWL(...) R: repeat from t = 0, ngspice's r=0
      ++k;
      continue;
    } else {
      throw InputError(card.at(t), fmt::format("unexpected '{}' on '{}'", t.text, tk[0].text));
    }
    if (g.keyword == "pwl")  // ngspice takes equal time points as a step, and warns
      for (std::size_t j = 2; j < g.args.size(); j += 2)
        if (g.args[j].value == g.args[j - 2].value)
          net_.warnings.push_back(fmt::format("{}: warning: pwl on '{}' has two points at t = {:g}: "
                                              "the value steps there", g.args[j].where.str(),
                                              tk[0].text, g.args[j].value));
    for (const Group& other : e.groups)
      if (other.keyword == g.keyword)
        throw InputError(g.where, fmt::format("'{}' is given twice on '{}'", g.keyword, tk[0].text));
    e.groups.push_back(std::move(g));
  }
}

// The temperature a deck sets with plain numbers (.temp T, .options temp=T; .temp over
// .options, else the last), which `temper` reads while the deck is elaborated, as ngspice's expressions do
// (a temperature swept by .dc or .step elaborates the deck again with its value).
double deck_temperature(const Deck& deck) {
  double t = 27;
  bool temp_card = false;  // a .temp card wins over '.options temp=' wherever it is (ngspice 39)
  for (const Card* card : deck.controls) {
    const auto& tk = card->tokens;
    if (card->keyword() == ".temp" && tk.size() == 2) {
      if (const auto v = parse_number(tk[1].text)) t = *v, temp_card = true;
    } else if (card->keyword().starts_with(".opt") && !temp_card) {
      for (std::size_t k = 1; k + 2 < tk.size(); ++k)
        if (tk[k].text == "temp" && tk[k + 1].kind == Token::Kind::Equals)
          if (const auto v = parse_number(tk[k + 2].text)) t = *v;
    }
  }
  return t;
}

Netlist Elaborator::run() {
  net_.title = deck_.title;
  net_.warnings = deck_.warnings;
  top_scope_.def = &deck_.top;
  for (const ParamDef& d : deck_.top.params) top_scope_.entries[d.name].def = &d;
  for (const auto& [name, v] : overrides_) {
    check_param_override(deck_, name);
    if (name.find('.') != std::string::npos) continue;  // SUB.NAME: set in each instance of SUB (instantiate)
    auto& entry = top_scope_.entries.at(name);
    entry.value = v;
    entry.state = ParamScope::State::Done;
  }
  evaluate_all(top_scope_, {&deck_.top.params});
  for (const auto& [name, entry] : top_scope_.entries) net_.params[name] = entry.value;
  Instance top;
  top.def = &deck_.top;
  top.params = &top_scope_;
  expand(top);
  split_parasitics(net_);
  ControlScope controls{deck_, net_, [this](const Card& c, const Token& t) { return top_value(c, t); }};
  for (const Card* card : deck_.controls) read_control_card(*card, controls);
  // LTspice draws mc(), gauss() ... anew in every .step point; here only .mc runs draw.
  if (nominal_random_ && !net_.steps.empty() && net_.monte_carlo.runs == 0)
    net_.warnings.push_back(fmt::format("{}: warning: random functions take their nominal value in every .step "
                                        "point (LTspice draws them anew in each); .mc N draws them", nominal_random_->str()));
  sense_read_currents(net_);  // after the .meas and .print cards, which may read currents
  pick_bins(net_);  // after .options (scale)
  net_.deck = deck_.weak_from_this().lock();
  net_.overrides = overrides_;
  net_.random_stream = random_stream_;
  return std::move(net_);
}

}  // namespace

namespace {
const Subckt* find_subckt(const Subckt& scope, const std::string& name) {
  for (const auto& [n, child] : scope.children) {
    if (n == name) return child.get();
    if (const Subckt* inner = find_subckt(*child, name)) return inner;
  }
  return nullptr;
}
}  // namespace

void check_param_override(const Deck& deck, const std::string& key) {
  const std::size_t dot = key.find('.');
  if (dot == std::string::npos) {
    std::vector<std::string> names;
    for (const ParamDef& d : deck.top.params) names.push_back(d.name);
    if (std::find(names.begin(), names.end(), key) == names.end())
      throw InputError(Location{}, fmt::format("no top-level parameter '{}' to set{}", key, did_you_mean(key, names)));
    return;
  }
  const std::string sub = key.substr(0, dot), name = key.substr(dot + 1);
  const Subckt* def = find_subckt(deck.top, sub);
  if (!def) throw InputError(Location{}, fmt::format("no subcircuit '{}'", sub));
  std::vector<std::string> names;
  for (const auto* list : {&def->defaults, &def->params})
    for (const ParamDef& d : *list) names.push_back(d.name);
  if (std::find(names.begin(), names.end(), name) == names.end())
    throw InputError(Location{}, fmt::format("subcircuit '{}' has no parameter '{}'{}", sub, name, did_you_mean(name, names)));
}

Netlist elaborate(const Deck& deck, const std::map<std::string, double>& overrides,
                  std::optional<std::uint64_t> random_stream, std::optional<double> temperature) {
  return Elaborator(deck, overrides, random_stream, temperature).run();
}

}  // namespace ns
