// BSIM3v3.3 MOSFET (ngspice levels 8 and 49), written from the Berkeley BSIM3v3.3 user
// manual's equations: threshold with body, short-channel, narrow-width and DIBL effects,
// the smooth Vgsteff from subthreshold to strong inversion, mobility models 1-3, velocity
// saturation, Abulk, Vdsat and the smooth Vdseff, source/drain resistance inside the
// current (RDSW), and the output resistance from CLM, DIBL and SCBE; parameter binning
// in L, W and L*W (in microns, ngspice's binunit 1); bulk junction diodes with their
// depletion charges; the intrinsic charges of capMod 0 to 3 (3, the charge-thickness
// model, is the default as in ngspice) with the xpart partitions, and the overlap charges
// (cgso/cgdo with the fringe cf, the bias-dependent cgsl/cgdl, cgbo). Current and charges
// are written once on dual numbers of (vgs, vds, vbs), so gm, gds, gmbs and every C are exact.
// Noise (noiMod 1-4): the drain and source resistances' thermal noise, the channel's
// thermal noise (SPICE2's 8kT(gm+gds+gmbs)/3 or BSIM3's charge form) and its flicker noise
// (SPICE2's KF Id^AF / (Cox Leff^2 f^EF) or BSIM3's unified oxide-trap model).
// Not (yet) here: substrate current (alpha0), gate poly depletion (ngate), nqsMod; their
// parameters are accepted and have no effect.
#include <algorithm>
#include <cmath>
#include <string_view>
#include <tuple>

#include <fmt/format.h>

#include "circuit/constants.hpp"
#include "circuit/dual.hpp"
#include "circuit/junction.hpp"
#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {

// Parameters binned in L, W and L*W: each has the variants lNAME, wNAME and pNAME.
#define BSIM3_BINNED(X)                                                                    \
  X(cdsc, 2.4e-4, "F/m^2", "drain/source to channel coupling capacitance")                 \
  X(cdscb, 0, "F/V/m^2", "body-bias dependence of cdsc")                                   \
  X(cdscd, 0, "F/V/m^2", "drain-bias dependence of cdsc")                                  \
  X(cit, 0, "F/m^2", "interface trap capacitance")                                         \
  X(nfactor, 1, "", "subthreshold swing factor")                                           \
  X(xj, 1.5e-7, "m", "junction depth")                                                     \
  X(vsat, 8e4, "m/s", "saturation velocity")                                               \
  X(at, 3.3e4, "m/s", "temperature coefficient of vsat")                                   \
  X(a0, 1, "", "bulk charge effect, channel-length dependence")                            \
  X(ags, 0, "1/V", "gate-bias dependence of Abulk")                                        \
  X(a1, 0, "1/V", "first non-saturation factor")                                           \
  X(a2, 1, "", "second non-saturation factor")                                             \
  X(keta, -0.047, "1/V", "body-bias coefficient of Abulk")                                 \
  X(nsub, 6e16, "1/cm^3", "substrate doping")                                              \
  X(nch, 1.7e17, "1/cm^3", "channel doping")                                               \
  X(ngate, 0, "1/cm^3", "poly gate doping (accepted, no poly depletion here)")            \
  X(gamma1, 0, "V^0.5", "body effect near the surface (0: from nch)")                      \
  X(gamma2, 0, "V^0.5", "body effect in the bulk (0: from nsub)")                          \
  X(vbx, 0, "V", "vbs where the depletion width equals xt (0: computed)")                  \
  X(vbm, -3, "V", "maximum body bias for the threshold")                                   \
  X(xt, 1.55e-7, "m", "doping depth")                                                      \
  X(k1, 0.53, "V^0.5", "first body-effect coefficient")                                    \
  X(kt1, -0.11, "V", "temperature coefficient of the threshold")                           \
  X(kt1l, 0, "V m", "channel-length dependence of kt1")                                    \
  X(kt2, 0.022, "", "body-bias coefficient of kt1")                                        \
  X(k2, -0.0186, "", "second body-effect coefficient")                                     \
  X(k3, 80, "", "narrow-width coefficient")                                                \
  X(k3b, 0, "1/V", "body-bias coefficient of k3")                                          \
  X(w0, 2.5e-6, "m", "narrow-width parameter")                                             \
  X(nlx, 1.74e-7, "m", "lateral non-uniform doping")                                       \
  X(dvt0, 2.2, "", "short-channel effect on the threshold, first coefficient")             \
  X(dvt1, 0.53, "", "short-channel effect on the threshold, second coefficient")           \
  X(dvt2, -0.032, "1/V", "body-bias coefficient of the short-channel effect")              \
  X(dvt0w, 0, "", "narrow-width effect on the threshold at small L, first coefficient")    \
  X(dvt1w, 5.3e6, "1/m", "narrow-width effect at small L, second coefficient")             \
  X(dvt2w, -0.032, "1/V", "body-bias coefficient of the narrow-width effect at small L")   \
  X(drout, 0.56, "", "channel-length dependence of the DIBL output resistance")            \
  X(dsub, 0.56, "", "DIBL exponent in subthreshold (default drout)")                       \
  X(vth0, 0.7, "V", "long-channel threshold at vbs = 0 (pmos default -0.7)")               \
  X(ua, 2.25e-9, "m/V", "first-order mobility degradation")                                \
  X(ua1, 4.31e-9, "m/V", "temperature coefficient of ua")                                  \
  X(ub, 5.87e-19, "(m/V)^2", "second-order mobility degradation")                          \
  X(ub1, -7.61e-18, "(m/V)^2", "temperature coefficient of ub")                            \
  X(uc, -4.65e-11, "m/V^2", "body-effect mobility degradation (mobmod 3: -0.0465 1/V)")    \
  X(uc1, -5.6e-11, "m/V^2", "temperature coefficient of uc (mobmod 3: -0.056 1/V)")        \
  X(u0, 670, "cm^2/V/s", "low-field mobility (pmos default 250; > 1: in cm^2/V/s)")       \
  X(ute, -1.5, "", "temperature exponent of the mobility")                                 \
  X(voff, -0.08, "V", "subthreshold offset")                                               \
  X(delta, 0.01, "V", "Vdseff smoothing")                                                  \
  X(rdsw, 0, "Ohm um^wr", "source+drain resistance per width")                             \
  X(prwg, 0, "1/V", "gate-bias dependence of rds")                                         \
  X(prwb, 0, "1/V^0.5", "body-bias dependence of rds")                                     \
  X(prt, 0, "Ohm um", "temperature coefficient of rdsw")                                   \
  X(eta0, 0.08, "", "DIBL coefficient in subthreshold")                                    \
  X(etab, -0.07, "1/V", "body-bias coefficient of eta0")                                   \
  X(pclm, 1.3, "", "channel-length modulation")                                            \
  X(pdiblc1, 0.39, "", "first DIBL output-resistance coefficient")                         \
  X(pdiblc2, 0.0086, "", "second DIBL output-resistance coefficient")                      \
  X(pdiblcb, 0, "1/V", "body-bias coefficient of the DIBL output resistance")              \
  X(pscbe1, 4.24e8, "V/m", "substrate current induced body effect, exponent")              \
  X(pscbe2, 1e-5, "m/V", "substrate current induced body effect, coefficient")             \
  X(pvag, 0, "", "gate-bias dependence of Early voltage")                                  \
  X(wr, 1, "", "width exponent of rdsw")                                                   \
  X(dwg, 0, "m/V", "gate-bias dependence of Weff")                                         \
  X(dwb, 0, "m/V^0.5", "body-bias dependence of Weff")                                     \
  X(b0, 0, "m", "bulk charge width offset")                                                \
  X(b1, 0, "m", "bulk charge width offset")                                                \
  X(alpha0, 0, "m/V", "substrate current (accepted, not modelled)")                        \
  X(alpha1, 0, "1/V", "substrate current (accepted, not modelled)")                        \
  X(beta0, 30, "V", "substrate current (accepted, not modelled)")                          \
  X(elm, 5, "", "Elmore constant (accepted, nqsmod not modelled)")                         \
  X(cgsl, 0, "F/m", "bias-dependent (lightly doped) gate-source overlap per width")        \
  X(cgdl, 0, "F/m", "bias-dependent (lightly doped) gate-drain overlap per width")         \
  X(ckappa, 0.6, "V", "overlap coefficient of cgsl and cgdl")                              \
  X(cf, 0, "F/m", "fringing capacitance per width (default from tox)")                     \
  X(clc, 1e-7, "m", "C-V bulk charge factor, length coefficient")                          \
  X(cle, 0.6, "", "C-V bulk charge factor, length exponent")                               \
  X(vfbcv, -1, "V", "flat-band voltage of capmod 0")                                       \
  X(acde, 1, "m/V", "charge centroid coefficient (capmod 3)")                              \
  X(moin, 15, "", "surface-potential coefficient (capmod 3)")                              \
  X(noff, 1, "", "C-V subthreshold swing factor (capmod 1-3)")                             \
  X(voffcv, 0, "V", "C-V threshold offset (capmod 1-3)")                                   \
  X(vfb, -1, "V", "flat-band voltage (used when vth0 is not given)")

// Parameters that are not binned.
#define BSIM3_PLAIN(X)                                                                     \
  X(mobmod, 1, "", "mobility model 1, 2 or 3")                                             \
  X(capmod, 3, "", "intrinsic charge model 0, 1, 2 or 3 (charge thickness)")              \
  X(nqsmod, 0, "", "non-quasi-static model (accepted, 0 only)")                            \
  X(noimod, 1, "", "noise model: 1-4 (thermal SPICE2/BSIM3 x flicker SPICE2/BSIM3)")                                               \
  X(binunit, 1, "", "binning unit: 1 microns, else meters")                                \
  X(paramchk, 0, "", "parameter check (accepted)")                                         \
  X(tox, 1.5e-8, "m", "gate oxide thickness")                                              \
  X(toxm, 1.5e-8, "m", "oxide thickness where parameters were extracted (default tox)")    \
  X(tnom, 27, "degC", "parameter measurement temperature")                                 \
  X(cgso, 0, "F/m", "gate-source overlap per width (default from dlc or xj)")              \
  X(cgdo, 0, "F/m", "gate-drain overlap per width (default from dlc or xj)")               \
  X(cgbo, 0, "F/m", "gate-bulk overlap per length (default from dwc)")                     \
  X(xpart, 0, "", "charge partition: 0 40/60, 0.5 50/50, 1 0/100; < 0 no intrinsic charge")\
  X(rsh, 0, "Ohm/sq", "source/drain sheet resistance")                                     \
  X(js, 1e-4, "A/m^2", "junction saturation current per area")                             \
  X(jsw, 0, "A/m", "junction sidewall saturation current per length")                      \
  X(ijth, 0.1, "A", "diode current where the exponential turns linear")                    \
  X(pb, 1, "V", "bottom junction built-in potential")                                      \
  X(mj, 0.5, "", "bottom junction grading")                                                \
  X(pbsw, 1, "V", "sidewall junction built-in potential")                                  \
  X(mjsw, 0.33, "", "sidewall junction grading")                                           \
  X(pbswg, 1, "V", "gate-edge sidewall built-in potential (default pbsw)")                 \
  X(mjswg, 0.33, "", "gate-edge sidewall grading (default mjsw)")                          \
  X(cj, 5e-4, "F/m^2", "bottom junction capacitance per area")                             \
  X(cjsw, 5e-10, "F/m", "sidewall junction capacitance per length")                        \
  X(cjswg, 5e-10, "F/m", "gate-edge sidewall capacitance per length (default cjsw)")       \
  X(nj, 1, "", "junction emission coefficient")                                            \
  X(xti, 3, "", "junction current temperature exponent")                                   \
  X(tpb, 0, "V/K", "temperature coefficient of pb")                                        \
  X(tpbsw, 0, "V/K", "temperature coefficient of pbsw")                                    \
  X(tpbswg, 0, "V/K", "temperature coefficient of pbswg")                                  \
  X(tcj, 0, "1/K", "temperature coefficient of cj")                                        \
  X(tcjsw, 0, "1/K", "temperature coefficient of cjsw")                                    \
  X(tcjswg, 0, "1/K", "temperature coefficient of cjswg")                                  \
  X(lint, 0, "m", "length offset")                                                         \
  X(ll, 0, "m^lln", "length dependence of the length offset")                              \
  X(lln, 1, "", "exponent of ll")                                                          \
  X(lw, 0, "m^lwn", "width dependence of the length offset")                               \
  X(lwn, 1, "", "exponent of lw")                                                          \
  X(lwl, 0, "m^(lln+lwn)", "area dependence of the length offset")                         \
  X(wint, 0, "m", "width offset")                                                          \
  X(wl, 0, "m^wln", "length dependence of the width offset")                               \
  X(wln, 1, "", "exponent of wl")                                                          \
  X(ww, 0, "m^wwn", "width dependence of the width offset")                                \
  X(wwn, 1, "", "exponent of ww")                                                          \
  X(wwl, 0, "m^(wln+wwn)", "area dependence of the width offset")                          \
  X(dlc, 0, "m", "length offset for C-V (default lint)")                                   \
  X(dwc, 0, "m", "width offset for C-V (default wint)")                                    \
  X(llc, 0, "m^lln", "length dependence of the C-V length offset (default ll)")           \
  X(lwc, 0, "m^lwn", "width dependence of the C-V length offset (default lw)")            \
  X(lwlc, 0, "m^(lln+lwn)", "area dependence of the C-V length offset (default lwl)")     \
  X(wlc, 0, "m^wln", "length dependence of the C-V width offset (default wl)")            \
  X(wwc, 0, "m^wwn", "width dependence of the C-V width offset (default ww)")             \
  X(wwlc, 0, "m^(wln+wwn)", "area dependence of the C-V width offset (default wwl)")      \
  X(lmin, 0, "m", "binning range (accepted)")                                              \
  X(lmax, 1, "m", "binning range (accepted)")                                              \
  X(wmin, 0, "m", "binning range (accepted)")                                              \
  X(wmax, 1, "m", "binning range (accepted)")                                              \
  X(kf, 0, "", "flicker noise coefficient (SPICE2 form, noimod 1 and 4)")                  \
  X(af, 1, "", "flicker noise exponent of the current (SPICE2 form)")                      \
  X(ef, 1, "", "flicker noise frequency exponent")                                         \
  X(noia, 1e20, "", "oxide trap density A (unified flicker; pmos default 9.9e18)")         \
  X(noib, 5e4, "", "oxide trap density B (unified flicker; pmos default 2.4e3)")           \
  X(noic, -1.4e-12, "", "oxide trap density C (unified flicker; pmos default 1.4e-12)")    \
  X(em, 4.1e7, "V/m", "saturation field (unified flicker's CLM length)")                   \
  X(hdif, 0, "m", "accepted")                                                              \
  X(ldif, 0, "m", "accepted")                                                              \
  X(xw, 0, "m", "accepted")                                                                \
  X(xl, 0, "m", "accepted")                                                                \
  X(acm, 0, "", "accepted")                                                                \
  X(vfbflag, 0, "", "accepted")

namespace {

struct Bsim3Params {
#define FIELD4(n, d, u, doc) double n, l##n, w##n, p##n;
#define FIELD1(n, d, u, doc) double n;
  BSIM3_BINNED(FIELD4)
  BSIM3_PLAIN(FIELD1)
#undef FIELD4
#undef FIELD1
  double w, l, m, ad, as, pd, ps, nrd, nrs, off, delvto, mulu0;
};

using P = Bsim3Params;
constexpr Param<P> bsim3_params[] = {
#define ROW4(n, d, u, doc)                                   \
  {#n, &P::n, d, -inf, inf, u, doc},                          \
  {"l" #n, &P::l##n, 0, -inf, inf, "", "L binning of " #n},  \
  {"w" #n, &P::w##n, 0, -inf, inf, "", "W binning of " #n},  \
  {"p" #n, &P::p##n, 0, -inf, inf, "", "L*W binning of " #n},
// nqsMod is an instance parameter in the BSIM3 manual, and ngspice takes it on the card too.
#define ROW1(n, d, u, doc) {#n, &P::n, d, -inf, inf, u, doc, std::string_view(#n) == "nqsmod" ? Scope::Both : Scope::Model},
    BSIM3_BINNED(ROW4) BSIM3_PLAIN(ROW1)
#undef ROW4
#undef ROW1
    {"npeak", &P::nch, 1.7e17, -inf, inf, "1/cm^3", "same as nch"},
    {"uo", &P::u0, 670, -inf, inf, "cm^2/V/s", "same as u0"},
    {"w", &P::w, 5e-6, above(0), inf, "m", "channel width", Scope::Instance},
    {"l", &P::l, 5e-6, above(0), inf, "m", "channel length", Scope::Instance},
    {"m", &P::m, 1, above(0), inf, "", "parallel multiplier", Scope::Instance},
    {"ad", &P::ad, 0, 0, inf, "m^2", "drain diffusion area", Scope::Instance},
    {"as", &P::as, 0, 0, inf, "m^2", "source diffusion area", Scope::Instance},
    {"pd", &P::pd, 0, 0, inf, "m", "drain junction perimeter", Scope::Instance},
    {"ps", &P::ps, 0, 0, inf, "m", "source junction perimeter", Scope::Instance},
    {"nrd", &P::nrd, 1, 0, inf, "", "drain squares (times rsh)", Scope::Instance},
    {"nrs", &P::nrs, 1, 0, inf, "", "source squares (times rsh)", Scope::Instance},
    {"off", &P::off, 0, 0, 1, "", "initial-guess flag: accepted", Scope::Instance},
    {"delvto", &P::delvto, 0, -inf, inf, "V", "added to vth0 (ngspice's instance shift)", Scope::Instance},
    {"mulu0", &P::mulu0, 1, -inf, inf, "", "multiplies u0 (ngspice's instance factor)", Scope::Instance},
};

std::size_t index_of(std::string_view name) {
  for (std::size_t k = 0; k < std::size(bsim3_params); ++k)
    if (bsim3_params[k].name == name) return k;
  return 0;
}

constexpr double epsox = 3.453133e-11, epssi = 1.03594e-10;  // F/m, as BSIM3's constants
constexpr double exp_threshold = 34, max_exp = 5.834617425e14, min_exp = 1.713908431e-15;
constexpr double q = 1.60219e-19, kboq = 8.617087e-5;  // BSIM3's own q and k/q
// k/q in the flicker noise formulas, rounded as the BSIM3 code (and ngspice) rounds it
// there: with kboq the flicker density comes out 3.4e-4 below ngspice's (measured).
constexpr double noise_kboq = 8.62e-5;

using D3 = Dual<3>;  // derivatives with respect to vgs, vds, vbs of the acting frame

// Size- and temperature-dependent values of one instance.
struct Sized {
  double leff, weff, leff_cv, weff_cv, cox, vtm, tratio;
  double phi, sqrt_phi, phis3, xdep0, litl, vbi, cdep0, factor1, vbsc;
  double k1, k2, k1ox, k2ox, k3, k3b, w0, nlx, vth0, theta0vb0, theta_rout;
  double dvt0, dvt1, dvt2, dvt0w, dvt1w, dvt2w, eta0, etab, kt1, kt1l, kt2;
  double cdsc, cdscb, cdscd, cit, nfactor, voff, xj, a0, ags, a1, a2, keta, b0, b1;
  double ua, ub, uc, u0, vsat, rds0, prwg, prwb, dwg, dwb, delta, pclm, pdiblb, pscbe1, pscbe2, pvag;
  double cgso, cgdo, cgbo;  // F: overlap plus fringe of the device's width, and of its length
  // Charge model: size and temperature values of the C-V equations.
  double cox_wl, abulk_cv, vfbzb, vfbcv, ldeb, acde, moin, noff, voffcv, cgsl, cgdl, ckappa;
};

// Intrinsic charges of the acting frame (drain = the higher of d and s for n-type).
struct Charges3 {
  D3 qg, qb, qd, qs;
};

// Operating-point values the noise models need (acting frame).
struct NoiseOp {
  double vgs, vds, ueff, vgsteff, vdseff, abulk, vgst2vtm, rds;
};

struct Channel3 {
  int mode;
  double vth, vdsat;
  D3 id;
  Charges3 q;  // when asked for
  NoiseOp op;
};

class Bsim3 final : public Device {
public:
  Bsim3(const DeviceInput& in, int polarity) : Device(in.element.name, in.element.where), type_(polarity) {
    p_ = resolve<P>(bsim3_params, in, &given_v_);
    const auto mob = p_.mobmod;
    if (mob != 1 && mob != 2 && mob != 3)
      throw InputError(in.element.where, fmt::format("BSIM3 model '{}': mobmod {:g} is not 1, 2 or 3",
                                                     in.model->name, mob));
    if (!given_("vth0") && type_ < 0) p_.vth0 = -0.7;
    if (!given_("u0") && !given_("uo")) p_.u0 = type_ > 0 ? 670 : 250;
    if (!given_("noia") && type_ < 0) p_.noia = 9.9e18;
    if (!given_("noib") && type_ < 0) p_.noib = 2.4e3;
    if (!given_("noic") && type_ < 0) p_.noic = 1.4e-12;
    if (mob == 3 && !given_("uc")) p_.uc = -0.0465;
    if (mob == 3 && !given_("uc1")) p_.uc1 = -0.056;
    if (!given_("dsub")) p_.dsub = p_.drout;
    if (!given_("toxm")) p_.toxm = p_.tox;
    if (!given_("dlc")) p_.dlc = p_.lint;
    if (!given_("dwc")) p_.dwc = p_.wint;
    if (!given_("pbswg")) p_.pbswg = p_.pbsw;
    if (!given_("mjswg")) p_.mjswg = p_.mjsw;
    if (!given_("cjswg")) p_.cjswg = p_.cjsw;
    if (!given_("llc")) p_.llc = p_.ll;
    if (!given_("lwc")) p_.lwc = p_.lw;
    if (!given_("lwlc")) p_.lwlc = p_.lwl;
    if (!given_("wlc")) p_.wlc = p_.wl;
    if (!given_("wwc")) p_.wwc = p_.ww;
    if (!given_("wwlc")) p_.wwlc = p_.wwl;
    if (!given_("cf")) p_.cf = 2 * epsox / constants::pi * std::log(1 + 0.4e-6 / p_.tox);
    const auto cap = p_.capmod;
    Location capmod_where = in.model->where;
    for (const auto& a : in.model->params)
      if (a.name == "capmod") capmod_where = a.where;
    if (cap != 0 && cap != 1 && cap != 2 && cap != 3)
      throw InputError(capmod_where, fmt::format("BSIM3 model '{}': capmod {:g} is not 0, 1, 2 or 3",
                                                     in.model->name, cap));
    if (p_.tox <= 0) throw InputError(in.element.where, "BSIM3 model '" + in.model->name + "': tox must be positive");
    model_name_ = in.model->name;
    noimod_where_ = in.model->where;
    for (const auto& a : in.model->params)
      if (a.name == "noimod") noimod_where_ = a.where;
  }

  void noise(const Eval& e, double f, std::vector<NoiseSource>& out) const override;

  void setup(Setup& s) override {
    d_ = s.terminal(0);
    g_ = s.terminal(1);
    s_ = s.terminal(2);
    b_ = s.terminal(3);
    rd_ohm_ = p_.rsh * p_.nrd;
    rs_ohm_ = p_.rsh * p_.nrs;
    dp_ = rd_ohm_ > 0 ? s.internal_node("d") : d_;
    sp_ = rs_ohm_ > 0 ? s.internal_node("s") : s_;
    core_.declare(s, {g_, dp_, sp_, b_});
    if (rd_ohm_ > 0) rd_.declare(s, {d_, dp_});
    if (rs_ohm_ > 0) rs_.declare(s, {s_, sp_});
    size_and_temperature(s.temperature());
  }

  void topology(Topology& t) const override {
    t.conducts(d_, s_);
    t.conducts(b_, d_);
    t.conducts(b_, s_);
  }

  void load(const Eval& e, Load& l) const override;
  double limit(const Eval& accepted, const Eval& proposed) const override;

  double quantity(std::size_t k, const Eval& e) const override {
    const Frame v = frame(e);
    const Channel3 c = channel(v);
    const double values[] = {p_.m * c.mode * c.id.v, v.vgs, v.vds, v.vbs, p_.m * c.id.d[0],
                             p_.m * c.id.d[1], type_ * c.vth, c.vdsat};
    return values[k];
  }

private:
  struct Frame {
    double vgs, vds, vbs;
  };
  struct Current {
    double i, g;
  };
  enum Local { G = 0, D = 1, S = 2, B = 3 };

  Frame frame(const Eval& e) const {
    const double vs = e.v(sp_);
    return {type_ * (e.v(g_) - vs), type_ * (e.v(dp_) - vs), type_ * (e.v(b_) - vs)};
  }

  double binned(double base, double lv, double wv, double pv) const {
    return base + lv * inv_l_ + wv * inv_w_ + pv * inv_l_ * inv_w_;
  }

  void size_and_temperature(double kelvin);
  Channel3 channel(const Frame& v, bool with_charges = false, bool always_charges = false) const;
  double unified_flicker(const Channel3& c, double f) const;
  Charges3 charges_capmod0(const D3& Vgs, const D3& Vds, const D3& Vbseff, const D3& sqrtPhis, const D3& Abulk0) const;
  Charges3 charges(const D3& Vgs, const D3& Vds, const D3& VbseffCV, const D3& Vgst, const D3& Vth, const D3& n,
                   const D3& Abulk0) const;
  static D3 source_share(double xpart, const D3& cox_wl, const D3& vg, const D3& t0, const D3& t1, const D3& qg,
                         const D3& qb, bool gate_only);
  D3 centroid_factor(const D3& tcen) const;
  Current diode(double v, double isat, double gmin) const;
  Current junction_charge(double v, double cz, double czsw, double czswg) const;

  P p_;
  std::string model_name_;
  Location noimod_where_;
  int type_;
  std::vector<bool> given_v_;
  bool given_(std::string_view n) const { return given_v_[index_of(n)]; }
  Sized z_{};
  double kelvin_ = 300.15;
  double inv_l_ = 0, inv_w_ = 0;
  double rd_ohm_ = 0, rs_ohm_ = 0;
  double isat_s_ = 0, isat_d_ = 0, nvtm_ = 0, vjsm_s_ = 0, vjsm_d_ = 0;
  double pb_ = 1, pbsw_ = 1, pbswg_ = 1;
  double czbs_ = 0, czbssw_ = 0, czbsswg_ = 0, czbd_ = 0, czbdsw_ = 0, czbdswg_ = 0;
  Unknown d_ = ground, g_ = ground, s_ = ground, b_ = ground, dp_ = ground, sp_ = ground;
  EntryGrid<4> core_;
  EntryGrid<2> rd_, rs_;
};

void Bsim3::size_and_temperature(double kelvin) {
  const P& p = p_;
  Sized& z = z_;
  kelvin_ = kelvin;
  const double tnom = p.tnom + junction::zero_celsius;
  z.tratio = kelvin / tnom - 1;
  z.vtm = kboq * kelvin;
  const double vtm0 = kboq * tnom;
  z.cox = epsox / p.tox;
  const double eg0 = 1.16 - 7.02e-4 * tnom * tnom / (tnom + 1108);
  const double ni = 1.45e10 * (tnom / 300.15) * std::sqrt(tnom / 300.15) * std::exp(21.5565981 - eg0 / (2 * vtm0));

  // Effective sizes: the offsets' geometry terms, then binning in 1/Leff and 1/Weff.
  const double L = p.l, W = p.w;
  const double tl = std::pow(L, p.lln), tw = std::pow(W, p.lwn);
  const double dl = p.lint + p.ll / tl + p.lw / tw + p.lwl / (tl * tw);
  const double tl2 = std::pow(L, p.wln), tw2 = std::pow(W, p.wwn);
  const double dw = p.wint + p.wl / tl2 + p.ww / tw2 + p.wwl / (tl2 * tw2);
  z.leff = L - 2 * dl;
  z.weff = W - 2 * dw;
  if (z.leff <= 0 || z.weff <= 0)
    throw InputError(where(), fmt::format("BSIM3 '{}': effective length {:g} m or width {:g} m is not positive",
                                          name(), z.leff, z.weff));
  z.leff_cv = L - 2 * (p.dlc + p.llc / tl + p.lwc / tw + p.lwlc / (tl * tw));
  z.weff_cv = W - 2 * (p.dwc + p.wlc / tl2 + p.wwc / tw2 + p.wwlc / (tl2 * tw2));
  if (z.leff_cv <= 0 || z.weff_cv <= 0)
    throw InputError(where(), fmt::format("BSIM3 '{}': effective C-V length {:g} m or width {:g} m is not positive",
                                          name(), z.leff_cv, z.weff_cv));
  const double unit = p.binunit == 1 ? 1e-6 : 1;
  inv_l_ = unit / z.leff;
  inv_w_ = unit / z.weff;
#define B(n) binned(p.n, p.l##n, p.w##n, p.p##n)
  double nch = B(nch);
  if (nch > 1e20) nch *= 1e-6;
  double nsub = B(nsub);
  z.phi = 2 * vtm0 * std::log(nch / ni);
  z.sqrt_phi = std::sqrt(z.phi);
  z.phis3 = z.sqrt_phi * z.phi;
  z.xdep0 = std::sqrt(2 * epssi / (q * nch * 1e6)) * z.sqrt_phi;
  z.xj = B(xj);
  z.litl = std::sqrt(3 * z.xj * p.tox);
  z.vbi = vtm0 * std::log(1e20 * nch / (ni * ni));
  z.cdep0 = std::sqrt(q * epssi * nch * 1e6 / 2 / z.phi);
  z.factor1 = std::sqrt(epssi / epsox * p.tox);

  z.k1 = B(k1);
  z.k2 = B(k2);
  if (!given_("k1") && !given_("k2")) {
    double gamma1 = B(gamma1), gamma2 = B(gamma2), vbx = B(vbx);
    const double vbm = B(vbm), xt = B(xt);
    if (!given_("gamma1")) gamma1 = 5.753e-12 * std::sqrt(nch) / z.cox;
    if (!given_("gamma2")) gamma2 = 5.753e-12 * std::sqrt(nsub) / z.cox;
    if (!given_("vbx")) vbx = z.phi - 7.7348e-4 * nch * xt * xt;
    const double t0 = gamma1 - gamma2;
    const double t1 = std::sqrt(z.phi - vbx) - z.sqrt_phi;
    const double t2 = std::sqrt(z.phi * (z.phi - vbm)) - z.phi;
    z.k2 = t0 * t1 / (2 * t2 + vbm);
    z.k1 = gamma2 - 2 * z.k2 * std::sqrt(z.phi - vbm);
  }
  if (z.k2 < 0) {
    z.vbsc = 0.9 * (z.phi - std::pow(0.5 * z.k1 / z.k2, 2));
    z.vbsc = std::clamp(z.vbsc, -30.0, -3.0);
  } else {
    z.vbsc = -30;
  }
  z.k1ox = z.k1 * p.tox / p.toxm;
  z.k2ox = z.k2 * p.tox / p.toxm;
  z.vth0 = B(vth0);
  if (!given_("vth0")) z.vth0 = type_ * (B(vfb) + z.phi + z.k1 * z.sqrt_phi);
  z.vth0 += p.delvto;

  // Short-channel roll-offs exp(-x/2) + 2 exp(-x), at zero body bias here.
  auto theta = [](double x) {
    const double e = std::exp(-0.5 * x);
    return e + 2 * e * e;
  };
  const double lt0 = std::sqrt(epssi / epsox * p.tox * z.xdep0);
  z.theta0vb0 = theta(B(dsub) * z.leff / lt0);
  z.theta_rout = B(pdiblc1) * theta(B(drout) * z.leff / lt0) + B(pdiblc2);

  z.k3 = B(k3), z.k3b = B(k3b), z.w0 = B(w0), z.nlx = B(nlx);
  z.dvt0 = B(dvt0), z.dvt1 = B(dvt1), z.dvt2 = B(dvt2);
  z.dvt0w = B(dvt0w), z.dvt1w = B(dvt1w), z.dvt2w = B(dvt2w);
  z.eta0 = B(eta0), z.etab = B(etab), z.kt1 = B(kt1), z.kt1l = B(kt1l), z.kt2 = B(kt2);
  z.cdsc = B(cdsc), z.cdscb = B(cdscb), z.cdscd = B(cdscd), z.cit = B(cit);
  z.nfactor = B(nfactor), z.voff = B(voff);
  z.a0 = B(a0), z.ags = B(ags), z.a1 = B(a1), z.a2 = B(a2), z.keta = B(keta), z.b0 = B(b0), z.b1 = B(b1);
  z.prwg = B(prwg), z.prwb = B(prwb), z.dwg = B(dwg), z.dwb = B(dwb), z.delta = B(delta);
  z.pclm = B(pclm), z.pdiblb = B(pdiblcb), z.pscbe1 = B(pscbe1), z.pscbe2 = B(pscbe2), z.pvag = B(pvag);

  // Temperature: mobility, its degradation, saturation velocity and rds.
  const double tr = z.tratio;
  double u0 = B(u0);
  if (u0 > 1) u0 *= 1e-4;  // cm^2/V/s to m^2/V/s
  z.u0 = u0 * std::pow(kelvin / tnom, B(ute)) * p.mulu0;
  z.ua = B(ua) + B(ua1) * tr;
  z.ub = B(ub) + B(ub1) * tr;
  z.uc = B(uc) + B(uc1) * tr;
  z.vsat = B(vsat) - B(at) * tr;
  z.rds0 = (B(rdsw) + B(prt) * tr) / std::pow(z.weff * 1e6, B(wr));

  // Overlap capacitances, their defaults from dlc (or xj) and dwc; the fringe cf joins
  // the constant gate-source and gate-drain parts.
  const double cgdo = given_("cgdo") ? p.cgdo : (given_("dlc") && p.dlc > 0 ? std::max(p.dlc * z.cox - p.cgdl, 0.0)
                                                                           : 0.6 * p.xj * z.cox);
  const double cgso = given_("cgso") ? p.cgso : (given_("dlc") && p.dlc > 0 ? std::max(p.dlc * z.cox - p.cgsl, 0.0)
                                                                           : 0.6 * p.xj * z.cox);
  const double cgbo = given_("cgbo") ? p.cgbo : 2 * p.dwc * z.cox;
  const double cf = B(cf);
  z.cgdo = p.m * (cgdo + cf) * z.weff_cv;
  z.cgso = p.m * (cgso + cf) * z.weff_cv;
  z.cgbo = p.m * cgbo * z.leff_cv;
  z.cgdl = p.m * B(cgdl) * z.weff_cv;
  z.cgsl = p.m * B(cgsl) * z.weff_cv;
  z.ckappa = B(ckappa);

  // Charge model: the flat band at zero body bias from the threshold's terms there, the
  // Debye length for the charge centroid, the C-V bulk charge factor.
  z.cox_wl = p.m * z.cox * z.weff_cv * z.leff_cv;
  z.abulk_cv = 1 + std::pow(B(clc) / z.leff_cv, B(cle));
  {
    const double lt = z.factor1 * std::sqrt(z.xdep0), v0 = z.vbi - z.phi;
    const double narrow = z.dvt0w * theta(z.dvt1w * z.weff * z.leff / lt) * v0;
    const double short_l = z.dvt0 * theta(z.dvt1 * z.leff / lt) * v0;
    const double t4 = p.tox * z.phi / (z.weff + z.w0);
    const double t5 = z.k1ox * (std::sqrt(1 + z.nlx / z.leff) - 1) * z.sqrt_phi + (z.kt1 + z.kt1l / z.leff) * tr;
    z.vfbzb = type_ * z.vth0 - narrow - short_l + z.k3 * t4 + t5 - z.phi - z.k1 * z.sqrt_phi;
  }
  z.ldeb = std::sqrt(epssi * vtm0 / (q * nch * 1e6)) / 3;
  // The centroid's field coefficient scales with the channel doping as (nch / 2e16)^-1/4.
  z.acde = B(acde) * std::pow(nch / 2e16, -0.25);
  z.vfbcv = B(vfbcv), z.moin = B(moin), z.noff = B(noff), z.voffcv = B(voffcv);
#undef B

  // Junctions: saturation currents (emission nj, xti), potentials and capacitances.
  const double eg = 1.16 - 7.02e-4 * kelvin * kelvin / (kelvin + 1108);
  const double t5 = eg0 / vtm0 - eg / z.vtm + p.xti * std::log(kelvin / tnom);
  const double js = p.js * std::exp(t5 / p.nj), jsw = p.jsw * std::exp(t5 / p.nj);
  // A junction given neither area nor perimeter (as/ad, ps/pd left 0, as hand-written
  // decks leave them) has BSIM3's fixed 1e-14 A, not 0 (ngspice 39: 2.57 uA through a
  // drain forward-biased by 0.5 V with ad = pd = 0).
  auto isat = [&](double area, double perimeter) {
    return p.m * (area <= 0 && perimeter <= 0 ? 1e-14 : js * area + jsw * perimeter);
  };
  isat_s_ = isat(p.as, p.ps);
  isat_d_ = isat(p.ad, p.pd);
  nvtm_ = p.nj * z.vtm;
  vjsm_s_ = isat_s_ > 0 ? nvtm_ * std::log(p.ijth / isat_s_ + 1) : 0;
  vjsm_d_ = isat_d_ > 0 ? nvtm_ * std::log(p.ijth / isat_d_ + 1) : 0;
  const double dt = kelvin - tnom;
  pb_ = p.pb - p.tpb * dt;
  pbsw_ = p.pbsw - p.tpbsw * dt;
  pbswg_ = p.pbswg - p.tpbswg * dt;
  const double cj = p.cj * (1 + p.tcj * dt), cjsw = p.cjsw * (1 + p.tcjsw * dt),
               cjswg = p.cjswg * (1 + p.tcjswg * dt);
  // The perimeter includes the gate edge (weff_cv), which has its own capacitance.
  auto split = [&](double area, double perim, double& cz, double& czsw, double& czswg) {
    cz = p.m * cj * area;
    if (perim < z.weff_cv) {
      czsw = 0;
      czswg = p.m * cjswg * perim;
    } else {
      czsw = p.m * cjsw * (perim - z.weff_cv);
      czswg = p.m * cjswg * z.weff_cv;
    }
  };
  split(p.as, p.ps, czbs_, czbssw_, czbsswg_);
  split(p.ad, p.pd, czbd_, czbdsw_, czbdswg_);
}

// The drain current of the acting frame (vds >= 0 after the interchange), BSIM3v3.3.
Channel3 Bsim3::channel(const Frame& f, bool with_charges, bool always_charges) const {
  const Sized& z = z_;
  Channel3 c{};
  c.mode = f.vds >= 0 ? 1 : -1;
  const D3 Vds = D3::variable(c.mode * f.vds, 1);
  const D3 Vgs = D3::variable(c.mode > 0 ? f.vgs : f.vgs - f.vds, 0);
  const D3 Vbs = D3::variable(c.mode > 0 ? f.vbs : f.vbs - f.vds, 2);

  // Effective body bias, smoothly limited below at vbsc.
  D3 t0 = Vbs - z.vbsc - 0.001;
  D3 Vbseff = z.vbsc + 0.5 * (t0 + sqrt(t0 * t0 - 0.004 * z.vbsc));
  if (Vbseff.v < Vbs.v) Vbseff = Vbs;
  D3 Phis, sqrtPhis;
  if (Vbseff.v > 0) {
    Phis = z.phi * (z.phi / (z.phi + Vbseff));
    sqrtPhis = z.phis3 / (z.phi + 0.5 * Vbseff);
  } else {
    Phis = z.phi - Vbseff;
    sqrtPhis = sqrt(Phis);
  }
  const D3 Xdep = z.xdep0 * sqrtPhis / z.sqrt_phi;

  // Threshold: body effect, short channel, narrow width, temperature, DIBL.
  const D3 t3 = sqrt(Xdep);
  const double V0 = z.vbi - z.phi;
  auto soft_one_plus = [](const D3& x) {  // 1 + x, kept positive below x = -0.5
    if (x.v >= -0.5) return 1 + x;
    return (1 + 3 * x) / (3 + 8 * x);
  };
  const D3 lt1 = z.factor1 * t3 * soft_one_plus(z.dvt2 * Vbseff);
  const D3 ltw = z.factor1 * t3 * soft_one_plus(z.dvt2w * Vbseff);
  auto theta = [](const D3& arg) {
    if (arg.v > -exp_threshold) {
      const D3 e = exp(arg);
      return e * (1 + 2 * e);
    }
    return D3{min_exp * (1 + 2 * min_exp)};
  };
  const D3 Theta0 = theta(-0.5 * z.dvt1 * z.leff / lt1);
  const D3 Delt_vth = z.dvt0 * Theta0 * V0;
  const D3 T2w = z.dvt0w * theta(-0.5 * z.dvt1w * z.weff * z.leff / ltw) * V0;
  const D3 T1t = z.k1ox * (std::sqrt(1 + z.nlx / z.leff) - 1) * z.sqrt_phi +
                 (z.kt1 + z.kt1l / z.leff + z.kt2 * Vbseff) * z.tratio;
  const double tmp2 = p_.tox * z.phi / (z.weff + z.w0);
  D3 eta = z.eta0 + z.etab * Vbseff;
  if (eta.v < 1e-4) eta = (2e-4 - eta) / (3 - 2e4 * eta);
  const D3 DIBL_Sft = eta * z.theta0vb0 * Vds;
  const D3 Vth = type_ * z.vth0 - z.k1 * z.sqrt_phi + z.k1ox * sqrtPhis - z.k2ox * Vbseff - Delt_vth - T2w +
                 (z.k3 + z.k3b * Vbseff) * tmp2 + T1t - DIBL_Sft;
  c.vth = Vth.v;

  // Subthreshold swing factor n.
  const D3 tmp4 = (z.nfactor * epssi / Xdep + (z.cdsc + z.cdscb * Vbseff + z.cdscd * Vds) * Theta0 + z.cit) / z.cox;
  const D3 n = tmp4.v >= -0.5 ? 1 + tmp4 : (1 + 3 * tmp4) / (3 + 8 * tmp4);

  // Effective gate overdrive, smooth from weak to strong inversion.
  const D3 Vgst = Vgs - Vth;
  const D3 T10 = 2 * n * z.vtm;
  const D3 VgstNVt = Vgst / T10;
  const D3 ExpArg = (2 * z.voff - Vgst) / T10;
  D3 Vgsteff;
  if (VgstNVt.v > exp_threshold) {
    Vgsteff = Vgst;
  } else if (ExpArg.v > exp_threshold) {
    Vgsteff = z.vtm * z.cdep0 / z.cox * exp((Vgst - z.voff) / (n * z.vtm));
  } else {
    const D3 t1 = T10 * log(1 + exp(VgstNVt));
    Vgsteff = t1 / (1 + T10 * z.cox / (z.vtm * z.cdep0) * exp(ExpArg));
  }

  // Bias-dependent width and the series resistance.
  const D3 T9 = sqrtPhis - z.sqrt_phi;
  D3 Weff = z.weff - 2 * (z.dwg * Vgsteff + z.dwb * T9);
  if (Weff.v < 2e-8) Weff = 2e-8 * (4e-8 - Weff) / (6e-8 - 2 * Weff);
  D3 t0r = z.prwg * Vgsteff + z.prwb * T9;
  const D3 Rds = t0r.v >= -0.9 ? z.rds0 * (1 + t0r) : z.rds0 * (0.8 + t0r) / (17 + 20 * t0r);

  // Bulk charge factor.
  const D3 T1a = 0.5 * z.k1ox / sqrtPhis;
  const D3 T9a = sqrt(z.xj * Xdep);
  const D3 T5 = z.leff / (z.leff + 2 * T9a);
  const D3 T2a = z.a0 * T5 + z.b0 / (z.weff + z.b1);
  D3 Abulk0 = 1 + T1a * T2a;
  D3 Abulk = Abulk0 - T1a * z.ags * z.a0 * T5 * T5 * T5 * Vgsteff;
  if (Abulk0.v < 0.1) Abulk0 = (0.2 - Abulk0) / (3 - 20 * Abulk0);
  if (Abulk.v < 0.1) Abulk = (0.2 - Abulk) / (3 - 20 * Abulk);
  const D3 kb = z.keta * Vbseff;
  const D3 kfac = kb.v >= -0.9 ? 1 / (1 + kb) : (17 + 20 * kb) / (0.8 + kb);
  Abulk = Abulk * kfac;

  // Mobility.
  D3 T5m;
  if (p_.mobmod == 1) {
    const D3 t3m = (Vgsteff + 2 * Vth) / p_.tox;
    T5m = t3m * (z.ua + z.uc * Vbseff + z.ub * t3m);
  } else if (p_.mobmod == 2) {
    T5m = Vgsteff / p_.tox * (z.ua + z.uc * Vbseff + z.ub * Vgsteff / p_.tox);
  } else {
    const D3 t3m = (Vgsteff + 2 * Vth) / p_.tox;
    T5m = t3m * (z.ua + z.ub * t3m) * (1 + z.uc * Vbseff);
  }
  const D3 Denomi = T5m.v >= -0.8 ? 1 + T5m : (0.6 + T5m) / (7 + 10 * T5m);
  const D3 ueff = z.u0 / Denomi;

  // Saturation voltage.
  const D3 WVCox = Weff * z.vsat * z.cox;
  const D3 WVCoxRds = WVCox * Rds;
  const D3 EsatL = 2 * z.vsat / ueff * z.leff;
  D3 Lambda;
  if (z.a1 == 0) {
    Lambda = D3{z.a2};
  } else if (z.a1 > 0) {
    const double a = 1 - z.a2;
    const D3 t1 = a - z.a1 * Vgsteff - 0.0001;
    Lambda = z.a2 + a - 0.5 * (t1 + sqrt(t1 * t1 + 0.0004 * a));
  } else {
    const D3 t1 = z.a2 + z.a1 * Vgsteff - 0.0001;
    Lambda = 0.5 * (t1 + sqrt(t1 * t1 + 0.0004 * z.a2));
  }
  const D3 Vgst2Vtm = Vgsteff + 2 * z.vtm;
  D3 Vdsat;
  if (z.rds0 == 0 && Lambda.v == 1) {
    Vdsat = EsatL * Vgst2Vtm / (Abulk * EsatL + Vgst2Vtm);
  } else {
    const D3 T9s = Abulk * WVCoxRds;
    const D3 a2x = 2 * Abulk * (T9s - 1 + 1 / Lambda);
    const D3 mb = Vgst2Vtm * (2 / Lambda - 1) + Abulk * EsatL + 3 * Vgst2Vtm * T9s;
    const D3 cc = Vgst2Vtm * (EsatL + 2 * Vgst2Vtm * WVCoxRds);
    Vdsat = (mb - sqrt(mb * mb - 2 * a2x * cc)) / a2x;
  }
  c.vdsat = Vdsat.v;

  // Smooth effective drain voltage.
  const D3 t1d = Vdsat - Vds - z.delta;
  D3 Vdseff = Vdsat - 0.5 * (t1d + sqrt(t1d * t1d + 4 * z.delta * Vdsat));
  if (Vdseff.v > Vds.v) Vdseff = Vds;  // rounding near vds = 0

  // Early voltages: saturation, CLM, DIBL, SCBE.
  const D3 tmp4a = 1 - 0.5 * Abulk * Vdsat / Vgst2Vtm;
  const D3 Vasat = (EsatL + Vdsat + 2 * WVCoxRds * Vgsteff * tmp4a) / (2 / Lambda - 1 + WVCoxRds * Abulk);
  const D3 diffVds = Vds - Vdseff;
  D3 VACLM{max_exp};
  if (z.pclm > 0 && diffVds.v > 1e-10)
    VACLM = (Abulk * EsatL + Vgsteff) * z.leff / (z.pclm * Abulk * EsatL * z.litl) * diffVds;
  D3 VADIBL{max_exp};
  if (z.theta_rout > 0) {
    const D3 t8 = Abulk * Vdsat;
    VADIBL = (Vgst2Vtm - Vgst2Vtm * t8 / (Vgst2Vtm + t8)) / z.theta_rout;
    const D3 t7 = z.pdiblb * Vbseff;
    VADIBL = t7.v >= -0.9 ? VADIBL / (1 + t7) : VADIBL * (17 + 20 * t7) / (0.8 + t7);
  }
  const D3 t9v = z.pvag / EsatL * Vgsteff;
  const D3 pv = t9v.v > -0.9 ? 1 + t9v : (0.8 + t9v) / (17 + 20 * t9v);
  const D3 Va = Vasat + pv * VACLM * VADIBL / (VACLM + VADIBL);
  D3 VASCBE{max_exp};
  if (z.pscbe2 > 0) {
    if (diffVds.v > z.pscbe1 * z.litl / exp_threshold)
      VASCBE = z.leff * exp(z.pscbe1 * z.litl / diffVds) / z.pscbe2;
    else
      VASCBE = D3{max_exp * z.leff / z.pscbe2};
  }

  // Drain current.
  const D3 beta = ueff * z.cox * Weff / z.leff;
  const D3 fgche1 = Vgsteff * (1 - 0.5 * Vdseff * Abulk / Vgst2Vtm);
  const D3 fgche2 = 1 + Vdseff / EsatL;
  const D3 gche = beta * fgche1 / fgche2;
  const D3 Idl = gche * Vdseff / (1 + gche * Rds);
  c.id = Idl * (1 + diffVds / Va) * (1 + diffVds / VASCBE);
  c.op = {Vgs.v, Vds.v, ueff.v, Vgsteff.v, Vdseff.v, Abulk.v, Vgst2Vtm.v, Rds.v};
  if (with_charges && (p_.xpart >= 0 || always_charges)) {
    // capMod 0 takes vbs itself below zero body bias, the others the DC's Vbseff.
    c.q = p_.capmod == 0 ? charges_capmod0(Vgs, Vds, Vbseff.v < 0 ? Vbs : z.phi - Phis, sqrtPhis, Abulk0 * kfac)
                         : charges(Vgs, Vds, Vbseff.v < 0 ? Vbseff : z.phi - Phis, Vgst, Vth, n, Abulk0 * kfac);
  }
  return c;
}

// capMod 0: the long-channel piecewise charges with their own flat band (vfbcv) and
// threshold, zero drain charge below threshold.
Charges3 Bsim3::charges_capmod0(const D3& Vgs, const D3& Vds, const D3& Vbseff, const D3& sqrtPhis,
                                const D3& Abulk0) const {
  const Sized& z = z_;
  Charges3 r{};
  const double vfb = z.vfbcv;
  const D3 Vth = vfb + z.phi + z.k1ox * sqrtPhis;
  const D3 Vgst = Vgs - Vth;
  const D3 arg1 = Vgs - Vbseff - vfb;
  const double cox_wl = z.cox_wl;
  if (arg1.v <= 0) {
    r.qg = cox_wl * arg1;
    r.qb = -r.qg;
  } else if (Vgst.v <= 0) {
    const double t1 = 0.5 * z.k1ox;
    r.qg = cox_wl * z.k1ox * (sqrt(t1 * t1 + arg1) - t1);
    r.qb = -r.qg;
  } else {
    const D3 abulk = Abulk0 * z.abulk_cv;
    const D3 vdsat = Vgst / abulk;
    const double xpart = p_.xpart;
    const double share = xpart > 0.5 ? 0 : xpart < 0.5 ? 0.4 : 0.5;  // drain's share in saturation
    if (Vds.v >= vdsat.v) {
      r.qg = cox_wl * (Vgs - vfb - z.phi - vdsat / 3);
      const D3 qinv = -2.0 / 3.0 * cox_wl * Vgst;
      r.qb = -(r.qg + qinv);
      r.qd = share * qinv;
    } else {
      const D3 t1 = 2 * vdsat - Vds;
      const D3 t3 = Vds * Vds / (3 * t1);
      const D3 t4 = 0.25 * cox_wl * abulk;
      r.qg = cox_wl * (Vgs - vfb - z.phi - 0.5 * (Vds - t3));
      r.qb = -(r.qg - 2 * t4 * (t1 + t3));
      if (xpart > 0.5)
        r.qd = t4 * (2 * Vds - t1 - 3 * t3);
      else if (xpart < 0.5)
        r.qd = t4 * (Vds - t1 - Vds / (3 * t1 * t1) * (8 * vdsat * vdsat - 6 * vdsat * Vds + 1.2 * Vds * Vds));
      else
        r.qd = -t4 * (t1 + t3);
    }
  }
  r.qs = -(r.qg + r.qb + r.qd);
  return r;
}

// capMod 1, 2, 3: charges on the C-V gate overdrive (noff, voffcv). 1: piecewise in
// Vds around VdsatCV, depletion charge from vfbzb; 2: smooth Vdseff and accumulation
// (Vfbeff); 3: as 2 with the charge centroid's thickness (Coxeff) and the surface
// potential's rise DeltaPhi in strong inversion.
Charges3 Bsim3::charges(const D3& Vgs, const D3& Vds, const D3& VbseffCV, const D3& Vgst, const D3& Vth,
                        const D3& n, const D3& Abulk0) const {
  const Sized& z = z_;
  const int capmod = static_cast<int>(p_.capmod);
  const double xpart = p_.xpart;
  const D3 nvt = z.vtm * z.noff * n;
  const D3 x = (Vgst - z.voffcv) / nvt;
  const D3 Vgsteff = x.v > exp_threshold    ? Vgst - z.voffcv
                     : x.v < -exp_threshold ? nvt * std::log(1 + min_exp)
                                            : nvt * log(1 + exp(x));
  const D3 abulk = Abulk0 * z.abulk_cv;
  const double vfbzb = z.vfbzb, k1ox = z.k1ox;
  D3 cox_wl{z.cox_wl};
  Charges3 r{};

  // Depletion charge under the gate, from the flat band (or, capMod 2/3, its smooth
  // effective value Vfbeff, whose distance to vfbzb is the accumulation charge).
  auto depletion = [&](const D3& vfb, const D3& scale) {
    const double t0 = 0.5 * k1ox;
    const D3 t3 = Vgs - vfb - VbseffCV - Vgsteff;
    if (k1ox == 0) return D3{};
    const D3 t1 = t3.v < 0 ? t0 + t3 / k1ox : sqrt(t0 * t0 + t3);
    return scale * k1ox * (t1 - t0);
  };

  if (capmod == 1) {
    const D3 arg1 = Vgs - VbseffCV - vfbzb - Vgsteff;
    D3 qg;
    if (arg1.v <= 0) {
      qg = cox_wl * arg1;
    } else {
      const double t0 = 0.5 * k1ox;
      qg = cox_wl * k1ox * (sqrt(t0 * t0 + arg1) - t0);
    }
    D3 qb = -qg;
    const D3 vdsat = Vgsteff / abulk;
    if (vdsat.v < Vds.v) {
      r.qg = qg + cox_wl * (Vgsteff - vdsat / 3);
      r.qb = qb + cox_wl / 3 * (vdsat - Vgsteff);
      const double share = xpart > 0.5 ? 2.0 / 3.0 : xpart < 0.5 ? 0.4 : 1.0 / 3.0;
      r.qs = -share * cox_wl * Vgsteff;
    } else {
      const D3 t0 = abulk * Vds;
      const D3 t1 = 12 * (Vgsteff - 0.5 * t0 + 1e-20);
      const D3 t3 = t0 * Vds / t1;
      r.qg = qg + cox_wl * (Vgsteff - 0.5 * Vds + t3);
      r.qb = qb + cox_wl * (1 - abulk) * (0.5 * Vds - t3);
      r.qs = source_share(xpart, cox_wl, Vgsteff, t0, t1, r.qg, r.qb, false);
    }
    r.qd = -(r.qg + r.qb + r.qs);
    return r;
  }

  // Vfbeff: vfbzb in depletion, following Vgs - Vbs into accumulation.
  constexpr double delta3 = 0.02, delta4 = 0.02;
  const D3 v3 = vfbzb - Vgs + VbseffCV - delta3;
  const D3 t0f = vfbzb <= 0 ? sqrt(v3 * v3 - 4 * delta3 * vfbzb) : sqrt(v3 * v3 + 4 * delta3 * vfbzb);
  const D3 Vfbeff = vfbzb - 0.5 * (v3 + t0f);
  D3 delta_phi{};
  if (capmod == 3) {
    // Accumulation and depletion: the centroid at ldeb scaled by exp(acde Eeff).
    const double tox = 1e8 * p_.tox;
    const D3 targ = (Vgs - VbseffCV - vfbzb) / tox * z.acde;
    D3 tcen = targ.v <= -exp_threshold ? D3{z.ldeb * min_exp}
              : targ.v >= exp_threshold ? D3{z.ldeb * max_exp}
                                        : z.ldeb * exp(targ);
    const double link = 1e-3 * p_.tox;
    const D3 v3c = z.ldeb - tcen - link;
    tcen = z.ldeb - 0.5 * (v3c + sqrt(v3c * v3c + 4 * link * z.ldeb));
    cox_wl = z.cox_wl * centroid_factor(tcen);
  }
  const D3 qac0 = cox_wl * (Vfbeff - vfbzb);
  const D3 qsub0 = depletion(Vfbeff, cox_wl);
  D3 vg_inv = Vgsteff;  // the inversion charge's overdrive
  if (capmod == 3) {
    const double denomi = k1ox <= 0 ? 0.25 * z.moin * z.vtm : z.moin * z.vtm * k1ox * k1ox;
    const double t0 = k1ox <= 0 ? 0.5 * z.sqrt_phi : k1ox * z.sqrt_phi;
    delta_phi = z.vtm * log(1 + (2 * t0 + Vgsteff) * Vgsteff / denomi);
    // VgDP: Vgsteff - DeltaPhi kept above zero smoothly (1 mV), as the charge-thickness
    // model of BSIM4's capMod 2 has it; in weak inversion, where DeltaPhi ~ 2 sqrt(phi) /
    // (moin k1ox) Vgsteff, it is Vgsteff itself. Taken as the plain difference, Cgg near
    // threshold was 1.2e-3 below ngspice's (the corpus's modelcard.nmos, vgs 0.40 V at
    // vds 0), the gap growing as the weak-inversion charge; now 2e-11.
    const D3 dp = Vgsteff - delta_phi - 0.001;
    vg_inv = 0.5 * (dp + sqrt(dp * dp + 0.004 * Vgsteff));
    // Inversion: the centroid from the vertical field.
    const D3 t3 = 4 * (Vth - vfbzb - z.phi);
    const double tox2 = 2e8 * p_.tox;
    const D3 t0c = t3.v >= 0 ? (Vgsteff + t3) / tox2 : (Vgsteff + 1e-20) / tox2;
    const D3 tcen = 1.9e-9 / (1 + exp(0.7 * log(t0c)));
    cox_wl = z.cox_wl * centroid_factor(tcen);
  }
  const D3 vdsat = vg_inv / abulk;
  const D3 v4 = vdsat - Vds - delta4;
  D3 vdseff = vdsat - 0.5 * (v4 + sqrt(v4 * v4 + 4 * delta4 * vdsat));
  if (Vds.v == 0) vdseff.v = 0;
  const D3 t0 = abulk * vdseff;
  const D3 t1 = 12 * (vg_inv - 0.5 * t0 + 1e-20);
  const D3 t3 = t0 * vdseff / t1;
  if (capmod == 2) {
    r.qg = cox_wl * (Vgsteff - 0.5 * vdseff + t3);
    r.qb = cox_wl * (1 - abulk) * (0.5 * vdseff - t3);
    r.qs = source_share(xpart, cox_wl, Vgsteff, t0, t1, r.qg, r.qb, false);
    r.qg = r.qg + qac0 + qsub0;
    r.qb = r.qb - (qac0 + qsub0);
  } else {
    const D3 qinv_g = cox_wl * (vg_inv - t0 * (0.5 - t0 / t1));
    const D3 qb_inv = cox_wl * (1 - abulk) * (0.5 * vdseff - t0 * vdseff / t1);
    r.qs = source_share(xpart, cox_wl, vg_inv, t0, t1, qinv_g, qb_inv, true);
    r.qg = qinv_g + qac0 + qsub0 - qb_inv;
    r.qb = qb_inv - (qac0 + qsub0);
  }
  r.qd = -(r.qg + r.qb + r.qs);
  return r;
}

// The source's part of the inversion charge: xpart 1 (0/100), 0 (40/60) or 0.5 (50/50).
// t0 = AbulkCV VdseffCV, t1 = 12 (vg - t0 / 2); qg, qb: the inversion parts so far (capMod
// 3 halves its gate part alone for 50/50).
D3 Bsim3::source_share(double xpart, const D3& cox_wl, const D3& vg, const D3& t0, const D3& t1, const D3& qg,
                       const D3& qb, bool gate_only) {
  if (xpart > 0.5) return -cox_wl * (0.5 * vg + 0.25 * t0 - 0.5 * t0 * t0 / t1);
  if (xpart < 0.5) {
    const D3 t2 = t1 / 12;
    const D3 t4 = vg * (2 * t0 * t0 / 3 + vg * (vg - 4 * t0 / 3)) - 2 * t0 * t0 * t0 / 15;
    return -0.5 * cox_wl / (t2 * t2) * t4;
  }
  return gate_only ? -0.5 * qg : -0.5 * (qg + qb);
}

// Coxeff / Cox for a charge centroid at depth tcen below the oxide.
D3 Bsim3::centroid_factor(const D3& tcen) const {
  const D3 ccen = epssi / tcen;
  return ccen / (z_.cox + ccen);
}

// A bulk junction's current, exponential up to vjsm (where it reaches ijth), linear above.
Bsim3::Current Bsim3::diode(double v, double isat, double gmin) const {
  if (isat <= 0) return {gmin * v, gmin};
  const double vjsm = isat == isat_s_ ? vjsm_s_ : vjsm_d_;
  if (p_.ijth == 0 || v < vjsm) {
    const auto ex = safe_exp(v / nvtm_);
    return {isat * (ex.value - 1) + gmin * v, isat * ex.slope / nvtm_ + gmin};
  }
  const double e = std::exp(vjsm / nvtm_);
  return {isat * (e - 1) + isat * e / nvtm_ * (v - vjsm) + gmin * v, isat * e / nvtm_ + gmin};
}

// Depletion charge of bottom, sidewall and gate-edge junction parts; above zero bias the
// second-order expansion around 0.
Bsim3::Current Bsim3::junction_charge(double v, double cz, double czsw, double czswg) const {
  Current r{0, 0};
  const std::tuple<double, double, double> parts[] = {
      {cz, p_.mj, pb_}, {czsw, p_.mjsw, pbsw_}, {czswg, p_.mjswg, pbswg_}};
  for (const auto& [c, mj, pb] : parts) {
    if (c == 0) continue;
    if (v < 0) {
      const double arg = 1 - v / pb;
      const double sarg = std::pow(arg, -mj);
      r.i += pb * c * (1 - arg * sarg) / (1 - mj);
      r.g += c * sarg;
    } else {
      r.i += v * c * (1 + mj * 0.5 * v / pb);
      r.g += c * (1 + mj * v / pb);
    }
  }
  return r;
}

void Bsim3::load(const Eval& e, Load& l) const {
  for (const auto& [a, b, r, grid] : {std::tuple{d_, dp_, rd_ohm_, &rd_}, std::tuple{s_, sp_, rs_ohm_, &rs_}}) {
    if (r <= 0) continue;
    const double i = (e.v(a) - e.v(b)) / r;
    l.f(a, i);
    l.f(b, -i);
    grid->pair(l, 0, 1, 1 / r);
  }
  const Frame v = frame(e);
  const Unknown node[] = {g_, dp_, sp_, b_};
  const Channel3 c = channel(v, true);
  const double m = p_.m;
  const int drn = c.mode > 0 ? D : S, src = c.mode > 0 ? S : D;
  l.f(node[drn], type_ * m * c.id.v);
  l.f(node[src], -type_ * m * c.id.v);
  const double gm = m * c.id.d[0], gds = m * c.id.d[1], gmbs = m * c.id.d[2];
  const double gsrc = -(gm + gds + gmbs);
  for (const auto& [row, sign] : {std::pair{drn, 1.0}, std::pair{src, -1.0}}) {
    core_.add(l, row, G, sign * gm);
    core_.add(l, row, drn, sign * gds);
    core_.add(l, row, B, sign * gmbs);
    core_.add(l, row, src, sign * gsrc);
  }

  const double vbd = v.vbs - v.vds;
  struct Side {
    int side;
    double vj, isat, cz, czsw, czswg;
  };
  const Side sides[] = {{S, v.vbs, isat_s_, czbs_, czbssw_, czbsswg_}, {D, vbd, isat_d_, czbd_, czbdsw_, czbdswg_}};
  for (const Side& sd : sides) {
    const Current dio = diode(sd.vj, sd.isat, e.gmin);
    l.f(b_, type_ * dio.i);
    l.f(node[sd.side], -type_ * dio.i);
    core_.pair(l, B, sd.side, dio.g);
    if (sd.cz == 0 && sd.czsw == 0 && sd.czswg == 0) continue;
    const Current qj = junction_charge(sd.vj, sd.cz, sd.czsw, sd.czswg);
    l.q(b_, type_ * qj.i);
    l.q(node[sd.side], -type_ * qj.i);
    core_.pair(l, B, sd.side, qj.g, true);
  }

  // A charge at `at` (n-type frame), a Dual over (vgs, vds, vbs) of the frame whose drain
  // and source are `dn` and `sn`.
  auto charge = [&](int at, const D3& qn, int dn, int sn) {
    l.q(node[at], type_ * qn.v);
    core_.add(l, at, G, qn.d[0], true);
    core_.add(l, at, dn, qn.d[1], true);
    core_.add(l, at, B, qn.d[2], true);
    core_.add(l, at, sn, -(qn.d[0] + qn.d[1] + qn.d[2]), true);
  };
  // Overlap charges: cgso/cgdo (with cf) linear, the lightly doped part cgsl/cgdl
  // bias-dependent (capMod 1 piecewise, 2 and 3 smoothed); gate-bulk linear.
  const D3 vgs = D3::variable(v.vgs, 0), vds = D3::variable(v.vds, 1), vbs = D3::variable(v.vbs, 2);
  const int capmod = static_cast<int>(p_.capmod);
  auto overlap = [&](const D3& vx, double cgo, double cgl) {
    const double kappa = z_.ckappa;
    if (capmod == 0 || cgl == 0) return cgo * vx;
    if (capmod == 1) {
      if (vx.v >= 0) return (cgo + cgl) * vx;
      return cgo * vx - 0.5 * cgl * kappa * (sqrt(1 - 4 * vx / kappa) - 1);
    }
    constexpr double delta1 = 0.02;
    const D3 t0 = vx + delta1;
    const D3 vov = 0.5 * (t0 - sqrt(t0 * t0 + 4 * delta1));
    return (cgo + cgl) * vx - cgl * (vov + 0.5 * kappa * (sqrt(1 - 4 * vov / kappa) - 1));
  };
  const D3 qgso = overlap(vgs, z_.cgso, z_.cgsl);
  const D3 qgdo = overlap(vgs - vds, z_.cgdo, z_.cgdl);
  const D3 qgbo = z_.cgbo * (vgs - vbs);
  charge(G, qgso + qgdo + qgbo, D, S);
  charge(D, -qgdo, D, S);
  charge(S, -qgso, D, S);
  charge(B, -qgbo, D, S);
  if (p_.xpart < 0) return;
  charge(G, c.q.qg, drn, src);
  charge(B, c.q.qb, drn, src);
  charge(drn, c.q.qd, drn, src);
  charge(src, c.q.qs, drn, src);
}

// The unified flicker noise of the manual's strong-inversion form: the number
// fluctuation of the oxide traps along the channel (the inversion charge densities N0 at
// the source and Nl at the drain in 1/m^2, from Vgsteff and Abulk Vdseff as v3.3 writes
// them; noia, noib, noic in the manual's units, hence its 1e8 and 2e14) and the mobility
// part over the channel-length-modulation length dLclm. With a large negative noic the
// density can come out negative at high overdrive; ngspice then prints nan, and so do we.
double Bsim3::unified_flicker(const Channel3& c, double f) const {
  const Sized& z = z_;
  const NoiseOp& o = c.op;
  const double id = std::abs(c.id.v), ef = std::pow(f, p_.ef), vtm = noise_kboq * kelvin_;
  const double esat = 2 * z.vsat / o.ueff;
  const double dlclm = p_.em <= 0 ? 0.0
      : z.litl * std::log(std::max(((o.vds - o.vdseff) / z.litl + p_.em) / esat, 1e-38));
  const double n0 = z.cox * o.vgsteff / q;
  const double nl = z.cox * o.vgsteff * (1 - o.abulk * o.vdseff / o.vgst2vtm) / q;
  const double traps = p_.noia * std::log(std::max((n0 + 2e14) / (nl + 2e14), 1e-38)) + p_.noib * (n0 - nl) +
                       0.5 * p_.noic * (n0 * n0 - nl * nl);
  const double number = q * q * vtm * id * o.ueff / (1e8 * ef * o.abulk * z.cox * z.leff * z.leff) * traps;
  const double at_drain = (p_.noia + p_.noib * nl + p_.noic * nl * nl) / ((nl + 2e14) * (nl + 2e14));
  const double clm = vtm * id * id / (1e8 * ef * z.leff * z.leff * z.weff) * dlclm * at_drain;
  return number + clm;
}

void Bsim3::noise(const Eval& e, double f, std::vector<NoiseSource>& out) const {
  const double mod = p_.noimod;
  if (mod != 1 && mod != 2 && mod != 3 && mod != 4)
    throw InputError(noimod_where_, fmt::format("BSIM3 model '{}': noimod {:g} is not 1, 2, 3 or 4 (device '{}')",
                                                model_name_, mod, name()));
  const double four_kt = 4 * constants::boltzmann * kelvin_, m = p_.m;
  out.push_back({".rd", d_, dp_, rd_ohm_ > 0 ? four_kt / rd_ohm_ : 0});
  out.push_back({".rs", s_, sp_, rs_ohm_ > 0 ? four_kt / rs_ohm_ : 0});
  const Frame v = frame(e);
  const Channel3 c = channel(v, mod == 2 || mod == 4, true);
  const NoiseOp& o = c.op;
  double thermal;
  if (mod == 1 || mod == 3) {
    thermal = four_kt * 2.0 / 3.0 * std::abs(c.id.d[0] + c.id.d[1] + c.id.d[2]);
  } else {
    // The inversion charge (of one device: the charges carry m), Qinv = -(Qg + Qb).
    const double qinv = std::abs(c.q.qg.v + c.q.qb.v) / m;
    thermal = four_kt * o.ueff * qinv / (z_.leff * z_.leff + o.ueff * qinv * o.rds);
  }
  out.push_back({".id", dp_, sp_, m * thermal});

  const double id = std::abs(c.id.v);
  double flicker;
  if (mod == 1 || mod == 4) {
    flicker = p_.kf * std::pow(std::max(id, 1e-38), p_.af) / (std::pow(f, p_.ef) * z_.leff * z_.leff * z_.cox);
  } else {
    // The manual's weak-inversion form Swi combined with the strong-inversion form as
    // Ssi Swi / (Ssi + Swi), at every bias. The manual takes Ssi at vth + 0.1 V below
    // there; ngspice (and the BSIM3v3.3 code) at the operating point, which is what we
    // do: measured, Swi alone (or the manual's reading) is 3.4 times ngspice's density
    // at vgs = 0.3 V, below threshold.
    const double swi = p_.noia * noise_kboq * kelvin_ * id * id / (z_.weff * z_.leff * std::pow(f, p_.ef) * 4e36);
    const double ssi = unified_flicker(c, f);
    flicker = ssi + swi > 0 ? ssi * swi / (ssi + swi) : 0.0;
  }
  out.push_back({".1overf", dp_, sp_, m * flicker});
}

double Bsim3::limit(const Eval& accepted, const Eval& proposed) const {
  namespace j = junction;
  const Frame o = frame(accepted), n = frame(proposed);
  const double von = channel(o).vth;
  return j::channel_step_fraction(o.vgs, o.vds, n.vgs, n.vds, von);
}

}  // namespace

namespace {

DeviceType bsim3_type(std::string_view key, int polarity, std::string_view summary, std::string_view example) {
  return {key, summary, {"d", "g", "s", "b"}, {},
          [] { return describe<P>(bsim3_params); },
          [] { return std::vector<StateInfo>{}; },
          [] {
            return std::vector<QuantityInfo>{
                {"id", "A", "drain current, n-type frame (into d for nmos)"},
                {"vgs", "V", "gate-source voltage, n-type frame"},
                {"vds", "V", "drain-source voltage, n-type frame"},
                {"vbs", "V", "bulk-source voltage, n-type frame"},
                {"gm", "S", "transconductance"},
                {"gds", "S", "output conductance"},
                {"vth", "V", "threshold voltage"},
                {"vdsat", "V", "saturation voltage, n-type frame"}};
          },
          [polarity](const DeviceInput& in) { return std::make_unique<Bsim3>(in, polarity); },
          example, 'm'};
}

#define NS_BSIM3_NMOS(level) \
  "M1 d g s b mn w=10u l=0.35u\n.model mn nmos level=" level " vth0=0.5 tox=7.5n u0=400 vsat=1e5\n"
#define NS_BSIM3_PMOS(level) \
  "M1 d g s b mp w=10u l=0.35u\n.model mp pmos level=" level " vth0=-0.6 tox=7.5n u0=150 vsat=8e4\n"

}  // namespace

const bool bsim3_registered =
    register_device_type(bsim3_type("nmos level=49", 1, "n-channel MOSFET, BSIM3v3.3 (level 49, as ngspice)",
                                    NS_BSIM3_NMOS("49"))) &&
    register_device_type(bsim3_type("pmos level=49", -1, "p-channel MOSFET, BSIM3v3.3 (level 49, as ngspice)",
                                    NS_BSIM3_PMOS("49"))) &&
    register_device_type(bsim3_type("nmos level=8", 1, "n-channel MOSFET, BSIM3v3.3 (level 8, the same as level 49)",
                                    NS_BSIM3_NMOS("8"))) &&
    register_device_type(bsim3_type("pmos level=8", -1, "p-channel MOSFET, BSIM3v3.3 (level 8, the same as level 49)",
                                    NS_BSIM3_PMOS("8")));


}  // namespace ns
