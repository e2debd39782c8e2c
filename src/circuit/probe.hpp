#pragma once
// Output traces: each probe turns the state x (at a time, in a mode) into one number.
#include <functional>
#include <string>
#include <string_view>
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
// the request; given `skipped`, such a request is left out with a warning there instead
// (.print/.save/.probe of a node that does not exist: ngspice 39 warns and runs), unless
// none is left (ngspice then saves nothing and does not run the analysis).
std::vector<Probe> make_probes(const Circuit& circuit, const std::vector<ProbeRequest>& requests,
                               std::vector<std::string>* skipped = nullptr);

// A user's spelling of a device, or of a vector that names one, in ours. ngspice writes
// a device inside a subcircuit letter first, letter.path.name (v.x1.vs, m.x1.x2.m1),
// where ours is path.name (x1.vs); the form around the name stays (v.x1.vs#branch,
// i(v.x1.vs) and @m.x1.m1[id] are x1.vs#branch, i(x1.vs) and @x1.m1[id]), and case does
// not matter (X1.VS is x1.vs). `exists` says whether a spelling of ours names anything:
// the one written when it does, else ngspice's read as ours when that does, else the
// one written, for the error that names it.
std::string our_spelling(std::string_view written, const std::function<bool(const std::string&)>& exists);

}  // namespace ns
