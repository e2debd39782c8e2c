// .four FREQ OUT...: the fundamental and the outputs whose harmonics a transient prints.
#include <fmt/format.h>

#include "netlist/deck.hpp"

namespace ns {

FourierRequest parse_fourier(const Card& card, const std::function<Number(const Card&, const Token&)>& value) {
  const auto& tk = card.tokens;
  if (tk.size() < 3) throw InputError(card.where(), "'.four' needs a fundamental frequency and outputs: .four 1k v(out)");
  FourierRequest r;
  r.where = card.where();
  r.fundamental = value(card, tk[1]).value;
  if (!(r.fundamental > 0))
    throw InputError(card.at(tk[1]), fmt::format("'.four' needs a fundamental frequency > 0, not {:g}", r.fundamental));
  const std::string_view text = card.text;
  std::size_t i = tk[2].offset;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == ',') {
      ++i;
      continue;
    }
    std::size_t end = i;
    std::optional<ProbeRequest> p;
    try {
      p = read_probe(text, i, end);
    } catch (const ExpressionError& e) {
      throw InputError(card.at(e.offset), e.what());
    }
    if (!p || p->kind == ProbeRequest::Kind::Device)  // ngspice's .four takes node voltages and source currents
      throw InputError(card.at(i), "'.four' expected an output v(node), v(node,node) or i(source)");
    p->where = card.at(i);
    r.signals.push_back(std::move(*p));
    i = end;
  }
  return r;
}

}  // namespace ns
