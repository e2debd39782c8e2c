// .four FREQ OUT...: the harmonics table ngspice prints after a transient (analysis/harmonics.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

struct Row {
  double frequency, magnitude, phase, norm_magnitude, norm_phase;
};

// The rows of the table printed for `name`, and its THD.
std::vector<Row> table(const std::string& out, const std::string& name, double* thd = nullptr) {
  const std::string head = "Fourier analysis for " + name + ":\n  No. Harmonics: ";
  std::size_t at = out.find(head);
  if (at == std::string::npos) return {};
  if (thd) std::sscanf(out.c_str() + out.find("THD: ", at) + 5, "%lf", thd);
  at = out.find("-------- ---------", at);
  std::vector<Row> rows;
  for (at = out.find('\n', at) + 1; at < out.size() && out[at] == ' '; at = out.find('\n', at) + 1) {
    int n = 0;
    Row r{};
    if (std::sscanf(out.c_str() + at, "%d %lf %lf %lf %lf %lf", &n, &r.frequency, &r.magnitude, &r.phase,
                    &r.norm_magnitude, &r.norm_phase) != 6)
      break;
    rows.push_back(r);
  }
  return rows;
}

// A +-1 V square wave of 1 kHz and half of it across a divider, over 3 periods. Its last
// period on ngspice's 200-point grid is 100 points at +1 (grid points 1..100: the rise is
// at the period's start, the fall at its middle) and 100 at -1, whose coefficients are
// closed-form: odd harmonic n has magnitude (2/200) |sum| = 1/(50 sin(n pi/200)), phase
// -0.9 n degrees (the block's centre is half a grid step late), even ones 0. ngspice 39
// prints this table (1.27329 -0.9, 0.42457 -2.7, ..., THD 42.9161 %), and so do we.
TEST(FourCard, SquareWaveHarmonicsClosedForm) {
  const auto run = run_neurospice(R"(square wave harmonics
v1 in 0 pulse(-1 1 0 1n 1n 0.5m 1m)
r1 in out 1k
r2 out 0 1k
.tran 1u 3m
.four 1k v(in) v(out)
.end
)");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("Fourier analysis for v(in):\n  No. Harmonics: 10, THD: 42.9161 %, Gridsize: 200, "
                         "Interpolation Degree: 1\n\nHarmonic Frequency   Magnitude   Phase       Norm. Mag   "
                         "Norm. Phase\n-------- ---------   ---------   -----       ---------   -----------\n"
                         " 0       0 "),
            std::string::npos)
      << run.out;
  for (const auto& [name, scale] : {std::pair{"v(in)", 1.0}, std::pair{"v(out)", 0.5}}) {
    double thd = 0;
    const std::vector<Row> rows = table(run.out, name, &thd);
    ASSERT_EQ(rows.size(), 10u) << run.out;
    double harmonics = 0, fundamental = 0;
    EXPECT_NEAR(rows[0].magnitude, 0, 1e-9);
    for (int n = 1; n < 10; ++n) {
      const Row& r = rows[static_cast<std::size_t>(n)];
      EXPECT_EQ(r.frequency, 1000.0 * n);
      if (n % 2 == 0) {
        EXPECT_NEAR(r.magnitude, 0, 1e-9) << name << " harmonic " << n;
        continue;
      }
      const double m = scale / (50 * std::sin(n * M_PI / 200));
      (n == 1 ? fundamental : harmonics) += n == 1 ? m : m * m;
      EXPECT_NEAR(r.magnitude, m, 1e-5 * m) << name << " harmonic " << n;  // printed to 6 digits
      EXPECT_NEAR(r.phase, -0.9 * n, 1e-4) << name << " harmonic " << n;
      EXPECT_NEAR(r.norm_magnitude, m / (scale / (50 * std::sin(M_PI / 200))), 1e-5) << name;
      EXPECT_NEAR(r.norm_phase, -0.9 * (n - 1), 1e-4) << name;
    }
    EXPECT_NEAR(thd, std::sqrt(harmonics) / fundamental * 100, 1e-3) << name;
  }
}

// .options nfreqs and fourgridsize set the table's rows and grid; a transient shorter than
// the period prints no table and says so (ngspice 39: "wavelength longer than time span").
TEST(FourCard, OptionsAndShortTransient) {
  const auto run = run_neurospice(R"(four options
v1 in 0 sin(0.5 2 1k)
r1 in 0 1k
.tran 1u 2m
.options nfreqs=4 fourgridsize=64
.four 1k v(in) i(v1)
.four 100 v(in)
.end
)");
  ASSERT_EQ(run.status, 0) << run.err;
  double thd = -1;
  const auto rows = table(run.out, "v(in)", &thd);
  ASSERT_EQ(rows.size(), 4u) << run.out;
  EXPECT_NE(run.out.find("No. Harmonics: 4, THD: "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Gridsize: 64,"), std::string::npos) << run.out;
  // a sine through the points of 1 us steps: 0.5 + 2 sin(w t), to the interpolation's error
  EXPECT_NEAR(rows[0].magnitude, 0.5, 1e-5);
  EXPECT_NEAR(rows[1].magnitude, 2, 1e-4);
  EXPECT_NEAR(rows[1].phase, 0, 1e-2);
  EXPECT_LT(thd, 1e-2);
  const auto current = table(run.out, "i(v1)");
  ASSERT_EQ(current.size(), 4u) << run.out;
  EXPECT_NEAR(current[1].magnitude, 2e-3, 1e-7);  // i(v1) flows into the source's + node: -v/R
  EXPECT_NEAR(std::abs(current[1].phase), 180, 1e-2);
  EXPECT_NE(run.err.find("'.four' needs a transient of a period (0.01 s) or more; it spans 0.002 s"), std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace ns::test
