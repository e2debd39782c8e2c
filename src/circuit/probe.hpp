#pragma once
// Output traces: each probe turns the state x (at a time, in a mode) into one number.
#include <functional>
#include <string>
#include <vector>

#include "circuit/circuit.hpp"

namespace ns {

struct Probe {
  std::string label;  // the CSV column name: "v(a)", "i(v1)", "@n1[t]"
  std::string unit;   // "V", "A", a state's or a declared probe's unit ("K", "nm"...)
  std::function<double(const Eval&)> value;
  // The value is linear in x (an unknown, a difference of two): .ac evaluates it at the
  // complex solution's real and imaginary parts; any other probe is linearised there.
  bool linear = false;
};

// The requested probes, or when `requests` is empty the default set: every node voltage,
// then every branch current. Unknown nodes, sources and quantities are InputErrors at
// the request.
std::vector<Probe> make_probes(const Circuit& circuit, const std::vector<ProbeRequest>& requests);

}  // namespace ns
