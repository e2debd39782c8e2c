// .op: the operating point, one row.
#include "analysis/analysis.hpp"

namespace ns {

namespace {

class Op final : public Analysis {
public:
  void run(const AnalysisContext& context, TraceSink& sink) const override {
    const auto built = simulation(context);
    Simulation& sim = *built;
    const std::vector<double> x = operating_point(sim, context.notes, context.statistics);
    std::vector<std::string> columns, units;
    for (const auto& p : sim.probes) columns.push_back(p.label), units.push_back(p.unit);
    sink.begin(columns, units);
    sink.row(sim.probe_values(Eval{x, Mode::Dc, 0, sim.netlist.options.gmin}));
  }
};

std::unique_ptr<Analysis> parse(const ControlCard& card, const Netlist&) {
  if (!card.args.empty()) throw InputError(card.args[0].where, "'.op' takes no arguments");
  return std::make_unique<Op>();
}

const bool registered = register_analysis({".op", "op", "Operating Point", std::nullopt, parse});

}  // namespace

}  // namespace ns
