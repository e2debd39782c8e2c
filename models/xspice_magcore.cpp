// XSPICE core: a magnetic core between the two nodes of its port, whose voltage is a
// magnetomotive force and whose current is the flux (lcouple's windings drive it).
//   mode=1 (pwl): H = mmf / length, B the pwl curve (H_array, B_array), rounded as pwl's
//     corners are; flux = B area.
//   mode=2 (hysteresis): flux = hyst's curve of the mmf itself (in_low, in_high, hyst,
//     out_lower_limit, out_upper_limit, input_domain, fraction), its branch switched at
//     accepted points as hyst's is; ngspice 39 applies neither length nor area there, and
//     neither does this (measured: tests/sim/xspice_more_test.cpp).
#include <optional>

#include "xspice.hpp"

namespace ns::xspice {
namespace {

using Dir = ConnectionSpec::Dir;

struct CoreP {
  double mode, area, length;
  double domain, fraction;        // both modes
  double in_low, in_high, hyst, lo, hi;  // mode 2
};
constexpr Param<CoreP> core_params[] = {
    {"mode", &CoreP::mode, 1, 1, 2, "", "1: the pwl curve H_array, B_array; 2: hysteresis"},
    {"area", &CoreP::area, 1, above(0), inf, "m^2", "cross-section (mode 1)"},
    {"length", &CoreP::length, 1, above(0), inf, "m", "effective length (mode 1)"},
    {"input_domain", &CoreP::domain, 0.01, 0, inf, "", "half-width of the rounded corners"},
    {"fraction", &CoreP::fraction, 1, 0, 1, "", "1: input_domain is relative (pwl: narrower segment; hyst: in_high - in_low)"},
    {"in_low", &CoreP::in_low, 0, -inf, inf, "", "mode 2: mmf of the lower corner, before hyst"},
    {"in_high", &CoreP::in_high, 1, -inf, inf, "", "mode 2: mmf of the upper corner, before hyst"},
    {"hyst", &CoreP::hyst, 0.1, 0, inf, "", "mode 2: shift of the rising curve up and the falling one down"},
    {"out_lower_limit", &CoreP::lo, 0, -inf, inf, "", "mode 2: flux below the ramp"},
    {"out_upper_limit", &CoreP::hi, 1, -inf, inf, "", "mode 2: flux above the ramp"},
};

class Core final : public CodeModel {
public:
  explicit Core(const DeviceInput& in)
      : CodeModel(in, {{"mc", Dir::InOut, "gd", false, "gd g"}}), p_(code_params(core_params, in, {"h_array", "b_array"})) {
    if (p_.mode == 1) {
      pwl_.emplace(in, "h_array", "b_array", p_.domain, p_.fraction != 0);
    } else if (p_.mode == 2) {
      hyst_ = HystCurve{p_.in_low, p_.in_high, p_.hyst, p_.lo, p_.hi, p_.domain, p_.fraction};
      hyst_.check(in);
    } else {
      throw InputError(in.model ? in.model->where : in.element.where,
                       "core's mode is 1 (pwl) or 2 (hysteresis)");
    }
  }

  void start_transient(double, double tstop) override {
    tstop_ = tstop;
    hyst_.falling = false;
  }
  // In mode 2, positive, so that the transient gives it its accepted points (as hyst).
  double delay() const override { return pwl_ ? 0 : tstop_ > 0 ? tstop_ : 1.0; }
  void accept(const Eval& e) override {
    if (!pwl_) hyst_.accept(input(e, 0));
  }

  void compute(const Eval&, std::span<const double> in, std::span<const double>, Work& w) const override {
    if (!pwl_) {
      w.y[0] = hyst_(in[0], w.dy_din[0]);
      return;
    }
    double db = 0;
    w.y[0] = p_.area * (*pwl_)(in[0] / p_.length, db);
    w.dy_din[0] = p_.area * db / p_.length;
  }

private:
  CoreP p_;
  std::optional<PwlCurve> pwl_;
  HystCurve hyst_;
  double tstop_ = 0;
};

}  // namespace

const bool core_registered = register_model<Core>(
    {.type = "core",
     .summary = "XSPICE core: flux current from mmf voltage; mode=1 area B(mmf / length) on the pwl curve "
                "(H_array, B_array), mode=2 hysteresis",
     .terminals = {"mc+", "mc-"},
     .example = "A1 a b c\n.model c core(H_array=[-2 -1 1 2] B_array=[-3 -1 1 1.5] area=2 length=0.5 input_domain=0.1)\n",
     .element = 'a'},
    core_params);

}  // namespace ns::xspice
