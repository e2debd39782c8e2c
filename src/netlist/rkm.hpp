#pragma once
// RKM values on R, C and L cards (4k7 = 4.7k, r47 = 0.47 ohm): netlist/rkm.cpp.

#include <optional>
#include <string_view>

namespace ns {

// The value of `text` (lower-case) written in RKM notation on an element of letter
// `element` ('r', 'c', 'l'); nullopt when it is not such a value (a plain number, a name).
std::optional<double> rkm_value(std::string_view text, char element);

}  // namespace ns
