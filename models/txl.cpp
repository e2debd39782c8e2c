// Y: the single lossy line of ngspice's TXL model, card `Y1 p1 n1 p2 n2 ymod` with
// `.model ymod txl r= l= g= c= length=`: one conductor of resistance r, inductance l,
// conductance g and capacitance c per unit length over a lossless return, `length` long.
//
// The same line as O/ltra (models/ltra.cpp), by the same method: K lossless segments with
// the loss lumped between them (lossy_segments.hpp; exact delay, DC resistance and lossless
// limit, the loss approximated with K from it; sections= sets K).
#include <cmath>

#include <fmt/format.h>

#include "circuit/registry.hpp"
#include "lossy_segments.hpp"

namespace ns {
namespace {

struct TxlParams {
  double r, l, g, c, length, sections;
};

using P = TxlParams;
const Param<P> txl_params[] = {
    {"r", &P::r, 0, 0, inf, "Ohm/m", "series resistance per unit length"},
    {"l", &P::l, 0, above(0), inf, "H/m", "series inductance per unit length", Scope::Model, true},
    {"g", &P::g, 0, 0, inf, "S/m", "shunt conductance per unit length"},
    {"c", &P::c, 0, above(0), inf, "F/m", "shunt capacitance per unit length", Scope::Model, true},
    {"length", &P::length, 0, above(0), inf, "m", "length", Scope::Model, true},
    {"sections", &P::sections, 0, 0, 1000, "", "lossless segments (0: from the loss)", Scope::Both},
};

class TxlLine final : public Device {
public:
  explicit TxlLine(const DeviceInput& in)
      : Device(in.element.name, in.element.where), line_(make(in)) {}

  void setup(Setup& s) override { line_.setup(s, s.terminal(0), s.terminal(1), s.terminal(2), s.terminal(3)); }
  void topology(Topology& t) const override { line_.topology(t); }
  void load(const Eval& e, Load& l) const override { line_.load(e, l); }
  bool frequency_dependent() const override { return true; }
  void ac_admittance(double omega, const std::function<void(Entry, std::complex<double>)>& stamp) const override {
    line_.ac_admittance(omega, stamp);
  }
  void start_transient(double, double) override { line_.start_transient(); }
  double delay() const override { return line_.delay(); }
  double corner_delay() const override { return line_.line_delay(); }
  void accept(const Eval& e) override { line_.accept(e); }

private:
  static LossySegments make(const DeviceInput& in) {
    const P p = resolve<P>(txl_params, in);
    return LossySegments(in.element.name, in.element.where, LossyLine{p.r, p.l, p.g, p.c, p.length},
                         static_cast<std::size_t>(p.sections));
  }
  LossySegments line_;
};

}  // namespace

const bool registered = register_model<TxlLine>(
    {.type = "txl",
     .summary = "lossy transmission line (ngspice's Y with a txl model): r, l, g, c per metre, length",
     .terminals = {"p1", "n1", "p2", "n2"},
     .example = "Y1 a r b s ymod\n.model ymod txl r=12 l=9n c=0.47p length=1\nR1 a 0 50\nR2 b 0 50\nR3 r 0 1\nR4 s 0 1\n",
     .element = 'y'},
    txl_params);

}  // namespace ns
