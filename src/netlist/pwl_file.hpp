#pragma once
// LTspice's PWL waveform from a file: `V1 a 0 PWL file=stim/spikes.txt`. The file holds
// time-value pairs, separated by blanks, tabs, commas or new lines, with SPICE suffixes
// (1m, 50n); a line starting with '*', ';' or '#' is a comment. A relative name is read
// from the folder of the file the card is in.
#include <vector>

#include "netlist/deck.hpp"
#include "netlist/netlist.hpp"

namespace ns {

std::vector<Number> pwl_file_points(const Card& card, const Token& name);

}  // namespace ns
