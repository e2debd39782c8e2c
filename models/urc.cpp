// U: the uniform distributed RC line, ngspice's card `U1 n1 n2 n3 umod l=len <n=lumps>`
// with `.model umod urc rperl= cperl= fmax= k=`: a resistive conductor from n1 to n2,
// rperl ohms and cperl farads per metre, its capacitance to n3, len metres long.
//
// The line is -dv/dx = r i, -di/dx = c dv/dt (the telegrapher's equations with l = g = 0),
// here a ladder of N equal pi sections (rlgc_ladder.hpp), exact at DC and in total
// charge. Its error at angular frequency w, against the exact open-ended response
// 1 / cosh(sqrt(j w R C)) (R C = r c len^2, the line's own time constant), is at most
// 0.13 w R C / N^2 (measured on the ladder's chain matrix for w R C from 1 to 100).
// ngspice's fmax is the highest frequency the user asks to be right: N is the least that
// keeps that error under 1e-3 there, sqrt(130 * 2 pi fmax R C), at least 4 and at most
// 1000 (the corpus's URC deck: 181 sections, 364 unknowns, stamped once). n= sets N.
// ngspice's k (the ratio of its geometric lump lengths) has nothing to control in equal
// sections and is accepted;
// isperl (diodes in place of the capacitances) is refused by name.
#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "circuit/registry.hpp"
#include "rlgc_ladder.hpp"

namespace ns {
namespace {

struct UrcParams {
  double l, n, k, fmax, rperl, cperl, isperl, rsperl;
};

using P = UrcParams;
const Param<P> urc_params[] = {
    {"l", &P::l, 0, above(0), inf, "m", "length", Scope::Instance, true},
    {"n", &P::n, 0, 0, 10000, "", "lumped sections (0: from fmax)", Scope::Instance},
    {"k", &P::k, 2, above(1), inf, "", "ngspice's lump-length ratio (equal sections here: no effect)"},
    {"fmax", &P::fmax, 1e9, above(0), inf, "Hz", "highest frequency of interest (sets the sections)"},
    {"rperl", &P::rperl, 1000, above(0), inf, "Ohm/m", "resistance per unit length"},
    {"cperl", &P::cperl, 1e-15, above(0), inf, "F/m", "capacitance per unit length"},
    {"isperl", &P::isperl, 0, 0, 0, "A/m", "diode saturation current per length (not supported: 0)"},
    {"rsperl", &P::rsperl, 0, 0, inf, "Ohm/m", "diode resistance per length (with isperl only)"},
};

std::size_t urc_sections(double rc, double fmax) {
  const double n = std::ceil(std::sqrt(130 * 2 * std::numbers::pi * fmax * rc));
  return static_cast<std::size_t>(std::clamp(n, 4.0, 1000.0));
}

RlgcLadder make(const DeviceInput& in) {
  if (in.model)
    for (const Assignment& a : in.model->params)
      if (a.name == "isperl" && a.value != 0)
        throw InputError(a.where, fmt::format("'{}': a urc line with isperl (reverse-biased diodes in place of its "
                                              "capacitance) is not supported; give isperl=0",
                                              in.element.name));
  const P p = resolve<P>(urc_params, in);
  const std::size_t n = p.n > 0 ? static_cast<std::size_t>(p.n) : urc_sections(p.rperl * p.cperl * p.l * p.l, p.fmax);
  return RlgcLadder(in.element.name, RlgcLine{1, {p.rperl}, {0}, {0}, {p.cperl}},
                    std::vector<double>(n, p.l / static_cast<double>(n)));
}

class UrcLine final : public Device {
public:
  explicit UrcLine(const DeviceInput& in) : Device(in.element.name, in.element.where), ladder_(make(in)) {}

  void setup(Setup& s) override {
    const Unknown a[] = {s.terminal(0)}, b[] = {s.terminal(1)};
    ladder_.setup(s, a, s.terminal(2), b, s.terminal(2));
  }
  void topology(Topology& t) const override { ladder_.topology(t); }
  bool linear() const override { return true; }
  void load(const Eval& e, Load& l) const override { ladder_.load(e, l); }

private:
  RlgcLadder ladder_;
};

}  // namespace

const bool registered = register_model<UrcLine>(
    {.type = "urc",
     .summary = "uniform distributed RC line (ngspice's U): rperl, cperl per metre, l= long, capacitance to n3",
     .terminals = {"n1", "n2", "n3"},
     .example = "U1 a b 0 umod l=1m\n.model umod urc rperl=1meg cperl=1n\nR1 a 0 1k\n",
     .element = 'u'},
    urc_params);

}  // namespace ns
