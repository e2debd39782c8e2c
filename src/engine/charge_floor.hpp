#pragma once
// SPICE's truncation-error test is on charges, each within reltol·max(|q|, chgtol) (chgtol
// 1e-14 C unless .options chgtol says otherwise), never on node voltages: a node that
// carries almost no charge does not limit the step. IDA's test is on the unknowns, a node
// voltage's within reltol·|v| + vntol. On BSIM4's rbodyMod/rgateMod internal nodes
// (~1e-16 F, through a few ohms to their terminal: an RC of a femtosecond, whose voltage is
// the IR drop of C dv/dt) that vntol set the step on 6733 of c880's 8600 steps, where the
// charge it stands for is 1e-22 C.
//
// The same test in node voltages: an error e in v_j moves the charges of column j of C by
// C_ij e, each within reltol·chgtol when e <= reltol·chgtol / max_i |C_ij|. So a node
// voltage's error-test tolerance is the larger of its own and that: on a node of 1 pF it
// is 10 uV at reltol 1e-3, on 1 fF 10 mV, on a node of 10 pF and more it changes nothing.
// Where the node moves, reltol·|q| is the voltage's own reltol·|v|. Stricter than SPICE:
// without its trtol (7), and the column's largest C (a grounded node's total, C_jj) where
// SPICE takes each capacitor's own. Only the error test: Newton still converges every node
// to reltol·|v| + vntol (SPICE's own split). `.options chgtol` sets it (1e-18 C makes it
// vntol's on 1 fF); the charge unknowns' tolerance has the same floor (charge_rows.hpp).
#include <span>
#include <vector>

#include "engine/system.hpp"

namespace ns {

class ChargeFloor {
public:
  explicit ChargeFloor(const System& system);
  // Raise each node voltage's tolerance to reltol·chgtol / max_i |C_ij| (C on the
  // system's pattern, at the point of the step); a column without capacitance keeps its own.
  void apply(const std::vector<double>& C, std::span<double> tolerance) const;
  // The floor of node voltage j at C (0 if j is not a node voltage or carries no charge).
  double floor(const std::vector<double>& C, std::size_t j) const;

private:
  const System& system_;
  std::vector<std::size_t> nodes_;  // the node-voltage unknowns
  std::vector<char> is_node_;
  double charge_;  // reltol·chgtol
};

}  // namespace ns
