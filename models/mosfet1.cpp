#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "circuit/registry.hpp"
#include "circuit/constants.hpp"
#include "circuit/junction.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct Mos1Params {
  double vto, kp, gamma, phi, lambda, rd, rs, cbd, cbs, is, pb, cgso, cgdo, cgbo, cj, mj, cjsw,
      mjsw, fc, tox, ld, u0, tnom, kf, af;
  double w, l, ad, as, pd, ps, off;
};

using P = Mos1Params;
constexpr Param<P> mos1_params[] = {
    {"vto", &P::vto, 0, -inf, inf, "V", "zero-bias threshold voltage"},
    {"vt0", &P::vto, 0, -inf, inf, "V", "same as vto"},
    {"kp", &P::kp, 2e-5, 0, inf, "A/V^2", "transconductance (default from u0 and tox if tox given)"},
    {"gamma", &P::gamma, 0, 0, inf, "V^0.5", "body-effect coefficient"},
    {"phi", &P::phi, 0.6, 1e-3, 10, "V", "surface potential"},
    {"lambda", &P::lambda, 0, 0, 10, "1/V", "channel-length modulation"},
    {"rd", &P::rd, 0, 0, inf, "Ohm", "drain resistance"},
    {"rs", &P::rs, 0, 0, inf, "Ohm", "source resistance"},
    {"cbd", &P::cbd, 0, 0, inf, "F", "zero-bias bulk-drain junction capacitance"},
    {"cbs", &P::cbs, 0, 0, inf, "F", "zero-bias bulk-source junction capacitance"},
    {"is", &P::is, 1e-14, 0, 1, "A", "bulk junction saturation current"},
    {"pb", &P::pb, 0.8, 0.01, 10, "V", "bulk junction potential"},
    {"cgso", &P::cgso, 0, 0, inf, "F/m", "gate-source overlap capacitance per width"},
    {"cgdo", &P::cgdo, 0, 0, inf, "F/m", "gate-drain overlap capacitance per width"},
    {"cgbo", &P::cgbo, 0, 0, inf, "F/m", "gate-bulk overlap capacitance per length"},
    {"cj", &P::cj, 0, 0, inf, "F/m^2", "bulk junction bottom capacitance per area"},
    {"mj", &P::mj, 0.5, 0, 0.9, "", "bulk junction bottom grading coefficient"},
    {"cjsw", &P::cjsw, 0, 0, inf, "F/m", "bulk junction sidewall capacitance per perimeter"},
    {"mjsw", &P::mjsw, 0.5, 0, 0.9, "", "bulk junction sidewall grading coefficient"},
    {"fc", &P::fc, 0.5, 0, 0.95, "", "forward-bias depletion capacitance coefficient"},
    {"tox", &P::tox, 0, 0, inf, "m", "oxide thickness (0: no gate capacitance)"},
    {"ld", &P::ld, 0, 0, inf, "m", "lateral diffusion"},
    {"u0", &P::u0, 600, 0, inf, "cm^2/V/s", "surface mobility"},
    {"uo", &P::u0, 600, 0, inf, "cm^2/V/s", "same as u0"},
    {"tnom", &P::tnom, 27, -273, 1000, "degC", "parameter measurement temperature"},
    {"kf", &P::kf, 0, 0, inf, "", "flicker noise coefficient (needs tox)"},
    {"af", &P::af, 1, 0, 10, "", "flicker noise exponent"},
    {"w", &P::w, 100e-6, above(0), inf, "m", "channel width", Scope::Instance},
    {"l", &P::l, 100e-6, above(0), inf, "m", "channel length", Scope::Instance},
    {"ad", &P::ad, 0, 0, inf, "m^2", "drain diffusion area", Scope::Instance},
    {"as", &P::as, 0, 0, inf, "m^2", "source diffusion area", Scope::Instance},
    {"pd", &P::pd, 0, 0, inf, "m", "drain junction perimeter", Scope::Instance},
    {"ps", &P::ps, 0, 0, inf, "m", "source junction perimeter", Scope::Instance},
    {"off", &P::off, 0, 0, 1, "", "initial-guess flag: accepted; the operating point starts from zero voltages anyway", Scope::Instance},
};

std::size_t index_of(std::string_view name) {
  for (std::size_t k = 0; k < std::size(mos1_params); ++k)
    if (mos1_params[k].name == name) return k;
  return 0;
}

// Depletion charge of one bulk junction (bottom + sidewall), linear in capacitance
// beyond FC*PB, as ngspice's level 1.
struct BulkJunction {
  double cz = 0, czsw = 0, f2 = 0, f3 = 0, f4 = 0;
};

// Values in the "n-type frame": voltages multiplied by the polarity, so the equations
// are those of an NMOS for both types.
struct Channel {
  int mode;           // +1: d' acts as drain; -1: the terminals swap roles (vds < 0)
  double von, vdsat;  // threshold including body effect, saturation voltage
  double id, gm, gds, gmbs;  // current from the acting drain to the acting source
};

// SPICE level-1 (Shichman-Hodges) MOSFET as ngspice's MOS1: drain/source interchange,
// body effect, channel-length modulation, bulk diodes, overlap and junction charges, and
// Meyer's gate capacitances when TOX is given.
// ngspice's name of a MOSFET level, for the message that says it is not supported: an
// outside deck's BSIM card says "MOSFET level 54 (BSIM4) is not supported".
std::string mosfet_level_name(double level) {
  struct Name { double level; const char* name; };
  static constexpr Name names[] = {
      {1, "Shichman-Hodges"}, {2, "Grove-Frohman"}, {3, "semi-empirical"}, {4, "BSIM1"},
      {5, "BSIM2"}, {6, "Sakurai-Newton"}, {8, "BSIM3"}, {9, "MOS9"}, {10, "BSIM3SOI"},
      {14, "BSIM4"}, {44, "EKV"}, {45, "PSP"}, {49, "BSIM3"}, {54, "BSIM4"}, {55, "BSIMSOI"},
      {56, "BSIMSOI"}, {57, "BSIMSOI"}, {58, "BSIMSOI"}, {60, "STAG SOI"}, {62, "HiSIM"},
      {68, "HiSIM2"}, {69, "PSP"}, {73, "HiSIM_HV"}};
  for (const Name& n : names)
    if (n.level == level) return std::string(" (") + n.name + ")";
  return "";
}

class Mos1 final : public Device {
public:
  Mos1(const DeviceInput& in, int polarity)
      : Device(in.element.name, in.element.where), type_(polarity) {
    if (!in.model) throw InputError(in.element.where, "MOSFET '" + name() + "' needs a .model");
    for (const auto& a : in.model->params)
      if (a.name == "level" && a.value != 1)
        throw InputError(a.where, fmt::format("MOSFET model '{}': MOSFET level {:g}{} is not supported "
                                              "(levels 1, 2, 3, 8, 14, 49 and 54)", in.model->name, a.value,
                                              mosfet_level_name(a.value)));
    std::vector<bool> given;
    p_ = resolve<P>(mos1_params, in, &given);
    cbd_given_ = given[index_of("cbd")];
    cbs_given_ = given[index_of("cbs")];
    cox_ = p_.tox > 0 ? 3.9 * constants::eps0 / p_.tox : 0;  // SiO2: epsr 3.9
    if (cox_ > 0 && !given[index_of("kp")]) p_.kp = p_.u0 * 1e-4 * cox_;
    leff_ = p_.l - 2 * p_.ld;
    if (leff_ <= 0)
      throw InputError(in.element.where, fmt::format("MOSFET '{}': effective channel length "
                                                     "l - 2 ld = {:g} m is not positive", name(), leff_));
  }

  void setup(Setup& s) override {
    d_ = s.terminal(0);
    g_ = s.terminal(1);
    s_ = s.terminal(2);
    b_ = s.terminal(3);
    dp_ = p_.rd > 0 ? s.internal_node("d") : d_;
    sp_ = p_.rs > 0 ? s.internal_node("s") : s_;
    core_.declare(s, {g_, dp_, sp_, b_});
    if (p_.rd > 0) rd_.declare(s, {d_, dp_});
    if (p_.rs > 0) rs_.declare(s, {s_, sp_});
    scale_to(s.temperature());
    kelvin_ = s.temperature();
  }

  void topology(Topology& t) const override {
    t.conducts(d_, s_);
    t.conducts(b_, d_);  // through the bulk diodes' reverse current (and gmin)
    t.conducts(b_, s_);
  }

  void load(const Eval& e, Load& l) const override;
  double limit(const Eval& accepted, const Eval& proposed) const override;

  // Thermal noise of rd and rs, of the channel 4kT (2/3) |gm| (ngspice's level 1), and
  // flicker noise of the drain current (flicker_psd) between d' and s'.
  void noise(const Eval& e, double f, std::vector<NoiseSource>& out) const override {
    const double four_kt = 4 * constants::boltzmann * kelvin_;
    if (p_.rd > 0) out.push_back({"thermal rd", d_, dp_, four_kt / p_.rd});
    if (p_.rs > 0) out.push_back({"thermal rs", s_, sp_, four_kt / p_.rs});
    const Channel c = channel(frame(e));
    out.push_back({"thermal channel", dp_, sp_, four_kt * 2.0 / 3.0 * std::abs(c.gm)});
    out.push_back({"flicker", dp_, sp_, flicker_psd(std::abs(c.id), f)});
  }

  double quantity(std::size_t k, const Eval& e) const override {
    const Frame v = frame(e);
    const Channel c = channel(v);
    const double cbd = diode(v.vbs - v.vds, e.gmin).i;
    const double values[] = {c.mode * c.id - cbd, v.vgs, v.vds, v.vbs, c.gm, c.gds, type_ * c.von};
    return values[k];
  }

private:
  struct Frame {
    double vgs, vds, vbs;
  };
  struct Current {
    double i, g;
  };

  enum Local { G = 0, D = 1, S = 2, B = 3 };  // rows/cols of core_: g, d', s', b

  Frame frame(const Eval& e) const {
    const double vs = e.v(sp_);
    return {type_ * (e.v(g_) - vs), type_ * (e.v(dp_) - vs), type_ * (e.v(b_) - vs)};
  }

  void scale_to(double kelvin) {
    namespace j = junction;
    const double tnom = p_.tnom + j::zero_celsius;
    vt_ = j::thermal_voltage(kelvin);
    const double ratio = kelvin / tnom;
    beta_ = p_.kp / (ratio * std::sqrt(ratio)) * p_.w / leff_;
    phi_ = j::potential_at(p_.phi, tnom, kelvin);
    vbi_ = p_.vto - type_ * p_.gamma * std::sqrt(p_.phi) +
           0.5 * (j::band_gap(tnom) - j::band_gap(kelvin)) + type_ * 0.5 * (phi_ - p_.phi);
    is_ = p_.is * std::exp(-j::band_gap(kelvin) / vt_ + j::band_gap(tnom) / j::thermal_voltage(tnom));
    vcrit_ = is_ > 0 ? vt_ * std::log(vt_ / (std::sqrt(2.0) * is_)) : inf;
    pb_ = j::potential_at(p_.pb, tnom, kelvin);
    const double bottom = j::capacitance_factor(p_.pb, p_.mj, tnom, kelvin);
    const double side = j::capacitance_factor(p_.pb, p_.mjsw, tnom, kelvin);
    drain_ = bulk_junction(cbd_given_ ? p_.cbd * bottom : p_.cj * bottom * p_.ad, p_.cjsw * side * p_.pd);
    source_ = bulk_junction(cbs_given_ ? p_.cbs * bottom : p_.cj * bottom * p_.as, p_.cjsw * side * p_.ps);
  }

  BulkJunction bulk_junction(double cz, double czsw) const {
    const double arg = 1 - p_.fc;
    const double sarg = std::pow(arg, -p_.mj), sargsw = std::pow(arg, -p_.mjsw);
    const double dep = p_.fc * pb_;
    BulkJunction j{cz, czsw, 0, 0, 0};
    j.f2 = (cz * (1 - p_.fc * (1 + p_.mj)) * sarg + czsw * (1 - p_.fc * (1 + p_.mjsw)) * sargsw) / arg;
    j.f3 = (cz * p_.mj * sarg + czsw * p_.mjsw * sargsw) / arg / pb_;
    j.f4 = pb_ * (cz * (1 - arg * sarg) / (1 - p_.mj) + czsw * (1 - arg * sargsw) / (1 - p_.mjsw)) -
           j.f3 / 2 * dep * dep - dep * j.f2;
    return j;
  }

  Current junction_charge(const BulkJunction& j, double v) const {
    if (v < p_.fc * pb_) {
      const double arg = 1 - v / pb_;
      const double sarg = std::pow(arg, -p_.mj), sargsw = std::pow(arg, -p_.mjsw);
      return {pb_ * (j.cz * (1 - arg * sarg) / (1 - p_.mj) + j.czsw * (1 - arg * sargsw) / (1 - p_.mjsw)),
              j.cz * sarg + j.czsw * sargsw};
    }
    return {j.f4 + v * (j.f2 + v * j.f3 / 2), j.f2 + j.f3 * v};
  }

  // A bulk diode (bulk to d' or s'), as ngspice's MOS1: constant -IS below -3 vt.
  Current diode(double v, double gmin) const {
    if (v <= -3 * vt_) return {gmin * v - is_, gmin};
    const auto ex = safe_exp(v / vt_);
    return {is_ * (ex.value - 1) + gmin * v, is_ * ex.slope / vt_ + gmin};
  }

  // Threshold with body effect, and -d(threshold)/d(vbs). For vbs > 0 ngspice continues
  // sqrt(phi - vbs) along its tangent (clamped at 0); the slope here is that line's, where
  // ngspice's own gmbs uses gamma / (2 sarg) there.
  struct Threshold {
    double von, body;
  };
  Threshold threshold(double vbs) const {
    if (vbs <= 0) {
      const double sarg = std::sqrt(phi_ - vbs);
      return {type_ * vbi_ + p_.gamma * sarg, p_.gamma / (2 * sarg)};
    }
    const double root = std::sqrt(phi_);
    const double sarg = root - vbs / (2 * root);
    if (sarg <= 0) return {type_ * vbi_, 0};
    return {type_ * vbi_ + p_.gamma * sarg, p_.gamma / (2 * root)};
  }

  Channel channel(const Frame& v) const {
    Channel c{};
    c.mode = v.vds >= 0 ? 1 : -1;
    const double vds = c.mode * v.vds;                      // >= 0
    const double vgs = c.mode > 0 ? v.vgs : v.vgs - v.vds;  // to the acting source
    const double vbs = c.mode > 0 ? v.vbs : v.vbs - v.vds;
    const Threshold th = threshold(vbs);
    c.von = th.von;
    const double vgst = vgs - c.von;
    c.vdsat = std::max(vgst, 0.0);
    if (vgst <= 0) return c;
    const double betap = beta_ * (1 + p_.lambda * vds);
    if (vgst <= vds) {
      c.id = betap * vgst * vgst / 2;
      c.gm = betap * vgst;
      c.gds = p_.lambda * beta_ * vgst * vgst / 2;
    } else {
      c.id = betap * vds * (vgst - vds / 2);
      c.gm = betap * vds;
      c.gds = betap * (vgst - vds) + p_.lambda * beta_ * vds * (vgst - vds / 2);
    }
    c.gmbs = c.gm * th.body;
    return c;
  }

  // Meyer's gate capacitances (gs, gd, gb) of the acting source and drain, as ngspice's
  // DEVqmeyer doubled (ngspice adds its two half values of consecutive time points).
  std::array<double, 3> meyer(double vgs, double vds, double von, double vdsat) const {
    const double cox = cox_ * leff_ * p_.w;
    const double vgst = vgs - von;
    if (vgst <= -phi_) return {0, 0, cox};
    if (vgst <= -phi_ / 2) return {0, 0, -vgst * cox / phi_};
    if (vgst <= 0) return {2 * (vgst * cox / (1.5 * phi_) + cox / 3), 0, -vgst * cox / phi_};
    if (vdsat <= vds) return {2 * cox / 3, 0, 0};
    const double vddif = 2 * vdsat - vds, vddif1 = vdsat - vds;
    return {2 * cox * (1 - vddif1 * vddif1 / (vddif * vddif)) / 3,
            2 * cox * (1 - vdsat * vdsat / (vddif * vddif)) / 3, 0};
  }

  P p_;
  int type_;  // +1 NMOS, -1 PMOS
  bool cbd_given_ = false, cbs_given_ = false;
  // KF |id|^AF / (f w leff cox^2), cox per area: what ngspice-39's level 1 gives (measured
  // against it: the SPICE2 form KF id^AF / (f cox leff^2) is leff / (w cox) times off).
  // None without tox (cox_ = 0).
  double flicker_psd(double id, double f) const {
    if (cox_ == 0 || p_.kf == 0) return 0;
    return p_.kf * std::pow(std::max(id, 1e-38), p_.af) / (f * p_.w * leff_ * cox_ * cox_);
  }
  double cox_ = 0, leff_ = 0, kelvin_ = 300.15;
  double vt_ = 0, beta_ = 0, phi_ = 0, vbi_ = 0, is_ = 0, vcrit_ = 0, pb_ = 0;
  BulkJunction drain_, source_;
  Unknown d_ = ground, g_ = ground, s_ = ground, b_ = ground, dp_ = ground, sp_ = ground;
  EntryGrid<4> core_;
  EntryGrid<2> rd_, rs_;
};

void Mos1::load(const Eval& e, Load& l) const {
  if (p_.rd > 0) {
    const double i = (e.v(d_) - e.v(dp_)) / p_.rd;
    l.f(d_, i);
    l.f(dp_, -i);
    rd_.pair(l, 0, 1, 1 / p_.rd);
  }
  if (p_.rs > 0) {
    const double i = (e.v(s_) - e.v(sp_)) / p_.rs;
    l.f(s_, i);
    l.f(sp_, -i);
    rs_.pair(l, 0, 1, 1 / p_.rs);
  }
  const Frame v = frame(e);
  const Unknown node[] = {g_, dp_, sp_, b_};

  // Channel: current from the acting drain to the acting source. Every conductance is
  // the same in the real frame (the polarity enters twice).
  const Channel c = channel(v);
  const int drn = c.mode > 0 ? D : S, src = c.mode > 0 ? S : D;
  l.f(node[drn], type_ * c.id);
  l.f(node[src], -type_ * c.id);
  const double gsrc = -(c.gm + c.gds + c.gmbs);
  for (const auto& [row, sign] : {std::pair{drn, 1.0}, std::pair{src, -1.0}}) {
    core_.add(l, row, G, sign * c.gm);
    core_.add(l, row, drn, sign * c.gds);
    core_.add(l, row, B, sign * c.gmbs);
    core_.add(l, row, src, sign * gsrc);
  }

  // Bulk diodes and their depletion charges, bulk -> s' and bulk -> d'.
  const double vbd = v.vbs - v.vds;
  for (const auto& [side, vj, j] : {std::tuple{S, v.vbs, &source_}, std::tuple{D, vbd, &drain_}}) {
    const Current dio = diode(vj, e.gmin);
    l.f(b_, type_ * dio.i);
    l.f(node[side], -type_ * dio.i);
    core_.pair(l, B, side, dio.g);
    if (j->cz == 0 && j->czsw == 0) continue;
    const Current q = junction_charge(*j, vj);
    l.q(b_, type_ * q.i);
    l.q(node[side], -type_ * q.i);
    core_.pair(l, B, side, q.g, true);
  }

  // Overlap capacitances: linear, with charges.
  const double overlap[] = {p_.cgso * p_.w, p_.cgdo * p_.w, p_.cgbo * leff_};
  const int other[] = {S, D, B};
  for (int k = 0; k < 3; ++k) {
    const double qk = overlap[k] * (e.v(g_) - e.v(node[other[k]]));
    l.q(g_, qk);
    l.q(node[other[k]], -qk);
    core_.pair(l, G, other[k], overlap[k], true);
  }

  // Meyer's capacitances are not derivatives of a charge (his partition does not conserve
  // charge), so they enter C only: the DAE sees i = C(v) dv/dt, as ngspice integrates them.
  if (cox_ > 0) {
    const double vgs = c.mode > 0 ? v.vgs : v.vgs - v.vds;
    const auto cap = meyer(vgs, c.mode * v.vds, c.von, c.vdsat);
    core_.pair(l, G, src, cap[0], true);
    core_.pair(l, G, drn, cap[1], true);
    core_.pair(l, G, B, cap[2], true);
  }
}

double Mos1::limit(const Eval& accepted, const Eval& proposed) const {
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

// Two types share the class and table; each passes its polarity to the constructor.
DeviceType mos1_type(std::string_view key, int polarity, std::string_view summary, std::string_view example) {
  return {key, summary, {"d", "g", "s", "b"}, {},
          [] { return describe<P>(mos1_params); },
          [] { return std::vector<StateInfo>{}; },
          [] {
            return std::vector<QuantityInfo>{
                {"id", "A", "drain current, n-type frame (into d for nmos)"},
                {"vgs", "V", "gate-source voltage, in the n-type frame (times -1 for pmos)"},
                {"vds", "V", "drain-source voltage, n-type frame"},
                {"vbs", "V", "bulk-source voltage, n-type frame"},
                {"gm", "S", "transconductance"},
                {"gds", "S", "output conductance"},
                {"vth", "V", "threshold voltage with body effect"}};
          },
          [polarity](const DeviceInput& in) -> std::unique_ptr<Device> {
            return std::make_unique<Mos1>(in, polarity);
          },
          example, 'm'};
}

}  // namespace

const bool registered =
    register_device_type(mos1_type("nmos", 1, "n-channel MOSFET, SPICE level 1 (Shichman-Hodges, as ngspice)",
                                   "M1 d g s b mn w=10u l=2u\n.model mn nmos vto=0.7 kp=100u gamma=0.4 "
                                   "lambda=0.02 rd=10 rs=10 cbd=1f cbs=2f cgso=1n cgdo=1n cgbo=1n\n")) &&
    register_device_type(mos1_type("pmos", -1, "p-channel MOSFET, SPICE level 1 (Shichman-Hodges, as ngspice)",
                                   "M1 d g s b mp w=10u l=2u\n.model mp pmos vto=-0.7 kp=50u gamma=0.4 "
                                   "lambda=0.02 rd=10 rs=10 cbd=1f cbs=2f cgso=1n cgdo=1n cgbo=1n\n"));

}  // namespace ns
