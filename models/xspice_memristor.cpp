// XSPICE memristor: the threshold memristor of Pershin and Di Ventra (arXiv:1204.2600) as
// ngspice's code model of that name presents it: a resistance R between the memris pair,
// i = v / R, with dR/dt = f(v) while that moves R towards and not past rmax (f > 0) or
// rmin (f < 0), and
//     f(v) = beta v + (alpha - beta)/2 (|v + vt| - |v - vt|)
// (rate alpha below the threshold vt, beta above it). f is written piecewise, each piece
// without the cancellation of the two beta terms (1e10 A each in a 10 ns deck). R is a
// state unknown, rinit at the operating point and at the start of .tran uic.
#include <cmath>

#include "xspice.hpp"

namespace ns::xspice {
namespace {

struct MemP {
  double rmin, rmax, rinit, alpha, beta, vt;
};
constexpr Param<MemP> mem_params[] = {
    {"rmin", &MemP::rmin, 10, above(0), inf, "Ohm", "least resistance (on)"},
    {"rmax", &MemP::rmax, 10e3, above(0), inf, "Ohm", "largest resistance (off)"},
    {"rinit", &MemP::rinit, 7e3, above(0), inf, "Ohm", "resistance at the operating point and t = 0"},
    {"alpha", &MemP::alpha, 0, -inf, inf, "Ohm/(V s)", "rate of change below the threshold"},
    {"beta", &MemP::beta, 1, -inf, inf, "Ohm/(V s)", "rate of change above the threshold"},
    {"vt", &MemP::vt, 0, 0, inf, "V", "threshold voltage"},
};

class Memristor final : public CodeModel {
public:
  explicit Memristor(const DeviceInput& in)
      : CodeModel(in, {{"memris", ConnectionSpec::Dir::InOut, "gd", false, "gd"}}), p_(code_params(mem_params, in, {})) {
    add_state({"r", 1e-3, p_.rinit});
  }
  void compute(const Eval&, std::span<const double> in, std::span<const double> st, Work& w) const override {
    const double v = in[0], r = st[0];
    w.y[0] = v / r;
    w.dy_din[0] = 1 / r;
    w.dy_dst[0] = -v / (r * r);
    // f(v) and its slope, one piece at a time.
    double f = p_.alpha * v, slope = p_.alpha;
    if (v > p_.vt) f = p_.beta * (v - p_.vt) + p_.alpha * p_.vt, slope = p_.beta;
    if (v < -p_.vt) f = p_.beta * (v + p_.vt) - p_.alpha * p_.vt, slope = p_.beta;
    const bool moves = (f > 0 && r < p_.rmax) || (f < 0 && r > p_.rmin);
    w.q[0] = r;
    w.dq_dst[0] = 1;
    w.f[0] = moves ? -f : 0.0;
    w.df_din[0] = moves ? -slope : 0.0;
  }
  bool held(std::size_t, const Eval& e) const override { return e.mode != Mode::Tran; }

private:
  MemP p_;
};

}  // namespace

const bool memristor_registered = register_model<Memristor>(
    {.type = "memristor",
     .summary = "XSPICE memristor: threshold memristor (Pershin, Di Ventra): i = v/R, dR/dt = f(v) within [rmin, rmax]",
     .terminals = {"memris+", "memris-"},
     .states = {{"r", "Ohm", "the resistance; rinit at the operating point", Hold::Never}},
     .example = "A1 a b m\n.model m memristor(rmin=1k rmax=10k rinit=7k alpha=0 beta=2e5 vt=1)\n", .element = 'a'},
    mem_params);

}  // namespace ns::xspice
