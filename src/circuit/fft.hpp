#pragma once
// The one FFT (radix 2, in place) and what is built on it: the control language's fft,
// .meas's frequency, and trnoise's 1/f filter (a causal convolution, by overlap-add).
#include <complex>
#include <vector>

namespace ns {

// X[k] = sum x[n] exp(-2 pi i k n / N); N = a.size(), a power of two.
void fft(std::vector<std::complex<double>>& a);

// y[i] = sum_{k <= i} h[k] x[i - k] for i < x.size(): the direct sum costs x.size() *
// h.size() products (5e9 for trnoise's 4096 taps over 250k samples x 5 sources, seconds);
// this one O(x.size() log h.size()), the same to rounding (1e-15 of the largest |y|).
std::vector<double> causal_convolution(const std::vector<double>& x, const std::vector<double>& h);

}  // namespace ns
