// The noisy models' G against finite differences of f with their transient noise on
// (circuit/transient_noise.hpp): the noise term's own derivatives (an amplitude that
// depends on the state: sqrt(4 kT g(V, T)) for NbOx, sqrt(D(p)) for the STNO, a thermal
// field inside the macrospin's torques) are part of the Jacobian IDA's Newton uses. Each
// device is loaded in Mode::Tran between two grid points of its noise, with a noise grid
// so fine that the noise is a large part of every row (the amplitude grows as 1/sqrt(h)),
// so that a wrong noise derivative cannot hide under the tolerance (harness.hpp: relative
// 1e-5 plus 1e-9 of the largest entry); each case checks first that the noise is on and
// changes the rows (and G, where its amplitude depends on the state).
#include "harness.hpp"

namespace ns::test {
namespace {

// A Bench loaded at one fixed time, whatever expect_jacobian asks.
struct AtTime {
  const Bench& bench;
  double time;
  std::size_t size() const { return bench.size(); }
  Sample load(const std::vector<double>& x, Mode mode, double, double gmin) const {
    return bench.load(x, mode, time, gmin);
  }
};

double largest_difference(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a[i].size(); ++j) d = std::max(d, std::abs(a[i][j] - b[i][j]));
  return d;
}

double largest(const std::vector<std::vector<double>>& a) {
  double d = 0;
  for (const auto& row : a)
    for (double v : row) d = std::max(d, std::abs(v));
  return d;
}

// Starts the bench's transient on a noise grid h and checks at n random points x (from
// `draw`) that the noise is on at t = 7.3 h and G matches finite differences there.
// `state_dependent`: the noise amplitude depends on x, so G must change with it.
template <class Draw>
void check(Bench& b, double h, Draw draw, bool state_dependent, int n = 8) {
  b.device().start_transient(h, 100 * h);
  const double t = 7.3 * h;
  std::mt19937 rng(11);
  for (int k = 0; k < n; ++k) {
    const std::vector<double> x = draw(rng);
    SCOPED_TRACE(::testing::Message() << b.device().name() << " sample " << k);
    const Sample quiet = b.load(x, Mode::Tran, 0), noisy = b.load(x, Mode::Tran, t);
    double df = 0, f = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      df = std::max(df, std::abs(noisy.f[i] - quiet.f[i]));
      f = std::max(f, std::abs(quiet.f[i]));
    }
    EXPECT_GT(df, 1e-2 * f) << "the noise is off or negligible";
    if (state_dependent) {
      EXPECT_GT(largest_difference(noisy.G, quiet.G), 1e-3 * largest(noisy.G)) << "the noise leaves G alone";
    }
    expect_jacobian(AtTime{b, t}, x, 1e-5, 1e-12, Mode::Tran);
  }
}

TEST(NoiseJacobian, Resistor) {
  Bench b("r", element('r', "r1", {"n0", "n1"}, {2.2e3}, {{"noise", 1, {}}}), {}, {0, 1}, 2);
  check(b, 1e-20, [](std::mt19937& rng) {
    std::uniform_real_distribution<double> v(-3, 3);
    return std::vector<double>{v(rng), v(rng)};
  }, false);
}

TEST(NoiseJacobian, NbOx) {
  Bench b("nbox", element('n', "n1", {"n0", "n1"}), model("nbox", {{"noise", 1, {}}}), {0, 1}, 2);
  // |V| kept off 0, where d ln g / dV is infinite (the model leaves that term out there).
  check(b, 1e-20, [](std::mt19937& rng) {
    std::uniform_real_distribution<double> v(0.05, 1.5), temp(300, 5500);
    std::bernoulli_distribution sign;
    return std::vector<double>{sign(rng) ? v(rng) : -v(rng), 0.0, temp(rng)};
  }, true);
}

TEST(NoiseJacobian, Macrospin) {
  Bench b("mtj", element('n', "n1", {"n0", "0"}), model("mtj", {{"noise", 1, {}}, {"hx", 3e4, {}}, {"fl", 0.3, {}}}),
          {0, ground}, 1);
  check(b, 1e-16, [](std::mt19937& rng) {
    std::uniform_real_distribution<double> theta(0.3, 2.8), phi(-3, 3), v(-0.8, 0.8);
    return std::vector<double>{v(rng), theta(rng), phi(rng)};
  }, true);
}

TEST(NoiseJacobian, SpinTorqueOscillator) {
  Bench b("stno", element('n', "n1", {"n0", "n1"}), model("stno", {{"noise", 1, {}}, {"psi", 0.7, {}}}), {0, 1}, 2);
  check(b, 1e-22, [](std::mt19937& rng) {
    std::uniform_real_distribution<double> c(-0.8, 0.8), v(-0.5, 0.5), idc(-10e-3, 10e-3);
    return std::vector<double>{v(rng), 0.1 * v(rng), c(rng), c(rng), idc(rng)};
  }, true);
}

}  // namespace
}  // namespace ns::test
