#pragma once
// An A element's connections against its code model's, analog (models/xspice_core.cpp) or
// digital (digital/model.cpp) alike: as many as the model's (named in the error), each a
// vector where the model's is, no vector empty. Errors located (netlist/xspice.cpp).
#include <string_view>
#include <vector>

#include "netlist/netlist.hpp"

namespace ns {

struct ConnectionShape {
  std::string_view name;
  bool vector = false;
};
void check_connection_shapes(const Element& e, std::string_view model, const std::vector<ConnectionShape>& shapes,
                             const std::vector<XspiceConnection>& connections);

}  // namespace ns
