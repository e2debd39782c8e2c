#pragma once
// SPICE's truncation-error test of a capacitor's current allows the larger of
// reltol·|i| + abstol and reltol·|q| / h: the error of a charge, not only of its current.
// An algebraic branch current flowing into a node with capacitance (a 0 V ammeter in
// series with a capacitor) is that capacitor's current and gets the same allowance, q the
// charge on its nodes (C·x). Without it, a rate with a kink (a threshold memristor's state
// capacitor charged through an ammeter: slope k dv/dt on one side of the threshold, 0 on
// the other) had an error estimate of h times the jump in slope against a tolerance of
// abstol, the current being 0 there, and no step passed (ngspice's threshold-memristor
// deck stopped at t = 8.3 ns). So does a current into a device's terminal without
// capacitance whose charge sits on the device's internal node behind its own series
// resistance: with RB = 0 a source driving a bipolar transistor's base enters the charged
// node and has the allowance; with RB = 25 ohm (ngspice's 555-timer-2 deck) it had
// reltol of its 3 uA, which held the error test to 1e-11 s steps at every flip of the
// timer (a third of the deck's 43000 steps), while the internal base node that fixes the
// current had its 5 mV. Other currents into nodes without capacitance (a source driving
// a resistor, or an RC through its resistor) keep their own tolerance: with it, our RC and
// inverter decks are as accurate as SPICE's capacitor-current test makes them (an RC's
// 99 % time through a 1 ms max step: 3.7e-4 off the closed form; with the allowance 8e-3).
#include <span>
#include <utility>
#include <vector>

#include "engine/system.hpp"

namespace ns {

class ChargeAllowance {
public:
  // The branch currents (not in `left_out`) without capacitance in their column that enter
  // a row with capacitance in C (values on the system's pattern), or a node beside a
  // device's internal node that has it.
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
