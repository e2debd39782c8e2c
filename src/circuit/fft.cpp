#include "circuit/fft.hpp"

#include <algorithm>
#include <cstddef>
#include <numbers>

namespace ns {

void fft(std::vector<std::complex<double>>& a) {
  const std::size_t n = a.size();
  for (std::size_t i = 1, j = 0; i < n; ++i) {  // bit-reversal permutation
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  std::vector<std::complex<double>> w;
  for (std::size_t len = 2; len <= n; len <<= 1) {
    // Each twiddle from its own angle: a running product drifts by len * eps.
    const double angle = -2 * std::numbers::pi / double(len);
    w.resize(len / 2);
    for (std::size_t k = 0; k < len / 2; ++k) w[k] = std::polar(1.0, angle * double(k));
    for (std::size_t start = 0; start < n; start += len)
      for (std::size_t k = 0; k < len / 2; ++k) {
        const std::complex<double> u = a[start + k], v = a[start + k + len / 2] * w[k];
        a[start + k] = u + v;
        a[start + k + len / 2] = u - v;
      }
  }
}

std::vector<double> causal_convolution(const std::vector<double>& x, const std::vector<double>& h) {
  std::vector<double> y(x.size(), 0.0);
  if (x.empty() || h.empty()) return y;
  // Blocks of x as long as h, each convolved in a transform of twice that (no wrap-around),
  // its tail added to the next blocks' outputs.
  std::size_t n = 1;
  while (n < 2 * h.size()) n <<= 1;
  const std::size_t block = n - h.size() + 1;
  std::vector<std::complex<double>> filter(n, 0.0), a(n);
  std::copy(h.begin(), h.end(), filter.begin());
  fft(filter);
  for (std::size_t start = 0; start < x.size(); start += block) {
    const std::size_t count = std::min(block, x.size() - start);
    std::fill(a.begin(), a.end(), 0.0);
    std::copy_n(x.begin() + static_cast<std::ptrdiff_t>(start), count, a.begin());
    fft(a);
    // The inverse as the forward transform of the conjugate, conjugated, over n.
    for (std::size_t k = 0; k < n; ++k) a[k] = std::conj(a[k] * filter[k]);
    fft(a);
    for (std::size_t i = 0; i < n && start + i < y.size(); ++i) y[start + i] += a[i].real() / double(n);
  }
  return y;
}

}  // namespace ns
