#include "netlist/cpl_card.hpp"

#include <fmt/format.h>

namespace ns {

bool read_cpl_model(const Card& card, Model& m, const std::function<Number(const Token&)>& value) {
  if (m.type != "cpl") return false;
  const auto& tk = card.tokens;
  auto assignment = [&](std::size_t k) { return tk[k].kind == Token::Kind::Word && k + 1 < tk.size() && tk[k + 1].kind == Token::Kind::Equals; };
  for (std::size_t k = 3; k < tk.size();) {
    const Token& name = tk[k];
    if (name.kind == Token::Kind::LParen || name.kind == Token::Kind::RParen || name.kind == Token::Kind::Comma) {
      ++k;
      continue;
    }
    if (!assignment(k))
      throw InputError(card.at(name), fmt::format("expected name=value on '.model {}', not '{}'", tk[1].text, name.text));
    Model::Array a{name.text, {}, card.at(name)};
    for (k += 2; k < tk.size() && !assignment(k); ++k) {
      if (tk[k].kind == Token::Kind::RParen || tk[k].kind == Token::Kind::Comma) continue;
      a.values.push_back(value(tk[k]));
    }
    if (a.values.empty())
      throw InputError(a.where, fmt::format("'{}=' on '.model {}' has no value", a.name, tk[1].text));
    if (a.name == "length" && a.values.size() == 1) m.params.push_back({a.name, a.values[0].value, a.where});
    else m.arrays.push_back(std::move(a));
  }
  return true;
}

}  // namespace ns
