#pragma once
// @name[param] in the control language, as ngspice reads it: a device's operating-point
// quantity (@m1[id], @d1[id]) is a vector of the analysis that computed it; anything
// else is the value of an instance parameter (@v1[dc], @v1[pulse], @r1[resistance]) or
// of a .model parameter (@nch[vth0]) as the netlist holds it now, the type's default
// when the card does not give it.
#include <optional>
#include <string>

#include "control/vectors.hpp"
#include "netlist/netlist.hpp"

namespace ns::control {

// "@dev[param]" split; nullopt when `name` is not of that form.
std::optional<std::pair<std::string, std::string>> split_at_name(const std::string& name);

// The element or model that `name` means: itself, or for ngspice's spelling of a device
// in a subcircuit, letter.path.name (r.x1.rs1, m.xro.xinv3.mn1), ours: path.name.
// Unchanged when neither exists.
std::string device_name(const Netlist& netlist, const std::string& name);

// The probe of @device[quantity] when `quantity` is one the device computes (a probe or
// a state of its type); nullopt when it is a parameter or there is no such device.
std::optional<ProbeRequest> quantity_request(const Netlist& netlist, const std::string& device,
                                             const std::string& quantity);

// The parameter's value (several for a source function: @v1[pulse]); nullopt when the
// device or model has no such parameter.
std::optional<Vector> parameter_value(const Netlist& netlist, const std::string& device, const std::string& param);

}  // namespace ns::control
