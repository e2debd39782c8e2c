#pragma once

// The topology checks run before simulating: every node needs a DC path to ground, and no
// loop may consist only of voltage-defined branches.

#include <vector>

#include "circuit/circuit.hpp"
#include "circuit/device.hpp"
#include "netlist/netlist.hpp"

namespace ns {

// Union-find over node unknowns, with ground as the extra last element.
class Components {
public:
  explicit Components(std::size_t n);
  std::size_t find(Unknown u);
  bool join(Unknown a, Unknown b);  // false when already joined

private:
  std::vector<std::size_t> parent_;
};

class TopologyCheck : public Topology {
public:
  explicit TopologyCheck(std::size_t unknowns) : dc_(unknowns), voltage_(unknowns) {}
  const Device* device = nullptr;  // the one calling, named in a voltage loop's error
  void conducts(Unknown a, Unknown b) override { dc_.join(a, b); }
  void voltage_defined(Unknown a, Unknown b) override;
  bool grounded(Unknown u) { return connected(u, ground); }
  bool connected(Unknown a, Unknown b) { return dc_.find(a) == dc_.find(b); }

private:
  Components dc_, voltage_;
};

// The nodes among the first `first_use.size()` unknowns that get a conductance gmin to
// ground, one per group of nodes with no DC path (a node reached only through capacitors,
// or a MOS gate), as ngspice's gmin stepping leaves them; `check` then counts them
// grounded. Such a group fed by a current source (I, G, F, a behavioural I=, an XSPICE
// model) with no .ic holding it has no DC solution: a located error, unless an E's or G's
// control reads the group and a source whose current the circuit sets (not an I) feeds it
// (a modal network's loop of E and F, which fixes the group's voltage).
std::vector<Unknown> nodes_to_hold_with_gmin(const Netlist& netlist, const CircuitTables& tables,
                                             const std::vector<const Location*>& first_use, TopologyCheck& check);

}  // namespace ns
