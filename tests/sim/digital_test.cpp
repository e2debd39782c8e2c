// XSPICE digital code models on the event-driven network (src/digital/, models/digital_*.cpp),
// on our decks tests/sim/decks/digital_{ring,counter,adc_sine,source,wired,auto_bridge,osc,
// state,ram}.cir: the digital edges against the delays written here again (closed form), and
// the analog nodes the dac_bridges drive against ngspice (39) on the same deck.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// Times at which `v` crosses `level` (linear between rows).
std::vector<double> crossings(const std::vector<double>& t, const std::vector<double>& v, double level) {
  std::vector<double> out;
  for (std::size_t k = 1; k < t.size(); ++k)
    if ((v[k - 1] - level) * (v[k] - level) < 0)
      out.push_back(t[k - 1] + (level - v[k - 1]) * (t[k] - t[k - 1]) / (v[k] - v[k - 1]));
  return out;
}

double worst_against_ngspice(const std::string& deck, const Table& ours, const std::string& vector) {
  const Table theirs = plot(run_ngspice(deck_file(deck)), "Transient");
  const auto mine = interpolate(ours.col("time"), ours.col(vector), theirs.col("time"));
  return max_abs_error(mine, theirs.col(vector));
}

TEST(Digital, RingEdgesFollowTheGateDelays) {
  const auto run = run_neurospice(deck_file("digital_ring.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const auto e = level_changes(run.table(), "v(n1)");
  // en crosses 0.6 V 0.6 ps into its edge at 2 ns; the adc_bridge sees it at the first
  // accepted point after (within the 1 ps edge and the restart's first steps), 1 ns later
  // the NAND's input rises. n1 then falls 2 + 1 + 2 ns later (NAND fall, inverter rise,
  // inverter fall) and rises 1 + 2 + 1 ns after that: a 9 ns period.
  ASSERT_GE(e.size(), 6u);
  const double seen = e[0].t - 1e-9 - 5e-9;
  EXPECT_GE(seen, 2.0006e-9);
  EXPECT_LE(seen, 2.002e-9);
  for (std::size_t k = 0; k < e.size(); ++k) {
    const double expected = seen + 1e-9 + 5e-9 + 9e-9 * static_cast<double>(k / 2) + (k % 2 ? 4e-9 : 0);
    EXPECT_NEAR(e[k].t, expected, 1e-15) << "edge " << k;
    EXPECT_NEAR(e[k].v, k % 2 ? 1.0 : 0.0, 1e-12) << "edge " << k;
  }
}

TEST(Digital, RingThroughDacAgainstNgspice) {
  const auto run = run_neurospice(deck_file("digital_ring.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const double out = worst_against_ngspice("digital_ring.cir", run.table(), "v(out)");
  const double rc = worst_against_ngspice("digital_ring.cir", run.table(), "v(rc)");
  std::cout << "[ngspice] ring: max |ns - ng| v(out) " << out << " V, v(rc) " << rc << " V\n";
  // The edges differ by where each samples the enable's 1 ps edge (0.03 ps here): on the
  // dac's 1.2 V / 0.3 ns ramps that is 1e-4 V; the RC's integration error adds to v(rc).
  // Measured 1.2e-4 and 1.5e-3 V; bounds: 1e-3 and 3e-3 of the 1.2 V swing.
  EXPECT_LE(out, 1.2e-3);
  EXPECT_LE(rc, 3.6e-3);
}

TEST(Digital, CounterCountsAndAgreesWithNgspice) {
  const auto run = run_neurospice(deck_file("digital_counter.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  // The clock's k-th rising edge (5 + 20 k ns) makes the count k + 1 (mod 8); the ripple
  // through three stages (1 ns adc, 1.5 ns per stage, 1 ns ramps) is over 6.5 ns later, and
  // the 0.36 ns RC of the sum node settled (23 time constants) at 5 + 20 k + 15 ns, where
  // v(sum) = count / 11.
  std::vector<double> at, expected;
  for (int k = 0; k < 8; ++k) {
    at.push_back(5e-9 + 20e-9 * k + 15e-9);
    expected.push_back(((k + 1) % 8) / 11.0);
  }
  const auto v = interpolate(t.col("time"), t.col("v(sum)"), at);
  for (std::size_t k = 0; k < at.size(); ++k) EXPECT_NEAR(v[k], expected[k], 1e-6) << "after clock edge " << k;
  const double ng = worst_against_ngspice("digital_counter.cir", t, "v(sum)");
  std::cout << "[ngspice] counter: max |ns - ng| v(sum) " << ng << " V\n";
  // Measured 5.4e-4 V (on edges of 1 ns ramps through the RC); bound 1e-3 of its 0.64 V span, doubled.
  EXPECT_LE(ng, 1.3e-3);
}

// The sine crosses +0.5 V upward at 1/12 us (+ k us), downward at 5/12; -0.5 V downward at
// 7/12 and upward at 11/12. The bit goes U -> 1, 1 -> U, U -> 0, 0 -> U there, after the
// rise delay (10 ns) to 1 and from 0, the fall delay (20 ns) to 0 and from 1; the dac
// ramps 0.5 V at 0.2 V/ns, so it passes 0.75 V (the first two) or 0.25 V (the others)
// 1.25 ns after.
std::vector<double> sine_edges(double level) {
  std::vector<double> out;
  for (int k = 0; k < 3; ++k)
    for (double at : level > 0.5 ? std::vector<double>{1.0 / 12 * 1e-6 + 10e-9, 5.0 / 12 * 1e-6 + 20e-9}
                                 : std::vector<double>{7.0 / 12 * 1e-6 + 20e-9, 11.0 / 12 * 1e-6 + 10e-9})
      out.push_back(k * 1e-6 + at + 1.25e-9);
  return out;
}

TEST(Digital, AdcSamplesTheSine) {
  const auto run = run_neurospice(deck_file("digital_adc_sine.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const Table theirs = plot(run_ngspice(deck_file("digital_adc_sine.cir")), "Transient");
  double ours_late = 0, ng_late = 0;
  for (double level : {0.75, 0.25}) {
    const auto expected = sine_edges(level);
    const auto mine = crossings(t.col("time"), t.col("v(y)"), level);
    const auto ng = crossings(theirs.col("time"), theirs.col("v(y)"), level);
    ASSERT_EQ(mine.size(), expected.size()) << level;
    ASSERT_EQ(ng.size(), expected.size()) << level;
    for (std::size_t k = 0; k < expected.size(); ++k) {
      // Sampling at accepted points: late by less than a step (tmax = 2 ns), never early.
      EXPECT_GE(mine[k], expected[k] - 1e-13) << level << " " << k;
      ours_late = std::max(ours_late, mine[k] - expected[k]);
      ng_late = std::max(ng_late, ng[k] - expected[k]);
    }
  }
  std::cout << "[exact] adc sine: edges late by at most " << ours_late << " s (ngspice " << ng_late << " s)\n";
  EXPECT_LE(ours_late, 2e-9);
  // ngspice's measured 3.4 ns: its steps near the sine's crossings are longer than tmax.
  EXPECT_LE(ng_late, 4e-9);
  // The level between edges: U (0.5 V) at the start, where the sine is 0.
  EXPECT_NEAR(t.col("v(y)")[0], 0.5, 1e-12);
}

// digital_source.cir, digital_wired.cir, digital_state.cir and digital_ram.cir name their
// tables by @DECKS@, the decks' folder.
std::string source_deck(const std::string& name = "digital_source.cir") {
  std::string deck = deck_file(name);
  for (auto at = deck.find("@DECKS@"); at != std::string::npos; at = deck.find("@DECKS@"))
    deck.replace(at, 7, std::string(NS_SOURCE_DIR) + "/tests/sim/decks");
  return deck;
}

// The dac's output for the table: from `from` at `start` toward `to` at 2 V/ns rising
// (t_rise 1 ns for the 2 V swing) and 1 V/ns falling (t_fall 2 ns).
double ramp(double t, double start, double from, double to) {
  if (t <= start) return from;
  const double moved = (to > from ? 2e9 : 1e9) * (t - start);
  return to > from ? std::min(to, from + moved) : std::max(to, from - moved);
}
double ya(double t) {  // a: 0s, 1s at 5 ns, Us at 12, 0s at 20, 1r at 30
  if (t < 12e-9) return ramp(t, 5e-9, 0, 2);
  if (t < 20e-9) return ramp(t, 12e-9, 2, 1);
  if (t < 30e-9) return ramp(t, 20e-9, 1, 0);
  return ramp(t, 30e-9, 0, 2);
}
double yb(double t) {  // b: 1s, 0s at 12 ns, Uz at 30
  return t < 30e-9 ? ramp(t, 12e-9, 2, 0) : ramp(t, 30e-9, 0, 1);
}

TEST(Digital, SourceTableThroughDac) {
  const std::string deck = source_deck();
  const auto run = run_neurospice(deck, {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  const auto& time = t.col("time");
  double worst = 0;
  for (std::size_t k = 0; k < time.size(); ++k)
    worst = std::max({worst, std::abs(t.col("v(ya)")[k] - ya(time[k])), std::abs(t.col("v(yb)")[k] - yb(time[k]))});
  std::cout << "[exact] d_source through dac_bridge: max error " << worst << " V\n";
  // The ramps are piecewise linear and the transient stops at each corner: exact but for
  // rounding (and a row 1e-16 s after each event, where the ramp has moved 2e-7 V at most).
  EXPECT_LE(worst, 1e-6);
  const Table theirs = plot(run_ngspice(deck), "Transient");
  double ng = 0;
  for (std::size_t k = 0; k < theirs.col("time").size(); ++k) {
    const double at = theirs.col("time")[k];
    ng = std::max({ng, std::abs(theirs.col("v(ya)")[k] - ya(at)), std::abs(theirs.col("v(yb)")[k] - yb(at))});
  }
  std::cout << "[ngspice] d_source through dac_bridge: max |ngspice - exact| " << ng << " V\n";
  EXPECT_LE(ng, 1e-6);
}

TEST(Digital, WiredNodesResolve) {
  const std::string deck = source_deck("digital_wired.cir");
  const auto run = run_neurospice(deck, {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  // w: 0s, then Uz beside the pullup's 1r (1r: 1), then 1s, then 1r again. x: 1s, then Uz
  // beside the pulldown's 0r (0), 1s, 0r. The dac ramps 1 V in 1 ns each way.
  auto w = [](double at) { return std::clamp((at - 10e-9) / 1e-9, 0.0, 1.0); };
  auto x = [](double at) {
    if (at < 20e-9) return 1 - std::clamp((at - 10e-9) / 1e-9, 0.0, 1.0);
    if (at < 30e-9) return std::clamp((at - 20e-9) / 1e-9, 0.0, 1.0);
    return 1 - std::clamp((at - 30e-9) / 1e-9, 0.0, 1.0);
  };
  const Table theirs = plot(run_ngspice(deck), "Transient");
  double mine = 0, ng = 0;
  for (std::size_t k = 0; k < t.col("time").size(); ++k) {
    const double at = t.col("time")[k];
    mine = std::max({mine, std::abs(t.col("v(yw)")[k] - w(at)),
                     std::abs(t.col("v(yx)")[k] - x(at))});
  }
  for (std::size_t k = 0; k < theirs.col("time").size(); ++k) {
    const double at = theirs.col("time")[k];
    ng = std::max({ng, std::abs(theirs.col("v(yw)")[k] - w(at)),
                   std::abs(theirs.col("v(yx)")[k] - x(at))});
  }
  std::cout << "[exact] wired nodes: max error " << mine << " V (ngspice " << ng << " V)\n";
  EXPECT_LE(mine, 1e-9);
  EXPECT_LE(ng, 1e-9);
}


// Edges (crossings of `level`, rising and falling) of `vector` in a table.
struct Crossing {
  double t;
  bool rising;
};
std::vector<Crossing> level_crossings(const Table& table, const std::string& vector, double level) {
  const auto& t = table.col("time");
  const auto& v = table.col(vector);
  std::vector<Crossing> out;
  for (std::size_t k = 1; k < t.size(); ++k)
    if ((v[k - 1] >= level) != (v[k] >= level))
      out.push_back({t[k - 1] + (level - v[k - 1]) * (t[k] - t[k - 1]) / (v[k] - v[k - 1]), v[k] > v[k - 1]});
  return out;
}

// The largest |ours - theirs| over the edges of `vector`, which must be as many and alike.
double edge_shift(const Table& ours, const Table& theirs, const std::string& vector, double level) {
  const auto a = level_crossings(ours, vector, level), b = level_crossings(theirs, vector, level);
  EXPECT_EQ(a.size(), b.size()) << vector;
  double worst = 0;
  for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k) {
    EXPECT_EQ(a[k].rising, b[k].rising) << vector << " edge " << k;
    worst = std::max(worst, std::abs(a[k].t - b[k].t));
  }
  return worst;
}

TEST(Digital, AutoBridgesAgainstClosedFormAndNgspice) {
  const auto run = run_neurospice(deck_file("digital_auto_bridge.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  // vin crosses vcc/2 = 2 V at 20 and 70 ns; the inserted adc_bridge (1 ns delays) passes
  // it on, the inverter (2 / 3 ns) makes mid, the NOR of mid and ground (1 ns) out, the
  // buffer of mid (1 ns) low. Both dac_bridges swing 0 to 4 V (the vcc of the first card
  // that needs one; the buffer's subcircuit vcc=2 does not count) over 1 ns: out crosses
  // 2 V 0.5 ns into its ramps, low crosses 1 V 0.75 ns into its fall, 0.25 into its rise.
  // The adc samples at accepted points: late by less than a step.
  const std::vector<double> out{25.5e-9, 74.5e-9}, low{25.75e-9, 74.25e-9};
  const auto o = level_crossings(t, "v(out)", 2), l = level_crossings(t, "v(low)", 1);
  ASSERT_EQ(o.size(), 2u);
  ASSERT_EQ(l.size(), 2u);
  for (std::size_t k = 0; k < 2; ++k) {
    EXPECT_EQ(o[k].rising, k == 0);
    EXPECT_EQ(l[k].rising, k == 1);
    EXPECT_GE(o[k].t, out[k] - 1e-15);
    EXPECT_LE(o[k].t, out[k] + 0.1e-9);
    EXPECT_NEAR(l[k].t - o[k].t, low[k] - out[k], 1e-15);
  }
  EXPECT_NEAR(*std::max_element(t.col("v(low)").begin(), t.col("v(low)").end()), 4, 1e-9);
  const Table theirs = plot(run_ngspice(deck_file("digital_auto_bridge.cir")), "Transient");
  const double shift = std::max(edge_shift(t, theirs, "v(out)", 2), edge_shift(t, theirs, "v(low)", 1));
  std::cout << "[ngspice] auto-bridges: edges " << o[0].t - out[0] << " s late (rise), max |ns - ng| " << shift
            << " s\n";
  // Measured 1.2e-10 s: where each samples vin's crossing.
  EXPECT_LE(shift, 0.3e-9);
}

TEST(Digital, OscillatorsFollowThePhaseIntegral) {
  const auto run = run_neurospice(deck_file("digital_osc.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  // d_osc: f = 1 MHz (1 + t / 2 us) until 4 us, 3 MHz after; phase (cycles) = 1/8 +
  // 1e6 (t + t^2 / 4 us), then 8 + 1/8 + 3e6 (t - 4 us). It rises where the phase's
  // fraction reaches 1 - duty = 0.7, falls at whole cycles, 2 ns / 5 ns later; the dac
  // crosses 0.5 V 0.5 ps into its 1 ps ramps.
  auto osc_time = [](double phase) {
    const double p = phase - 0.125;
    return p <= 8 ? 2e-6 * (std::sqrt(1 + p) - 1) : 4e-6 + (p - 8) / 3e6;
  };
  // d_pwm: phase = 1/8 + 1e6 t, duty 0.5 + 0.4 c with c = -1 + t / 5 us: it rises where
  // phase + duty is whole, at t = (k - 0.225) / 1.08 MHz, and falls at whole cycles.
  std::vector<double> d_expected, p_expected;
  for (int k = 1; k <= 22; ++k)
    for (double at : {osc_time(k - 0.3) + 2e-9, osc_time(k) + 5e-9}) d_expected.push_back(at + 0.5e-12);
  for (int k = 1; k <= 10; ++k)
    for (double at : {(k - 0.225) / 1.08e6 + 2e-9, (k - 0.125) / 1e6 + 5e-9}) p_expected.push_back(at + 0.5e-12);
  double worst = 0;
  for (const auto& [vector, expected] : {std::pair{"v(yd)", d_expected}, std::pair{"v(yp)", p_expected}}) {
    const auto e = level_crossings(t, vector, 0.5);
    ASSERT_GE(e.size(), expected.size()) << vector;
    for (std::size_t k = 0; k < expected.size(); ++k) {
      EXPECT_EQ(e[k].rising, k % 2 == 0) << vector << " edge " << k;
      worst = std::max(worst, std::abs(e[k].t - expected[k]));
    }
  }
  const Table theirs = plot(run_ngspice(deck_file("digital_osc.cir")), "Transient");
  double ng = 0;
  for (const auto& [vector, expected] : {std::pair{"v(yd)", d_expected}, std::pair{"v(yp)", p_expected}}) {
    const auto e = level_crossings(theirs, vector, 0.5);
    for (std::size_t k = 0; k < std::min(e.size(), expected.size()); ++k) ng = std::max(ng, std::abs(e[k].t - expected[k]));
  }
  std::cout << "[exact] d_osc, d_pwm edges: max error " << worst << " s (ngspice " << ng << " s)\n";
  // The phase is quadratic in t and the trapezoid rule exact on it; the transient stops at
  // each predicted edge. Measured 1e-15 s; ngspice's own steps put it 3.2 ns late.
  EXPECT_LE(worst, 1e-13);
  EXPECT_LE(ng, 4e-9);
}

TEST(Digital, StateMachineTakesItsTransitions) {
  const std::string deck = source_deck("digital_state.cir");
  const auto run = run_neurospice(deck, {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  // The clock (d_osc, 1 GHz, 1 ns delays) rises at 1.5 + k ns. State 0 (outputs 00) goes
  // to 1 (10) on a = 0, 1 back to 0 on b = 0: o1 toggles at each edge until a = b = 1 (7
  // ns); then 0 -> 2 (01), 2 -> 3 (11), 3 -> 0, 0 -> 2; b = 0 at 11 ns: 2 -> 0; a = U
  // matches nothing (12 to 14 ns); reset at 15.2 ns puts it back in 0 from 1 (0.2 ns
  // later). Outputs 0.1 ns after each edge, the dac's 0.5 V 0.05 ns into its ramp.
  const std::vector<double> y1{1.6, 2.6, 3.6, 4.6, 5.6, 6.6, 8.6, 9.6, 14.6, 15.4, 16.6, 17.6, 18.6, 19.6};
  const std::vector<double> y2{7.6, 9.6, 10.6, 11.6};
  const Table theirs = plot(run_ngspice(deck), "Transient");
  for (const auto& [vector, expected] : {std::pair{"v(y1)", y1}, std::pair{"v(y2)", y2}}) {
    for (const Table* table : {&run.table(), &theirs}) {
      const auto e = level_crossings(*table, vector, 0.5);
      ASSERT_EQ(e.size(), expected.size()) << vector;
      for (std::size_t k = 0; k < e.size(); ++k) {
        EXPECT_EQ(e[k].rising, k % 2 == 0) << vector << " edge " << k;
        EXPECT_NEAR(e[k].t, expected[k] * 1e-9 + 0.05e-9, 1e-15) << vector << " edge " << k;
      }
    }
  }
}

TEST(Digital, RamWritesAndReads) {
  const std::string deck = source_deck("digital_ram.cir");
  const auto run = run_neurospice(deck, {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  // Outputs 2 ns after each input change (read_delay), the dac 0.1 ns per volt: write 10
  // at 0 (shown at hi-impedance from 10 ns: still 1 0), read it at 20; write 01 at 1 (30
  // ns); deselected while writing at 50 ns: unchanged; read 2 (ic = 0) at 60, 0 at 70, 1
  // at 80; an unknown address reads U (0.5 V) at 90; deselected at 100: U.
  struct Expect {
    double t, y0, y1;
  };
  const std::vector<Expect> expected{{11e-9, 0, 0}, {13e-9, 1, 0}, {33e-9, 0, 1}, {63e-9, 0, 0},
                                     {73e-9, 1, 0}, {83e-9, 0, 1}, {93e-9, 0.5, 0.5}, {109e-9, 0.5, 0.5}};
  const Table theirs = plot(run_ngspice(deck), "Transient");
  for (const Table* table : {&run.table(), &theirs}) {
    std::vector<double> at;
    for (const Expect& e : expected) at.push_back(e.t);
    const auto y0 = interpolate(table->col("time"), table->col("v(y0)"), at);
    const auto y1 = interpolate(table->col("time"), table->col("v(y1)"), at);
    for (std::size_t k = 0; k < at.size(); ++k) {
      EXPECT_NEAR(y0[k], expected[k].y0, 1e-9) << (table == &theirs ? "ngspice" : "ours") << " at " << at[k];
      EXPECT_NEAR(y1[k], expected[k].y1, 1e-9) << (table == &theirs ? "ngspice" : "ours") << " at " << at[k];
    }
  }
  // The rising and falling edges of both, against ngspice's.
  const double shift = std::max(edge_shift(run.table(), theirs, "v(y0)", 0.75), edge_shift(run.table(), theirs, "v(y1)", 0.25));
  EXPECT_LE(shift, 1e-15);
}

}  // namespace
}  // namespace ns::test
