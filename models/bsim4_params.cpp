// BSIM4's card: every parameter name of the manual accepted (with its binning variants),
// binning to one instance's L and W, and the geometry- and temperature-dependent values
// that bsim4.cpp's bias-dependent evaluation starts from. Equations: the BSIM4 manual.
#include <algorithm>
#include <cmath>
#include <deque>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "bsim4.hpp"
#include "circuit/constants.hpp"

namespace ns::bsim4 {
namespace {

// ngspice's constants for its BSIM models (the model's numbers are fitted with them).
constexpr double eps0 = 8.85418e-12, eps_si = 1.03594e-10, q = 1.60219e-19, k_over_q = 8.617087e-5;

enum class Kind { Binned, Model, Instance };
struct Entry {
  Kind kind;
  int id;       // Binned / ModelId / index into instance_names
  int variant;  // binned: 0 the value, 1 l, 2 w, 3 p
};

constexpr std::string_view instance_names[] = {
    "w", "l", "nf", "m", "mult", "ad", "as", "pd", "ps", "nrd", "nrs", "sa", "sb", "sd", "delvto",
    "mulu0", "min", "rgatemod", "rbodymod", "geomod", "rgeomod", "off", "trnqsmod", "acnqsmod",
    "sca", "scb", "scc", "sc", "rbdb", "rbsb", "rbpb", "rbps", "rbpd", "xgw", "ngcon"};

#define NS_BSIM4_ROW(name, value) {#name, value},
struct Row {
  std::string_view name;
  double value;
};
constexpr Row binned_rows[] = {NS_BSIM4_BINNED(NS_BSIM4_ROW)};
constexpr Row model_rows[] = {NS_BSIM4_MODEL(NS_BSIM4_ROW)};
#undef NS_BSIM4_ROW

struct Table {
  std::deque<std::string> names;  // the binning variants' names, stable for string_views
  std::vector<ParamInfo> info;
  std::vector<Entry> entries;     // parallel to info
  std::unordered_map<std::string_view, std::size_t> index;

  void add(std::string_view name, double value, Scope scope, std::string_view doc, Entry e) {
    index.emplace(name, info.size());
    info.push_back({name, "", doc, value, -inf, inf, scope});
    entries.push_back(e);
  }
  Table() {
    for (int k = 0; k < binned_count; ++k) {
      add(binned_rows[k].name, binned_rows[k].value, Scope::Model, "size-dependent (binned)",
          {Kind::Binned, k, 0});
      for (int v = 1; v <= 3; ++v) {
        names.push_back(std::string(1, "lwp"[v - 1]) + std::string(binned_rows[k].name));
        add(names.back(), 0, Scope::Model, "binning coefficient", {Kind::Binned, k, v});
      }
    }
    for (int k = 0; k < model_count; ++k)
      add(model_rows[k].name, model_rows[k].value, Scope::Model, "model", {Kind::Model, k, 0});
    // The manual lists some model switches and body resistances (rgeoMod, rbdb, xgw ...)
    // among the instance parameters too: there they override the card's value.
    for (int k = 0; k < int(std::size(instance_names)); ++k) {
      if (const auto it = index.find(instance_names[k]); it != index.end()) info[it->second].scope = Scope::Both;
      else add(instance_names[k], 0, Scope::Instance, "instance", {Kind::Instance, k, 0});
    }
  }
};

const Table& table() {
  static const Table t;
  return t;
}

bool given(double v) { return !std::isnan(v); }
// Where the layout stress effect applies: SA and SB given, and SD with more than one finger.
bool stressed(const Instance& inst) { return inst.sa > 0 && inst.sb > 0 && (inst.nf == 1 || inst.sd > 0); }
double or_else(double v, double fallback) { return given(v) ? v : fallback; }

// theta(x) = 0.5 / (cosh(x) - 1), written with exp as the manual's short-channel factor.
double theta_of(double x) {
  if (x >= 34) return 1 / (5.834617425e14 - 2);
  const double e = std::exp(x);
  return e / ((e - 1) * (e - 1) + 2 * e * 1e-34);
}

double band_gap(double kelvin) { return 1.16 - 7.02e-4 * kelvin * kelvin / (kelvin + 1108); }

}  // namespace

std::vector<ParamInfo> describe() { return table().info; }

Card read_card(const DeviceInput& in, int type) {
  const Table& t = table();
  Card c;
  c.type = type;
  std::array<std::array<double, 4>, binned_count> raw{};
  for (int k = 0; k < binned_count; ++k) raw[k] = {binned_rows[k].value, 0, 0, 0};
  for (int k = 0; k < model_count; ++k) c.m[k] = model_rows[k].value;
  Instance& inst = c.inst;
  auto set = [&](std::string_view name, double value, const Location& where, bool on_instance) {
    const auto it = t.index.find(name);
    const std::string_view owner = on_instance ? std::string_view(in.element.name) : std::string_view(in.model->name);
    std::size_t k = it == t.index.end() ? t.info.size() : it->second;
    if (k == t.info.size() && !on_instance && detail::ignore_model_param(t.info, name, where, owner, in.warnings))
      return;
    if (k == t.info.size() || t.info[k].scope == (on_instance ? Scope::Model : Scope::Instance))
      k = detail::find_param(t.info, name, where, owner, on_instance);  // throws
    const Entry e = t.entries[k];
    if (e.kind == Kind::Binned) raw[e.id][e.variant] = value;
    else if (e.kind == Kind::Model) c.m[e.id] = value;
    else {
      const std::string_view n = instance_names[e.id];
      auto positive = [&] {
        if (!(value > 0)) throw InputError(where, fmt::format("'{}' of '{}' must be positive", n, owner));
      };
      if (n == "w") positive(), inst.w = value;
      else if (n == "l") positive(), inst.l = value;
      else if (n == "nf") {
        if (value < 1) throw InputError(where, fmt::format("nf of '{}' must be at least 1", owner));
        inst.nf = value;
      } else if (n == "m" || n == "mult") positive(), inst.mult = value;
      else if (n == "ad") inst.ad = value, inst.ad_given = true;
      else if (n == "as") inst.as = value, inst.as_given = true;
      else if (n == "pd") inst.pd = value, inst.pd_given = true;
      else if (n == "ps") inst.ps = value, inst.ps_given = true;
      else if (n == "nrd") inst.nrd = value;
      else if (n == "nrs") inst.nrs = value;
      else if (n == "sa") inst.sa = value;
      else if (n == "sb") inst.sb = value;
      else if (n == "sd") inst.sd = value;
      else if (n == "delvto") inst.delvto = value;
      else if (n == "mulu0") inst.mulu0 = value;
      else if (n == "min") inst.min = value;
      // The rest (the layout of gate and body resistances, per-instance model switches) is
      // accepted; bsim4.cpp refuses a switch it does not implement where it reads it.
    }
  };
  if (in.model)
    for (const auto& a : in.model->params)
      if (a.name != "level") set(a.name, a.value, a.where, false);
  if (!in.element.values.empty())
    throw InputError(in.element.values.front().where, "too many values on '" + in.element.name + "'");
  for (const auto& a : in.element.params) set(a.name, a.value, a.where, true);

  // Binning: P = P0 + PL / Leff + PW / Weff + PP / (Leff Weff), Leff and Weff in um when
  // binunit = 1, from the drawn sizes and the dL, dW of the card.
  const double lnew = inst.l + c.m[xl], wnew = inst.w / inst.nf + c.m[xw];
  const double dl = c.m[lint] + c.m[ll] / std::pow(lnew, c.m[lln]) + c.m[lw] / std::pow(wnew, c.m[lwn]) +
                    c.m[lwl] / (std::pow(lnew, c.m[lln]) * std::pow(wnew, c.m[lwn]));
  const double dw = c.m[wint] + c.m[wl] / std::pow(lnew, c.m[wln]) + c.m[ww] / std::pow(wnew, c.m[wwn]) +
                    c.m[wwl] / (std::pow(lnew, c.m[wln]) * std::pow(wnew, c.m[wwn]));
  const double leff = lnew - 2 * dl, weff = wnew - 2 * dw;
  if (leff <= 0 || weff <= 0)
    throw InputError(in.element.where, fmt::format("MOSFET '{}': effective length {:g} m or width {:g} m "
                                                   "is not positive", in.element.name, leff, weff));
  const double unit = c.m[binunit] == 1 ? 1e-6 : 1;
  const double il = unit / leff, iw = unit / weff;
  for (int k = 0; k < binned_count; ++k)
    c.b[k] = raw[k][0] + raw[k][1] * il + raw[k][2] * iw + raw[k][3] * il * iw;
  if (stressed(inst) && (c.m[ku0] != 0 || c.m[kvsat] != 0) && in.warnings)
    in.warnings->push_back(fmt::format("{}: warning: MOSFET '{}': the stress effect's mobility and velocity terms "
                                       "(ku0, kvsat of model '{}') are not applied, as ngspice 39 does not apply them",
                                       in.element.where.str(), in.element.name, in.model->name));
  return c;
}

Sized size_and_temperature(const Card& c, double kelvin) {
  const auto& b = c.b;
  const auto& m = c.m;
  const Instance& inst = c.inst;
  const int type = c.type;
  Sized s{};
  const double tnom_k = m[tnom] + constants::zero_celsius;
  s.temp_ratio = kelvin / tnom_k;
  const double dtemp = kelvin - tnom_k;
  s.vtm = k_over_q * kelvin;
  s.vtm0 = k_over_q * tnom_k;
  s.epssub = eps_si;

  const double toxe_ = m[toxe];
  const double toxp_ = or_else(m[toxp], toxe_ - m[dtox]);
  const double toxm_ = or_else(m[toxm], toxe_);
  s.coxe = m[epsrox] * eps0 / toxe_;
  s.coxp = m[epsrox] * eps0 / toxp_;
  s.tox_ratio = toxp_;

  // Geometry: the DC, C-V and junction dL and dW.
  const double lnew = inst.l + m[xl], wnew = inst.w / inst.nf + m[xw];
  auto delta_of = [&](double base, double a, double an, double bcoef, double bn, double ab) {
    const double pl = std::pow(lnew, an), pw = std::pow(wnew, bn);
    return base + a / pl + bcoef / pw + ab / (pl * pw);
  };
  const double dl = delta_of(m[lint], m[ll], m[lln], m[lw], m[lwn], m[lwl]);
  const double dw = delta_of(m[wint], m[wl], m[wln], m[ww], m[wwn], m[wwl]);
  const double dlc_ = delta_of(or_else(m[dlc], m[lint]), or_else(m[llc], m[ll]), m[lln],
                               or_else(m[lwc], m[lw]), m[lwn], or_else(m[lwlc], m[lwl]));
  const double dwc_base = or_else(m[dwc], m[wint]);
  const double dwc_ = delta_of(dwc_base, or_else(m[wlc], m[wl]), m[wln], or_else(m[wwc], m[ww]),
                               m[wwn], or_else(m[wwlc], m[wwl]));
  const double dwj_ = delta_of(or_else(m[dwj], dwc_base), or_else(m[wlc], m[wl]), m[wln],
                               or_else(m[wwc], m[ww]), m[wwn], or_else(m[wwlc], m[wwl]));
  s.leff = lnew - 2 * dl;
  s.weff = wnew - 2 * dw;
  s.leffcv = lnew - 2 * dlc_;
  s.weffcv = wnew - 2 * dwc_;
  s.weffcj = wnew - 2 * dwj_;

  // Doping, surface potential, depletion widths (at tnom, as the manual's).
  const double eg0 = band_gap(tnom_k);
  const double ni = 1.45e10 * (tnom_k / 300.15) * std::sqrt(tnom_k / 300.15) *
                    std::exp(21.5565981 - eg0 / (2 * s.vtm0));
  const double ndep_ = b[ndep];
  s.phi = s.vtm0 * std::log(ndep_ / ni) + b[phin] + 0.4;
  s.sqrt_phi = std::sqrt(s.phi);
  s.xdep0 = std::sqrt(2 * eps_si / (q * ndep_ * 1e6)) * s.sqrt_phi;
  s.litl = std::sqrt(3 * 3.9 / m[epsrox] * b[xj] * toxe_);
  s.vbi = s.vtm0 * std::log(b[nsd] * ndep_ / (ni * ni));
  s.cdep0 = std::sqrt(q * eps_si * ndep_ * 1e6 / 2 / s.phi);
  s.ldeb = std::sqrt(eps_si * s.vtm0 / (q * ndep_ * 1e6)) / 3;
  s.acde = b[acde] * std::pow(ndep_ / 2e16, -0.25);
  s.factor1 = std::sqrt(eps_si / (m[epsrox] * eps0) * toxe_);

  // The layout stress effect (the BSIM4 manual's stress model): the instance's distances SA,
  // SB from the gate to the diffusion edges (fingers SD apart) against the card's SAREF,
  // SBREF shift VTH0, K2 and ETA0, where SA and SB are given (and SD with more than one
  // finger), as ngspice's. Its mobility and velocity terms (KU0, KVSAT) ngspice 39 does not
  // apply (measured: KU0 = -2e-7 and 5e-8 leave the currents to the last digit), nor here;
  // read_card warns of them.
  double od_offset = 0, kvth0_stress = 1;
  if (stressed(inst)) {
    const double ldrn = inst.l, lnew = ldrn + m[xl], wtmp = inst.w / inst.nf + m[xw] + m[wlod];
    const double tl = std::pow(lnew, m[llodvth]), tw = std::pow(wtmp, m[wlodvth]);
    const double kv = 1 + m[lkvth0] / tl + m[wkvth0] / tw + m[pkvth0] / (tl * tw);
    kvth0_stress = std::sqrt(kv * kv + 1e-9);
    double inv_sa = 0, inv_sb = 0;
    for (int i = 0; i < inst.nf; ++i) {
      inv_sa += 1 / inst.nf / (inst.sa + 0.5 * ldrn + i * (inst.sd + ldrn));
      inv_sb += 1 / inst.nf / (inst.sb + 0.5 * ldrn + i * (inst.sd + ldrn));
    }
    od_offset = inv_sa + inv_sb - 1 / (m[saref] + 0.5 * ldrn) - 1 / (m[sbref] + 0.5 * ldrn);
  }

  // Body effect: K1, K2 given, or from the doping profile.
  if (!given(b[k1]) && !given(b[k2])) {
    const double vbx_ = or_else(b[vbx], s.phi - 7.7348e-4 * ndep_ * b[xt] * b[xt]);
    const double g1 = or_else(b[gamma1], 5.753e-12 * std::sqrt(ndep_) / s.coxe);
    const double g2 = or_else(b[gamma2], 5.753e-12 * std::sqrt(b[nsub]) / s.coxe);
    const double t0 = g1 - g2;
    const double t1 = std::sqrt(s.phi - vbx_) - s.sqrt_phi;
    const double t2 = std::sqrt(s.phi * (s.phi - b[vbm])) - s.phi;
    s.k2 = t0 * t1 / (2 * t2 + b[vbm]);
    s.k1 = g2 - 2 * s.k2 * std::sqrt(s.phi - b[vbm]);
  } else {
    s.k1 = or_else(b[k1], 0.53);
    s.k2 = or_else(b[k2], -0.0186);
  }
  s.k1ox = s.k1 * toxe_ / toxm_;
  s.k2ox = s.k2 * toxe_ / toxm_;
  if (s.k2 < 0) {
    const double t = 0.5 * s.k1 / s.k2;
    s.vbsc = std::clamp(0.9 * (s.phi - t * t), -30.0, -3.0);
  } else {
    s.vbsc = -30;
  }
  s.vbsc = std::min(s.vbsc, s.phi);
  s.k2 += m[stk2] / std::pow(kvth0_stress, m[lodk2]) * od_offset;  // after VBSC, as ngspice's
  s.k2ox = s.k2 * toxe_ / toxm_;

  // Threshold at zero bias and the flat band it implies.
  // Without VTH0 the threshold comes from VFB (default -1 V), as ngspice's BSIM4.
  const double vth0_given = given(b[vth0]) ? b[vth0] : type * (or_else(b[vfb], -1.0) + s.phi + s.k1 * s.sqrt_phi);
  s.vth0 = type * (vth0_given + inst.delvto);  // n-type frame from here on
  // A given VFB is read in the n-type frame as it stands (as ngspice: measured on the PTM
  // 45-nm PMOS card, vfb=0.55, whose drain current was 1.5-6 % off with type * vfb).
  s.vfb = given(b[vfb]) ? b[vfb] : s.vth0 - s.phi - s.k1 * s.sqrt_phi;
  s.vth0 += type * m[kvth0] / kvth0_stress * od_offset;  // the stress shift: not in VFB
  const double lt0 = s.factor1 * std::sqrt(s.xdep0);
  s.theta0vb0 = theta_of(or_else(b[dsub], b[drout]) * s.leff / lt0);
  s.theta_rout = b[pdiblc1] * theta_of(b[drout] * s.leff / lt0) + b[pdiblc2];
  {
    const double v0 = s.vbi - s.phi;
    const double t8 = b[dvt0w] * theta_of(b[dvt1w] * s.weff * s.leff / lt0) * v0;
    const double t9 = b[dvt0] * theta_of(b[dvt1] * s.leff / lt0) * v0;
    const double t4 = toxe_ * s.phi / (s.weff + b[w0]);
    const double t5 = s.k1ox * (std::sqrt(1 + b[lpe0] / s.leff) - 1) * s.sqrt_phi +
                      (b[kt1] + b[kt1l] / s.leff) * (s.temp_ratio - 1);
    s.vfbzb = s.vth0 - t8 - t9 + b[k3] * t4 + t5 - s.phi - s.k1 * s.sqrt_phi;
  }
  s.mstar = 0.5 + std::atan(b[minv]) / constants::pi;
  s.voffcbn = b[voff] * (1 + b[tvoff] * kelvin) + b[voffl] / s.leff;
  s.eta0 = (b[eta0] + m[steta0] / std::pow(kvth0_stress, m[lodeta0]) * od_offset) * (1 + b[teta0] * kelvin);
  s.kt_term = s.temp_ratio - 1;

  // Mobility, saturation velocity, source/drain resistance at temperature.
  const int mob = int(m[mobmod]);
  double u0_ = or_else(b[u0], type > 0 ? 0.067 : 0.025);
  if (u0_ > 1) u0_ *= 1e-4;  // given in cm^2/Vs
  s.u0 = u0_ * std::pow(s.temp_ratio, b[ute]) * inst.mulu0;
  const double tr = s.temp_ratio - 1;
  s.ua = or_else(b[ua], mob == 2 ? 1e-15 : 1e-9) + b[ua1] * tr;
  s.ub = b[ub] + b[ub1] * tr;
  s.uc = or_else(b[uc], mob == 1 ? -0.0465 : -0.0465e-9) + or_else(b[uc1], mob == 1 ? -0.056 : -0.056e-9) * tr;
  s.ud = b[ud] + b[ud1] * tr;
  s.eu = or_else(b[eu], type > 0 ? 1.67 : 1.0);
  s.vsat = b[vsat] - b[at] * tr;
  const double pow_weff_wr = std::pow(s.weffcj * 1e6, b[wr]);
  s.rds0 = (b[rdsw] + b[prt] * tr) / pow_weff_wr;
  s.rdswmin = m[rdswmin] / pow_weff_wr;
  s.abulk_cv_factor = 1 + std::pow(b[clc] / s.leffcv, b[cle]);
  s.vtfbphi1 = std::max(0.0, (type > 0 ? 2.0 : 2.5) * (s.vth0 - s.vfb - s.phi));
  s.vtfbphi2 = std::max(0.0, 4 * (s.vth0 - s.vfb - s.phi));

  // Overlap and fringe capacitances (per instance: times the C-V width or length).
  const double cf_ = or_else(b[cf], 2 * m[epsrox] * eps0 / constants::pi * std::log(1 + 0.4e-6 / toxe_));
  const double dlc_base = or_else(m[dlc], m[lint]);
  auto overlap = [&](double given_value, double cgxl) {
    if (given(given_value)) return given_value;
    if (given(m[dlc]) && dlc_base > 0) return std::max(0.0, dlc_base * s.coxe - cgxl);
    return 0.6 * b[xj] * s.coxe;
  };
  s.cgso = (overlap(m[cgso], b[cgsl]) + cf_) * s.weffcv * inst.nf;
  s.cgdo = (overlap(m[cgdo], b[cgdl]) + cf_) * s.weffcv * inst.nf;
  s.cgbo = or_else(m[cgbo], 2 * dwc_base * s.coxe) * s.leffcv * inst.nf;
  s.cgsl = b[cgsl] * s.weffcv * inst.nf;
  s.cgdl = b[cgdl] * s.weffcv * inst.nf;
  s.ckappas = b[ckappas];
  s.ckappad = or_else(b[ckappad], b[ckappas]);

  // Junction diodes: areas and perimeters as given (else from the layout parameters,
  // one finger: diffusion of length DMCG beside the gate), currents and capacitances at
  // temperature.
  const double eg = band_gap(kelvin);
  auto junction = [&](bool drain_side) {
    Sized::Junction j{};
    auto pick = [&](ModelId source_id, ModelId drain_id) { return drain_side ? or_else(m[drain_id], m[source_id]) : m[source_id]; };
    const double wj = s.weffcj * inst.nf;
    // The gate-edge sidewall defaults to the source sidewall; the drain's to the source's.
    auto gate_edge = [&](ModelId source_edge, ModelId source_side, ModelId drain_edge) {
      const double source = or_else(m[source_edge], m[source_side]);
      return drain_side ? or_else(m[drain_edge], source) : source;
    };
    const double area = drain_side ? (inst.ad_given ? inst.ad : wj * m[dmcg]) : (inst.as_given ? inst.as : wj * m[dmcg]);
    double perim = drain_side ? (inst.pd_given ? inst.pd : 2 * (wj + m[dmcg])) : (inst.ps_given ? inst.ps : 2 * (wj + m[dmcg]));
    // perMod 1 (the default): PS and PD include the edge along the gate, which the
    // gate-edge sidewall (CJSWG) already covers.
    if (m[permod] == 1) perim = std::max(0.0, perim - wj);
    const double nj = pick(njs, njd), xti = pick(xtis, xtid);
    const double tfac = std::exp((eg0 / s.vtm0 - eg / s.vtm + xti * std::log(s.temp_ratio)) / nj);
    j.is = (pick(jss, jsd) * area + pick(jsws, jswd) * perim + pick(jswgs, jswgd) * wj) * tfac * inst.mult;
    j.nvt = nj * s.vtm;
    j.bv = pick(bvs, bvd);
    j.xjbv = pick(xjbvs, xjbvd);
    const double ifwd = pick(ijthsfwd, ijthdfwd);
    j.vjfwd = j.is > 0 ? j.nvt * std::log(ifwd / j.is + 1) : inf;
    j.ivjfwd = j.is * std::exp(j.vjfwd / j.nvt);
    j.pb = pick(pbs, pbd) - m[tpb] * dtemp;
    j.pbsw = pick(pbsws, pbswd) - m[tpbsw] * dtemp;
    j.pbswg = gate_edge(pbswgs, pbsws, pbswgd) - m[tpbswg] * dtemp;
    j.mj = pick(mjs, mjd);
    j.mjsw = pick(mjsws, mjswd);
    j.mjswg = gate_edge(mjswgs, mjsws, mjswgd);
    const double cj_ = pick(cjs, cjd), cjsw_ = pick(cjsws, cjswd);
    const double cjswg_ = gate_edge(cjswgs, cjsws, cjswgd);
    j.cbottom = cj_ * (1 + m[tcj] * dtemp) * area * inst.mult;
    j.cside = cjsw_ * (1 + m[tcjsw] * dtemp) * perim * inst.mult;
    j.cgate = cjswg_ * (1 + m[tcjswg] * dtemp) * wj * inst.mult;
    return j;
  };
  s.source = junction(false);
  s.drain = junction(true);
  return s;
}

}  // namespace ns::bsim4
