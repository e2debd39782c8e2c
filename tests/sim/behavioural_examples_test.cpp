// The example decks of netlists/behavioural/ written from published equations, unchanged
// through ngspice and neurospice. (Their expect lines check them against closed forms in
// good_decks.cpp.)
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace ns::test
