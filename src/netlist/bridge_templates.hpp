#pragma once
// ngspice's auto_bridge_d_out and auto_bridge_d_in variables, which a deck's script sets
// (pre_set, or set) to the cards of the auto-bridges (circuit/auto_bridge.hpp):
//
//   pre_set auto_bridge_d_out = ( ".model NAME TYPE(...)" "ANAME%d [ %s ] [ %s ] ... NAME" [N] )
//   pre_set auto_bridge_d_in = ( $auto_bridge_d_out )
//
// %g in the .model line is the vcc; in the instance line %d a number, then %s the analog
// nodes and %s the digital ones; N the most nodes one instance takes. As ngspice's pre_set
// does, they act before the circuit is read: read here from the deck's script lines.
#include <cstddef>
#include <map>
#include <string>

#include "netlist/netlist.hpp"

namespace ns {

struct BridgeTemplate {
  std::string model, instance;
  std::size_t per = 0;  // 0: all the nodes in one instance
  Location where;       // of the set line
};

// Keyed "d_out", "d_in": the last setting of each in the script of the netlist's deck.
// A malformed setting is an InputError at its line.
std::map<std::string, BridgeTemplate> bridge_templates(const Netlist& netlist);

}  // namespace ns
