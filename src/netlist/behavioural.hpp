#pragma once
// Behavioural elements on the cards: B (V=expr, I=expr) and E/G with VALUE=expr, read into
// an Element whose value is a compiled program (expr/program.hpp). Internal to src/netlist.
#include <functional>
#include <string>
#include <vector>

#include "expr/program.hpp"
#include "netlist/deck.hpp"

namespace ns {

// What elaboration lends the reader of one card: names flattened in the instance the card
// is in, and the instance's .param and .func.
struct BehaviouralContext {
  std::function<std::string(const std::string&)> node;   // a node as written -> flattened
  std::string prefix;                                      // of element names in i()
  std::function<double(const std::string&, const Location&)> param;  // a .param's value
  std::function<Location(const Expression&, std::size_t)> locate;    // in a .func body
  FunctionLookup functions;
  Random* random = nullptr;                                // set in a Monte Carlo run
  std::function<void(const std::string&)> warn = {};       // a located warning line
};

// An expression written from a card's tokens and glue text between them: each piece
// remembers where on the card it came from, so an error in it is located there.
class Writer {
public:
  explicit Writer(const Card& card) : card_(card) {}
  // Text from the card at `offset`; glue text belongs to the token before it.
  void token(const std::string& text, std::size_t offset) {
    pieces_.push_back({text_.size(), offset, true});
    text_ += text;
  }
  void glue(const std::string& text) {
    pieces_.push_back({text_.size(), pieces_.empty() ? 0 : pieces_.back().card, false});
    text_ += text;
  }
  const std::string& text() const { return text_; }
  Location at(std::size_t offset) const {
    const Piece* p = &pieces_.front();
    for (const Piece& q : pieces_)
      if (q.start <= offset) p = &q;
    return card_.at(p->card + (p->token ? offset - p->start : 0));
  }

private:
  struct Piece {
    std::size_t start, card;
    bool token;
  };
  const Card& card_;
  std::string text_;
  std::vector<Piece> pieces_;
};

// ngspice's tc1= and tc2= ending a behavioural card (netlist/temperature_coefficients.cpp):
// the value tokens, null when not given.
struct TemperatureCoefficients {
  const Token* tc1 = nullptr;
  const Token* tc2 = nullptr;
  bool any() const { return tc1 || tc2; }
};
// The index of the first token of the trailing tc1=/tc2= pairs among tokens [from, end).
std::size_t read_temperature_coefficients(const Card& card, std::size_t from, TemperatureCoefficients& tc,
                                          std::size_t end = static_cast<std::size_t>(-1));
// Writes "(1 + tc1 (temper - 27) + tc2 (temper - 27)^2)", the factor on the value.
void write_temperature_factor(Writer& w, const TemperatureCoefficients& tc);

// Reads `card` into `e` (kind, name and where already set) when it is a B card or an
// E/G card with VALUE; false, and `e` untouched, when it is neither.
bool read_behavioural(const Card& card, Element& e, const BehaviouralContext& context);

// E/G TABLE {expr} = (x1,y1) ..., and E/G/F/H POLY(n) (netlist/poly_table.cpp): the same
// behavioural element, its expression written from the card; false when `card` is neither.
bool read_table_or_poly(const Card& card, Element& e, const BehaviouralContext& context);

// R, C, L whose value reads v(), i() or time (netlist/poly_table.cpp); false otherwise.
bool read_behavioural_rcl(const Card& card, Element& e, const BehaviouralContext& context);

// Makes `e` the behavioural element of `expression`; `at` locates an offset into it.
void set_behaviour(Element& e, const Expression& expression, bool voltage,
                   const std::function<Location(std::size_t)>& at, const BehaviouralContext& context);
// The expression `w` wrote, compiled (an error located on the card through `w`), as e's
// behaviour.
void set_behaviour(Element& e, const Writer& w, bool voltage, const BehaviouralContext& context);

}  // namespace ns
