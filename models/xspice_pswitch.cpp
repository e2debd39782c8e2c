// XSPICE pswitch: a resistance between the out pair set by a control, as aswitch's, but
// with the control always held between cntl_off and cntl_on, and, when log(r) is
// interpolated (log=true, the default), eased in and out: log(r) follows the smooth step
// 3 s^2 - 2 s^3 of the control's fraction s of the way from cntl_off to cntl_on, so that r
// meets r_off and r_on with zero slope. With log=false r is linear in s. (Measured against
// ngspice's pswitch, tests/sim/xspice_files_test.cpp: ngspice takes the same curves.)
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "xspice.hpp"

namespace ns::xspice {
namespace {

using Dir = ConnectionSpec::Dir;

struct PswP {
  double cntl_off, cntl_on, log, r_off, r_on;
};
constexpr Param<PswP> psw_params[] = {
    {"cntl_off", &PswP::cntl_off, 0, -inf, inf, "", "control value of r_off"},
    {"cntl_on", &PswP::cntl_on, 1, -inf, inf, "", "control value of r_on"},
    {"log", &PswP::log, 1, 0, 1, "", "1: log(r) is interpolated (smoothly), 0: r"},
    {"r_off", &PswP::r_off, 1e12, above(0), inf, "Ohm", "off resistance"},
    {"r_on", &PswP::r_on, 1, above(0), inf, "Ohm", "on resistance"},
};

class Pswitch final : public CodeModel {
public:
  // The control is an input pair (written as two nodes, %vd or, as ngspice's examples
  // write it, %gd: its voltage is read, no current drawn).
  explicit Pswitch(const DeviceInput& in)
      : CodeModel(in, {{"cntl_in", Dir::In, "vd", false, "v vd i id vnam g gd"}, {"out", Dir::InOut, "gd", false, "gd g"}}),
        p_(code_params(psw_params, in, {})) {
    if (p_.cntl_on == p_.cntl_off)
      throw InputError(in.model->where, fmt::format("'{}': cntl_on and cntl_off must differ", in.model->name));
  }
  void compute(const Eval&, std::span<const double> in, std::span<const double>, Work& w) const override {
    const double span = p_.cntl_on - p_.cntl_off;
    const double s = (in[0] - p_.cntl_off) / span;
    double r, dr_ds;
    if (s <= 0 || s >= 1) {
      r = s <= 0 ? p_.r_off : p_.r_on;
      dr_ds = 0;
    } else if (p_.log) {
      const double k = std::log(p_.r_on / p_.r_off);
      const double g = s * s * (3 - 2 * s);
      r = p_.r_off * std::exp(k * g);
      dr_ds = r * k * 6 * s * (1 - s);
    } else {
      r = p_.r_off + (p_.r_on - p_.r_off) * s;
      dr_ds = p_.r_on - p_.r_off;
    }
    w.y[0] = in[1] / r;
    w.dy_din[1] = 1 / r;
    w.dy_din[0] = -in[1] / (r * r) * dr_ds / span;
  }

private:
  PswP p_;
};

}  // namespace

const bool pswitch_registered = register_model<Pswitch>(
    {.type = "pswitch",
     .summary = "XSPICE pswitch: resistance between the out pair set by a control held to [cntl_off, cntl_on], log(r) eased",
     .terminals = {"cntl+", "cntl-", "out+", "out-"},
     .example = "A1 a d %gd(b c) s\n.model s pswitch(cntl_off=0.5 cntl_on=2 r_on=10 r_off=1e4)\n", .element = 'a'},
    psw_params);

}  // namespace ns::xspice
