// LTspice steps a parameter that no .param defines: `.step param run 1 100 1` repeats the
// run (a Monte Carlo idiom, the circuit reading mc() or gauss()), and a stepped name may be
// used only in expressions. Such a name gets a top-level .param of its own, 0, which every
// step point overrides; its card is located at the .step card's name. A name close to a
// .param's (rlaod for rload) is taken for a typo and left to the step's own error.
#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "netlist/deck.hpp"

namespace ns {

namespace {

// One edit apart (a letter changed, added, dropped, or two neighbours swapped), for names
// of 4 letters or more: rlaod for rload. Shorter names (run, k) are never taken for typos.
bool one_edit_apart(std::string_view a, std::string_view b) {
  if (a.size() < 4 || b.size() < 4 || a == b) return false;
  if (a.size() > b.size()) std::swap(a, b);
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() + 1 == b.size()) return a.substr(i) == b.substr(i + 1);
  if (a.size() != b.size()) return false;
  if (a.substr(i + 1) == b.substr(i + 1)) return true;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
}

}  // namespace

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
      if (std::any_of(params.begin(), params.end(),
                      [&](const ParamDef& d) { return d.name == name || one_edit_apart(d.name, name); }))
        break;
      const Location at = step->at(tk[k + 1]);
      Card& card = deck.cards.emplace_back();
      card.text = fmt::format(".param {}=0", name);
      card.file = step->file;
      card.segments = {{0, at.line, at.column}};
      tokenize(card);
      parse_param_card(card, deck.top, deck.warnings);
      break;
    }
  }
}

}  // namespace ns
