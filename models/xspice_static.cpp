// XSPICE analog code models without memory: gain, summer, mult, divide, limit, climit,
// pwl, aswitch. Each follows the XSPICE manual's definition of its parameters; smoothing
// corners are the C1 parabolas of models/xspice.hpp, of the half-width the manual's
// range/domain parameter gives (checked against ngspice in tests/sim/xspice_test.cpp).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "xspice.hpp"

namespace ns::xspice {
namespace {

using Dir = ConnectionSpec::Dir;
constexpr std::string_view outputs_vi = "v vd i id";

// gain: out = gain (in + in_offset) + out_offset.
struct GainP {
  double in_offset, gain, out_offset;
};
constexpr Param<GainP> gain_params[] = {
    {"in_offset", &GainP::in_offset, 0, -inf, inf, "", "added to the input"},
    {"gain", &GainP::gain, 1, -inf, inf, "", "gain"},
    {"out_offset", &GainP::out_offset, 0, -inf, inf, "", "added to the output"},
};
class Gain final : public CodeModel {
public:
  explicit Gain(const DeviceInput& in)
      : CodeModel(in, {{"in"}, {"out", Dir::Out, "v", false, outputs_vi}}), p_(code_params(gain_params, in, {})) {}
  void compute(const Eval&, std::span<const double> in, std::span<const double>, Work& w) const override {
    w.y[0] = p_.gain * (in[0] + p_.in_offset) + p_.out_offset;
    w.dy_din[0] = p_.gain;
  }

private:
  GainP p_;
};

// summer: out = out_gain sum_k in_gain[k] (in[k] + in_offset[k]) + out_offset;
// mult: the same with a product.
struct SumP {
  double out_gain, out_offset;
};
constexpr Param<SumP> sum_params[] = {
    {"out_gain", &SumP::out_gain, 1, -inf, inf, "", "gain of the sum (product)"},
    {"out_offset", &SumP::out_offset, 0, -inf, inf, "", "added to the output"},
};
template <bool Product>
class SumOrProduct final : public CodeModel {
public:
  explicit SumOrProduct(const DeviceInput& in)
      : CodeModel(in, {{"in", Dir::In, "v", true}, {"out", Dir::Out, "v", false, outputs_vi}}),
        p_(code_params(sum_params, in, {"in_offset", "in_gain"})),
        offset_(vector_param(in, "in_offset", {})),
        gain_(vector_param(in, "in_gain", {})) {
    offset_.resize(ports(0), offset_.empty() ? 0.0 : offset_.back());
    gain_.resize(ports(0), gain_.empty() ? 1.0 : gain_.back());
  }
  void compute(const Eval&, std::span<const double> in, std::span<const double>, Work& w) const override {
    const std::size_t n = in.size();
    if (!Product) {
      double y = 0;
      for (std::size_t k = 0; k < n; ++k) y += gain_[k] * (in[k] + offset_[k]), w.dy_din[k] = p_.out_gain * gain_[k];
      w.y[0] = p_.out_gain * y + p_.out_offset;
      return;
    }
    double y = p_.out_gain;
    for (std::size_t k = 0; k < n; ++k) y *= gain_[k] * (in[k] + offset_[k]);
    for (std::size_t k = 0; k < n; ++k) {
      double d = p_.out_gain * gain_[k];  // the product of the other factors, without dividing
      for (std::size_t j = 0; j < n; ++j)
        if (j != k) d *= gain_[j] * (in[j] + offset_[j]);
      w.dy_din[k] = d;
    }
    w.y[0] = y + p_.out_offset;
  }

private:
  SumP p_;
  std::vector<double> offset_, gain_;
};

// divide: out = out_gain num_gain (num + num_offset) / (den_gain (den + den_offset)) +
// out_offset, the denominator's magnitude kept above den_lower_limit by a smooth corner
// of half-width den_domain (times den_lower_limit with fraction=true).
struct DivP {
  double num_offset, num_gain, den_offset, den_gain, den_lower_limit, den_domain, fraction, out_gain, out_offset;
};
constexpr Param<DivP> div_params[] = {
    {"num_offset", &DivP::num_offset, 0, -inf, inf, "", "added to the numerator input"},
    {"num_gain", &DivP::num_gain, 1, -inf, inf, "", "numerator gain"},
    {"den_offset", &DivP::den_offset, 0, -inf, inf, "", "added to the denominator input"},
    {"den_gain", &DivP::den_gain, 1, -inf, inf, "", "denominator gain"},
    {"den_lower_limit", &DivP::den_lower_limit, 1e-10, above(0), inf, "", "least magnitude of the denominator"},
    {"den_domain", &DivP::den_domain, 1e-10, 0, inf, "", "half-width of its smoothing"},
    {"fraction", &DivP::fraction, 0, 0, 1, "", "1: den_domain is relative to den_lower_limit"},
    {"out_gain", &DivP::out_gain, 1, -inf, inf, "", "output gain"},
    {"out_offset", &DivP::out_offset, 0, -inf, inf, "", "added to the output"},
};
class Divide final : public CodeModel {
public:
  explicit Divide(const DeviceInput& in)
      : CodeModel(in, {{"num"}, {"den"}, {"out", Dir::Out, "v", false, outputs_vi}}), p_(code_params(div_params, in, {})) {}
  void compute(const Eval&, std::span<const double> in, std::span<const double>, Work& w) const override {
    const double num = p_.num_gain * (in[0] + p_.num_offset);
    const double raw = p_.den_gain * (in[1] + p_.den_offset);
    const double lim = p_.den_lower_limit;
    const double d = std::min(p_.fraction ? p_.den_domain * lim : p_.den_domain, lim);
    double dd = 1;
    const double den = raw >= 0 ? smooth_corner(raw, lim, lim, d, 0, 1, dd) : -smooth_corner(-raw, lim, lim, d, 0, 1, dd);
    w.y[0] = p_.out_gain * num / den + p_.out_offset;
    w.dy_din[0] = p_.out_gain * p_.num_gain / den;
    w.dy_din[1] = -p_.out_gain * num / (den * den) * dd * p_.den_gain;
  }

private:
  DivP p_;
};

// limit: out = gain (in + in_offset) limited to [out_lower_limit, out_upper_limit], each
// corner rounded over +-limit_range (times the output span with fraction=true).
struct LimP {
  double in_offset, gain, lo, hi, range, fraction;
};
constexpr Param<LimP> lim_params[] = {
    {"in_offset", &LimP::in_offset, 0, -inf, inf, "", "added to the input"},
    {"gain", &LimP::gain, 1, -inf, inf, "", "gain"},
    {"out_lower_limit", &LimP::lo, 0, -inf, inf, "", "lower output limit"},
    {"out_upper_limit", &LimP::hi, 1, -inf, inf, "", "upper output limit"},
    {"limit_range", &LimP::range, 1e-6, 0, inf, "", "half-width of the rounded corners"},
    {"fraction", &LimP::fraction, 0, 0, 1, "", "1: limit_range is relative to the output span"},
};
class Limit final : public CodeModel {
public:
  explicit Limit(const DeviceInput& in)
      : CodeModel(in, {{"in"}, {"out", Dir::Out, "v", false, outputs_vi}}), p_(code_params(lim_params, in, {})) {
    if (p_.hi <= p_.lo)
      throw InputError(in.model->where, fmt::format("'{}': out_upper_limit ({:g}) must exceed out_lower_limit ({:g})",
                                                    in.model->name, p_.hi, p_.lo));
  }
  void compute(const Eval&, std::span<const double> in, std::span<const double>, Work& w) const override {
    const double d = p_.fraction ? p_.range * (p_.hi - p_.lo) : p_.range;
    double dy = 0;
    w.y[0] = smooth_limit(p_.gain * (in[0] + p_.in_offset), p_.lo, p_.hi, d, dy);
    w.dy_din[0] = dy * p_.gain;
  }

private:
  LimP p_;
};

// climit: as limit, the limits being inputs: cntl_lower + lower_delta and
// cntl_upper - upper_delta.
struct CLimP {
  double in_offset, gain, upper_delta, lower_delta, range, fraction;
};
constexpr Param<CLimP> clim_params[] = {
    {"in_offset", &CLimP::in_offset, 0, -inf, inf, "", "added to the input"},
    {"gain", &CLimP::gain, 1, -inf, inf, "", "gain"},
    {"upper_delta", &CLimP::upper_delta, 0, -inf, inf, "", "the upper limit is cntl_upper minus this"},
    {"lower_delta", &CLimP::lower_delta, 0, -inf, inf, "", "the lower limit is cntl_lower plus this"},
    {"limit_range", &CLimP::range, 1e-6, 0, inf, "", "half-width of the rounded corners"},
    {"fraction", &CLimP::fraction, 0, 0, 1, "", "1: limit_range is relative to the output span"},
};
class CLimit final : public CodeModel {
public:
  explicit CLimit(const DeviceInput& in)
      : CodeModel(in, {{"in"}, {"cntl_upper"}, {"cntl_lower"}, {"out", Dir::Out, "v", false, outputs_vi}}),
        p_(code_params(clim_params, in, {})) {}
  void compute(const Eval&, std::span<const double> in, std::span<const double>, Work& w) const override {
    const double hi = in[1] - p_.upper_delta, lo = in[2] + p_.lower_delta;
    const double u = p_.gain * (in[0] + p_.in_offset);
    if (hi <= lo) {  // crossed limits: the output is their mean
      w.y[0] = (hi + lo) / 2;
      w.dy_din[1] = w.dy_din[2] = 0.5;
      return;
    }
    double d = p_.fraction ? p_.range * (hi - lo) : p_.range;
    d = std::min(d, (hi - lo) / 2);
    double dy = 0;
    // y = c + g(u - c) at the corner c, so dy/dc = 1 - g'.
    if (u < (lo + hi) / 2) {
      w.y[0] = d > 0 ? smooth_corner(u, lo, lo, d, 0, 1, dy) : (dy = u > lo, std::max(u, lo));
      w.dy_din[2] = 1 - dy;
    } else {
      w.y[0] = d > 0 ? smooth_corner(u, hi, hi, d, 1, 0, dy) : (dy = u < hi, std::min(u, hi));
      w.dy_din[1] = 1 - dy;
    }
    w.dy_din[0] = dy * p_.gain;
    if (p_.fraction && d > 0 && d < (hi - lo) / 2) {
      // The half-width moves with the limits too: d/dd of the corner, through d = r (hi - lo).
      const double c = u < (lo + hi) / 2 ? lo : hi;
      const double t = u - c + d;
      if (std::abs(u - c) < d) {
        const double s1 = u < (lo + hi) / 2 ? 0 : 1, s2 = 1 - s1;
        const double by_d = (s2 - s1) * (t / (2 * d) - t * t / (4 * d * d));
        w.dy_din[1] += by_d * p_.range;
        w.dy_din[2] -= by_d * p_.range;
      }
    }
  }

private:
  CLimP p_;
};

// pwl: the piecewise-linear curve through (x_array, y_array), extended by its end
// slopes, each inner corner rounded over +-input_domain (times the narrower of its two
// segments with fraction=true, the default).
struct PwlP {
  double domain, fraction;
};
constexpr Param<PwlP> pwl_params[] = {
    {"input_domain", &PwlP::domain, 0.01, 0, inf, "", "half-width of the rounded corners"},
    {"fraction", &PwlP::fraction, 1, 0, 1, "", "1: input_domain is relative to the narrower segment"},
};
class Pwl final : public CodeModel {
public:
  explicit Pwl(const DeviceInput& in)
      : CodeModel(in, {{"in"}, {"out", Dir::Out, "v", false, outputs_vi}}),
        p_(code_params(pwl_params, in, {"x_array", "y_array"})),
        curve_(in, "x_array", "y_array", p_.domain, p_.fraction != 0) {}
  void compute(const Eval&, std::span<const double> in, std::span<const double>, Work& w) const override {
    w.y[0] = curve_(in[0], w.dy_din[0]);
  }

private:
  PwlP p_;
  PwlCurve curve_;
};

// aswitch: a resistance between the out pair, from r_off at cntl_off to r_on at cntl_on,
// interpolated in log(r) (log=true, the default) or in r, and extended beyond them alike;
// with limit=true the control is held between cntl_off and cntl_on (r between r_off and r_on).
struct SwP {
  double cntl_off, cntl_on, log, r_off, r_on, limit;
};
constexpr Param<SwP> sw_params[] = {
    {"cntl_off", &SwP::cntl_off, 0, -inf, inf, "", "control value of r_off"},
    {"cntl_on", &SwP::cntl_on, 1, -inf, inf, "", "control value of r_on"},
    {"log", &SwP::log, 1, 0, 1, "", "1: log(r) is interpolated, 0: r"},
    {"r_off", &SwP::r_off, 1e12, above(0), inf, "Ohm", "off resistance"},
    {"r_on", &SwP::r_on, 1, above(0), inf, "Ohm", "on resistance"},
    {"limit", &SwP::limit, 0, 0, 1, "", "1: the control is held between cntl_off and cntl_on"},
};
class Aswitch final : public CodeModel {
public:
  explicit Aswitch(const DeviceInput& in)
      : CodeModel(in, {{"cntl_in"}, {"out", Dir::InOut, "gd", false, "gd g"}}), p_(code_params(sw_params, in, {})) {
    if (p_.cntl_on == p_.cntl_off)
      throw InputError(in.model->where, fmt::format("'{}': cntl_on and cntl_off must differ", in.model->name));
  }
  void compute(const Eval&, std::span<const double> in, std::span<const double>, Work& w) const override {
    double s = (in[0] - p_.cntl_off) / (p_.cntl_on - p_.cntl_off);
    double ds = 1 / (p_.cntl_on - p_.cntl_off);
    if (p_.limit && (s < 0 || s > 1)) s = std::clamp(s, 0.0, 1.0), ds = 0;
    double r, dr;
    if (p_.log) {
      const double k = std::log(p_.r_on / p_.r_off);
      r = p_.r_off * std::exp(k * s);
      dr = r * k * ds;
    } else {
      r = p_.r_off + (p_.r_on - p_.r_off) * s;
      dr = (p_.r_on - p_.r_off) * ds;
    }
    w.y[0] = in[1] / r;
    w.dy_din[1] = 1 / r;
    w.dy_din[0] = -in[1] / (r * r) * dr;
  }

private:
  SwP p_;
};

}  // namespace

PwlCurve::PwlCurve(const DeviceInput& in, std::string_view xs, std::string_view ys, double domain, bool fraction,
                   bool flat_ends)
    : x_(vector_param(in, xs, {})), y_(vector_param(in, ys, {})) {
  const Location& where = in.model ? in.model->where : in.element.where;
  const std::string type = in.model ? in.model->type : "pwl";
  if (x_.size() < 2 || x_.size() != y_.size())
    throw InputError(where, fmt::format("{} model needs {} and {} of equal length, at least 2 (has {} and {})", type, xs,
                                        ys, x_.size(), y_.size()));
  for (std::size_t k = 1; k < x_.size(); ++k)
    if (!(x_[k] > x_[k - 1]))
      throw InputError(where, fmt::format("{} model's {} must increase ({}[{}] = {:g} after {:g})", type, xs, xs, k,
                                          x_[k], x_[k - 1]));
  if (flat_ends) {  // flat segments far out: the end points become corners like the others
    const double far = 1e6 * (x_.back() - x_.front());
    x_.insert(x_.begin(), x_.front() - far);
    y_.insert(y_.begin(), y_.front());
    x_.push_back(x_.back() + far);
    y_.push_back(y_.back());
  }
  for (std::size_t k = 1; k + 1 < x_.size(); ++k) {
    const double narrow = std::min(x_[k] - x_[k - 1], x_[k + 1] - x_[k]);
    d_.push_back(std::min(fraction ? domain * narrow : domain, narrow / 2));
  }
}

std::vector<double> PwlCurve::bends() const {
  std::vector<double> out;
  for (std::size_t k = 1; k + 1 < x_.size(); ++k) {
    const double d = d_[k - 1];
    if (d > 0) out.insert(out.end(), {x_[k] - d, x_[k] + d});
    else out.push_back(x_[k]);
  }
  return out;
}

double PwlCurve::operator()(double x, double& dy) const {
  auto slope = [&](std::size_t k) { return (y_[k + 1] - y_[k]) / (x_[k + 1] - x_[k]); };
  for (std::size_t k = 1; k + 1 < x_.size(); ++k)
    if (d_[k - 1] > 0 && std::abs(x - x_[k]) < d_[k - 1])
      return smooth_corner(x, x_[k], y_[k], d_[k - 1], slope(k - 1), slope(k), dy);
  std::size_t k = 0;  // the segment, the end ones extended
  while (k + 2 < x_.size() && x > x_[k + 1]) ++k;
  dy = slope(k);
  return y_[k] + slope(k) * (x - x_[k]);
}

const bool gain_registered = register_model<Gain>(
    {.type = "gain", .summary = "XSPICE gain: out = gain (in + in_offset) + out_offset",
     .terminals = {"in", "out"}, .example = "A1 a b amp\n.model amp gain(gain=2 in_offset=0.1)\n", .element = 'a'},
    gain_params);
const bool summer_registered = register_model<SumOrProduct<false>>(
    {.type = "summer",
     .summary = "XSPICE summer: out = out_gain sum in_gain[k] (in[k] + in_offset[k]) + out_offset; vectors in_gain, in_offset",
     .terminals = {"in1", "in2", "out"},
     .example = "A1 [a b] c s\n.model s summer(in_gain=[1 -2] in_offset=[0.1 0] out_gain=3)\n", .element = 'a'},
    sum_params);
const bool mult_registered = register_model<SumOrProduct<true>>(
    {.type = "mult",
     .summary = "XSPICE mult: out = out_gain prod in_gain[k] (in[k] + in_offset[k]) + out_offset; vectors in_gain, in_offset",
     .terminals = {"in1", "in2", "out"},
     .example = "A1 [a b] c m\n.model m mult(in_gain=[1 -2] in_offset=[0.1 0.3] out_gain=3)\n", .element = 'a'},
    sum_params);
const bool divide_registered = register_model<Divide>(
    {.type = "divide", .summary = "XSPICE divide: out = out_gain num_gain (num + num_offset) / (den_gain (den + den_offset)) + out_offset",
     .terminals = {"num", "den", "out"},
     .example = "A1 a b c d\n.model d divide(den_offset=2 den_lower_limit=0.1 den_domain=0.01)\n", .element = 'a'},
    div_params);
const bool limit_registered = register_model<Limit>(
    {.type = "limit", .summary = "XSPICE limit: gain (in + in_offset), smoothly limited to [out_lower_limit, out_upper_limit]",
     .terminals = {"in", "out"},
     .example = "A1 a b l\n.model l limit(gain=2 out_lower_limit=-0.5 out_upper_limit=0.5 limit_range=0.2)\n", .element = 'a'},
    lim_params);
const bool climit_registered = register_model<CLimit>(
    {.type = "climit", .summary = "XSPICE climit: gain (in + in_offset), smoothly limited between two control inputs",
     .terminals = {"in", "cntl_upper", "cntl_lower", "out"},
     .example = "A1 a b c d l\n.model l climit(gain=2 limit_range=0.3 fraction=true)\n", .element = 'a'},
    clim_params);
const bool pwl_registered = register_model<Pwl>(
    {.type = "pwl", .summary = "XSPICE pwl: piecewise-linear transfer through x_array, y_array with rounded corners",
     .terminals = {"in", "out"},
     .example = "A1 a b p\n.model p pwl(x_array=[-1 0 0.5 1] y_array=[0 1 -1 2] input_domain=0.2)\n", .element = 'a'},
    pwl_params);
const bool aswitch_registered = register_model<Aswitch>(
    {.type = "aswitch", .summary = "XSPICE aswitch: resistance between the out pair set by cntl_in (log or linear)",
     .terminals = {"cntl_in", "out+", "out-"},
     .example = "A1 a %gd(b c) s\n.model s aswitch(r_on=10 r_off=1e4)\n", .element = 'a'},
    sw_params);

}  // namespace ns::xspice
