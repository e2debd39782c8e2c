#include <cmath>
#include <complex>

#include "mos_common.hpp"

namespace ns {
namespace {

using mos::D3;

struct Mos2Params : mos::Common {
  double lambda, delta, uexp, ucrit, vmax, xj, neff, nfs;
};

using P = Mos2Params;
constexpr std::array<Param<P>, 8> own_params{{
    {"lambda", &P::lambda, 0, 0, 10, "1/V", "channel-length modulation (from nsub when not given)"},
    {"delta", &P::delta, 0, 0, inf, "", "width effect on threshold"},
    {"uexp", &P::uexp, 0, 0, inf, "", "critical-field mobility exponent"},
    {"ucrit", &P::ucrit, 1e4, above(0), inf, "V/cm", "critical field of mobility degradation"},
    {"vmax", &P::vmax, 0, 0, inf, "m/s", "maximum drift velocity (0: none)"},
    {"xj", &P::xj, 0, 0, inf, "m", "metallurgical junction depth"},
    {"neff", &P::neff, 1, above(0), inf, "", "total channel charge coefficient"},
    {"nfs", &P::nfs, 0, 0, inf, "1/cm^2", "fast surface state density (weak inversion)"},
}};
constexpr auto mos2_params = mos::join(own_params, mos::common_params<P>());

using Resolved = mos::Resolved<P, mos2_params.size()>;

// SPICE level-2 (Grove-Frohman, analytical) MOSFET as ngspice's MOS2.
class Mos2 final : public mos::Mosfet {
public:
  Mos2(const DeviceInput& in, int polarity) : Mos2(in, polarity, Resolved(mos2_params, in)) {}

private:
  Mos2(const DeviceInput& in, int polarity, const Resolved& r) : Mosfet(in, polarity, r.p, r, false), p_(r.p) {
    set_geometry(p_.l - 2 * p_.ld, p_.w);
  }

  mos::Strong strong(double vgs_, double vds_, double vbs_) const override;
  D3 baum_vdsat(const D3& gammad, const D3& v1, const D3& phi_vbs, const D3& sarg3, const D3& ueff,
                const D3& vdsat) const;

  P p_;
};

// sqrt(phi - v) for a bulk-to-channel voltage v, continued for v > 0 by a form that stays
// positive; and its derivative with respect to v.
struct Root {
  D3 value, slope;
};
Root root(const D3& v, double phi) {
  if (v.v <= 0) {
    const D3 r = sqrt(phi - v);
    return {r, -0.5 / r};
  }
  const double sphi = std::sqrt(phi);
  const D3 r = sphi / (1 + 0.5 * v / phi);
  return {r, -0.5 * r * r / (phi * sphi)};
}

// Baum's saturation voltage under velocity saturation: the smallest positive root x of a
// quartic, x^2 = vdsat + phi - vbs, solved in closed form (Ferrari) as ngspice does; its
// derivatives from the quartic's own (implicit function). Keeps `vdsat` when no root fits.
D3 Mos2::baum_vdsat(const D3& gammad, const D3& v1, const D3& phi_vbs, const D3& sarg3, const D3& ueff,
                    const D3& vdsat) const {
  const D3 v2 = phi_vbs;
  const D3 xv = p_.vmax * leff_ / ueff;
  const D3 a1 = gammad / 0.75;
  const D3 b1 = -2 * (v1 + xv);
  const D3 c1 = -2 * gammad * xv;
  const D3 d1 = 2 * v1 * (v2 + xv) - v2 * v2 - 4.0 / 3.0 * gammad * sarg3;
  const double a = -b1.v, b = a1.v * c1.v - 4 * d1.v, c = -d1.v * (a1.v * a1.v - 4 * b1.v) - c1.v * c1.v;
  const double r = -a * a / 3 + b, s = 2 * a * a * a / 27 - a * b / 3 + c;
  const double p = s * s / 4 + r * r * r / 27;
  double y3;
  if (p < 0) {
    const double ro = std::cbrt(std::sqrt(s * s / 4 - p));
    const double fi = std::atan(-2 * std::sqrt(-p) / s);
    y3 = 2 * ro * std::cos(fi / 3) - a / 3;
  } else {
    const double p2 = std::sqrt(p);
    y3 = std::cbrt(std::abs(-s / 2 + p2)) + std::cbrt(std::abs(-s / 2 - p2)) - a / 3;
  }
  const double a3 = std::sqrt(a1.v * a1.v / 4 - b1.v + y3), b3 = std::sqrt(y3 * y3 / 4 - d1.v);
  const double sig1[4] = {1, -1, 1, -1}, sig2[4] = {1, 1, -1, -1};
  bool found = false;
  double xvalid = 0;
  for (int i = 0; i < 4; ++i) {
    const double a4 = a1.v / 2 + sig1[i] * a3, b4 = y3 / 2 + sig2[i] * b3;
    const double delta4 = a4 * a4 / 4 - b4;
    if (delta4 < 0) continue;
    for (double x : {-a4 / 2 + std::sqrt(delta4), -a4 / 2 - std::sqrt(delta4)}) {
      if (x <= 0) continue;
      const double poly = (((x + a1.v) * x + b1.v) * x + c1.v) * x + d1.v;
      if (std::abs(poly) > 1e-6) continue;
      if (!found || x < xvalid) xvalid = x;
      found = true;
    }
  }
  if (!found) return vdsat;
  const double x = xvalid;
  const double slope = ((4 * x + 3 * a1.v) * x + 2 * b1.v) * x + c1.v;
  D3 xd{x};
  for (std::size_t k = 0; k < 3; ++k)
    xd.d[k] = -(x * x * x * a1.d[k] + x * x * b1.d[k] + x * c1.d[k] + d1.d[k]) / slope;
  return xd * xd - phi_vbs;
}

mos::Strong Mos2::strong(double vgs_, double vds_, double vbs_) const {
  const D3 vgs = D3::variable(vgs_, 0), vds = D3::variable(vds_, 1), vbs = D3::variable(vbs_, 2);
  const double phi = phi_t_;
  const double beta = kp_t_ * p_.w / leff_;
  const double oxide_cap = cox_ * leff_ * p_.w;
  const D3 phi_vbs = phi - vbs;
  const Root s = root(vbs, phi), bd = root(vbs - vds, phi);
  const D3 sarg = s.value, dsrgdb = s.slope;
  D3 barg = bd.value;
  // Narrow-width effect on the threshold.
  const double factor = 0.125 * p_.delta * 2 * constants::pi * mos::eps_si / oxide_cap * leff_;
  const double eta = 1 + factor;
  const D3 vbin = type_ * vbi_ + factor * phi_vbs;
  // Short-channel reduction of the body effect (junction depth against depletion widths).
  D3 gamasd{c_.gamma}, dgddvb{};
  if ((c_.gamma > 0 || c_.nsub > 0) && p_.xj > 0) {
    const D3 args = sqrt(1 + 2 * xd_ * sarg / p_.xj), argd = sqrt(1 + 2 * xd_ * barg / p_.xj);
    const double tmp = 0.5 * p_.xj / leff_;
    gamasd = c_.gamma * (1 - tmp * (args - 1) - tmp * (argd - 1));
    dgddvb = -c_.gamma * (0.5 / leff_) * (xd_ * dsrgdb / args + xd_ * bd.slope / argd);
  }
  D3 von = vbin + gamasd * sarg;
  D3 xn{1};
  if (p_.nfs != 0) {
    const double cfs = constants::charge * p_.nfs * 1e4;
    const D3 cdonco = -(gamasd * dsrgdb + dgddvb * sarg) + factor;
    xn = 1 + cfs / oxide_cap * p_.w * leff_ + cdonco;
    von = von + vt_ * xn;
  } else if (vgs_ <= von.v) {
    return {D3{}, von.v, 0};
  }
  const D3 sarg3 = sarg * sarg * sarg;
  D3 body = barg * barg * barg - sarg3;
  // Mobility degradation beyond the critical field.
  const D3 vgst = vgs - von;
  const double ucrit = p_.ucrit * 100 * mos::eps_si / cox_;
  D3 ufact{1};
  if (vgst.v > ucrit) ufact = exp(p_.uexp * log(ucrit / vgst));
  const D3 ueff = c_.u0 * 1e-4 * ufact;
  // Saturation voltage (Grove-Frohman), or Baum's with velocity saturation.
  const D3 vgsx = p_.nfs != 0 ? mos::max(vgs, von) : vgs;
  D3 gammad = gamasd / eta;
  D3 vdsat{};
  if (gammad.v > 0) {
    const D3 argv = (vgsx - vbin) / eta + phi_vbs;
    if (argv.v > 0) {
      const D3 arg = sqrt(1 + 4 * argv / (gammad * gammad));
      vdsat = mos::max((vgsx - vbin) / eta + gammad * gammad * (1 - arg) / 2, 0.0);
    }
  } else {
    vdsat = mos::max((vgsx - vbin) / eta, 0.0);
  }
  if (p_.vmax > 0) vdsat = baum_vdsat(gammad, (vgsx - vbin) / eta + phi_vbs, phi_vbs, sarg3, ueff, vdsat);
  // Channel-length modulation: dl = lambda vds leff, lambda from nsub when not given.
  const Root bs = root(vbs - vdsat, phi);
  const D3 bsarg = bs.value;
  const D3 bodys = bsarg * bsarg * bsarg - sarg3;
  D3 lvds = p_.lambda * vds;  // lambda * vds
  if (vds_ != 0 && c_.nsub != 0 && p_.lambda <= 0) {
    if (p_.vmax <= 0) {
      const D3 argv = (vds - vdsat) / 4;
      lvds = xd_ / leff_ * sqrt(argv + sqrt(1 + argv * argv));
    } else {
      const double xdv = xd_ / std::sqrt(p_.neff);
      const D3 xlv = p_.vmax * xdv / (2 * ueff);
      const D3 argv = mos::max(vds - vdsat, 0.0);
      lvds = xdv / leff_ * (sqrt(xlv * xlv + argv) - xlv);
    }
  }
  // Punch-through: the channel no shorter than the depletion width xwb.
  const double xwb = c_.nsub != 0 ? xd_ * std::sqrt(pb_t_) : 0.25e-6;
  const double xld = leff_ - xd_ * std::sqrt(pb_t_);
  D3 clfact = 1 - lvds;
  if (leff_ * clfact.v < xwb) clfact = xwb / (1 + (lvds * leff_ - xld) / xwb) / leff_;
  const D3 beta1 = beta * ufact / clfact;
  gammad = gamasd;
  if (vds_ <= 1e-10) {  // no current, only its slope
    D3 id{};
    const D3 g = vgs_ <= von.v ? beta1 * (von - vbin - gammad * sarg) * exp((vgs - von) / (vt_ * xn))
                               : beta1 * (vgs - vbin - gammad * sarg);
    if (vgs_ > von.v || p_.nfs != 0) id.d[1] = g.v;
    return {id, von.v, vdsat.v};
  }
  if (vgs_ > von.v) {
    if (vds_ <= vdsat.v) return {beta1 * ((vgs - vbin - eta * vds / 2) * vds - gammad * body / 1.5), von.v, vdsat.v};
    return {beta1 * ((vgs - vbin - eta * vdsat / 2) * vdsat - gammad * bodys / 1.5), von.v, vdsat.v};
  }
  // Weak inversion: the current at von, falling exponentially below it.
  if (vdsat.v <= 0) return {D3{}, von.v, vdsat.v};
  const D3 vdson = mos::min(vdsat, vds);
  if (vds_ > vdsat.v) body = bodys;
  const D3 cdson = beta1 * ((von - vbin - eta * vdson * 0.5) * vdson - gammad * body / 1.5);
  return {cdson * exp((vgs - von) / (vt_ * xn)), von.v, vdsat.v};
}

}  // namespace

const bool mos2_registered = mos::register_level<Mos2>(
    "nmos level=2", "pmos level=2", "n-channel MOSFET, SPICE level 2 (Grove-Frohman, as ngspice)",
    "p-channel MOSFET, SPICE level 2 (Grove-Frohman, as ngspice)",
    "M1 d g s b mn w=10u l=2u\n.model mn nmos level=2 vto=0.7 kp=100u gamma=0.4 nsub=1e16 xj=0.2u "
    "ucrit=1e4 uexp=0.1 nfs=1e11 delta=0.5 ld=0.1u rd=10 rs=10 cbd=1f cbs=2f cgso=1n cgdo=1n cgbo=1n\n",
    "M1 d g s b mp w=10u l=2u\n.model mp pmos level=2 vto=-0.7 kp=50u gamma=0.4 nsub=1e16 lambda=0.02 "
    "vmax=5e4 ld=0.1u rd=10 rs=10 cbd=1f cbs=2f cgso=1n cgdo=1n cgbo=1n\n",
    mos2_params);

}  // namespace ns
