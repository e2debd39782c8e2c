// ngspice's fourier command: harmonics of a transient vector over its last period.
#include <cmath>

#include <gtest/gtest.h>

#include "control/fourier.hpp"
#include "support.hpp"

namespace {

using ns::control::Vector;

// 0.5 + 2 sin(w t + 30 deg) + 0.3 sin(3 w t - 45 deg) + 0.1 cos(5 w t), sampled finely over
// two periods: the coefficients are those numbers (to the linear interpolation's 1e-8).
TEST(Fourier, CoefficientsOfAKnownSum) {
  const double f = 1e3, w = 2 * M_PI * f, deg = M_PI / 180;
  std::vector<double> t;
  Vector y;
  for (int i = 0; i <= 200000; ++i) {
    const double x = 2e-3 * i / 200000;
    t.push_back(x);
    y.push_back(0.5 + 2 * std::sin(w * x + 30 * deg) + 0.3 * std::sin(3 * w * x - 45 * deg) + 0.1 * std::cos(5 * w * x));
  }
  const auto h = ns::control::fourier(t, y, f, 10, 200);
  ASSERT_EQ(h.magnitude.size(), 10u);
  EXPECT_NEAR(h.magnitude[0], 0.5, 1e-8);
  EXPECT_NEAR(h.magnitude[1], 2, 1e-7);
  EXPECT_NEAR(h.phase[1], 30, 1e-5);
  EXPECT_NEAR(h.magnitude[3], 0.3, 1e-7);
  EXPECT_NEAR(h.phase[3], -45, 1e-4);
  EXPECT_NEAR(h.magnitude[5], 0.1, 1e-7);
  EXPECT_NEAR(h.phase[5], 90, 1e-4);  // a cosine is a sine 90 degrees ahead
  EXPECT_NEAR(h.magnitude[2], 0, 1e-8);
  EXPECT_NEAR(h.frequency[4], 4e3, 1e-9);
  EXPECT_NEAR(h.thd, std::hypot(0.3, 0.1) / 2 * 100, 1e-5);
}

// An RC low-pass driven by a 1 kHz sine: harmonic 1 is |H| = 1/sqrt(1 + (w R C)^2) at
// -atan(w R C). The table is ngspice-39's layout (same deck: "1 1000 0.846341 -32.15 1 0";
// its transient's own error puts ngspice's magnitude 4.6e-4 low; ours is 1.6e-4 low, the
// linear interpolation of 10 us points onto the 200-point grid).
TEST(Fourier, RcLowPassFundamental) {
  const auto r = ns::control_test::neurospice("fourier", R"(fourier of an RC low-pass
V1 a 0 sin(0 1 1k)
R1 a b 1k
C1 b 0 100n
.tran 10u 5m
.control
run
fourier 1k v(b)
.endc
.end
)");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Fourier analysis for v(b):\n  No. Harmonics: 10, THD: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("%, Gridsize: 200, Interpolation Degree: 1\n\nHarmonic Frequency   Magnitude   Phase       "
                       "Norm. Mag   Norm. Phase\n-------- ---------   ---------   -----       ---------   -----------\n"),
            std::string::npos)
      << r.out;
  const auto row = r.out.find("\n 1       1000        ");
  ASSERT_NE(row, std::string::npos) << r.out;
  double mag = 0, phase = 0;
  ASSERT_EQ(std::sscanf(r.out.c_str() + row + 21, "%lf %lf", &mag, &phase), 2) << r.out;
  const double wrc = 2 * M_PI * 1e3 * 1e3 * 100e-9;
  EXPECT_NEAR(mag, 1 / std::sqrt(1 + wrc * wrc), 3e-4);
  EXPECT_NEAR(phase, -std::atan(wrc) * 180 / M_PI, 1e-3);
}

}  // namespace
