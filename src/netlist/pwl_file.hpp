#pragma once
// LTspice's PWL forms. A waveform from a file: `V1 a 0 PWL file=stim/spikes.txt`. The file holds
// time-value pairs, separated by blanks, tabs, commas or new lines, with SPICE suffixes
// (1m, 50n); a line starting with '*', ';' or '#' is a comment. A relative name is read
// from the folder of the file the card is in.
#include <vector>

#include "netlist/deck.hpp"
#include "netlist/netlist.hpp"

namespace ns {

std::vector<Number> pwl_file_points(const Card& card, const Token& name);

// LTspice's PWL REPEAT FOR N (t1 v1 ...) ENDREPEAT: `points` (the block, from t = 0) made
// N blocks, each shifted by the block's last time; the last value is then held.
void repeat_pwl(std::vector<Number>& points, int count);

}  // namespace ns
