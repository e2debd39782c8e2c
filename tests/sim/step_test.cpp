// .step and .mc runs end to end: a stepped run equals separate runs, any -j gives the
// same bytes, Monte Carlo draws are reproducible and follow the requested distribution,
// measures of a stepped run land in one table, an interrupt leaves a partial file.
#include <cmath>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cli/app.hpp"
#include "sim/support.hpp"

namespace ns::test {
namespace {

// An RC low-pass driven by a step; r and c are top-level parameters.
std::string rc_deck(const std::string& r, const std::string& extra) {
  return fmt::format("rc\n.param r={} c=1u\nV1 in 0 pulse(0 1 0 1n 1n 1 2)\nR1 in out {{r}}\nC1 out 0 {{c}}\n"
                     ".probe v(out)\n.tran 50u 2m\n{}\n",
                     r, extra);
}

TEST(Step, EqualsSeparateRuns) {
  const auto stepped = run_neurospice(rc_deck("1k", ".step param r list 500 1k 2k"));
  ASSERT_EQ(stepped.status, 0) << stepped.err;
  const Table& all = stepped.table();
  ASSERT_EQ(all.names.front(), "r");
  std::size_t row = 0;
  for (const char* r : {"500", "1k", "2k"}) {
    const auto single = run_neurospice(rc_deck(r, ""));
    ASSERT_EQ(single.status, 0) << single.err;
    const Table& one = single.table();
    for (std::size_t k = 0; k < one.rows(); ++k, ++row) {
      ASSERT_LT(row, all.rows());
      EXPECT_EQ(all.col("time")[row], one.col("time")[k]);
      EXPECT_EQ(all.col("v(out)")[row], one.col("v(out)")[k]) << "r = " << r << ", row " << k;
    }
  }
  EXPECT_EQ(row, all.rows());
}

TEST(Step, NestedStepsOverSourceModelAndInstance) {
  // Outer: the source's value; inner: the resistor's value through an instance parameter.
  const auto run = run_neurospice("div\nV1 a 0 1\nR1 a b 1k\nR2 b 0 1k\n.probe v(b)\n.op\n"
                                  ".step V1 list 1 2\n.step @r2[r] list 1k 3k\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& t = run.table();
  ASSERT_EQ(t.rows(), 4u);
  const double expected[4] = {0.5, 0.75, 1.0, 1.5};
  for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(t.col("v(b)")[k], expected[k], 1e-12) << k;
  EXPECT_EQ(t.col("v1")[3], 2);
  EXPECT_EQ(t.col("@r2[r]")[3], 3000);
}

TEST(Step, ParallelIsSerialBitForBit) {
  TempDir dir;
  const std::string deck = rc_deck("1k", ".step param r 200 2000 200\n.step param c list 1u 2u\n"
                                         ".meas tran t50 when v(out)=0.5 rise=1");
  write_text(dir.path() / "deck.cir", deck);
  std::string files[2];
  for (int jobs : {1, 2}) {
    std::ostringstream out, err;
    const auto base = (dir.path() / fmt::format("j{}", jobs)).string();
    ASSERT_EQ(run_app({"-j", std::to_string(jobs), "-o", base + ".csv", (dir.path() / "deck.cir").string()}, out, err), 0)
        << err.str();
    files[jobs - 1] = read_text(base + ".csv") + read_text(base + ".meas.csv");
  }
  EXPECT_GT(files[0].size(), 1000u);
  EXPECT_EQ(files[0], files[1]);
}

TEST(Step, MeasuresOfAStepFormOneTable) {
  const auto run = run_neurospice(rc_deck("1k", ".step param r list 1k 2k\n.meas tran t50 when v(out)=0.5 rise=1"));
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& m = run.table("meas");
  ASSERT_EQ(m.rows(), 2u);
  // v(out) = 1 - exp(-t/RC) crosses 0.5 at RC ln 2 (the step starts at 0 and rises in 1 ns).
  EXPECT_NEAR(m.col("t50")[0], 1e-3 * std::log(2.0), 2e-6);
  EXPECT_NEAR(m.col("t50")[1], 2e-3 * std::log(2.0), 4e-6);
  EXPECT_NE(run.out.find("t50"), std::string::npos) << run.out;  // the summary
}

TEST(Step, StepFilesOnePerPoint) {
  const auto run = run_neurospice(rc_deck("1k", ".step param r list 1k 2k"), {"--step-files"});
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& second = run.table("step2");
  EXPECT_FALSE(second.has("r"));
  EXPECT_EQ(second.rows(), 41u);
}

// A resistor drawn from agauss(1k, 100, 1) per run: v(a) = R at 1 mA.
TEST(MonteCarlo, ReproducibleAndDistributedAsRequested) {
  const std::string deck = "mc\nI1 0 a 1m\nR1 a 0 {agauss(1k, 100, 1)}\n.probe v(a)\n.op\n.mc 2000\n";
  const auto a = run_neurospice(deck, {"--seed", "7"});
  const auto b = run_neurospice(deck, {"--seed", "7", "-j", "1"});
  const auto c = run_neurospice(deck, {"--seed", "8"});
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  ASSERT_EQ(c.status, 0) << c.err;
  std::vector<double> v = a.table().col("v(a)");
  for (double& x : v) x *= 1000;  // ohms: v(a) = R * 1 mA
  ASSERT_EQ(v.size(), 2000u);
  EXPECT_EQ(a.table().col("v(a)"), b.table().col("v(a)"));
  EXPECT_NE(a.table().col("v(a)"), c.table().col("v(a)"));
  double sum = 0, sum2 = 0;
  for (double x : v) sum += x;
  const double mean = sum / double(v.size());
  for (double x : v) sum2 += (x - mean) * (x - mean);
  const double sd = std::sqrt(sum2 / double(v.size() - 1));
  // Four standard errors: of the mean 100/sqrt(n), of the standard deviation 100/sqrt(2(n-1)).
  EXPECT_NEAR(mean, 1000, 4 * 100 / std::sqrt(2000.0));
  EXPECT_NEAR(sd, 100, 4 * 100 / std::sqrt(2 * 1999.0));
}

TEST(Step, FailingPointIsNamedAndLeavesPartialFiles) {
  // At c = -1u the inductor's multiplier m = {c} is refused: found when that point's circuit
  // is built. (A resistance of 0 is no longer refused: it runs as 1 mOhm, as in ngspice; nor
  // is a negative capacitance or inductance.)
  const auto run = run_neurospice(rc_deck("1k", "L1 out lx 1u m={c}\nRl lx 0 1meg\n.step param c list 1u 2u -1u"));
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.err.find("c = -1e-06"), std::string::npos) << run.err;
}

// The shipped f-I deck at three currents: silent, spiking, silent again (the stopping
// transition). The spike-train RATE agrees with the FFT's dominant frequency, an
// independent reading of the same waveform.
TEST(Step, NeuronFiCurveRateMeasure) {
  std::string deck = read_text(std::string(NS_SOURCE_DIR) + "/netlists/nbox/fi_curve_step.cir");
  const std::string step = ".step param is 20u 1000u 20u";
  ASSERT_NE(deck.find(step), std::string::npos);
  deck.replace(deck.find(step), step.size(), ".step param is list 40u 340u 950u\n.meas tran f FREQ @n1[t] FROM=20u");
  const auto run = run_neurospice(deck);
  ASSERT_EQ(run.status, 0) << run.err;
  const Table& m = run.table("meas");
  ASSERT_EQ(m.rows(), 3u);
  EXPECT_EQ(m.col("rate")[0], 0);
  EXPECT_EQ(m.col("spikes")[2], 0);
  EXPECT_GT(m.col("spikes")[1], 40);
  EXPECT_NEAR(m.col("rate")[1], m.col("f")[1], 5e-3 * m.col("f")[1]);
  EXPECT_NEAR(m.col("rate")[1], 2.91e6, 0.02e6);  // the deck's comment
  EXPECT_LT(m.col("isi_cv")[1], 1e-3);            // tonic: regular intervals
}

TEST(Tran, RefusesAbsurdRowCounts) {
  const auto run = run_neurospice("big\nV1 a 0 1\nR1 a 0 1k\n.tran 1f 1\n");
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("rows"), std::string::npos) << run.err;
}

TEST(Interrupt, LeavesAPartialFileAndExits130) {
  TempDir dir;
  // A long run of a stiff oscillator: far more than the moment it gets before the interrupt.
  write_text(dir.path() / "deck.cir",
             "long\nV1 in 0 sin(0 1 1meg)\nR1 in out 1k\nC1 out 0 1n\n.options reltol=1e-9\n.tran 20n 1\n");
  const auto out_csv = (dir.path() / "out.csv").string();
  std::thread interrupter([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    interrupt_requested() = true;
  });
  std::ostringstream out, err;
  const int status = run_app({"-o", out_csv, (dir.path() / "deck.cir").string()}, out, err);
  interrupter.join();
  EXPECT_EQ(status, 130) << err.str();
  EXPECT_FALSE(std::filesystem::exists(out_csv));
  ASSERT_TRUE(std::filesystem::exists(out_csv + ".partial")) << err.str();
  EXPECT_GT(read_csv(out_csv + ".partial").rows(), 2u);
  EXPECT_NE(err.str().find(".partial"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace ns::test
