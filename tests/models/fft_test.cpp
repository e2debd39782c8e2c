// The one FFT (circuit/fft.hpp) against the defining sum, and the overlap-add causal
// convolution that trnoise's 1/f filter uses against the direct sum it replaces.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include "circuit/fft.hpp"

namespace ns {
namespace {

TEST(Fft, MatchesTheDefiningSum) {
  const std::size_t n = 64;
  std::vector<std::complex<double>> a(n);
  for (std::size_t i = 0; i < n; ++i) a[i] = {std::sin(0.3 * double(i) * double(i)), std::cos(1.7 * double(i))};
  std::vector<std::complex<double>> x = a;
  fft(x);
  for (std::size_t k = 0; k < n; ++k) {
    std::complex<double> sum = 0;
    for (std::size_t i = 0; i < n; ++i)
      sum += a[i] * std::polar(1.0, -2 * std::numbers::pi * double(k * i % n) / double(n));
    EXPECT_NEAR(std::abs(x[k] - sum), 0, 1e-12) << "bin " << k;
  }
}

// Lengths that are not multiples of the block, a filter longer than the signal, and the
// 4096 taps of trnoise over a signal of several blocks.
TEST(Fft, CausalConvolutionIsTheDirectSum) {
  for (const auto& [length, taps] : {std::pair<std::size_t, std::size_t>{1, 1}, {7, 3}, {1000, 37}, {5, 20}, {20000, 4096}}) {
    std::vector<double> x(length), h(taps);
    for (std::size_t i = 0; i < length; ++i) x[i] = std::sin(1.3 * double(i) + 0.5) + 0.1 * std::cos(0.01 * double(i));
    h[0] = 1;
    for (std::size_t k = 1; k < taps; ++k) h[k] = h[k - 1] * (0.5 + double(k) - 1) / double(k);  // 1/f, alpha 1
    const std::vector<double> y = causal_convolution(x, h);
    ASSERT_EQ(y.size(), length);
    double largest = 0;
    for (std::size_t i = 0; i < length; ++i) {
      double direct = 0;
      for (std::size_t k = 0; k < taps && k <= i; ++k) direct += h[k] * x[i - k];
      largest = std::max(largest, std::abs(direct));
      EXPECT_NEAR(y[i], direct, 1e-12 * (1 + std::abs(direct))) << "length " << length << " taps " << taps << " i " << i;
    }
    EXPECT_GT(largest, 0.1);
  }
}

}  // namespace
}  // namespace ns
