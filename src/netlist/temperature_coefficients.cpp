// ngspice's tc1= and tc2= on a behavioural element: B (and E/G VALUE=) and an R whose
// value reads the circuit. The value (a B source's voltage or current, the R's
// resistance) is multiplied by 1 + tc1 (T - 27) + tc2 (T - 27)^2, T the circuit's
// temperature in C (temper). The reference is 27 C, not .options tnom: measured in
// ngspice 39, tc1=0.001 tc2=1e-5 at .temp 127 gives 1.2 times the value with tnom=50 too.
#include <algorithm>

#include <fmt/format.h>

#include "netlist/behavioural.hpp"

namespace ns {

std::size_t read_temperature_coefficients(const Card& card, std::size_t from, TemperatureCoefficients& tc,
                                          std::size_t end) {
  const auto& tk = card.tokens;
  end = std::min(end, tk.size());
  while (end >= from + 3) {
    const Token& name = tk[end - 3];
    const Token& value = tk[end - 1];
    if (name.kind != Token::Kind::Word || (name.text != "tc1" && name.text != "tc2") ||
        tk[end - 2].kind != Token::Kind::Equals ||
        (value.kind != Token::Kind::Word && value.kind != Token::Kind::Expr))
      break;
    const Token*& slot = name.text == "tc1" ? tc.tc1 : tc.tc2;
    if (slot) throw InputError(card.at(name), fmt::format("'{}' is given twice on '{}'", name.text, tk[0].text));
    slot = &value;
    end -= 3;
  }
  return end;
}

void write_temperature_factor(Writer& w, const TemperatureCoefficients& tc) {
  w.glue("(1");
  for (const auto& [value, power] : {std::pair{tc.tc1, ""}, std::pair{tc.tc2, "^2"}}) {
    if (!value) continue;
    w.glue("+(");
    w.token(value->text, value->offset);
    w.glue(fmt::format(")*(temper-27){}", power));
  }
  w.glue(")");
}

}  // namespace ns
