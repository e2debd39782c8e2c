// .dc: operating points along one sweep, or two nested (the second the outer loop).
// Each point starts from the previous solution, so a sweep up then down shows hysteresis.
#include <optional>

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "engine/newton.hpp"
#include "expr/expression.hpp"
#include "netlist/knob.hpp"

namespace ns {

namespace {

struct Sweep {
  Knob knob;
  std::vector<double> points;  // in sweep order
};

// A swept source's value is a voltage or a current (its name starts with its card letter).
std::string unit_of(const Knob& knob) {
  if (knob.kind != Knob::Kind::Source) return "";
  return knob.name[0] == 'v' ? "V" : "A";
}

// The circuit of the current sweep point. Setting a knob sets it in the netlist; a
// source takes its new value in the built circuit, anything else builds the circuit
// again (the unknowns stay the same, so the previous solution still serves as the guess).
class SweptCircuit {
public:
  explicit SweptCircuit(const AnalysisContext& context) : netlist_(context.netlist) {}

  void set(const Knob& knob, double value) {
    const auto it = values_.find(knob.label);
    if (it != values_.end() && it->second == value) return;
    values_[knob.label] = value;
    set_knob(netlist_, knob, value);
    if (!sim_ || knob.kind != Knob::Kind::Source) {
      sim_.reset();
      return;
    }
    for (const Element& e : netlist_.elements)
      if (e.name == knob.name && !sim_->circuit->find_device(e.name)->update(e)) sim_.reset();
  }

  Simulation& current() {
    if (!sim_) {
      solver_.reset();
      sim_ = std::make_unique<Simulation>(netlist_);
      solver_ = std::make_unique<OpSolver>(*sim_->system);
    }
    return *sim_;
  }
  OpSolver& solver() { return *solver_; }

private:
  Netlist netlist_;  // with the knobs at this point's values
  std::map<std::string, double> values_;
  std::unique_ptr<Simulation> sim_;
  std::unique_ptr<OpSolver> solver_;
};

class Dc final : public Analysis {
public:
  explicit Dc(std::vector<Sweep> sweeps) : sweeps_(std::move(sweeps)) {}

  double rows() const override {
    double rows = 1;
    for (const Sweep& s : sweeps_) rows *= double(s.points.size());
    return rows;
  }

  // A .param's first value elaborates the deck: its errors show before the run.
  void check(const Netlist& netlist) const override {
    std::vector<std::pair<Knob, double>> params;
    for (const Sweep& s : sweeps_)
      if (s.knob.kind == Knob::Kind::Param) params.emplace_back(s.knob, s.points.at(0));
    if (params.empty()) return;
    Netlist first = netlist;
    set_knobs(first, params);
  }

  void run(const AnalysisContext& context, TraceSink& sink) const override;

private:
  std::vector<Sweep> sweeps_;  // [0] is the inner (fastest) sweep, [1] the outer
};

void Dc::run(const AnalysisContext& context, TraceSink& sink) const {
  SweptCircuit swept(context);
  const Sweep& inner = sweeps_.at(0);
  const Sweep* outer = sweeps_.size() > 1 ? &sweeps_[1] : nullptr;
  const std::vector<double> single{0.0};
  std::vector<double> x;
  bool started = false;
  const std::size_t total = inner.points.size() * (outer ? outer->points.size() : 1);
  std::size_t done = 0;
  for (double outer_value : outer ? outer->points : single) {
    if (outer) swept.set(outer->knob, outer_value);
    for (double value : inner.points) {
      context.check_stop(value, inner.knob.label.c_str());
      swept.set(inner.knob, value);
      Simulation& sim = swept.current();
      const bool first = !started;
      if (!started) {
        x = initial_guess(sim);
        std::vector<std::string> columns{inner.knob.label}, units{unit_of(inner.knob)};
        if (outer) columns.push_back(outer->knob.label), units.push_back(unit_of(outer->knob));
        for (const auto& p : sim.probes) columns.push_back(p.label), units.push_back(p.unit);
        sink.begin(columns, units);
        if (context.waveform) *context.waveform = empty_waveform(sim);
        started = true;
      }
      try {
        OpRequest request;
        request.from_guess = first;
        swept.solver().solve(x, request, context.notes);
      } catch (const SimulationError& e) {
        throw e.within(fmt::format("dc sweep at {} = {:g}{}: ", inner.knob.label, value,
                                   outer ? fmt::format(", {} = {:g}", outer->knob.label, outer_value) : ""));
      }
      const Eval eval{x, Mode::Dc, 0, sim.netlist.options.gmin};
      std::vector<double> row{value};
      if (outer) row.push_back(outer_value);
      for (double v : sim.probe_values(eval)) row.push_back(v);
      sink.row(row);
      if (context.waveform) sim.record(*context.waveform, value, eval);
      context.report(double(++done) / double(total));
    }
  }
}

// .dc [lin|dec|oct] KNOB start stop step|points [KNOB2 ...], or KNOB list v1 v2 ...
std::unique_ptr<Analysis> parse(const ControlCard& card, const Netlist& netlist) {
  const auto& a = card.args;
  auto is_number = [&](std::size_t j) {
    return j < a.size() && (a[j].kind == CardArg::Kind::Expr || (a[j].kind == CardArg::Kind::Word && looks_numeric(a[j].text)));
  };
  if (a.empty()) throw InputError(card.where, "'.dc' needs a source or parameter to sweep");
  std::vector<Sweep> sweeps;
  std::size_t k = 0;
  while (k < a.size()) {
    std::string type = "lin";
    if ((a[k].is("lin") || a[k].is("dec") || a[k].is("oct")) && k + 1 < a.size() &&
        a[k + 1].kind == CardArg::Kind::Word && !looks_numeric(a[k + 1].text))
      type = a[k++].text;
    Sweep s{read_knob(netlist, card, k, KnobCard::Dc), {}};
    std::vector<const CardArg*> values;
    if (k < a.size() && a[k].is("list") && type == "lin") {
      type = "list";
      for (++k; is_number(k); ++k) values.push_back(&a[k]);
      if (values.empty()) throw InputError(a[k - 1].where, "'list' needs at least one value");
    } else {
      for (int j = 0; j < 3; ++j, ++k) {
        if (k >= a.size() || !a[k].is_value())
          throw InputError(s.knob.where, fmt::format("'.dc {}' needs start, stop and {}", s.knob.label,
                                                   type == "lin" ? "step" : "points per " + std::string(type == "dec" ? "decade" : "octave")));
        values.push_back(&a[k]);
      }
    }
    s.points = sweep_points(type, values);
    sweeps.push_back(std::move(s));
  }
  return std::make_unique<Dc>(std::move(sweeps));
}

const bool registered = register_analysis(
    {".dc", "dc", "DC transfer characteristic", MeasureRequest::Analysis::Dc, parse});

}  // namespace

}  // namespace ns
