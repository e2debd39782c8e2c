// RKM (IEC 60062) values on R, C and L cards, the scale letter standing for the decimal
// point: 4k7 = 4.7k, 4u76 = 4.76u, 47p3 = 47.3p, and on resistors 4r7 = 4.7, r47 = 0.47,
// 4l7 = 4.7m, 470l = 0.47. LTspice reads numbers so ("accept 3K4 as 3.4K", on by default) and so does
// ngspice since version 40 (its RKM example decks); SPICE's plain reading, 4k7 = 4k with a
// unit "7", is what ngspice 39 computes and what no one writing 4k7 means. The scale
// letters keep SPICE's meanings (m milli, meg mega, f femto), as in ngspice.
#include "netlist/rkm.hpp"

#include <string>

#include "expr/expression.hpp"

namespace ns {

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<double> rkm_value(std::string_view text, char element) {
  if (element != 'r' && element != 'c' && element != 'l') return std::nullopt;
  std::size_t i = 0;
  while (i < text.size() && digit(text[i])) ++i;
  const std::string_view whole = text.substr(0, i);
  // The scale letters, rewritten as SPICE's scale after the number that the decimal point
  // makes (meg before m); r and l (ohms, milliohms) on resistors only.
  struct Scale {
    std::string_view letters, spice;
  };
  static constexpr Scale scales[] = {{"meg", "meg"}, {"t", "t"}, {"g", "g"}, {"k", "k"}, {"m", "m"}, {"u", "u"},
                                     {"n", "n"},     {"p", "p"}, {"f", "f"}, {"r", ""},  {"l", "m"}};
  for (const Scale& s : scales) {
    if ((s.letters == "r" || s.letters == "l") && element != 'r') continue;
    if (text.substr(i, s.letters.size()) != s.letters) continue;
    std::size_t j = i + s.letters.size();
    const std::size_t fraction_at = j;
    while (j < text.size() && digit(text[j])) ++j;
    const std::string_view fraction = text.substr(fraction_at, j - fraction_at);
    // Digits on both sides (4k7), or a resistor's r first (r47), or its l last (470l, which
    // SPICE would read as 470 ohms and a unit); a unit may follow (4u7f).
    const bool milliohms = s.letters == "l" && !whole.empty() && j == text.size();
    if ((fraction.empty() && !milliohms) || (whole.empty() && s.letters != "r")) return std::nullopt;
    for (std::size_t k = j; k < text.size(); ++k)
      if (text[k] < 'a' || text[k] > 'z') return std::nullopt;
    return parse_number(std::string(whole.empty() ? "0" : whole) + "." + std::string(fraction) +
                        std::string(s.spice));
  }
  return std::nullopt;
}

}  // namespace ns
