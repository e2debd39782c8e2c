#pragma once
// m= on a subcircuit instance (X1 a b cell m=4): the instance stands for m copies in
// parallel. As ngspice does (measured, ngspice 39), each element inside that has a
// multiplier of its own takes it: R, C, L and the MOSFETs through their m, diodes, BJTs
// and JFETs through their area, G and F through their gain, I sources through their
// levels, and a subcircuit inside multiplies it on. B sources, E and H, V sources and switches are left as they are (ngspice
// leaves them too: a VCVS cannot be put in parallel, and its B and S ignore m).
#include "netlist/netlist.hpp"

namespace ns {

// Applies m to an element of the instance that carries it; `where` is the m= on the X card,
// for the error of an element that cannot be multiplied here (an I source's pwl, an XSPICE
// or neuromorphic device).
void apply_multiplier(Element& e, double m, const Location& where);

}  // namespace ns
