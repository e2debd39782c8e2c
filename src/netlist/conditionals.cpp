// ngspice's netlist conditionals: .if (cond) ... .elseif (cond) ... .else ... .endif,
// nested. The cards of the branches not taken are left out of the deck before it is
// sorted, as ngspice leaves them out while reading, except .param cards: ngspice 39 reads
// every .param whatever branch it is in (measured: '.param gain = 7' in a branch not taken
// sets gain = 7), so they are always read here too. A condition reads the top-level
// .params; '=' in it is a comparison, as in ngspice (.elseif (s = 2)).
#include <map>

#include <fmt/format.h>

#include "expr/expression.hpp"
#include "netlist/deck.hpp"

namespace ns {

namespace {

struct Branch {
  const Card* card;         // the .if
  bool outer_active;        // the cards around the .if are read
  bool taken = false;       // a branch of this .if was taken (or is being read)
  bool active = false;      // the current branch is read
  bool seen_else = false;
};

class Conditionals {
public:
  explicit Conditionals(const std::function<void(const Card&, Subckt&)>& read_params) : read_params_(read_params) {}

  std::set<const Card*> run(const Deck& deck) {
    int depth = 0;  // .subckt nesting
    for (const Card& card : deck.cards) {
      const std::string& k = card.keyword();
      if (k == ".subckt") ++depth;
      if (k == ".ends") --depth;
      if (card.is_param() && depth == 0) read_params(card);
    }
    int hidden = 0;  // .subckt definitions being left out
    for (const Card& card : deck.cards) {
      const std::string& k = card.keyword();
      const bool active = open_.empty() || open_.back().active;
      if (k == ".if") {
        const bool c = active && condition(card);
        open_.push_back({&card, active, c, c});
      } else if (k == ".elseif" || k == ".else") {
        if (open_.empty()) throw InputError(card.where(), fmt::format("'{}' without '.if'", k));
        Branch& b = open_.back();
        if (b.seen_else)
          throw InputError(card.where(), fmt::format("'{}' after '.else' (of the '.if' at {})", k, b.card->where().str()));
        b.seen_else = k == ".else";
        b.active = b.outer_active && !b.taken && (k == ".else" || condition(card));
        b.taken = b.taken || b.active;
      } else if (k == ".endif") {
        if (open_.empty()) throw InputError(card.where(), "'.endif' without '.if'");
        open_.pop_back();
      } else {
        // A .param in a branch not taken is read, unless it is in a .subckt left out.
        if (!active && k == ".subckt") ++hidden;
        const bool keep = active || (card.is_param() && hidden == 0);
        if (!active && k == ".ends" && hidden > 0) --hidden;
        if (keep) continue;
      }
      skipped_.insert(&card);
    }
    if (!open_.empty()) throw InputError(open_.back().card->where(), "'.if' has no '.endif'");
    return std::move(skipped_);
  }

private:
  // The .params of the card, each valued when it can be from those before it (a .param
  // that calls a .func, or fails, is left to the deck's own reading).
  void read_params(const Card& card) {
    Subckt scope;
    try {
      read_params_(card, scope);
    } catch (const InputError&) {
      return;
    }
    for (const ParamDef& d : scope.params) {
      try {
        values_[d.name] = d.expression->evaluate([&](const std::string& name, std::size_t) {
          const auto it = values_.find(name);
          if (it == values_.end()) throw ExpressionError(0, "unknown");
          return it->second;
        });
      } catch (const ExpressionError&) {
        values_.erase(d.name);
      }
    }
  }

  bool condition(const Card& card) {
    if (card.tokens.size() < 2) throw InputError(card.where(), fmt::format("'{}' needs a condition", card.keyword()));
    const std::size_t base = card.tokens[1].offset - (card.tokens[1].kind == Token::Kind::Expr ? 1 : 0);
    // '=' alone compares: written as '==' (an error's offset past it is off by one per '=').
    std::string text;
    const std::string_view written = std::string_view(card.text).substr(base);
    for (std::size_t i = 0; i < written.size(); ++i) {
      const char c = written[i], before = i ? written[i - 1] : ' ', after = i + 1 < written.size() ? written[i + 1] : ' ';
      text += c;
      if (c == '=' && before != '=' && before != '!' && before != '<' && before != '>' && after != '=') text += '=';
    }
    try {
      const Expression e(text);
      return e.evaluate([&](const std::string& name, std::size_t offset) {
        const auto it = values_.find(name);
        if (it == values_.end())
          throw InputError(card.at(base + std::min(offset, written.size())),
                           fmt::format("'{}' condition uses '{}', which is not a top-level .param",
                                       card.keyword(), name));
        return it->second;
      }) != 0;
    } catch (const ExpressionError& e) {
      throw InputError(card.at(base + std::min(e.offset, written.size())), e.what());
    }
  }

  const std::function<void(const Card&, Subckt&)>& read_params_;
  std::vector<Branch> open_;
  std::map<std::string, double> values_;
  std::set<const Card*> skipped_;
};

}  // namespace

std::set<const Card*> untaken_branches(const Deck& deck, const std::function<void(const Card&, Subckt&)>& read_params) {
  return Conditionals(read_params).run(deck);
}

}  // namespace ns
