#pragma once
// XSPICE's automatic bridges: a node that an event port of a digital code model shares with
// an analog device (or ground) is split in two, the digital ports moved to a node of their
// own, and a bridge put between: an adc_bridge when digital inputs alone read the node, a
// dac_bridge when digital outputs alone drive it, a bidi_bridge when both do (ngspice 38
// and later do the same).
//
// One bridge of each kind, its vectors over all the nodes it serves. Its model is the
// deck's .model auto_adc / auto_dac / auto_bidi when it has one; else levels from the
// parameter vcc where the first digital card that needs that kind is (3.3 V when none is
// visible): the adc_bridge switches at vcc/2 (in_low = in_high), the dac_bridge gives 0
// and vcc, the bidi_bridge both. (As ngspice 39 does, measured: a second subcircuit's own
// vcc does not change them.) A script's auto_bridge_d_in / auto_bridge_d_out
// (netlist/bridge_templates.hpp) give the cards of the adc and dac kinds instead, as ngspice's.
#include <optional>

#include "netlist/netlist.hpp"

namespace ns {

// The netlist with its bridges; nullopt when it needs none.
std::optional<Netlist> with_auto_bridges(const Netlist& netlist);

}  // namespace ns
