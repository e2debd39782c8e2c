#pragma once
// E and G cards with a Laplace transfer function (PSpice's LAPLACE {in} = {H(s)}, LTspice's
// nc+ nc- Laplace=H(s)): netlist/laplace.cpp.

#include <vector>

#include "netlist/behavioural.hpp"
#include "netlist/netlist.hpp"

namespace ns {

// The elements that realise the card (an input source, an s_xfer code model, the card's
// own E or G reading the model's output) and the s_xfer model they use.
struct LaplaceParts {
  std::vector<Element> elements;
  Model model;
};

// False when `card` is not a Laplace E/G card; throws InputError, located, when it is one
// that cannot be read (H(s) not rational in s, improper, a bad input).
bool read_laplace(const Card& card, const BehaviouralContext& context, LaplaceParts& out);

}  // namespace ns
