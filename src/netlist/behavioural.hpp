#pragma once
// Behavioural elements on the cards: B (V=expr, I=expr) and E/G with VALUE=expr, read into
// an Element whose value is a compiled program (expr/program.hpp). Internal to src/netlist.
#include <functional>
#include <string>

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
};

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

}  // namespace ns
