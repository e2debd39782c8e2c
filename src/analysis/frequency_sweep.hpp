#pragma once
// The frequency points of a 'dec|oct|lin N fstart fstop' sweep (.ac, .noise).
#include <string_view>
#include <vector>

#include "netlist/netlist.hpp"

namespace ns {

// Reads the four arguments of `card` from args[first] on; InputError located on the
// offending argument, naming the card as `name`.
std::vector<double> frequency_sweep(const ControlCard& card, std::size_t first, std::string_view name);

}  // namespace ns
