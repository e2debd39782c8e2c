#include "circuit/transient_noise.hpp"

#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "netlist/location.hpp"

namespace ns {

namespace {

// splitmix64's finaliser: a bijection that scatters nearby inputs.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr double max_points = 1e7;

}  // namespace

std::uint64_t TransientNoise::key(std::uint64_t stream, std::string_view device) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a of the name
  for (unsigned char c : device) h = (h ^ c) * 1099511628211ull;
  return mix(mix(stream) ^ h);
}

void TransientNoise::start(double step, double tstop, const Location& where, std::string_view device) {
  if (!on_) return;
  if (!(step > 0) || tstop / step > max_points)
    throw InputError(where, fmt::format("transient noise of '{}' would need {:g} grid points up to tstop "
                                        "(at most {:g}): a longer noisedt or .tran step",
                                        device, tstop / step, max_points));
  step_ = step;
  tstop_ = tstop;
  scale_ = 1 / std::sqrt(2 * step);
}

// Counter-based: Box-Muller on two hashes of (key, k, n), so any sample is drawn alone.
double TransientNoise::normal(int k, std::int64_t n) const {
  const std::uint64_t h1 =
      mix(key_ ^ mix(static_cast<std::uint64_t>(n) * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(k) * 0xd1b54a32d192ed03ULL));
  const std::uint64_t h2 = mix(h1 + 0x632be59bd9b4e019ULL);
  const double u1 = (static_cast<double>(h1 >> 11) + 1) * 0x1p-53;  // (0, 1]
  const double u2 = static_cast<double>(h2 >> 11) * 0x1p-53;        // [0, 1)
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

double TransientNoise::white(int k, double t) const {
  if (!on_ || step_ == 0 || !(t > 0)) return 0;
  const double s = t / step_;
  const double floor = std::floor(s);
  const auto n = static_cast<std::int64_t>(floor);
  const double frac = s - floor;
  // Sample 0 is 0: the noise starts from the operating point, which is noiseless.
  const double z0 = n == 0 ? 0.0 : normal(k, n), z1 = normal(k, n + 1);
  return scale_ * (z0 + (z1 - z0) * frac);
}

void TransientNoise::breakpoints(double from, double to, std::vector<double>& out) const {
  if (!on_ || step_ == 0) return;
  for (double n = std::max(0.0, std::floor(from / step_)); n * step_ <= to; ++n)
    if (n * step_ > from) out.push_back(n * step_);
}

}  // namespace ns
