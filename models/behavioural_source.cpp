// The behavioural source: B (V=expr, I=expr) and E/G with VALUE=expr. Its value is an
// expression of node voltages, branch currents and time, compiled once (expr/program.hpp)
// and run with forward-mode derivatives, so its Jacobian row is exact.
#include <array>
#include <cmath>

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
    x_.resize(b_->inputs.size());
  }

  void setup(Setup& s) override {
    p_ = s.terminal(0);
    n_ = s.terminal(1);
    if (b_->voltage) i_ = s.branch();
    const auto inputs = b_->program->inputs();
    for (std::size_t k = 0; k < inputs.size(); ++k) {
      switch (inputs[k].kind) {
        case ProgramInput::Kind::Voltage: reads_.push_back(s.node(b_->inputs[k], b_->input_where[k])); break;
        case ProgramInput::Kind::Current: reads_.push_back(s.branch_of(b_->inputs[k], b_->input_where[k])); break;
        case ProgramInput::Kind::Time: reads_.push_back(time); break;
      }
    }
    if (b_->voltage) {
      branch_ = {s.entry(p_, i_), s.entry(n_, i_), s.entry(i_, p_), s.entry(i_, n_)};
      for (Unknown u : reads_) rows_.push_back({s.entry(i_, u), no_entry});
    } else {
      for (Unknown u : reads_) rows_.push_back({s.entry(p_, u), s.entry(n_, u)});
    }
  }

  void topology(Topology& t) const override {
    if (b_->voltage) {
      t.voltage_defined(p_, n_);
      return;
    }
    // A current that depends on its own terminals' voltages conducts between them (a
    // behavioural resistor or memristor); any other is a source, with no DC path.
    for (Unknown u : reads_)
      if (u != time && u != ground && (u == p_ || u == n_)) t.conducts(p_, n_);
  }

  void load(const Eval& e, Load& l) const override {
    for (std::size_t k = 0; k < reads_.size(); ++k) x_[k] = reads_[k] == time ? e.time : e.v(reads_[k]);
    const double value = b_->program->run(x_, work_);
    const auto grad = work_.gradient();
    if (b_->voltage) {
      const double i = e.v(i_);
      l.f(p_, i);
      l.f(n_, -i);
      l.f(i_, e.v(p_) - e.v(n_) - value);
      l.G(branch_[0], 1);
      l.G(branch_[1], -1);
      l.G(branch_[2], 1);
      l.G(branch_[3], -1);
      for (std::size_t k = 0; k < reads_.size(); ++k) l.G(rows_[k][0], -grad[k]);
    } else {
      l.f(p_, value);
      l.f(n_, -value);
      for (std::size_t k = 0; k < reads_.size(); ++k) {
        l.G(rows_[k][0], grad[k]);
        l.G(rows_[k][1], -grad[k]);
      }
    }
  }

private:
  static constexpr Unknown time = -2;  // an input that is not an unknown: its column is never declared
  std::shared_ptr<const Behaviour> b_;
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
     .example = "B1 a b I={1m*v(a,b) + 2m*v(c)*v(a)^2 + 0.5*i(vc) + 1k*time*v(b)}\nVC c 0 dc 0\n"});

}  // namespace ns
