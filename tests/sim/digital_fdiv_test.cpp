// XSPICE d_fdiv (models/digital_fdiv.cpp) on tests/sim/decks/digital_fdiv.cir: four dividers
// of a 1 MHz clock, their edges against the count rule (closed form) and their dac_bridge
// outputs against ngspice 39 on the same deck.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

TEST(Fdiv, EdgesFollowTheCount) {
  const auto run = run_neurospice(deck_file("digital_fdiv.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const auto clock = level_changes(run.table(), "v(d)");
  ASSERT_EQ(clock.size(), 20u);  // a rise and a fall in each of 10 periods
  // (clock rise k, level): the count goes i_count, i_count + 1, ... back to 1 past
  // div_factor; 1 sets the output, high_cycles + 1 clears it.
  struct Case {
    const char* node;
    double initial;
    std::vector<std::pair<int, double>> expected;
    double rise, fall;
  };
  const std::vector<Case> cases = {
      {"v(q1)", 1, {{1, 0}, {2, 1}, {4, 0}, {5, 1}, {7, 0}, {8, 1}}, 10e-9, 20e-9},  // 3, 2, from 1
      {"v(q2)", 0, {{1, 1}, {2, 0}, {5, 1}, {6, 0}, {9, 1}}, 1e-9, 1e-9},           // 4, 1, from 3
      {"v(q3)", 0, {{1, 1}}, 1e-9, 1e-9},                                           // 3, 0, from 2
      {"v(q4)", 0, {{0, 1}, {1, 0}, {2, 1}, {3, 0}, {4, 1}, {5, 0}, {6, 1}, {7, 0}, {8, 1}, {9, 0}}, 1e-9, 1e-9},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(run.table().col(c.node).front(), c.initial) << c.node;
    const auto e = level_changes(run.table(), c.node);
    ASSERT_EQ(e.size(), c.expected.size()) << c.node;
    for (std::size_t k = 0; k < e.size(); ++k) {
      const auto [rise, level] = c.expected[k];
      EXPECT_EQ(e[k].v, level) << c.node << " edge " << k;
      EXPECT_NEAR(e[k].t, clock[2 * static_cast<std::size_t>(rise)].t + (level == 1 ? c.rise : c.fall), 1e-15)
          << c.node << " edge " << k;
    }
  }
}

// The dac outputs' 0.5 V crossings against ngspice's on the same deck: the same edges, each
// where that simulator's adc_bridge saw the clock's 1 ns ramp cross 0.6 V plus the divider's
// delay (measured: ours 0.03 ns earlier throughout, 1.12167 us against 1.12170 us).
TEST(Fdiv, DacEdgesAgainstNgspice) {
  const auto run = run_neurospice(deck_file("digital_fdiv.cir"), {"--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table theirs = plot(run_ngspice(deck_file("digital_fdiv.cir")), "Transient");
  auto crossings = [](const std::vector<double>& t, const std::vector<double>& v) {
    std::vector<double> out;
    for (std::size_t k = 1; k < t.size(); ++k)
      if ((v[k - 1] - 0.5) * (v[k] - 0.5) < 0)
        out.push_back(t[k - 1] + (0.5 - v[k - 1]) * (t[k] - t[k - 1]) / (v[k] - v[k - 1]));
    return out;
  };
  for (const char* y : {"v(y1)", "v(y2)", "v(y3)", "v(y4)"}) {
    const auto mine = crossings(run.table().col("time"), run.table().col(y));
    const auto ng = crossings(theirs.col("time"), theirs.col(y));
    ASSERT_EQ(mine.size(), ng.size()) << y;
    double worst = 0;
    for (std::size_t k = 0; k < mine.size(); ++k) worst = std::max(worst, std::abs(mine[k] - ng[k]));
    std::cout << "[ngspice] fdiv " << y << ": " << mine.size() << " edges, max |ns - ng| " << worst << " s\n";
    EXPECT_LE(worst, 1e-10) << y;  // a tenth of the clock's ramp
  }
}

}  // namespace
}  // namespace ns::test
