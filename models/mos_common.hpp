#pragma once
// What the SPICE MOSFET levels 1, 2 and 3 share (models/mosfet1.cpp, mos2.cpp, mos3.cpp),
// as ngspice's MOS1/MOS2/MOS3: the parameters all three cards take (junctions, overlaps,
// series resistances, process parameters NSUB/TPG/NSS), their defaults, temperature
// scaling, bulk diodes and depletion charges, overlap and Meyer gate capacitances,
// drain/source interchange and Newton limiting. A level supplies only its channel current,
// written on Dual<3> in (vgs, vds, vbs) of the acting source and drain, n-type frame.
#include <array>
#include <cstddef>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "circuit/constants.hpp"
#include "circuit/dual.hpp"
#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns::mos {

using D3 = Dual<3>;  // derivatives with respect to vgs, vds, vbs

// Silicon and its oxide as ngspice's MOSFETs take them.
inline constexpr double eps_ox = 3.9 * constants::eps0;
inline constexpr double eps_si = 11.7 * constants::eps0;

// The fields every level's parameter struct starts with (the struct derives from it).
struct Common {
  double vto, kp, gamma, phi, rd, rs, cbd, cbs, is, pb, cgso, cgdo, cgbo, rsh, cj, mj, cjsw, mjsw,
      js, tox, ld, u0, fc, nsub, tpg, nss, tnom, kf, af;
  double w, l, ad, as, pd, ps, nrd, nrs, off, m;
};

// The rows of Common, for a level's table (`join`ed with its own rows). Two defaults differ
// by level in ngspice: MJSW (0.5 at level 1, 0.33 at 2 and 3) and TOX (level 1 has none,
// and without it no gate capacitance and kp's own default; 1e-7 m at 2 and 3).
template <class P>
constexpr std::array<Param<P>, 41> common_params(double mjsw = 0.33, double tox = 1e-7) {
  return {{
      {"vto", &P::vto, 0, -inf, inf, "V", "zero-bias threshold voltage (from nsub when not given)"},
      {"vt0", &P::vto, 0, -inf, inf, "V", "same as vto"},
      {"kp", &P::kp, 2e-5, 0, inf, "A/V^2", "transconductance (default u0 * cox when there is a tox)"},
      {"gamma", &P::gamma, 0, 0, inf, "V^0.5", "body-effect coefficient (from nsub when not given)"},
      {"phi", &P::phi, 0.6, 1e-3, 10, "V", "surface potential (from nsub when not given)"},
      {"rd", &P::rd, 0, 0, inf, "Ohm", "drain resistance"},
      {"rs", &P::rs, 0, 0, inf, "Ohm", "source resistance"},
      {"cbd", &P::cbd, 0, 0, inf, "F", "zero-bias bulk-drain junction capacitance"},
      {"cbs", &P::cbs, 0, 0, inf, "F", "zero-bias bulk-source junction capacitance"},
      {"is", &P::is, 1e-14, 0, 1, "A", "bulk junction saturation current"},
      {"pb", &P::pb, 0.8, 0.01, 10, "V", "bulk junction potential"},
      {"cgso", &P::cgso, 0, 0, inf, "F/m", "gate-source overlap capacitance per width"},
      {"cgdo", &P::cgdo, 0, 0, inf, "F/m", "gate-drain overlap capacitance per width"},
      {"cgbo", &P::cgbo, 0, 0, inf, "F/m", "gate-bulk overlap capacitance per length"},
      {"rsh", &P::rsh, 0, 0, inf, "Ohm/sq", "drain and source diffusion sheet resistance"},
      {"cj", &P::cj, 0, 0, inf, "F/m^2", "bulk junction bottom capacitance per area"},
      {"mj", &P::mj, 0.5, 0, 0.9, "", "bulk junction bottom grading coefficient"},
      {"cjsw", &P::cjsw, 0, 0, inf, "F/m", "bulk junction sidewall capacitance per perimeter"},
      {"mjsw", &P::mjsw, mjsw, 0, 0.9, "", "bulk junction sidewall grading coefficient"},
      {"js", &P::js, 0, 0, inf, "A/m^2", "bulk junction saturation current per area"},
      {"tox", &P::tox, tox, tox > 0 ? above(0) : Bound(0), inf, "m", "oxide thickness (0: no gate capacitance)"},
      {"ld", &P::ld, 0, 0, inf, "m", "lateral diffusion"},
      {"u0", &P::u0, 600, 0, inf, "cm^2/V/s", "surface mobility"},
      {"uo", &P::u0, 600, 0, inf, "cm^2/V/s", "same as u0"},
      {"fc", &P::fc, 0.5, 0, 0.95, "", "forward-bias depletion capacitance coefficient"},
      {"nsub", &P::nsub, 0, 0, inf, "1/cm^3", "substrate doping"},
      {"tpg", &P::tpg, 1, -1, 1, "", "gate type: 1 opposite to substrate, -1 same, 0 aluminium"},
      {"nss", &P::nss, 0, -inf, inf, "1/cm^2", "surface state density"},
      {"tnom", &P::tnom, 27, -273, 1000, "degC", "parameter measurement temperature"},
      {"kf", &P::kf, 0, 0, inf, "", "flicker noise coefficient (accepted)"},
      {"af", &P::af, 1, 0, inf, "", "flicker noise exponent (accepted)"},
      // On the .model card too, as the instances' default (ngspice; PSpice vendor models)
      {"w", &P::w, 100e-6, above(0), inf, "m", "channel width", Scope::Both},
      {"l", &P::l, 100e-6, above(0), inf, "m", "channel length", Scope::Both},
      {"ad", &P::ad, 0, 0, inf, "m^2", "drain diffusion area", Scope::Instance},
      {"as", &P::as, 0, 0, inf, "m^2", "source diffusion area", Scope::Instance},
      {"pd", &P::pd, 0, 0, inf, "m", "drain junction perimeter", Scope::Instance},
      {"ps", &P::ps, 0, 0, inf, "m", "source junction perimeter", Scope::Instance},
      {"nrd", &P::nrd, 1, 0, inf, "", "drain diffusion squares (times rsh)", Scope::Instance},
      {"nrs", &P::nrs, 1, 0, inf, "", "source diffusion squares (times rsh)", Scope::Instance},
      {"off", &P::off, 0, 0, 1, "", "initial-guess flag: accepted", Scope::Instance},
      {"m", &P::m, 1, above(0), inf, "", "parallel multiplier: m copies of the device in parallel", Scope::Instance},
  }};
}

template <class P, std::size_t A, std::size_t B, std::size_t... I, std::size_t... J>
constexpr std::array<Param<P>, A + B> join_rows(const std::array<Param<P>, A>& a,
                                                    const std::array<Param<P>, B>& b,
                                                    std::index_sequence<I...>, std::index_sequence<J...>) {
  return {{a[I]..., b[J]...}};
}
// A level's own rows, then the common ones.
template <class P, std::size_t A, std::size_t B>
constexpr std::array<Param<P>, A + B> join(const std::array<Param<P>, A>& own,
                                           const std::array<Param<P>, B>& common) {
  return join_rows(own, common, std::make_index_sequence<A>{}, std::make_index_sequence<B>{});
}

// A card's values in a level's table, and which of them it gave (the `given` Mosfet takes).
template <class P, std::size_t N>
struct Resolved {
  const std::array<Param<P>, N>& table;
  std::vector<bool> given;  // before p, which fills it
  P p;
  Resolved(const std::array<Param<P>, N>& rows, const DeviceInput& in)
      : table(rows), p(resolve<P>(std::span<const Param<P>>(rows), in, &given)) {}
  bool operator()(std::string_view name) const {
    for (std::size_t k = 0; k < N; ++k)
      if (table[k].name == name && given[k]) return true;
    return false;
  }
};

// The channel of the acting drain and source: current and its derivatives.
struct Channel {
  int mode = 1;            // +1: d' acts as drain; -1: swapped (vds < 0)
  double von = 0, vdsat = 0;  // threshold (with weak inversion's shift) and saturation voltage
  double id = 0, gm = 0, gds = 0, gmbs = 0;
};

// What a level computes: from (vgs, vds >= 0, vbs) of the acting terminals, n-type frame.
struct Strong {
  D3 id;
  double von, vdsat;
};

// Depletion charge of one bulk junction (bottom + sidewall), linear beyond FC*PB.
struct BulkJunction {
  double cz = 0, czsw = 0, f2 = 0, f3 = 0, f4 = 0;
};

class Mosfet : public Device {
public:
  // `given(name)`: whether the deck gave that parameter. `ni_at_tnom`: NSUB's phi takes
  // silicon's intrinsic density moved from 300 K to tnom (ngspice's level 3), or the
  // 300 K value (its level 2).
  template <class Given>
  Mosfet(const DeviceInput& in, int polarity, const Common& c, Given given, bool ni_at_tnom)
      : Device(in.element.name, in.element.where), type_(polarity), c_(c) {
    cbd_given_ = given("cbd");
    cbs_given_ = given("cbs");
    rd_given_ = given("rd");
    rs_given_ = given("rs");
    derive(given("kp"), given("vto") || given("vt0"), given("gamma"), given("phi"), ni_at_tnom);
  }

  void setup(Setup& s) override;
  void topology(Topology& t) const override;
  void load(const Eval& e, Load& l) const override;
  double limit(const Eval& accepted, const Eval& proposed) const override;
  bool settled(const Eval& accepted, const Eval& proposed, double reltol, double abstol) const override;
  double quantity(std::size_t k, const Eval& e) const override;
  // Meyer's gate capacitances (with tox) have no charge behind them.
  bool charges_complete() const override { return cox_ == 0; }

  static std::vector<QuantityInfo> probes();

protected:
  // Effective channel length and width, and the oxide capacitance over them, which the
  // Meyer capacitances use; a level sets them in its constructor.
  void set_geometry(double leff, double weff);
  virtual Strong strong(double vgs, double vds, double vbs) const = 0;
  // strong()'s current alone, for a residual-only load; a level may compute it without
  // the derivatives, in the same operations as strong()'s value (the same bits).
  virtual double current(double vgs, double vds, double vbs) const { return strong(vgs, vds, vbs).id.v; }
  // Thermal noise of rd and rs and of the channel, 4kT (2/3) |gm|, and flicker noise
  // KF |id|^AF / (f weff leff cox^2) (cox per area; none without tox), as ngspice-39's
  // level 1 gives them; a level that has noise calls this from its noise().
  void channel_noise(const Eval& e, double f, std::vector<NoiseSource>& out) const;

  int type_;  // +1 NMOS, -1 PMOS
  Common c_;
  double cox_ = 0, leff_ = 0, weff_ = 0;
  double xd_ = 0;  // depletion width coefficient sqrt(2 eps_si / (q nsub)), 0 without nsub
  // At the circuit temperature (scale_to):
  double kelvin_ = 300.15, vt_ = 0, kp_t_ = 0, u0_t_ = 0, phi_t_ = 0, vbi_ = 0, pb_t_ = 0;

private:
  struct Frame {
    double vgs, vds, vbs;
  };
  struct Current {
    double i, g;
  };
  enum Local { G = 0, D = 1, S = 2, B = 3 };

  void derive(bool kp_given, bool vto_given, bool gamma_given, bool phi_given, bool ni_at_tnom);
  void scale_to(double kelvin);
  Frame frame(const Eval& e) const;
  // derivatives = false: mode and id only.
  Channel channel(const Frame& v, bool derivatives = true) const;
  BulkJunction bulk_junction(double cz, double czsw) const;
  Current junction_charge(const BulkJunction& j, double v) const;
  Current diode(double v, double is, double gmin) const;
  std::array<double, 3> meyer(double vgs, double vds, double von, double vdsat) const;

  bool cbd_given_ = false, cbs_given_ = false, rd_given_ = false, rs_given_ = false;
  double rd_ohm_ = 0, rs_ohm_ = 0;
  double is_d_ = 0, is_s_ = 0, vcrit_ = 0;
  BulkJunction drain_, source_;
  Unknown d_ = ground, g_ = ground, s_ = ground, b_ = ground, dp_ = ground, sp_ = ground;
  EntryGrid<4> core_;
  EntryGrid<2> rd_, rs_;
};

// max(a, b) on duals: the chosen branch's derivatives.
inline D3 max(const D3& a, double b) { return a.v >= b ? a : D3{b}; }
inline D3 min(const D3& a, const D3& b) { return a.v <= b.v ? a : b; }
inline D3 max(const D3& a, const D3& b) { return a.v >= b.v ? a : b; }

// Registers the nmos and pmos entries of level `level`: "nmos level=2" and "pmos level=2",
// which Circuit picks for a .model nmos card with level=2.
template <class Level, class P, std::size_t N>
bool register_level(std::string_view nkey, std::string_view pkey, std::string_view nsummary,
                    std::string_view psummary, std::string_view nexample, std::string_view pexample,
                    const std::array<Param<P>, N>& params) {
  auto make_type = [&](std::string_view key, int polarity, std::string_view summary, std::string_view example) {
    return DeviceType{key, summary, {"d", "g", "s", "b"}, {},
                      [&params] { return describe<P>(params); },
                      [] { return std::vector<StateInfo>{}; },
                      [] { return Mosfet::probes(); },
                      [polarity](const DeviceInput& in) { return std::make_unique<Level>(in, polarity); },
                      example, 'm'};
  };
  return register_device_type(make_type(nkey, 1, nsummary, nexample)) &&
         register_device_type(make_type(pkey, -1, psummary, pexample));
}

}  // namespace ns::mos
