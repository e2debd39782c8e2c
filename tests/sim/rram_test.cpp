// HfOx RRAM (hfox) and the 1T1R cell (hfox1t1r) end to end: the gap against an
// independent RK4 integration of the model's equations, set/reset polarity, the
// transistor's compliance, the shipped Table 4.1 sequence, and crossbar reads.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>

#include "sim/support.hpp"

namespace ns::test {
namespace {

const std::string card = std::string(NS_SOURCE_DIR) + "/netlists/rram/hfox_card.lib";

// The model equations, written out here again (see models/hfox_rram.cpp's header).
struct Rram {
  double i0 = 1e-3, g0 = 0.25e-9, v0 = 0.25, vel0 = 10, ea = 0.6, a0 = 0.25e-9, tox = 10e-9,
         gamma0 = 16, beta = 0.8, g1 = 1e-9, rth = 4e5, t0 = 298, gmin = 0.2e-9, gmax = 2.2e-9,
         dg = 0.02e-9;
  double current(double v, double gap_nm) const {
    return i0 * std::exp(-gap_nm * 1e-9 / g0) * std::sinh(v / v0);
  }
  double rate_nm(double v, double gap_nm) const {  // dg/dt in nm/s
    const double g = gap_nm * 1e-9;
    const double t = t0 + rth * v * current(v, gap_nm);
    const double kt = 8.617333262e-5 * t;
    const double gamma = gamma0 - beta * std::pow(g / g1, 3);
    auto w = [&](double x) { return x > 0 ? 1 - std::exp(-(x / dg) * (x / dg)) : 0.0; };
    const double h = 0.5 * (1 + std::tanh(v / 0.01));
    return -vel0 * std::exp(-ea / kt) * std::sinh(a0 / tox * gamma * v / kt) *
           (h * w(g - gmin) + (1 - h) * w(gmax - g)) * 1e9;
  }
};

// A trapezoidal pulse: 0 until td, edges tr, top `amp` for pw.
double pulse(double t, double amp, double td, double tr, double pw) {
  if (t <= td) return 0;
  if (t <= td + tr) return amp * (t - td) / tr;
  if (t <= td + tr + pw) return amp;
  if (t <= td + 2 * tr + pw) return amp * (1 - (t - td - tr - pw) / tr);
  return 0;
}

// RK4 with a fixed tiny step; returns the gap at each time of `at` (sorted).
std::vector<double> rk4_gap(const Rram& m, double gap0, double amp, const std::vector<double>& at) {
  const double td = 1e-6, tr = 0.1e-6, pw = 4e-6, h = 1e-10;
  std::vector<double> out;
  double t = 0, g = gap0;
  for (double target : at) {
    while (t < target - 1e-15) {
      const double step = std::min(h, target - t);
      auto f = [&](double tt, double gg) { return m.rate_nm(pulse(tt, amp, td, tr, pw), gg); };
      const double k1 = f(t, g), k2 = f(t + step / 2, g + step / 2 * k1),
                   k3 = f(t + step / 2, g + step / 2 * k2), k4 = f(t + step, g + step * k3);
      g += step / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
      t += step;
    }
    out.push_back(g);
  }
  return out;
}

std::string single_deck(double gap_nm, double amp) {
  std::ostringstream d;
  d << "one hfox under a voltage pulse\n.include " << card << "\n"
    << "v1 a 0 pulse(0 " << amp << " 1u 0.1u 0.1u 4u 100u)\n"
    << "n1 a 0 hfox_card gap=" << gap_nm << "n\n"
    << ".options reltol=1e-6\n"
    << ".probe v(a) @n1[gap] @n1[i]\n.tran 0.1u 6u uic\n.end\n";
  return d.str();
}

TEST(RramSim, GapAndCurrentFollowAnIndependentIntegration) {
  const Rram m;
  for (auto [gap0, amp] : {std::pair{1.8, 0.95}, std::pair{0.9, -0.75}}) {
    const auto run = run_neurospice(single_deck(gap0, amp));
    ASSERT_EQ(run.status, 0) << run.err;
    const Table& t = run.table();
    const auto ref = rk4_gap(m, gap0, amp, t.col("time"));
    const auto& gap = t.col("@n1[gap]");
    const double change = std::abs(ref.back() - gap0);
    double worst_gap = 0, worst_i = 0;
    for (std::size_t k = 0; k < t.rows(); ++k) {
      worst_gap = std::max(worst_gap, std::abs(gap[k] - ref[k]));
      const double iref = m.current(t.col("v(a)")[k], ref[k]);
      worst_i = std::max(worst_i, std::abs(t.col("@n1[i]")[k] - iref) / (std::abs(iref) + 1e-12));
    }
    std::cout << "[rram] pulse " << amp << " V from " << gap0 << " nm: gap " << gap0 << " -> "
              << ref.back() << " nm (RK4), max |gap - RK4| " << worst_gap
              << " nm, max relative current error " << worst_i << "\n";
    EXPECT_GT(change, 0.05) << "the pulse should move the gap";
    EXPECT_LE(worst_gap, 1e-3 * change);
    EXPECT_LE(worst_i, 2e-3);
  }
}

TEST(RramSim, PositiveVoltageSetsNegativeResets) {
  const auto set = run_neurospice(single_deck(1.5, 1.0));
  const auto reset = run_neurospice(single_deck(1.5, -1.0));
  ASSERT_EQ(set.status, 0) << set.err;
  ASSERT_EQ(reset.status, 0) << reset.err;
  const double gs = set.table().col("@n1[gap]").back(), gr = reset.table().col("@n1[gap]").back();
  std::cout << "[rram] from 1.5 nm: +1 V -> " << gs << " nm, -1 V -> " << gr << " nm\n";
  EXPECT_LT(gs, 1.5 - 0.05);
  EXPECT_GT(gr, 1.5 + 0.05);
}

// Set through the transistor at several gate voltages: the RRAM current never exceeds
// the level-1 saturation current beta/2 (V_g - vto)^2 (lambda = 0 on the card) beyond the
// solver's tolerance, and the
// LRS read afterwards falls as V_g rises.
TEST(RramSim, SetCurrentIsLimitedByTheTransistor) {
  const double beta = 120e-6 * 1.0 / 2.0, vto = 1.5;
  double previous_r = INFINITY;
  for (double vg : {2.3, 2.5, 2.8, 3.2}) {
    std::ostringstream d;
    d << "1T1R set\n.include " << card << "\n"
      << "vbl bl 0 pwl(0 0 1u 0 1.05u 2.0 51u 2.0 51.05u 0 55u 0 55.05u 0.2)\n"
      << "vwl wl 0 pwl(0 0 1u 0 1.05u " << vg << " 51u " << vg << " 51.05u 0 55u 0 55.05u 3)\n"
      << "n1 wl bl 0 hfox1t1r_card gap=2.2n\n"
      << ".options reltol=1e-6\n"
      << ".probe @n1[i] @n1[g] @n1[gap]\n.tran 1u 60u uic\n.end\n";
    const auto run = run_neurospice(d.str(), {"--every-step"});
    ASSERT_EQ(run.status, 0) << run.err;
    const Table& t = run.table();
    const double limit = beta / 2 * (vg - vto) * (vg - vto);
    double peak = 0;
    for (std::size_t k = 0; k < t.rows(); ++k)
      if (t.col("time")[k] < 51e-6) peak = std::max(peak, t.col("@n1[i]")[k]);
    const double r = 1 / t.col("@n1[g]").back();
    std::cout << "[rram] set at V_g " << vg << ": peak " << peak << " A, saturation " << limit
              << " A, LRS " << r << " ohm\n";
    // The internal node's KCL holds to the integrator's tolerance (reltol 1e-6 here).
    EXPECT_LE(peak, limit * (1 + 1e-5));
    EXPECT_GT(peak, 0.9 * limit) << "the set should reach compliance";
    EXPECT_LT(r, previous_r);
    previous_r = r;
  }
}

// The shipped Table 4.1 deck: forming ~30 kOhm, HRS >= 10x LRS, weak resets lower G at
// every pulse.
TEST(RramSim, ProgrammingSequenceOfTheShippedDeck) {
  const std::string deck = read_text(std::string(NS_SOURCE_DIR) + "/netlists/rram/program_1t1r.cir");
  const auto run = run_neurospice(std::regex_replace(deck, std::regex("hfox_card\\.lib"), card));
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  auto g_at = [&](double time) { return interpolate(t.col("time"), t.col("@n1[g]"), {time})[0]; };
  const double formed = 1 / g_at(110e-6), hrs = 1 / g_at(220e-6), lrs = 1 / g_at(380e-6);
  std::cout << "[rram] formed " << formed << " ohm, HRS " << hrs << " ohm, LRS " << lrs << " ohm\n";
  EXPECT_GT(formed, 25e3);
  EXPECT_LT(formed, 45e3);
  EXPECT_GE(hrs, 10 * lrs);
  double previous = g_at(650e-6);
  std::vector<double> g;
  for (int k = 0; k < 500; ++k) {
    const double now = g_at(700e-6 + k * 105e-6 + 90e-6);
    EXPECT_LT(now, previous) << "pulse " << k + 1;
    previous = now;
    g.push_back(now);
  }
  std::cout << "[rram] weak reset G: pulse 1 " << g[0] << ", 100 " << g[99] << ", 200 " << g[199]
            << ", 500 " << g[499] << " S\n";
}

// One weak-reset pulse (the bench's xbar_pulse drive: 0.9 V on the source line for 0.6 us,
// 10 ns edges) on three 1T1R cells at default tolerances: each gap's change within reltol
// (1e-3) of itself, against the same deck at reltol 1e-8. The change is 1.3-3.6e-3 nm, a
// few times the gap's own tolerance (reltol |g|), so this asks that the integrator's error
// stay well inside it; when IDA's start-up phase took order 5 across the falling edge
// (integrator.cpp, start_up) the gaps moved back against their rate: 3.5-4 % off.
TEST(RramSim, WeakResetPulseAtDefaultTolerances) {
  auto deck = [&](const std::string& options) {
    std::ostringstream d;
    d << "three 1T1R cells, one weak reset\n.include " << card << "\n"
      << "vwl wl 0 dc 4.5\nvsl sl 0 pulse(0 0.9 0.1u 10n 10n 0.6u 10u)\n"
      << "n1 wl 0 sl hfox1t1r_card gap=1.3n\nn2 wl 0 sl hfox1t1r_card gap=1.6n\n"
      << "n3 wl 0 sl hfox1t1r_card gap=1.9n\n" << options
      << ".probe @n1[gap] @n2[gap] @n3[gap]\n.tran 10n 1u uic\n.end\n";
    return d.str();
  };
  const auto run = run_neurospice(deck(""));
  const auto tight = run_neurospice(deck(".options reltol=1e-8\n"));
  ASSERT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(tight.status, 0) << tight.err;
  for (const std::string name : {"@n1[gap]", "@n2[gap]", "@n3[gap]"}) {
    const auto& g = run.table().col(name);
    const auto& ref = tight.table().col(name);
    const double change = ref.back() - ref.front();
    const double error = (g.back() - g.front() - change) / change;
    std::cout << "[rram] weak reset, " << name << " from " << ref.front() << " nm: change " << change
              << " nm (reltol 1e-8), default tolerances off by " << error << " of it\n";
    EXPECT_GT(change, 1e-3) << "the pulse should widen the gap";
    EXPECT_LE(std::abs(error), 1e-3);
  }
}

// The shipped Table 4.1 deck at its default tolerances: after its 500 weak resets the
// read conductance within reltol (1e-3) of the same deck at reltol 1e-6. Each pulse moves
// G by ~0.5 %, so a per-pulse error adds up: 4.6 % when IDA's start-up phase took order 5
// across each pulse's falling edge (integrator.cpp, start_up).
TEST(RramSim, ShippedDeckAfter500WeakResetsAtDefaultTolerances) {
  const std::string deck = std::regex_replace(
      read_text(std::string(NS_SOURCE_DIR) + "/netlists/rram/program_1t1r.cir"), std::regex("hfox_card\\.lib"), card);
  const auto run = run_neurospice(deck);
  const auto tight = run_neurospice(std::regex_replace(deck, std::regex("\\.end"), ".options reltol=1e-6\n.end"));
  ASSERT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(tight.status, 0) << tight.err;
  const double g = run.table().col("@n1[g]").back(), ref = tight.table().col("@n1[g]").back();
  std::cout << "[rram] G after 500 weak resets: " << g << " S, at reltol 1e-6 " << ref << " S (relative error "
            << g / ref - 1 << ")\n";
  EXPECT_LE(std::abs(g / ref - 1), 1e-3);
}

// Crossbar read with ideal wires: every column current equals sum_i G_ij V_i, with G_ij
// from a single-cell operating point at the same gap and voltage.
TEST(RramSim, CrossbarColumnCurrentsAreSumsOfCellCurrents) {
  TempDir dir;
  const auto deck_path = dir.path() / "xbar.cir";
  const std::string gen = std::string(NS_SOURCE_DIR) + "/tools/gen_crossbar";
  ASSERT_EQ(std::system(("python3 " + gen + " 6 5 > " + deck_path.string()).c_str()), 0);
  const std::string deck = read_text(deck_path);
  const auto run = run_neurospice(deck);
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();

  std::map<int, double> vin;
  std::map<std::pair<int, int>, std::string> gap;
  std::smatch m;
  std::istringstream lines(deck);
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_match(line, m, std::regex("vrow_(\\d+) \\S+ 0 dc (\\S+)")))
      vin[std::stoi(m[1])] = std::stod(m[2]);
    if (std::regex_match(line, m, std::regex("n_(\\d+)_(\\d+) .* gap=(\\S+)")))
      gap[{std::stoi(m[1]), std::stoi(m[2])}] = m[3];
  }
  ASSERT_EQ(gap.size(), 30u);

  std::map<std::pair<std::string, double>, double> cell_current;  // (gap, V) -> A
  auto single = [&](const std::string& g, double v) {
    auto key = std::pair{g, v};
    if (!cell_current.count(key)) {
      std::ostringstream d;
      d << "one cell\n.include " << card << "\nvwl wl 0 3\nvin in 0 " << v
        << "\nn1 wl in 0 hfox1t1r_card gap=" << g << "\n.probe i(vin)\n.op\n.end\n";
      const auto r = run_neurospice(d.str());
      EXPECT_EQ(r.status, 0) << r.err;
      cell_current[key] = -r.table().col("i(vin)")[0];
    }
    return cell_current[key];
  };
  double worst = 0;
  for (int j = 0; j < 5; ++j) {
    double sum = 0;
    for (int i = 0; i < 6; ++i) sum += single(gap[{i, j}], vin[i]);  // G_ij V_i
    const double column = t.col("i(vcol_" + std::to_string(j) + ")")[0];  // into vcol's +: the column's current
    worst = std::max(worst, std::abs(column - sum) / std::abs(sum));
  }
  std::cout << "[rram] 6x5 crossbar, ideal wires: max relative |I_col - sum G V| = " << worst << "\n";
  EXPECT_LE(worst, 1e-6);
}

// A 16x16 crossbar's weak pulse (tools/gen_crossbar, the bench's xbar_pulse) at default
// tolerances: every cell's gap at 1 us against the same deck at reltol 1e-7, relative to
// the largest gap change. A gap's own tolerance, reltol |gap| ~ 1.5e-3 nm, is near the
// pulse's whole change; its accuracy comes from the error test of the cells' algebraic
// node voltages and currents. Measured 1.3e-5; with those tests loosened to what the gaps
// pass on to them (engine/algebraic_tolerance.hpp without its high-gain threshold),
// 9.9e-5. ngspice at its defaults, on 16 of the cells: 1.75e-3 (bench/RESULTS.md).
TEST(RramSim, CrossbarPulseGapsAtDefaultTolerances) {
  TempDir dir;
  const auto deck_path = dir.path() / "xbar.cir";
  const std::string gen = std::string(NS_SOURCE_DIR) + "/tools/gen_crossbar";
  ASSERT_EQ(std::system(("python3 " + gen + " 16 16 --analysis pulse > " + deck_path.string()).c_str()), 0);
  std::string probes = ".probe";
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 16; ++j) probes += " @n_" + std::to_string(i) + "_" + std::to_string(j) + "[gap]";
  const std::string deck = std::regex_replace(read_text(deck_path), std::regex("\\.probe[^\n]*"), probes);
  const auto run = run_neurospice(deck);
  const auto tight = run_neurospice(std::regex_replace(deck, std::regex("\\.end"), ".options reltol=1e-7\n.end"));
  ASSERT_EQ(run.status, 0) << run.err;
  ASSERT_EQ(tight.status, 0) << tight.err;
  double change = 0, worst = 0;
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 16; ++j) {
      const std::string name = "@n_" + std::to_string(i) + "_" + std::to_string(j) + "[gap]";
      const auto& ref = tight.table().col(name);
      change = std::max(change, std::abs(ref.back() - ref.front()));
      worst = std::max(worst, std::abs(run.table().col(name).back() - ref.back()));
    }
  std::cout << "[rram] 16x16 pulse: largest gap change " << change << " nm, max |gap - reltol 1e-7| "
            << worst / change << " of it\n";
  EXPECT_GT(change, 1e-3);
  EXPECT_LE(worst, 5e-5 * change);
}

}  // namespace
}  // namespace ns::test
