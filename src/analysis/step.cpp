#include "analysis/step.hpp"

#include <fmt/format.h>

#include "netlist/knob.hpp"

namespace ns {

bool is_stepped(const Netlist& netlist) { return !netlist.steps.empty() || netlist.monte_carlo.runs > 0; }

std::vector<StepPoint> step_points(const Netlist& netlist) {
  std::vector<StepPoint> points{StepPoint{}};
  for (const Step& step : netlist.steps) {  // outermost first: each card multiplies what came before
    std::vector<StepPoint> next;
    for (const StepPoint& p : points)
      for (double v : step.points) {
        next.push_back(p);
        next.back().values.push_back(v);
      }
    points = std::move(next);
  }
  if (netlist.monte_carlo.runs > 0) {
    std::vector<StepPoint> next;
    for (const StepPoint& p : points)
      for (std::size_t run = 1; run <= netlist.monte_carlo.runs; ++run) {
        next.push_back(p);
        next.back().run = run;
      }
    points = std::move(next);
  }
  return points;
}

std::vector<std::string> step_labels(const Netlist& netlist) {
  std::vector<std::string> labels;
  for (const Step& step : netlist.steps) labels.push_back(step.knob.label);
  if (netlist.monte_carlo.runs > 0) labels.push_back("run");
  return labels;
}

std::vector<double> step_row(const StepPoint& point) {
  std::vector<double> row = point.values;
  if (point.run > 0) row.push_back(static_cast<double>(point.run));
  return row;
}

std::string describe(const Netlist& netlist, const StepPoint& point) {
  std::string text;
  for (std::size_t k = 0; k < point.values.size(); ++k)
    text += fmt::format("{}{} = {:g}", text.empty() ? "" : ", ", netlist.steps[k].knob.label, point.values[k]);
  if (point.run > 0) text += fmt::format("{}run {}", text.empty() ? "" : ", ", point.run);
  return text;
}

std::uint64_t random_stream(std::uint64_t seed, std::size_t run) {
  // splitmix64's finaliser on (seed, run): nearby seeds and runs give unrelated streams.
  std::uint64_t z = seed * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(run);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Netlist netlist_at(const Netlist& nominal, const StepPoint& point, std::uint64_t seed) {
  std::vector<std::pair<Knob, double>> knobs;
  for (std::size_t k = 0; k < point.values.size(); ++k) knobs.emplace_back(nominal.steps[k].knob, point.values[k]);
  std::optional<std::uint64_t> stream;
  if (point.run > 0) stream = random_stream(seed, point.run);
  // The .param values the nominal netlist was elaborated with (RunOptions::params) hold at
  // every point; a .step of the same .param wins.
  Netlist at = elaborate_at(*nominal.deck, knobs, stream, nominal.overrides);
  at.options.seed = seed;
  return at;
}

}  // namespace ns
