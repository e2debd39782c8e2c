// The must-show cards against ngspice-39: the PTM 45 nm HP BSIM4 cards of the
// ISCAS85 decks and the BSIM3v3.3 model cards of ngspice's MOS examples, read in place
// from the ngspice corpus (not copied into the repository; the tests skip without it).
//
// I-V: Id-Vgs at |Vds| = 0.05 V and Vdd (linear and saturation, through subthreshold),
// Id-Vds for five gate voltages. Small signal: one device per bias point, each with its
// own sources, in one .op + .ac at 1 MHz. A gate-excited device gives gm = Re i(vd) and
// Cgg = |Im i(vg)| / w; a drain-excited one gds = Re i(vd) and Cgd = |Im i(vg)| / w:
// the admittances SPICE users read. Every bias is fixed by a source, so the comparison
// is of the two models, with Newton's error (internal gate and body nodes of rgateMod 1
// and rbodyMod 1) below 1e-9 at reltol 1e-9.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

const std::string kCorpus = "/work/shared/corpus/ngspice/examples/";

struct Card {
  std::string label;
  std::vector<std::string> includes;  // under kCorpus
  std::string model;
  double sign;  // +1 NMOS, -1 PMOS
  std::string size;
  double vdd;
};

const Card kPtmN{"PTM 45nm HP nmos", {"klu/Circuits/technology/45nm_HP.pm"}, "nmos", 1, "w=1u l=45n", 1.0};
const Card kPtmP{"PTM 45nm HP pmos", {"klu/Circuits/technology/45nm_HP.pm"}, "pmos", -1, "w=1u l=45n", 1.0};
const Card kB3N{"BSIM3 modelcard.nmos", {"mos/modelcard.nmos"}, "n1", 1, "w=5u l=0.5u", 3.3};
const Card kB3P{"BSIM3 modelcard.pmos", {"mos/modelcard.pmos"}, "p1", -1, "w=5u l=0.5u", 3.3};

bool have_corpus() { return std::filesystem::exists(kCorpus + "mos/modelcard.nmos"); }

std::string num(double v) {
  std::ostringstream o;
  o.precision(10);
  o << v;
  return o.str();
}

std::string header(const Card& c, const std::string& title) {
  std::string deck = c.label + " " + title + "\n";
  for (const auto& inc : c.includes) deck += ".include " + kCorpus + inc + "\n";
  return deck;
}

std::string idvg_deck(const Card& c) {
  const double s = c.sign, v = c.vdd;
  return header(c, "Id-Vgs") + "m1 d g 0 b " + c.model + " " + c.size + "\nvd d 0 0\nvg g 0 0\nvb b 0 0\n" +
         ".dc vg 0 " + num(s * v) + " " + num(s * v / 100) + " vd " + num(s * 0.05) + " " + num(s * v) + " " +
         num(s * (v - 0.05)) + "\n.options reltol=1e-9 abstol=1e-16 vntol=1e-12\n.print dc i(vd)\n.end\n";
}

std::string idvd_deck(const Card& c) {
  const double s = c.sign, v = c.vdd;
  return header(c, "Id-Vds") + "m1 d g 0 b " + c.model + " " + c.size + "\nvd d 0 0\nvg g 0 0\nvb b 0 0\n" +
         ".dc vd 0 " + num(s * v) + " " + num(s * v / 50) + " vg " + num(s * v / 5) + " " + num(s * v) + " " +
         num(s * v / 5) + "\n.options reltol=1e-9 abstol=1e-16 vntol=1e-12\n.print dc i(vd)\n.end\n";
}

// One small-signal point: a device at (vgs, vds) with the gate or the drain excited.
struct Point {
  std::string name;
  double vgs, vds;
  bool gate;  // gate-excited, else drain-excited
};

std::vector<Point> ac_points(const Card& c) {
  std::vector<Point> points;
  const double s = c.sign, v = c.vdd;
  int k = 0;
  for (double vds : {0.05, v})
    for (int i = 0; i <= 20; ++i)
      for (bool gate : {true, false}) points.push_back({"p" + std::to_string(k++), s * v * i / 20, s * vds, gate});
  for (int j = 2; j <= 5; ++j)
    for (int i = 0; i <= 10; ++i) points.push_back({"p" + std::to_string(k++), s * v * j / 5, s * v * i / 10, false});
  return points;
}

std::string ac_deck(const Card& c, const std::vector<Point>& points) {
  std::string deck = header(c, "small signal at 1 MHz");
  for (const auto& p : points) {
    deck += "m" + p.name + " d" + p.name + " g" + p.name + " 0 b" + p.name + " " + c.model + " " + c.size + "\n";
    deck += "vg" + p.name + " g" + p.name + " 0 dc " + num(p.vgs) + (p.gate ? " ac 1\n" : "\n");
    deck += "vd" + p.name + " d" + p.name + " 0 dc " + num(p.vds) + (p.gate ? "\n" : " ac 1\n");
    deck += "vb" + p.name + " b" + p.name + " 0 dc 0\n";
  }
  return deck + ".options reltol=1e-9 abstol=1e-16 vntol=1e-12\n.op\n.ac lin 1 1meg 1meg\n.end\n";
}

// The worst |ours - ngspice| / max(|ngspice|, floor) over the points.
struct Worst {
  double rel = 0;
  std::string where;
  void add(double ours, double theirs, double floor, const std::string& at) {
    const double e = std::abs(ours - theirs) / std::max(std::abs(theirs), floor);
    if (e > rel) rel = e, where = at;
  }
};

void expect_iv(const Card& c, const std::string& deck, const std::string& what, double rel) {
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "DC");
  ASSERT_EQ(ours.rows(), theirs.rows());
  const auto &a = ours.col("i(vd)"), &b = theirs.col("i(vd)");
  double e = 0, below = 0;
  for (std::size_t k = 0; k < b.size(); ++k)
    if (std::abs(b[k]) > 1e-9)
      e = std::max(e, std::abs(a[k] - b[k]) / std::abs(b[k]));
    else
      below = std::max(below, std::abs(a[k] - b[k]));
  std::cout << "[ngspice] " << c.label << " " << what << ": worst rel diff where |Id| > 1 nA " << e
            << ", worst abs diff below " << below << " A\n";
  EXPECT_LE(worst_excess(ours.col("i(vd)"), theirs.col("i(vd)"), rel, 1e-12), 0) << c.label << " " << what;
}

struct SmallSignal {
  Worst gm, gds, cgg, cgd;
};

SmallSignal small_signal(const Card& c) {
  const auto points = ac_points(c);
  const std::string deck = ac_deck(c, points);
  const auto ours_run = run_neurospice(deck);
  EXPECT_EQ(ours_run.status, 0) << ours_run.err;
  SmallSignal out;
  if (ours_run.status != 0) {
    out.gm.rel = INFINITY;
    return out;
  }
  const auto ng = run_ngspice(deck);
  const Table theirs_ac = plot(ng, "AC"), theirs_op = plot(ng, "Operating");
  const Table &ours_ac = ours_run.table("ac"), &ours_op = ours_run.table("op");
  const double w = 2 * M_PI * 1e6;
  for (const auto& p : points) {
    const std::string vg = "vg" + p.name, vd = "vd" + p.name;
    auto ours = [&](const std::string& v) {
      return std::polar(ours_ac.col("im(" + v + ")")[0], ours_ac.col("ip(" + v + ")")[0]);
    };
    auto theirs = [&](const std::string& v) {
      return std::complex<double>(theirs_ac.col("ir(" + v + ")")[0], theirs_ac.col("ii(" + v + ")")[0]);
    };
    const double id = std::abs(theirs_op.col("i(" + vd + ")")[0]);
    const double id_ours = std::abs(ours_op.col("i(" + vd + ")")[0]);
    EXPECT_NEAR(id_ours, id, 1e-3 * id + 1e-12) << c.label << " " << p.name;
    std::ostringstream at;
    at << (p.gate ? "gate-excited" : "drain-excited") << " vgs " << p.vgs << " vds " << p.vds << " (Id " << id << ")";
    // gm, gds: where Id > 1 nA, relative; the gm of 1 nA in subthreshold is ~ 1 nA / (n vt).
    if (id > 1e-9) {
      if (p.gate)
        out.gm.add(ours(vd).real(), theirs(vd).real(), 1e-9 / 0.04, at.str());
      else
        out.gds.add(ours(vd).real(), theirs(vd).real(), 1e-12, at.str());
    }
    // Capacitances everywhere, relative to themselves (1 aF floor).
    (p.gate ? out.cgg : out.cgd).add(std::abs(ours(vg).imag()) / w, std::abs(theirs(vg).imag()) / w, 1e-18, at.str());
  }
  std::cout << "[ngspice] " << c.label << " gm above 1 nA: " << out.gm.rel << " at " << out.gm.where << '\n'
            << "[ngspice] " << c.label << " gds above 1 nA: " << out.gds.rel << " at " << out.gds.where << '\n'
            << "[ngspice] " << c.label << " Cgg: " << out.cgg.rel << " at " << out.cgg.where << '\n'
            << "[ngspice] " << c.label << " Cgd: " << out.cgd.rel << " at " << out.cgd.where << '\n';
  return out;
}

class PdkCards : public ::testing::Test {
protected:
  void SetUp() override {
    if (!have_corpus()) GTEST_SKIP() << "no ngspice corpus at " << kCorpus;
  }
};

// Allowed: the 1e-3 above 1 nA, 1 pA below (junction leakage and gmin).
// Measured: see the printed lines (worst where |Id| > 1 nA, PTM ~1e-8, BSIM3 ~1e-9).
TEST_F(PdkCards, Ptm45NmosIV) {
  expect_iv(kPtmN, idvg_deck(kPtmN), "Id-Vgs", 1e-3);
  expect_iv(kPtmN, idvd_deck(kPtmN), "Id-Vds", 1e-3);
}
TEST_F(PdkCards, Ptm45PmosIV) {
  expect_iv(kPtmP, idvg_deck(kPtmP), "Id-Vgs", 1e-3);
  expect_iv(kPtmP, idvd_deck(kPtmP), "Id-Vds", 1e-3);
}
TEST_F(PdkCards, Bsim3NmosIV) {
  expect_iv(kB3N, idvg_deck(kB3N), "Id-Vgs", 1e-3);
  expect_iv(kB3N, idvd_deck(kB3N), "Id-Vds", 1e-3);
}
TEST_F(PdkCards, Bsim3PmosIV) {
  expect_iv(kB3P, idvg_deck(kB3P), "Id-Vgs", 1e-3);
  expect_iv(kB3P, idvd_deck(kB3P), "Id-Vds", 1e-3);
}

void expect_small_signal(const Card& c, double gm, double gds, double cgg, double cgd) {
  const SmallSignal s = small_signal(c);
  EXPECT_LE(s.gm.rel, gm) << c.label << " gm at " << s.gm.where;
  EXPECT_LE(s.gds.rel, gds) << c.label << " gds at " << s.gds.where;
  EXPECT_LE(s.cgg.rel, cgg) << c.label << " Cgg at " << s.cgg.where;
  EXPECT_LE(s.cgd.rel, cgd) << c.label << " Cgd at " << s.cgd.where;
}

// Measured (worst over the points; gm, gds where Id > 1 nA): PTM NMOS gm 2.3e-9, gds
// 4.7e-8, Cgg 8.8e-10, Cgd 1.2e-9; PTM PMOS 4.8e-11, 2.9e-8, 4.2e-11, 9.7e-10; BSIM3 NMOS
// 1.4e-14, 1.9e-6, 2.2e-11, 3.5e-11; BSIM3 PMOS 1.2e-14, 8.1e-7, 1.9e-11, 3.7e-11. Two
// model differences found here and fixed: the PTM cards' Cgd at vds = 0 (20 % off: the
// BSIM4 charges were blended across vds = 0, now below it), and the BSIM3 card's Cgg
// near threshold (1.2e-3: capMod 3's VgDP). Allowed: the 1e-3.
TEST_F(PdkCards, Ptm45NmosSmallSignal) { expect_small_signal(kPtmN, 1e-3, 1e-3, 1e-3, 1e-3); }
TEST_F(PdkCards, Ptm45PmosSmallSignal) { expect_small_signal(kPtmP, 1e-3, 1e-3, 1e-3, 1e-3); }
TEST_F(PdkCards, Bsim3NmosSmallSignal) { expect_small_signal(kB3N, 1e-3, 1e-3, 1e-3, 1e-3); }
TEST_F(PdkCards, Bsim3PmosSmallSignal) { expect_small_signal(kB3P, 1e-3, 1e-3, 1e-3, 1e-3); }

}  // namespace
}  // namespace ns::test
