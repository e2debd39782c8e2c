#pragma once
// The device registry. Each model file ends with one registration line:
//
//     static const bool registered = ns::register_device_type({...});
//
// Built-in elements are looked up by their card letter ("r", "c", "l", "v", "i", "e",
// "f", "g", "h"); D, M and N elements by their .model TYPE ("d", "nmos", "pmos", and the
// compact models: "nbox", ...).
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "circuit/device.hpp"
#include "circuit/params.hpp"

namespace ns {

struct DeviceType {
  std::string_view type;                    // registry key, lower-case
  std::string_view summary;                 // one line for --describe and --help
  std::vector<std::string_view> terminals;  // terminal names, in card order
  std::vector<std::string_view> positional; // parameters given as bare values on the card
  std::function<std::vector<ParamInfo>()> params;
  std::function<std::unique_ptr<Device>(const DeviceInput&)> make;
};

bool register_device_type(DeviceType type);
const DeviceType* find_device_type(std::string_view type);
std::vector<const DeviceType*> device_types();  // sorted by type
std::string describe_device_type(const DeviceType& type);  // the --describe text

}  // namespace ns
