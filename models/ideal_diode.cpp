// LTspice's idealised diode: a D whose .model gives any of ron, roff, vfwd, vrev, rrev,
// ilimit, revilimit, epsilon, revepsilon (circuit.cpp picks this entry for such a model).
// Behavioural neuron and memristor decks written for LTspice use it for clamps, rectifying
// resets and threshold elements; read as a junction diode those parameters are unknown
// and the deck computes something else. Three straight lines, joined at the nominal knees
// (LTspice keeps the off line's current at vfwd and at -vrev, not the lines' crossing):
//
//     off       i = v / roff                                  -vrev <= v <= vfwd
//     forward   i = (v - vfwd) / ron + vfwd / roff             v >= vfwd
//     reverse   i = (v + vrev) / rrev - vrev / roff            v <= -vrev (vrev given)
//
// epsilon > 0 smooths the forward knee over [vfwd, vfwd + epsilon], revepsilon the reverse
// one over [-vrev - revepsilon, -vrev]: the slope passes linearly from one line's to the
// other's there, so current and conductance are continuous and the conducting line beyond
// sits half the width further out. ilimit (revilimit) bounds the forward (reverse) current
// smoothly, i -> ilimit tanh(i / ilimit). The law is LTspice's as its documentation
// describes it (three linear regions, a quadratic transition of width epsilon, current
// limits) and as SpiceSharpParser documents its LTspice-checked reimplementation; there is
// no charge. roff defaults to 1/gmin of the default gmin (1e12 Ohm), rrev to ron. The
// area (and so an instance's m=) multiplies the current.
#include <cmath>

#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct IdealDiodeParams {
  double ron, roff, vfwd, vrev, rrev, ilimit, revilimit, epsilon, revepsilon, area, off;
};

using P = IdealDiodeParams;
constexpr Param<P> ideal_diode_params[] = {
    {"ron", &P::ron, 1, above(0), inf, "Ohm", "forward (on) resistance"},
    {"roff", &P::roff, 1e12, above(0), inf, "Ohm", "off resistance (LTspice: 1/gmin)"},
    {"vfwd", &P::vfwd, 0, -inf, inf, "V", "forward threshold: on above it"},
    {"vrev", &P::vrev, inf, 0, inf, "V", "reverse breakdown voltage, a magnitude (inf: none)"},
    {"rrev", &P::rrev, 0, 0, inf, "Ohm", "breakdown resistance (0: ron, the default)"},
    {"ilimit", &P::ilimit, inf, above(0), inf, "A", "forward current limit (inf: none)"},
    {"revilimit", &P::revilimit, inf, above(0), inf, "A", "reverse current limit, a magnitude (inf: none)"},
    {"epsilon", &P::epsilon, 0, 0, inf, "V", "width of the forward knee's quadratic transition"},
    {"revepsilon", &P::revepsilon, 0, 0, inf, "V", "width of the reverse knee's quadratic transition"},
    {"area", &P::area, 1, above(0), inf, "", "parallel multiplier of the current", Scope::Instance},
    {"off", &P::off, 0, 0, 1, "", "initial-guess flag: accepted, no effect", Scope::Instance},
};

// A straight line i = g v + c.
struct Line {
  double g, c;
  double at(double v) const { return g * v + c; }
};

struct Point {
  double i, g;  // current and d i / d v
};

// The line `left` below `from`; above `from + width` a line of right's slope; between them
// the slope passing linearly from left's to right's, current and slope continuous (width
// 0: a corner at `from`, where right passes through left(from)).
Point knee(double v, double from, double width, Line left, Line right) {
  if (v <= from) return {left.at(v), left.g};
  if (v >= from + width) {
    // beyond the ramp: right's slope through the ramp's end point
    const double end = left.at(from) + left.g * width + (right.g - left.g) * width / 2;
    return {end + right.g * (v - from - width), right.g};
  }
  const double d = v - from;
  return {left.at(from) + left.g * d + (right.g - left.g) * d * d / (2 * width), left.g + (right.g - left.g) * d / width};
}

class IdealDiode final : public Device {
public:
  explicit IdealDiode(const DeviceInput& in)
      : Device(in.element.name, in.element.where), p_(resolve<P>(ideal_diode_params, in)) {
    if (p_.rrev == 0) p_.rrev = p_.ron;
  }

  void setup(Setup& s) override {
    a_ = s.terminal(0);
    k_ = s.terminal(1);
    grid_.declare(s, {a_, k_});
  }

  void topology(Topology& t) const override { t.conducts(a_, k_); }

  void load(const Eval& e, Load& l) const override {
    const Point d = at(e.v(a_) - e.v(k_));
    l.f(a_, d.i);
    l.f(k_, -d.i);
    grid_.pair(l, 0, 1, d.g);
  }

  bool settled(const Eval& accepted, const Eval& proposed, double reltol, double abstol) const override {
    const double vold = accepted.v(a_) - accepted.v(k_), vnew = proposed.v(a_) - proposed.v(k_);
    const Point old = at(vold);
    const double predicted = old.i + old.g * (vnew - vold), actual = at(vnew).i;
    return std::abs(predicted - actual) <= reltol * std::max(std::abs(predicted), std::abs(actual)) + abstol;
  }

  double quantity(std::size_t k, const Eval& e) const override {
    const double v = e.v(a_) - e.v(k_);
    const Point d = at(v);
    const double values[] = {d.i, v, d.g};
    return values[k];
  }

private:
  Point at(double v) const {
    const double goff = 1 / p_.roff;
    const Line off{goff, 0};
    Point d{off.at(v), goff};
    if (std::isfinite(p_.vrev) && v < -p_.vrev) {
      // The ramp ends at -vrev on the off line: the forward knee's shape in -v.
      const Point m = knee(-v, p_.vrev, p_.revepsilon, off, Line{1 / p_.rrev, 0});
      d = {-m.i, m.g};
    }
    if (v > p_.vfwd) {
      const Line forward{1 / p_.ron, (goff - 1 / p_.ron) * p_.vfwd};
      d = knee(v, p_.vfwd, p_.epsilon, off, forward);
    }
    const double limit = d.i > 0 ? p_.ilimit : p_.revilimit;
    if (std::isfinite(limit)) {
      const double t = std::tanh(d.i / limit);
      d = {limit * t, d.g * (1 - t * t)};
    }
    return {p_.area * d.i, p_.area * d.g};
  }

  P p_;
  Unknown a_ = ground, k_ = ground;
  EntryGrid<2> grid_;
};

}  // namespace

const bool registered = register_model<IdealDiode>(
    {.type = "d ideal",
     .summary = "LTspice's idealised diode (a D model with ron, roff, vfwd, vrev, rrev, ilimit or epsilon): "
                "piecewise-linear on, off and breakdown",
     .terminals = {"a", "k"},
     .positional = {"area"},
     .probes = {{"id", "A", "current a to k"}, {"vd", "V", "voltage a to k"}, {"gd", "S", "conductance d id / d vd"}},
     .example = "D1 a k dm\n.model dm d(ron=1 roff=1meg vfwd=0.5 vrev=5 epsilon=0.1)\n",
     .element = 'd'},
    ideal_diode_params);

}  // namespace ns
