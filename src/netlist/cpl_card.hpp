#pragma once
// The .model card of ngspice's coupled lossy line (P elements, model type cpl), whose
// matrices are written as lists of numbers after one name: `r=0.2 0 0.2 l=... length=2`
// (netlist/cpl_card.cpp). Internal to src/netlist.
#include <functional>

#include "netlist/deck.hpp"
#include "netlist/netlist.hpp"

namespace ns {

// A cpl card into `m` (name, type and where set): every name= followed by one value or
// more becomes an array (Model::arrays: r, l, g, c, in the card's order) and length a
// parameter. False, and `m` untouched, when the type is not cpl.
bool read_cpl_model(const Card& card, Model& m, const std::function<Number(const Token&)>& value);

}  // namespace ns
