#pragma once
// SPICE's truncation-error test of a capacitor's current allows the larger of
// reltol·|i| + abstol and reltol·|q| / h: the error of a charge, not only of its current.
// An algebraic branch current flowing into a node with capacitance (a 0 V ammeter in
// series with a capacitor) is that capacitor's current and gets the same allowance, q the
// charge on its nodes (C·x). Without it, a rate with a kink (a threshold memristor's state
// capacitor charged through an ammeter: slope k dv/dt on one side of the threshold, 0 on
// the other) had an error estimate of h times the jump in slope against a tolerance of
// abstol, the current being 0 there, and no step passed (ngspice's threshold-memristor
// deck stopped at t = 8.3 ns). Currents into nodes without capacitance (a source driving a
// resistor) keep their own tolerance: with it, our RC and inverter decks are as accurate
// as SPICE's capacitor-current test makes them.
#include <span>
#include <utility>
#include <vector>

#include "engine/system.hpp"

namespace ns {

class ChargeAllowance {
public:
  // The branch currents (not in `left_out`) without capacitance in their column that enter
  // a row with capacitance in C (values on the system's pattern).
  ChargeAllowance(const System& system, const std::vector<double>& C, const std::vector<char>& left_out);
  bool empty() const { return currents_.empty(); }
  // Raise each such current's tolerance to reltol |q| / h, q the largest |C·x| of its rows.
  void apply(const std::vector<double>& C, std::span<const double> x, double h, std::span<double> tolerance);

private:
  const System& system_;
  std::vector<std::pair<std::size_t, std::vector<std::size_t>>> currents_;  // (unknown, its charged rows)
  std::vector<double> charges_;
};

}  // namespace ns
