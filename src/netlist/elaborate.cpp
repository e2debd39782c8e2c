// Elaboration: parameters evaluated (lazily, per scope), subcircuits flattened, element,
// model and control cards turned into the flat Netlist.
#include <cmath>
#include <deque>
#include <unordered_map>

#include <fmt/format.h>

#include "netlist/deck.hpp"
#include "netlist/suggest.hpp"

namespace ns {

namespace {

using Kind = Token::Kind;

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
  Elaborator(const Deck& deck, const std::map<std::string, double>& overrides)
      : deck_(deck), overrides_(overrides) {}
  Netlist run();

private:
  double lookup(ParamScope& scope, const std::string& name, const Card& card, std::size_t offset);
  double evaluate(const Expression& e, ParamScope& scope, const Card& card, std::size_t base);
  Number value(const Card& card, const Token& t, ParamScope& scope);
  Number top_value(const Card& card, const Token& t) { return value(card, t, top_scope_); }

  void expand(const Instance& inst);
  void evaluate_all(ParamScope& scope, const std::vector<const std::vector<ParamDef>*>& lists);
  void add_model(const Card& card, const Instance& inst);
  void instantiate(const Card& card, const Instance& inst);
  void add_element(const Card& card, const Instance& inst);
  void parse_source(const Card& card, Element& e, ParamScope& scope);
  std::string node(const Instance& inst, const std::string& name) const;
  std::string find_model(const Instance& inst, const std::string& name) const;
  void claim_name(const std::string& name, const Location& where);

  void control(const Card& card);
  void dc(const Card& card);
  void tran(const Card& card);
  void options(const Card& card);
  void initial_values(const Card& card, std::vector<InitialValue>& out);
  void outputs(const Card& card);
  std::vector<double> sweep_points(const Card& card, const std::string& type,
                                   const std::vector<const Token*>& values);

  const Deck& deck_;
  const std::map<std::string, double>& overrides_;
  Netlist net_;
  ParamScope top_scope_;
  std::deque<ParamScope> scopes_;  // one per subcircuit instance; stable addresses
  std::deque<Instance> instances_;
  std::vector<std::string> evaluating_;  // names being evaluated, for the cycle message
  std::unordered_map<std::string, Location> names_;
  std::unordered_map<std::string, char> element_kinds_;
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
    entry.state = ParamScope::State::Busy;
    evaluating_.push_back(name);
    entry.value = evaluate(*entry.def->expression, *s, *entry.def->card, entry.def->offset);
    evaluating_.pop_back();
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
    });
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

// The innermost .model of that name among the definitions lexically enclosing this one,
// flattened with the prefix of the instance it was expanded in. Empty when none.
std::string Elaborator::find_model(const Instance& inst, const std::string& name) const {
  for (const Instance* p = &inst; p; p = p->parent)
    if (encloses(p->def, inst.def) && p->def->models.count(name)) return p->prefix + name;
  return {};
}

// Every parameter is evaluated even when nothing uses it, so that its errors surface.
void Elaborator::evaluate_all(ParamScope& scope, const std::vector<const std::vector<ParamDef>*>& lists) {
  for (const auto* list : lists)
    for (const ParamDef& d : *list) lookup(scope, d.name, *d.card, d.offset);
}

void Elaborator::expand(const Instance& inst) {
  for (const auto& [name, card] : inst.def->models) add_model(*card, inst);
  for (const Card* card : inst.def->elements) {
    if (card->keyword()[0] == 'x') instantiate(*card, inst);
    else add_element(*card, inst);
  }
}

void Elaborator::add_model(const Card& card, const Instance& inst) {
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
  net_.models[m.name] = std::move(m);
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
          if (positional[j]->kind == Kind::Word && !find_model(inst, positional[j]->text).empty())
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
      const std::string found = find_model(inst, m.text);
      e.model = found.empty() ? m.text : found;
      e.model_where = card.at(m);
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
    for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) points.push_back(start + double(i) * signed_step);
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
    if ((t.text == "v" || t.text == "i") && k + 1 < tk.size() && tk[k + 1].kind == Kind::LParen) {
      std::vector<std::string> args;
      std::size_t j = k + 2;
      for (; j < tk.size() && tk[j].kind != Kind::RParen; ++j) {
        if (tk[j].kind == Kind::Comma) continue;
        if (tk[j].kind != Kind::Word) break;
        args.push_back(tk[j].text);
      }
      const std::size_t most = t.text == "v" ? 2 : 1;
      if (j == tk.size() || tk[j].kind != Kind::RParen || args.empty() || args.size() > most)
        throw InputError(where, fmt::format("expected {} on '{}'", t.text == "v" ? "v(node) or v(node,node)" : "i(source)",
                                            card.keyword()));
      ProbeRequest p;
      p.where = where;
      p.kind = t.text == "v" ? ProbeRequest::Kind::Voltage : ProbeRequest::Kind::Current;
      p.a = args[0];
      if (args.size() == 2) p.b = args[1];
      p.label = t.text + "(" + p.a + (p.b.empty() ? "" : "," + p.b) + ")";
      add(std::move(p));
      k = j;
    } else if (t.text[0] == '@') {
      const std::size_t open = t.text.find('[');
      if (open == std::string::npos || open == 1 || t.text.back() != ']' || open + 2 >= t.text.size())
        throw InputError(where, fmt::format("expected @device[quantity], not '{}'", t.text));
      ProbeRequest p;
      p.where = where;
      p.kind = ProbeRequest::Kind::Device;
      p.a = t.text.substr(1, open - 1);
      p.b = t.text.substr(open + 1, t.text.size() - open - 2);
      p.label = t.text;
      add(std::move(p));
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
  Instance top;
  top.def = &deck_.top;
  top.params = &top_scope_;
  expand(top);
  for (const Card* card : deck_.controls) control(*card);
  return std::move(net_);
}

}  // namespace

Netlist elaborate(const Deck& deck, const std::map<std::string, double>& overrides) {
  return Elaborator(deck, overrides).run();
}

}  // namespace ns
