// BSIM4 (models/bsim4.cpp) against ngspice-39 (its BSIM4 4.8.2) on our own 45-nm-like
// cards (tests/sim/decks/bsim4_models.inc, pasted into each deck before running, since
// the decks run from a temporary directory).
//
// DC: both programs at reltol 1e-7. Measured, worst case over each family, on the drain
// current above 1 nA, from subthreshold to strong inversion, both polarities, both drain
// orientations, with body bias: 2.7e-12 (n Id-Vgs), 3.6e-12 (p Id-Vgs), 2.8e-12 (n
// Id-Vds), 2.4e-10 (p Id-Vds) relative above 1 nA. It was 3.0e-3 until the bulk-charge
// factor took the manual's whole F_doping (K2ox and the K3B term besides the K1 term): a
// K2 effect at zero body bias that left the threshold alone. Allowed: the 1e-3.
// The PTM 45 nm HP cards themselves: tests/sim/ngspice_pdk_cards.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

std::string with_models(const std::string& deck_name) {
  std::string deck = deck_file(deck_name);
  const std::string line = ".include bsim4_models.inc";
  const auto at = deck.find(line);
  if (at != std::string::npos) deck.replace(at, line.size(), deck_file("bsim4_models.inc"));
  return deck;
}

// The cards with gate-induced drain leakage switched on (AGIDL = 0 in bsim4_models.inc).
std::string with_gidl(std::string deck) {
  for (std::size_t at = 0; (at = deck.find("agidl=0 ", at)) != std::string::npos; ++at)
    deck.replace(at, 8, "agidl=2e-4 bgidl=2.1e9 cgidl=2e-4 egidl=0.8 ");
  return deck;
}

// The cards with gate tunnelling switched on (igcMod 1, igbMod 1): our own coefficients.
std::string with_tunnelling(std::string deck) {
  const std::string extra =
      "capmod=2 igcmod=1 igbmod=1 aigc=0.014 bigc=0.0017 cigc=0.002 aigsd=0.013 bigsd=0.0016 cigsd=0.002 "
      "nigc=1.1 poxedge=1.1 pigcd=1.2 dlcig=4n ntox=1 toxref=1.3n aigbacc=0.012 bigbacc=0.0025 cigbacc=0.0025 "
      "nigbacc=1 aigbinv=0.013 bigbinv=0.0035 cigbinv=0.0045 eigbinv=1.1 nigbinv=3 ";
  for (std::size_t at = 0; (at = deck.find("capmod=2 ", at)) != std::string::npos; at += extra.size())
    deck.replace(at, 9, extra);
  return deck;
}

// ... and with the gate resistance (rgateMod 1; RSHG large enough to matter) and the
// body resistor network (rbodyMod 1).
std::string with_gate_and_body_resistance(std::string deck) {
  const std::string extra =
      "capmod=2 rgatemod=1 rshg=2000 xgw=0 ngcon=1 xgl=0 rbodymod=1 rbpb=50 rbpd=200 rbps=200 rbdb=300 rbsb=300 ";
  for (std::size_t at = 0; (at = deck.find("capmod=2 ", at)) != std::string::npos; at += extra.size())
    deck.replace(at, 9, extra);
  return with_tunnelling(deck);
}

void expect_dc_agrees(const std::string& deck_name, const std::string& column, double rel, double abs,
                      bool gidl = false) {
  const std::string deck = gidl ? with_gidl(with_models(deck_name)) : with_models(deck_name);
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "DC");
  ASSERT_EQ(ours.rows(), theirs.rows()) << deck_name;
  std::cout << "[ngspice] " << deck_name << " " << column << ": max rel diff above 1 nA "
            << max_rel_error(ours.col(column), theirs.col(column), 1e-9) << '\n';
  EXPECT_LE(worst_excess(ours.col(column), theirs.col(column), rel, abs), 0) << deck_name;
}

// The absolute floor, 3 pA, covers the off-state currents (junction leakage and gmin).
TEST(NgspiceBsim4, NmosTransferLinAndLog) { expect_dc_agrees("bsim4_n_idvg.cir", "i(vd)", 1e-3, 3e-12); }
TEST(NgspiceBsim4, NmosOutputBothOrientationsBodyBias) {
  expect_dc_agrees("bsim4_n_idvd.cir", "i(vd)", 1e-3, 3e-12);
}
TEST(NgspiceBsim4, PmosTransfer) { expect_dc_agrees("bsim4_p_idvg.cir", "i(vd)", 1e-3, 3e-12); }
// A given vfb (the PTM 45-nm PMOS card of the ISCAS85 decks gives vfb=0.55) is read as it
// stands, not times the type: with type * vfb this PMOS was 1.5 % (|vgs| 1.8 V) to 5.7 %
// (0.9 V) off ngspice through the mobility's vtfbphi1. k2=0: the known k2 residue apart.
// Measured 3.8e-12 above 1 nA; allowed 1e-4.
TEST(NgspiceBsim4, PmosWithAGivenFlatBand) {
  std::string deck = with_models("bsim4_p_idvg.cir");
  const std::string from = "vth0=-0.47 k1=0.41 k2=-0.01";
  ASSERT_NE(deck.find(from), std::string::npos);
  deck.replace(deck.find(from), from.size(), "vth0=-0.47 k1=0.41 k2=0 vfb=0.55");
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table theirs = plot(run_ngspice(deck), "DC");
  const auto& ours = ours_run.table().col("i(vd)");
  std::cout << "[ngspice] p45 with vfb=0.55: max rel diff above 1 nA " << max_rel_error(ours, theirs.col("i(vd)"), 1e-9)
            << '\n';
  EXPECT_LE(worst_excess(ours, theirs.col("i(vd)"), 1e-4, 3e-12), 0);
}
TEST(NgspiceBsim4, PmosOutputBothOrientationsBodyBias) {
  expect_dc_agrees("bsim4_p_idvd.cir", "i(vd)", 1e-3, 3e-12);
}
// The bulk current: junction leakage and impact ionisation (ALPHA0, BETA0). Measured
// 1.5e-12 relative above 1 pA (5.6e-3 above 10 pA once, before the junctions took
// ngspice's k/q); allowed 1e-3.
TEST(NgspiceBsim4, BulkCurrent) { expect_dc_agrees("bsim4_n_idvd.cir", "i(vb)", 1e-3, 1e-13); }

// Temperature: 85 C and -20 C against tnom 27 C. Measured 2.1e-12 and 3.7e-12 on the
// drain current above 1 nA, 2.3e-12 on the bulk current above 1 pA (junction saturation
// currents through exp(Eg/vt)). Allowed 1e-3.
TEST(NgspiceBsim4, NmosTransferAt85C) { expect_dc_agrees("bsim4_n_idvg_85.cir", "i(vd)", 1e-3, 3e-12); }
TEST(NgspiceBsim4, NmosOutputAtMinus20C) {
  expect_dc_agrees("bsim4_n_idvd_m20.cir", "i(vd)", 1e-3, 3e-12);
  expect_dc_agrees("bsim4_n_idvd_m20.cir", "i(vb)", 1e-3, 1e-13);
}

// GIDL: the bulk current of an off NMOS and PMOS with the gate swept to -0.8 V (-0.8 V
// for the PMOS in its frame). Measured 2.1e-12 on i(vb) above 1 pA, 2.6e-12 on i(vd).
// Allowed 1e-3.
TEST(NgspiceBsim4, GateInducedDrainLeakage) {
  for (const char* column : {"i(vb)", "i(vb2)"}) expect_dc_agrees("bsim4_gidl.cir", column, 1e-3, 1e-12, true);
  for (const char* column : {"i(vd)", "i(vd2)"}) expect_dc_agrees("bsim4_gidl.cir", column, 1e-3, 1e-12, true);
}

// Binned sets (nb.1, nb.2 picked by lmin/lmax/wmin/wmax) with l, w and p coefficients.
// Measured 2.7e-12 above 1 nA (3.8e-3 before the F_doping fix); allowed 1e-3.
TEST(NgspiceBsim4, BinnedModels) {
  expect_dc_agrees("bsim4_binning.cir", "i(vd)", 1e-3, 3e-12);
  expect_dc_agrees("bsim4_binning.cir", "i(vs1)", 1e-3, 3e-12);
}

// Gate current of an NMOS (i(vg)) and a PMOS (i(eg2)) from accumulation to inversion at
// Vds = 0, 0.5, 1 V: Igcs/Igcd, the overlap Igs/Igd and Igb. The issue asks 1 % where
// |Ig| > 1 pA. Measured 9.5e-7 on the NMOS and 3.5e-5 on the PMOS above 1 pA (1.2e-2 at
// a 3 pA point before the F_doping fix); allowed 1e-3, drain currents 1e-3.
TEST(NgspiceBsim4, GateTunnellingCurrent) {
  const std::string deck = with_tunnelling(with_models("bsim4_gate_current.cir"));
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "DC");
  ASSERT_EQ(ours.rows(), theirs.rows());
  for (const char* column : {"i(vg)", "i(eg2)"}) {
    std::cout << "[ngspice] bsim4 gate current " << column << ": max rel diff above 1 pA "
              << max_rel_error(ours.col(column), theirs.col(column), 1e-12) << '\n';
    EXPECT_LE(worst_excess(ours.col(column), theirs.col(column), 1e-3, 1e-13), 0) << column;
  }
  for (const char* column : {"i(vd)", "i(vd2)"})
    EXPECT_LE(worst_excess(ours.col(column), theirs.col(column), 1e-3, 3e-12), 0) << column;
}

// Times where v(node) rises through `level`, linearly interpolated, after `skip`.
std::vector<double> rising(const Table& t, const std::string& node, double level, double skip) {
  const auto& time = t.col("time");
  const auto& v = t.col(node);
  std::vector<double> out;
  for (std::size_t k = 1; k < v.size(); ++k)
    if (v[k - 1] < level && v[k] >= level && time[k] > skip)
      out.push_back(time[k - 1] + (level - v[k - 1]) * (time[k] - time[k - 1]) / (v[k] - v[k - 1]));
  return out;
}

double mean_period(const std::vector<double>& edges) {
  return (edges.back() - edges.front()) / double(edges.size() - 1);
}

// Five inverters with their overlap, fringe, junction and capMod 2 intrinsic charges.
// Measured: period 63.75 ps against ngspice's 63.77 ps (3e-4); the issue asks 1 %.
TEST(NgspiceBsim4, RingOscillatorPeriod) {
  const std::string deck = with_models("bsim4_ring.cir");
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table theirs = plot(run_ngspice(deck), "Transient");
  const auto a = rising(ours_run.table(), "v(n1)", 0.5, 100e-12), b = rising(theirs, "v(n1)", 0.5, 100e-12);
  ASSERT_GE(a.size(), 3u);
  ASSERT_GE(b.size(), 3u);
  const double ours = mean_period(a), ref = mean_period(b);
  std::cout << "[ngspice] bsim4 ring period " << ours << " s, ngspice " << ref << " s\n";
  EXPECT_NEAR(ours, ref, 0.01 * ref);
}

// An inverter switched by 10 ps edges into 2 fF: every node voltage, ngspice interpolated
// onto our time points. Measured 1.2 mV; allowed 20 mV of the 1 V swing.
TEST(NgspiceBsim4, InverterSwitching) {
  const std::string deck = with_models("bsim4_inverter.cir");
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "Transient");
  const auto reference = interpolate(theirs.col("time"), theirs.col("v(out)"), ours.col("time"));
  const double error = max_abs_error(ours.col("v(out)"), reference);
  std::cout << "[ngspice] bsim4 inverter max |v(out) - ngspice| = " << error << '\n';
  EXPECT_LE(error, 0.02);
}

// The inverter with gate tunnelling, gate resistance and the body network.
TEST(NgspiceBsim4, InverterWithGateAndBodyResistance) {
  const std::string deck = with_gate_and_body_resistance(with_models("bsim4_inverter.cir"));
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "Transient");
  const auto reference = interpolate(theirs.col("time"), theirs.col("v(out)"), ours.col("time"));
  const double error = max_abs_error(ours.col("v(out)"), reference);
  std::cout << "[ngspice] bsim4 inverter (rgateMod 1, rbodyMod 1, igcMod 1) max |v(out) - ngspice| = " << error << '\n';
  EXPECT_LE(error, 0.02);
}

// SPICE's bypass (Eval::bypass, on by default in transients) against every device
// evaluated at every iterate (.options bypass=0), on the ring and on the inverter with
// gate and body resistance, at the decks' reltol 1e-5 and at the default 1e-3. Measured:
// ring period 1.1e-6 (reltol 1e-5) and 1.7e-5 (1e-3) apart relative; inverter output
// 7.6e-7 V and 7.2e-5 V apart. Allowed: a tenth of the default reltol on the period
// (1e-4), and reltol 1e-3 of the 1 V swing on the waveform: the bypass may move the
// answer within the tolerance the run was asked for, no further.
std::string with_options(std::string deck, const std::string& options) {
  const std::string line = ".options reltol=1e-5";
  deck.replace(deck.find(line), line.size(), ".options " + options);
  return deck;
}

std::string fmt_options(double reltol) {
  std::ostringstream o;
  o << "reltol=" << reltol;
  return o.str();
}

TEST(Bsim4Bypass, RingPeriodAsWithoutBypass) {
  for (const char* reltol : {"1e-5", "1e-3"}) {
    const std::string deck = with_models("bsim4_ring.cir"), tol = std::string("reltol=") + reltol;
    const auto on = run_neurospice(with_options(deck, tol)), off = run_neurospice(with_options(deck, tol + " bypass=0"));
    ASSERT_EQ(on.status, 0) << on.err;
    ASSERT_EQ(off.status, 0) << off.err;
    const double with = mean_period(rising(on.table(), "v(n1)", 0.5, 100e-12)),
                 without = mean_period(rising(off.table(), "v(n1)", 0.5, 100e-12));
    std::cout << "[bypass] ring reltol " << reltol << ": period " << with << " s, without bypass " << without << " s\n";
    EXPECT_NEAR(with, without, 1e-4 * without) << reltol;
  }
}

TEST(Bsim4Bypass, InverterWithGateAndBodyResistanceAsWithoutBypass) {
  for (const char* reltol : {"1e-5", "1e-3"}) {
    const std::string deck = with_gate_and_body_resistance(with_models("bsim4_inverter.cir")),
                      tol = std::string("reltol=") + reltol;
    const auto on = run_neurospice(with_options(deck, tol)), off = run_neurospice(with_options(deck, tol + " bypass=0"));
    ASSERT_EQ(on.status, 0) << on.err;
    ASSERT_EQ(off.status, 0) << off.err;
    const Table &a = on.table(), &b = off.table();
    const auto reference = interpolate(b.col("time"), b.col("v(out)"), a.col("time"));
    const double error = max_abs_error(a.col("v(out)"), reference);
    std::cout << "[bypass] inverter reltol " << reltol << ": max |v(out) - without bypass| = " << error << '\n';
    EXPECT_LE(error, 1e-3) << reltol;
  }
}

// The tapered inverter chain of netlists/cmos (fan-out 4, five stages into 20 fF) with and
// without the bypass: the delays from the input's 50 % to each output's 50 %, at the
// deck's reltol 1e-5 and the default 1e-3. A bypassed load is the last evaluation's
// linearisation while the currents' predicted change is within reltol |i| + abstol; what
// that moves is the step sequence, so the two runs differ as two runs at that reltol.
// Measured at reltol 1e-5: 7.7e-6 of the last delay, then 1.3e-5 once the charges' vds = 0
// blend moved to the reverse side (which itself moved the delays without bypass by up to
// 1.3e-5: the scatter of the step sequence at this reltol); at 1e-3: 2.6e-5. Allowed
// twice reltol of each delay.
// The first time after `after` where v(node) crosses 0.5 V rising or falling.
double crossing(const Table& t, const std::string& node, bool rising_edge, double after) {
  const auto& time = t.col("time");
  const auto& v = t.col(node);
  for (std::size_t k = 1; k < v.size(); ++k) {
    const bool up = v[k - 1] < 0.5 && v[k] >= 0.5, down = v[k - 1] > 0.5 && v[k] <= 0.5;
    if (time[k] > after && (rising_edge ? up : down))
      return time[k - 1] + (0.5 - v[k - 1]) * (time[k] - time[k - 1]) / (v[k] - v[k - 1]);
  }
  return NAN;
}

std::vector<double> chain_delays(const Table& t) {
  const double in_rise = crossing(t, "v(in)", true, 0), in_fall = crossing(t, "v(in)", false, 0);
  return {crossing(t, "v(o1)", false, in_rise) - in_rise, crossing(t, "v(o2)", true, in_rise) - in_rise,
          crossing(t, "v(out)", false, in_rise) - in_rise, crossing(t, "v(out)", true, in_fall) - in_fall};
}

TEST(Bsim4Bypass, InverterChainDelaysAsWithoutBypass) {
  std::string chain = read_text(NS_SOURCE_DIR "/netlists/cmos/inverter_chain.cir");
  const std::string include = ".include ";
  chain.insert(chain.find(include) + include.size(), NS_SOURCE_DIR "/netlists/cmos/");
  const std::string line = ".options reltol=1e-5";
  ASSERT_NE(chain.find(line), std::string::npos);
  for (const double reltol : {1e-5, 1e-3}) {
    const std::string tol = fmt_options(reltol);
    std::string on_deck = chain, off_deck = chain;
    on_deck.replace(on_deck.find(line), line.size(), ".options " + tol);
    off_deck.replace(off_deck.find(line), line.size(), ".options " + tol + " bypass=0");
    const auto on = run_neurospice(on_deck), off = run_neurospice(off_deck);
    ASSERT_EQ(on.status, 0) << on.err;
    ASSERT_EQ(off.status, 0) << off.err;
    const auto with = chain_delays(on.table()), without = chain_delays(off.table());
    EXPECT_NE(on.table().col("v(out)"), off.table().col("v(out)")) << "the bypass did not act";
    for (std::size_t k = 0; k < with.size(); ++k) {
      std::cout << "[bypass] chain " << tol << " delay " << k << ": " << with[k] << " s, without bypass "
                << without[k] << " s (" << (with[k] - without[k]) / without[k] << ")\n";
      EXPECT_NEAR(with[k], without[k], 2 * reltol * without[k]) << tol << " delay " << k;
    }
  }
}

// rgateMod=1 on the PMOS's line (its card leaves it 0) puts the gate resistance in, which
// the input current at high frequency shows; delvto and mulu0 on the NMOS's move the
// transfer curve. rgeoMod, geoMod and the rest change nothing in ngspice on these cards.
TEST(NgspiceBsim4, InstanceParameters) {
  const std::string deck = with_models("bsim4_instance_params.cir");
  const auto run = run_neurospice(deck);
  ASSERT_EQ(run.status, 0) << run.err;
  const auto ng = run_ngspice(deck);
  const Table& dc = run.table("dc");
  const Table ng_dc = plot(ng, "DC");
  ASSERT_EQ(dc.rows(), ng_dc.rows());
  // Within ngspice's reltol (1e-3) as the other BSIM4 tests: measured 5.4e-4 V on v(out) and
  // 5.9e-4 relative on the supply current, both at the transfer curve's steepest point; the
  // same deck without delvto and mulu0 differs as much there (5.8e-4 V, 4.0e-4).
  const double dc_error = max_abs_error(dc.col("v(out)"), ng_dc.col("v(out)"));
  const double supply_error = max_rel_error(dc.col("i(vdd)"), ng_dc.col("i(vdd)"), 1e-9);
  std::cout << "[ngspice] BSIM4 instance parameters: dc v(out) max |diff| " << dc_error << ", i(vdd) max rel diff "
            << supply_error << "\n";
  EXPECT_LT(dc_error, 1e-3);
  EXPECT_LT(supply_error, 1e-3);

  const Table& ac = run.table("ac");
  const Table ng_ac = plot(ng, "AC");
  ASSERT_EQ(ac.rows(), ng_ac.rows());
  for (const std::string v : {"v(out)", "i(vin)"}) {
    const std::string m = v.substr(0, 1) + "m" + v.substr(1), p = v.substr(0, 1) + "p" + v.substr(1);
    const std::string re = v.substr(0, 1) + "r" + v.substr(1), im = v.substr(0, 1) + "i" + v.substr(1);
    double worst = 0;
    for (std::size_t k = 0; k < ac.rows(); ++k) {
      const std::complex<double> a = std::polar(ac.col(m)[k], ac.col(p)[k]);
      const std::complex<double> b(ng_ac.col(re)[k], ng_ac.col(im)[k]);
      worst = std::max(worst, std::abs(a - b) / std::abs(b));
    }
    // Linearised at the same operating point: measured 1.5e-8 (v(out)) and 6.6e-8 (i(vin)).
    std::cout << "[ngspice] BSIM4 instance parameters: ac " << v << " max rel phasor diff " << worst << "\n";
    EXPECT_LT(worst, 1e-6) << v;
  }
}

// .op, .dc and .ac do not bypass (the transient's Newton alone sets Eval::bypass): the
// same inverter's operating point, transfer curve and gain are bit for bit those with
// .options bypass=0.
TEST(Bsim4Bypass, OffInOperatingPointDcAndAc) {
  const std::string deck = with_models("bsim4_inverter_op_dc_ac.cir");
  std::string off_deck = deck;
  off_deck.insert(off_deck.rfind(".end"), ".options bypass=0\n");
  const auto on = run_neurospice(deck), off = run_neurospice(off_deck);
  ASSERT_EQ(on.status, 0) << on.err;
  ASSERT_EQ(off.status, 0) << off.err;
  ASSERT_EQ(on.tables.size(), off.tables.size());
  ASSERT_GE(on.tables.size(), 3u);
  for (const auto& [key, table] : on.tables) {
    const Table& other = off.table(key);
    ASSERT_EQ(table.names, other.names) << key;
    for (std::size_t c = 0; c < table.names.size(); ++c)
      EXPECT_EQ(table.columns[c], other.columns[c]) << key << " " << table.names[c];
  }
}

}  // namespace
}  // namespace ns::test
