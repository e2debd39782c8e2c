// linearize and fft against a sine's analytic spectrum: 1024 points 1 us apart (no zero
// padding), the sine at 8 cycles over them (7812.5 Hz), so bin 8 holds it exactly. The
// scaling is ngspice's, 2/N on every bin: a rectangular window gives the amplitude in bin 8
// and twice the offset in bin 0; ngspice's default hanning window (1 - cos, mean 1) about
// the same in bins 0 and 8 and half of them in bins 1 and 7, 9; the other windows agreed
// with ngspice-39's to 4e-4 on a sine (the two transients' own difference).
#include <cmath>
#include <complex>
#include <map>
#include <regex>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using ns::control_test::printed;

TEST(Spectrum, SineOnABin) {
  const auto r = ns::control_test::neurospice("fft", R"(fft of a sine
v1 1 0 sin(0.25 0.8 7812.5)
r1 1 0 1
.control
tran 1u 1023u 0 0.1u
linearize v(1)
print length(time) time[1023]
set specwindow = rectangular
fft v(1)
let r0 = mag(v(1)[0])
let r8 = mag(v(1)[8])
let r20 = mag(v(1)[20])
print length(frequency) frequency[8] r0 r8 r20
setplot tran2
unset specwindow
fft v(1)
print mag(v(1)[0]) mag(v(1)[1]) mag(v(1)[8]) mag(v(1)[7]) mag(v(1)[9]) mag(v(1)[20])
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = printed(r.out);
  ASSERT_TRUE(v.count("mag(v(1)[20])")) << r.out << r.err;
  EXPECT_EQ(v.at("length(time)"), 1024);
  EXPECT_NEAR(v.at("time[1023]"), 1023e-6, 1e-15);
  EXPECT_EQ(v.at("length(frequency)"), 513);
  EXPECT_NEAR(v.at("frequency[8]"), 8 / 1023e-6, 1e-3);  // ngspice's k * length / (span * N)
  // the sine's samples are exact to the tran's interpolation, (2 pi f 0.1u)^2/8 ~ 1e-7
  const double tol = 1e-5;
  EXPECT_NEAR(v.at("r0"), 0.5, tol);
  EXPECT_NEAR(v.at("r8"), 0.8, tol);
  EXPECT_NEAR(v.at("r20"), 0, tol);
  // ngspice's hanning spans the scale, first to last point: its period is 1023 samples,
  // not 1024, which moves the bins by ~1/N from the values above; the sums themselves:
  auto bin = [](int k) {
    std::complex<double> sum = 0;
    for (int i = 0; i < 1024; ++i)
      sum += (0.25 + 0.8 * std::sin(2 * M_PI * 8 * i / 1024.0)) * (1 - std::cos(2 * M_PI * i / 1023.0)) *
             std::polar(1.0, -2 * M_PI * k * i / 1024.0);
    return std::abs(sum) * 2 / 1024;
  };
  EXPECT_NEAR(bin(8), 0.8, 2e-3);
  for (int k : {0, 1, 7, 8, 9, 20}) EXPECT_NEAR(v.at(fmt::format("mag(v(1)[{}])", k)), bin(k), tol) << k;
}

}  // namespace

// fft() and ifft(), the vector functions, on a sum of two sines on bins 8 and 24 of 512
// points 1 us apart (no padding): fft() has no window, so bin 8 holds 2 at phase -pi/2
// (a sine), bin 24 0.5 at phase 0 (a cosine), every other bin 0; ifft() of the 257 bins
// over the plot's 512 points gives back u as its real part and u's Hilbert transform,
// 0.5 sin - 2 cos, as its imaginary part. Exact to rounding: u is computed
// on the linearized time points, not interpolated.
static const char* two_sines = R"(fft() of two sines
v1 1 0 dc 0
r1 1 0 1
.control
tran 1u 511u
linearize
let u = 2*sin(2*pi*15625*time) + 0.5*cos(2*pi*46875*time)
let s = fft(u)
print length(s) length(fft_scale) fft_scale[8]
print mag(s[8]) ph(s[8]) mag(s[24]) ph(s[24]) mag(s[0]) mag(s[7]) mag(s[100])
let b = ifft(s)
let hilbert = 0.5*sin(2*pi*46875*time) - 2*cos(2*pi*15625*time)
let dre = vecmax(abs(real(b) - u))
let dim = vecmax(abs(imag(b) - hilbert))
print length(b) dre dim
.endc
.end
)";

TEST(Spectrum, FftFunctionOfTwoSines) {
  const auto r = ns::control_test::neurospice("fft_function", two_sines);
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = printed(r.out);
  ASSERT_TRUE(v.count("dim")) << r.out << r.err;
  EXPECT_EQ(v.at("length(s)"), 257);
  EXPECT_EQ(v.at("length(fft_scale)"), 257);
  EXPECT_NEAR(v.at("fft_scale[8]"), 8 * 512 / (511e-6 * 512), 1e-6 * 15656);  // ngspice's k * length / (span * N), 7 digits
  const double tol = 1e-12;
  EXPECT_NEAR(v.at("mag(s[8])"), 2, tol);
  EXPECT_NEAR(v.at("ph(s[8])"), -M_PI / 2, 1e-5);  // printed to 6 digits
  EXPECT_NEAR(v.at("mag(s[24])"), 0.5, tol);
  EXPECT_NEAR(v.at("ph(s[24])"), 0, 1e-6);
  EXPECT_NEAR(v.at("mag(s[0])"), 0, tol);
  EXPECT_NEAR(v.at("mag(s[7])"), 0, tol);
  EXPECT_NEAR(v.at("mag(s[100])"), 0, tol);
  EXPECT_EQ(v.at("length(b)"), 512);
  EXPECT_LT(v.at("dre"), 1e-12);
  EXPECT_LT(v.at("dim"), 1e-12);
}

// The same deck through ngspice-39: every number we print equal to ngspice's to its
// printed digits (a value that is 0 analytically is rounding noise in both, compared
// absolutely).
TEST(Spectrum, FftFunctionAgreesWithNgspice) {
  const auto dir = ns::control_test::fresh_dir("fft_function_deck");
  std::ofstream(dir / "two_sines.cir") << two_sines;
  const auto theirs = ns::control_test::ngspice("fft_function_ngspice", (dir / "two_sines.cir").string());
  const auto ours = ns::control_test::neurospice("fft_function_ours", two_sines);
  const auto a = printed(ours.out), b = printed(theirs.out);
  ASSERT_TRUE(b.count("dim")) << theirs.out << theirs.err;
  ASSERT_EQ(a.size(), 13u) << ours.out;
  for (const auto& [name, value] : a) {
    ASSERT_TRUE(b.count(name)) << name;
    EXPECT_NEAR(value, b.at(name), 1e-5 * std::fabs(b.at(name)) + 1e-9) << name;
  }
}

// fft() without a scale of its length goes along the index (ngspice's): 1 + cos at 2 cycles
// over 8 points gives 2 in bin 0 and 1 in bin 2 (2/N scaling, 5 bins); of the same
// vector made complex, all 8 bins scaled by 1/N: 1 in bin 0, 0.5 in bins 2 and 6.
TEST(Spectrum, FftFunctionAlongTheIndexAndOfAComplexVector) {
  const auto r = ns::control_test::neurospice("fft_index", R"(fft of plain vectors
.control
let a = vector(8)
let b = cos(a*2*pi/8*2)+1
let s = fft(b)
let sc = fft(b + j(0))
print length(s) real(s[0]) real(s[2]) mag(s[1]) mag(s[3]) mag(s[4])
print length(sc) real(sc[0]) real(sc[2]) real(sc[6]) mag(sc[1]) mag(sc[4])
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = printed(r.out);
  ASSERT_TRUE(v.count("mag(sc[4])")) << r.out << r.err;
  EXPECT_EQ(v.at("length(s)"), 5);
  EXPECT_EQ(v.at("length(sc)"), 8);
  const double tol = 1e-12;
  EXPECT_NEAR(v.at("real(s[0])"), 2, tol);
  EXPECT_NEAR(v.at("real(s[2])"), 1, tol);
  for (const char* zero : {"mag(s[1])", "mag(s[3])", "mag(s[4])", "mag(sc[1])", "mag(sc[4])"}) EXPECT_NEAR(v.at(zero), 0, tol) << zero;
  EXPECT_NEAR(v.at("real(sc[0])"), 1, tol);
  EXPECT_NEAR(v.at("real(sc[2])"), 0.5, tol);
  EXPECT_NEAR(v.at("real(sc[6])"), 0.5, tol);
}
