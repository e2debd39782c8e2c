// Magnetic tunnel junction with a macrospin free layer driven by spin-transfer torque
// (devices.md §3a). Two terminals a, b; positive device current flows from a to b. The
// free-layer unit magnetization m is two internal unknowns, spherical angles theta and
// phi about a polar axis w chosen perpendicular to the easy axis ek (z for an in-plane
// ek, x for ek along z), so |m| = 1 holds by construction, to round-off, over any run:
//
//   m = sin(theta) cos(phi) ek + sin(theta) sin(phi) (w x ek) + cos(theta) w
//
// Rest state theta = pi/2, phi = tilt lies on the equator; the angles are singular only
// at m = +-w, which the in-plane dynamics here do not visit (out-of-plane precession
// at very large currents would). Probes: @N[theta], @N[phi] (states), @N[mx], @N[my],
// @N[mz], @N[r], @N[i], @N[v].
//
// Landau-Lifshitz-Gilbert-Slonczewski, all fields in A/m and g0 = gamma mu0:
//
//   dm/dt = -g0 m x H + alpha m x dm/dt - g0 aJ m x (m x p) + g0 bJ m x p
//   H     = Hext + Hk (m.ek) ek - Meff (m.ez) ez
//   aJ    = hbar eta I / (2 e mu0 Ms Vfree),   bJ = fl aJ
//
// (devices.md writes gamma for the torque terms; with aJ in A/m the factor is gamma mu0,
// which is what makes its threshold formula come out.) Solved for dm/dt this is the
// explicit Landau-Lifshitz form used here:
//
//   (1 + alpha^2) dm/dt = -g0 [ m x h1 + m x (m x h2) ]
//   h1 = H - (bJ + alpha aJ) p,   h2 = aJ p + alpha (H - bJ p)
//
// and the angle rows are dtheta/dt = e_theta . dm/dt, sin(theta) dphi/dt = e_phi . dm/dt.
//
// Conductance from the angle to the reference layer p (unit vector):
//   G = (GP + GAP)/2 + (GP - GAP)/2 m.p,  GP = 1/RP,  GAP = 1/(RP (1 + TMR(V))),
//   TMR(V) = TMR0 / (1 + V^2/Vh^2)   (vh = 0: no bias dependence).
//
// Defaults: an in-plane MgO junction, 70 nm x 35 nm ellipse, 1.5 nm CoFeB free layer.
// Ms = 1.2e6 A/m, alpha = 0.01, P = 0.75 (used as eta, angle-independent so that the
// analytic threshold holds) and RP = 6 kOhm are the macrospin card quoted in devices.md.
// Meff = 4e5 A/m (0.5 T: thin CoFeB, demagnetization partly cancelled by interface
// anisotropy), Hk = 2e4 A/m (25 mT shape anisotropy), TMR0 = 100 %, Vh = 0.5 V are
// typical MgO values. Easy axis x; reference layer along -x, so the rest state (m along
// +ek) is antiparallel, and a positive current pushes m towards p: it destabilises the
// rest state, and oscillation starts above I_c (about 40 uA with these values).
//
// Rest state (where .tran uic starts): m along +ek turned by `tilt` radians (default
// 0.02) towards w x ek. Along ek exactly, m sits on an equilibrium that stays put even
// above threshold (no thermal noise here); the tilt plays the role of that noise. An
// operating point (.tran without uic) converges to the equilibrium itself, so
// oscillation needs uic (or .ic on @N[theta] / @N[phi]).
//
// Transient noise (noise=1, or .options trnoise; circuit/transient_noise.hpp): Brown's
// stochastic thermal field added to H, three independent Cartesian components, each
// white with <h_i(t) h_i(t')> = 2 alpha kB T / (g0 mu0 Ms Vfree) delta(t - t') (one-sided
// PSD twice that), T the circuit temperature. Smooth (interpolated) noise integrated as an
// ODE is the Stratonovich reading that keeps |m| = 1 and gives m the Boltzmann distribution
// of its energy -mu0 Ms Vfree (Hext.m + Hk (m.ek)^2 / 2 - Meff (m.ez)^2 / 2).
#include <array>
#include <cmath>
#include <numbers>

#include "circuit/constants.hpp"
#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

using constants::charge;
using constants::hbar;
using constants::mu0;

struct MtjParams {
  double rp, tmr, vh;
  double ms, meff, hk, alpha, gamma, eta, fl;
  double area, thickness;
  double ekx, eky, ekz, px, py, pz, hx, hy, hz;
  double tilt, noise, noisedt;
};

const Param<MtjParams> mtj_params[] = {
    {"rp", &MtjParams::rp, 6e3, above(0), inf, "ohm", "parallel-state resistance", Scope::Both},
    {"tmr", &MtjParams::tmr, 1.0, 0, 100, "", "zero-bias TMR ratio (RAP - RP)/RP", Scope::Both},
    {"vh", &MtjParams::vh, 0.5, 0, inf, "V", "bias where TMR halves; 0: no bias dependence", Scope::Both},
    {"ms", &MtjParams::ms, 1.2e6, 1, 1e8, "A/m", "saturation magnetization", Scope::Both},
    {"meff", &MtjParams::meff, 4e5, -1e8, 1e8, "A/m", "effective demagnetizing field along z", Scope::Both},
    {"hk", &MtjParams::hk, 2e4, -1e8, 1e8, "A/m", "uniaxial anisotropy field along ek", Scope::Both},
    {"alpha", &MtjParams::alpha, 0.01, 1e-6, 10, "", "Gilbert damping", Scope::Both},
    {"gamma", &MtjParams::gamma, 1.76085963e11, 1e9, 1e13, "rad/(s T)", "gyromagnetic ratio", Scope::Both},
    {"eta", &MtjParams::eta, 0.75, 0, 10, "", "spin-torque efficiency (spin polarisation)", Scope::Both},
    {"fl", &MtjParams::fl, 0, -100, 100, "", "field-like torque bJ / aJ", Scope::Both},
    {"area", &MtjParams::area, 1.924e-15, above(0), 1e-6, "m^2", "free-layer area (70 x 35 nm ellipse)", Scope::Both},
    {"thickness", &MtjParams::thickness, 1.5e-9, above(0), 1e-6, "m", "free-layer thickness", Scope::Both},
    {"ekx", &MtjParams::ekx, 1, -1, 1, "", "easy axis ek, x component", Scope::Both},
    {"eky", &MtjParams::eky, 0, -1, 1, "", "easy axis ek, y component", Scope::Both},
    {"ekz", &MtjParams::ekz, 0, -1, 1, "", "easy axis ek, z component", Scope::Both},
    {"px", &MtjParams::px, -1, -1, 1, "", "reference-layer direction p, x component", Scope::Both},
    {"py", &MtjParams::py, 0, -1, 1, "", "reference-layer direction p, y component", Scope::Both},
    {"pz", &MtjParams::pz, 0, -1, 1, "", "reference-layer direction p, z component", Scope::Both},
    {"hx", &MtjParams::hx, 0, -1e9, 1e9, "A/m", "applied field, x component", Scope::Both},
    {"hy", &MtjParams::hy, 0, -1e9, 1e9, "A/m", "applied field, y component", Scope::Both},
    {"hz", &MtjParams::hz, 0, -1e9, 1e9, "A/m", "applied field, z component", Scope::Both},
    {"tilt", &MtjParams::tilt, 0.02, -3.2, 3.2, "rad", "rest state: in-plane angle from ek (phi at rest)", Scope::Both},
    {"noise", &MtjParams::noise, std::nan(""), 0, 1, "", "1: thermal field in transients; 0: none; unset: .options trnoise", Scope::Both},
    {"noisedt", &MtjParams::noisedt, 0, 0, inf, "s", "transient noise grid step (0: the .tran step)", Scope::Both},
};

using Vec = std::array<double, 3>;
using Mat = std::array<Vec, 3>;  // [row][col]

Vec operator+(Vec a, const Vec& b) { for (int i = 0; i < 3; ++i) a[i] += b[i]; return a; }
Vec operator-(Vec a, const Vec& b) { for (int i = 0; i < 3; ++i) a[i] -= b[i]; return a; }
Vec operator*(double s, Vec a) { for (double& v : a) v *= s; return a; }
double dot(const Vec& a, const Vec& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec cross(const Vec& a, const Vec& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
Vec unit(const Vec& a) { return (1 / std::sqrt(dot(a, a))) * a; }
// [a]x: the matrix of x -> a x x.
Mat skew(const Vec& a) { return {{{0, -a[2], a[1]}, {a[2], 0, -a[0]}, {-a[1], a[0], 0}}}; }
Mat operator*(const Mat& a, const Mat& b) {
  Mat c{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k) c[i][j] += a[i][k] * b[k][j];
  return c;
}
Mat operator+(Mat a, const Mat& b) {
  for (int i = 0; i < 3; ++i) a[i] = a[i] + b[i];
  return a;
}
Mat outer(const Vec& a, const Vec& b) {
  Mat c{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) c[i][j] = a[i] * b[j];
  return c;
}
Mat scaled(double s, Mat a) {
  for (auto& row : a) row = s * row;
  return a;
}

class MtjMacrospin final : public Device {
public:
  MtjMacrospin(const DeviceInput& in)
      : Device(in.element.name, in.element.where), p_(resolve<MtjParams>(mtj_params, in)) {
    const Vec ek{p_.ekx, p_.eky, p_.ekz}, pref{p_.px, p_.py, p_.pz};
    if (dot(ek, ek) == 0) throw InputError(in.element.where, "'" + name() + "': easy axis (ekx, eky, ekz) is zero");
    if (dot(pref, pref) == 0) throw InputError(in.element.where, "'" + name() + "': reference direction (px, py, pz) is zero");
    ek_ = unit(ek);
    pref_ = unit(pref);
    hext_ = {p_.hx, p_.hy, p_.hz};
    g0_ = p_.gamma * mu0;
    aj_per_amp_ = hbar * p_.eta / (2 * charge * mu0 * p_.ms * p_.area * p_.thickness);
    // H = Hext + K m.
    anis_ = scaled(p_.hk, outer(ek_, ek_));
    anis_[2][2] -= p_.meff;
    // Polar axis: z made perpendicular to ek (x when ek is along z), so that the rest
    // state lies on the equator, far from the poles where phi is undefined.
    const Vec z{0, 0, 1};
    const Vec axis = std::abs(ek_[2]) > 0.999 ? Vec{1, 0, 0} : z;
    polar_ = unit(axis - dot(axis, ek_) * ek_);
    side_ = cross(polar_, ek_);
  }

  void setup(Setup& s) override {
    u_[0] = s.terminal(0);
    u_[1] = s.terminal(1);
    // Angles: their relative tolerance is of the 1 rad a unit vector turns by (issue 16;
    // relative to the angle's own value, the free-running orbit ran 6 % fast at reltol 1e-3).
    u_[2] = s.state("theta", 1e-6, std::numbers::pi / 2, 1.0);
    u_[3] = s.state("phi", 1e-6, p_.tilt, 1.0);
    grid_.declare(s, u_);
    noise_ = s.transient_noise(p_.noise);
    // One-sided PSD of each component of the thermal field, (A/m)^2/Hz.
    field_psd_ = 4 * p_.alpha * constants::boltzmann * s.temperature() /
                 (g0_ * mu0 * p_.ms * p_.area * p_.thickness);
  }

  void start_transient(double tstep, double tstop) override {
    noise_.start(p_.noisedt > 0 ? p_.noisedt : tstep, tstop, where(), name());
  }
  void breakpoints(double from, double to, std::vector<double>& out) const override {
    noise_.breakpoints(from, to, out);
  }

  void topology(Topology& t) const override { t.conducts(u_[0], u_[1]); }

  void load(const Eval& ev, Load& ld) const override {
    const Angles a = angles(ev);
    Vec thermal{};
    if (noise_ && ev.mode == Mode::Tran)
      for (int k = 0; k < 3; ++k) thermal[k] = std::sqrt(field_psd_) * noise_.white(k, ev.time);
    const double v = ev.v(u_[0]) - ev.v(u_[1]);
    const Cond c = conductance(v, dot(a.m, pref_));
    const double i = c.g * v;
    const double di_dv = c.g + v * c.dg_dv;
    const Vec di_dm = (v * c.dg_dcos) * pref_;
    const Vec dm_dphi = a.s * a.e_phi;  // dm/dtheta = e_theta

    ld.f(u_[0], i);
    ld.f(u_[1], -i);
    grid_.pair(ld, 0, 1, di_dv);
    const double di_dth = dot(di_dm, a.e_theta), di_dph = dot(di_dm, dm_dphi);
    grid_.add(ld, 0, 2, di_dth);
    grid_.add(ld, 1, 2, -di_dth);
    grid_.add(ld, 0, 3, di_dph);
    grid_.add(ld, 1, 3, -di_dph);

    // dtheta/dt = e_theta . dm/dt and sin(theta) dphi/dt = e_phi . dm/dt; rows f = -(...).
    const Torque t = torque(a.m, i, thermal);
    Mat d = t.d_dm;  // total dm/dt derivative in m, the current following m
    for (int r = 0; r < 3; ++r)
      for (int k = 0; k < 3; ++k) d[r][k] += t.d_di[r] * di_dm[k];
    auto apply = [&](const Vec& x) { return Vec{dot(d[0], x), dot(d[1], x), dot(d[2], x)}; };
    const Vec d_th = apply(a.e_theta), d_ph = apply(dm_dphi);
    const double rate_th = dot(a.e_theta, t.dm_dt), along_phi = dot(a.e_phi, t.dm_dt);
    ld.f(u_[2], -rate_th);
    ld.f(u_[3], -along_phi / a.s);
    ld.q(u_[2], ev.v(u_[2]));
    ld.q(u_[3], ev.v(u_[3]));
    grid_.add(ld, 2, 2, 1, true);
    grid_.add(ld, 3, 3, 1, true);
    const double th_di = dot(a.e_theta, t.d_di), ph_di = dot(a.e_phi, t.d_di) / a.s;
    grid_.add(ld, 2, 0, -th_di * di_dv);
    grid_.add(ld, 2, 1, th_di * di_dv);
    grid_.add(ld, 3, 0, -ph_di * di_dv);
    grid_.add(ld, 3, 1, ph_di * di_dv);
    // d e_theta/dtheta = -m, d e_theta/dphi = cos(theta) e_phi, d e_phi/dphi = -(m - cos(theta) w)/sin(theta).
    grid_.add(ld, 2, 2, -(-dot(a.m, t.dm_dt) + dot(a.e_theta, d_th)));
    grid_.add(ld, 2, 3, -(a.c * along_phi + dot(a.e_theta, d_ph)));
    grid_.add(ld, 3, 2, -dot(a.e_phi, d_th) / a.s + along_phi * a.c / (a.s * a.s));
    grid_.add(ld, 3, 3, -(dot(a.de_phi_dphi, t.dm_dt) + dot(a.e_phi, d_ph)) / a.s);
  }

  double quantity(std::size_t k, const Eval& ev) const override {
    const Vec m = angles(ev).m;
    if (k < 3) return m[k];
    const double v = ev.v(u_[0]) - ev.v(u_[1]);
    const double g = conductance(v, dot(m, pref_)).g;
    return k == 3 ? 1 / g : k == 4 ? g * v : v;
  }

private:
  // m and its local frame from the angles; u1 = ek, u2 = w x ek, w the polar axis.
  struct Angles {
    Vec m, e_theta, e_phi, de_phi_dphi;
    double s, c;
  };
  Angles angles(const Eval& ev) const {
    const double th = ev.v(u_[2]), ph = ev.v(u_[3]);
    const double s = std::sin(th), c = std::cos(th), sp = std::sin(ph), cp = std::cos(ph);
    auto global = [&](double a, double b, double z) { return a * ek_ + b * side_ + z * polar_; };
    return {global(s * cp, s * sp, c), global(c * cp, c * sp, -s), global(-sp, cp, 0), global(-cp, -sp, 0), s, c};
  }

  struct Cond {
    double g, dg_dv, dg_dcos;
  };

  Cond conductance(double v, double cos_theta) const {
    const double gp = 1 / p_.rp;
    double tmr = p_.tmr, dtmr_dv = 0;
    if (p_.vh > 0) {
      const double s = 1 + v * v / (p_.vh * p_.vh);
      tmr = p_.tmr / s;
      dtmr_dv = -p_.tmr * 2 * v / (p_.vh * p_.vh * s * s);
    }
    const double gap = gp / (1 + tmr);
    const double dgap_dv = -gp / ((1 + tmr) * (1 + tmr)) * dtmr_dv;
    return {(gp + gap) / 2 + (gp - gap) / 2 * cos_theta, dgap_dv * (1 - cos_theta) / 2, (gp - gap) / 2};
  }

  struct Torque {
    Vec dm_dt;
    Mat d_dm;  // at fixed current
    Vec d_di;
  };

  // dm/dt = -k [m x h1 + m x (m x h2)], k = g0 / (1 + alpha^2); m x (m x h) = m (m.h) - h |m|^2.
  // `thermal`: the stochastic field, added to Hext.
  Torque torque(const Vec& m, double current, const Vec& thermal) const {
    const double a = p_.alpha, k = g0_ / (1 + a * a);
    const double aj = aj_per_amp_ * current, bj = p_.fl * aj;
    Vec h = hext_ + thermal;
    for (int r = 0; r < 3; ++r) h = h + m[r] * Vec{anis_[0][r], anis_[1][r], anis_[2][r]};
    const Vec h1 = h - (bj + a * aj) * pref_;
    const Vec h2 = aj * pref_ + a * (h - bj * pref_);
    const double mm = dot(m, m);
    auto double_cross = [&](const Vec& x) { return dot(m, x) * m - mm * x; };
    Torque t;
    t.dm_dt = -k * (cross(m, h1) + double_cross(h2));
    // d(m x h)/dm = -[h]x + [m]x K; d(m (m.h) - h |m|^2)/dm = (m.h) I + m (h + K^T m)^T - 2 h m^T - |m|^2 K.
    const Mat& kk = anis_;
    Mat kt{};
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) kt[i][j] = kk[j][i];
    Vec ktm{};
    for (int i = 0; i < 3; ++i) ktm[i] = dot(kt[i], m);
    Mat d1 = scaled(-1, skew(h1)) + skew(m) * kk;
    Mat d2 = outer(m, h2 + a * ktm) + scaled(-2, outer(h2, m)) + scaled(-mm * a, kk);
    for (int i = 0; i < 3; ++i) d2[i][i] += dot(m, h2);
    t.d_dm = scaled(-k, d1 + d2);
    const Vec dh1 = (-(p_.fl + a) * aj_per_amp_) * pref_;
    const Vec dh2 = ((1 - a * p_.fl) * aj_per_amp_) * pref_;
    t.d_di = -k * (cross(m, dh1) + double_cross(dh2));
    return t;
  }

  MtjParams p_;
  Vec ek_{}, pref_{}, hext_{};
  Mat anis_{};
  Vec side_{}, polar_{};
  double g0_ = 0, aj_per_amp_ = 0, field_psd_ = 0;
  std::array<Unknown, 4> u_{};
  EntryGrid<4> grid_;
  TransientNoise noise_;
};

const bool registered = register_model<MtjMacrospin>(
    {.type = "mtj",
     .summary = "MTJ with an LLG-Slonczewski macrospin free layer; internal states theta, phi",
     .terminals = {"a", "b"},
     .states = {{"theta", "rad", "polar angle of m from the axis w (rest: pi/2)"},
                {"phi", "rad", "azimuth of m from the easy axis (rest: tilt)"}},
     .probes = {{"mx", "", "free-layer magnetisation m, x component"},
                {"my", "", "m, y component"},
                {"mz", "", "m, z component"},
                {"r", "Ohm", "resistance"},
                {"i", "A", "current a to b"},
                {"v", "V", "v(a) - v(b)"}},
     .example = "N1 a b mj\n.model mj mtj\n",
     .element = 'n'},
    mtj_params);

}  // namespace
}  // namespace ns
