// Elaboration: parameters evaluated (lazily, per scope), subcircuits flattened, element,
// model and control cards turned into the flat Netlist.
#include <algorithm>
#include <cmath>
#include <deque>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "netlist/deck.hpp"
#include "netlist/suggest.hpp"

namespace ns {

namespace {

using Kind = Token::Kind;

// Levels of parameters evaluated inside each other, each counted with its expression's
// depth (Expression::depth() + 1): bounds the recursion, as max_expression_depth does in
// one expression.
constexpr int max_param_nesting = 2000;
// Elements and subcircuit instances in the flattened circuit (about 1 kB each).
constexpr std::size_t max_elements = 1'000'000;

// The parameters of one scope: the top level, or one subcircuit instance. A name is
// evaluated when first used, in the scope that defines it.
struct ParamScope {
  enum class State { Pending, Busy, Done };
  struct Entry {
    const ParamDef* def = nullptr;
    double value = 0;
    State state = State::Pending;
  };
  std::unordered_map<std::string, Entry> entries;
  ParamScope* parent = nullptr;
};

struct Instance {
  const Subckt* def = nullptr;
  std::string prefix;  // "" at the top, "x1." inside x1, "x1.x2." inside x1.x2
  std::unordered_map<std::string, std::string> ports;  // port name -> flattened outer node
  ParamScope* params = nullptr;
  const Instance* parent = nullptr;
};

bool encloses(const Subckt* outer, const Subckt* inner) {
  for (const Subckt* s = inner; s; s = s->parent)
    if (s == outer) return true;
  return false;
}

bool is_value_token(const Token& t) { return t.kind == Kind::Word || t.kind == Kind::Expr; }
bool is_assignment(const std::vector<Token>& tk, std::size_t k) {
  return tk[k].kind == Kind::Word && k + 1 < tk.size() && tk[k + 1].kind == Kind::Equals;
}

const std::set<std::string>& ignored_options() {
  static const std::set<std::string> names = {
      "itl1", "itl2", "itl3", "itl4", "itl5", "itl6", "trtol", "chgtol", "pivtol", "pivrel",
      "noacct", "acct", "nopage", "numdgt", "list", "node", "opts", "norefvalue", "keepopinfo",
      "savecurrents", "maxord", "defad", "defas", "defl", "defw", "gminsteps", "srcsteps",
      "rshunt", "cshunt", "interp", "post", "ingold", "noinit", "nomod", "warn", "klu",
      "sparse", "rseries", "minbreak", "xmu", "trytocompact", "autostop", "seed", "abstol_i"};
  return names;
}

class Elaborator {
public:
  Elaborator(const Deck& deck, const std::map<std::string, double>& overrides,
             std::optional<std::uint64_t> random_stream)
      : deck_(deck), overrides_(overrides) {
    if (random_stream) random_.emplace(*random_stream);
  }
  Netlist run();

private:
  double lookup(ParamScope& scope, const std::string& name, const Card& card, std::size_t offset);
  double evaluate(const Expression& e, ParamScope& scope, const Card& card, std::size_t base);
  Number value(const Card& card, const Token& t, ParamScope& scope);
  Number top_value(const Card& card, const Token& t) { return value(card, t, top_scope_); }

  void expand(const Instance& inst);
  void evaluate_all(ParamScope& scope, const std::vector<const std::vector<ParamDef>*>& lists);
  Model make_model(const Card& card, const Instance& inst);
  bool has_random(const Card& model_card);
  void instantiate(const Card& card, const Instance& inst);
  void add_element(const Card& card, const Instance& inst);
  void parse_source(const Card& card, Element& e, ParamScope& scope);
  std::string node(const Instance& inst, const std::string& name) const;
  const Instance* model_owner(const Instance& inst, const std::string& name) const;
  void claim_name(const std::string& name, const Location& where);

  void control(const Card& card);
  void dc(const Card& card);
  void tran(const Card& card);
  void options(const Card& card);
  void initial_values(const Card& card, std::vector<InitialValue>& out);
  void outputs(const Card& card);
  void step(const Card& card);
  void monte_carlo(const Card& card);
  void measure(const Card& card);
  std::vector<double> sweep_points(const Card& card, const std::string& type,
                                   const std::vector<const Token*>& values);

  const Deck& deck_;
  const std::map<std::string, double>& overrides_;
  Netlist net_;
  ParamScope top_scope_;
  std::deque<ParamScope> scopes_;  // one per subcircuit instance; stable addresses
  std::deque<Instance> instances_;
  std::vector<std::string> evaluating_;  // names being evaluated, for the cycle message
  int nesting_ = 0;  // expression levels of the parameters being evaluated, for max_param_nesting
  std::unordered_map<std::string, Location> names_;
  std::unordered_map<std::string, char> element_kinds_;
  std::optional<Random> random_;  // set in a Monte Carlo run
  std::unordered_map<const Card*, bool> random_models_;  // .model cards with random calls
};

double Elaborator::lookup(ParamScope& scope, const std::string& name, const Card& card,
                          std::size_t offset) {
  for (ParamScope* s = &scope; s; s = s->parent) {
    const auto it = s->entries.find(name);
    if (it == s->entries.end()) continue;
    ParamScope::Entry& entry = it->second;
    if (entry.state == ParamScope::State::Done) return entry.value;
    if (entry.state == ParamScope::State::Busy) {
      std::string chain;
      auto first = std::find(evaluating_.rbegin(), evaluating_.rend(), name).base();
      if (first != evaluating_.begin()) --first;
      for (auto i = first; i != evaluating_.end(); ++i) chain += *i + " -> ";
      throw InputError(card.at(offset), fmt::format("parameter '{}' is defined in terms of itself ({}{})",
                                                    name, chain, name));
    }
    // Evaluation recurses through parameters that use parameters: bound it, or a long
    // chain of definitions would overflow the stack.
    nesting_ += entry.def->expression->depth() + 1;
    if (nesting_ > max_param_nesting)
      throw InputError(card.at(offset), fmt::format("parameter '{}' is nested too deeply: the parameters "
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
  std::vector<std::string> known;
  for (ParamScope* s = &scope; s; s = s->parent)
    for (const auto& [n, entry] : s->entries) known.push_back(n);
  throw InputError(card.at(offset),
                   fmt::format("undefined parameter '{}'{}", name, did_you_mean(name, known)));
}

double Elaborator::evaluate(const Expression& e, ParamScope& scope, const Card& card,
                            std::size_t base) {
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
  const auto expression = parse_expression(card, t.offset, t.text.size());
  if (const auto c = expression->constant()) return Number{*c, where};
  return Number{evaluate(*expression, scope, card, t.offset), where};
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
    if (encloses(p->def, inst.def) && p->def->models.count(name)) return p;
  return nullptr;
}

// Every parameter is evaluated even when nothing uses it, so that its errors surface.
void Elaborator::evaluate_all(ParamScope& scope, const std::vector<const std::vector<ParamDef>*>& lists) {
  for (const auto* list : lists)
    for (const ParamDef& d : *list) lookup(scope, d.name, *d.card, d.offset);
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
}

Model Elaborator::make_model(const Card& card, const Instance& inst) {
  const auto& tk = card.tokens;
  Model m;
  m.name = inst.prefix + tk[1].text;
  m.type = tk[2].text;
  m.where = card.at(tk[1]);
  m.type_where = card.at(tk[2]);
  for (std::size_t k = 3; k < tk.size(); ++k) {
    const Token& t = tk[k];
    if (t.kind == Kind::LParen || t.kind == Kind::RParen || t.kind == Kind::Comma) continue;
    if (!is_assignment(tk, k) || k + 2 >= tk.size())
      throw InputError(card.at(t), fmt::format("expected name=value on '.model {}', not '{}'",
                                               tk[1].text, t.text));
    m.params.push_back({t.text, value(card, tk[k + 2], *inst.params).value, card.at(t)});
    k += 2;
  }
  return m;
}

bool Elaborator::has_random(const Card& model_card) {
  const auto [it, added] = random_models_.emplace(&model_card, false);
  if (added)
    for (const Token& t : model_card.tokens)
      if (t.kind == Kind::Expr && parse_expression(model_card, t.offset, t.text.size())->random())
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
  if (words.size() != target->ports.size()) {
    std::string ports;
    for (const auto& p : target->ports) ports += (ports.empty() ? "" : " ") + p;
    throw InputError(card.where(), fmt::format("'{}' connects {} node{}, but subcircuit '{}' has {} "
                                               "port{} ({})", tk[0].text, words.size(),
                                               words.size() == 1 ? "" : "s", target->name,
                                               target->ports.size(),
                                               target->ports.size() == 1 ? "" : "s", ports));
  }
  claim_name(name, card.where());

  ParamScope& scope = scopes_.emplace_back();
  scope.parent = inst.params;
  for (const ParamDef& d : target->defaults) scope.entries[d.name].def = &d;
  for (const ParamDef& d : target->params) scope.entries[d.name].def = &d;
  for (; k < tk.size(); ++k) {
    if (tk[k].kind == Kind::Comma) continue;
    if (!is_assignment(tk, k) || k + 2 >= tk.size())
      throw InputError(card.at(tk[k]), fmt::format("expected name=value on '{}', not '{}'",
                                                   tk[0].text, tk[k].text));
    const std::string& pname = tk[k].text;
    const bool is_default = std::any_of(target->defaults.begin(), target->defaults.end(),
                                        [&](const ParamDef& d) { return d.name == pname; });
    if (!is_default) {
      std::vector<std::string> names;
      for (const ParamDef& d : target->defaults) names.push_back(d.name);
      throw InputError(card.at(tk[k]), fmt::format("unknown parameter '{}' for subcircuit '{}'{}",
                                                   pname, target->name, did_you_mean(pname, names)));
    }
    auto& entry = scope.entries[pname];
    entry.value = value(card, tk[k + 2], *inst.params).value;
    entry.state = ParamScope::State::Done;
    k += 2;
  }

  Instance& child = instances_.emplace_back();
  child.def = target;
  child.prefix = name + ".";
  child.params = &scope;
  child.parent = &inst;
  for (std::size_t i = 0; i < words.size(); ++i)
    child.ports.emplace(target->ports[i], node(inst, words[i]->text));
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
        e.params.push_back({t.text, value(card, tk[k + 2], *inst.params).value, card.at(t)});
        k += 2;
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
    switch (e.kind) {
      case 'r': case 'c': case 'l': case 'f': case 'h': node_count = 2; break;
      case 'e': case 'g': node_count = 4; break;
      case 'd': case 'm': case 'n': {
        for (std::size_t j = 1; j < positional.size() && !model_at; ++j)
          if (positional[j]->kind == Kind::Word && model_owner(inst, positional[j]->text))
            model_at = j;
        if (!model_at) {
          // No visible model: take the usual position so the builder can report the name.
          const std::size_t usual = e.kind == 'd' ? 2 : e.kind == 'm' ? 4 : 0;
          if (e.kind == 'n') {
            for (std::size_t j = 0; j < positional.size(); ++j)
              if (positional[j]->kind == Kind::Word && !looks_numeric(positional[j]->text)) model_at = j;
          } else {
            model_at = usual;
          }
          if (model_at == 0 || model_at >= positional.size())
            too_few(e.kind == 'd' ? "2 nodes and a model name"
                    : e.kind == 'm' ? "4 nodes (d g s b) and a model name"
                                    : "nodes and a model name");
        }
        node_count = model_at;
        break;
      }
      default: break;
    }
    if (positional.size() < node_count) too_few(fmt::format("{} nodes", node_count));
    for (std::size_t j = 0; j < node_count; ++j) add_node(*positional[j]);
    std::size_t next = node_count;
    if (model_at) {
      const Token& m = *positional[next++];
      const Instance* owner = model_owner(inst, m.text);
      e.model = owner ? owner->prefix + m.text : m.text;
      e.model_where = card.at(m);
      if (owner && random_ && has_random(*owner->def->models.at(m.text))) {
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
    for (; next < positional.size(); ++next)
      e.values.push_back(value(card, *positional[next], *inst.params));
    if ((e.kind == 'e' || e.kind == 'g' || e.kind == 'f' || e.kind == 'h') && e.values.empty() &&
        e.params.empty())
      too_few("a gain");
  }
  claim_name(e.name, e.where);
  element_kinds_.emplace(e.name, e.kind);
  net_.elements.push_back(std::move(e));
}

// V/I: [[dc] value] [ac mag [phase]] [pulse(...) | sin(...) | pwl(...) | exp(...) | sffm(...)]
void Elaborator::parse_source(const Card& card, Element& e, ParamScope& scope) {
  static const std::set<std::string> keywords = {"dc", "ac", "pulse", "sin", "pwl", "exp", "sffm"};
  const auto& tk = card.tokens;
  auto is_keyword = [&](const Token& t) { return t.kind == Kind::Word && keywords.count(t.text); };
  std::size_t k = 3;
  while (k < tk.size()) {
    const Token& t = tk[k];
    if (t.kind == Kind::Comma) {
      ++k;
      continue;
    }
    Group g;
    g.where = card.at(t);
    if (is_keyword(t)) {
      g.keyword = t.text;
      ++k;
      if (k < tk.size() && tk[k].kind == Kind::Equals) ++k;
      if (k < tk.size() && tk[k].kind == Kind::LParen) {
        const Token& open = tk[k++];
        for (; k < tk.size() && tk[k].kind != Kind::RParen; ++k)
          if (tk[k].kind != Kind::Comma) g.args.push_back(value(card, tk[k], scope));
        if (k == tk.size()) throw InputError(card.at(open), "'(' has no matching ')'");
        ++k;
      } else {
        const std::size_t most = g.keyword == "dc" ? 1 : g.keyword == "ac" ? 2 : SIZE_MAX;
        for (; k < tk.size() && g.args.size() < most; ++k) {
          if (tk[k].kind == Kind::Comma) continue;
          if (!is_value_token(tk[k]) || is_keyword(tk[k]) || is_assignment(tk, k)) break;
          g.args.push_back(value(card, tk[k], scope));
        }
      }
      if ((g.keyword == "dc" || g.keyword == "ac") && g.args.empty())
        throw InputError(g.where, fmt::format("'{}' needs a value", g.keyword));
    } else if (is_assignment(tk, k)) {
      if (k + 2 >= tk.size())
        throw InputError(card.at(t), fmt::format("parameter '{}' has no value", t.text));
      e.params.push_back({t.text, value(card, tk[k + 2], scope).value, card.at(t)});
      k += 3;
      continue;
    } else if (is_value_token(t) && e.groups.empty()) {
      g.keyword = "dc";
      g.args.push_back(value(card, t, scope));
      ++k;
    } else {
      throw InputError(card.at(t), fmt::format("unexpected '{}' on '{}'", t.text, tk[0].text));
    }
    for (const Group& other : e.groups)
      if (other.keyword == g.keyword)
        throw InputError(g.where, fmt::format("'{}' is given twice on '{}'", g.keyword, tk[0].text));
    e.groups.push_back(std::move(g));
  }
}

void Elaborator::control(const Card& card) {
  const std::string& k = card.keyword();
  if (k == ".op") {
    if (card.tokens.size() > 1) throw InputError(card.at(card.tokens[1]), "'.op' takes no arguments");
    net_.analyses.push_back(OpAnalysis{card.where()});
  } else if (k == ".dc") {
    dc(card);
  } else if (k == ".tran") {
    tran(card);
  } else if (k == ".options" || k == ".option" || k == ".opt") {
    options(card);
  } else if (k == ".temp") {
    if (card.tokens.size() != 2) throw InputError(card.where(), "'.temp' takes one temperature");
    net_.options.temp = top_value(card, card.tokens[1]).value;
  } else if (k == ".ic") {
    initial_values(card, net_.ic);
  } else if (k == ".nodeset") {
    initial_values(card, net_.nodeset);
  } else if (k == ".step") {
    step(card);
  } else if (k == ".mc") {
    monte_carlo(card);
  } else if (k == ".meas" || k == ".measure") {
    measure(card);
  } else {
    outputs(card);
  }
}

std::vector<double> Elaborator::sweep_points(const Card& card, const std::string& type,
                                             const std::vector<const Token*>& values) {
  constexpr double max_points = 1e7;
  std::vector<double> points;
  if (type == "list") {
    for (const Token* t : values) points.push_back(top_value(card, *t).value);
    return points;
  }
  const double start = top_value(card, *values[0]).value;
  const double stop = top_value(card, *values[1]).value;
  const Number step = top_value(card, *values[2]);
  if (step.value == 0)
    throw InputError(step.where, fmt::format("the {} must not be zero", type == "lin" ? "step" : "point count"));
  auto snap_last = [&] {
    if (std::fabs(points.back() - stop) <= 1e-9 * std::max(std::fabs(stop), std::fabs(points.back())))
      points.back() = stop;
  };
  if (type == "lin") {
    if (start == stop) return {start};
    const double signed_step = std::copysign(step.value, stop - start);
    const double count = std::floor((stop - start) / signed_step + 1e-9) + 1;
    if (!(count <= max_points))
      throw InputError(step.where, fmt::format("the sweep would have {:g} points (at most {:g})", count, max_points));
    // Rounded to 15 digits: 20u + 16 * 20u is 3.4e-4, as the user would write it, not
    // 0.00033999999999999997.
    for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i)
      points.push_back(std::stod(fmt::format("{:.15g}", start + double(i) * signed_step)));
    snap_last();
    return points;
  }
  if (start == 0 || stop == 0 || (start > 0) != (stop > 0))
    throw InputError(card.at(*values[0]),
                     fmt::format("a '{}' sweep needs start and stop of the same sign, not zero", type));
  if (step.value < 0)
    throw InputError(step.where, "the number of points must be positive");
  const double base = type == "dec" ? 10.0 : 2.0;
  const double span = std::log(stop / start) / std::log(base);  // in decades or octaves
  const double count = std::floor(std::fabs(span) * step.value + 1e-9) + 1;
  if (!(count <= max_points))
    throw InputError(step.where, fmt::format("the sweep would have {:g} points (at most {:g})", count, max_points));
  const double direction = span >= 0 ? 1 : -1;
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i)
    points.push_back(start * std::pow(base, direction * double(i) / step.value));
  snap_last();
  return points;
}

void Elaborator::dc(const Card& card) {
  const auto& tk = card.tokens;
  DcAnalysis analysis{{}, card.where()};
  std::size_t k = 1;
  auto is_number_token = [&](std::size_t j) {
    return j < tk.size() && (tk[j].kind == Kind::Expr || (tk[j].kind == Kind::Word && looks_numeric(tk[j].text)));
  };
  if (tk.size() == 1) throw InputError(card.where(), "'.dc' needs a source or parameter to sweep");
  while (k < tk.size()) {
    std::string type = "lin";
    bool param_only = false;
    if (tk[k].kind == Kind::Word && (tk[k].text == "lin" || tk[k].text == "dec" || tk[k].text == "oct") &&
        k + 1 < tk.size() && tk[k + 1].kind == Kind::Word && !looks_numeric(tk[k + 1].text))
      type = tk[k++].text;
    if (tk[k].kind == Kind::Word && tk[k].text == "param" && k + 1 < tk.size() &&
        tk[k + 1].kind == Kind::Word)
      param_only = true, ++k;
    const Token& name = tk[k];
    if (name.kind != Kind::Word || looks_numeric(name.text))
      throw InputError(card.at(name), fmt::format("expected a source or parameter to sweep, not '{}'", name.text));
    ++k;
    std::vector<const Token*> values;
    if (k < tk.size() && tk[k].kind == Kind::Word && tk[k].text == "list" && type == "lin") {
      type = "list";
      for (++k; is_number_token(k); ++k) values.push_back(&tk[k]);
      if (values.empty()) throw InputError(card.at(tk[k - 1]), "'list' needs at least one value");
    } else {
      for (int j = 0; j < 3; ++j, ++k) {
        if (k >= tk.size() || !is_value_token(tk[k]))
          throw InputError(card.at(name), fmt::format("'.dc {}' needs start, stop and {}", name.text,
                                                      type == "lin" ? "step" : "points per " + std::string(type == "dec" ? "decade" : "octave")));
        values.push_back(&tk[k]);
      }
    }
    Sweep s;
    s.name = name.text;
    s.where = card.at(name);
    const bool is_param = top_scope_.entries.count(name.text) > 0;
    const bool is_source = (name.text[0] == 'v' || name.text[0] == 'i') && element_kinds_.count(name.text) &&
                           element_kinds_[name.text] == name.text[0];
    if (param_only) {
      if (!is_param) {
        std::vector<std::string> names;
        for (const auto& [n, entry] : top_scope_.entries) names.push_back(n);
        throw InputError(s.where, fmt::format("'{}' is not a top-level .param{}", name.text, did_you_mean(name.text, names)));
      }
      s.target = Sweep::Target::Param;
    } else if (name.text == "temp") {
      s.target = Sweep::Target::Temperature;
    } else if (is_source) {
      s.target = Sweep::Target::Source;
    } else if (is_param) {
      s.target = Sweep::Target::Param;
    } else {
      std::vector<std::string> names;
      for (const auto& [n, kind] : element_kinds_) if (kind == 'v' || kind == 'i') names.push_back(n);
      for (const auto& [n, entry] : top_scope_.entries) names.push_back(n);
      if (name.text[0] == 'v' || name.text[0] == 'i')
        throw InputError(s.where, fmt::format("unknown source '{}' in '.dc'{}", name.text, did_you_mean(name.text, names)));
      throw InputError(s.where, fmt::format("'{}' is neither a source, a top-level .param nor 'temp'{}",
                                            name.text, did_you_mean(name.text, names)));
    }
    s.points = sweep_points(card, type, values);
    analysis.sweeps.push_back(std::move(s));
  }
  net_.analyses.push_back(std::move(analysis));
}

// .step [lin|dec|oct] TARGET [lin|dec|oct|list] values, TARGET one of: param X, temp,
// a source, [TYPE] MODEL(PARAM), @DEVICE[PARAM] (LTspice).
void Elaborator::step(const Card& card) {
  constexpr std::size_t max_steps = 3;
  const auto& tk = card.tokens;
  if (net_.steps.size() == max_steps)
    throw InputError(card.where(), fmt::format("at most {} '.step' cards may nest (the first is at {})",
                                               max_steps, net_.steps.front().where.str()));
  auto is_word = [&](std::size_t j) { return j < tk.size() && tk[j].kind == Kind::Word; };
  auto is_type = [&](std::size_t j, bool list_too) {
    return is_word(j) && (tk[j].text == "lin" || tk[j].text == "dec" || tk[j].text == "oct" ||
                          (list_too && tk[j].text == "list"));
  };
  std::size_t k = 1;
  std::string type;
  if (is_type(k, false) && is_word(k + 1) && !looks_numeric(tk[k + 1].text)) type = tk[k++].text;
  if (!is_word(k) || looks_numeric(tk[k].text))
    throw InputError(k < tk.size() ? card.at(tk[k]) : card.where(),
                     "'.step' needs what to step: param NAME, temp, a source, MODEL(PARAM) or @DEVICE[PARAM]");
  Step s;
  const Token& t = tk[k];
  s.where = card.at(t);
  auto names_of = [](const auto& map) {
    std::vector<std::string> names;
    for (const auto& entry : map) names.push_back(entry.first);
    std::sort(names.begin(), names.end());  // a tie in did_you_mean goes to the first
    return names;
  };
  if (t.text == "param" && is_word(k + 1)) {
    const Token& name = tk[k + 1];
    s.target = Step::Target::Param;
    s.name = s.label = name.text;
    s.where = card.at(name);
    if (!top_scope_.entries.count(name.text))
      throw InputError(s.where, fmt::format("'{}' is not a top-level .param{}", name.text,
                                            did_you_mean(name.text, names_of(top_scope_.entries))));
    k += 2;
  } else if (t.text == "temp") {
    s.target = Step::Target::Temperature;
    s.name = s.label = "temp";
    k += 1;
  } else if (t.text[0] == '@') {
    std::size_t end = 0;
    std::optional<ProbeRequest> p;
    try {
      p = read_probe(card.text, t.offset, end);
    } catch (const ExpressionError&) {
    }
    if (!p || end != t.offset + t.text.size())
      throw InputError(s.where, fmt::format("expected @device[parameter], not '{}'", t.text));
    s.target = Step::Target::InstanceParam;
    s.name = p->a;
    s.param = p->b;
    s.label = t.text;
    if (!element_kinds_.count(s.name))
      throw InputError(s.where, fmt::format("no element '{}' to step{}", s.name,
                                            did_you_mean(s.name, names_of(element_kinds_))));
    k += 1;
  } else if (k + 1 < tk.size() && (tk[k + 1].kind == Kind::LParen ||
                                   (is_word(k + 1) && k + 2 < tk.size() && tk[k + 2].kind == Kind::LParen))) {
    const Token* model_type = tk[k + 1].kind == Kind::LParen ? nullptr : &tk[k++];
    const Token& model = tk[k];
    if (!is_word(k + 2) || k + 3 >= tk.size() || tk[k + 3].kind != Kind::RParen)
      throw InputError(card.at(model), fmt::format("expected {}(parameter) on '.step'", model.text));
    s.target = Step::Target::ModelParam;
    s.name = model.text;
    s.param = tk[k + 2].text;
    s.label = s.name + "(" + s.param + ")";
    s.where = card.at(model);
    const auto it = net_.models.find(s.name);
    if (it == net_.models.end())
      throw InputError(s.where, fmt::format("no model '{}' to step{}", s.name,
                                            did_you_mean(s.name, names_of(net_.models))));
    if (model_type && model_type->text != it->second.type)
      throw InputError(card.at(*model_type), fmt::format("model '{}' is of type '{}', not '{}'", s.name,
                                                         it->second.type, model_type->text));
    k += 4;
  } else {
    s.target = Step::Target::Source;
    s.name = s.label = t.text;
    const auto it = element_kinds_.find(t.text);
    if (it == element_kinds_.end() || (it->second != 'v' && it->second != 'i')) {
      std::vector<std::string> names;
      for (const auto& [n, kind] : element_kinds_) if (kind == 'v' || kind == 'i') names.push_back(n);
      std::sort(names.begin(), names.end());
      const std::string hint = top_scope_.entries.count(t.text)
                                   ? fmt::format(" (to step the .param write '.step param {}')", t.text)
                                   : did_you_mean(t.text, names);
      throw InputError(s.where, fmt::format("'{}' is not an independent source{}", t.text, hint));
    }
    k += 1;
  }
  if (is_type(k, true)) {
    if (!type.empty()) throw InputError(card.at(tk[k]), fmt::format("the sweep type is already '{}'", type));
    type = tk[k++].text;
  }
  if (type.empty()) type = "lin";
  std::vector<const Token*> values;
  for (; k < tk.size(); ++k) {
    if (tk[k].kind == Kind::Comma) continue;
    if (!is_value_token(tk[k]) || (type != "list" && values.size() == 3))
      throw InputError(card.at(tk[k]), fmt::format("unexpected '{}' on '.step'", tk[k].text));
    values.push_back(&tk[k]);
  }
  if (type == "list" ? values.empty() : values.size() != 3)
    throw InputError(s.where, fmt::format("'.step {}' needs {}", s.label,
                                          type == "list" ? "at least one value after 'list'"
                                          : type == "lin" ? "start, stop and increment"
                                                          : "start, stop and points per " +
                                                                std::string(type == "dec" ? "decade" : "octave")));
  for (const Step& other : net_.steps)
    if (other.label == s.label)
      throw InputError(s.where, fmt::format("'{}' is already stepped at {}", s.label, other.where.str()));
  s.points = sweep_points(card, type, values);
  net_.steps.push_back(std::move(s));
}

void Elaborator::monte_carlo(const Card& card) {
  if (net_.monte_carlo.runs > 0)
    throw InputError(card.where(), fmt::format("only one '.mc' card per deck (the first is at {})",
                                               net_.monte_carlo.where.str()));
  if (card.tokens.size() != 2) throw InputError(card.where(), "'.mc' takes the number of runs");
  const Number n = top_value(card, card.tokens[1]);
  if (!(n.value >= 1 && n.value <= 1e9 && n.value == std::floor(n.value)))
    throw InputError(n.where, fmt::format("the number of Monte Carlo runs must be a whole number >= 1, not {:g}",
                                          n.value));
  net_.monte_carlo = MonteCarlo{static_cast<std::size_t>(n.value), card.where()};
}

void Elaborator::measure(const Card& card) {
  MeasureScope scope;
  scope.value = [this](const Card& c, const Token& t) { return top_value(c, t); };
  for (const auto& [name, entry] : top_scope_.entries) scope.params.push_back(name);
  std::sort(scope.params.begin(), scope.params.end());
  scope.earlier = &net_.measures;
  for (const Card* c : deck_.controls)
    if ((c->keyword() == ".meas" || c->keyword() == ".measure") && c->tokens.size() > 2)
      scope.all.emplace(c->tokens[2].text, c->at(c->tokens[2]));
  net_.measures.push_back(parse_measure(card, scope));
}

void Elaborator::tran(const Card& card) {
  TranAnalysis t;
  t.where = card.where();
  std::vector<Number> values;
  for (std::size_t k = 1; k < card.tokens.size(); ++k) {
    const Token& tok = card.tokens[k];
    if (tok.kind == Kind::Word && tok.text == "uic") t.uic = true;
    else if (values.size() < 4 && is_value_token(tok)) values.push_back(top_value(card, tok));
    else throw InputError(card.at(tok), fmt::format("unexpected '{}' on '.tran'", tok.text));
  }
  if (values.size() < 2) throw InputError(card.where(), "'.tran' needs tstep and tstop");
  t.tstep = values[0].value;
  t.tstop = values[1].value;
  if (values.size() > 2) t.tstart = values[2].value;
  if (values.size() > 3) t.tmax = values[3].value;
  if (t.tstep <= 0) throw InputError(values[0].where, fmt::format("tstep must be > 0, not {:g}", t.tstep));
  if (t.tstart < 0) throw InputError(values[2].where, fmt::format("tstart must be >= 0, not {:g}", t.tstart));
  if (t.tstop <= t.tstart)
    throw InputError(values[1].where, fmt::format("tstop ({:g}) must be greater than tstart ({:g})", t.tstop, t.tstart));
  if (t.tmax < 0) throw InputError(values[3].where, fmt::format("tmax must be >= 0, not {:g}", t.tmax));
  net_.analyses.push_back(t);
}

void Elaborator::options(const Card& card) {
  const auto& tk = card.tokens;
  static const std::vector<std::string> handled = {"reltol", "abstol", "vntol", "gmin", "tmax", "maxstep",
                                                   "method", "temp", "tnom", "everystep"};
  Options& o = net_.options;
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
      net_.warnings.push_back(fmt::format("{}: warning: option '{}' is ignored{}", card.at(t).str(), name, hint));
      continue;
    }
    if (name == "everystep") {
      o.every_step = v ? top_value(card, *v).value != 0 : true;
      continue;
    }
    if (!v) throw InputError(card.at(t), fmt::format("option '{}' needs a value", name));
    if (name == "method") {
      if (v->text != "gear" && v->text != "trap" && v->text != "trapezoidal")
        throw InputError(card.at(*v), fmt::format("option 'method' must be gear or trap, not '{}'", v->text));
      o.method = v->text;
      continue;
    }
    const Number n = top_value(card, *v);
    if (name == "temp") o.temp = n.value;
    else if (name == "tnom") o.tnom = n.value;
    else {
      const bool zero_ok = name == "gmin";
      if (n.value < 0 || (n.value == 0 && !zero_ok))
        throw InputError(n.where, fmt::format("option '{}' must be {}, not {:g}", name, zero_ok ? ">= 0" : "> 0", n.value));
      if (name == "reltol") o.reltol = n.value;
      else if (name == "abstol") o.abstol = n.value;
      else if (name == "vntol") o.vntol = n.value;
      else if (name == "gmin") o.gmin = n.value;
      else o.tmax = n.value;  // tmax, maxstep
    }
  }
}

// .ic v(n)=value ...
void Elaborator::initial_values(const Card& card, std::vector<InitialValue>& out) {
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
    out.push_back({tk[k + 2].text, top_value(card, tk[k + 5])});
    k += 6;
  }
}

void Elaborator::outputs(const Card& card) {
  const auto& tk = card.tokens;
  std::size_t k = 1;
  if (k < tk.size() && tk[k].kind == Kind::Word &&
      (tk[k].text == "op" || tk[k].text == "dc" || tk[k].text == "tran"))
    ++k;
  auto add = [&](ProbeRequest p) {
    for (const auto& q : net_.outputs)
      if (q.label == p.label) return;
    net_.outputs.push_back(std::move(p));
  };
  for (; k < tk.size(); ++k) {
    const Token& t = tk[k];
    const Location where = card.at(t);
    if (t.kind == Kind::Comma) continue;
    if (t.kind != Kind::Word)
      throw InputError(where, fmt::format("unexpected '{}' on '{}'", t.text, card.keyword()));
    if (t.text == "all") continue;
    const bool call = (t.text == "v" || t.text == "i") && k + 1 < tk.size() && tk[k + 1].kind == Kind::LParen;
    if (call || t.text[0] == '@') {
      std::size_t end = 0;
      try {
        ProbeRequest p = *read_probe(card.text, t.offset, end);
        if (!call && end != t.offset + t.text.size())
          throw ExpressionError(0, fmt::format("expected @device[quantity], not '{}'", t.text));
        p.where = where;
        add(std::move(p));
      } catch (const ExpressionError& e) {
        throw InputError(where, call ? fmt::format("{} on '{}'", e.what(), card.keyword()) : e.what());
      }
      while (k + 1 < tk.size() && tk[k + 1].offset < end) ++k;
    } else {
      ProbeRequest p;  // a bare node name
      p.where = where;
      p.a = t.text;
      p.label = "v(" + t.text + ")";
      add(std::move(p));
    }
  }
}

Netlist Elaborator::run() {
  net_.title = deck_.title;
  net_.warnings = deck_.warnings;
  for (const ParamDef& d : deck_.top.params) top_scope_.entries[d.name].def = &d;
  for (const auto& [name, v] : overrides_) {
    const auto it = top_scope_.entries.find(name);
    if (it == top_scope_.entries.end()) {
      std::vector<std::string> names;
      for (const auto& [n, entry] : top_scope_.entries) names.push_back(n);
      throw InputError(Location{}, fmt::format("no top-level parameter '{}' to set{}", name,
                                               did_you_mean(name, names)));
    }
    it->second.value = v;
    it->second.state = ParamScope::State::Done;
  }
  evaluate_all(top_scope_, {&deck_.top.params});
  for (const auto& [name, entry] : top_scope_.entries) net_.params[name] = entry.value;
  Instance top;
  top.def = &deck_.top;
  top.params = &top_scope_;
  expand(top);
  for (const Card* card : deck_.controls) control(*card);
  return std::move(net_);
}

}  // namespace

Netlist elaborate(const Deck& deck, const std::map<std::string, double>& overrides,
                  std::optional<std::uint64_t> random_stream) {
  return Elaborator(deck, overrides, random_stream).run();
}

namespace {

Element& stepped_element(Netlist& netlist, const Step& step) {
  for (Element& e : netlist.elements)
    if (e.name == step.name) return e;
  throw InputError(step.where, fmt::format("no element '{}' to step", step.name));
}

// A stepped value replaces one given on the card, or is added after it; either way it is
// the last name=value of that name, which is the one the device uses.
void assign(std::vector<Assignment>& list, const std::string& name, double value, const Location& where) {
  for (Assignment& a : list)
    if (a.name == name) {
      a.value = value;
      a.where = where;
      return;
    }
  list.push_back({name, value, where});
}

void set_dc(Element& e, double value, const Location& where) {
  for (Group& g : e.groups)
    if (g.keyword == "dc") {
      g.args.assign(1, Number{value, where});
      return;
    }
  e.groups.insert(e.groups.begin(), Group{"dc", {Number{value, where}}, where});
}

}  // namespace

void apply_step(Netlist& netlist, const Step& step, double value) {
  switch (step.target) {
    case Step::Target::Param:
      throw std::logic_error("a .step over a .param is applied by elaborating with an override");
    case Step::Target::Temperature:
      netlist.options.temp = value;
      return;
    case Step::Target::Source: {
      Element& e = stepped_element(netlist, step);
      if (e.kind != 'v' && e.kind != 'i')
        throw InputError(step.where, fmt::format("'{}' is not an independent source", step.name));
      set_dc(e, value, step.where);
      return;
    }
    case Step::Target::ModelParam: {
      bool found = false;
      for (auto& [key, model] : netlist.models)  // the model and its per-device copies
        if (model.name == step.name) assign(model.params, step.param, value, step.where), found = true;
      if (!found) throw InputError(step.where, fmt::format("no model '{}' to step", step.name));
      return;
    }
    case Step::Target::InstanceParam: {
      Element& e = stepped_element(netlist, step);
      if ((e.kind == 'v' || e.kind == 'i') && step.param == "dc") set_dc(e, value, step.where);
      else assign(e.params, step.param, value, step.where);
      return;
    }
  }
}

}  // namespace ns
