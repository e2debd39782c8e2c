// The level-1 MOSFET's drain current against the Shichman-Hodges square law written out
// here, in every region, for NMOS and PMOS, with body effect and channel-length
// modulation; Meyer's capacitances in saturation; KP from U0 and TOX; probes; level check.
#include "harness.hpp"

namespace ns::test {
namespace {

constexpr double vto = 0.8, kp = 1e-4, gamma_ = 0.5, phi = 0.65, lambda = 0.03;
constexpr double w = 20e-6, l = 2e-6, ld = 0.1e-6;

Bench mosfet(const std::string& type, std::vector<Assignment> extra = {}) {
  const double s = type == "nmos" ? 1 : -1;
  std::vector<Assignment> p = {{"vto", s * vto, {}}, {"kp", kp, {}}, {"gamma", gamma_, {}},
                               {"phi", phi, {}},     {"lambda", lambda, {}}, {"ld", ld, {}},
                               {"is", 0, {}}};  // no bulk diode current: f[d] is the channel alone
  p.insert(p.end(), extra.begin(), extra.end());
  return Bench(type, element('m', "m1", {"n0", "n1", "n2", "n3"}, {}, {{"w", w, {}}, {"l", l, {}}}),
               model(type, p), {0, 1, 2, 3}, 4);
}

// The square law in the n-type frame: current from drain to source for vds >= 0.
double square_law(double vgs, double vds, double vbs) {
  const double vth = vto + gamma_ * ((vbs <= 0 ? std::sqrt(phi - vbs)
                                                : std::sqrt(phi) - vbs / (2 * std::sqrt(phi))) -
                                     std::sqrt(phi));
  const double beta = kp * w / (l - 2 * ld);
  const double vov = vgs - vth;
  if (vov <= 0) return 0;
  if (vds >= vov) return beta / 2 * vov * vov * (1 + lambda * vds);
  return beta * vds * (vov - vds / 2) * (1 + lambda * vds);
}

TEST(Mosfet, DrainCurrentIsTheSquareLawInEveryRegion) {
  struct Point {
    const char* region;
    double vgs, vds, vbs;
  };
  const Point points[] = {
      {"cutoff", 0.5, 2, 0},          {"cutoff by body effect", 1.0, 2, -3},
      {"saturation", 2, 3, 0},        {"saturation with body bias", 2.5, 3, -1.5},
      {"linear", 3, 0.4, 0},          {"linear with body bias", 3, 0.4, -2},
      {"forward body bias", 1.5, 2, 0.3},
      {"reverse, saturation", 0.5, -2.5, -3},  // vgd = 3, vbd = -0.5
      {"reverse, linear", 3, -0.3, -0.5},
  };
  for (const std::string type : {"nmos", "pmos"}) {
    const double s = type == "nmos" ? 1 : -1;
    const Bench b = mosfet(type);
    for (const Point& p : points) {
      const std::vector<double> x{s * p.vds, s * p.vgs, 0, s * p.vbs};  // d g s b, source at 0
      const double id = p.vds >= 0 ? square_law(p.vgs, p.vds, p.vbs)
                                   : -square_law(p.vgs - p.vds, -p.vds, p.vbs - p.vds);
      const Sample smp = b.load(x, Mode::Dc, 0, 0.0);
      EXPECT_NEAR(smp.f[0], s * id, 1e-12 * std::abs(id) + 1e-18) << type << " " << p.region;
      EXPECT_NEAR(smp.f[2], -s * id, 1e-12 * std::abs(id) + 1e-18) << type << " " << p.region;
      EXPECT_EQ(smp.f[1], 0.0);
      if (std::string(p.region).starts_with("cutoff")) EXPECT_EQ(id, 0.0);
      else EXPECT_GT(std::abs(id), 1e-6) << p.region;  // the point is really in its region
    }
  }
}

TEST(Mosfet, KnownNumbers) {
  // vgs 2, vds 3, vbs 0: beta = 1e-4 * 20 / 1.8 = 1.1111e-3, I = beta/2 * 1.2^2 * 1.09.
  const Bench b = mosfet("nmos");
  EXPECT_NEAR(b.load({3, 2, 0, 0}, Mode::Dc, 0, 0).f[0], 1e-4 * 20 / 1.8 / 2 * 1.44 * 1.09, 1e-15);
}

TEST(Mosfet, BulkDiodesAndGmin) {
  const Bench b = mosfet("nmos", {{"is", 1e-14, {}}});
  const double vt = vt_at(300.15);
  // cutoff, bulk-source forward 0.5 V, bulk-drain reverse: f[b] = both diode currents
  const Sample s = b.load({2, 0, 0, 0.5}, Mode::Dc, 0, 1e-12);
  const double ibs = 1e-14 * std::expm1(0.5 / vt) + 1e-12 * 0.5;
  const double ibd = -1e-14 + 1e-12 * (0.5 - 2);  // ngspice: -IS + gmin v below -3 vt
  EXPECT_NEAR(s.f[3], ibs + ibd, 1e-12 * ibs);
  EXPECT_NEAR(s.f[0], -ibd, 1e-25);
}

TEST(Mosfet, MeyerCapacitancesInSaturation) {
  const double tox = 2e-8, cgso = 2e-10, cgdo = 3e-10, cgbo = 1e-10;
  const Bench b = mosfet("nmos", {{"tox", tox, {}}, {"cgso", cgso, {}}, {"cgdo", cgdo, {}},
                                  {"cgbo", cgbo, {}}});
  const double cox = 3.9 * 8.8541878128e-12 / tox * w * (l - 2 * ld);
  const Sample s = b.load({3, 2, 0, 0});  // saturation
  EXPECT_NEAR(-s.C[1][2], 2 * cox / 3 + cgso * w, 1e-12 * cox);  // gate-source
  EXPECT_NEAR(-s.C[1][0], cgdo * w, 1e-12 * cox);                // gate-drain: overlap only
  EXPECT_NEAR(-s.C[1][3], cgbo * (l - 2 * ld), 1e-12 * cox);     // gate-bulk: overlap only
  const Sample off = b.load({3, -2, 0, 0});  // accumulation: all of Cox to the bulk
  EXPECT_NEAR(-off.C[1][3], cox + cgbo * (l - 2 * ld), 1e-12 * cox);
  EXPECT_NEAR(-off.C[1][2], cgso * w, 1e-12 * cox);
}

TEST(Mosfet, KpFromMobilityAndOxide) {
  // No KP given, TOX given: KP = U0 eps_ox / TOX (U0 in cm^2/Vs).
  const Bench b = Bench("nmos", element('m', "m1", {"n0", "n1", "n2", "n3"}, {}, {{"w", w, {}}, {"l", l, {}}}),
                        model("nmos", {{"vto", 1, {}}, {"tox", 5e-8, {}}, {"u0", 450, {}}, {"is", 0, {}}}),
                        {0, 1, 2, 3}, 4);
  const double kp_expected = 450e-4 * 3.9 * 8.8541878128e-12 / 5e-8;
  EXPECT_NEAR(b.load({5, 3, 0, 0}, Mode::Dc, 0, 0).f[0], kp_expected * w / l / 2 * 4, 1e-12 * kp_expected);
}

TEST(Mosfet, Probes) {
  const Bench b = mosfet("pmos");
  const std::vector<double> x{-3, -2, 0, 1};  // vds -3, vgs -2, vbs 1 (n-frame: 3, 2, -1)
  EXPECT_EQ(b.device().quantities(),
            (std::vector<std::string>{"id", "vgs", "vds", "vbs", "gm", "gds", "vth", "vdsat"}));
  // id as ngspice: n-frame drain current (positive for a conducting PMOS), including the
  // bulk-drain diode's gmin current (vbd = -4 V: gmin * vbd, with IS = 0)
  const double id = square_law(2, 3, -1) - 1e-12 * -4;
  EXPECT_NEAR(b.quantity("id", x), id, 1e-12 * id);
  EXPECT_DOUBLE_EQ(b.quantity("vgs", x), 2);
  EXPECT_DOUBLE_EQ(b.quantity("vds", x), 3);
  EXPECT_DOUBLE_EQ(b.quantity("vbs", x), -1);
  const double vth = vto + gamma_ * (std::sqrt(phi + 1) - std::sqrt(phi));
  EXPECT_NEAR(b.quantity("vth", x), -vth, 1e-12);
  EXPECT_NEAR(b.quantity("vdsat", x), -(2 - vth), 1e-12);  // saturated: vgs - vth, p-frame sign
  const double beta = kp * w / (l - 2 * ld);
  EXPECT_NEAR(b.quantity("gm", x), beta * (2 - vth) * (1 + 3 * lambda), 1e-12);
  EXPECT_NEAR(b.quantity("gds", x), lambda * beta / 2 * (2 - vth) * (2 - vth), 1e-12);
}

TEST(Mosfet, FetlimCutsAGateStepFromCutoff) {
  // ngspice's fetlim: from an off device (vgs 0 < von = VTO at vbs 0) a rising gate
  // step stops at von + 0.5 V.
  const Bench b = mosfet("nmos");
  const std::vector<double> off{0, 0, 0, 0}, on{0, 10, 0, 0};
  EXPECT_NEAR(b.device().limit(b.eval(off), b.eval(on)), (vto + 0.5) / 10, 1e-12);
  const std::vector<double> small{0, 0.3, 0, 0};
  EXPECT_EQ(b.device().limit(b.eval(off), b.eval(small)), 1.0);
}

TEST(Mosfet, OnlyLevelOne) {
  Model m = model("nmos", {{"level", 2, at(7, 12)}});
  try {
    Bench("nmos", element('m', "m1", {"n0", "n1", "n2", "n3"}), m, {0, 1, 2, 3}, 4);
    FAIL() << "level 2 accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bench.cir:7:12"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(Bench("nmos", element('m', "m1", {"n0", "n1", "n2", "n3"}),
                        model("nmos", {{"level", 1, at(7, 12)}}), {0, 1, 2, 3}, 4));
}

}  // namespace
}  // namespace ns::test
