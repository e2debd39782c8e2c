// The example decks of netlists/behavioural/ written from published equations, unchanged
// through ngspice and neurospice. (Their expect lines check them against closed forms in
// good_decks.cpp.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

std::string deck_at(const std::string& path) { return read_text(std::string(NS_SOURCE_DIR) + "/" + path); }

// The times `y` rises through `level`, linearly interpolated between rows.
std::vector<double> rising(const std::vector<double>& t, const std::vector<double>& y, double level) {
  std::vector<double> at;
  for (std::size_t k = 1; k < y.size(); ++k)
    if (y[k - 1] < level && y[k] >= level) at.push_back(t[k - 1] + (level - y[k - 1]) / (y[k] - y[k - 1]) * (t[k] - t[k - 1]));
  return at;
}

TEST(BehaviouralExamples, JoglekarMemristorAgreesWithNgspice) {
  const std::string deck = deck_at("netlists/behavioural/joglekar_memristor.cir");
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "Transient");
  const auto x = interpolate(theirs.col("time"), theirs.col("v(x)"), ours.col("time"));
  const auto i = interpolate(theirs.col("time"), theirs.col("i(vm)"), ours.col("time"));
  const double x_error = max_abs_error(ours.col("v(x)"), x), i_error = max_abs_error(ours.col("i(vm)"), i);
  std::cout << "[ngspice] joglekar: max |x - x_ngspice| = " << x_error << ", max |i - i_ngspice| = " << i_error
            << " A\n";
  // x swings 0.1 .. 0.26, the current +-90 uA; both at reltol 1e-5. Measured: 9.6e-6 in x
  // and 5.2e-9 A (ours is 8.6e-6 from the exact x at 0.5 s); bounds 3x that.
  EXPECT_LT(x_error, 3e-5);
  EXPECT_LT(i_error, 1.5e-8);
}

TEST(BehaviouralExamples, LifNeuronSpikesWhenNgspiceDoes) {
  const std::string deck = deck_at("netlists/behavioural/lif_neuron.cir");
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "Transient");
  const auto t_ours = rising(ours.col("time"), ours.col("v(v)"), 0.9);
  const auto t_theirs = rising(theirs.col("time"), theirs.col("v(v)"), 0.9);
  ASSERT_EQ(t_ours.size(), 4u);  // spikes every ~6.85 ms in 30 ms
  ASSERT_EQ(t_theirs.size(), t_ours.size());
  for (std::size_t k = 0; k < t_ours.size(); ++k) {
    std::cout << "[ngspice] lif spike " << k + 1 << ": neurospice " << t_ours[k] << " s, ngspice " << t_theirs[k]
              << " s\n";
    // Measured at the deck's reltol 1e-7: the first spikes agree to 1e-8 s, each later one
    // adds ~1 us (3.1 us at the fourth, 1.2e-4 of its time). Ours moves by < 1e-10 s from
    // reltol 1e-5 to 1e-7, ngspice's second spike by 4 us: the difference is ngspice's.
    EXPECT_NEAR(t_ours[k], t_theirs[k], 2e-4 * t_theirs[k]);
  }
}

// The memristor and memcapacitor decks of issue 14, each through both simulators: every
// state and current within `share` of its swing. Both run at the decks' reltol 1e-5;
// measured: at most 8.5e-5 of the swing (probabilistic v(p) 7.0e-5 of 0.82, yakopcic v(x)
// 6.8e-5 of 0.88, pershin v(r) 0.32 ohm of 1760), so the bound is 3e-4. The memcapacitor's
// current is not compared: ngspice's ddt() is a backward difference, 0.6 % of the swing
// off the exact d(C(x) v)/dt where ours is within 3e-5 (its expect lines).
struct Pair {
  const char* deck;
  std::vector<const char*> vectors;
};

class MemristorDeck : public testing::TestWithParam<Pair> {};

TEST_P(MemristorDeck, AgreesWithNgspice) {
  const Pair& pair = GetParam();
  const std::string deck = deck_at(std::string("netlists/behavioural/") + pair.deck + ".cir");
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table& ours = ours_run.table();
  const Table theirs = plot(run_ngspice(deck), "Transient");
  for (const char* name : pair.vectors) {
    const auto& mine = ours.col(name);
    const auto ngspice = interpolate(theirs.col("time"), theirs.col(name), ours.col("time"));
    const auto [lo, hi] = std::minmax_element(mine.begin(), mine.end());
    const double swing = *hi - *lo, error = max_abs_error(mine, ngspice);
    std::cout << "[ngspice] " << pair.deck << " " << name << ": max difference " << error << " of a swing "
              << swing << "\n";
    EXPECT_LT(error, 3e-4 * swing) << name;
  }
}

INSTANTIATE_TEST_SUITE_P(Behavioural, MemristorDeck,
                         testing::Values(Pair{"vteam_memristor", {"v(x)", "i(vm)"}},
                                         Pair{"yakopcic_memristor", {"v(x)", "i(vm)"}},
                                         Pair{"prodromakis_memristor", {"v(x)", "i(vm)"}},
                                         Pair{"pershin_memristor", {"v(r)", "i(vm)"}},
                                         Pair{"probabilistic_memristor", {"v(p)", "i(vm)"}},
                                         Pair{"memcapacitor", {"v(x)"}}),
                         [](const auto& info) { return std::string(info.param.deck); });

// The Izhikevich deck spikes as often in both simulators, and the period of its regular
// spiking is the hybrid model's (tests/good/expected.py, izhikevich_crossings: two
// periods from the 3rd to the 5th crossing of 0 mV take 89.6248 ms). Measured: ours
// 89.7013 ms (8.5e-4 off: the ~50 us resets), ngspice 87.944 ms (1.9e-2 off: its
// trapezoidal steps over the 10 ns latch); bounds 2e-3 and 3e-2.
TEST(BehaviouralExamples, IzhikevichNeuronSpikesAtTheHybridModelsPeriod) {
  const std::string deck = deck_at("netlists/behavioural/izhikevich_neuron.cir");
  const auto ours_run = run_neurospice(deck);
  ASSERT_EQ(ours_run.status, 0) << ours_run.err;
  const Table theirs = plot(run_ngspice(deck), "Transient");
  const auto t_ours = rising(ours_run.table().col("time"), ours_run.table().col("v(v)"), 0);
  const auto t_theirs = rising(theirs.col("time"), theirs.col("v(v)"), 0);
  ASSERT_EQ(t_ours.size(), 5u);
  ASSERT_EQ(t_theirs.size(), 5u);
  const double exact = 89.6248e-3, ours = t_ours[4] - t_ours[2], ngspice = t_theirs[4] - t_theirs[2];
  std::cout << "[ngspice] izhikevich two periods: neurospice " << ours << " s, ngspice " << ngspice
            << " s, hybrid model " << exact << " s\n";
  EXPECT_NEAR(ours, exact, 2e-3 * exact);
  EXPECT_NEAR(ngspice, exact, 3e-2 * exact);
}

}  // namespace
}  // namespace ns::test
