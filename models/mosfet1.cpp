// SPICE level-1 (Shichman-Hodges) MOSFET as ngspice's MOS1 on models/mos_common: its
// channel (body effect, channel-length modulation), and the noise of its channel and
// series resistances; junctions, overlap and Meyer capacitances (when TOX is given),
// interchange and limiting are the common ones.
#include <algorithm>
#include <cmath>
#include <type_traits>

#include <fmt/format.h>

#include "mos_common.hpp"

namespace ns {
namespace {

using mos::D3;

struct Mos1Params : mos::Common {
  double lambda;
};

using P = Mos1Params;
constexpr std::array<Param<P>, 1> own_params{{
    {"lambda", &P::lambda, 0, 0, 10, "1/V", "channel-length modulation"},
}};
constexpr auto mos1_params = mos::join(own_params, mos::common_params<P>(0.5, 0));
using Resolved = mos::Resolved<P, mos1_params.size()>;

// ngspice's name of a MOSFET level, for the message that says it is not supported: an
// outside deck's BSIM card says "MOSFET level 54 (BSIM4) is not supported".
std::string mosfet_level_name(double level) {
  struct Name { double level; const char* name; };
  static constexpr Name names[] = {
      {1, "Shichman-Hodges"}, {2, "Grove-Frohman"}, {3, "semi-empirical"}, {4, "BSIM1"},
      {5, "BSIM2"}, {6, "Sakurai-Newton"}, {8, "BSIM3"}, {9, "MOS9"}, {10, "BSIM3SOI"},
      {14, "BSIM4"}, {44, "EKV"}, {45, "PSP"}, {49, "BSIM3"}, {54, "BSIM4"}, {55, "BSIMSOI"},
      {56, "BSIMSOI"}, {57, "BSIMSOI"}, {58, "BSIMSOI"}, {60, "STAG SOI"}, {62, "HiSIM"},
      {68, "HiSIM2"}, {69, "PSP"}, {73, "HiSIM_HV"}};
  for (const Name& n : names)
    if (n.level == level) return std::string(" (") + n.name + ")";
  return "";
}

class Mos1 final : public mos::Mosfet {
public:
  Mos1(const DeviceInput& in, int polarity) : Mos1(in, polarity, resolved(in)) {}

  void noise(const Eval& e, double f, std::vector<NoiseSource>& out) const override { channel_noise(e, f, out); }

private:
  Mos1(const DeviceInput& in, int polarity, const Resolved& r) : Mosfet(in, polarity, r.p, r, false), p_(r.p) {
    set_geometry(p_.l - 2 * p_.ld, p_.w);
  }

  // The card's values, once its level is known to be 1.
  static Resolved resolved(const DeviceInput& in) {
    if (!in.model) throw InputError(in.element.where, "MOSFET '" + in.element.name + "' needs a .model");
    for (const auto& a : in.model->params)
      if (a.name == "level" && a.value != 1)
        throw InputError(a.where, fmt::format("MOSFET model '{}': MOSFET level {:g}{} is not supported "
                                              "(levels 1, 2, 3, 8, 14, 49 and 54)", in.model->name, a.value,
                                              mosfet_level_name(a.value)));
    return Resolved(mos1_params, in);
  }

  // Threshold with body effect: type vbi + gamma sqrt(phi - vbs); for vbs > 0 ngspice
  // continues the root along its tangent at 0, clamped at 0. The slope there is that
  // line's, where ngspice's own gmbs uses gamma / (2 sarg).
  mos::Strong strong(double vgs, double vds, double vbs) const override {
    return channel_of<D3>(vgs, vds, vbs);
  }
  double current(double vgs, double vds, double vbs) const override {
    return channel_of<double>(vgs, vds, vbs).id.v;
  }

  // On D3 (strong()), or on double for the current alone, in the same operations.
  template <class T>
  mos::Strong channel_of(double vgs_, double vds_, double vbs_) const {
    auto variable = [](double x, std::size_t k) {
      if constexpr (std::is_same_v<T, D3>) return D3::variable(x, k);
      else return x;
    };
    auto v = [](const T& x) {
      if constexpr (std::is_same_v<T, D3>) return x.v;
      else return x;
    };
    using std::sqrt;
    const T vgs = variable(vgs_, 0), vds = variable(vds_, 1), vbs = variable(vbs_, 2);
    const double root = std::sqrt(phi_t_);
    T sarg = vbs_ <= 0 ? sqrt(phi_t_ - vbs) : root - vbs / (2 * root);
    if (v(sarg) <= 0) sarg = T{0};
    const T von = type_ * vbi_ + c_.gamma * sarg;
    const T vgst = vgs - von;
    if (v(vgst) <= 0) return {D3{}, v(von), 0};
    const T betap = kp_t_ * weff_ / leff_ * (1 + p_.lambda * vds);
    const T id = v(vgst) <= vds_ ? betap * vgst * vgst / 2 : betap * vds * (vgst - vds / 2);
    if constexpr (std::is_same_v<T, D3>) return {id, v(von), v(vgst)};
    else return {D3{id}, von, vgst};
  }

  P p_;
};

}  // namespace

const bool registered = mos::register_level<Mos1>(
    "nmos", "pmos", "n-channel MOSFET, SPICE level 1 (Shichman-Hodges, as ngspice)",
    "p-channel MOSFET, SPICE level 1 (Shichman-Hodges, as ngspice)",
    "M1 d g s b mn w=10u l=2u\n.model mn nmos vto=0.7 kp=100u gamma=0.4 "
    "lambda=0.02 rd=10 rs=10 cbd=1f cbs=2f cgso=1n cgdo=1n cgbo=1n\n",
    "M1 d g s b mp w=10u l=2u\n.model mp pmos vto=-0.7 kp=50u gamma=0.4 "
    "lambda=0.02 rd=10 rs=10 cbd=1f cbs=2f cgso=1n cgdo=1n cgbo=1n\n",
    mos1_params);

}  // namespace ns
