// The NbOx thermal neuron of devices.md §1 end to end: the example decks under
// netlists/nbox/ run as written and their behaviours asserted with numbers; the steady
// state against an independent fixed-point solve; the Fig. 2.7 circuit against ngspice
// with behavioural sources; energy per spike; tolerance independence near the hold point.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <string>

#include <fmt/format.h>

#include "support.hpp"

namespace ns::test {
namespace {

// Equations (2.1)-(2.2) with Table 2.1, written here independently of models/nbox_thermal.cpp.
constexpr double q_e = 1.602176634e-19, k_b = 1.380649e-23, tamb = 300, rth = 2040816;

double resistance(double v, double kelvin) {
  const double eps = 8.8541878128e-12 * 45, d = 31e-9, pi = 3.14159265358979;
  const double barrier = 0.215 * q_e - q_e * std::sqrt(q_e * std::abs(v) / (pi * eps * d));
  return 190 * std::exp(barrier / (k_b * kelvin));
}

// Root of a function increasing through zero on [lo, hi], by bisection.
double bisect(const std::function<double(double)>& f, double lo, double hi) {
  for (int k = 0; k < 200; ++k) {
    const double mid = 0.5 * (lo + hi);
    (f(mid) > 0 ? hi : lo) = mid;
  }
  return 0.5 * (lo + hi);
}

// The steady state at a driving current: V = I R(V, Tamb + Rth V I), solved for V.
double steady_voltage(double current) {
  return bisect([&](double v) { return v - current * resistance(v, tamb + rth * v * current); }, 0, 3);
}

std::string netlist(const std::string& name) { return read_text(std::string(NS_SOURCE_DIR) + "/netlists/nbox/" + name); }

Table run_ok(const std::string& deck, const std::vector<std::string>& args = {}) {
  const NeurospiceRun r = run_neurospice(deck, args);
  EXPECT_EQ(r.status, 0) << r.err;
  return r.table();
}

// Rising crossings of `level`, linearly interpolated.
std::vector<double> crossings(const Table& t, const std::string& col, double level) {
  const auto& x = t.col("time");
  const auto& y = t.col(col);
  std::vector<double> out;
  for (std::size_t k = 1; k < x.size(); ++k)
    if (y[k - 1] < level && y[k] >= level)
      out.push_back(x[k - 1] + (level - y[k - 1]) * (x[k] - x[k - 1]) / (y[k] - y[k - 1]));
  return out;
}
// A spike: the device temperature rising through 2000 K (it peaks at 3000-5500 K in a
// spike and stays below 1600 K on the hot fixed point).
std::vector<double> spikes(const Table& t, const std::string& device) {
  return crossings(t, "@" + device + "[t]", 2000);
}
std::vector<double> intervals(const std::vector<double>& s) {
  std::vector<double> d;
  for (std::size_t k = 1; k < s.size(); ++k) d.push_back(s[k] - s[k - 1]);
  return d;
}
double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); }

double column_min(const Table& t, const std::string& col) {
  const auto& c = t.col(col);
  return *std::min_element(c.begin(), c.end());
}

std::string fig27(const std::string& is, const std::string& cext, const std::string& tran,
                  const std::string& options = "") {
  return "Fig. 2.7 neuron\n.model nb nbox\nIs 0 a dc " + is + "\nCext a 0 " + cext +
         "\nN1 a b nb\nLext b c 700n\nRout c 0 25\n.probe v(a) v(b) @n1[t] @n1[i] @n1[p]\n" + options +
         "\n.tran " + tran + " uic\n.end\n";
}

TEST(NboxNeuron, CurrentSweepMatchesFixedPoints) {
  const Table t = run_ok(netlist("iv_current_sweep.cir"));
  const auto& is = t.col("is");
  const auto& va = t.col("v(a)");
  const auto& temp = t.col("@n1[t]");
  ASSERT_GT(t.rows(), 700u);
  double worst_v = 0, worst_t = 0;
  for (std::size_t k = 1; k < t.rows(); ++k) {
    const double v = steady_voltage(is[k]);
    worst_v = std::max(worst_v, std::abs(va[k] - v) / v);
    worst_t = std::max(worst_t, std::abs(temp[k] - (tamb + rth * v * is[k])) / temp[k]);
  }
  EXPECT_LT(worst_v, 1e-3);
  EXPECT_LT(worst_t, 1e-3);
  std::printf("current sweep: worst relative error v %.2e, T %.2e over %zu points\n", worst_v, worst_t, t.rows());

  // TS: the largest V on the curve; H: the smallest V above TS. Located by golden-section
  // on the independent solve, then compared with the sweep's own extremes.
  auto extreme = [](double lo, double hi, double sign) {
    const double g = 0.5 * (std::sqrt(5.0) - 1);
    for (int k = 0; k < 100; ++k) {
      const double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
      if (sign * steady_voltage(a) > sign * steady_voltage(b)) hi = b;
      else lo = a;
    }
    return 0.5 * (lo + hi);
  };
  const double i_ts = extreme(10e-6, 200e-6, 1), i_h = extreme(300e-6, 1.5e-3, -1);
  const double v_ts = steady_voltage(i_ts), v_h = steady_voltage(i_h);
  std::printf("TS: %.4g uA, %.5g V, %.4g K;  H: %.4g uA, %.5g V, %.4g K\n", i_ts * 1e6, v_ts,
              tamb + rth * v_ts * i_ts, i_h * 1e6, v_h, tamb + rth * v_h * i_h);
  EXPECT_NEAR(*std::max_element(va.begin(), va.end()), v_ts, 1e-4 * v_ts);
  const auto above = std::find_if(is.begin(), is.end(), [](double i) { return i > 300e-6; }) - is.begin();
  EXPECT_NEAR(*std::min_element(va.begin() + above, va.end()), v_h, 1e-4 * v_h);
}

TEST(NboxNeuron, VoltageSweepHysteresis) {
  const Table t = run_ok(netlist("iv_voltage_hysteresis.cir"));
  const auto& v1 = t.col("v1");
  const std::size_t top = std::max_element(v1.begin(), v1.end()) - v1.begin();
  ASSERT_EQ(top, 160u);
  // Independent fold voltages of the 250 Ohm load line: extremes of V1(I) = V(I) + 250 I.
  std::vector<double> load;
  for (double i = 20e-6; i < 1.2e-3; i += 0.5e-6) load.push_back(steady_voltage(i) + 250 * i);
  double up = 0, down = 0;
  for (std::size_t k = 1; k + 1 < load.size(); ++k) {
    if (load[k] > load[k - 1] && load[k] > load[k + 1]) up = load[k];
    if (load[k] < load[k - 1] && load[k] < load[k + 1]) down = load[k];
  }
  std::printf("250 Ohm load: switches on at %.4f V going up, off at %.4f V going down\n", up, down);
  ASSERT_GT(up, down);
  double worst_4k = 0;
  for (std::size_t k = 0; k <= top; ++k) {
    const std::size_t back = 2 * top - k;  // same V1 on the way down
    ASSERT_NEAR(v1[back], v1[k], 1e-12);
    worst_4k = std::max(worst_4k, std::abs(t.col("i(v4)")[back] - t.col("i(v4)")[k]));
    const double i_up = t.col("i(v2)")[k], i_down = t.col("i(v2)")[back];
    if (v1[k] < down - 0.005 || v1[k] > up + 0.005)
      EXPECT_NEAR(i_up, i_down, 1e-9) << "v1 = " << v1[k];
    else if (v1[k] > down + 0.005 && v1[k] < up - 0.005) {
      EXPECT_LT(i_up, 1e-4) << "cold on the way up, v1 = " << v1[k];
      EXPECT_GT(i_down, 5e-4) << "hot on the way down, v1 = " << v1[k];
    }
  }
  EXPECT_LT(worst_4k, 1e-9);  // no DC hysteresis through 4 kOhm (|NDR| <= 1.11 kOhm)
}

TEST(NboxNeuron, TonicSpikingAt335uA) {
  const Table t = run_ok(netlist("neuron_335u.cir"));
  const auto s = spikes(t, "n1");
  const auto isi = intervals(std::vector<double>(s.begin() + 1, s.end()));  // after the cold first one
  ASSERT_GE(isi.size(), 40u);
  const double period = mean(isi);
  double spread = 0;
  for (double d : isi) spread = std::max(spread, std::abs(d - period) / period);
  std::printf("335 uA: %zu spikes in 20 us, period %.2f ns, max deviation %.3f%%\n", s.size(), period * 1e9, 100 * spread);
  EXPECT_LT(spread, 0.01);  // the period itself is checked against ngspice below
}

TEST(NboxNeuron, RestorationOnlyWithLargeInductance) {
  const Table t = run_ok(netlist("spike_180u_lext.cir"));
  for (const char* n : {"n0", "n1", "n7"}) EXPECT_EQ(spikes(t, n).size(), 1u) << n;
  const double b0 = column_min(t, "v(b0)"), b1 = column_min(t, "v(b1)"), b7 = column_min(t, "v(b7)");
  std::printf("180 uA: min v(b) = %.3g V (Lext 0), %.3g V (100 nH), %.3g V (700 nH)\n", b0, b1, b7);
  EXPECT_GE(b0, -1e-9);
  EXPECT_GT(b1, -1e-3);  // a trace: about -0.1 mV
  EXPECT_LT(b7, -0.01);  // restoration: about -23 mV
}

TEST(NboxNeuron, RampSilentThenFasterSpikes) {
  const Table t = run_ok(netlist("ramp_0_680u.cir"));
  const auto s = spikes(t, "n1");
  ASSERT_GT(s.size(), 100u);
  // Silent while the input is below threshold TS (44 uA, reached at 6.5 us).
  EXPECT_GT(s.front(), 6.5e-6);
  const auto isi = intervals(s);
  const double early = mean(std::vector<double>(isi.begin(), isi.begin() + 5));
  const double late = mean(std::vector<double>(isi.end() - 5, isi.end()));
  std::printf("ramp: first spike %.2f us, %zu spikes, early ISI %.0f ns, late ISI %.0f ns\n", s.front() * 1e6,
              s.size(), early * 1e9, late * 1e9);
  EXPECT_GT(early, 4 * late);
  for (std::size_t k = 5; k < isi.size(); k += 5) EXPECT_LT(isi[k], isi[k - 5]) << "spike " << k;
}

TEST(NboxNeuron, LatencySpikeAfterPulse) {
  const Table t = run_ok(netlist("latency_193u.cir"));
  const auto s = spikes(t, "n1");
  ASSERT_EQ(s.size(), 1u);
  std::printf("latency: spike at %.1f ns, input back to 0 at 1100 ns\n", s[0] * 1e9);
  EXPECT_GT(s[0], 1.1e-6);
}

TEST(NboxNeuron, AllOrNothing) {
  const Table t = run_ok(netlist("all_or_nothing.cir"));
  EXPECT_EQ(spikes(t, "na").size(), 0u);
  EXPECT_LT(*std::max_element(t.col("@na[i]").begin(), t.col("@na[i]").end()), 50e-6);
  EXPECT_EQ(spikes(t, "nb").size(), 1u);
}

TEST(NboxNeuron, TemporalIntegration) {
  const Table t = run_ok(netlist("temporal_integration.cir"));
  const auto slow = spikes(t, "ns"), fast = spikes(t, "nf"), slow75 = spikes(t, "ns75"), fast75 = spikes(t, "nf75");
  std::printf("100 uA: slow train spikes %zu (first %.2f us), fast %zu (first %.2f us); 75 uA: slow %zu, fast %zu\n",
              slow.size(), slow.empty() ? 0 : slow[0] * 1e6, fast.size(), fast.empty() ? 0 : fast[0] * 1e6,
              slow75.size(), fast75.size());
  // 100 uA: both integrate to a spike on the third pulse (the thesis has none for the slow train).
  ASSERT_EQ(fast.size(), 1u);
  ASSERT_EQ(slow.size(), 1u);
  EXPECT_GT(fast[0], 2.86e-6);
  EXPECT_GT(slow[0], 5.72e-6);
  // 75 uA: only the closely spaced pulses add up to a spike.
  EXPECT_EQ(slow75.size(), 0u);
  ASSERT_EQ(fast75.size(), 1u);
  EXPECT_GT(fast75[0], 2.86e-6);
}

TEST(NboxNeuron, ReducedModelNearHold) {
  const Table t = run_ok(netlist("reduced_hopf.cir"));
  auto swing_at_end = [&](const std::string& col) {
    const auto& x = t.col("time");
    const auto& y = t.col(col);
    double lo = INFINITY, hi = -INFINITY;
    for (std::size_t k = 0; k < x.size(); ++k)
      if (x[k] > 15e-6) lo = std::min(lo, y[k]), hi = std::max(hi, y[k]);
    return hi - lo;
  };
  // Without Lext the hot fixed point is approached by a ringing that overshoots 2000 K,
  // so here a spike is v(a) charging up through 0.9 V (the fixed point is near 0.63 V).
  std::size_t n[5];
  for (int k = 0; k < 5; ++k) n[k] = crossings(t, "v(a" + std::to_string(k + 1) + ")", 0.9).size();
  std::printf("reduced: spikes in 20 us at 0.9 / 0.958 / 0.96 / 0.96702 / 1.1 mA: %zu %zu %zu %zu %zu\n", n[0], n[1],
              n[2], n[3], n[4]);
  EXPECT_GT(n[0], 100u);
  EXPECT_GT(swing_at_end("v(a1)"), 0.3);
  EXPECT_GT(n[1], 100u);
  EXPECT_EQ(n[2], 5u);
  EXPECT_EQ(n[3], 1u);
  EXPECT_EQ(n[4], 1u);
  for (const char* c : {"v(a3)", "v(a4)", "v(a5)"}) EXPECT_LT(swing_at_end(c), 1e-6) << c;
}

TEST(NboxNeuron, VoltageDriven) {
  const Table t = run_ok(netlist("voltage_driven_1p52.cir"));
  // Cd alone: settles where the 4 kOhm load line meets the steady-state curve.
  const double i_fixed = bisect([](double i) { return steady_voltage(i) + 4000 * i - 1.52; }, 50e-6, 400e-6);
  EXPECT_EQ(crossings(t, "@n1[i]", 1e-3).size(), 0u);
  EXPECT_NEAR(t.col("@n1[i]").back(), i_fixed, 1e-3 * i_fixed);
  const auto s = crossings(t, "@n2[i]", 1e-3);  // current spikes; the fixed point is 0.19 mA
  ASSERT_GE(s.size(), 5u);
  const auto isi = intervals(s);
  for (double d : isi) EXPECT_NEAR(d, mean(isi), 0.01 * mean(isi));
  std::printf("1.52 V: fixed point %.2f uA with Cd only; with 10 pF, period %.2f ns\n", i_fixed * 1e6, mean(isi) * 1e9);
}

// Source energy per spike, over whole periods after the first spike, and the same energy
// counted where it goes (device Joule heat plus Rout); Cext's energy returns each period.
struct Energy {
  double source, dissipated;
  std::size_t periods;
};
Energy energy_per_spike(const Table& t, double is) {
  const auto s = spikes(t, "n1");
  const auto& x = t.col("time");
  const auto& va = t.col("v(a)");
  const auto& p = t.col("@n1[p]");
  const auto& i = t.col("@n1[i]");
  const double from = s[1], to = s.back();
  double source = 0, dissipated = 0;
  for (std::size_t k = 1; k < x.size(); ++k) {
    const double lo = std::max(x[k - 1], from), hi = std::min(x[k], to);
    if (hi <= lo) continue;
    const double w = (hi - lo) / (x[k] - x[k - 1]);  // partial first and last intervals
    source += w * 0.5 * is * (va[k] + va[k - 1]) * (x[k] - x[k - 1]);
    dissipated += w * 0.5 * (p[k] + p[k - 1] + 25 * (i[k] * i[k] + i[k - 1] * i[k - 1])) * (x[k] - x[k - 1]);
  }
  const double n = double(s.size() - 2);
  return {source / n, dissipated / n, s.size() - 2};
}

TEST(NboxNeuron, EnergyPerSpike) {
  // 335 uA; Cext 200 pF (thesis about 80 pJ) and 10 pF (about 8 pJ). Dense output rows
  // (--every-step) so the trapezoid sums resolve the few-ns spikes.
  const Table big = run_ok(fig27("335u", "200p", "5n 10u"), {"--every-step"});
  const Table small = run_ok(fig27("335u", "10p", "1n 2u"), {"--every-step"});
  const Energy e200 = energy_per_spike(big, 335e-6), e10 = energy_per_spike(small, 335e-6);
  std::printf("energy per spike at 335 uA: %.1f pJ (200 pF, %zu periods), %.2f pJ (10 pF, %zu periods); "
              "dissipated %.1f / %.2f pJ\n", e200.source * 1e12, e200.periods, e10.source * 1e12, e10.periods,
              e200.dissipated * 1e12, e10.dissipated * 1e12);
  EXPECT_NEAR(e200.dissipated, e200.source, 0.01 * e200.source);
  EXPECT_NEAR(e10.dissipated, e10.source, 0.01 * e10.source);
  // Same order as the thesis' 80 pJ and 8 pJ (this model: 87 and 12 pJ, see the report).
  EXPECT_GT(e200.source, 50e-12);
  EXPECT_LT(e200.source, 150e-12);
  EXPECT_GT(e10.source, 5e-12);
  EXPECT_LT(e10.source, 15e-12);
}

TEST(NboxNeuron, SpikePeriodAgreesWithNgspice) {
  // The same circuit in ngspice, as behavioural sources (the deck the benchmarks use).
  const std::string ng = "Fig. 2.7 neuron, behavioural NbOx\n" +
                         read_text(std::string(NS_SOURCE_DIR) + "/bench/nbox/fig27_neuron_ngspice.inc") +
                         ".tran 1n 5u uic\n.end\n";
  const Table theirs = plot(run_ngspice(ng), "Transient");
  std::vector<double> ng_spikes;
  {
    const auto& x = theirs.col("time");
    const auto& y = theirs.col("v(dt)");
    for (std::size_t k = 1; k < x.size(); ++k)
      if (y[k - 1] < 1700 && y[k] >= 1700)
        ng_spikes.push_back(x[k - 1] + (1700 - y[k - 1]) * (x[k] - x[k - 1]) / (y[k] - y[k - 1]));
  }
  const Table ours = run_ok(fig27("335u", "200p", "1n 5u"));
  const auto ns_spikes = spikes(ours, "n1");
  ASSERT_GE(ng_spikes.size(), 10u);
  ASSERT_GE(ns_spikes.size(), 10u);
  auto period = [](const std::vector<double>& s) { return (s.back() - s[1]) / double(s.size() - 2); };
  std::printf("335 uA period: neurospice %.2f ns (%zu spikes), ngspice %.2f ns (%zu spikes)\n", period(ns_spikes) * 1e9,
              ns_spikes.size(), period(ng_spikes) * 1e9, ng_spikes.size());
  EXPECT_NEAR(period(ns_spikes), period(ng_spikes), 0.01 * period(ng_spikes));
  EXPECT_NEAR(ns_spikes[0], ng_spikes[0], 0.01 * ng_spikes[0]);  // the cold-start latency too
}

// Character of the response: number of spikes and the mean interval of the last ten.
struct Character {
  std::size_t spikes;
  double period;
};
Character character(const std::string& is, const std::string& options) {
  const Table t = run_ok(fig27(is, "200p", "2n 20u", options));
  const auto s = spikes(t, "n1");
  const double period = s.size() > 11 ? (s.back() - s[s.size() - 11]) / 10 : 0;
  return {s.size(), period};
}

TEST(NboxNeuron, NearHoldIndependentOfTolerance) {
  // The Fig. 2.7 neuron stops spiking near 0.911 mA (a fold of the spiking
  // cycle; the steady-state hold point H is 0.957 mA). Either side of that edge the
  // result keeps its character when every tolerance is tightened 100 times.
  const std::string tight = ".options reltol=1e-5 abstol=1e-14 vntol=1e-8";
  for (const char* is : {"0.9m", "0.905m", "0.93m", "0.95m"}) {
    const Character loose = character(is, ""), strict = character(is, tight);
    std::printf("%s: %zu spikes, period %.3f ns (default); %zu spikes, period %.3f ns (100x tighter)\n", is,
                loose.spikes, loose.period * 1e9, strict.spikes, strict.period * 1e9);
    EXPECT_NEAR(double(loose.spikes), double(strict.spikes), 1.0) << is;
    EXPECT_NEAR(loose.period, strict.period, 0.002 * strict.period + 1e-15) << is;
  }
  // Closer to the edge (0.908-0.910 mA; spiking ends near 0.911 mA) reltol 1e-3 is not
  // enough: the run drifts off the cycle and stops after a few spikes (see the report);
  // reltol 1e-4 and 1e-6 agree there, both spiking to the end.
  const Character a = character("0.91m", ".options reltol=1e-4"), b = character("0.91m", ".options reltol=1e-6 abstol=1e-14 vntol=1e-8");
  std::printf("0.91m: %zu spikes (reltol 1e-4), %zu spikes (1e-6)\n", a.spikes, b.spikes);
  EXPECT_GT(a.spikes, 90u);
  EXPECT_NEAR(double(a.spikes), double(b.spikes), 1.0);
  EXPECT_NEAR(a.period, b.period, 0.002 * b.period);
}

// Spike-time error at default tolerances against network size (issue 16; the sweep is
// bench/errnorm_vs_n.py): one spiking neuron (322.7 uA) beside N - 1 quiet ones (100 uA,
// below threshold), uncoupled, so the active neuron's exact trajectory does not depend on
// N and one reference at reltol 1e-7 serves every N. IDA's weighted RMS error norm lets
// one active unknown among N quiet ones carry sqrt(N) times a lone one's error (measured
// with errnorm=rms: 1.91 / 7.44 / 16.0 ns for N = 1 / 10 / 100); each unknown tested on
// its own (errnorm=max, the default) the error must not grow with N.
std::string quiet_network(int n, const std::string& options) {
  std::string deck = fmt::format("one active NbOx neuron and {} quiet ones\n.model nb nbox\n", n - 1);
  for (int k = 0; k < n; ++k)
    deck += fmt::format("Is{0} 0 a{0} dc {1}\nCext{0} a{0} 0 200p\nN{0} a{0} b{0} nb\nLext{0} b{0} c{0} 700n\n"
                        "Rout{0} c{0} 0 25\n",
                        k, k == 0 ? "322.6683u" : "100u");
  return deck + options + "\n.probe @n0[t]\n.tran 1n 5u uic\n.end\n";
}

// The largest distance from a spike of one list to the nearest of the other, both ways.
double spike_distance(const std::vector<double>& a, const std::vector<double>& b) {
  auto one_way = [](const std::vector<double>& x, const std::vector<double>& y) {
    double worst = 0;
    for (double s : x) {
      double nearest = INFINITY;
      for (double r : y) nearest = std::min(nearest, std::abs(s - r));
      worst = std::max(worst, nearest);
    }
    return worst;
  };
  return std::max(one_way(a, b), one_way(b, a));
}

TEST(NboxNeuron, SpikeTimeErrorDoesNotGrowWithQuietNeurons) {
  const auto reference = spikes(run_ok(quiet_network(1, ".options reltol=1e-7 abstol=1e-16 vntol=1e-10"),
                                       {"--every-step"}), "n0");
  ASSERT_GE(reference.size(), 3u);
  std::vector<double> errors;
  for (int n : {1, 10, 100, 1000}) {
    const auto s = spikes(run_ok(quiet_network(n, ""), {"--every-step"}), "n0");
    errors.push_back(spike_distance(s, reference));
    std::printf("N = %d: %zu spikes (reference %zu), spike-time error %.4f ns\n", n, s.size(), reference.size(),
                errors.back() * 1e9);
    EXPECT_EQ(s.size(), reference.size()) << n;
  }
  // Measured (5 us, 13 spikes): 0.032 / 0.120 / 0.120 / 0.120 ns for N = 1 / 10 / 100 /
  // 1000 (bench/errnorm_vs_n.py over 10 us: 0.064 / 0.313 / 0.313 / 0.313 ns), the quiet
  // neurons taking the same steps from N = 10 on (17254 over 10 us). The RMS
  // norm's sqrt(N) would be 3.2x per decade; beyond N = 10 the error must stay that of
  // N = 10, and every N within issue 20's 0.5 ns.
  for (std::size_t k = 0; k < errors.size(); ++k) EXPECT_LE(errors[k], 0.5e-9) << k;
  EXPECT_LE(errors[2], 1.5 * errors[1]);
  EXPECT_LE(errors[3], 1.5 * errors[1]);
}

}  // namespace
}  // namespace ns::test
