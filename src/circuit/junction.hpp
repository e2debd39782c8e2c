#pragma once
// Pieces shared by the pn-junction models (the diode, the MOSFET's bulk diodes, the VDMOS
// body diode): SPICE3 temperature scaling, the depletion charge and the pnjlim Newton
// limiting of ngspice, plus the MOSFET's fetlim/limvds. Their exponentials are
// ns::safe_exp (circuit/dual.hpp), which cannot overflow.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "circuit/constants.hpp"
#include "circuit/dual.hpp"

namespace ns::junction {

using constants::boltzmann;
using constants::charge;
using constants::zero_celsius;
inline constexpr double ref_temp = 300.15;  // K, where SPICE3's band-gap fit is anchored

inline double thermal_voltage(double kelvin) { return boltzmann / charge * kelvin; }

// Silicon band gap (eV) at `kelvin`, SPICE3's fit.
inline double band_gap(double kelvin) {
  return 1.16 - 7.02e-4 * kelvin * kelvin / (kelvin + 1108);
}

// The band-gap part of a junction potential at `kelvin` (SPICE3's pbfact).
inline double potential_shift(double kelvin) {
  const double arg = -band_gap(kelvin) / (2 * boltzmann * kelvin) +
                     1.1150877 / (2 * boltzmann * ref_temp);
  return -2 * thermal_voltage(kelvin) * (1.5 * std::log(kelvin / ref_temp) + charge * arg);
}

// A junction potential pb measured at tnom, moved to t (kelvin).
inline double potential_at(double pb, double tnom, double t) {
  const double pb_ref = (pb - potential_shift(tnom)) / (tnom / ref_temp);
  return t / ref_temp * pb_ref + potential_shift(t);
}

// The factor a zero-bias junction capacitance (grading m, potential pb at tnom) takes
// from tnom to t.
inline double capacitance_factor(double pb, double m, double tnom, double t) {
  const double pb_ref = (pb - potential_shift(tnom)) / (tnom / ref_temp);
  const double old_shift = (pb - pb_ref) / pb_ref;
  const double new_shift = (potential_at(pb, tnom, t) - pb_ref) / pb_ref;
  return (1 + m * (4e-4 * (t - ref_temp) - new_shift)) /
         (1 + m * (4e-4 * (tnom - ref_temp) - old_shift));
}

// ngspice's pnjlim: the junction voltage Newton may move to from vold toward vnew.
inline double pnjlim(double vnew, double vold, double vt, double vcrit) {
  if (vnew > vcrit && std::abs(vnew - vold) > 2 * vt) {
    if (vold > 0) {
      const double arg = 1 + (vnew - vold) / vt;
      return arg > 0 ? vold + vt * std::log(arg) : vcrit;
    }
    return vt * std::log(vnew / vt);
  }
  if (vnew < 0) return std::max(vnew, vold > 0 ? -vold - 1 : 2 * vold - 1);
  return vnew;
}

// ngspice's fetlim: limits a gate-source voltage step around the threshold vto.
inline double fetlim(double vnew, double vold, double vto) {
  const double hi = std::abs(2 * (vold - vto)) + 2;
  const double lo = std::abs(vold - vto) + 1;
  const double vtox = vto + 3.5;
  const double delv = vnew - vold;
  if (vold >= vto) {
    if (vold >= vtox) {
      if (delv <= 0) {
        if (vnew >= vtox) return -delv > lo ? vold - lo : vnew;
        return std::max(vnew, vto + 2);
      }
      return delv >= hi ? vold + hi : vnew;
    }
    return delv <= 0 ? std::max(vnew, vto - 0.5) : std::min(vnew, vto + 4);
  }
  if (delv <= 0) return -delv > hi ? vold - hi : vnew;
  if (vnew <= vto + 0.5) return delv > lo ? vold + lo : vnew;
  return vto + 0.5;
}

// ngspice's limvds: limits a drain-source voltage step.
inline double limvds(double vnew, double vold) {
  if (vold >= 3.5) {
    if (vnew > vold) return std::min(vnew, 3 * vold + 2);
    return vnew < 3.5 ? std::max(vnew, 2.0) : vnew;
  }
  return vnew > vold ? std::min(vnew, 4.0) : std::max(vnew, -0.5);
}

// The fraction of the step vold -> vnew that a limiter allowing vold -> vlimited keeps.
inline double step_fraction(double vold, double vnew, double vlimited) {
  if (vnew == vold) return 1.0;
  return std::clamp((vlimited - vold) / (vnew - vold), 1e-9, 1.0);
}

// A MOSFET channel's step (SPICE's FET limiting, in the n-type frame): the gate voltage
// on the side the drain was on, limited by fetlim around von, and vds by limvds.
inline double channel_step_fraction(double vgs_old, double vds_old, double vgs_new, double vds_new, double von) {
  if (vds_old >= 0)
    return std::min(step_fraction(vgs_old, vgs_new, fetlim(vgs_new, vgs_old, von)),
                    step_fraction(vds_old, vds_new, limvds(vds_new, vds_old)));
  const double vgd_old = vgs_old - vds_old, vgd_new = vgs_new - vds_new;
  return std::min(step_fraction(vgd_old, vgd_new, fetlim(vgd_new, vgd_old, von)),
                  step_fraction(-vds_old, -vds_new, limvds(-vds_new, -vds_old)));
}

// A junction's depletion charge and capacitance at voltage v (zero-bias capacitance cj,
// potential vj, grading m): SPICE's (1 - v/vj)^-m law below fc*vj, continued linearly in
// capacitance above it, where the law diverges.
struct Depletion {
  double q, c;
};
inline Depletion depletion(double v, double cj, double vj, double m, double fc) {
  const double fcv = fc * vj;
  if (v < fcv) {
    const double arg = 1 - v / vj;
    const double sarg = std::pow(arg, -m);
    return {vj * cj * (1 - arg * sarg) / (1 - m), cj * sarg};
  }
  const double f1 = vj * (1 - std::pow(1 - fc, 1 - m)) / (1 - m);
  const double f2 = std::pow(1 - fc, 1 + m);
  const double f3 = 1 - fc * (1 + m);
  return {cj * f1 + cj / f2 * (f3 * (v - fcv) + m / (2 * vj) * (v * v - fcv * fcv)), cj / f2 * (f3 + m * v / vj)};
}

// SPICE's pn-junction current and its slope at v: Shockley forward (emission voltage vte),
// a cubic reverse tail below -3 vte, and beyond -knee an exponential breakdown of emission
// voltage vbreak (an infinite knee: no breakdown).
struct Current {
  double i, g;
};
inline Current pn_current(double v, double is, double vte, double knee, double vbreak) {
  if (v >= -3 * vte) {
    const auto ex = safe_exp(v / vte);
    return {is * (ex.value - 1), is * ex.slope / vte};
  }
  if (v >= -knee) {
    const double a = 3 * vte / (v * std::numbers::e);
    const double a3 = a * a * a;
    return {-is * (1 + a3), is * 3 * a3 / v};
  }
  const auto ex = safe_exp(-(knee + v) / vbreak);
  return {-is * ex.value, is * ex.slope / vbreak};
}

// The knee of that breakdown exponential, chosen (as SPICE's diode does) so that the
// reverse current at bv is ibv; vt is the thermal voltage of the leakage term.
inline double breakdown_knee(double bv, double ibv, double is, double vt, double vbreak) {
  if (ibv < is * bv / vt) return bv;
  double xbv = bv - vbreak * std::log(1 + ibv / is);
  for (int k = 0; k < 25; ++k) {
    xbv = bv - vbreak * std::log(ibv / is + 1 - xbv / vt);
    const double current = is * (std::exp((bv - xbv) / vbreak) - 1 + xbv / vt);
    if (std::abs(current - ibv) <= 1e-3 * ibv) break;
  }
  return xbv;
}

}  // namespace ns::junction
