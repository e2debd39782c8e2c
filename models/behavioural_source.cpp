// The behavioural source: B (V=expr, I=expr) and E/G with VALUE=expr. Its value is an
// expression of node voltages, branch currents and time, compiled once (expr/program.hpp)
// and run with forward-mode derivatives, so its Jacobian row is exact.
//
// LTspice's delay(a, T) is a state s: s = a outside a transient, s = a(t - T) in one, read
// from the device's record of a at the accepted points (circuit/history.hpp, as the
// transmission line keeps its own); the past is fixed, so s's row has no other column.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "circuit/history.hpp"
#include "circuit/registry.hpp"
#include "expr/program.hpp"

namespace ns {
namespace {

class BehaviouralSource final : public Device {
public:
  explicit BehaviouralSource(const DeviceInput& in)
      : Device(in.element.name, in.element.where), b_(in.element.behaviour) {
    if (!b_) throw InputError(in.element.where, "'" + in.element.name + "' has no expression");
    work_ = b_->program->workspace();
    corners_ = b_->program->time_corners();
    x_.resize(b_->inputs.size());
  }

  void setup(Setup& s) override {
    p_ = s.terminal(0);
    n_ = s.terminal(1);
    if (b_->voltage) i_ = s.branch();
    temperature_ = s.temperature() - 273.15;
    // The states of ddt(), idt() and delay(): "ddt", "ddt2", ... in the order they are written.
    int counts[3] = {0, 0, 0};
    for (const ProgramState& st : b_->program->states()) {
      const auto kind = static_cast<std::size_t>(st.kind);
      const int k = ++counts[kind];
      const std::string name = std::string(state_names[kind]) + (k > 1 ? std::to_string(k) : "");
      states_.push_back(s.state(name, state_abstol, st.kind == ProgramState::Kind::Idt ? st.ic : 0.0));
      history_.emplace_back(1, st.delay);
    }
    const auto inputs = b_->program->inputs();
    for (std::size_t k = 0; k < inputs.size(); ++k) {
      switch (inputs[k].kind) {
        case ProgramInput::Kind::Voltage: reads_.push_back(s.node(b_->inputs[k], b_->input_where[k])); break;
        case ProgramInput::Kind::Current: reads_.push_back(s.branch_of(b_->inputs[k], b_->input_where[k])); break;
        case ProgramInput::Kind::Time: reads_.push_back(time); break;
        case ProgramInput::Kind::Temperature: reads_.push_back(temper); break;
        case ProgramInput::Kind::State:
          reads_.push_back(states_[inputs[k].state]);
          if (b_->program->states()[inputs[k].state].reset >= 0) resets_.push_back({k, inputs[k].state});
          break;
      }
    }
    if (b_->voltage) {
      branch_ = {s.entry(p_, i_), s.entry(n_, i_), s.entry(i_, p_), s.entry(i_, n_)};
      for (Unknown u : reads_) rows_.push_back({s.entry(i_, u), no_entry});
    } else {
      for (Unknown u : reads_) rows_.push_back({s.entry(p_, u), s.entry(n_, u)});
    }
    for (Unknown st : states_) {
      state_rows_.emplace_back();
      state_rows_.back().push_back(s.entry(st, st));
      for (Unknown u : reads_) state_rows_.back().push_back(s.entry(st, u));
    }
  }

  void topology(Topology& t) const override {
    if (b_->voltage) {
      // A voltage that depends on its own current (v = i(self)*R(x), Biolek's memristor
      // port) is a resistor, not a fixed voltage: it may close a loop of sources.
      if (std::find(reads_.begin(), reads_.end(), i_) != reads_.end()) t.conducts(p_, n_);
      else t.voltage_defined(p_, n_);
      return;
    }
    // A current that depends on its own terminals' voltages conducts between them (a
    // behavioural resistor or memristor); any other is a source, with no DC path.
    for (Unknown u : reads_)
      if (u != time && u != ground && (u == p_ || u == n_)) t.conducts(p_, n_);
  }

  void load(const Eval& e, Load& l) const override {
    const Program& program = *b_->program;
    double value = run(e);
    const auto grad = work_.gradient();
    // The value is result + d/dt charge: the charge goes into q, so the integrator
    // differentiates it (implicitly). Its explicit dependence on time is not seen through
    // C x', so d charge/d time joins the resistive part (its own Jacobian is left out).
    const bool charged = program.charge() >= 0;
    const auto charge_reg = static_cast<std::size_t>(charged ? program.charge() : 0);
    const double charge = charged ? work_.value(charge_reg) : 0.0;
    const auto cgrad = work_.gradient(charge_reg);
    if (charged)
      for (std::size_t k = 0; k < reads_.size(); ++k)
        if (reads_[k] == time && e.mode == Mode::Tran) value += cgrad[k];
    // sign: +1 where the value is a current into the n+ row, -1 in a V source's branch row
    auto add = [&](double sign, double v, std::span<const double> g, bool into_q) {
      const std::size_t rows = b_->voltage ? 1 : 2;
      for (std::size_t r = 0; r < rows; ++r) {
        const double s = r == 0 ? sign : -sign;
        into_q ? l.q(r == 0 ? (b_->voltage ? i_ : p_) : n_, s * v) : l.f(r == 0 ? (b_->voltage ? i_ : p_) : n_, s * v);
        for (std::size_t k = 0; k < reads_.size(); ++k) into_q ? l.C(rows_[k][r], s * g[k]) : l.G(rows_[k][r], s * g[k]);
      }
    };
    // The value's rounding error can be far above its ulp (the difference of two large
    // terms): the rows it goes into are no more certain than that.
    const double error = work_.error();
    if (b_->voltage) {
      l.noise(i_, error);
    } else {
      l.noise(p_, error);
      l.noise(n_, error);
    }
    if (b_->voltage) {
      const double i = e.v(i_);
      l.f(p_, i);
      l.f(n_, -i);
      l.f(i_, e.v(p_) - e.v(n_));
      l.G(branch_[0], 1);
      l.G(branch_[1], -1);
      l.G(branch_[2], 1);
      l.G(branch_[3], -1);
      add(-1, value, grad, false);
      if (charged) add(-1, charge, cgrad, true);
    } else {
      add(1, value, grad, false);
      if (charged) add(1, charge, cgrad, true);
    }
    // ddt state s: s - d/dt a = 0. idt state s: d/dt s - a = 0 (held at ic in DC). delay
    // state s: s - a = 0, in a transient s - a(t - T) = 0.
    const auto states = program.states();
    for (std::size_t k = 0; k < states_.size(); ++k) {
      const Unknown st = states_[k];
      const double a = work_.value(states[k].argument);
      const auto ag = work_.gradient(states[k].argument);
      const auto& row = state_rows_[k];
      switch (states[k].kind) {
        case ProgramState::Kind::Ddt:
          l.f(st, e.v(st));
          l.G(row[0], 1);
          l.q(st, -a);
          for (std::size_t j = 0; j < reads_.size(); ++j) l.C(row[j + 1], -ag[j]);
          break;
        case ProgramState::Kind::Idt:
          l.f(st, -a);
          l.noise(st, work_.error(states[k].argument));
          l.q(st, e.v(st));
          l.C(row[0], 1);
          for (std::size_t j = 0; j < reads_.size(); ++j) l.G(row[j + 1], -ag[j]);
          break;
        case ProgramState::Kind::Delay:
          l.G(row[0], 1);
          if (e.mode == Mode::Tran) {
            double past = 0;
            history_[k].read(e.time - states[k].delay, {&past, 1});
            l.f(st, e.v(st) - past);
            break;
          }
          l.f(st, e.v(st) - a);
          l.noise(st, work_.error(states[k].argument));
          for (std::size_t j = 0; j < reads_.size(); ++j) l.G(row[j + 1], -ag[j]);
          break;
      }
    }
  }

  // The transient steps no longer than the shortest delay() (Device::delay).
  double delay() const override {
    double shortest = 0;
    for (const ProgramState& st : b_->program->states())
      if (st.kind == ProgramState::Kind::Delay && (shortest == 0 || st.delay < shortest)) shortest = st.delay;
    return shortest;
  }
  // idt(x, ic, assert) restarts its integral at accepted points (accept): an event, so the
  // transient gives this device every accepted point (and refuses to resume over a stop,
  // where the offsets below would be lost).
  bool event_driven() const override { return !resets_.empty(); }
  void start_transient(double, double) override {
    for (History& h : history_) h.clear();
    for (Reset& r : resets_) r.offset = 0;
  }
  void accept(const Eval& e) override {
    const auto states = b_->program->states();
    bool delays = false;
    for (const ProgramState& st : states) delays = delays || st.kind == ProgramState::Kind::Delay;
    if (!delays && resets_.empty()) return;
    run(e);
    // idt(x, ic, assert) where assert holds: the integral restarts at ic from here. The
    // state itself integrates on undisturbed (no jump for the integrator); what the
    // expression reads is the state less this offset.
    for (Reset& r : resets_) {
      const ProgramState& st = states[r.state];
      if (work_.value(static_cast<std::size_t>(st.reset)) != 0) r.offset = e.v(states_[r.state]) - st.ic;
    }
    for (std::size_t k = 0; k < states.size(); ++k) {
      const double a = work_.value(states[k].argument);
      if (states[k].kind == ProgramState::Kind::Delay) history_[k].record(e.time, {&a, 1});
    }
  }

  void breakpoints(double from, double to, std::vector<double>& out) const override {
    for (double t : corners_)
      if (t > from && t <= to) out.push_back(t);
  }

  std::string explain_non_finite(const Eval& e) const override {
    const double value = run(e);
    std::string inputs;
    const auto in = b_->program->inputs();
    for (std::size_t k = 0; k < in.size(); ++k) {
      std::string name;
      switch (in[k].kind) {
        case ProgramInput::Kind::Voltage: name = "v(" + in[k].name + ")"; break;
        case ProgramInput::Kind::Current: name = "i(" + in[k].name + ")"; break;
        case ProgramInput::Kind::Time: name = "time"; break;
        case ProgramInput::Kind::Temperature: name = "temper"; break;
        case ProgramInput::Kind::State: name = fmt::format("state {}", in[k].state + 1); break;
      }
      inputs += fmt::format("{}{} = {:.6g}", inputs.empty() ? "" : ", ", name, x_[k]);
    }
    return fmt::format("its expression '{}' ({}) is {}{}{}", b_->text, b_->where.str(), value,
                       std::isfinite(value) ? " (its derivative is not finite)" : "",
                       inputs.empty() ? "" : " with " + inputs);
  }

  // @b1[i], the current from n+ through the source to n- (ngspice's): of an I= source whose
  // expression has a ddt() outside any function NaN, as that part (the integrator's
  // derivative of its charge) is not known here.
  double quantity(std::size_t /*k*/, const Eval& e) const override {
    if (b_->voltage) return e.v(i_);
    return b_->program->charge() >= 0 ? std::nan("") : run(e);
  }

private:
  // The program at `e`, into work_ (x_ holds its inputs).
  double run(const Eval& e) const {
    for (std::size_t k = 0; k < reads_.size(); ++k)
      x_[k] = reads_[k] == time ? e.time : reads_[k] == temper ? temperature_ : e.v(reads_[k]);
    for (const Reset& r : resets_) x_[r.input] -= r.offset;
    return b_->program->run(x_, work_);
  }

  static constexpr const char* state_names[3] = {"ddt", "idt", "delay"};  // by ProgramState::Kind
  // Inputs that are not unknowns: their columns are never declared.
  static constexpr Unknown time = -2, temper = -3;
  // A ddt state is a current or a voltage's rate; an idt state a charge or flux: both small.
  static constexpr double state_abstol = 1e-12;
  std::shared_ptr<const Behaviour> b_;
  double temperature_ = 27;  // degrees Celsius: temper
  std::vector<Unknown> states_;  // per program state
  std::vector<History> history_;  // per program state: a delay's record of its argument
  struct Reset {
    std::size_t input = 0, state = 0;
    double offset = 0;  // the state's value where the integral last restarted, less ic
  };
  std::vector<Reset> resets_;  // the idt() states with an assert argument
  std::vector<double> corners_;  // Program::time_corners
  std::vector<std::vector<Entry>> state_rows_;  // per state: its diagonal, then per input
  Unknown p_ = ground, n_ = ground, i_ = ground;
  std::vector<Unknown> reads_;  // per program input
  std::array<Entry, 4> branch_{no_entry, no_entry, no_entry, no_entry};
  std::vector<std::array<Entry, 2>> rows_;  // per input: its column in the rows of the value
  // One device is loaded by one thread at a time: the run's scratch space is its own.
  mutable Program::Workspace work_;
  mutable std::vector<double> x_;
};

}  // namespace

const bool registered = register_model<BehaviouralSource>(
    {.type = "b",
     .summary = "behavioural source: V={expr} sets v(n+,n-); I={expr} flows from n+ through it to n-; "
                "E/G VALUE={expr} likewise",
     .terminals = {"n+", "n-"},
     .states = {{"ddt", "", "d/dt of a ddt() argument inside a larger expression (ddt2, ddt3... for the next)"},
                {"idt", "", "integral of an idt()/sdt() argument since the operating point (idt2, ...)",
                 Hold::InDc},
                {"delay", "", "LTspice's delay(x, T): x at time - T in a transient, x outside one (delay2, ...)"}},
     .probes = {{"i", "A", "current from n+ through it to n- (NaN for I= with a ddt() outside any function)"}},
     // State arguments read other nodes than the terminals (what a shorted port is checked for).
     .example = "B1 a b I={1m*v(a,b) + 2m*v(c)*v(a)^2 + 0.5*i(vc) + 1k*time*v(b) + 1n*ddt(v(a)*v(c)) "
                "- ddt(2p*v(b))/3 + 1m*v(b)*ddt(v(c)^2) + 1m*idt(v(c)*v(d), 0.5)*v(b) + 2m*delay(v(c)*v(d), 1u)}\nVC c 0 dc 0\nRD d 0 1k\n"});

}  // namespace ns
