#pragma once
// sens OUTPUT dc, sens OUTPUT ac dec|oct|lin N fstart fstop: ngspice's sensitivity
// analysis, the derivative of OUTPUT (v(a), v(a,b), i(source)) by each device value, not
// normalised. Vectors as ngspice names them: R, C, L by their name (r1: d/d its
// resistance), r1_m and r1_scale for a resistor's multiplier and scale, a source's DC value
// by its name (and a current source's multiplier as i1_m, dc only), its AC magnitude as
// v1_acmag (ac).
// Each derivative is a central difference of two analyses with the value moved by a
// relative 1e-4 (exact to about 1e-8 on the rational functions of linear circuits).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "control/vectors.hpp"
#include "netlist/netlist.hpp"

namespace ns::control {

struct Sensitivities {
  std::optional<Vector> frequency;                      // the ac sweep's; none for dc
  std::vector<std::pair<std::string, Vector>> vectors;  // name, derivative (complex for ac)
};

// `card`: the .op (dc) or .ac the derivatives are taken over; `output` v(a), v(a,b) or
// i(source), lower case. VectorError when the output is not in the analysis' results.
Sensitivities sensitivities(const Netlist& netlist, const ControlCard& card, const std::string& output);

}  // namespace ns::control
