// The transient device-noise generator (circuit/transient_noise.hpp): its samples are unit
// normals, uncorrelated across grid points, sources and devices, a pure function of
// (stream, device, source, point), and w(t) is their straight-line interpolation scaled to
// one-sided PSD 1. Each statistical tolerance is 5 standard errors for the sample size.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "circuit/transient_noise.hpp"

namespace ns {
namespace {

TEST(TransientNoiseGenerator, UnitNormalSamples) {
  const TransientNoise w(TransientNoise::key(1, "r1"));
  const int n = 200000;
  double sum = 0, sum2 = 0, sum4 = 0, lag = 0, cross = 0;
  double previous = w.normal(0, 0);
  for (int i = 1; i <= n; ++i) {
    const double z = w.normal(0, i);
    sum += z, sum2 += z * z, sum4 += z * z * z * z, lag += z * previous;
    cross += z * w.normal(1, i);
    previous = z;
  }
  const double se = 1 / std::sqrt(double(n));
  EXPECT_NEAR(sum / n, 0, 5 * se);
  EXPECT_NEAR(sum2 / n, 1, 5 * std::sqrt(2.0) * se);
  EXPECT_NEAR(sum4 / n, 3, 5 * std::sqrt(96.0) * se);  // Gaussian kurtosis; Var(z^4) = 96
  EXPECT_NEAR(lag / n, 0, 5 * se);
  EXPECT_NEAR(cross / n, 0, 5 * se);
}

TEST(TransientNoiseGenerator, DevicesAndStreamsAreIndependent) {
  const TransientNoise a(TransientNoise::key(1, "r1")), b(TransientNoise::key(1, "r2")),
      c(TransientNoise::key(2, "r1")), again(TransientNoise::key(1, "r1"));
  const int n = 100000;
  double ab = 0, ac = 0;
  for (int i = 0; i < n; ++i) {
    ab += a.normal(0, i) * b.normal(0, i);
    ac += a.normal(0, i) * c.normal(0, i);
    ASSERT_EQ(a.normal(2, i), again.normal(2, i));
  }
  EXPECT_NEAR(ab / n, 0, 5 / std::sqrt(double(n)));
  EXPECT_NEAR(ac / n, 0, 5 / std::sqrt(double(n)));
}

// w(t) = (straight line through the samples) / sqrt(2 h), sample 0 being 0; the grid
// points are the breakpoints.
TEST(TransientNoiseGenerator, InterpolatesOnItsGrid) {
  TransientNoise w(TransientNoise::key(7, "n1"));
  const double h = 1e-9;
  w.start(h, 1e-6, {}, "n1");
  const double scale = 1 / std::sqrt(2 * h);
  EXPECT_EQ(w.white(0, 0), 0);
  EXPECT_DOUBLE_EQ(w.white(0, 0.5 * h), 0.5 * scale * w.normal(0, 1));
  EXPECT_NEAR(w.white(3, 10 * h), scale * w.normal(3, 10), 1e-9 * scale);
  EXPECT_NEAR(w.white(3, 10.25 * h), scale * (0.75 * w.normal(3, 10) + 0.25 * w.normal(3, 11)), 1e-9 * scale);
  std::vector<double> points;
  w.breakpoints(2.5 * h, 5 * h, points);
  ASSERT_EQ(points.size(), 3u);
  EXPECT_NEAR(points[0], 3 * h, 1e-21);
  EXPECT_NEAR(points[2], 5 * h, 1e-21);
  const TransientNoise off;
  EXPECT_FALSE(off);
  EXPECT_EQ(off.white(0, 1e-9), 0);
}

}  // namespace
}  // namespace ns
