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

std::map<std::string, double> printed(const std::string& out) {
  std::map<std::string, double> values;
  static const std::regex line(R"((\S+) = ([-+0-9.e]+))");
  for (std::sregex_iterator it(out.begin(), out.end(), line), end; it != end; ++it)
    values[(*it)[1]] = std::stod((*it)[2]);
  return values;
}

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
