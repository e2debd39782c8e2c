// LTspice steps a parameter that no .param defines: `.step param run 1 100 1` repeats the
// run (a Monte Carlo idiom, the circuit reading mc() or gauss()), and a stepped name may be
// used only in expressions. Such a name gets a top-level .param of its own, 0, which every
// step point overrides; its card is located at the .step card's name.
#include <algorithm>

#include <fmt/format.h>

#include "netlist/deck.hpp"

namespace ns {

void add_stepped_params(Deck& deck) {
  std::vector<const Card*> steps;
  for (const Card* card : deck.controls)
    if (card->keyword() == ".step") steps.push_back(card);
  for (const Card* step : steps) {
    const auto& tk = step->tokens;
    // .step [lin|dec|oct] param NAME ...
    for (std::size_t k = 1; k + 1 < tk.size() && k <= 2; ++k) {
      if (tk[k].kind != Token::Kind::Word || tk[k].text != "param" || tk[k + 1].kind != Token::Kind::Word) continue;
      const std::string& name = tk[k + 1].text;
      const auto& params = deck.top.params;
      if (std::any_of(params.begin(), params.end(), [&](const ParamDef& d) { return d.name == name; })) break;
      const Location at = step->at(tk[k + 1]);
      Card& card = deck.cards.emplace_back();
      card.text = fmt::format(".param {}=0", name);
      card.file = step->file;
      card.segments = {{0, at.line, at.column}};
      tokenize(card);
      parse_param_card(card, deck.top);
      break;
    }
  }
}

}  // namespace ns
