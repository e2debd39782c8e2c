// XSPICE hyst: a buffer with hysteresis. Two ramps from out_lower_limit to out_upper_limit:
// the rising one from in_low + hyst to in_high + hyst, the falling one from in_low - hyst to
// in_high - hyst, corners rounded over input_domain (times in_high - in_low with
// fraction=true). The output follows the rising ramp until an accepted point's input has
// passed in_high + hyst, then the falling ramp until one has passed below in_low - hyst:
// an input that turns back half way keeps its ramp (ngspice 39, measured on a pwl input
// that rises to 1, falls to 0.5 and rises to 0.75: the falling ramp throughout). At the
// switching points both ramps are at the same limit, so the output does not jump.
#include <fmt/format.h>

#include "xspice.hpp"

namespace ns::xspice {
namespace {

using Dir = ConnectionSpec::Dir;

constexpr Param<HystCurve> hyst_params[] = {
    {"in_low", &HystCurve::in_low, 0, -inf, inf, "", "input of the lower corner, before hyst"},
    {"in_high", &HystCurve::in_high, 1, -inf, inf, "", "input of the upper corner, before hyst"},
    {"hyst", &HystCurve::hyst, 0.1, 0, inf, "", "shift of the rising ramp up and the falling ramp down"},
    {"out_lower_limit", &HystCurve::lo, 0, -inf, inf, "", "output below the ramp"},
    {"out_upper_limit", &HystCurve::hi, 1, -inf, inf, "", "output above the ramp"},
    {"input_domain", &HystCurve::domain, 0.01, 0, inf, "", "half-width of the rounded corners"},
    {"fraction", &HystCurve::fraction, 1, 0, 1, "", "1: input_domain is relative to in_high - in_low"},
};

class Hyst final : public CodeModel {
public:
  explicit Hyst(const DeviceInput& in)
      : CodeModel(in, {{"in"}, {"out", Dir::Out, "v", false, "v vd i id"}}), p_(code_params(hyst_params, in, {})) {
    p_.check(in);
  }

  void start_transient(double, double tstop) override {
    tstop_ = tstop;
    p_.falling = false;
  }
  // Positive, so that the transient gives it its accepted points; the run's length, so
  // that it bounds no step.
  double delay() const override { return tstop_ > 0 ? tstop_ : 1.0; }
  void accept(const Eval& e) override { p_.accept(input(e, 0)); }

  void compute(const Eval&, std::span<const double> in, std::span<const double>, Work& w) const override {
    w.y[0] = p_(in[0], w.dy_din[0]);
  }

private:
  HystCurve p_;
  double tstop_ = 0;
};

}  // namespace

void HystCurve::check(const DeviceInput& in) const {
  const Location& where = in.model ? in.model->where : in.element.where;
  const std::string name = in.model ? in.model->name : in.element.name;
  if (in_high <= in_low)
    throw InputError(where, fmt::format("'{}': in_high ({:g}) must exceed in_low ({:g})", name, in_high, in_low));
  if (hi <= lo)
    throw InputError(where, fmt::format("'{}': out_upper_limit ({:g}) must exceed out_lower_limit ({:g})", name, hi, lo));
}

void HystCurve::accept(double x) {
  if (x > in_high + hyst) falling = true;
  else if (x < in_low - hyst) falling = false;
}

double HystCurve::operator()(double x, double& dy) const {
  const double shift = falling ? -hyst : hyst;
  const double slope = (hi - lo) / (in_high - in_low);
  const double d = fraction ? domain * (in_high - in_low) : domain;
  const double y = smooth_limit(lo + slope * (x - in_low - shift), lo, hi, d * slope, dy);
  dy *= slope;
  return y;
}

const bool hyst_registered = register_model<Hyst>(
    {.type = "hyst",
     .summary = "XSPICE hyst: a ramp from out_lower_limit to out_upper_limit, shifted by +hyst while rising "
                "and -hyst while falling",
     .terminals = {"in", "out"},
     .example = "A1 a b h\n.model h hyst(in_low=0.2 in_high=0.8 hyst=0.1 out_lower_limit=0 out_upper_limit=1)\n",
     .element = 'a'},
    hyst_params);

}  // namespace ns::xspice
