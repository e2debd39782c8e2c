// The weak-coupling linear solver (src/engine/block_solver.*): GMRES preconditioned by the
// LU of the blocks left when weak, linear couplings are cut. It must give KLU's answers on
// the same deck, and be chosen by the circuit's structure: for NbOx neurons joined by a
// random synapse graph (where KLU fills in), not for a ring of them or an RC ladder.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <iostream>
#include <random>
#include <regex>
#include <set>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// N Fig. 2.7 neurons (as tools/gen_neuron_network writes them): bias 300-370 uA, synapse
// resistors of 40-80 kOhm between a nodes on a ring and, unless `ring`, one random chord
// per neuron.
std::string network(int n, bool ring, const std::string& tran, const std::string& options) {
  std::mt19937 random(7);
  std::uniform_real_distribution<double> bias(300e-6, 370e-6), ohms(40e3, 80e3);
  std::string deck = "network\n.model nb nbox\n";
  for (int k = 0; k < n; ++k)
    deck += fmt::format("Is{0} 0 a{0} dc {1:.7g}\nCext{0} a{0} 0 200p\nN{0} a{0} b{0} nb\nLext{0} b{0} c{0} 700n\n"
                        "Rout{0} c{0} 0 25\n", k, bias(random));
  std::set<std::pair<int, int>> edges;
  for (int k = 0; k < n; ++k) edges.insert(std::minmax(k, (k + 1) % n));
  for (int k = 0; k < n && !ring; ++k) {
    int m = static_cast<int>(random() % static_cast<unsigned>(n));
    while (m == k || edges.count(std::minmax(k, m))) m = static_cast<int>(random() % static_cast<unsigned>(n));
    edges.insert(std::minmax(k, m));
  }
  for (const auto& [k, m] : edges) deck += fmt::format("Rs{0}_{1} a{0} a{1} {2:.1f}\n", k, m, ohms(random));
  deck += ".probe";
  for (int k = 0; k < n; ++k) deck += fmt::format(" @n{}[t]", k);
  return deck + "\n" + options + "\n.tran " + tran + " uic\n.end\n";
}

std::string linear_solver(const NeurospiceRun& run) {
  std::smatch m;
  const std::regex solver("linear solver: ([A-Za-z]+)");
  return std::regex_search(run.err, m, solver) ? m[1].str() : "(none in: " + run.err + ")";
}

long linear_iterations(const NeurospiceRun& run) {
  std::smatch m;
  const std::regex iterations("([0-9]+) linear iterations");
  return std::regex_search(run.err, m, iterations) ? std::stol(m[1]) : -1;
}

// Spikes: the device temperature rising through 2000 K (as tests/sim/nbox_neuron.cpp).
std::vector<double> spikes(const Table& t, const std::string& column) {
  const auto& x = t.col("time");
  const auto& y = t.col(column);
  std::vector<double> out;
  for (std::size_t k = 1; k < x.size(); ++k)
    if (y[k - 1] < 2000 && y[k] >= 2000)
      out.push_back(x[k - 1] + (2000 - y[k - 1]) * (x[k] - x[k - 1]) / (y[k] - y[k - 1]));
  return out;
}

// 30 neurons for 2 us, each solver forced: the same spikes. GMRES stops when every
// unknown is within 1e-3 of its tolerance of KLU's solution, so the runs differ only as
// two step sequences differ: far less than the integration error (about 1 ns on these
// neurons at default tolerance, bench/README.md), hence the bound of a tenth of it.
TEST(BlockSolver, SameSpikesAsKlu) {
  const int n = 30;
  const auto klu = run_neurospice(network(n, false, "1n 2u", ".options linsolve=klu"), {"--stats"});
  const auto blocks = run_neurospice(network(n, false, "1n 2u", ".options linsolve=blocks"), {"--stats"});
  ASSERT_EQ(klu.status, 0) << klu.err;
  ASSERT_EQ(blocks.status, 0) << blocks.err;
  EXPECT_EQ(linear_solver(klu), "KLU");
  EXPECT_EQ(linear_solver(blocks), "GMRES");
  EXPECT_GE(linear_iterations(blocks), 0);  // counted (at 30 neurons the blocks alone always met the test)
  double worst = 0;
  std::size_t count = 0;
  for (int k = 0; k < n; ++k) {
    const std::string column = fmt::format("@n{}[t]", k);
    const auto a = spikes(klu.table(), column), b = spikes(blocks.table(), column);
    ASSERT_EQ(a.size(), b.size()) << column;
    for (std::size_t s = 0; s < a.size(); ++s) worst = std::max(worst, std::abs(a[s] - b[s]));
    count += a.size();
  }
  std::cout << "[blocks] " << count << " spikes, largest difference from KLU's " << worst * 1e9 << " ns\n";
  EXPECT_GT(count, 30u);
  EXPECT_LT(worst, 0.1e-9);
}

// The choice by structure (linsolve=auto): random chords fill KLU's factors in, a ring
// does not; an RC ladder has no weak couplings at all.
TEST(BlockSolver, ChosenForRandomChordsOnly) {
  const auto chords = run_neurospice(network(300, false, "1n 5n", ""), {"--stats"});
  const auto ring = run_neurospice(network(300, true, "1n 5n", ""), {"--stats"});
  std::string ladder = "ladder\nV1 n0 0 pulse(0 1 0 1n 1n 5n 10n)\n";
  for (int k = 0; k < 300; ++k) ladder += fmt::format("R{0} n{0} n{1} 1k\nC{0} n{1} 0 1p\n", k, k + 1);
  const auto rc = run_neurospice(ladder + ".probe v(n1)\n.tran 1n 20n\n.end\n", {"--stats"});
  EXPECT_EQ(linear_solver(chords), "GMRES");
  EXPECT_EQ(linear_solver(ring), "KLU");
  EXPECT_EQ(linear_solver(rc), "KLU");
}

// Threads inside one transient (-j, engine/workers.hpp): the devices' loads and the
// blocks' LU run chunk by chunk, and the chunks do not depend on the thread count, so
// neither does any bit of the output. 500 neurons (2500 unknowns) make 3 chunks.
TEST(BlockSolver, SameBitsWithAnyThreadCount) {
  const std::string deck = network(500, false, "1n 40n", "");
  const auto one = run_neurospice(deck, {"--stats", "-j", "1"});
  const auto three = run_neurospice(deck, {"--stats", "-j", "3"});
  ASSERT_EQ(one.status, 0) << one.err;
  ASSERT_EQ(three.status, 0) << three.err;
  EXPECT_NE(one.err.find("3 chunks on 1 thread,"), std::string::npos) << one.err;
  EXPECT_NE(three.err.find("3 chunks on 3 threads,"), std::string::npos) << three.err;
  const Table& a = one.table();
  const Table& b = three.table();
  ASSERT_EQ(a.names, b.names);
  ASSERT_EQ(a.rows(), b.rows());
  ASSERT_GT(a.rows(), 40u);
  std::size_t differing = 0;
  for (std::size_t c = 0; c < a.columns.size(); ++c)
    for (std::size_t r = 0; r < a.rows(); ++r) differing += a.columns[c][r] != b.columns[c][r];
  EXPECT_EQ(differing, 0u);
  // The integrator's counts too (the line up to the thread count).
  auto counts = [](const std::string& err) { return err.substr(err.find("transient:"), err.find(" chunks on") - err.find("transient:")); };
  EXPECT_EQ(counts(one.err), counts(three.err));
}

// The same with every device's transient noise on (.options trnoise: the neurons' Johnson
// and heat-flow noise, the resistors' Johnson noise): each noise sample is a function of
// the seed, the device's name and the grid point, not of the thread that loads the
// device, so -j1 and -j3 give the same bits, and the noise does change the output.
TEST(BlockSolver, NoiseTheSameBitsWithAnyThreadCount) {
  const std::string deck = network(500, false, "1n 40n", ".options trnoise");
  const auto one = run_neurospice(deck, {"--stats", "-j", "1"});
  const auto three = run_neurospice(deck, {"--stats", "-j", "3"});
  const auto quiet = run_neurospice(network(500, false, "1n 40n", ""), {"-j", "3"});
  ASSERT_EQ(one.status, 0) << one.err;
  ASSERT_EQ(three.status, 0) << three.err;
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_NE(three.err.find("3 chunks on 3 threads,"), std::string::npos) << three.err;
  EXPECT_EQ(one.table().names, three.table().names);
  EXPECT_EQ(one.table().columns, three.table().columns);
  EXPECT_NE(one.table().columns, quiet.table().columns);
}

}  // namespace
}  // namespace ns::test
