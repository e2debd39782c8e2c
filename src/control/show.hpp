#pragma once
// show [DEVICES]: ngspice's table of device parameters. DEVICES are names (d1), element
// letters (r c: every resistor and capacitor) or `all` (also the default). Devices are
// grouped by kind, last card first and three to a block, as ngspice-39 prints them;
// each column gives the device, its model (the letter, upper case, without one) and its
// value under ngspice's name (resistance and ac, capacitance, inductance, dc; dtemp for R
// and C); other kinds the parameters their cards give. Operating-point values are not
// shown: print @d1[id] gives them.
#include <iosfwd>
#include <string>

#include "netlist/netlist.hpp"

namespace ns::control {

void show(const Netlist& netlist, const std::string& rest, std::ostream& out);

}  // namespace ns::control
