#include "mos_common.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "circuit/convergence.hpp"
#include "circuit/junction.hpp"

namespace ns::mos {

std::vector<QuantityInfo> Mosfet::probes() {
  return {{"id", "A", "drain current, n-type frame (into d for nmos)"},
          {"vgs", "V", "gate-source voltage, in the n-type frame (times -1 for pmos)"},
          {"vds", "V", "drain-source voltage, n-type frame"},
          {"vbs", "V", "bulk-source voltage, n-type frame"},
          {"gm", "S", "transconductance"},
          {"gds", "S", "output conductance"},
          {"vth", "V", "threshold voltage with body effect (and weak inversion's shift)"},
          {"vdsat", "V", "saturation voltage"}};
}

// Process parameters: kp from u0 and tox, and, with NSUB, phi, gamma, vto and the
// depletion width coefficient, each unless given (ngspice's MOS2/MOS3 temperature setup).
void Mosfet::derive(bool kp_given, bool vto_given, bool gamma_given, bool phi_given, bool ni_at_tnom) {
  namespace j = junction;
  if (c_.tox <= 0) return;  // level 1 without tox: no oxide, so nothing derives from it
  cox_ = eps_ox / c_.tox;
  if (!kp_given) c_.kp = c_.u0 * 1e-4 * cox_;
  if (c_.nsub <= 0) return;
  const double doping = c_.nsub * 1e6;  // 1/m^3
  // Intrinsic carrier density of silicon, 1.45e10 /cm^3 at 300 K, moved to tnom as ngspice's
  // level 3 does (fitted to its phi over nsub = 1e15 ... 1e17: equal to 1e-10).
  const double tnom = c_.tnom + j::zero_celsius, eg = j::band_gap(tnom);
  const double ni = ni_at_tnom ? 1.45e16 * std::pow(tnom / 300, 1.5) *
                                     std::exp(eg / (2 * j::thermal_voltage(1)) * (1.0 / 300 - 1 / tnom))
                               : 1.45e16;
  if (doping > ni) {
    if (!phi_given) c_.phi = std::max(0.1, 2 * j::thermal_voltage(tnom) * std::log(doping / ni));
    const double fermis = type_ * 0.5 * c_.phi;
    double wkfng = 3.2;  // aluminium gate work function
    if (c_.tpg != 0) wkfng = 3.25 + 0.5 * eg - type_ * c_.tpg * 0.5 * eg;
    const double wkfngs = wkfng - (3.25 + 0.5 * eg + fermis);
    if (!gamma_given) c_.gamma = std::sqrt(2 * eps_si * constants::charge * doping) / cox_;
    if (!vto_given) {
      const double vfb = wkfngs - c_.nss * 1e4 * constants::charge / cox_;
      c_.vto = vfb + type_ * (c_.gamma * std::sqrt(c_.phi) + c_.phi);
    }
  }
  xd_ = std::sqrt(2 * eps_si / (constants::charge * doping));
}

void Mosfet::set_geometry(double leff, double weff) {
  if (leff <= 0)
    throw InputError(where(), "MOSFET '" + name() + "': effective channel length " + std::to_string(leff) +
                                  " m is not positive");
  if (weff <= 0)
    throw InputError(where(), "MOSFET '" + name() + "': effective channel width " + std::to_string(weff) +
                                  " m is not positive");
  leff_ = leff;
  weff_ = weff;
}

void Mosfet::setup(Setup& s) {
  d_ = s.terminal(0);
  g_ = s.terminal(1);
  s_ = s.terminal(2);
  b_ = s.terminal(3);
  rd_ohm_ = rd_given_ ? c_.rd : c_.rsh * c_.nrd;
  rs_ohm_ = rs_given_ ? c_.rs : c_.rsh * c_.nrs;
  dp_ = rd_ohm_ > 0 ? s.internal_node("d") : d_;
  sp_ = rs_ohm_ > 0 ? s.internal_node("s") : s_;
  core_.declare(s, {g_, dp_, sp_, b_});
  if (rd_ohm_ > 0) rd_.declare(s, {d_, dp_});
  if (rs_ohm_ > 0) rs_.declare(s, {s_, sp_});
  scale_to(s.temperature());
}

void Mosfet::topology(Topology& t) const {
  t.conducts(d_, s_);
  t.conducts(b_, d_);  // through the bulk diodes' reverse current (and gmin)
  t.conducts(b_, s_);
}

void Mosfet::scale_to(double kelvin) {
  namespace j = junction;
  const double tnom = c_.tnom + j::zero_celsius;
  kelvin_ = kelvin;
  vt_ = j::thermal_voltage(kelvin);
  const double ratio = kelvin / tnom, ratio4 = ratio * std::sqrt(ratio);
  kp_t_ = c_.kp / ratio4;
  u0_t_ = c_.u0 / ratio4;
  phi_t_ = j::potential_at(c_.phi, tnom, kelvin);
  vbi_ = c_.vto - type_ * c_.gamma * std::sqrt(c_.phi) + 0.5 * (j::band_gap(tnom) - j::band_gap(kelvin)) +
         type_ * 0.5 * (phi_t_ - c_.phi);
  const double factor = std::exp(-j::band_gap(kelvin) / vt_ + j::band_gap(tnom) / j::thermal_voltage(tnom));
  const double js = c_.js * factor;
  // A saturation current density counts only when both diffusions have an area.
  const bool by_area = js != 0 && c_.ad != 0 && c_.as != 0;
  is_d_ = by_area ? js * c_.ad : c_.is * factor;
  is_s_ = by_area ? js * c_.as : c_.is * factor;
  vcrit_ = is_s_ > 0 ? vt_ * std::log(vt_ / (std::sqrt(2.0) * is_s_)) : inf;
  pb_t_ = j::potential_at(c_.pb, tnom, kelvin);
  const double bottom = j::capacitance_factor(c_.pb, c_.mj, tnom, kelvin);
  const double side = j::capacitance_factor(c_.pb, c_.mjsw, tnom, kelvin);
  drain_ = bulk_junction(cbd_given_ ? c_.cbd * bottom : c_.cj * bottom * c_.ad, c_.cjsw * side * c_.pd);
  source_ = bulk_junction(cbs_given_ ? c_.cbs * bottom : c_.cj * bottom * c_.as, c_.cjsw * side * c_.ps);
}

BulkJunction Mosfet::bulk_junction(double cz, double czsw) const {
  const double arg = 1 - c_.fc;
  const double sarg = std::pow(arg, -c_.mj), sargsw = std::pow(arg, -c_.mjsw);
  const double dep = c_.fc * pb_t_;
  BulkJunction j{cz, czsw, 0, 0, 0};
  j.f2 = (cz * (1 - c_.fc * (1 + c_.mj)) * sarg + czsw * (1 - c_.fc * (1 + c_.mjsw)) * sargsw) / arg;
  j.f3 = (cz * c_.mj * sarg + czsw * c_.mjsw * sargsw) / arg / pb_t_;
  j.f4 = pb_t_ * (cz * (1 - arg * sarg) / (1 - c_.mj) + czsw * (1 - arg * sargsw) / (1 - c_.mjsw)) -
         j.f3 / 2 * dep * dep - dep * j.f2;
  return j;
}

Mosfet::Current Mosfet::junction_charge(const BulkJunction& j, double v) const {
  if (v < c_.fc * pb_t_) {
    const double arg = 1 - v / pb_t_;
    const double sarg = std::pow(arg, -c_.mj), sargsw = std::pow(arg, -c_.mjsw);
    return {pb_t_ * (j.cz * (1 - arg * sarg) / (1 - c_.mj) + j.czsw * (1 - arg * sargsw) / (1 - c_.mjsw)),
            j.cz * sarg + j.czsw * sargsw};
  }
  return {j.f4 + v * (j.f2 + v * j.f3 / 2), j.f2 + j.f3 * v};
}

// A bulk diode, as ngspice's MOSFETs: constant -IS below -3 vt.
Mosfet::Current Mosfet::diode(double v, double is, double gmin) const {
  if (v <= -3 * vt_) return {gmin * v - is, gmin};
  if (v == 0) return {0.0, is / vt_ + gmin};  // exp(0) = 1 (bulk tied to source: every load)
  const auto ex = safe_exp(v / vt_);
  return {is * (ex.value - 1) + gmin * v, is * ex.slope / vt_ + gmin};
}

Mosfet::Frame Mosfet::frame(const Eval& e) const {
  const double vs = e.v(sp_);
  return {type_ * (e.v(g_) - vs), type_ * (e.v(dp_) - vs), type_ * (e.v(b_) - vs)};
}

Channel Mosfet::channel(const Frame& v, bool derivatives) const {
  Channel c;
  c.mode = v.vds >= 0 ? 1 : -1;
  const double vds = c.mode * v.vds;
  const double vgs = c.mode > 0 ? v.vgs : v.vgs - v.vds;
  const double vbs = c.mode > 0 ? v.vbs : v.vbs - v.vds;
  if (!derivatives) {
    c.id = current(vgs, vds, vbs);
    return c;
  }
  const Strong s = strong(vgs, vds, vbs);
  c.von = s.von;
  c.vdsat = s.vdsat;
  c.id = s.id.v;
  c.gm = s.id.d[0];
  c.gds = s.id.d[1];
  c.gmbs = s.id.d[2];
  return c;
}

// Meyer's gate capacitances (gs, gd, gb), as ngspice's DEVqmeyer doubled (ngspice adds
// the half values of two consecutive time points).
std::array<double, 3> Mosfet::meyer(double vgs, double vds, double von, double vdsat) const {
  const double cox = cox_ * leff_ * weff_;
  const double phi = phi_t_;
  const double vgst = vgs - von;
  if (vgst <= -phi) return {0, 0, cox};
  if (vgst <= -phi / 2) return {0, 0, -vgst * cox / phi};
  if (vgst <= 0) return {2 * (vgst * cox / (1.5 * phi) + cox / 3), 0, -vgst * cox / phi};
  if (vdsat <= vds) return {2 * cox / 3, 0, 0};
  const double vddif = 2 * vdsat - vds, vddif1 = vdsat - vds;
  return {2 * cox * (1 - vddif1 * vddif1 / (vddif * vddif)) / 3,
          2 * cox * (1 - vdsat * vdsat / (vddif * vddif)) / 3, 0};
}

double Mosfet::quantity(std::size_t k, const Eval& e) const {
  const Frame v = frame(e);
  const Channel c = channel(v);
  const double ibd = diode(v.vbs - v.vds, is_d_, e.gmin).i;
  const double m = c_.m;
  const double values[] = {m * (c.mode * c.id - ibd), v.vgs, v.vds, v.vbs, m * c.gm, m * c.gds, type_ * c.von, type_ * c.vdsat};
  return values[k];
}

void Mosfet::load(const Eval& e, Load& l) const {
  const double m = c_.m;  // m copies in parallel: every current, charge and derivative times m
  if (rd_ohm_ > 0) {
    const double i = m * (e.v(d_) - e.v(dp_)) / rd_ohm_;
    l.f(d_, i);
    l.f(dp_, -i);
    rd_.pair(l, 0, 1, m / rd_ohm_);
  }
  if (rs_ohm_ > 0) {
    const double i = m * (e.v(s_) - e.v(sp_)) / rs_ohm_;
    l.f(s_, i);
    l.f(sp_, -i);
    rs_.pair(l, 0, 1, m / rs_ohm_);
  }
  const Frame v = frame(e);
  const Unknown node[] = {g_, dp_, sp_, b_};

  // Channel: every conductance is the same in the real frame (the polarity enters twice).
  // A residual-only load (Load::skip_jacobian) drops G: not formed at all here (the
  // channel's current alone, when Meyer's capacitances do not need its von and vdsat).
  const bool jacobian = l.jacobian();
  const Channel c = channel(v, jacobian || cox_ != 0);
  const int drn = c.mode > 0 ? D : S, src = c.mode > 0 ? S : D;
  l.f(node[drn], m * type_ * c.id);
  l.f(node[src], -m * type_ * c.id);
  const double gsrc = -(c.gm + c.gds + c.gmbs);
  if (jacobian)
    for (const auto& [row, sign] : {std::pair{drn, m}, std::pair{src, -m}}) {
      core_.add(l, row, G, sign * c.gm);
      core_.add(l, row, drn, sign * c.gds);
      core_.add(l, row, B, sign * c.gmbs);
      core_.add(l, row, src, sign * gsrc);
    }

  // Bulk diodes and their depletion charges, bulk -> s' and bulk -> d'.
  const double vbd = v.vbs - v.vds;
  for (const auto& [side, vj, j, is] :
       {std::tuple{S, v.vbs, &source_, is_s_}, std::tuple{D, vbd, &drain_, is_d_}}) {
    const Current dio = diode(vj, is, e.gmin);
    l.f(b_, m * type_ * dio.i);
    l.f(node[side], -m * type_ * dio.i);
    if (jacobian) core_.pair(l, B, side, m * dio.g);
    if (j->cz == 0 && j->czsw == 0) continue;
    const Current q = junction_charge(*j, vj);
    l.q(b_, m * type_ * q.i);
    l.q(node[side], -m * type_ * q.i);
    core_.pair(l, B, side, m * q.g, true);
  }

  // Overlap capacitances: linear, with charges. One that is zero (a card without it)
  // would add only zeros.
  const double overlap[] = {m * c_.cgso * weff_, m * c_.cgdo * weff_, m * c_.cgbo * leff_};
  const int other[] = {S, D, B};
  for (int k = 0; k < 3; ++k) {
    if (overlap[k] == 0) continue;
    const double qk = overlap[k] * (e.v(g_) - e.v(node[other[k]]));
    l.q(g_, qk);
    l.q(node[other[k]], -qk);
    core_.pair(l, G, other[k], overlap[k], true);
  }

  // Meyer's capacitances do not derive from a charge: they enter C only.
  if (cox_ == 0) return;
  const double vgs = c.mode > 0 ? v.vgs : v.vgs - v.vds;
  const auto cap = meyer(vgs, c.mode * v.vds, c.von, c.vdsat);
  core_.pair(l, G, src, m * cap[0], true);
  core_.pair(l, G, drn, m * cap[1], true);
  core_.pair(l, G, B, m * cap[2], true);
}

void Mosfet::channel_noise(const Eval& e, double f, std::vector<NoiseSource>& out) const {
  const double four_kt = 4 * constants::boltzmann * kelvin_;
  const double m = c_.m;  // m independent copies: m times each noise power
  out.push_back({"rd", d_, dp_, rd_ohm_ > 0 ? m * four_kt / rd_ohm_ : 0});
  out.push_back({"rs", s_, sp_, rs_ohm_ > 0 ? m * four_kt / rs_ohm_ : 0});
  const Channel c = channel(frame(e));
  out.push_back({"id", dp_, sp_, m * four_kt * 2.0 / 3.0 * std::abs(c.gm)});
  // ngspice-39's level 1 (measured against it: the SPICE2 form KF id^AF / (f cox leff^2)
  // is leff / (w cox) times off).
  const double flicker = cox_ == 0 || c_.kf == 0 ? 0.0
      : c_.kf * std::pow(std::max(std::abs(c.id), 1e-38), c_.af) / (f * weff_ * leff_ * cox_ * cox_);
  out.push_back({"1overf", dp_, sp_, m * flicker});
}

double Mosfet::limit(const Eval& accepted, const Eval& proposed) const {
  namespace j = junction;
  const Frame o = frame(accepted), n = frame(proposed);
  const double von = channel(o).von;
  double fraction = j::channel_step_fraction(o.vgs, o.vds, n.vgs, n.vds, von);
  auto keep = [&](double vold, double vnew, double vlim) {
    fraction = std::min(fraction, j::step_fraction(vold, vnew, vlim));
  };
  if (n.vds >= 0) {
    keep(o.vbs, n.vbs, j::pnjlim(n.vbs, o.vbs, vt_, vcrit_));
  } else {
    const double vbd_old = o.vbs - o.vds, vbd_new = n.vbs - n.vds;
    keep(vbd_old, vbd_new, j::pnjlim(vbd_new, vbd_old, vt_, vcrit_));
  }
  return fraction;
}

}  // namespace ns::mos

namespace ns::mos {

// SPICE's test (convergence.hpp) on the channel current, d' to s', and the two bulk diodes.
bool Mosfet::settled(const Eval& accepted, const Eval& proposed, double reltol, double abstol) const {
  const Frame o = frame(accepted), n = frame(proposed);
  const double dgs = n.vgs - o.vgs, dds = n.vds - o.vds, dbs = n.vbs - o.vbs;
  const Channel a = channel(o), b = channel(n, false);
  // The acting drain's conductance is gds (d' acting) or -(gm + gds + gmbs) (s' acting).
  const double gd = a.mode > 0 ? a.gds : -(a.gm + a.gds + a.gmbs);
  const double predicted = a.mode * (a.id + a.gm * dgs + gd * dds + a.gmbs * dbs);
  if (!current_settled(predicted, b.mode * b.id, reltol, abstol)) return false;
  const double vbd_old = o.vbs - o.vds, vbd_new = n.vbs - n.vds;
  for (const auto& [vold, vnew, is] : {std::tuple{o.vbs, n.vbs, is_s_}, std::tuple{vbd_old, vbd_new, is_d_}}) {
    const Current before = diode(vold, is, accepted.gmin);
    if (!current_settled(before.i + before.g * (vnew - vold), diode(vnew, is, proposed.gmin).i, reltol, abstol))
      return false;
  }
  return true;
}

}  // namespace ns::mos
