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

}  // namespace ns
