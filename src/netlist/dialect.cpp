// .options dialect=ngspice|ltspice|pspice: the functions that these simulators spell alike
// but compute differently. ngspice's meaning is the default; another dialect redefines
// them as .func bodies in the deck's top scope, written in the expression language itself,
// so parameters, behavioural elements and their derivatives all follow the one choice.
//
//   function        ngspice (default)       ltspice                 pspice
//   if(c, a, b)     a when c != 0           a when c > 0.5          a when c != 0
//   pwr(x, y)       sgn(x) |x|^y            |x|^y                   |x|^y
//   stp(x)          1 when x >= 0           1 when x >= 0           1 when x > 0
//
// The same in every dialect: u(0) = 0, buf/inv switch at 0.5, limit(x, a, b) is the middle
// of the three (x clamped to [a, b] when a <= b; with a > b, PSpice vendor models' bounds
// written high first, it is what LTspice and ngspice's PSpice mode compute: measured
// limit(5, 1, 0) = 1, limit(0.25, 1, 0) = 0.25 in ngspice-39 with ngbehavior=ltpsa; its
// default mode gives 4 and -0.75, outside both bounds), log is ln, ** and ^ are
// powers (LTspice reads ^ as a logical exclusive or; a deck relying on that needs
// xor written out), pwrs(x, y) = sgn(x) |x|^y.
#include <array>
#include <fmt/format.h>

#include "netlist/deck.hpp"

namespace ns {

namespace {

struct Dialect {
  std::string_view name;
  std::vector<std::string_view> functions;  // .func cards, without the keyword
};

const std::array<Dialect, 3>& dialects() {
  static const std::array<Dialect, 3> all{{
      {"ngspice", {}},
      {"ltspice",
       {"if(c, a, b) = (c > 0.5) ? a : b", "pwr(x, y) = abs(x) ** y"}},
      {"pspice", {"pwr(x, y) = abs(x) ** y", "stp(x) = (x > 0) ? 1 : 0"}},
  }};
  return all;
}

// The dialect named by the deck's .options cards (the last one wins), or null for none.
const Token* dialect_option(const Deck& deck, const Card** on) {
  const Token* found = nullptr;
  for (const Card* card : deck.controls) {
    const std::string& k = card->keyword();
    if (k != ".options" && k != ".option" && k != ".opt") continue;
    const auto& tk = card->tokens;
    for (std::size_t i = 1; i + 2 < tk.size(); ++i)
      if (tk[i].text == "dialect" && tk[i + 1].kind == Token::Kind::Equals) found = &tk[i + 2], *on = card;
  }
  return found;
}

}  // namespace

void add_dialect(Deck& deck) {
  const Card* on = nullptr;
  const Token* option = dialect_option(deck, &on);
  if (!option) return;
  const Dialect* chosen = nullptr;
  for (const Dialect& d : dialects())
    if (d.name == option->text) chosen = &d;
  if (!chosen)
    throw InputError(on->at(*option), fmt::format("option 'dialect' must be ngspice, ltspice or pspice, not '{}'",
                                                  option->text));
  const auto file = std::make_shared<const std::string>(fmt::format("<dialect {}>", chosen->name));
  int line = 0;
  for (std::string_view body : chosen->functions) {
    // The deck's own .func of that name stays: it is the deck's word for it.
    if (deck.top.functions.count(std::string(body.substr(0, body.find('('))))) continue;
    Card& card = deck.cards.emplace_back();
    card.text = fmt::format(".func {}", body);
    card.file = file;
    card.segments = {{0, ++line, 1}};
    tokenize(card);
    read_func_card(card, deck.top);
  }
}

}  // namespace ns
