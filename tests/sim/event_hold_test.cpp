// Digital events that move no analog output go on without a restart of the transient
// (engine/event_hold.hpp, Device::event_corner), with IDA and with method=trap: the held
// path is taken (--stats counts it), and the results are those of the same deck with
// `.options eventhold=0`, which restarts at every event as before, and of the closed form.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <numbers>
#include <regex>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// A count from the transient's --stats line: "N <what>".
long stat(const NeurospiceRun& run, const std::string& what) {
  std::smatch m;
  const std::string text = run.out + run.err;
  if (!std::regex_search(text, m, std::regex("(\\d+) " + what))) return -1;
  return std::stol(m[1]);
}

// `deck` with `lines` before its .tran card.
std::string with(const std::string& deck, const std::string& lines) {
  const auto at = deck.find(".tran");
  return deck.substr(0, at) + lines + deck.substr(at);
}

// The times at which a digital node's row (0 or 1 V) takes a new level.
std::vector<double> edges(const Table& t, const std::string& node) {
  const auto& time = t.col("time");
  const auto& v = t.col(node);
  std::vector<double> out;
  for (std::size_t k = 1; k < t.rows(); ++k)
    if (std::abs(v[k] - v[k - 1]) > 0.25) out.push_back(time[k]);
  return out;
}

// v(m) of the deck's RC low-pass (1k, 2p) on sin(0 1 150meg) from rest at t = 0.
double low_pass(double t) {
  const double tau = 2e-9, w = 2 * std::numbers::pi * 150e6, wt = w * tau;
  return (std::sin(w * t) - wt * std::cos(w * t) + wt * std::exp(-t / tau)) / (1 + wt * wt);
}

class EventHold : public ::testing::TestWithParam<bool> {};

INSTANTIATE_TEST_SUITE_P(Method, EventHold, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Trap" : "Gear"; });

TEST_P(EventHold, CounterStagesInsideTheNetworkDoNotRestart) {
  const std::string deck = GetParam() ? with(deck_file("event_hold.cir"), ".options method=trap\n")
                                      : deck_file("event_hold.cir");
  const auto held = run_neurospice(deck, {"--stats", "--every-step"});
  const auto restarted = run_neurospice(with(deck, ".options eventhold=0\n"), {"--stats", "--every-step"});
  ASSERT_EQ(held.status, 0) << held.err;
  ASSERT_EQ(restarted.status, 0) << restarted.err;
  const long kept = stat(held, "events without a restart");
  const long restarts = stat(held, "restarts at source corners");
  const long before = stat(restarted, "restarts at source corners");
  std::cout << "[event hold" << (GetParam() ? " trap" : "") << "] " << kept << " events without a restart, "
            << restarts << " restarts (" << before << " with eventhold=0); steps " << transient_steps(held)
            << " (" << transient_steps(restarted) << ")\n";
  // The events that move no analog output, in 120 ns: dclk follows the clock's 19 rising
  // edges (at 2.4 + 6.4k ns) and 18 falling ones (5.6 + 6.4k ns); q0 toggles 0.75 ns after
  // each rising one (19) and q0n follows it (19); q1 toggles at every second (9). That is
  // 84; each of them holds. q2's edges and the ramps they start restart, as do the clock's
  // corners, so every held event is one restart fewer.
  EXPECT_EQ(stat(restarted, "events without a restart"), 0);
  EXPECT_EQ(kept, 19 + 18 + 19 + 19 + 9);
  EXPECT_EQ(restarts + kept, before);

  // The same digital edges, to the rounding of the stop times (the rows after an event
  // are 1e-16 s after it with a restart, 1.2e-19 s held).
  for (const std::string node : {"v(dclk)", "v(q0)", "v(q1)", "v(q2)", "v(q0n)"}) {
    const auto a = edges(held.table(), node), b = edges(restarted.table(), node);
    ASSERT_EQ(a.size(), b.size()) << node;
    ASSERT_GE(a.size(), 4u) << node;
    for (std::size_t k = 0; k < a.size(); ++k) EXPECT_NEAR(a[k], b[k], 2e-15) << node << " edge " << k;
  }
  // The analog nodes as with restarts, and the low-pass as its closed form, each within
  // the integration's own error: reltol 1e-3 of the 0.47 V amplitude.
  const auto& th = held.table().col("time");
  const auto& tr = restarted.table().col("time");
  double apart_m = 0, apart_out = 0, exact_held = 0, exact_restarted = 0;
  const auto m = interpolate(tr, restarted.table().col("v(m)"), th);
  const auto out = interpolate(tr, restarted.table().col("v(out)"), th);
  for (std::size_t k = 0; k < th.size(); ++k) {
    apart_m = std::max(apart_m, std::abs(held.table().col("v(m)")[k] - m[k]));
    apart_out = std::max(apart_out, std::abs(held.table().col("v(out)")[k] - out[k]));
    exact_held = std::max(exact_held, std::abs(held.table().col("v(m)")[k] - low_pass(th[k])));
  }
  for (std::size_t k = 0; k < tr.size(); ++k)
    exact_restarted = std::max(exact_restarted, std::abs(restarted.table().col("v(m)")[k] - low_pass(tr[k])));
  std::cout << "[event hold" << (GetParam() ? " trap" : "") << "] held - restarted: v(m) " << apart_m << " V, v(out) "
            << apart_out << " V; v(m) - exact: held " << exact_held << " V, restarted " << exact_restarted << " V\n";
  EXPECT_LE(exact_held, 5e-4);
  EXPECT_LE(apart_m, 5e-4);
  EXPECT_LE(apart_out, 1.5e-3);
}

// A behavioural source that reads a digital node makes that node's row one that another
// equation reads: its events restart (engine/event_hold.hpp), and the source's output
// follows the node's level from the row after each edge.
TEST(EventHold, DigitalNodeReadByAnAnalogEquationRestarts) {
  const std::string deck = with(deck_file("event_hold.cir"), "bq bq 0 v = 2 * v(q1)\nrq bq 0 1k\n");
  const auto run = run_neurospice(deck, {"--stats", "--every-step"});
  ASSERT_EQ(run.status, 0) << run.err;
  const auto& t = run.table();
  const auto& q1 = t.col("v(q1)");
  const auto& bq = t.col("v(bq)");
  double worst = 0;
  for (std::size_t k = 0; k < t.rows(); ++k) worst = std::max(worst, std::abs(bq[k] - 2 * q1[k]));
  std::cout << "[event hold] behavioural reader of a digital node: max |v(bq) - 2 v(q1)| " << worst << " V; "
            << stat(run, "events without a restart") << " events without a restart\n";
  EXPECT_LE(worst, 1e-6);
  EXPECT_GE(stat(run, "events without a restart"), 50);
}

}  // namespace
}  // namespace ns::test
