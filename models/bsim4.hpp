#pragma once
// BSIM4 (ngspice levels 14 and 54): what bsim4_params.cpp (the card, binning, geometry and
// temperature) hands to bsim4.cpp (the bias-dependent evaluation). Names and defaults are
// the BSIM4 manual's (4.5 to 4.8). `computed`: derived when not given (a formula of the
// manual, or a default that depends on the type or on mobMod).
#include <array>
#include <limits>
#include <vector>

#include "circuit/params.hpp"

namespace ns::bsim4 {

inline constexpr double computed = std::numeric_limits<double>::quiet_NaN();

// Size-dependent parameters: each also takes the binning variants lNAME, wNAME, pNAME.
#define NS_BSIM4_BINNED(B) \
  B(cdsc, 2.4e-4) B(cdscb, 0) B(cdscd, 0) B(cit, 0) B(nfactor, 1) B(xj, 1.5e-7) B(vsat, 8e4) \
  B(at, 3.3e4) B(a0, 1) B(ags, 0) B(a1, 0) B(a2, 1) B(keta, -0.047) B(nsub, 6e16) \
  B(ndep, 1.7e17) B(nsd, 1e20) B(phin, 0) B(ngate, 0) B(gamma1, computed) B(gamma2, computed) \
  B(vbx, computed) B(vbm, -3) B(xt, 1.55e-7) B(k1, computed) B(kt1, -0.11) B(kt1l, 0) \
  B(kt2, 0.022) B(k2, computed) B(k3, 80) B(k3b, 0) B(w0, 2.5e-6) B(dvtp0, 0) B(dvtp1, 0) \
  B(dvtp2, 0) B(dvtp3, 0) B(dvtp4, 0) B(dvtp5, 0) B(lpe0, 1.74e-7) B(lpeb, 0) B(dvt0, 2.2) \
  B(dvt1, 0.53) B(dvt2, -0.032) B(dvt0w, 0) B(dvt1w, 5.3e6) B(dvt2w, -0.032) B(drout, 0.56) \
  B(dsub, computed) B(vth0, computed) B(ua, computed) B(ua1, 1e-9) B(ub, 1e-19) B(ub1, -1e-18) \
  B(uc, computed) B(uc1, computed) B(ud, 0) B(ud1, 0) B(up, 0) B(lp, 1e-8) B(u0, computed) \
  B(eu, computed) B(ucs, computed) B(ucste, -4.775e-3) B(ute, -1.5) B(voff, -0.08) B(minv, 0) \
  B(minvcv, 0) B(voffl, 0) B(voffcvl, 0) B(tvoff, 0) B(tnfactor, 0) B(teta0, 0) B(tvoffcv, 0) \
  B(delta, 0.01) B(rdsw, 200) B(rdw, 100) B(rsw, 100) B(prwg, 1) B(prwb, 0) B(prt, 0) \
  B(eta0, 0.08) B(etab, -0.07) B(pclm, 1.3) B(pdiblc1, 0.39) B(pdiblc2, 0.0086) B(pdiblcb, 0) \
  B(fprout, 0) B(pdits, 0) B(pditsd, 0) B(pscbe1, 4.24e8) B(pscbe2, 1e-5) B(pvag, 0) B(wr, 1) \
  B(dwg, 0) B(dwb, 0) B(b0, 0) B(b1, 0) B(alpha0, 0) B(alpha1, 0) B(beta0, 0) B(agidl, 0) \
  B(bgidl, 2.3e9) B(cgidl, 0.5) B(egidl, 0.8) B(rgidl, 1) B(kgidl, 0) B(fgidl, 0) \
  B(agisl, computed) B(bgisl, computed) B(cgisl, computed) B(egisl, computed) \
  B(rgisl, computed) B(kgisl, computed) B(fgisl, computed) B(aigc, computed) B(bigc, computed) \
  B(cigc, computed) B(aigs, computed) B(bigs, computed) B(cigs, computed) B(aigd, computed) \
  B(bigd, computed) B(cigd, computed) B(aigsd, computed) B(bigsd, computed) B(cigsd, computed) \
  B(aigbacc, 1.36e-2) B(bigbacc, 1.71e-3) B(cigbacc, 0.075) B(aigbinv, 1.11e-2) \
  B(bigbinv, 9.49e-4) B(cigbinv, 6e-3) B(nigc, 1) B(nigbinv, 3) B(nigbacc, 1) B(ntox, 1) \
  B(eigbinv, 1.1) B(pigcd, computed) B(poxedge, 1) B(xrcrg1, 12) B(xrcrg2, 1) B(lambda, 0) \
  B(vtl, 2e5) B(xn, 3) B(vfb, computed) B(cgsl, 0) B(cgdl, 0) B(ckappas, 0.6) \
  B(ckappad, computed) B(cf, computed) B(clc, 1e-7) B(cle, 0.6) B(vfbcv, -1) B(noff, 1) \
  B(voffcv, 0) B(acde, 1) B(moin, 15) B(vfbsdoff, 0) B(tvfbsdoff, 0) B(kvth0we, 0) B(k2we, 0) \
  B(ku0we, 0) B(ados, 1) B(bdos, 1)

#define NS_BSIM4_MODEL(M) \
  M(binunit, 1) M(paramchk, 1) M(mobmod, 0) M(capmod, 2) M(igcmod, 0) M(igbmod, 0) M(geomod, 0) \
  M(diomod, 1) M(rdsmod, 0) M(rbodymod, 0) M(rgatemod, 0) M(permod, 1) M(acnqsmod, 0) \
  M(trnqsmod, 0) M(fnoimod, 1) M(tnoimod, 0) M(gidlmod, 0) M(mtrlmod, 0) M(mtrlcompatmod, 0) \
  M(cvchargemod, 0) M(tempmod, 0) M(wpemod, 0) M(rgeomod, 0) M(toxe, 3e-9) M(toxp, computed) \
  M(toxm, computed) M(dtox, 0) M(epsrox, 3.9) M(toxref, 3e-9) M(wint, 0) M(lint, 0) M(ll, 0) \
  M(wl, 0) M(lln, 1) M(wln, 1) M(lw, 0) M(ww, 0) M(lwn, 1) M(wwn, 1) M(lwl, 0) M(wwl, 0) \
  M(llc, computed) M(wlc, computed) M(lwc, computed) M(wwc, computed) M(lwlc, computed) \
  M(wwlc, computed) M(dlc, computed) M(dwc, computed) M(dlcig, computed) M(dlcigd, computed) \
  M(dwj, computed) M(xl, 0) M(xw, 0) M(xpart, 0) M(tnom, 27) M(lmin, 0) M(lmax, 100) M(wmin, 0) \
  M(wmax, 100) M(lc, 5e-9) M(pditsl, 0) M(rdswmin, 0) M(rdwmin, 0) M(rswmin, 0) M(rsh, 0) \
  M(rshg, 0.1) M(ngcon, 1) M(xgw, 0) M(xgl, 0) M(gbmin, 1e-12) M(rbpb, 50) M(rbpd, 50) \
  M(rbps, 50) M(rbdb, 50) M(rbsb, 50) M(rbps0, 50) M(rbpsl, 0) M(rbpsw, 0) M(rbpsnf, 0) \
  M(rbpd0, 50) M(rbpdl, 0) M(rbpdw, 0) M(rbpdnf, 0) M(rbpbx0, 100) M(rbpbxl, 0) M(rbpbxw, 0) \
  M(rbpbxnf, 0) M(rbpby0, 100) M(rbpbyl, 0) M(rbpbyw, 0) M(rbpbynf, 0) M(rbsbx0, 100) \
  M(rbsby0, 100) M(rbdbx0, 100) M(rbdby0, 100) M(rbsdbxl, 0) M(rbsdbxw, 0) M(rbsdbxnf, 0) \
  M(rbsdbyl, 0) M(rbsdbyw, 0) M(rbsdbynf, 0) M(jss, 1e-4) M(jsws, 0) M(jswgs, 0) \
  M(jsd, computed) M(jswd, computed) M(jswgd, computed) M(njs, 1) M(njd, computed) \
  M(ijthsfwd, 0.1) M(ijthsrev, 0.1) M(ijthdfwd, computed) M(ijthdrev, computed) M(bvs, 10) \
  M(bvd, computed) M(xjbvs, 1) M(xjbvd, computed) M(pbs, 1) M(pbd, computed) M(pbsws, 1) \
  M(pbswd, computed) M(pbswgs, computed) M(pbswgd, computed) M(cjs, 5e-4) M(cjd, computed) \
  M(mjs, 0.5) M(mjd, computed) M(cjsws, 5e-10) M(cjswd, computed) M(mjsws, 0.33) \
  M(mjswd, computed) M(cjswgs, computed) M(cjswgd, computed) M(mjswgs, computed) \
  M(mjswgd, computed) M(tpb, 0) M(tcj, 0) M(tpbsw, 0) M(tcjsw, 0) M(tpbswg, 0) M(tcjswg, 0) \
  M(xtis, 3) M(xtid, computed) M(jtss, 0) M(jtsd, computed) M(jtssws, 0) M(jtsswd, computed) \
  M(jtsswgs, 0) M(jtsswgd, computed) M(jtweff, 0) M(njts, 20) M(njtssw, 20) M(njtsswg, 20) \
  M(njtsd, computed) M(njtsswd, computed) M(njtsswgd, computed) M(xtss, 0.02) M(xtsd, computed) \
  M(xtssws, 0.02) M(xtsswd, computed) M(xtsswgs, 0.02) M(xtsswgd, computed) M(tnjts, 0) \
  M(tnjtssw, 0) M(tnjtsswg, 0) M(tnjtsd, computed) M(tnjtsswd, computed) M(tnjtsswgd, computed) \
  M(vtss, 10) M(vtsd, computed) M(vtssws, 10) M(vtsswd, computed) M(vtsswgs, 10) \
  M(vtsswgd, computed) M(dmcg, 0) M(dmci, computed) M(dmdg, 0) M(dmcgt, 0) M(cgso, computed) \
  M(cgdo, computed) M(cgbo, computed) M(noia, computed) M(noib, computed) M(noic, computed) \
  M(em, 4.1e7) M(ef, 1) M(af, 1) M(kf, 0) M(lintnoi, 0) M(tnoia, 1.5) M(tnoib, 3.5) M(tnoic, 0) \
  M(rnoia, 0.577) M(rnoib, 0.5164) M(rnoic, 0.395) M(ntnoi, 1) M(saref, 1e-6) M(sbref, 1e-6) \
  M(wlod, 0) M(ku0, 0) M(kvsat, 0) M(kvth0, 0) M(tku0, 0) M(llodku0, 0) M(wlodku0, 0) \
  M(llodvth, 0) M(wlodvth, 0) M(lku0, 0) M(wku0, 0) M(pku0, 0) M(lkvth0, 0) M(wkvth0, 0) \
  M(pkvth0, 0) M(stk2, 0) M(lodk2, 1) M(steta0, 0) M(lodeta0, 1) M(web, 0) M(wec, 0) \
  M(scref, 1e-6) M(eot, 1.5e-9) M(vddeot, computed) M(tempeot, 300.15) M(leffeot, 1) \
  M(weffeot, 10) M(phig, 4.05) M(epsrgate, 11.7) M(easub, 4.05) M(epsrsub, 11.7) \
  M(ni0sub, 1.45e10) M(bg0sub, 1.16) M(tbgasub, 7.02e-4) M(tbgbsub, 1108) M(gidlclamp, -1e-5) \
  M(idovvdsc, 1e-9)

#define NS_BSIM4_ID(name, value) name,
enum Binned : int { NS_BSIM4_BINNED(NS_BSIM4_ID) binned_count };
enum ModelId : int { NS_BSIM4_MODEL(NS_BSIM4_ID) model_count };
#undef NS_BSIM4_ID

struct Instance {
  double w = 5e-6, l = 5e-6, nf = 1, mult = 1, ad = 0, as = 0, pd = 0, ps = 0, nrd = 0, nrs = 0;  // nrd, nrs: 0 = not given
  double sa = 0, sb = 0, sd = 0, delvto = 0, mulu0 = 1, min = 0;
  bool ad_given = false, as_given = false, pd_given = false, ps_given = false;
};

// A model card with one instance's values: binned parameters already for this L and W.
struct Card {
  std::array<double, binned_count> b{};  // NaN where `computed` and not given
  std::array<double, model_count> m{};
  Instance inst;
  int type = 1;  // +1 nmos, -1 pmos
};

// Everything that depends on geometry and temperature but not on bias.
struct Sized {
  double leff, weff, leffcv, weffcv, weffcj;  // m
  double coxe, coxp, epssub, vtm, vtm0, temp_ratio;
  double phi, sqrt_phi, xdep0, litl, vbi, cdep0, ldeb, factor1, vbsc;
  double k1, k2, k1ox, k2ox, vth0, vfb, vfbzb, theta0vb0, theta_rout, mstar, voffcbn, eta0;
  double u0, ua, ub, uc, ud, eu, vsat, rds0, rdswmin, abulk_cv_factor, acde;
  double cgso, cgdo, cgbo, cgsl, cgdl, ckappas, ckappad, tox_ratio;
  double vtfbphi1, vtfbphi2, kt_term;
  // Junctions: saturation currents (A), zero-bias capacitances (F), potentials, gradings.
  struct Junction {
    double is, nvt, vjfwd, ivjfwd, vjrev, ivjrev, bv, xjbv;
    double cbottom, cside, cgate, pb, pbsw, pbswg, mj, mjsw, mjswg;
  } source, drain;
};

std::vector<ParamInfo> describe();
Card read_card(const DeviceInput& in, int type);  // InputErrors located on the cards
Sized size_and_temperature(const Card& c, double kelvin);
// A card's model name without the binning suffix: "nch.3" -> "nch".
}  // namespace ns::bsim4
