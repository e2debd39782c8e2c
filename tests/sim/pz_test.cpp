// .pz: poles and zeros of small linear circuits against their analytic values, and
// against ngspice on our own decks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <iostream>
#include <string>
#include <vector>

#include "sim/support.hpp"

namespace ns::test {
namespace {

using Complex = std::complex<double>;

std::vector<Complex> found(const Table& t, const std::string& what) {
  std::vector<Complex> r;
  for (int k = 1; t.has("real(" + what + "(" + std::to_string(k) + "))"); ++k) {
    const std::string name = what + "(" + std::to_string(k) + ")";
    r.emplace_back(t.col("real(" + name + ")").at(0), t.col("imag(" + name + ")").at(0));
  }
  return r;
}

// Each expected root matched by one found root within `rel` of its size.
void expect_roots(std::vector<Complex> got, const std::vector<Complex>& expected, double rel) {
  ASSERT_EQ(got.size(), expected.size());
  for (Complex e : expected) {
    auto best = std::min_element(got.begin(), got.end(),
                                 [&](Complex a, Complex b) { return std::abs(a - e) < std::abs(b - e); });
    EXPECT_LT(std::abs(*best - e), rel * std::abs(e)) << "expected " << e << ", nearest " << *best;
    got.erase(best);
  }
}

// Series RLC, output across C: 1 / (LC s^2 + RC s + 1), poles -R/2L +- j sqrt(1/LC - (R/2L)^2),
// no zeros. The roots come from polynomial coefficients recovered to ~1e-13: 1e-9 is
// the rounding left after the root finder, with room.
TEST(Pz, SeriesRlcHasItsComplexPair) {
  const auto run = run_neurospice("rlc\nV1 in 0 dc 0 ac 1\nR1 in a 100\nL1 a out 1m\nC1 out 0 1n\n"
                                  ".pz in 0 out 0 vol pz\n.end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const double alpha = 100 / (2 * 1e-3), wd = std::sqrt(1 / (1e-3 * 1e-9) - alpha * alpha);
  expect_roots(found(run.table(), "pole"), {{-alpha, wd}, {-alpha, -wd}}, 1e-9);
  EXPECT_TRUE(found(run.table(), "zero").empty());
}

// Two RC sections: D(s) = R1C1R2C2 s^2 + (R1C1 + R2C2 + R1C2) s + 1, its two real roots.
TEST(Pz, TwoRcSectionsHaveTheQuadraticsRoots) {
  const double r1 = 1e3, c1 = 1e-9, r2 = 10e3, c2 = 100e-12;
  const auto run = run_neurospice("rc2\nV1 in 0 dc 0 ac 1\nR1 in a 1k\nC1 a 0 1n\nR2 a out 10k\nC2 out 0 100p\n"
                                  ".pz in 0 out 0 vol pol\n.end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const double a = r1 * c1 * r2 * c2, b = r1 * c1 + r2 * c2 + r1 * c2;
  const double disc = std::sqrt(b * b - 4 * a);
  expect_roots(found(run.table(), "pole"), {{(-b - disc) / (2 * a), 0}, {(-b + disc) / (2 * a), 0}}, 1e-9);
}

// cur: a current into R || C, v across it: R / (1 + sRC): one pole at -1/RC. With a
// series R3-C3 branch to ground from the output, a zero where R3 + 1/(s C3) = 0.
TEST(Pz, CurrentInputAndAZero) {
  auto run = run_neurospice("rc\nI1 0 a dc 0 ac 1\nR1 a 0 1k\nC1 a 0 1n\n.pz a 0 a 0 cur pz\n.end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  expect_roots(found(run.table(), "pole"), {{-1e6, 0}}, 1e-9);
  run = run_neurospice("zero\nV1 in 0 ac 1\nR1 in out 1k\nR3 out x 2k\nC3 x 0 1n\n.pz in 0 out 0 vol zer\n.end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  expect_roots(found(run.table(), "zero"), {{-1 / (2e3 * 1e-9), 0}}, 1e-9);
}

// Poles over eight decades (a bipolar stage's junction and transit-time poles sit this
// far from its load's): five RC sections, each buffered by a unit E source, so each gives
// one pole at -1/(R C): -1e4, -1e9, -5e10, -5e11 and, from the last (R5 || C5 into R6),
// -(R5 + R6)/(R5 R6 C5) = -2e12 with a zero at -1/(R5 C5) = -1e12. One circle of samples
// lost the top three (found 4 poles, one of them -3.9e11); ngspice-39 prints these six.
TEST(Pz, PolesOverEightDecades) {
  const auto run = run_neurospice(
      "spread\nV1 in 0 ac 1\nR1 in a 1k\nC1 a 0 100n\nE1 b 0 a 0 1\nR2 b c 1k\nC2 c 0 1p\n"
      "E2 d 0 c 0 1\nR3 d e 1k\nC3 e 0 20f\nE3 f 0 e 0 1\nR4 f g 1k\nC4 g 0 2f\nE4 h 0 g 0 1\n"
      "R5 h out 1k\nC5 h out 1f\nR6 out 0 1k\n.pz in 0 out 0 vol pz\n.end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  expect_roots(found(run.table(), "pole"), {{-1e4, 0}, {-1e9, 0}, {-5e10, 0}, {-5e11, 0}, {-2e12, 0}}, 1e-9);
  expect_roots(found(run.table(), "zero"), {{-1e12, 0}}, 1e-9);
}

// A two-pole active filter: the unity-gain Sallen-Key low-pass (R1 = R2 = 10k, C1 = 20n
// across to the output, C2 = 10n to ground, E1 a unity buffer), 1 / (R1R2C1C2 s^2 +
// C2 (R1 + R2) s + 1): w0 = 1/sqrt(R1R2C1C2) = 7071 rad/s, Q = 1/sqrt(2), so the poles are
// -5000 +- 5000j and there is no finite zero. ngspice-39 prints the same pair; its raw
// file's first vector is read as a scale (real part only, see below), so its pole(1) is
// taken as the conjugate of pole(2) after checking the real parts. Measured: 4.4e-16.
TEST(Pz, SallenKeyButterworthPair) {
  const std::string deck = deck_file("pz_sallen_key.cir");
  const auto run = run_neurospice(deck);
  ASSERT_EQ(run.status, 0) << run.err;
  const double r = 10e3, c1 = 20e-9, c2 = 10e-9;
  const double w0 = 1 / std::sqrt(r * r * c1 * c2), q = std::sqrt(r * r * c1 * c2) / (c2 * 2 * r);
  const double re = -w0 / (2 * q), im = w0 * std::sqrt(1 - 1 / (4 * q * q));
  const auto poles = found(run.table(), "pole");
  expect_roots(poles, {{re, im}, {re, -im}}, 1e-9);
  EXPECT_TRUE(found(run.table(), "zero").empty());
  double worst = 0;
  for (Complex p : poles) worst = std::max(worst, std::min(std::abs(p - Complex(re, im)), std::abs(p - Complex(re, -im))) / w0);
  std::cout << "[analytic] sallen-key poles " << poles.at(0) << " " << poles.at(1) << ": max rel " << worst << "\n";
  const Table theirs = plot(run_ngspice(deck), "Pole-Zero");
  const Complex second(theirs.col("vr(pole(2))").at(0), theirs.col("vi(pole(2))").at(0));
  ASSERT_NEAR(theirs.col("v(pole(1))").at(0), second.real(), 1e-12 * w0);
  expect_roots(poles, {std::conj(second), second}, 1e-9);
}

// Against ngspice: three RC sections with a zero, from its raw file's full doubles
// (measured: every root agrees to 1e-14; 1e-9 is the analytic tests' rounding bound).
TEST(NgspicePz, ThreeRcSectionsWithAZero) {
  const std::string deck = deck_file("pz_rc3.cir");
  const auto run = run_neurospice(deck);
  ASSERT_EQ(run.status, 0) << run.err;
  const Table theirs = plot(run_ngspice(deck), "Pole-Zero");
  for (const std::string what : {"pole", "zero"}) {
    // The raw reader takes a plot's first vector as its scale (real part only, named
    // v(pole(1))); an RC network's roots are real, so nothing is lost with it.
    std::vector<Complex> expected;
    for (int k = 1;; ++k) {
      const std::string v = what + "(" + std::to_string(k) + ")";
      if (theirs.has("vr(" + v + ")")) expected.emplace_back(theirs.col("vr(" + v + ")").at(0), theirs.col("vi(" + v + ")").at(0));
      else if (theirs.has("v(" + v + ")")) expected.emplace_back(theirs.col("v(" + v + ")").at(0), 0);
      else break;
    }
    std::cout << "[ngspice] " << what << "s: " << expected.size() << "\n";
    expect_roots(found(run.table(), what), expected, 1e-9);
  }
}

}  // namespace
}  // namespace ns::test
