#pragma once
// XSPICE A elements and the .model cards of code models (netlist/xspice.cpp). Internal to
// src/netlist.
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "netlist/deck.hpp"

namespace ns {

struct XspiceContext {
  std::function<std::string(const std::string&)> node;  // a node as written -> flattened
  std::string prefix;                                    // of element names (%vnam sources)
  // A visible .model: its flattened name and its card; nullopt when none is visible.
  std::function<std::optional<std::pair<std::string, const Card*>>(const std::string&)> model;
};

// An A card into `e` (kind, name and where already set): its connections, its nodes in
// card order, and its model; the code model checks them.
void read_xspice_element(const Card& card, Element& e, const XspiceContext& context);

// A .model card of an XSPICE code model type into `m` (name, type and where set): scalar,
// vector ([v1 v2 ...]), boolean (true/false) and string parameters. False, and `m`
// untouched, when the type is not a code model's.
bool read_code_model(const Card& card, Model& m, const std::function<Number(const Token&)>& value,
                     const std::function<std::optional<std::string>(const std::string&)>& string_param);

// Whether `type` is a digital or hybrid (event-driven) code model: d_and, adc_bridge, ...
bool is_digital_code_model(const std::string& type);

}  // namespace ns
