// tc1/tc2 from 27 C to the instance's temperature (temp=, or the circuit's plus dtemp=) and
// m parallel copies (l / m), as ngspice's inductor instance parameters.
#include <cmath>

#include "circuit/constants.hpp"
#include "circuit/lumped.hpp"
#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct InductorParams {
  double l, ic, tc1, tc2, temp, dtemp, m;
};

using P = InductorParams;
const Param<P> inductor_params[] = {
    {"l", &P::l, 0, -inf, inf, "H", "inductance (negative too, as ngspice takes it)", Scope::Instance, true},
    {"ic", &P::ic, 0, -inf, inf, "A", "initial current (uic)", Scope::Instance},
    {"tc1", &P::tc1, 0, -inf, inf, "1/K", "first-order temperature coefficient", Scope::Instance},
    {"tc2", &P::tc2, 0, -inf, inf, "1/K^2", "second-order temperature coefficient", Scope::Instance},
    {"temp", &P::temp, std::nan(""), -273.15, inf, "C", "instance temperature", Scope::Instance},
    {"dtemp", &P::dtemp, 0, -inf, inf, "K", "instance temperature above the circuit's", Scope::Instance},
    {"m", &P::m, 1, above(0), inf, "", "parallel multiplier", Scope::Instance},
};

// The branch current i is an unknown; its row is v(a) - v(b) - d/dt(L i) = 0, written
// as f = v(a) - v(b), q = -L i. At DC it is a short.
class Inductor final : public Device {
public:
  explicit Inductor(const DeviceInput& in) : Device(in.element.name, in.element.where) {
    p_ = resolve<InductorParams>(inductor_params, in);
  }

  void setup(Setup& s) override {
    a_ = s.terminal(0);
    b_ = s.terminal(1);
    i_ = s.branch();
    const double celsius = std::isnan(p_.temp) ? s.temperature() - constants::zero_celsius + p_.dtemp
                                               : p_.temp;
    const double dt = celsius - 27;
    p_.l *= (1 + p_.tc1 * dt + p_.tc2 * dt * dt) / p_.m;
    s.inductor(i_, p_.l);
    s.part<LumpedElements>(LumpedElements::kind).inductors.push_back({a_, b_, p_.l});
    grid_.declare(s, {a_, b_, i_});
  }

  void topology(Topology& t) const override { t.voltage_defined(a_, b_); }

  bool linear() const override { return true; }

  void load(const Eval& e, Load& l) const override {
    const double i = e.v(i_);
    l.f(a_, i);
    l.f(b_, -i);
    l.f(i_, e.v(a_) - e.v(b_));
    l.q(i_, -p_.l * i);
    grid_.branch(l, 0, 1, 2);
    grid_.add(l, 2, 2, -p_.l, true);
  }

  void initial_condition(std::span<double> x) const override { x[i_] = p_.ic; }  // uic

private:
  InductorParams p_;
  Unknown a_ = ground, b_ = ground, i_ = ground;
  EntryGrid<3> grid_;
};

}  // namespace

const bool registered = register_model<Inductor>(
    {.type = "l",
     .summary = "inductor: v(a) - v(b) = l di/dt, its current an unknown",
     .terminals = {"a", "b"},
     .positional = {"l"},
     .example = "L1 a b 1u\n"},
    inductor_params);

}  // namespace ns
