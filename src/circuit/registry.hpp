#pragma once
// The device registry. Each model file ends with one registration statement:
//
//     const bool registered = register_model<MyDevice>({.type = "mine", ...}, my_params);
//
// Built-in elements are looked up by their card letter ("r", "c", "l", "v", "i", "e",
// "f", "g", "h"); an element that names a .model (D, M, Q, N ...) by the model's TYPE
// ("d", "nmos", "npn", and the compact models: "nbox", ...), which declares the element
// letter it serves.
//
// A type declares, besides its parameters, its internal states (unknowns claimed with
// Setup::state) and its probes (computed quantities, Device::quantity): name, unit and
// meaning, for --describe and for probe lookup, the one list of each. Its `example` is a
// small netlist that builds one instance (the device under test first, then any card it
// needs); tests/models/every_device_test.cpp runs every type's example.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "circuit/device.hpp"
#include "circuit/params.hpp"

namespace ns {

struct QuantityInfo {
  std::string_view name, unit, doc;
};

struct StateInfo {
  std::string_view name, unit, doc;
  Hold hold = Hold::Never;  // device.hpp; its rest value is what Setup::state was given
};

struct DeviceType {
  std::string_view type;                    // registry key, lower-case
  std::string_view summary;                 // one line for --describe and --help
  std::vector<std::string_view> terminals;  // terminal names, in card order
  std::vector<std::string_view> positional; // parameters given as bare values on the card
  // Declarations, built when asked (a composite device assembles its own from its parts').
  std::function<std::vector<ParamInfo>()> params;
  std::function<std::vector<StateInfo>()> states;
  std::function<std::vector<QuantityInfo>()> probes;
  std::function<std::unique_ptr<Device>(const DeviceInput&)> make;
  std::string_view example;                 // a netlist building one instance (see above)
  // For a .model type: the element letter whose cards use it ('d', 'm', 'q', 'n'); 0 for a
  // type looked up by its letter alone.
  char element = 0;
  // Trailing terminals a card may leave out (a BJT's substrate); they connect to ground.
  std::size_t optional_terminals = 0;
  // An XSPICE digital code model's A card: per node of the card, 'i' when an event input
  // reads it, 'o' when an event output drives it, ' ' otherwise (an analog port). Empty
  // for other types. What the auto-bridges are inserted by (circuit/auto_bridge.hpp).
  std::function<std::string(const Element&)> event_nodes = {};
};

bool register_device_type(DeviceType type);
const DeviceType* find_device_type(std::string_view type);
std::vector<const DeviceType*> device_types();  // sorted by type
std::string describe_device_type(const DeviceType& type);  // the --describe text

// What a model file declares besides its class and parameter table.
struct ModelDeclaration {  // defaults, so that a model names only the fields it has
  std::string_view type = {}, summary = {};
  std::vector<std::string_view> terminals = {}, positional = {};
  std::vector<StateInfo> states = {};
  std::vector<QuantityInfo> probes = {};
  std::string_view example = {};
  char element = 0;
  std::size_t optional_terminals = 0;
  std::function<std::string(const Element&)> event_nodes = {};
};

// Registers device class D (constructed from a DeviceInput) with its parameter table.
template <class D, class P, std::size_t N>
bool register_model(ModelDeclaration m, const Param<P> (&params)[N]) {
  return register_device_type(
      {m.type, m.summary, std::move(m.terminals), std::move(m.positional),
       [&params] { return describe<P>(params); },
       [s = std::move(m.states)] { return s; },
       [p = std::move(m.probes)] { return p; },
       [](const DeviceInput& in) -> std::unique_ptr<Device> { return std::make_unique<D>(in); },
       m.example, m.element, m.optional_terminals, std::move(m.event_nodes)});
}
// The same for a device without parameters.
template <class D>
bool register_model(ModelDeclaration m) {
  return register_device_type(
      {m.type, m.summary, std::move(m.terminals), std::move(m.positional),
       [] { return std::vector<ParamInfo>{}; },
       [s = std::move(m.states)] { return s; },
       [p = std::move(m.probes)] { return p; },
       [](const DeviceInput& in) -> std::unique_ptr<Device> { return std::make_unique<D>(in); },
       m.example, m.element, m.optional_terminals, std::move(m.event_nodes)});
}

}  // namespace ns
