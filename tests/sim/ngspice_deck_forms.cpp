// Forms ngspice's own decks use that neurospice once refused, on our own decks, each run
// unchanged through both simulators and checked against its closed form: a PWL's points
// as pairs inside its list, a negative capacitance in a subcircuit, a diode IS above 1 A,
// a source's DISTOF1/DISTOF2 (tests/sim/decks/ngspice_deck_forms.cir); the XSPICE pwlts
// code model (ngspice_pwlts.cir). BSIM4's instance parameters: ngspice_bsim4.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <string>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// Largest |ours - ngspice| of `probe` on ngspice's time points, leaving out those within
// `guard` of the times in `jumps` (where either side of a step may be taken).
double tran_error(const Table& ours, const Table& theirs, const std::string& probe,
                  std::initializer_list<double> jumps = {}, double guard = 0) {
  const auto at = interpolate(ours.col("time"), ours.col(probe), theirs.col("time"));
  double error = 0;
  for (std::size_t k = 0; k < at.size(); ++k) {
    const double t = theirs.col("time")[k];
    bool near = false;
    for (double j : jumps) near |= std::abs(t - j) < guard;
    if (!near) error = std::max(error, std::abs(at[k] - theirs.col(probe)[k]));
  }
  std::cout << "[ngspice] " << probe << ": max |neurospice - ngspice| = " << error << "\n";
  return error;
}

double value_at(const Table& t, const std::string& probe, double time) {
  return interpolate(t.col("time"), t.col(probe), {time})[0];
}

TEST(NgspiceDeckForms, PwlPairsNegativeCapacitanceLargeIsDistof) {
  const std::string deck = deck_file("ngspice_deck_forms.cir");
  const auto run = run_neurospice(deck, {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  // DISTOF1 and DISTOF2: one warning for both.
  const auto said = run.err.find("warning: 'distof1' on 'vs' is ignored");
  ASSERT_NE(said, std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("distof", said + 16), std::string::npos) << run.err;
  const Table& ours = run.table();

  // The RC (1 kOhm, 2 uF - 0.5 uF) after the 1 us ramp from 1 ms: at t,
  // 1 - (tau / T) (e^(T / tau) - 1) e^(-(t - 1 ms) / tau).
  const double tau = 1e3 * 1.5e-6, ramp = 1e-6;
  for (double t : {1.5e-3, 2e-3, 3e-3}) {
    const double exact = 1 - tau / ramp * std::expm1(ramp / tau) * std::exp(-(t - 1e-3) / tau);
    EXPECT_NEAR(value_at(ours, "v(out)", t), exact, 2e-3) << "at " << t;
  }
  EXPECT_NEAR(value_at(ours, "v(in)", 3.25e-3), 0.625, 1e-9);  // the last segment's middle
  // IS = 1027 A (temper + 1000) carrying 1000 A: v = vt ln(1 + 1000 / 1027).
  const double vt = 1.380649e-23 * 300.15 / 1.602176634e-19;
  EXPECT_NEAR(value_at(ours, "v(dk)", 2e-3), vt * std::log1p(1000.0 / 1027), 1e-6);
  for (double t : {0.25e-3, 1.1e-3, 4.6e-3})
    EXPECT_NEAR(value_at(ours, "v(s)", t), std::sin(2 * M_PI * 1e3 * t), 2e-3) << "at " << t;

  const Table theirs = plot(run_ngspice(deck), "Transient");
  // The source exactly (measured 9e-16); the RC within ngspice's own error control
  // (reltol 1e-3) on a 1 V edge (measured 1.1e-5).
  EXPECT_LT(tran_error(ours, theirs, "v(in)"), 1e-9);
  EXPECT_LT(tran_error(ours, theirs, "v(out)"), 2e-3);
  EXPECT_LT(tran_error(ours, theirs, "v(dk)"), 1e-6);
  EXPECT_LT(tran_error(ours, theirs, "v(s)"), 2e-3);
}

TEST(NgspiceDeckForms, PwltsCodeModel) {
  const std::string deck = deck_file("ngspice_pwlts.cir");
  const auto run = run_neurospice(deck, {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& ours = run.table();
  // On the straight parts: ts1 extended by its end slopes (0 before, -3 V/ms after);
  // ts2 (limit=true) holds its end values; ts3 extended by its end slopes (1.5 V/ms).
  EXPECT_NEAR(value_at(ours, "v(o1)", 0.5e-3), 0.5, 1e-9);
  EXPECT_NEAR(value_at(ours, "v(o1)", 1.5e-3), 1.25, 1e-9);
  EXPECT_NEAR(value_at(ours, "v(o1)", 3.5e-3), 2, 1e-9);
  EXPECT_NEAR(value_at(ours, "v(o1)", 7e-3), -4, 1e-9);
  EXPECT_NEAR(value_at(ours, "v(o2)", 0.5e-3), 0.5, 1e-9);
  EXPECT_NEAR(value_at(ours, "v(o2)", 7.5e-3), -1, 1e-9);
  EXPECT_NEAR(value_at(ours, "v(o3)", 0.5e-3), -0.25, 1e-9);
  EXPECT_NEAR(value_at(ours, "v(o3)", 7e-3), -4, 1e-9);
  // In a rounded corner (ts1 at 1 ms, +-0.1 ms): the parabola between the slopes 0 and
  // 1.5 V/ms, 0.5 + 1.5/ms (t - 0.9 ms)^2 / (4 * 0.1 ms) at t.
  const double t = 0.95e-3, s = t - 0.9e-3;
  EXPECT_NEAR(value_at(ours, "v(o1)", t), 0.5 + 1.5e3 * s * s / (4 * 0.1e-3), 1e-6);

  const Table theirs = plot(run_ngspice(deck), "Transient");
  // The same curve: on the straight parts both are exact; inside a rounded corner each
  // samples the parabola at its own steps, ours read between them linearly (measured
  // 6.3e-5 at most, in ts3's 20 us wide corner at 5 ms where the slope turns by 3 V/ms).
  for (const char* probe : {"v(o1)", "v(o2)", "v(o3)"}) EXPECT_LT(tran_error(ours, theirs, probe), 1e-4) << probe;
}

}  // namespace
}  // namespace ns::test
