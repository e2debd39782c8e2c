#pragma once
// show [DEVICES]: ngspice's table of device parameters. DEVICES are names (d1), element
// letters (r c: every resistor and capacitor) or `all` (also the default). Devices are
// grouped by kind, last card first and three to a block, as ngspice-39 prints them;
// each column gives the device, its model (the letter, upper case, without one) and its
// value under ngspice's name (resistance and ac, capacitance, inductance, dc; dtemp for R
// and C); other kinds the parameters their cards give. Operating-point values are not
// shown unless asked for: `show q1 : gm gpi` gives those rows only, each from `value`
// (the script's @q1[gm]: the current plot's operating point, or the parameter now).
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "control/vectors.hpp"

#include "netlist/netlist.hpp"

namespace ns::control {

using DeviceValue = std::function<std::optional<Vector>(const std::string& device, const std::string& param)>;
void show(const Netlist& netlist, const std::string& rest, std::ostream& out, const DeviceValue& value);

}  // namespace ns::control
