// XSPICE lcouple: a winding of num_turns N coupling an electrical port to a magnetic one,
// on which a "voltage" is magnetomotive force and a "current" is flux (XSPICE's magnetic
// modelling; the core between windings is, e.g., a resistor standing for its reluctance).
// The magnetic port drives mmf = N i, i the winding's current; the winding's voltage is
// N dPhi/dt, Phi the flux through the magnetic port. One winding on a reluctance R is an
// inductor of N^2 / R; two on one core, a transformer. Signs as ngspice's (measured with
// our decks, tests/sim/xspice_files_test.cpp).
#include <fmt/format.h>

#include "xspice.hpp"

namespace ns::xspice {
namespace {

using Dir = ConnectionSpec::Dir;

struct LcoupleP {
  double num_turns;
};
constexpr Param<LcoupleP> lcouple_params[] = {
    {"num_turns", &LcoupleP::num_turns, 1, -inf, inf, "", "turns of the winding"},
};

class Lcouple final : public CodeModel {
public:
  explicit Lcouple(const DeviceInput& in)
      : CodeModel(in, {{"l", Dir::InOut, "hd", false, "h hd"}, {"mmf_out", Dir::InOut, "hd", false, "h hd"}}),
        p_(code_params(lcouple_params, in, {})) {
    charged_ = true;
  }
  // Inputs: the winding's current, the flux; outputs: the winding's voltage, the mmf.
  void compute(const Eval&, std::span<const double> in, std::span<const double>, Work& w) const override {
    const double n = p_.num_turns;
    w.yq[0] = flux_sign * n * in[1];  // the voltage, d/dt of this
    w.dyq_din[0 * 2 + 1] = flux_sign * n;
    w.y[1] = n * in[0];
    w.dy_din[1 * 2 + 0] = n;
  }

private:
  // The flux input is the current into the magnetic port's first node; ngspice's flux
  // is the other way.
  static constexpr double flux_sign = -1;
  LcoupleP p_;
};

}  // namespace

const bool lcouple_registered = register_model<Lcouple>(
    {.type = "lcouple",
     .summary = "XSPICE lcouple: a winding of num_turns between an electrical port (v = N dPhi/dt) and a magnetic one (mmf = N i)",
     .terminals = {"l+", "l-", "mmf+", "mmf-"},
     .example = "A1 (a b) (m n) w\n.model w lcouple(num_turns=10)\nR1 m n 100\n", .element = 'a'},
    lcouple_params);

}  // namespace ns::xspice
