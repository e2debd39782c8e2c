// XSPICE pwlts: a piecewise-linear function of time, the pwl code model's curve
// (x_array the times, y_array the values; corners rounded over input_domain, times the
// narrower segment with fraction=true) with time as its input. Before the first and after
// the last point it follows the end segments' slopes, or with limit=true keeps the end
// values, its end corners rounded as the others (ngspice 39, measured:
// tests/sim/ngspice_deck_forms.cpp). Each corner's ends are breakpoints of a transient.
#include "xspice.hpp"

namespace ns::xspice {
namespace {

struct PwltsP {
  double domain, fraction, limit;
};
constexpr Param<PwltsP> pwlts_params[] = {
    {"input_domain", &PwltsP::domain, 0.01, 0, inf, "s", "half-width of the rounded corners"},
    {"fraction", &PwltsP::fraction, 1, 0, 1, "", "1: input_domain is relative to the narrower segment"},
    {"limit", &PwltsP::limit, 0, 0, 1, "", "1: the end values held outside x_array; 0: the end slopes"},
};

class Pwlts final : public CodeModel {
public:
  explicit Pwlts(const DeviceInput& in)
      : CodeModel(in, {{"out", ConnectionSpec::Dir::Out, "v", false, "v vd i id"}}),
        p_(code_params(pwlts_params, in, {"x_array", "y_array"})),
        curve_(in, "x_array", "y_array", p_.domain, p_.fraction != 0, p_.limit != 0), bends_(curve_.bends()) {}
  void compute(const Eval& e, std::span<const double>, std::span<const double>, Work& w) const override {
    double dy = 0;
    w.y[0] = curve_(e.time, dy);
  }
  void breakpoints(double from, double to, std::vector<double>& out) const override {
    for (double t : bends_)
      if (t > from && t <= to) out.push_back(t);
  }

private:
  PwltsP p_;
  PwlCurve curve_;
  std::vector<double> bends_;
};

const bool pwlts_registered = register_model<Pwlts>(
    {.type = "pwlts", .summary = "XSPICE pwlts: out = the piecewise-linear curve x_array (times), y_array at the present time",
     .terminals = {"out"},
     .example = "A1 a p\n.model p pwlts(x_array=[0 1m 2m] y_array=[0 1 0.5] input_domain=0.1)\n", .element = 'a'},
    pwlts_params);

}  // namespace
}  // namespace ns::xspice
