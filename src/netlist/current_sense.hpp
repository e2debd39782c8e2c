#pragma once
// LTspice reads the current of any two-terminal element in an expression: I(R1), I(C1),
// I(B1) of a current source B1, I(S1). Only voltage-defined elements (V, L, E, H, a B
// with V=) have a branch current among the unknowns; for any other that a behavioural
// element or an F/H reads, a zero-volt source "<element>#i" goes in series at the

// from the element's first node through it to its second, as LTspice's I() is.
#include "netlist/netlist.hpp"

namespace ns {

void sense_read_currents(Netlist& netlist);

}  // namespace ns
