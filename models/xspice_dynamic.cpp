// XSPICE analog code models with memory: int, d_dt, s_xfer (a state-space realisation of
// the Laplace transfer function), and the controlled oscillators sine and triangle. Each
// memory is a state unknown with its own equation q' + f = 0, so the integrator treats it
// implicitly, as it treats a capacitor.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "xspice.hpp"

namespace ns::xspice {
namespace {

using Dir = ConnectionSpec::Dir;
constexpr std::string_view outputs_vi = "v vd i id";

// int: out = gain * integral of (in + in_offset) + out_ic, limited smoothly to
// [out_lower_limit, out_upper_limit]; out_ic at the operating point.
struct IntP {
  double in_offset, gain, lo, hi, range, out_ic;
};
constexpr Param<IntP> int_params[] = {
    {"in_offset", &IntP::in_offset, 0, -inf, inf, "", "added to the input"},
    {"gain", &IntP::gain, 1, -inf, inf, "1/s", "gain"},
    {"out_lower_limit", &IntP::lo, -1e12, -inf, inf, "", "lower output limit"},
    {"out_upper_limit", &IntP::hi, 1e12, -inf, inf, "", "upper output limit"},
    {"limit_range", &IntP::range, 1e-6, 0, inf, "", "half-width of the rounded limits"},
    {"out_ic", &IntP::out_ic, 0, -inf, inf, "", "output at the operating point and t = 0"},
};
class Int final : public CodeModel {
public:
  explicit Int(const DeviceInput& in)
      : CodeModel(in, {{"in"}, {"out", Dir::Out, "v", false, outputs_vi}}), p_(code_params(int_params, in, {})) {
    add_state({"integral", 1e-6, p_.out_ic});
  }
  void compute(const Eval&, std::span<const double> in, std::span<const double> st, Work& w) const override {
    w.q[0] = st[0];
    w.dq_dst[0] = 1;
    w.f[0] = -p_.gain * (in[0] + p_.in_offset);
    w.df_din[0] = -p_.gain;
    double dy = 1;
    w.y[0] = smooth_limit(st[0], p_.lo, p_.hi, p_.range, dy);
    w.dy_dst[0] = dy;
  }
  // Held at out_ic in .op/.dc (no DC solution); free in .ac, where it gives gain / (j w).
  bool held(std::size_t, const Eval& e) const override { return e.mode == Mode::Dc || e.mode == Mode::TranOp; }

private:
  IntP p_;
};

// d_dt: out = gain d(in)/dt + out_offset. The derivative is the output's charge part,
// so the integrator takes it implicitly; the output limits (defaults +-1e12) are not
// applied to it.
struct DdtP {
  double gain, out_offset, lo, hi, range;
};
constexpr Param<DdtP> ddt_params[] = {
    {"gain", &DdtP::gain, 1, -inf, inf, "s", "gain"},
    {"out_offset", &DdtP::out_offset, 0, -inf, inf, "", "added to the output"},
    {"out_lower_limit", &DdtP::lo, -1e12, -inf, inf, "", "lower output limit (not applied)"},
    {"out_upper_limit", &DdtP::hi, 1e12, -inf, inf, "", "upper output limit (not applied)"},
    {"limit_range", &DdtP::range, 1e-6, 0, inf, "", "half-width of the rounded limits (not applied)"},
};
class Ddt final : public CodeModel {
public:
  explicit Ddt(const DeviceInput& in)
      : CodeModel(in, {{"in"}, {"out", Dir::Out, "v", false, outputs_vi}}), p_(code_params(ddt_params, in, {})) {
    charged_ = true;
  }
  void compute(const Eval&, std::span<const double> in, std::span<const double>, Work& w) const override {
    w.y[0] = p_.out_offset;
    w.yq[0] = p_.gain * in[0];
    w.dyq_din[0] = p_.gain;
  }

private:
  DdtP p_;
};

// s_xfer: out = gain H(s) (in + in_offset), H = N(s/wd) / D(s/wd) with the coefficients
// highest power first and wd = denormalized_freq. Realised in controllable canonical
// form on a time scale W at which D's first and last coefficients are equal, so that the
// states are of the input's size whatever the frequencies.
struct XferP {
  double in_offset, gain, wd;
};
constexpr Param<XferP> xfer_params[] = {
    {"in_offset", &XferP::in_offset, 0, -inf, inf, "", "added to the input"},
    {"gain", &XferP::gain, 1, -inf, inf, "", "gain"},
    {"denormalized_freq", &XferP::wd, 1, above(0), inf, "rad/s", "s in the coefficients is s / this"},
};
class SXfer final : public CodeModel {
public:
  explicit SXfer(const DeviceInput& in)
      : CodeModel(in, {{"in"}, {"out", Dir::Out, "v", false, outputs_vi}}),
        p_(code_params(xfer_params, in, {"num_coeff", "den_coeff", "int_ic"})) {
    const Location& where = in.model ? in.model->where : in.element.where;
    std::vector<double> num = vector_param(in, "num_coeff", {}), den = vector_param(in, "den_coeff", {});
    if (num.empty() || den.empty()) throw InputError(where, "s_xfer needs num_coeff=[...] and den_coeff=[...]");
    // Leading zeros do not raise the order.
    while (num.size() > 1 && num.front() == 0) num.erase(num.begin());
    while (den.size() > 1 && den.front() == 0) den.erase(den.begin());
    if (den.front() == 0) throw InputError(where, "s_xfer's den_coeff is all zeros");
    if (num.size() > den.size())
      throw InputError(where, fmt::format("s_xfer's numerator (order {}) is of higher order than its denominator "
                                          "(order {}): the transfer function is improper",
                                          num.size() - 1, den.size() - 1));
    n_ = den.size() - 1;
    // Lowest power first, the numerator padded to the denominator's length.
    std::reverse(num.begin(), num.end());
    std::reverse(den.begin(), den.end());
    num.resize(den.size(), 0.0);
    const bool integrating = den[0] == 0;
    const double c = n_ && !integrating ? std::pow(std::abs(den[0] / den[n_]), 1.0 / static_cast<double>(n_)) : 1.0;
    w_ = p_.wd * c;
    // In p = s / W: coefficient i times c^i, then divided by the leading one.
    for (std::size_t i = 0; i <= n_; ++i) {
      const double ci = std::pow(c, static_cast<double>(i));
      a_.push_back(den[i] * ci);
      b_.push_back(num[i] * ci);
    }
    const double lead = a_[n_];
    for (double& v : a_) v /= lead;
    for (double& v : b_) v /= lead;
    // int_ic: XSPICE's chain of integrators, the first (its input the highest derivative)
    // first; integrator n-i's output is s^i X(s) in real time, X = U / D(s/wd), which is
    // z_i W^i / lead here (measured, ngspice 39: .op's outputs for int_ic [1 0], [0 1] over
    // numerators 1, s, s^2 and denormalized_freq 1, 2).
    const std::vector<double> ic = vector_param(in, "int_ic", {});
    rests_ = integrating || !ic.empty();
    for (std::size_t k = 0; k < n_; ++k) {
      const double x = n_ - 1 - k < ic.size() ? ic[n_ - 1 - k] : 0.0;
      add_state({k == 0 ? "x" : fmt::format("x{}", k + 1), 1e-6, x * lead / std::pow(w_, static_cast<double>(k))});
    }
  }
  void compute(const Eval&, std::span<const double> in, std::span<const double> z, Work& w) const override {
    const double u = p_.gain * (in[0] + p_.in_offset);
    const std::size_t n = n_;
    // y = sum (b_i - a_i b_n) z_i+1 + b_n u
    double y = b_[n] * u;
    w.dy_din[0] = b_[n] * p_.gain;
    for (std::size_t i = 0; i < n; ++i) {
      y += (b_[i] - a_[i] * b_[n]) * z[i];
      w.dy_dst[i] = b_[i] - a_[i] * b_[n];
    }
    w.y[0] = y;
    // z_k' = W z_k+1 (k < n), z_n' = W (u - sum a_i z_i+1): q = z, f = -W (...)
    for (std::size_t k = 0; k < n; ++k) {
      w.q[k] = z[k];
      w.dq_dst[k * n + k] = 1;
      if (k + 1 < n) {
        w.f[k] = -w_ * z[k + 1];
        w.df_dst[k * n + k + 1] = -w_;
      } else {
        double s = u;
        for (std::size_t i = 0; i < n; ++i) s -= a_[i] * z[i], w.df_dst[k * n + i] = w_ * a_[i];
        w.f[k] = -w_ * s;
        w.df_din[k] = -w_ * p_.gain;
      }
    }
  }
  // XSPICE's integrators rest at their int_ic in .op, .dc and a transient's operating
  // point, whatever the denominator (ngspice 39: .op's output of 1/(s^2+1.4s+1.5) with
  // int_ic [0 0] is 0, not H(0)). Without int_ic (which ngspice requires; the LAPLACE
  // cards' s_xfer has none) they take the DC solution, H(0) u, unless D(0) = 0 and there
  // is none: then they rest at 0. In .ac they are free: the response is H(j w).
  bool held(std::size_t, const Eval& e) const override {
    return rests_ && (e.mode == Mode::Dc || e.mode == Mode::TranOp);
  }

private:
  XferP p_;
  std::size_t n_ = 0;
  bool rests_ = false;  // the states are held in DC (held())
  double w_ = 1;
  std::vector<double> a_, b_;  // lowest power first, in p = s / W, a_[n] = 1
};

// The oscillators' frequency at control x (xspice.hpp's pwl_extended).
double frequency(const std::vector<double>& cntl, const std::vector<double>& freq, double x, double& df) {
  return pwl_extended(cntl, freq, x, df);
}

// An oscillator's phase state (in cycles) integrates its frequency at the control input:
// d(phase)/dt = f(in). Returns f, and df/d(in) in df.
double phase_equation(const std::vector<double>& cntl, const std::vector<double>& freq, double in, double phase,
                      Work& w, double& df) {
  const double f = frequency(cntl, freq, in, df);
  w.q[0] = phase;
  w.dq_dst[0] = 1;
  w.f[0] = -f;
  w.df_din[0] = -df;
  return f;
}

void read_arrays(const DeviceInput& in, std::vector<double>& cntl, std::vector<double>& freq) {
  read_pwl_arrays(in, "cntl_array", "freq_array", cntl, freq);
}

// sine and triangle: oscillators whose frequency is the piecewise-linear function
// (cntl_array -> freq_array) of cntl_in; their phase, in cycles, is a state.
struct OscP {
  double out_low, out_high, duty;
};
constexpr Param<OscP> sine_params[] = {
    {"out_low", &OscP::out_low, -1, -inf, inf, "", "output minimum"},
    {"out_high", &OscP::out_high, 1, -inf, inf, "", "output maximum"},
};
constexpr Param<OscP> triangle_params[] = {
    {"out_low", &OscP::out_low, -1, -inf, inf, "", "output minimum"},
    {"out_high", &OscP::out_high, 1, -inf, inf, "", "output maximum"},
    {"rise_duty", &OscP::duty, 0.5, above(0), below(1), "", "fraction of the period spent rising"},
};
template <bool Triangle>
class Oscillator final : public CodeModel {
public:
  explicit Oscillator(const DeviceInput& in)
      : CodeModel(in, {{"cntl_in"}, {"out", Dir::Out, "v", false, outputs_vi}}),
        p_(Triangle ? code_params(triangle_params, in, {"cntl_array", "freq_array"})
                    : code_params(sine_params, in, {"cntl_array", "freq_array"})) {
    if (!Triangle) p_.duty = 0.5;
    read_arrays(in, cntl_, freq_);
    add_state({"phase", 1e-6, 0});
  }
  void compute(const Eval&, std::span<const double> in, std::span<const double> st, Work& w) const override {
    double df = 0;
    phase_equation(cntl_, freq_, in[0], st[0], w, df);
    const double mid = (p_.out_high + p_.out_low) / 2, amp = (p_.out_high - p_.out_low) / 2;
    const double phase = st[0] - std::floor(st[0]);
    if (!Triangle) {
      w.y[0] = mid + amp * std::sin(2 * std::numbers::pi * phase);
      w.dy_dst[0] = amp * 2 * std::numbers::pi * std::cos(2 * std::numbers::pi * phase);
      return;
    }
    // low at phase 0, high at rise_duty, low again at 1
    const double span = p_.out_high - p_.out_low;
    if (phase < p_.duty) w.y[0] = p_.out_low + span * phase / p_.duty, w.dy_dst[0] = span / p_.duty;
    else w.y[0] = p_.out_high - span * (phase - p_.duty) / (1 - p_.duty), w.dy_dst[0] = -span / (1 - p_.duty);
  }
  bool held(std::size_t, const Eval& e) const override { return e.mode != Mode::Tran; }

private:
  OscP p_;
  std::vector<double> cntl_, freq_;
};

// slew: the output follows the input at most rise_slope up and fall_slope down. The
// output is a state: out' = rise_slope min(e / z, 1) for e = in - out > 0, fall_slope
// max(e / z, -1) below, so that it slews at the full slope until within z = 1e-3 range
// of the input and then tracks it (lagging by its slope times z / the slew slope). ngspice
// 39's slew keeps its full slope to the input itself, with no easing within range
// (measured: 0.09 V from the input, it still ramps at the full slope); .ac sees a gain
// of 1, in ngspice as here (a pole at 1 / (2 pi z / slope), far above). At the operating
// point the output is the input.
struct SlewP {
  double rise, fall, range;
};
constexpr Param<SlewP> slew_params[] = {
    {"rise_slope", &SlewP::rise, 1e9, above(0), inf, "V/s", "largest rising slope"},
    {"fall_slope", &SlewP::fall, 1e9, above(0), inf, "V/s", "largest falling slope"},
    {"range", &SlewP::range, 0.1, above(0), inf, "V", "1e-3 of it: where the output turns to tracking"},
};
class Slew final : public CodeModel {
public:
  explicit Slew(const DeviceInput& in)
      : CodeModel(in, {{"in"}, {"out", Dir::Out, "v", false, outputs_vi}}), p_(code_params(slew_params, in, {})) {
    add_state({"out", 1e-6, 0});
  }
  void compute(const Eval& ev, std::span<const double> in, std::span<const double> st, Work& w) const override {
    w.y[0] = st[0];
    w.dy_dst[0] = 1;
    if (ev.mode == Mode::Dc || ev.mode == Mode::TranOp) {  // at rest it is the input: out = in
      w.f[0] = st[0] - in[0], w.df_dst[0] = 1, w.df_din[0] = -1;
      return;
    }
    const double z = 1e-3 * p_.range, e = in[0] - st[0];
    const double slope = e > 0 ? p_.rise : p_.fall;
    const double rate = std::abs(e) < z ? slope * e / z : (e > 0 ? slope : -slope);
    const double drate = std::abs(e) < z ? slope / z : 0;
    w.q[0] = st[0];
    w.dq_dst[0] = 1;
    w.f[0] = -rate;
    w.df_din[0] = -drate;
    w.df_dst[0] = drate;
  }

private:
  SlewP p_;
};

// square: a square wave of the frequency cntl_in sets, its phase (in cycles) a state as
// the sine's. It starts at out_low; each cycle rises at phase 1 - duty_cycle over
// rise_time and falls at the cycle's end over fall_time, so that it is high for
// duty_cycle of the period, its rise included (as ngspice 39's square, measured:
// tests/sim/xspice_more_test.cpp). The ramps' widths in phase are their times at the
// present frequency. Its corners are events: the transient stops at each.
struct SquareP {
  double out_low, out_high, duty, rise, fall;
};
constexpr Param<SquareP> square_params[] = {
    {"out_low", &SquareP::out_low, -1, -inf, inf, "", "output low"},
    {"out_high", &SquareP::out_high, 1, -inf, inf, "", "output high"},
    {"duty_cycle", &SquareP::duty, 0.5, above(0), below(1), "", "fraction of the period high, the rise included"},
    {"rise_time", &SquareP::rise, 1e-9, above(0), inf, "s", "rise time"},
    {"fall_time", &SquareP::fall, 1e-9, above(0), inf, "s", "fall time"},
};
class Square final : public CodeModel {
public:
  explicit Square(const DeviceInput& in)
      : CodeModel(in, {{"cntl_in"}, {"out", Dir::Out, "v", false, outputs_vi}}),
        p_(code_params(square_params, in, {"cntl_array", "freq_array"})) {
    read_arrays(in, cntl_, freq_);
    add_state({"phase", 1e-6, 0});
  }
  void compute(const Eval&, std::span<const double> in, std::span<const double> st, Work& w) const override {
    double df = 0;
    const double f = phase_equation(cntl_, freq_, in[0], st[0], w, df);
    const double span = p_.out_high - p_.out_low, cycle = std::floor(st[0]), phase = st[0] - cycle;
    const double up = 1 - p_.duty, rise = p_.rise * f, fall = p_.fall * f;
    // y = lo + span * s, s = (phase - start) / width on a ramp; width = time * f(in)
    auto ramp = [&](double from, double width, double sign) {
      const double s = (phase - from) / width;
      w.y[0] = sign > 0 ? p_.out_low + span * s : p_.out_high - span * s;
      w.dy_dst[0] = sign * span / width;
      w.dy_din[0] = -sign * span * s / f * df;
    };
    w.y[0] = p_.out_low;
    if (phase >= up) {
      if (phase < up + rise) ramp(up, rise, 1);
      else w.y[0] = p_.out_high;
    } else if (cycle >= 1 && phase < fall) {
      ramp(0, fall, -1);
    } else if (cycle >= 1 && up + rise > 1 && phase < up + rise - 1) {
      w.y[0] = p_.out_high;  // a rise longer than the high time: it ends after the cycle's end
    }
  }
  bool held(std::size_t, const Eval& e) const override { return e.mode != Mode::Tran; }

  bool event_driven() const override { return true; }
  void start_transient(double, double) override { next_ = std::numeric_limits<double>::infinity(); }
  // The next corner, from the phase and frequency at this accepted point.
  void accept(const Eval& e) override {
    next_ = std::numeric_limits<double>::infinity();
    double df = 0;
    const double f = frequency(cntl_, freq_, input(e, 0), df), x = state(e, 0);
    if (!(f > 0)) return;
    const double cycle = std::floor(x), up = 1 - p_.duty;
    for (double c : {cycle, cycle + 1})
      for (double corner : {c + up, c + up + p_.rise * f, c + 1, c + 1 + p_.fall * f})
        if (corner > x + 1e-9) next_ = std::min(next_, e.time + (corner - x) / f);
  }
  double next_event() const override { return next_; }

private:
  SquareP p_;
  std::vector<double> cntl_, freq_;
  double next_ = std::numeric_limits<double>::infinity();
};

}  // namespace

const bool int_registered = register_model<Int>(
    {.type = "int", .summary = "XSPICE int: out = gain * integral of (in + in_offset) + out_ic",
     .terminals = {"in", "out"},
     .states = {{"integral", "", "the integral plus out_ic, before the output limits", Hold::Never}},
     .example = "A1 a b i\n.model i int(gain=2 out_ic=0.1 out_lower_limit=-0.5 out_upper_limit=0.5 limit_range=0.1)\n",
     .element = 'a'},
    int_params);
const bool ddt_registered = register_model<Ddt>(
    {.type = "d_dt", .summary = "XSPICE d_dt: out = gain d(in)/dt + out_offset",
     .terminals = {"in", "out"},
     .example = "A1 a b d\n.model d d_dt(gain=1e-3 out_offset=0.1)\n", .element = 'a'},
    ddt_params);
const bool sxfer_registered = register_model<SXfer>(
    {.type = "s_xfer",
     .summary = "XSPICE s_xfer: Laplace transfer function gain N(s)/D(s); num_coeff, den_coeff (highest power first), int_ic",
     .terminals = {"in", "out"},
     .states = {{"x", "", "state of the controllable canonical form (x2, x3... for the next)"}},
     .example = "A1 a b h\n.model h s_xfer(num_coeff=[0.5 2] den_coeff=[1 3] gain=2)\n", .element = 'a'},
    xfer_params);
const bool sine_registered = register_model<Oscillator<false>>(
    {.type = "sine", .summary = "XSPICE sine: a sine oscillator whose frequency cntl_in sets (cntl_array, freq_array)",
     .terminals = {"cntl_in", "out"},
     .states = {{"phase", "", "phase in cycles; 0 at the operating point"}},
     .example = "A1 a b o\n.model o sine(cntl_array=[-1 1] freq_array=[1k 3k] out_low=-0.5 out_high=2)\n", .element = 'a'},
    sine_params);
const bool triangle_registered = register_model<Oscillator<true>>(
    {.type = "triangle", .summary = "XSPICE triangle: a triangle oscillator whose frequency cntl_in sets",
     .terminals = {"cntl_in", "out"},
     .states = {{"phase", "", "phase in cycles; 0 at the operating point"}},
     .example = "A1 a b o\n.model o triangle(cntl_array=[-1 1] freq_array=[1k 3k] rise_duty=0.3)\n", .element = 'a'},
    triangle_params);
const bool slew_registered = register_model<Slew>(
    {.type = "slew", .summary = "XSPICE slew: the output follows the input, its slope limited to rise_slope, fall_slope",
     .terminals = {"in", "out"},
     .states = {{"out", "V", "the output"}},
     .example = "A1 a b s\n.model s slew(rise_slope=1e3 fall_slope=5e2)\n", .element = 'a'},
    slew_params);
const bool square_registered = register_model<Square>(
    {.type = "square", .summary = "XSPICE square: a square-wave oscillator whose frequency cntl_in sets",
     .terminals = {"cntl_in", "out"},
     .states = {{"phase", "", "phase in cycles; 0 at the operating point"}},
     .example = "A1 a b o\n.model o square(cntl_array=[-1 1] freq_array=[1k 3k] duty_cycle=0.3 rise_time=1u fall_time=2u)\n",
     .element = 'a'},
    square_params);

}  // namespace ns::xspice
