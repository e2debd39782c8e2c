// Device loads of one large transient on -j threads (System::use_threads without chunks):
// the output is the same bytes with any number of threads, and the values are right.
#include <cmath>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cli/app.hpp"
#include "sim/support.hpp"

namespace ns::test {
namespace {

constexpr int stages = 101, branches = 220;

// A ring of CMOS inverters (level 1) and, beside it, diode-resistor branches on a ramp:
// 2 * 101 + 220 non-linear devices, enough for the loads to go on threads.
std::string deck() {
  std::string d = "threaded loads\nVdd vdd 0 1.8\n"
                  ".model nm nmos level=1 vto=0.5 kp=1e-4\n.model pm pmos level=1 vto=-0.5 kp=5e-5\n"
                  ".model dd d is=1e-14 n=1\nVa a 0 pwl(0 0 1n 0.9)\n";
  for (int k = 0; k < stages; ++k) {
    const int next = (k + 1) % stages;
    d += fmt::format("Mn{0} s{1} s{0} 0 0 nm w=1u l=1u\nMp{0} s{1} s{0} vdd vdd pm w=2u l=1u\nC{0} s{1} 0 10f\n", k, next);
  }
  for (int k = 1; k <= branches; ++k) d += fmt::format("D{0} a n{0} dd\nR{0} n{0} 0 {1}\n", k, 100 * k);
  d += ".ic v(s0)=0\n.tran 10p 1n\n.options reltol=1e-6\n.probe v(s0) v(s50) v(n1) v(n110) v(n220)\n";
  return d;
}

std::string run(const std::filesystem::path& dir, int jobs, std::string& notes) {
  std::ostringstream out, err;
  const auto csv = (dir / fmt::format("j{}.csv", jobs)).string();
  EXPECT_EQ(run_app({"--stats", "-j", std::to_string(jobs), "-o", csv, (dir / "deck.cir").string()}, out, err), 0)
      << err.str();
  notes = err.str() + out.str();
  return read_text(csv);
}

TEST(ThreadedLoads, SameBytesWithAnyThreadCount) {
  TempDir dir;
  write_text(dir.path() / "deck.cir", deck());
  std::string notes[3];
  const std::string serial = run(dir.path(), 1, notes[0]);
  EXPECT_NE(notes[0].find("device loads on 1 thread"), std::string::npos) << notes[0];
  for (int jobs : {2, 3}) {
    const std::string threaded = run(dir.path(), jobs, notes[jobs - 1]);
    EXPECT_NE(notes[jobs - 1].find(fmt::format("device loads on {} threads", jobs)), std::string::npos)
        << notes[jobs - 1];
    EXPECT_GT(threaded.size(), 10000u);
    EXPECT_EQ(serial, threaded) << "-j " << jobs;
  }
  // The values themselves, on threads: at 1 ns the ramp is at 0.9 V and each branch
  // carries the current i = v / R = Is (exp((0.9 - v) / Vt) - 1), solved here by bisection.
  const Table t = read_csv(dir.path() / "j2.csv");
  const double vt = 1.380649e-23 * 300.15 / 1.602176634e-19;
  for (int k : {1, 110, 220}) {
    const double r = 100.0 * k;
    double lo = 0, hi = 0.9;
    for (int i = 0; i < 200; ++i) {
      const double v = 0.5 * (lo + hi);
      (v / r > 1e-14 * std::expm1((0.9 - v) / vt) ? hi : lo) = v;
    }
    EXPECT_NEAR(t.col(fmt::format("v(n{})", k)).back(), lo, 1e-4) << "branch " << k;
  }
  // The ring oscillates: v(s0) swings across the rails.
  const auto& s0 = t.col("v(s0)");
  EXPECT_LT(*std::min_element(s0.begin(), s0.end()), 0.2);
  EXPECT_GT(*std::max_element(s0.begin(), s0.end()), 1.6);
}

}  // namespace
}  // namespace ns::test
