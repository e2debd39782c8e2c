// Spin-torque nano-oscillator as the universal nonlinear auto-oscillator of Slavin and
// Tiberkevich (IEEE Trans. Magn. 45, 1875 (2009); devices.md §3b). Two terminals a, b;
// positive device current I flows from a to b. Internal unknowns: the complex amplitude
// c = sqrt(p) e^{i phi} as cr = Re c, ci = Im c, and idc, the device current low-pass
// filtered with time constant tauf:
//
//   dc/dt   = -i w(p) c - G+(p) c + G-(p, I) c + f(t)
//   w(p)    = 2 pi (f0 + nf p),   G+(p) = gg (1 + q p),   G-(p, I) = sigma I (1 - p)
//   f(t)    = F e^{i psi} (I - idc),   tauf d(idc)/dt = I - idc
//   R       = r0 + dr sqrt(p) cos(phi) = r0 + dr Re c
//
// The driving force is the RF part of the device's own current: I minus its DC part,
// which idc tracks (tauf much longer than an oscillation period, much shorter than the
// run). Any RF current through the device (an injected SIN, or the RF emitted by other
// oscillators on the same line, or its own when the load is not a current source)
// therefore pulls its phase, which is what makes oscillators lock to an injected signal
// and to each other through the circuit. psi is the phase of that coupling. The
// negative damping follows the instantaneous current.
//
// Free running at constant I: p0 = (zeta - 1)/(zeta + q), zeta = I / Ith, Ith = gg/sigma,
// frequency f0 + nf p0.
//
// Defaults: a vortex oscillator of the kind used by Torrejon et al. (Nature 547, 428
// (2017)) and Romera et al. (Nature 563, 230 (2018)): gyrotropic frequency of a few
// hundred MHz rising with current, threshold of a few mA, a resistance of tens of ohms
// with a few-percent oscillating part. The values are illustrative, not a fit: f0 = 250
// MHz, nf = 150 MHz, gg = 2 pi 5 MHz, Ith = gg/sigma = 4 mA, q = 1, r0 = 40 ohm, dr = 4 ohm.
// At 8 mA this gives p0 = 1/3 and 300 MHz.
//
// Coupling phase psi = pi/2 by default: an oscillator's own RF current is in phase (or
// in antiphase) with Re c, and i (Re c) = i (c + c*)/2 only pulls its frequency, so with
// a resistive load its own emission neither pumps nor damps its amplitude to first
// order. With psi = 0 the own current acts as extra damping on Re c; two oscillators on a
// 50-ohm line then do not synchronize for a 1-2 mA bias difference (measured), while
// with psi = +-pi/2 they do (bench/mtj/RESULTS.md).
//
// Starting a transient: c = 0 is an equilibrium (unstable above threshold) that a
// noiseless oscillator never leaves, so the small amplitude c0 (default 0.01, real)
// stands in for noise. The operating point a transient starts from (.tran without uic)
// holds c at c0 and solves the circuit and idc (= the DC current) around it: that is the
// recommended start (cr and ci are declared Hold::AtTransientStart; Load::hold does it). .op and .dc solve the full equations (c = 0 there). With uic,
// c = c0 and idc = 0: idc then catches up with the bias over a few tauf, and the
// difference drives c off-resonantly meanwhile.
//
// Thermal noise (noise=1, or .options trnoise; circuit/transient_noise.hpp): the
// universal model's own stochastic force f_n(t) (Slavin & Tiberkevich 2009, sec. VI;
// Kim, Tiberkevich & Slavin, PRL 100, 017207 (2008)) added to dc/dt, complex white noise
// with <f_n(t) f_n*(t')> = 2 D(p) delta(t - t'), D(p) = G+(p) kB T / eosc: the
// fluctuation-dissipation amplitude of the positive damping for an oscillation energy
// E = eosc p (T the circuit temperature). Re and Im are independent, each of one-sided
// PSD 2 D. Far enough above threshold this gives a Lorentzian line of full width at half
// maximum (in rad/s)
//   dw = G+(p0) (kB T / E(p0)) (1 + nu^2),   nu = N p0 / Geff,   Geff = p0 (dG+/dp - dG-/dp)
// (KTS's nonlinear linewidth, valid while dw is well below 2 Geff). eosc's default, 1e-17
// J (E(p0) about 800 kB T at 300 K), is illustrative like the other defaults: at 8 mA and
// 300 K it gives dw / 2 pi = 0.84 MHz, the order of vortex oscillators' linewidths.
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "circuit/constants.hpp"
#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct StnoParams {
  double r0, dr, f0, nf, gg, sigma, q, force, psi, tauf, c0, eosc, noise, noisedt;
};

const Param<StnoParams> stno_params[] = {
    {"r0", &StnoParams::r0, 40, above(0), inf, "ohm", "mean resistance", Scope::Both},
    {"dr", &StnoParams::dr, 4, 0, inf, "ohm", "resistance swing at p = 1", Scope::Both},
    {"f0", &StnoParams::f0, 250e6, 0, 1e12, "Hz", "linear frequency w0 / 2 pi", Scope::Both},
    {"nf", &StnoParams::nf, 150e6, -1e12, 1e12, "Hz", "nonlinear frequency shift N / 2 pi", Scope::Both},
    {"gg", &StnoParams::gg, 3.14159265e7, above(0), 1e13, "1/s", "positive (Gilbert) damping rate", Scope::Both},
    {"sigma", &StnoParams::sigma, 7.85398163e9, 0, 1e16, "1/(A s)", "negative damping per unit current", Scope::Both},
    {"q", &StnoParams::q, 1, -0.99, 1e3, "", "nonlinear damping coefficient Q", Scope::Both},
    {"force", &StnoParams::force, 3e10, 0, 1e18, "1/(A s)", "driving force per ampere of RF current", Scope::Both},
    {"psi", &StnoParams::psi, 1.5707963267948966, -7, 7, "rad", "phase of the driving force", Scope::Both},
    {"tauf", &StnoParams::tauf, 20e-9, above(0), 1, "s", "time constant of the DC part idc", Scope::Both},
    {"c0", &StnoParams::c0, 0.01, 0, 1, "", "rest amplitude (real part of c)", Scope::Both},
    {"eosc", &StnoParams::eosc, 1e-17, above(0), inf, "J", "oscillation energy at p = 1 (sets the thermal noise)", Scope::Both},
    {"noise", &StnoParams::noise, std::nan(""), 0, 1, "", "1: thermal noise in transients; 0: none; unset: .options trnoise", Scope::Both},
    {"noisedt", &StnoParams::noisedt, 0, 0, inf, "s", "transient noise grid step (0: the .tran step)", Scope::Both},
};

class StnoOscillator final : public Device {
public:
  StnoOscillator(const DeviceInput& in)
      : Device(in.element.name, in.element.where), p_(resolve<StnoParams>(stno_params, in)) {}

  void setup(Setup& s) override {
    u_[0] = s.terminal(0);
    u_[1] = s.terminal(1);
    u_[2] = s.state("cr", 1e-6, p_.c0);
    u_[3] = s.state("ci", 1e-6, 0);
    u_[4] = s.state("idc", 1e-9, 0);
    grid_.declare(s, u_);
    noise_ = s.transient_noise(p_.noise);
    kelvin_ = s.temperature();
  }

  void start_transient(double tstep, double tstop) override {
    noise_.start(p_.noisedt > 0 ? p_.noisedt : tstep, tstop, where(), name());
  }
  void breakpoints(double from, double to, std::vector<double>& out) const override {
    noise_.breakpoints(from, to, out);
  }

  void topology(Topology& t) const override { t.conducts(u_[0], u_[1]); }

  void load(const Eval& ev, Load& ld) const override {
    const double v = ev.v(u_[0]) - ev.v(u_[1]);
    const double x = ev.v(u_[2]), y = ev.v(u_[3]), idc = ev.v(u_[4]);
    const Current c = current(v, x);

    ld.f(u_[0], c.i);
    ld.f(u_[1], -c.i);
    grid_.pair(ld, 0, 1, c.di_dv);
    grid_.add(ld, 0, 2, c.di_dx);
    grid_.add(ld, 1, 2, -c.di_dx);

    const double two_pi = 2 * std::numbers::pi;
    const double p = x * x + y * y;
    const double w = two_pi * (p_.f0 + p_.nf * p), dw_dp = two_pi * p_.nf;
    const double g = -p_.gg * (1 + p_.q * p) + p_.sigma * c.i * (1 - p);
    const double dg_dp = -p_.gg * p_.q - p_.sigma * c.i, dg_di = p_.sigma * (1 - p);
    const double fc = p_.force * std::cos(p_.psi), fs = p_.force * std::sin(p_.psi);
    const double rf = c.i - idc;

    ld.q(u_[2], x);
    ld.q(u_[3], y);
    grid_.add(ld, 2, 2, 1, true);
    grid_.add(ld, 3, 3, 1, true);
    ld.f(u_[4], idc - c.i);
    ld.q(u_[4], p_.tauf * idc);
    grid_.add(ld, 4, 4, 1);
    grid_.add(ld, 4, 4, p_.tauf, true);
    grid_.add(ld, 4, 0, -c.di_dv);
    grid_.add(ld, 4, 1, c.di_dv);
    grid_.add(ld, 4, 2, -c.di_dx);

    // Residual rows f = -(dc/dt), split into real and imaginary parts.
    ld.f(u_[2], -(w * y + g * x + fc * rf));
    ld.f(u_[3], -(-w * x + g * y + fs * rf));
    const double re_di = x * dg_di + fc, im_di = y * dg_di + fs;
    const double re_dx = 2 * x * y * dw_dp + g + 2 * x * x * dg_dp + re_di * c.di_dx;
    const double re_dy = w + 2 * y * y * dw_dp + 2 * x * y * dg_dp;
    const double im_dx = -w - 2 * x * x * dw_dp + 2 * x * y * dg_dp + im_di * c.di_dx;
    const double im_dy = -2 * x * y * dw_dp + g + 2 * y * y * dg_dp;
    grid_.add(ld, 2, 0, -re_di * c.di_dv);
    grid_.add(ld, 2, 1, re_di * c.di_dv);
    grid_.add(ld, 2, 2, -re_dx);
    grid_.add(ld, 2, 3, -re_dy);
    grid_.add(ld, 2, 4, fc);
    grid_.add(ld, 3, 0, -im_di * c.di_dv);
    grid_.add(ld, 3, 1, im_di * c.di_dv);
    grid_.add(ld, 3, 2, -im_dx);
    grid_.add(ld, 3, 3, -im_dy);
    grid_.add(ld, 3, 4, fs);

    if (noise_ && ev.mode == Mode::Tran) {
      // Each component sqrt(2 D(p)) w_k, D(p) = gg (1 + q p) kB T / eosc; held at 0 where
      // 1 + q p < 0 (q < 0 and p > 1: far outside the model's range).
      const double damping = std::max(1 + p_.q * p, 0.0);
      const double scale = std::sqrt(2 * p_.gg * damping * constants::boltzmann * kelvin_ / p_.eosc);
      const double nr = scale * noise_.white(0, ev.time), ni = scale * noise_.white(1, ev.time);
      ld.f(u_[2], -nr);
      ld.f(u_[3], -ni);
      const double dlog_dp = damping > 0 ? 0.5 * p_.q / damping : 0.0;  // d ln(amplitude) / dp
      grid_.add(ld, 2, 2, -nr * dlog_dp * 2 * x);
      grid_.add(ld, 2, 3, -nr * dlog_dp * 2 * y);
      grid_.add(ld, 3, 2, -ni * dlog_dp * 2 * x);
      grid_.add(ld, 3, 3, -ni * dlog_dp * 2 * y);
    }
  }

  double quantity(std::size_t k, const Eval& ev) const override {
    const double v = ev.v(u_[0]) - ev.v(u_[1]);
    const double x = ev.v(u_[2]), y = ev.v(u_[3]);
    switch (k) {
      case 0: return x * x + y * y;
      case 1: return std::atan2(y, x);
      case 2: return resistance(x);
      case 3: return current(v, x).i;
      default: return v;
    }
  }

private:
  struct Current {
    double i, di_dv, di_dx;
  };

  // R is held above r0/100 so that a wild Newton iterate cannot make it vanish.
  double resistance(double x) const { return std::max(p_.r0 + p_.dr * x, 0.01 * p_.r0); }
  Current current(double v, double x) const {
    const double r = resistance(x);
    const double dr_dx = p_.r0 + p_.dr * x > 0.01 * p_.r0 ? p_.dr : 0.0;
    return {v / r, 1 / r, -v * dr_dx / (r * r)};
  }

  StnoParams p_;
  double kelvin_ = 300.15;
  std::array<Unknown, 5> u_{};
  EntryGrid<5> grid_;
  TransientNoise noise_;
};

const bool registered = register_model<StnoOscillator>(
    {.type = "stno",
     .summary = "spin-torque nano-oscillator, Slavin-Tiberkevich auto-oscillator; states cr, ci, idc",
     .terminals = {"a", "b"},
     .states = {{"cr", "", "complex amplitude c, real part (rest: c0)", Hold::AtTransientStart},
                {"ci", "", "complex amplitude c, imaginary part (rest: 0)", Hold::AtTransientStart},
                {"idc", "A", "the device current low-pass filtered over tauf (rest: 0)"}},
     .probes = {{"p", "", "normalised power |c|^2"},
                {"phase", "rad", "phase of c"},
                {"r", "Ohm", "resistance r0 + dr Re c"},
                {"i", "A", "current a to b"},
                {"v", "V", "v(a) - v(b)"}},
     .example = "N1 a b os\n.model os stno\n",
     .element = 'n'},
    stno_params);

}  // namespace
}  // namespace ns
