// XSPICE analog code models with memory: int, d_dt, s_xfer (a state-space realisation of
// the Laplace transfer function), and the controlled oscillators sine and triangle. Each
// memory is a state unknown with its own equation q' + f = 0, so the integrator treats it
// implicitly, as it treats a capacitor.
#include <algorithm>
#include <cmath>
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
  bool held(std::size_t, const Eval& e) const override { return e.mode != Mode::Tran; }

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
    integrating_ = den[0] == 0;
    const double c = n_ && !integrating_ ? std::pow(std::abs(den[0] / den[n_]), 1.0 / static_cast<double>(n_)) : 1.0;
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
    const std::vector<double> ic = vector_param(in, "int_ic", {});
    for (std::size_t k = 0; k < n_; ++k)
      add_state({k == 0 ? "x" : fmt::format("x{}", k + 1), 1e-6, k < ic.size() ? ic[k] : 0.0});
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
  // A denominator without a constant term integrates: no DC solution but its int_ic.
  bool held(std::size_t, const Eval& e) const override { return integrating_ && e.mode != Mode::Tran; }

private:
  XferP p_;
  std::size_t n_ = 0;
  bool integrating_ = false;
  double w_ = 1;
  std::vector<double> a_, b_;  // lowest power first, in p = s / W, a_[n] = 1
};

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
                    : code_params(sine_params, in, {"cntl_array", "freq_array"})),
        cntl_(vector_param(in, "cntl_array", {})),
        freq_(vector_param(in, "freq_array", {})) {
    if (!Triangle) p_.duty = 0.5;
    const Location& where = in.model ? in.model->where : in.element.where;
    if (cntl_.empty() || cntl_.size() != freq_.size())
      throw InputError(where, fmt::format("the oscillator needs cntl_array and freq_array of equal length (has {} and {})",
                                          cntl_.size(), freq_.size()));
    for (std::size_t k = 1; k < cntl_.size(); ++k)
      if (!(cntl_[k] > cntl_[k - 1])) throw InputError(where, "the oscillator's cntl_array must increase");
    add_state({"phase", 1e-6, 0});
  }
  void compute(const Eval&, std::span<const double> in, std::span<const double> st, Work& w) const override {
    // frequency: linear between the points, extended by the end segments' slopes
    double f = freq_[0], df = 0;
    if (cntl_.size() > 1) {
      std::size_t k = 0;
      while (k + 2 < cntl_.size() && in[0] > cntl_[k + 1]) ++k;
      df = (freq_[k + 1] - freq_[k]) / (cntl_[k + 1] - cntl_[k]);
      f = freq_[k] + df * (in[0] - cntl_[k]);
    }
    w.q[0] = st[0];
    w.dq_dst[0] = 1;
    w.f[0] = -f;
    w.df_din[0] = -df;
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

}  // namespace ns::xspice
