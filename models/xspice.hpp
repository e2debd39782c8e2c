#pragma once
// XSPICE analog code models (models/xspice_*.cpp): one Device base that turns an A
// element's connections into unknowns and stamps, so that a code model only computes its
// outputs (and its states' equations) from its inputs, with exact derivatives.
//
// Ports: an input %v/%vd reads v(p) - v(n) and draws no current; %i/%id is a 0 V source
// from p to n whose current is read; %vnam reads a voltage source's current. An output
// %v/%vd is a voltage source, v(p) - v(n) = y; %i/%id a current y flowing from p
// through the model to n. A %g/%gd port is both: its voltage is an input and the model's
// output is the current through it (a switch, a diode). A %h/%hd port is the other way
// round: the current through it (from p through the model to n) is an input, and the
// model's output is its voltage (a winding).
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "circuit/registry.hpp"

namespace ns::xspice {

struct ConnectionSpec {
  std::string_view name;
  enum class Dir { In, Out, InOut } dir = Dir::In;
  std::string_view default_type = "v";
  bool vector = false;
  std::string_view allowed = "v vd i id vnam";  // port types, blank-separated
};

struct StateSpec {
  std::string name;
  double abstol = 1e-9;
  double rest = 0;
};

// What compute() fills: outputs y and the states' equations q' + f = 0, with their
// derivatives by the inputs and by the states (row-major, rows x inputs / rows x states).
struct Work {
  std::vector<double> y, dy_din, dy_dst;
  // A charge-like part of each output: the output is y + d/dt yq (d_dt), the derivative
  // taken by the integrator, implicitly, as a B source's ddt().
  std::vector<double> yq, dyq_din;
  std::vector<double> f, q, df_din, df_dst, dq_din, dq_dst;
};

class CodeModel : public Device {
public:
  CodeModel(const DeviceInput& in, std::vector<ConnectionSpec> spec);
  void setup(Setup& s) override;
  void topology(Topology& t) const override;
  void load(const Eval& e, Load& l) const override;
  void initial_condition(std::span<double> x) const override;

protected:
  // Ports of connection k (a vector connection's size).
  std::size_t ports(std::size_t k) const { return connections_.at(k).size(); }
  std::size_t inputs() const { return inputs_; }
  std::size_t outputs() const { return outputs_; }
  // States, claimed in setup; call from the constructor.
  void add_state(StateSpec s) { state_specs_.push_back(std::move(s)); }
  std::size_t states() const { return state_specs_.size(); }
  // Input k's value at `e` (after setup): for a model that records its input at accepted
  // points (Device::accept).
  double input(const Eval& e, std::size_t k) const;
  // State k's value at `e` (after setup).
  double state(const Eval& e, std::size_t k) const { return e.v(states_.at(k)); }
  // Work w is sized and zeroed before each call.
  virtual void compute(const Eval& e, std::span<const double> in, std::span<const double> st, Work& w) const = 0;
  // In .op/.dc and a transient's operating point, state k is held at its rest value
  // (an integrator whose DC equation is singular); .tran uic starts it there too.
  virtual bool held(std::size_t /*k*/, const Eval& /*e*/) const { return false; }

private:
  struct Port {
    std::string type;   // resolved: v vd i id vnam g gd
    std::vector<std::size_t> nodes;
    std::string source;
    Location where;
    bool null = false;
    // after setup
    Unknown p = ground, n = ground, branch = ground;
  };
  std::vector<ConnectionSpec> spec_;
  std::vector<std::vector<Port>> connections_;
  std::size_t inputs_ = 0, outputs_ = 0;
  std::vector<StateSpec> state_specs_;
  std::vector<Unknown> states_;
  std::vector<Unknown> local_;  // distinct unknowns the device touches
  std::vector<Entry> grid_;     // local x local
  // input k = sum of coef * x[local]
  std::vector<std::vector<std::pair<std::size_t, double>>> in_cols_;
  struct Output {
    bool voltage;
    std::size_t p, n, branch;  // local indices; npos for ground
  };
  std::vector<Output> outs_;
  struct Sense {  // a current input's 0 V source
    std::size_t p, n, branch;
  };
  std::vector<Sense> senses_;
  std::vector<std::size_t> state_local_;
  mutable Work work_;
  mutable std::vector<double> in_, st_;
  std::vector<double> zeros_;  // no dependence on the states

protected:
  bool charged_ = false;  // set by a model whose outputs have a yq part

  std::size_t local(Unknown u);
  Entry at(std::size_t r, std::size_t c) const;
};

// Scalar parameters of a code model's .model card through its Param table; the names
// in `vectors` may be given as [v1 v2 ...] (or one value) and are read with vector_param.
template <class P, std::size_t N>
P code_params(const Param<P> (&table)[N], const DeviceInput& in, std::initializer_list<std::string_view> vectors);
std::vector<double> vector_param(const DeviceInput& in, std::string_view name, std::vector<double> fallback);

// A string parameter of the .model card (file="data.txt"), or `fallback`.
std::string string_param(const DeviceInput& in, std::string_view name, std::string fallback);
// That parameter as a file's path: a relative one is taken from the directory of the deck
// file that holds the .model card (empty when neither the card nor `fallback` gives one).
std::filesystem::path data_file_path(const DeviceInput& in, std::string_view name, std::string fallback);

// The numbers of a code model's data file, line by line (lines without numbers left out):
// the file its string parameter `name` gives (or `fallback`), relative to the directory of
// the deck file that holds the .model card. A line starting with '*', and anything from
// '#' or ';' to the end of a line, is a comment. A file that cannot be read, or a word in
// it that is no number, is an InputError at the .model card naming the file and its line.
struct DataLine {
  int line = 0;
  std::vector<double> values;
};
struct DataFile {
  std::string path;
  std::vector<DataLine> lines;
};
DataFile read_data_file(const DeviceInput& in, std::string_view name, std::string fallback);

// A C1 corner: slope s1 below xc - d, s2 above xc + d, through (xc, yc) extended; a
// parabola between. Returns y and sets dy.
double smooth_corner(double x, double xc, double yc, double d, double s1, double s2, double& dy);
// y = u limited to [lo, hi], rounded by parabolas of half-width d at each limit.
double smooth_limit(double u, double lo, double hi, double d, double& dy);

// pwl's curve (models/xspice_static.cpp), for pwl and core: through the points of the
// .model card's arrays `xs` and `ys`, extended by the end slopes, each inner corner rounded
// over +-domain (times the narrower of its segments with `fraction`). With `flat_ends`
// (pwlts's limit) it stays at the end values outside the arrays, its end corners rounded
// as the inner ones (over the end segment's width with `fraction`).
class PwlCurve {
public:
  PwlCurve(const DeviceInput& in, std::string_view xs, std::string_view ys, double domain, bool fraction,
           bool flat_ends = false);
  double operator()(double x, double& dy) const;
  // Where the curve bends: each corner's ends (or the point itself when not rounded).
  std::vector<double> bends() const;

private:
  std::vector<double> x_, y_, d_;
};

// hyst's curve and its memory (models/xspice_hyst.cpp), for hyst and core's mode 2.
struct HystCurve {
  double in_low = 0, in_high = 1, hyst = 0.1, lo = 0, hi = 1, domain = 0.01, fraction = 1;
  bool falling = false;
  double operator()(double x, double& dy) const;
  // At an accepted point of input x.
  void accept(double x);
  // in_high > in_low, out_upper_limit > out_lower_limit, else an InputError at the card.
  void check(const DeviceInput& in) const;
};

// y(x) linear between the points (xs, ys), extended by the end segments' slopes; dy its
// derivative. One point: constant.
double pwl_extended(const std::vector<double>& xs, const std::vector<double>& ys, double x, double& dy);
// The arrays `xname` and `yname` of the .model card, of equal length, xs increasing: an
// InputError at the card otherwise.
void read_pwl_arrays(const DeviceInput& in, std::string_view xname, std::string_view yname, std::vector<double>& xs,
                     std::vector<double>& ys);

// A [...] array on the .model card must be one of `vectors`; one that names a scalar of
// `table` is an InputError, one the model does not have at all is a warning in
// in.warnings and ignored, as every other .model card's unknown parameter.
void check_vectors(const DeviceInput& in, std::span<const ParamInfo> table,
                   std::initializer_list<std::string_view> vectors);

template <class P, std::size_t N>
P code_params(const Param<P> (&table)[N], const DeviceInput& in, std::initializer_list<std::string_view> vectors) {
  check_vectors(in, describe(std::span<const Param<P>>(table)), vectors);
  Model scalars;
  if (in.model) {
    scalars = *in.model;
    std::erase_if(scalars.params, [&](const Assignment& a) {
      for (auto v : vectors)
        if (a.name == v) return true;
      return false;
    });
  }
  return resolve<P>(table, DeviceInput{in.element, in.model ? &scalars : nullptr, {}, in.warnings});
}

}  // namespace ns::xspice
