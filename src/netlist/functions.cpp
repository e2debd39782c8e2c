// .func name(a, b) = {expr} (also without '=', braces or quotes): user functions, global
// or inside a .subckt (visible there and in subcircuits defined inside it). The cards
// are collected while sorting the deck; the bodies are parsed once every .func is known
// (so a function may call one defined further down), then checked for recursion.
#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "netlist/deck.hpp"

namespace ns {

namespace {
using Kind = Token::Kind;

// Levels of .func bodies inside each other, each counted with its expression's depth, as
// parameters are (elaborate.cpp's max_param_nesting): bounds the evaluator's recursion.
constexpr int max_function_nesting = 2000;
}  // namespace

void read_func_card(const Card& card, Subckt& scope) {
  const auto& tk = card.tokens;
  const std::string usage = "'.func' needs name(parameters) = {expression}";
  if (tk.size() < 4 || tk[1].kind != Kind::Word || tk[2].kind != Kind::LParen) throw InputError(card.where(), usage);
  auto def = std::make_unique<FuncDef>();
  def->function.name = tk[1].text;
  def->card = &card;
  def->where = card.at(tk[1]);
  // A deck's .func may redefine a built-in (stp, limit, sgn in memristor libraries), as
  // ngspice's macro expansion lets it: calls at the .func's arity take the user's body
  // (expr/expression.cpp), other arities keep the built-in.
  std::size_t k = 3;
  for (; k < tk.size() && tk[k].kind != Kind::RParen; ++k) {
    if (tk[k].kind == Kind::Comma) continue;
    if (tk[k].kind != Kind::Word) throw InputError(card.at(tk[k]), fmt::format("expected a parameter name, not '{}'", tk[k].text));
    for (const std::string& p : def->function.params)
      if (p == tk[k].text)
        throw InputError(card.at(tk[k]), fmt::format("parameter '{}' appears twice in '.func {}'", p,
                                                     def->function.name));
    def->function.params.push_back(tk[k].text);
  }
  if (k == tk.size()) throw InputError(card.at(tk[2]), "'(' has no matching ')'");
  if (++k < tk.size() && tk[k].kind == Kind::Equals) ++k;
  if (k == tk.size())
    throw InputError(card.where(), fmt::format("'.func {}' has no expression", def->function.name));
  def->offset = tk[k].offset;
  def->length = tk[k].text.size();
  if (k + 1 != tk.size() || tk[k].kind != Kind::Expr) {  // unbraced: the rest of the card
    if (tk[k].kind == Kind::Expr) --def->offset;
    def->length = card.text.find_last_not_of(" \t\r") + 1 - def->offset;
  }
  const auto [it, added] = scope.functions.emplace(def->function.name, nullptr);
  if (!added)
    throw InputError(def->where, fmt::format("function '{}' is already defined at {}", def->function.name,
                                             it->second->where.str()));
  it->second = std::move(def);
}

FunctionLookup functions_of(const Subckt& scope) {
  return [&scope](std::string_view name) -> const UserFunction* {
    for (const Subckt* s = &scope; s; s = s->parent) {
      const auto it = s->functions.find(std::string(name));
      if (it != s->functions.end()) return &it->second->function;
    }
    return nullptr;
  };
}

namespace {

void parse_bodies(Subckt& scope) {
  for (auto& [name, def] : scope.functions) {
    // An empty body, `.func gq(i) {}` (left in vendor memristor subcircuits): ngspice takes it
    // when nothing calls it; a call is refused (expr/expression.cpp, expr/program.cpp).
    const std::string_view text = std::string_view(def->card->text).substr(def->offset, def->length);
    if (text.find_first_not_of(" \t{}'") == std::string_view::npos) continue;
    def->function.body = parse_expression(*def->card, def->offset, def->length, functions_of(scope));
  }
  for (auto& [name, child] : scope.children) parse_bodies(*child);
}

void index_definitions(const Subckt& scope, std::map<const UserFunction*, const FuncDef*>& out) {
  for (const auto& [name, def] : scope.functions) out[&def->function] = def.get();
  for (const auto& [name, child] : scope.children) index_definitions(*child, out);
}

// Depth-first through the calls in each body: a call back into a function on the path
// is recursion, refused at that call. Returns the nesting (see max_function_nesting).
class RecursionCheck {
public:
  explicit RecursionCheck(const Subckt& top) { index_definitions(top, defs_); }
  void all() {  // in card order, so that the message does not depend on addresses
    std::vector<const FuncDef*> order;
    for (const auto& [function, def] : defs_) order.push_back(def);
    std::sort(order.begin(), order.end(), [](const FuncDef* a, const FuncDef* b) {
      return std::tie(*a->where.file, a->where.line, a->where.column) <
             std::tie(*b->where.file, b->where.line, b->where.column);
    });
    for (const FuncDef* def : order) visit(*def);
  }

private:
  int visit(const FuncDef& def) {
    const auto [it, added] = nesting_.emplace(&def.function, -1);
    if (!added) {
      if (it->second >= 0) return it->second;
      return 0;  // on the path: the caller reports it
    }
    if (!def.function.body) {
      it->second = 0;
      return 0;
    }
    path_.push_back(def.function.name);
    const Expression& body = *def.function.body;
    int deepest = 0;
    for (const Expression::Node& n : body.nodes()) {
      if (!n.user) continue;
      const auto state = nesting_.find(n.user);
      if (state != nesting_.end() && state->second < 0) {
        std::string chain;
        for (auto p = std::find(path_.begin(), path_.end(), n.user->name); p != path_.end(); ++p) chain += *p + " -> ";
        throw InputError(def.card->at(def.offset + n.offset),
                         fmt::format("function '{}' is recursive ({}{}): .func cannot call itself",
                                     n.user->name, chain, n.user->name));
      }
      deepest = std::max(deepest, visit(*defs_.at(n.user)));
    }
    path_.pop_back();
    const int nesting = deepest + body.depth() + 1;
    if (nesting > max_function_nesting)
      throw InputError(def.where, fmt::format("function '{}' is nested too deeply: the functions it calls, "
                                              "with their expressions, are more than {} levels deep",
                                              def.function.name, max_function_nesting));
    return it->second = nesting;
  }

  std::map<const UserFunction*, const FuncDef*> defs_;
  std::map<const UserFunction*, int> nesting_;  // -1: on the current path
  std::vector<std::string> path_;
};

}  // namespace

void read_function_bodies(Deck& deck) {
  parse_bodies(deck.top);
  RecursionCheck(deck.top).all();
}

Location locate_in_function(const Subckt& top, const Expression& body, std::size_t offset) {
  std::map<const UserFunction*, const FuncDef*> defs;
  index_definitions(top, defs);
  for (const auto& [function, def] : defs)
    if (def->function.body.get() == &body) return def->card->at(def->offset + offset);
  return Location{};
}

}  // namespace ns
