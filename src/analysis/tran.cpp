// .tran tstep tstop [tstart [tmax]] [uic]: the transient, SUNDIALS IDA from the operating
// point (or, with uic, the rest state and .ic values), restarted at every source corner.
// A script's stop pauses it after a step and resume goes on from there (Pause, analysis.hpp).
// LTspice's `.tran tstop` and `.tran 0 tstop ...` (no output step) write a row at every
// step the integrator takes, as LTspice does. LTspice's `startup` flag starts from the
// operating point with the independent sources of the top level off, and turns them on
// linearly over the first 20 us (Device::ramp_up); sources inside subcircuits are not ramped.
#include <algorithm>
#include <cmath>
#include <span>
#include <utility>

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "analysis/crossings.hpp"
#include "engine/block_solver.hpp"
#include "engine/charge_rows.hpp"
#include "engine/integrator.hpp"
#include "engine/newton.hpp"
#include "engine/workers.hpp"

namespace ns {

namespace {

// Whether a transient's device loads are worth spreading over threads (System::use_threads
// without chunks): a few hundred non-linear devices. Fewer, and a load is a few tens of
// microseconds, of the order of what handing it to another thread and back costs.
bool loads_to_share(const Circuit& circuit) {
  constexpr std::size_t enough = 200;
  std::size_t nonlinear = 0;
  for (const auto& d : circuit.devices()) nonlinear += !d->linear() && !d->constant_source();
  return nonlinear >= enough;
}

struct TranCard {
  double tstep = 0, tstop = 0, tstart = 0;  // tstep 0: a row at every step
  double tmax = 0;  // 0: not given
  bool uic = false;
  bool startup = false;  // LTspice's: top-level sources ramp up over startup_ramp
  // The step the sources' defaults (a PULSE's rise time) and the start take when tstep is
  // 0: a thousandth of the run.
  double nominal_step() const { return tstep > 0 ? tstep : 1e-3 * tstop; }
};

// LTspice's startup ramp: the top-level sources reach their values 20 us into the run.
constexpr double startup_ramp = 20e-6;

// Times closer than this fraction of tstop are one instant (corners, rows on corners).
// 1e-13, not 1e-11: a PWL edge of 10 ps in a run of 4-8 s (XSPICE's digital examples)
// is two corners, and its ramp is drawn as the source has it, as ngspice does; at 1e-11
// they merged and the rows showed a 400 us ramp. An Euler start's floor (1e-14 of tstop,
// in euler_start) stays below it, so a start never jumps past the next corner.
constexpr double time_resolution = 1e-13;

// A delay line's corners per source corner and delay (its far end, then its reflections),
// at most: past this, the error test finds the rest.
constexpr std::size_t max_delayed_corners = 10000;

// Source corners in (t0, tstop], sorted, with near-coincident ones merged; tstop last. A
// device with a delay d (a transmission line) repeats each corner, and the start, at
// multiples of d. `also`: further instants to land on (a script's stop times).
std::vector<double> breakpoints(const Circuit& circuit, double t0, double tstop, std::span<const double> also) {
  std::vector<double> points;
  for (const auto& d : circuit.devices()) d->breakpoints(t0, tstop, points);
  const std::size_t sources = points.size();
  for (const auto& d : circuit.devices())
    if (const double delay = d->corner_delay(); delay > 0)
      for (std::size_t k = 0; k <= sources; ++k) {
        const double corner = k < sources ? points[k] : t0;
        for (std::size_t m = 1; m <= max_delayed_corners && corner + m * delay < tstop; ++m)
          points.push_back(corner + m * delay);
      }
  points.insert(points.end(), also.begin(), also.end());
  std::sort(points.begin(), points.end());
  const double resolution = time_resolution * tstop;
  std::vector<double> merged;
  for (double t : points)
    if (t > t0 + resolution && t < tstop - resolution && (merged.empty() || t - merged.back() > resolution))
      merged.push_back(t);
  merged.push_back(tstop);
  return merged;
}

// Rows at tstart + k tstep, interpolated, and a last one at tstop; without tstep only the
// one at tstart.
class OutputGrid {
public:
  OutputGrid(const TranCard& tran, long k)
      : tran_(tran),
        last_(tran.tstep > 0 ? static_cast<long>(std::ceil((tran.tstop - tran.tstart) / tran.tstep - 1e-9)) : 0),
        k_(k) {}
  bool done() const { return k_ > last_; }
  long k() const { return k_; }
  double next() const { return std::min(tran_.tstart + static_cast<double>(k_) * tran_.tstep, tran_.tstop); }
  void advance() { ++k_; }

private:
  const TranCard& tran_;
  long last_;
  long k_;
};

class Tran final : public Analysis {
public:
  explicit Tran(TranCard card) : tran_(card) {}
  double rows() const override {
    return tran_.tstep > 0 ? std::floor((tran_.tstop - tran_.tstart) / tran_.tstep) + 2 : 0;
  }
  void run(const AnalysisContext& context, TraceSink& sink) const override;

private:
  TranCard tran_;
};

void Tran::run(const AnalysisContext& context, TraceSink& sink) const {
  const TranCard& tran = tran_;
  const auto built = simulation(context);
  Simulation& sim = *built;
  // A run going on from a stop (Pause): the rows, the waveform and the grid go on too.
  std::optional<Pause::State> from;
  if (context.pause && context.pause->stopped) from = std::exchange(context.pause->stopped, std::nullopt);
  if (context.waveform && !from) *context.waveform = empty_waveform(sim);
  const Options& options = sim.netlist.options;
  for (const auto& d : sim.circuit->devices()) {
    d->start_transient(tran.nominal_step(), tran.tstop);
    if (tran.startup && d->name().find('.') == std::string::npos) d->ramp_up(startup_ramp);  // "x1.v1": in x1
  }
  const std::size_t n = sim.system->size();

  // The start: the operating point at t = 0 (with .ic nodes held), or with uic the rest
  // state and the .ic values; or the state a stop saved, restarted from as at a corner.
  OpSolver solver(*sim.system);
  // Serial again after the transient.
  struct Serial {
    System& system;
    ~Serial() {
      // The stamp off first: each call plans the loads again, which with the stamp on sorts
      // every group's positions (0.7 % of a 64x64 1T1R pulse for nothing).
      system.stamp_linear(false);
      system.use_threads({}, nullptr);
    }
  } serial{*sim.system};
  // A large circuit's device loads on the -j threads from its operating point on (recorded
  // and replayed in order: the same sums as one thread's), unless it turns out to be one of
  // weakly coupled blocks, whose chunks then take the threads.
  if (context.threads > 1 && loads_to_share(*sim.circuit))
    sim.system->use_threads({}, std::make_shared<Workers>(context.threads));
  std::vector<double> x;
  if (from) {
    if (from->y.size() != n)
      throw SimulationError(fmt::format("cannot resume at time = {:g}: the circuit has {} unknowns, {} when it stopped",
                                        from->t, n, from->y.size()));
    for (const auto& d : sim.circuit->devices())
      if (d->delay() > 0 || d->event_driven())
        throw SimulationError(fmt::format("cannot resume at time = {:g}: '{}' is {}, whose past is not kept "
                                          "over a stop", from->t, d->name(),
                                          d->event_driven() ? "event-driven" : "a delay line"));
    x = from->y;
  } else {
    const auto ic = node_values(sim, sim.netlist.ic);
    x = initial_guess(sim, Mode::TranOp, ic, tran.uic);
    if (!tran.uic) {
      OpRequest op;
      op.mode = Mode::TranOp;
      op.forced = ic;
      op.from_guess = true;
      solver.solve(x, op, context.notes);
    }
  }
  const double begin = from ? from->t : 0;
  const std::vector<double> corners = breakpoints(*sim.circuit, begin, tran.tstop,
                                                  context.pause ? context.pause->times : std::vector<double>{});

  // IDA needs a consistent (y, y') and restarts at every source corner. Implicit Euler
  // steps from there give both: F = 0 holds exactly after each, the first absorbs any jump
  // (an inconsistent uic start, a capacitor current when a source's slope changes), and
  // the last's difference is the slope y' the circuit then follows.
  //
  // The step is sized by the circuit (issue 16). Too short, and y' = (y3 - y2) / h turns
  // the last bits of a biased node into current: a 10 uF coupling capacitor on a 2 V node
  // at h = 1e-11 s reads C eps |v| / h ~ 4e-10 A where the true current is 1e-12, and
  // IDA's error test then fails at every step it tries. Too long, and Euler's own error
  // spoils the start. So one tiny step (1e-6 tstep) absorbs the jump, at once as a uic
  // start's jump is, and three steps of h follow: the second difference y4 - 2 y3 + y2 is
  // h^2 y'' (twice an Euler step's local error, plus the rounding noise of a short step),
  // and the longest of h0, h0/10, ... whose estimate is within every unknown's tolerance
  // is kept, h0 being a hundredth of tstep or of the time to the next corner, as SPICE
  // starts near a tenth of that and lets the error control grow it. If none passes (a
  // fast transient right after the corner), the one with the smallest estimate is kept.
  // IDA's first step is then that h, already shown to be within tolerance for order 1.
  // That h is set by the order-1 error test, not by h0 (RC ladder 1k: 1-30 ps at the
  // pulse's corners, its second derivative there ~1e18 V/s^2); the steps after a corner go
  // to IDA raising its order and step. Tries up from h0 by the estimate (0.7 h / sqrt(err),
  // each validated by the same test, up to max_step) were measured and left out: RC ladder
  // 1954 -> 1924 steps; 64x64 1T1R pulse 154 -> 136 steps but +7 % instructions (each try
  // three Newton solves of every cell); c432 1040 -> 1017 steps at the same CPU.
  IntegratorOptions io;
  // Without a tmax, SPICE3's rule, which ngspice keeps: the smaller of tstep and a fiftieth
  // of the span. A user sets tstep to the resolution they want to see, and the numbers
  // between their printed points then come from steps no longer than it, as in ngspice
  // (on ngspice's threshold-memristor deck, 10 ps over 30 ns: within 0.02 V of the
  // closed form there, 2.7-4.4 V with 220 steps of up to 1 ns). LTspice's tstep of 0
  // leaves only the fiftieth.
  const double span = tran.tstop - tran.tstart;
  io.max_step = tran.tmax > 0 ? tran.tmax : options.tmax > 0 ? options.tmax
                                        : tran.tstep > 0 ? std::min(tran.tstep, span / 50) : span / 50;
  // A delay line reads its past: a step no longer than its delay reads only accepted points.
  for (const auto& d : sim.circuit->devices())
    if (d->delay() > 0) io.max_step = std::min(io.max_step, d->delay());
  // A circuit of weakly coupled groups (neurons joined by synapse resistors) solves its
  // transient's linear systems on the groups' blocks with GMRES, where KLU would fill in.
  io.blocks = find_weak_coupling(*sim.system, x, io.max_step);
  // On -j threads, chunk by chunk of those blocks (their devices' loads, their LU); the
  // chunks do not depend on -j, and so neither do the results.
  // Resistors, capacitors, inductors: G and C stamped once for the transient.
  sim.system->stamp_linear(true);
  if (io.blocks && io.blocks->chunks > 1)
    sim.system->use_threads(io.blocks->chunk, std::make_shared<Workers>(static_cast<unsigned>(
                                                  std::min<std::size_t>(context.threads, io.blocks->chunks))));
  solver.use_blocks(io.blocks);
  // The rows that integrate their nonlinear charge, from the start (charge_rows.hpp).
  io.charge_rows = charge_rows(*sim.system, x, begin);
  // The devices given every accepted point: delay lines, and the event-driven devices.
  std::vector<Device*> delayed, eventful;
  for (const auto& d : sim.circuit->devices()) {
    if (d->event_driven()) eventful.push_back(d.get());
    else if (d->delay() > 0) delayed.push_back(d.get());
  }
  // In the stepping loop the event-driven devices take a point after the rows up to it are
  // written, whose interpolation re-solves the algebraic unknowns (consistent_output.hpp)
  // with the devices' state, which must still be the state before the events at that point.
  auto accept_delayed = [&](double t, std::span<const double> y) {
    for (Device* d : delayed) d->accept(Eval{y, Mode::Tran, t, options.gmin});
  };
  auto accept_events = [&](double t, std::span<const double> y) {
    for (Device* d : eventful) d->accept(Eval{y, Mode::Tran, t, options.gmin});
  };
  auto accept = [&](double t, std::span<const double> y) {
    accept_delayed(t, y);
    accept_events(t, y);
  };
  // The earliest pending event of the event-driven devices, after the last accepted point.
  auto next_event = [&] {
    double t = INFINITY;
    for (const Device* d : eventful) t = std::min(t, d->next_event());
    return t;
  };
  std::vector<double> yp(n);
  double start_step = 0;
  std::pair<double, std::vector<double>> jumped;  // the state right after the jump
  const Crossings crossings(sim.circuit->devices(), options.gmin);
  auto euler_start = [&](double t, std::vector<double>& y, double next_corner) {
    const double h0 = 1e-2 * std::min(tran.nominal_step(), next_corner - t);
    const double floor = 1e-14 * tran.tstop;
    const double jump = std::max(std::min(1e-6 * tran.nominal_step(), 1e-4 * (next_corner - t)), floor);
    OpRequest first;
    first.mode = Mode::Tran;
    first.euler_step = jump;
    first.time = t + jump;
    first.previous = y;
    first.charge_rows = io.charge_rows;
    solver.solve(y, first, context.notes);
    // A switch whose control the jump itself carries past its threshold (a W switch on the
    // current a closing reset switch starts) changes here too, not a step later, and the
    // jump is solved again with it; a few rounds at most, as a hysteresis loop could cycle.
    for (int round = 0; round < 8 && crossings.cross(first.time, y, first.previous); ++round) {
      y = first.previous;
      solver.solve(y, first, context.notes);
    }
    jumped = {first.time, y};
    std::vector<double> best, trial, y2, y3;
    double best_error = INFINITY, best_h = 0;
    for (int k = 0; k <= 4; ++k) {
      OpRequest euler;
      euler.mode = Mode::Tran;
      euler.euler_step = std::max(h0 * std::pow(10.0, -k), floor);
      euler.charge_rows = io.charge_rows;
      trial = y;
      try {
        for (int step = 2; step <= 4; ++step) {
          euler.time = t + jump + (step - 1) * euler.euler_step;
          euler.previous = trial;
          euler.reuse_factors = step > 2;  // on step 2's factors while they converge
          solver.solve(trial, euler, context.notes);
          if (step == 2) y2 = trial;
          if (step == 3) y3 = trial;
        }
      } catch (const SimulationError&) {
        if (k == 4 && best.empty()) throw;
        continue;
      }
      double error = 0;  // the largest local error estimate relative to its tolerance
      for (std::size_t i = 0; i < n; ++i)
        error = std::max(error, 0.5 * std::abs(trial[i] - 2 * y3[i] + y2[i]) / solver.tolerance(i, y3[i], trial[i]));
      if (error < best_error) {
        best_error = error, best_h = euler.euler_step, best = trial;
        for (std::size_t i = 0; i < n; ++i) yp[i] = (trial[i] - y3[i]) / euler.euler_step;
      }
      if (error <= 1 || euler.euler_step <= floor) break;
    }
    y = best;
    start_step = best_h;
    return t + jump + 3 * best_h;
  };
  // The state just after the jump at a corner at `t`: a delay line's record takes it at the
  // corner's own time, the second point there, which marks the corner (circuit/history.hpp).
  // At the jump's time, a femtosecond or less after the corner, its cubic read the wave
  // through the two as a slope of zero: a coupled line's far end 5.6e-3 V off a linear
  // ramp after the ramp's end (LossyLine.CoupledFarEndsReadNoSlopeChangeBeforeACorner).
  auto accept_jump = [&](double t) {
    accept_delayed(t, jumped.second);
    accept_events(jumped.first, jumped.second);
  };
  const std::vector<double> x0 = x;  // the t = 0 row shows the start as computed or given
  accept(begin, x0);
  // A discrete state the start leaves on the wrong side of its threshold (a switch whose
  // control a uic start or .ic puts past it) changes at once.
  Crossings::Found found;
  long crossed = crossings.cross(begin, x) ? 1 : 0;
  const double t0 = euler_start(begin, x, corners.front());
  accept_jump(begin);
  accept(t0, x);
  io.first_step = start_step;
  Integrator integrator(*sim.system, io, t0, x, yp);

  std::vector<std::string> columns{"time"}, units{"s"};
  for (const auto& p : sim.probes) columns.push_back(p.label), units.push_back(p.unit);
  if (!from) sink.begin(columns, units);
  std::vector<double> row;
  auto emit = [&](double t, std::span<const double> y) {
    if (t < tran.tstart) return;
    row.assign(1, t);
    for (double v : sim.probe_values(Eval{y, Mode::Tran, t, options.gmin})) row.push_back(v);
    sink.row(row);
  };

  // The waveform the .meas cards read: the measured probes at every accepted step and,
  // between steps, at the output rows (IDA's interpolating polynomial, of the method's
  // order, where a straight line between two long steps would cut the curve). Strictly
  // increasing in t.
  double sampled = from ? begin : -INFINITY;
  auto sample = [&](double t, std::span<const double> y) {
    if (!context.waveform || t <= sampled) return;
    sim.record(*context.waveform, t, Eval{y, Mode::Tran, t, options.gmin});
    sampled = t;
  };
  // A uic start gives the states only: the t = 0 row shows the nodes they determine (a
  // behavioural source's output) as the jump's solve has them, not the unsolved guess that
  // .meas MAX/MIN would read. A value the jump moved by less than its tolerance (a state
  // in the jump's tiny step) keeps its given value.
  std::vector<double> start = x0;
  if (tran.uic && !from)
    for (std::size_t i = 0; i < n; ++i)
      if (std::abs(jumped.second[i] - x0[i]) > solver.tolerance(i, x0[i], jumped.second[i]))
        start[i] = jumped.second[i];
  sample(0, start);
  sample(jumped.first, jumped.second);
  sample(t0, x);

  // ngspice's interp (InterpFileAdd in its outitf.c) writes rows on the tstep grid only:
  // at tstart + k tstep from k = 1 (t = 0 too when tstart is 0) and at tstop, never an
  // accepted step's own; each row here is the integrator's interpolant there, as every
  // grid row: IDA's polynomial of the method's order, the trapezoidal rule's quadratic,
  // whose error is of the order the step's error test bounded, where ngspice's straight
  // line between two steps adds h^2 x''/8.
  const bool step_rows = (context.every_step && !context.interp) || tran.tstep == 0;
  OutputGrid grid(tran, from ? from->row : context.interp && tran.tstart > 0 ? 1 : 0);
  std::vector<double> y;
  for (; !grid.done() && grid.next() <= t0; grid.advance())
    emit(grid.next(), grid.next() == 0 ? start : grid.next() <= jumped.first ? jumped.second : x);
  // A resumed run writes no row at its jump, as at a corner.
  if (step_rows && !from) emit(jumped.first, jumped.second);
  // An event before the next corner (digital outputs changing, a dac_bridge's ramp
  // starting or ending) is a corner too: the integrator stops there, the devices take it
  // in accept(), and the integrator restarts from there, unless no device's analog output
  // got a corner (Device::event_corner): then it goes on (Integrator::hold).
  const double resolution = time_resolution * tran.tstop;
  // After an event that moved no analog output: whether some event-driven device says it did.
  auto event_corner = [&] {
    return std::any_of(eventful.begin(), eventful.end(), [](const Device* d) { return d->event_corner(); });
  };
  // The row after such an event: past the event by less than the resolution that the next
  // stop lies beyond, as an Euler start's first step is at least (its floor).
  const double hold_row = 1e-14 * tran.tstop;
  // Where a start from t looks ahead to: the next corner `limit` or the next event before it.
  auto horizon = [&](double t, double limit) {
    return std::max(std::min(limit, next_event()), t + resolution);
  };
  for (std::size_t c = 0; c < corners.size(); ++c) {
    const double corner = corners[c];
    while (integrator.time() < corner) {
      context.check_stop(integrator.time(), "time");
      const double event = next_event();
      const bool to_event = event < corner - resolution;
      const double stop = to_event ? std::max(event, integrator.time() + resolution) : corner;
      const double before = integrator.time();
      double t = integrator.step(stop);
      // A discrete state's crossing within the step (crossings.hpp) ends it there: the
      // rows, the waveform and the devices take the solution up to it, and the integrator
      // restarts there with the new state. One within the time resolution of the corner
      // is left to the corner's restart, which makes the same change.
      const bool crossing = crossings.locate(integrator, before, resolution, found) && found.t < corner - resolution;
      if (crossing) t = found.t, ++crossed;
      const std::span<const double> at = crossing ? std::span<const double>(found.y) : integrator.y();
      accept_delayed(t, at);
      context.report(t / tran.tstop);
      double last_row = -INFINITY;
      const double reached = t == stop ? t + resolution : t;  // rows on the corner belong here
      for (; !grid.done() && grid.next() <= reached; grid.advance()) {
        integrator.interpolate(grid.next(), y);
        emit(grid.next(), y);
        if (grid.next() < t) sample(grid.next(), y);
        last_row = grid.next();
      }
      sample(t, at);
      if (step_rows && t > last_row) emit(t, at);
      accept_events(t, at);
      if (context.pause && context.pause->now && t < tran.tstop && context.pause->now(t)) {
        context.pause->stopped = Pause::State{t, {at.begin(), at.end()}, grid.k()};
        return;
      }
      if (crossing || (to_event && t == stop)) {
        y.assign(at.begin(), at.end());
        const bool changed = crossings.cross(t, y);
        // An event that put no corner into any device's analog output goes on without a
        // restart (engine/event_hold.hpp); a row just after it shows the new digital levels.
        if (!crossing && !changed && options.event_hold && !event_corner() && integrator.hold()) {
          const double after = t + hold_row;
          if (step_rows) emit(after, integrator.y());
          sample(after, integrator.y());
          continue;
        }
        const double restart = euler_start(t, y, horizon(t, corner));
        accept_jump(t);
        accept(restart, y);
        // Digital nodes' rows change at the event: a row right after it shows the new levels.
        if (step_rows) emit(jumped.first, jumped.second);
        sample(jumped.first, jumped.second);
        sample(restart, y);
        integrator.restart(restart, y, yp, start_step);
      }
    }
    if (c + 1 < corners.size()) {
      y.assign(integrator.y().begin(), integrator.y().end());
      if (crossings.cross(corner, y)) ++crossed;
      const double t = euler_start(corner, y, horizon(corner, corners[c + 1]));
      accept_jump(corner);
      accept(t, y);
      sample(jumped.first, jumped.second);
      sample(t, y);
      integrator.restart(t, y, yp, start_step, solver.euler_factors(start_step));
    }
  }
  const unsigned threads = sim.system->workers() ? sim.system->workers()->threads() : 1;
  if (context.statistics && context.notes) context.notes->push_back("transient: " + integrator.statistics() +
                                                             fmt::format("; device loads on {} thread{}", threads,
                                                                         threads > 1 ? "s" : "") +
                                                             (crossings.empty() ? "" : fmt::format("; {} threshold crossings", crossed)) +
                                                             "; operating point and start steps: " + solver.statistics());
}

std::unique_ptr<Analysis> parse(const ControlCard& card, const Netlist&) {
  TranCard t;
  std::vector<Number> values;
  for (const CardArg& arg : card.args) {
    if (arg.is("uic")) t.uic = true;
    else if (arg.is("startup")) t.startup = true;
    else if (arg.is("skipbp")) t.uic = true;  // PSpice's: skip the bias point, start from the ICs
    else if (values.size() < 4 && arg.is_value()) values.push_back(arg.number());
    else throw InputError(arg.where, fmt::format("unexpected '{}' on '.tran'", arg.text));
  }
  if (values.empty()) throw InputError(card.where, "'.tran' needs tstep and tstop (or LTspice's tstop alone)");
  if (values.size() == 1) values.insert(values.begin(), Number{0, values[0].where});
  t.tstep = values[0].value;
  t.tstop = values[1].value;
  if (values.size() > 2) t.tstart = values[2].value;
  if (values.size() > 3) t.tmax = values[3].value;
  if (t.tstep < 0) throw InputError(values[0].where, fmt::format("tstep must be >= 0, not {:g}", t.tstep));
  if (t.tstart < 0) throw InputError(values[2].where, fmt::format("tstart must be >= 0, not {:g}", t.tstart));
  if (t.tstop <= t.tstart)
    throw InputError(values[1].where, fmt::format("tstop ({:g}) must be greater than tstart ({:g})", t.tstop, t.tstart));
  if (t.tmax < 0) throw InputError(values[3].where, fmt::format("tmax must be >= 0, not {:g}", t.tmax));
  return std::make_unique<Tran>(t);
}

const bool registered = register_analysis(
    {".tran", "tran", "Transient Analysis", MeasureRequest::Analysis::Tran, parse});

}  // namespace

}  // namespace ns
