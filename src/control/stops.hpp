#pragma once
// The control language's breakpoints, as ngspice-39 keeps them: `stop after N` (the
// transient stops when its plot holds N points, once), `stop when A OP B` (after any
// accepted step at which it holds; A and B numbers or the plot's vectors at that step; OP
// one of = <> > < >= <= or eq ne gt lt ge le), both on one line (both must hold); a
// `when time = T` also makes the transient land on T. `status` lists them, `delete`
// removes them, `resume` goes on (Pause, analysis/analysis.hpp).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "netlist/deck.hpp"

namespace ns::control {

struct Stop {
  int number = 0;     // as status lists it, from 1
  std::string text;   // "stop after 10", "stop when v(2) > 2"
  std::optional<long> after;
  bool spent = false;  // its `after` has held once
  struct When {
    std::string left, op, right;  // op: eq ne gt lt ge le
  };
  std::vector<When> when;
};

// The words after `stop`; an InputError at `where` when they are not a breakpoint.
Stop parse_stop(const std::string& rest, const Location& where, int number);

// The instants the breakpoints' `when time = T` (T a number) ask the transient to land on.
std::vector<double> stop_times(const std::vector<Stop>& stops);

// The first breakpoint that holds at this step, if any: `points` is the plot's length,
// `value` reads one side (a number, or a vector of the plot at this step). An `after` that
// held is spent.
const Stop* stop_met(std::vector<Stop>& stops, std::size_t points, const std::function<double(const std::string&)>& value);

}  // namespace ns::control
