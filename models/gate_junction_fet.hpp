#pragma once
// What the JFET (jfet.cpp) and the MESFET (mesfet.cpp) share: three terminals, RD and RS
// through internal nodes, a channel current from the internal drain to the internal source
// and two gate junction diodes, SPICE's junction limiting and device convergence test on
// those junctions, and the noise of RD, RS and the channel. Each model adds its drain
// current, its gate charge and its temperature scaling.
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <tuple>
#include <vector>

#include "circuit/constants.hpp"
#include "circuit/convergence.hpp"
#include "circuit/dual.hpp"
#include "circuit/junction.hpp"
#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns::gate_fet {

// Local unknowns of the grid: the terminals and the nodes behind RD and RS.
enum Node { D, G, S, DP, SP, NNODE };
enum Var { VGS, VGD, NVAR };  // n-type frame, internal nodes
using Dv = Dual<NVAR>;
inline constexpr std::array<std::pair<Node, Node>, NVAR> var_nodes = {{{G, SP}, {G, DP}}};

// The DC currents at one point: channel d'->s', gate junctions g->s' and g->d'.
struct Currents {
  double vgs = 0, vgd = 0;
  Dv id, igs, igd;
};

// The probes both models have, in the order quantity() gives them.
inline std::vector<QuantityInfo> quantities() {
  return {{"id", "A", "drain current, into the drain (DC part)"},
          {"ig", "A", "gate current, into the gate"},
          {"vgs", "V", "internal gate-source voltage"},
          {"vds", "V", "internal drain-source voltage"},
          {"gm", "S", "transconductance d id / d vgs"},
          {"gds", "S", "output conductance d id / d vds"}};
}

class GateJunctionFet : public Device {
public:
  struct Series {
    double rd, rs, area, kf, af;  // RD and RS are divided by AREA; KF, AF of the drain current
  };

  GateJunctionFet(const DeviceInput& in, int polarity) : Device(in.element.name, in.element.where), type_(polarity) {}

  void setup(Setup& s) override {
    nodes_[D] = s.terminal(0);
    nodes_[G] = s.terminal(1);
    nodes_[S] = s.terminal(2);
    nodes_[DP] = series_.rd > 0 ? s.internal_node("d") : nodes_[D];
    nodes_[SP] = series_.rs > 0 ? s.internal_node("s") : nodes_[S];
    grid_.declare(s, nodes_);
    kelvin_ = s.temperature();
    at_temperature(kelvin_);
  }

  void topology(Topology& t) const override {
    t.conducts(nodes_[D], nodes_[S]);
    t.conducts(nodes_[G], nodes_[S]);
    t.conducts(nodes_[G], nodes_[D]);
  }

  double limit(const Eval& accepted, const Eval& proposed) const override {
    namespace j = junction;
    double fraction = 1;
    for (Var k : {VGS, VGD}) {
      const double vold = voltage(accepted, k), vnew = voltage(proposed, k);
      fraction = std::min(fraction, j::step_fraction(vold, vnew, j::pnjlim(vnew, vold, vt_, vcrit_)));
    }
    return fraction;
  }

  // SPICE's test (convergence.hpp) on the channel and the two gate junctions.
  bool settled(const Eval& accepted, const Eval& proposed, double reltol, double abstol) const override {
    const Currents a = currents(accepted), b = currents(proposed);
    const std::array<double, NVAR> dv{voltage(proposed, VGS) - voltage(accepted, VGS),
                                      voltage(proposed, VGD) - voltage(accepted, VGD)};
    return current_settled(a.id, b.id, dv, reltol, abstol) && current_settled(a.igs, b.igs, dv, reltol, abstol) &&
           current_settled(a.igd, b.igd, dv, reltol, abstol);
  }

  // Thermal noise of rd and rs, of the channel 4kT (2/3) gm, and flicker KF |id|^AF / f.
  void noise(const Eval& e, double f, std::vector<NoiseSource>& out) const override {
    const Currents p = currents(e);
    const double four_kt = 4 * constants::boltzmann * kelvin_;
    out.push_back({"rd", nodes_[D], nodes_[DP], series_.rd > 0 ? four_kt * series_.area / series_.rd : 0});
    out.push_back({"rs", nodes_[S], nodes_[SP], series_.rs > 0 ? four_kt * series_.area / series_.rs : 0});
    const double gm = std::abs(p.id.d[VGS] + p.id.d[VGD]);
    out.push_back({"id", nodes_[DP], nodes_[SP], four_kt * 2.0 / 3.0 * gm});
    const double id = std::abs(p.id.v);
    out.push_back({"1overf", nodes_[DP], nodes_[SP], series_.kf * std::pow(std::max(id, 1e-38), series_.af) / f});
  }

protected:
  // The currents at e, the model's own drain current included.
  virtual Currents currents(const Eval& e) const = 0;
  // Called at setup with the circuit's temperature.
  virtual void at_temperature(double /*kelvin*/) {}

  double voltage(const Eval& e, Var k) const {
    return type_ * (e.v(nodes_[var_nodes[k].first]) - e.v(nodes_[var_nodes[k].second]));
  }

  // The gate junction with gmin: exponential above -3 vt, SPICE's cubic approach to -IS below.
  Dv diode(const Dv& v, double gmin) const {
    if (v.v >= -3 * vt_) return is_ * (exp(v / vt_) - 1) + gmin * v;
    const Dv a = 3 * vt_ / (v * std::numbers::e);
    return -is_ * (1 + a * a * a) + gmin * v;
  }

  // The junction currents and the voltages at e; the model adds its drain current.
  Currents junctions(const Eval& e, Dv& vgs, Dv& vgd) const {
    vgs = Dv::variable(voltage(e, VGS), VGS);
    vgd = Dv::variable(voltage(e, VGD), VGD);
    Currents p;
    p.vgs = vgs.v;
    p.vgd = vgd.v;
    p.igs = diode(vgs, e.gmin);
    p.igd = diode(vgd, e.gmin);
    return p;
  }

  // The channel, the gate junctions and RD, RS.
  void load_currents(const Eval& e, Load& l, const Currents& p) const {
    stamp(l, DP, SP, p.id, false);
    stamp(l, G, SP, p.igs, false);
    stamp(l, G, DP, p.igd, false);
    for (const auto& [a, b, r] : {std::tuple{D, DP, series_.rd}, std::tuple{S, SP, series_.rs}}) {
      if (r <= 0) continue;
      const double g = series_.area / r;
      const double i = g * (e.v(nodes_[a]) - e.v(nodes_[b]));
      l.f(nodes_[a], i);
      l.f(nodes_[b], -i);
      grid_.pair(l, a, b, g);
    }
  }

  void stamp(Load& l, Node from, Node to, const Dv& i, bool reactive) const {
    grid_.controlled(l, nodes_, from, to, type_, i, var_nodes, reactive);
  }

  // The probes of quantities(), k < 6.
  double quantity_of(std::size_t k, const Currents& p) const {
    const double values[] = {type_ * (p.id.v - p.igd.v),
                             type_ * (p.igs.v + p.igd.v),
                             type_ * p.vgs,
                             type_ * (p.vgs - p.vgd),
                             p.id.d[VGS] + p.id.d[VGD],
                             -p.id.d[VGD]};
    return values[k];
  }

  int type_;  // +1 n-channel, -1 p-channel
  Series series_{};  // set by the model's constructor
  double kelvin_ = 300.15;
  double vt_ = 0, is_ = 0, vcrit_ = 0;  // the gate junctions' thermal voltage, IS (times AREA), critical voltage
  std::array<Unknown, NNODE> nodes_{};
  EntryGrid<NNODE> grid_;
};

}  // namespace ns::gate_fet
