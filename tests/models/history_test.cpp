// circuit/history.hpp: a device's record of its past, read back between accepted points.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "circuit/history.hpp"

namespace {

double read(const ns::History& h, double t) {
  double v = 0;
  h.read(t, {&v, 1});
  return v;
}

// Between accepted points with two more on either side the record is read by the cubic
// through the four, whose error on sin(w t) is at most w^4 / 4! times the product of the
// distances to them (the interpolation remainder, |sin''''| <= 1).
TEST(History, CubicBetweenUnevenPointsOfASine) {
  const double w = 2 * M_PI * 1e3;
  ns::History h(1, 1e-3);
  std::vector<double> times;
  for (double t = 0, step = 40e-6; t < 1e-3; t += step, step = step == 40e-6 ? 25e-6 : 40e-6) {
    const double v = std::sin(w * t);
    h.record(t, {&v, 1});
    times.push_back(t);
  }
  double worst = 0;
  for (std::size_t k = 1; k + 2 < times.size(); ++k)
    for (double f : {0.25, 0.5, 0.8}) {
      const double t = times[k] + f * (times[k + 1] - times[k]);
      const double bound = std::pow(w, 4) / 24 *
                           std::abs((t - times[k - 1]) * (t - times[k]) * (t - times[k + 1]) * (t - times[k + 2]));
      const double error = std::abs(read(h, t) - std::sin(w * t));
      EXPECT_LE(error, bound * (1 + 1e-9) + 1e-15) << "t = " << t;
      worst = std::max(worst, error);
    }
  // The parabola read before was 1e-3 off at these steps' length (0.25 rad of the sine).
  EXPECT_LT(worst, 2e-4);
}

// A point accepted twice is a restart, at a source corner: no point across it is used. A
// ramp that starts at the corner is read on its line just after it.
TEST(History, NoPointAcrossACorner) {
  ns::History h(1, 10);
  auto ramp = [](double t) { return t < 1 ? 0.0 : 2 * (t - 1); };
  for (double t : {0.0, 0.5, 0.8, 1.0, 1.0, 1.3, 1.7, 2.2}) {
    const double v = ramp(t);
    h.record(t, {&v, 1});
  }
  for (double t : {1.1, 1.2, 1.5, 1.9}) EXPECT_NEAR(read(h, t), ramp(t), 1e-12) << "t = " << t;
  for (double t : {0.2, 0.6, 0.9}) EXPECT_NEAR(read(h, t), 0.0, 1e-12) << "t = " << t;
}

// Output rows between the last two accepted points read up to span before the earlier of
// them: the record keeps that, however long the last step (a row read before the record's
// start got its first point).
TEST(History, KeepsWhatRowsBeforeTheLastStepRead) {
  const double span = 1;
  ns::History h(1, span);
  auto f = [](double t) { return 3 * t - 1; };
  for (int k = 0; k <= 20; ++k) {
    const double t = 0.1 * k, v = f(t);
    h.record(t, {&v, 1});
  }
  const double v = f(2.5);
  h.record(2.5, {&v, 1});  // a long last step: rows in (2.0, 2.5) read (1.0, 1.5)
  for (double row : {2.02, 2.1, 2.3, 2.45}) EXPECT_NEAR(read(h, row - span), f(row - span), 1e-12) << "row " << row;
}

}  // namespace
