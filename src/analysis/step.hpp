#pragma once
// .step and .mc: the points of a stepped run and the netlist at each. A point is a value
// for every .step card (outermost first) and, with .mc, the Monte Carlo run; every
// analysis of the deck runs once per point.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "netlist/frontend.hpp"

namespace ns {

struct StepPoint {
  std::vector<double> values;  // one per .step card
  std::size_t run = 0;         // Monte Carlo run, 1-based; 0 without .mc
};

bool is_stepped(const Netlist& netlist);
// Every point, outermost .step first and the Monte Carlo run innermost; one point with
// no values for a deck without .step and .mc.
std::vector<StepPoint> step_points(const Netlist& netlist);
// The columns that identify a point: each .step label, then "run" with .mc.
std::vector<std::string> step_labels(const Netlist& netlist);
std::vector<double> step_row(const StepPoint& point);
// "x = 2, temp = 50, run 17", for messages and raw plot names.
std::string describe(const Netlist& netlist, const StepPoint& point);

// The random stream of Monte Carlo run `run` in a run seeded with `seed`: a different,
// reproducible stream per run, the same for every .step value (so a sweep compares the
// same devices).
std::uint64_t random_stream(std::uint64_t seed, std::size_t run);

// The deck of `nominal` elaborated at a point: its knobs set (netlist/knob.hpp), random
// functions drawn from the run's stream.
Netlist netlist_at(const Netlist& nominal, const StepPoint& point, std::uint64_t seed);

}  // namespace ns
