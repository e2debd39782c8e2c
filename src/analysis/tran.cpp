#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "engine/integrator.hpp"
#include "engine/newton.hpp"

namespace ns {

namespace {

// Source corners in (t0, tstop], sorted, with near-coincident ones merged; tstop last.
std::vector<double> breakpoints(const Circuit& circuit, double t0, double tstop) {
  std::vector<double> points;
  for (const auto& d : circuit.devices()) d->breakpoints(t0, tstop, points);
  std::sort(points.begin(), points.end());
  const double resolution = 1e-11 * tstop;
  std::vector<double> merged;
  for (double t : points)
    if (t > t0 + resolution && t < tstop - resolution && (merged.empty() || t - merged.back() > resolution))
      merged.push_back(t);
  merged.push_back(tstop);
  return merged;
}

// Rows at tstart + k tstep, interpolated, up to tstop inclusive.
class OutputGrid {
public:
  OutputGrid(const TranAnalysis& tran) : tran_(tran) {}
  bool done() const { return next() > tran_.tstop * (1 + 1e-12); }
  double next() const {
    const double t = tran_.tstart + static_cast<double>(k_) * tran_.tstep;
    return t > tran_.tstop ? (t < tran_.tstop + 0.5 * tran_.tstep ? tran_.tstop : t) : t;
  }
  void advance() { ++k_; }

private:
  const TranAnalysis& tran_;
  long k_ = 0;
};

}  // namespace

void run_tran(const AnalysisContext& context, const TranAnalysis& tran, TraceSink& sink) {
  Simulation sim(context.netlist);
  const Options& options = sim.netlist.options;
  for (const auto& d : sim.circuit->devices()) d->start_transient(tran.tstep, tran.tstop);
  const std::size_t n = sim.system->size();

  // The start: the operating point at t = 0 (with .ic nodes held), or with uic the
  // rest state and .ic values. When anything was held or guessed, one tiny implicit
  // Euler step makes (y, y') consistent, so IDA starts from F(t0, y, y') = 0.
  OpSolver solver(*sim.system);
  const auto ic = node_values(sim, sim.netlist.ic);
  std::vector<double> x = initial_guess(sim);
  if (tran.uic) {
    for (const auto& [u, value] : ic) x[u] = value;
  } else {
    OpRequest op;
    op.mode = Mode::TranOp;
    op.forced = ic;
    solver.solve(x, op, context.notes);
  }
  double t0 = 0;
  std::vector<double> yp(n, 0.0);
  if (tran.uic || !ic.empty()) {
    OpRequest euler;
    euler.mode = Mode::Tran;
    euler.time = euler.euler_step = tran.tstep * 1e-6;
    euler.previous = x;
    solver.solve(x, euler, context.notes);
    t0 = euler.time;
    // y' = (y - previous) / h where C gives the unknown a derivative; elsewhere y' does
    // not enter F, and a jump there is not a rate of change.
    Assembly a = sim.system->make_assembly();
    sim.system->evaluate(Eval{x, Mode::Tran, t0, options.gmin}, a);
    std::vector<bool> differential(n, false);
    const auto& starts = sim.system->column_starts();
    for (std::size_t col = 0; col < n; ++col)
      for (auto k = starts[col]; k < starts[col + 1]; ++k)
        if (a.C[k] != 0) differential[col] = true;
    for (std::size_t i = 0; i < n; ++i)
      if (differential[i]) yp[i] = (x[i] - euler.previous[i]) / euler.euler_step;
  }

  IntegratorOptions io;
  io.max_step = tran.tmax > 0 ? tran.tmax : options.tmax > 0 ? options.tmax : (tran.tstop - tran.tstart) / 50;
  Integrator integrator(*sim.system, io, t0, x, yp);

  std::vector<std::string> columns{"time"};
  for (const auto& p : sim.probes) columns.push_back(p.label);
  sink.begin(columns);
  std::vector<double> row;
  auto emit = [&](double t, std::span<const double> y) {
    if (t < tran.tstart) return;
    row.assign(1, t);
    for (double v : sim.probe_values(Eval{y, Mode::Tran, t, options.gmin})) row.push_back(v);
    sink.row(row);
  };

  OutputGrid grid(tran);
  std::vector<double> y;
  if (grid.next() <= t0) {
    emit(grid.next(), x);
    grid.advance();
  }
  for (double corner : breakpoints(*sim.circuit, t0, tran.tstop)) {
    while (integrator.time() < corner) {
      const double t = integrator.step(corner);
      double last_row = -INFINITY;
      for (; !grid.done() && grid.next() <= t; grid.advance()) {
        integrator.interpolate(grid.next(), y);
        emit(grid.next(), y);
        last_row = grid.next();
      }
      if (context.every_step && t > last_row) emit(t, integrator.y());
    }
    if (corner < tran.tstop) integrator.restart();
  }
  sink.finish();
}

}  // namespace ns
