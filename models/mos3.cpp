#include <cmath>

#include "mos_common.hpp"

namespace ns {
namespace {

using mos::D3;

struct Mos3Params : mos::Common {
  double vmax, xj, nfs, delta, eta, theta, kappa, xl, wd, xw, delvto;
};

using P = Mos3Params;
constexpr std::array<Param<P>, 11> own_params{{
    {"vmax", &P::vmax, 0, 0, inf, "m/s", "maximum drift velocity (0: none)"},
    {"xj", &P::xj, 0, 0, inf, "m", "metallurgical junction depth"},
    {"nfs", &P::nfs, 0, 0, inf, "1/cm^2", "fast surface state density (weak inversion)"},
    {"delta", &P::delta, 0, 0, inf, "", "width effect on threshold"},
    {"eta", &P::eta, 0, 0, inf, "", "static feedback (drain-induced threshold shift)"},
    {"theta", &P::theta, 0, 0, inf, "1/V", "mobility modulation by the gate"},
    {"kappa", &P::kappa, 0.2, 0, inf, "", "saturation field factor"},
    {"xl", &P::xl, 0, -inf, inf, "m", "length mask adjustment"},
    {"wd", &P::wd, 0, 0, inf, "m", "width narrowing per side"},
    {"xw", &P::xw, 0, -inf, inf, "m", "width mask adjustment"},
    {"delvto", &P::delvto, 0, -inf, inf, "V", "threshold shift"},
}};
constexpr auto mos3_params = mos::join(own_params, mos::common_params<P>());

using Resolved = mos::Resolved<P, mos3_params.size()>;

// SPICE level-3 (semi-empirical short-channel) MOSFET as ngspice's MOS3.
class Mos3 final : public mos::Mosfet {
public:
  Mos3(const DeviceInput& in, int polarity) : Mos3(in, polarity, Resolved(mos3_params, in)) {}

private:
  Mos3(const DeviceInput& in, int polarity, const Resolved& r) : Mosfet(in, polarity, r.p, r, true), p_(r.p) {
    set_geometry(p_.l + p_.xl - 2 * p_.ld, p_.w + p_.xw - 2 * p_.wd);
    c_.vto += p_.delvto;  // on the given or the derived vto
    narrow_ = p_.delta * 0.5 * constants::pi * mos::eps_si / cox_;
  }

  mos::Strong strong(double vgs_, double vds_, double vbs_) const override;

  P p_;
  double narrow_ = 0;
};

mos::Strong Mos3::strong(double vgs_, double vds_, double vbs_) const {
  const D3 vgs = D3::variable(vgs_, 0), vds = D3::variable(vds_, 1), vbs = D3::variable(vbs_, 2);
  const double phi = phi_t_;
  const double beta0 = kp_t_ * weff_ / leff_;
  const double eta = p_.eta * 8.15e-22 / (cox_ * leff_ * leff_ * leff_);
  // sqrt(phi - vbs), continued for vbs > 0 by a form that stays positive.
  D3 sqphbs, phibs;
  if (vbs_ <= 0) {
    phibs = phi - vbs;
    sqphbs = sqrt(phibs);
  } else {
    const double sqphis = std::sqrt(phi);
    sqphbs = sqphis / (1 + vbs / (2 * phi));
    phibs = sqphbs * sqphbs;
  }
  // Short-channel factor of the body charge (junction depth against the depletion width).
  D3 fshort{1};
  if (p_.xj != 0 && xd_ != 0) {
    constexpr double coeff0 = 0.0631353, coeff1 = 0.8013292, coeff2 = -0.01110777;
    const D3 wps = xd_ * sqphbs;
    const D3 wponxj = wps / D3{p_.xj};
    const D3 wconxj = coeff0 + coeff1 * wponxj + coeff2 * wponxj * wponxj;
    const double djonxj = p_.ld / p_.xj;
    const D3 arga = wconxj + djonxj;
    const D3 argc = wponxj / (1 + wponxj);
    const D3 argb = sqrt(1 - argc * argc);
    fshort = 1 - (p_.xj / leff_) * (arga * argb - djonxj);
  }
  const D3 gammas = c_.gamma * fshort;
  const D3 fbodys = 0.5 * gammas / (2 * sqphbs);
  const D3 fbody = fbodys + narrow_ / weff_;
  const D3 qbonco = gammas * sqphbs + narrow_ * phibs / weff_;
  const D3 vth = type_ * vbi_ - eta * vds + qbonco;
  D3 von = vth, xn{1};
  if (p_.nfs != 0) {
    const double csonco = constants::charge * p_.nfs * 1e4 / cox_;
    const D3 cdonco = qbonco / (2 * phibs);
    xn = 1 + csonco + cdonco;
    von = vth + vt_ * xn;
  } else if (vgs_ <= von.v) {
    return {D3{}, von.v, 0};
  }
  const D3 vgsx = mos::max(vgs, von);
  // Mobility modulation by the gate field.
  const D3 onfg = 1 + p_.theta * (vgsx - vth);
  const D3 fgate = 1 / onfg;
  const D3 us = u0_t_ * 1e-4 * fgate;
  // Saturation voltage, with velocity saturation when vmax is given.
  D3 vdsat = (vgsx - vth) / (1 + fbody), vdsc{};
  if (p_.vmax > 0) {
    vdsc = leff_ * p_.vmax / us;
    const D3 arga = (vgsx - vth) / (1 + fbody);
    const D3 argb = sqrt(arga * arga + vdsc * vdsc);
    vdsat = arga + vdsc - argb;
  }
  const D3 vdsx = mos::min(vds, vdsat);
  if (vdsx.v == 0) return {D3{}, von.v, vdsat.v};
  const D3 cdo = vgsx - vth - 0.5 * (1 + fbody) * vdsx;
  D3 id = beta0 * fgate * cdo * vdsx;
  D3 fdrain{1};
  if (p_.vmax > 0) {
    fdrain = 1 / (1 + vdsx / vdsc);
    id = id * fdrain;
  }
  // Channel-length modulation: the pinched-off length delxl.
  const double alpha = xd_ * xd_;
  D3 delxl{};
  bool shortened = false;
  if (vds_ <= vdsat.v) {
    if (p_.vmax <= 0 && alpha != 0) {
      // Below saturation: a smooth start, (vds/vdsat)^4 of the value at vdsat.
      const D3 r = vds / vdsat;
      const D3 r2 = r * r;
      delxl = sqrt(p_.kappa * alpha * vdsat / 8) * r2 * r2;
      shortened = true;
    }
  } else if (p_.vmax <= 0) {
    if (alpha != 0) delxl = sqrt(p_.kappa * alpha * (vds - vdsat + vdsat / 8));
    shortened = alpha != 0;
  } else if (alpha != 0) {
    // The saturation field from the current's slope at vdsat.
    const D3 gdsat = mos::max(id * (1 - fdrain) / vdsc, 1e-12);
    const D3 emax = p_.kappa * id / (leff_ * gdsat);
    const D3 arga = 0.5 * emax * alpha;
    const double argc = p_.kappa * alpha;
    delxl = sqrt(arga * arga + argc * (vds - vdsat)) - arga;
    shortened = true;
  }
  if (shortened) {
    if (delxl.v > 0.5 * leff_) delxl = leff_ - leff_ * leff_ / (4 * delxl);  // punch-through
    id = id / (1 - delxl / leff_);
  }
  // Weak inversion: exponential below von.
  if (vgs_ < von.v) id = id * exp((vgs - von) / (vt_ * xn));
  return {id, von.v, vdsat.v};
}

}  // namespace

const bool mos3_registered = mos::register_level<Mos3>(
    "nmos level=3", "pmos level=3", "n-channel MOSFET, SPICE level 3 (semi-empirical, as ngspice)",
    "p-channel MOSFET, SPICE level 3 (semi-empirical, as ngspice)",
    "M1 d g s b mn w=10u l=2u\n.model mn nmos level=3 vto=0.7 kp=100u gamma=0.4 nsub=1e16 xj=0.2u "
    "vmax=1e5 theta=0.05 eta=0.1 nfs=1e11 ld=0.1u rd=10 rs=10 cbd=1f cbs=2f cgso=1n cgdo=1n cgbo=1n\n",
    "M1 d g s b mp w=10u l=2u\n.model mp pmos level=3 vto=-0.7 kp=50u gamma=0.4 nsub=1e16 xj=0.2u "
    "theta=0.05 eta=0.1 ld=0.1u rd=10 rs=10 cbd=1f cbs=2f cgso=1n cgdo=1n cgbo=1n\n",
    mos3_params);

}  // namespace ns
