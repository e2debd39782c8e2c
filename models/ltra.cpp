// O: the lossy transmission line, ngspice's card `O1 p1 n1 p2 n2 lmod` with
// `.model lmod ltra r= l= g= c= len=`: one conductor of resistance r, inductance l,
// conductance g and capacitance c per unit length over a lossless return, len long.
//
// ngspice computes this line by convolving the port waves with the line's impulse
// responses (Roychowdhury and Pederson). Here a line with inductance is K lossless
// segments with the loss lumped between them (lossy_segments.hpp: exact delay and
// lossless limit, the loss approximated, K from the loss), and an RC line (l = 0) a ladder
// of 40 pi sections (rlgc_ladder.hpp, whose error falls as 1/N^2); sections= sets K or N.
// The flags and tolerances of ngspice's convolution (rel, abs, steplimit, compactrel,
// quadinterp, ...) are accepted and have nothing to control here.
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "circuit/registry.hpp"
#include "lossy_segments.hpp"
#include "rlgc_ladder.hpp"

namespace ns {
namespace {

struct LtraParams {
  double r, l, g, c, len, sections;
  double rel, abs, nocontrol, steplimit, nosteplimit, lininterp, quadinterp, mixedinterp;
  double compactrel, compactabs, truncnr, truncdontcut, print, noprint;
};

using P = LtraParams;
const Param<P> ltra_params[] = {
    {"r", &P::r, 0, 0, inf, "Ohm/m", "series resistance per unit length"},
    {"l", &P::l, 0, 0, inf, "H/m", "series inductance per unit length"},
    {"g", &P::g, 0, 0, inf, "S/m", "shunt conductance per unit length"},
    {"c", &P::c, 0, 0, inf, "F/m", "shunt capacitance per unit length"},
    {"len", &P::len, 0, above(0), inf, "m", "length", Scope::Model, true},
    {"sections", &P::sections, 0, 0, 1e6, "", "lumped sections (0: from the delay)", Scope::Both},
    {"rel", &P::rel, 1, 0, inf, "", "ngspice's breakpoint control (no effect here)"},
    {"abs", &P::abs, 1, 0, inf, "", "ngspice's breakpoint control (no effect here)"},
    {"nocontrol", &P::nocontrol, 0, 0, 1, "", "ngspice's step control flag (no effect here)"},
    {"steplimit", &P::steplimit, 0, 0, 1, "", "ngspice's step limit flag (no effect here)"},
    {"nosteplimit", &P::nosteplimit, 0, 0, 1, "", "ngspice's step limit flag (no effect here)"},
    {"lininterp", &P::lininterp, 0, 0, 1, "", "ngspice's interpolation flag (no effect here)"},
    {"quadinterp", &P::quadinterp, 0, 0, 1, "", "ngspice's interpolation flag (no effect here)"},
    {"mixedinterp", &P::mixedinterp, 0, 0, 1, "", "ngspice's interpolation flag (no effect here)"},
    {"compactrel", &P::compactrel, 0, 0, inf, "", "ngspice's history compaction (no effect here)"},
    {"compactabs", &P::compactabs, 0, 0, inf, "", "ngspice's history compaction (no effect here)"},
    {"truncnr", &P::truncnr, 0, 0, 1, "", "ngspice's step control flag (no effect here)"},
    {"truncdontcut", &P::truncdontcut, 0, 0, 1, "", "ngspice's step control flag (no effect here)"},
    {"print", &P::print, 0, 0, 1, "", "ngspice's debugging flag (no effect here)"},
    {"noprint", &P::noprint, 0, 0, 1, "", "ngspice's debugging flag (no effect here)"},
};

class LtraLine final : public Device {
public:
  explicit LtraLine(const DeviceInput& in) : Device(in.element.name, in.element.where) {
    const P p = resolve<P>(ltra_params, in);
    if (p.r == 0 && p.l == 0)
      throw InputError(in.model->where, fmt::format("'{}': an ltra line needs r or l (series impedance)", name()));
    if (p.c == 0)
      throw InputError(in.model->where, fmt::format("'{}': an ltra line needs c (shunt capacitance)", name()));
    const auto n = static_cast<std::size_t>(p.sections);
    if (p.l > 0)
      segments_.emplace(name(), where(), LossyLine{p.r, p.l, p.g, p.c, p.len}, n);
    else
      ladder_.emplace(name(), RlgcLine{1, {p.r}, {p.l}, {p.g}, {p.c}}, std::vector<double>(n ? n : 40, p.len / (n ? n : 40)));
  }

  void setup(Setup& s) override {
    if (segments_) return segments_->setup(s, s.terminal(0), s.terminal(1), s.terminal(2), s.terminal(3));
    const Unknown a[] = {s.terminal(0)}, b[] = {s.terminal(2)};
    ladder_->setup(s, a, s.terminal(1), b, s.terminal(3));
  }
  void topology(Topology& t) const override { segments_ ? segments_->topology(t) : ladder_->topology(t); }
  bool linear() const override { return ladder_.has_value(); }
  void load(const Eval& e, Load& l) const override { segments_ ? segments_->load(e, l) : ladder_->load(e, l); }
  bool frequency_dependent() const override { return segments_.has_value(); }
  void ac_admittance(double omega, const std::function<void(Entry, std::complex<double>)>& stamp) const override {
    if (segments_) segments_->ac_admittance(omega, stamp);
  }
  void start_transient(double, double) override {
    if (segments_) segments_->start_transient();
  }
  double delay() const override { return segments_ ? segments_->delay() : 0; }
  double corner_delay() const override { return segments_ ? segments_->line_delay() : 0; }
  void accept(const Eval& e) override {
    if (segments_) segments_->accept(e);
  }

private:
  std::optional<LossySegments> segments_;  // a line with inductance
  std::optional<RlgcLadder> ladder_;       // an RC line
};

}  // namespace

const bool registered = register_model<LtraLine>(
    {.type = "ltra",
     .summary = "lossy transmission line (ngspice's O with an ltra model): r, l, g, c per metre, len; lumped sections",
     .terminals = {"p1", "n1", "p2", "n2"},
     .example = "O1 a r b s lmod\n.model lmod ltra r=12 l=9n c=0.47p len=1\nR1 a 0 50\nR2 b 0 50\nR3 r 0 1\nR4 s 0 1\n",
     .element = 'o'},
    ltra_params);

}  // namespace ns
