#pragma once
// LTspice's parasitics written on a capacitor, inductor or voltage source card:
//   C1 a b 1u Rser=10m Lser=1n Rpar=1Meg Cpar=1p
//   L1 a b 1m Rser=0.1 Rpar=1k Cpar=1p
//   V1 a b 5 Rser=1 Cpar=1n          (a source's Rser is its own: models/vsource.cpp)
// Each becomes an element of its own, so the devices stay the plain ones: the series ones
// between the element and its second node, through internal nodes "<element>#ser1", ...;
// the parallel ones across both nodes. A zero value adds nothing, as in LTspice.
#include "netlist/netlist.hpp"

namespace ns {

void split_parasitics(Netlist& netlist);

}  // namespace ns
