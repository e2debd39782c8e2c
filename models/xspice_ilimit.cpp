// XSPICE ilimit: an op-amp output stage at a high level. From the manual's description:
//   veq = gain (in + in_offset), held between the rails v(neg_pwr) and v(pos_pwr) with
//     corners rounded over +-v_pwr_range (ngspice 39's rounding, measured: the same);
//   the output current i = (veq - v(out)) / r_out flows out of `out`, r_out being
//     r_out_source when veq - v(out) > r_out_domain, r_out_sink below -r_out_domain, and
//     eased between (smoothstep);
//   i is limited to [-i_limit_sink, i_limit_source], corners rounded over
//     +-i_source_range and +-i_sink_range;
//   a sourced current enters by pos_pwr, a sunk one leaves by neg_pwr, the split rounded
//     over +-i_source_range about i = 0, so that the three pins' currents sum to 0.
// ngspice's own rounding of the current limit and of the split is not smooth (its output
// current falls back below the limit just past it, its supply current jumps at twice
// i_source_range); outside those ranges both are the same piecewise-linear map, and the
// tests compare there (tests/sim/xspice_more_test.cpp).
#include <algorithm>
#include <cmath>

#include "xspice.hpp"

namespace ns::xspice {
namespace {

using Dir = ConnectionSpec::Dir;

struct IlimP {
  double in_offset, gain, r_source, r_sink, i_source, i_sink, v_range, i_source_range, i_sink_range, r_domain;
};
constexpr Param<IlimP> ilimit_params[] = {
    {"in_offset", &IlimP::in_offset, 0, -inf, inf, "V", "added to the input"},
    {"gain", &IlimP::gain, 1, -inf, inf, "", "gain"},
    {"r_out_source", &IlimP::r_source, 1, above(0), inf, "Ohm", "output resistance while sourcing"},
    {"r_out_sink", &IlimP::r_sink, 1, above(0), inf, "Ohm", "output resistance while sinking"},
    {"i_limit_source", &IlimP::i_source, 10e-3, above(0), inf, "A", "largest sourced current"},
    {"i_limit_sink", &IlimP::i_sink, 10e-3, above(0), inf, "A", "largest sunk current"},
    {"v_pwr_range", &IlimP::v_range, 1e-6, 0, inf, "V", "half-width of the rounded rail corners"},
    {"i_source_range", &IlimP::i_source_range, 1e-9, 0, inf, "A", "half-width of the rounded source limit and split"},
    {"i_sink_range", &IlimP::i_sink_range, 1e-9, 0, inf, "A", "half-width of the rounded sink limit"},
    {"r_out_domain", &IlimP::r_domain, 1e-9, 0, inf, "V", "half-width of the r_out_source / r_out_sink blend"},
};

// min(x, 0) rounded over +-d: h and h' (in [0, 1]).
double soft_min0(double x, double d, double& dh) {
  if (d <= 0 || x <= -d) return dh = x < 0 ? 1 : 0, std::min(x, 0.0);
  if (x >= d) return dh = 0, 0;
  dh = 1 - (x + d) / (2 * d);
  return x - (x + d) * (x + d) / (4 * d);
}

class Ilimit final : public CodeModel {
public:
  explicit Ilimit(const DeviceInput& in)
      : CodeModel(in, {{"in", Dir::In, "v", false, "v vd i id vnam"},
                       {"pos_pwr", Dir::InOut, "g", false, "g gd"},
                       {"neg_pwr", Dir::InOut, "g", false, "g gd"},
                       {"out", Dir::InOut, "g", false, "g gd"}}),
        p_(code_params(ilimit_params, in, {})) {}

  // inputs: vin, v(pos_pwr), v(neg_pwr), v(out); outputs: the currents into pos_pwr,
  // neg_pwr and out (each from its node through the model to ground).
  void compute(const Eval&, std::span<const double> in, std::span<const double>, Work& w) const override {
    // veq = hi + min(lo + max(u - lo, 0) - hi, 0), each rounded
    const double u = p_.gain * (in[0] + p_.in_offset), hi = in[1], lo = in[2];
    double dk = 0, dh = 0;
    const double above = -soft_min0(lo - u, p_.v_range, dk);  // max(u - lo, 0); d/du = dk
    const double v1 = lo + above;
    const double veq = hi + soft_min0(v1 - hi, p_.v_range, dh);
    // d veq / d (u, hi, lo)
    const double dv_du = dh * dk, dv_dhi = 1 - dh, dv_dlo = dh * (1 - dk);

    // r_out eased from r_sink to r_source over dv in [-domain, domain]
    const double dv = veq - in[3];
    double r = dv > 0 ? p_.r_source : p_.r_sink, dr = 0;
    if (p_.r_domain > 0 && std::abs(dv) < p_.r_domain) {
      const double s = (dv + p_.r_domain) / (2 * p_.r_domain);
      r = p_.r_sink + (p_.r_source - p_.r_sink) * s * s * (3 - 2 * s);
      dr = (p_.r_source - p_.r_sink) * 6 * s * (1 - s) / (2 * p_.r_domain);
    }
    const double i0 = dv / r, di0 = 1 / r - dv * dr / (r * r);  // d i0 / d dv

    // limited: i = L + min(i0 - L, 0) above 0, -Ls - min(-Ls - i0, 0) below
    double dl = 0, i = 0;
    if (i0 >= 0) i = p_.i_source + soft_min0(i0 - p_.i_source, p_.i_source_range, dl);
    else i = -p_.i_sink - soft_min0(-p_.i_sink - i0, p_.i_sink_range, dl);
    const double di_ddv = dl * di0;

    // sourced part: max(i, 0) rounded
    double ds = 0;
    const double src = -soft_min0(-i, p_.i_source_range, ds);  // d src / d i = ds
    const double sink = i - src;

    // d i / d inputs
    const double ddv[4] = {dv_du * p_.gain, dv_dhi, dv_dlo, -1};
    w.y[0] = src;
    w.y[1] = sink;
    w.y[2] = -i;
    for (std::size_t k = 0; k < 4; ++k) {
      const double di = di_ddv * ddv[k];
      w.dy_din[0 * 4 + k] = ds * di;
      w.dy_din[1 * 4 + k] = (1 - ds) * di;
      w.dy_din[2 * 4 + k] = -di;
    }
  }

private:
  IlimP p_;
};

}  // namespace

const bool ilimit_registered = register_model<Ilimit>(
    {.type = "ilimit",
     .summary = "XSPICE ilimit: an output stage: gain (in + in_offset) within the rails, through r_out_source/sink, "
                "current-limited, supplied by the rails",
     .terminals = {"in", "pos_pwr", "neg_pwr", "out"},
     .example = "A1 a p n y il\n.model il ilimit(gain=2 r_out_source=2 r_out_sink=3 i_limit_source=1m i_limit_sink=2m "
                "v_pwr_range=0.1 i_source_range=0.1m i_sink_range=0.1m r_out_domain=0.05)\n",
     .element = 'a'},
    ilimit_params);

}  // namespace ns::xspice
