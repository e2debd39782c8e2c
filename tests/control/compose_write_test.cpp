// compose, deriv, integ and write. Expected values: ngspice-39's output on the same decks
// (compose's vectors, deriv and integ on a DC sweep, printed to 9 digits), and analytic
// ones where the algorithm is exact (deriv of a parabola, integ of a line).
#include <cmath>
#include <regex>

#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using namespace ns::control_test;

const char* resistor = "compose\nv1 1 0 1\nr1 1 0 1k\n";

std::vector<double> column(const std::string& text, std::size_t k) {
  std::vector<double> out;
  for (const auto& row : numbers(text)) out.push_back(row.at(k));
  return out;
}

TEST(Compose, AsNgspice) {
  const auto r = neurospice("compose", std::string(resistor) + R"(.control
compose v1 values (-3) (-5*PI) 4 6*e
compose v3 start=-3 stop=7 step = 2
compose v4 start=-3 stop=7 lin=4
compose v5 start=0 stop=1 step=0.3
compose v6 start=1 step=0.5 lin=4
compose v9 dec=3 start=0.1 stop=10
compose v10 log=3 start=0.1 stop=10
compose v11 len=3
compose v12 start=2 stop=0 step=1
wrdata c v1 v3 v4 v5 v6 v9 v10 v11 v12
.endc
)");
  ASSERT_EQ(r.status, 0) << r.err;
  // wrdata in the const plot (no scale): the vectors side by side, shorter ones blank.
  std::vector<std::vector<double>> rows;
  std::istringstream lines(r.file("c"));
  for (std::string line; std::getline(lines, line);) {
    std::vector<double> row;
    for (std::size_t at = 0; at + 16 <= line.size() + 1; at += 16) {
      const std::string field = line.substr(at, 16);
      row.push_back(field.find_first_not_of(' ') == std::string::npos ? NAN : std::stod(field));
    }
    rows.push_back(row);
  }
  auto vec = [&](std::size_t k) {
    std::vector<double> v;
    for (const auto& row : rows)
      if (k < row.size() && !std::isnan(row[k])) v.push_back(row[k]);
    return v;
  };
  auto expect = [&](std::size_t k, std::vector<double> want) {
    const auto got = vec(k);
    ASSERT_EQ(got.size(), want.size()) << "vector " << k;
    for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-6 * std::fabs(want[i]) + 1e-12) << k;
  };
  expect(0, {-3, -15.707963, 4, 16.309691});
  expect(1, {-3, -1, 1, 3, 5, 7});
  expect(2, {-3, 0.333333333, 3.66666667, 7});
  expect(3, {0, 0.3, 0.6, 0.9});
  expect(4, {1, 1.5, 2, 2.5});
  expect(5, {0.1, 0.2154435, 0.4641589, 1, 2.154435, 4.641589, 10});
  expect(6, {0.1, 1, 10});
  expect(7, {0, 1, 2});
  expect(8, {2, 1, 0});
}

// deriv: the parabola through a point and its neighbours; integ: trapezoids. On a DC sweep
// both equal ngspice's to its 9 printed digits; on a transient's uneven steps deriv of a
// parabola and integ of a line are exact.
TEST(Calculus, DerivIntegAsNgspice) {
  const auto r = neurospice("calculus", R"(calculus
v1 in 0 dc 0
b1 y 0 v=exp(v(in))*sin(3*v(in))
r1 y 0 1k
b2 p 0 v=time*time*1e12
r2 p 0 1k
.control
dc v1 0 3 0.25
let d = deriv(v(y))
let q = integ(v(y))
wrdata dc.txt d q
tran 10n 1u
let dp = deriv(v(p)) - 2e12*time
let qt = integ(time) - time*time/2
print vecmax(abs(dp)) vecmax(abs(qt))
.endc
)");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto d = column(r.file("dc.txt"), 1), q = column(r.file("dc.txt"), 3);
  const std::vector<double> ng_d = {3.71274954, 3.28918240, 1.54387896, -2.52197450, -7.28425199, -9.52918000, -5.89576342,
                                    4.63273851, 18.4254520, 26.9835917, 20.3241175, -6.29911600, -42.9355799};
  const std::vector<double> ng_q = {0, 0.109405187, 0.424384273, 0.835855795, 1.08970391, 0.888286277, 0.0912948933,
                                    -1.07418170, -1.95011214, -1.67445183, 0.287682960, 3.52007510, 6.35877248};
  ASSERT_EQ(d.size(), ng_d.size());
  for (std::size_t k = 0; k < d.size(); ++k) {
    EXPECT_NEAR(d[k], ng_d[k], 1e-8 * std::fabs(ng_d[k]) + 1e-9) << k;
    EXPECT_NEAR(q[k], ng_q[k], 1e-8 * std::fabs(ng_q[k]) + 1e-9) << k;
  }
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(vecmax\(abs\(dp\)\) = (\S+)\nvecmax\(abs\(qt\)\) = (\S+))"))) << r.out;
  EXPECT_LT(std::stod(m[1]), 1e-5);   // of a slope up to 2e6 V/s (5e-12): 1e-13 V of v(p) over 10 ns
  EXPECT_LT(std::stod(m[2]), 1e-24);  // of values up to 5e-13
}

// write: ngspice's rawspice.raw (binary) without a file; ascii with filetype=ascii; the
// whole plot, or the chosen vectors after the scale, their numbers those of the plot.
TEST(Write, RawFiles) {
  const auto r = neurospice("write", R"(Write test
v1 in 0 dc 0
r1 in out 1k
r2 out 0 3k
.control
dc v1 0 2 0.5
write
set filetype=ascii
write all.raw
write two.raw v(out) v(in)*2
.endc
)");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string binary = r.file("rawspice.raw"), all = r.file("all.raw"), two = r.file("two.raw");
  EXPECT_NE(binary.find("Plotname: DC transfer characteristic\n"), std::string::npos) << binary.substr(0, 300);
  EXPECT_NE(binary.find("\nBinary:\n"), std::string::npos);
  EXPECT_NE(all.find("Title: Write test\n"), std::string::npos);
  EXPECT_NE(all.find("No. Variables: 4\n"), std::string::npos) << all;
  EXPECT_NE(two.find("Variables:\n\t0\tv-sweep\tvoltage\n\t1\tv(out)\tvoltage\n\t2\tv(in)*2\t"), std::string::npos) << two;
  // Values: the point index and the sweep on one line, then one value a line.
  const std::string values = two.substr(two.find("Values:\n") + 8);
  std::vector<double> x;
  std::istringstream in(values);
  for (double v; in >> v;) x.push_back(v);
  ASSERT_EQ(x.size(), 5u * 4u);
  for (std::size_t k = 0; k < 5; ++k) {
    const double sweep = 0.5 * double(k);
    EXPECT_EQ(x[4 * k], double(k));
    EXPECT_DOUBLE_EQ(x[4 * k + 1], sweep);
    EXPECT_NEAR(x[4 * k + 2], 0.75 * sweep, 1e-12);
    EXPECT_DOUBLE_EQ(x[4 * k + 3], 2 * sweep);
  }
}

}  // namespace

namespace {

using namespace ns::control_test;

// An .ac plot's vectors are complex: arithmetic, parts, j(), indexing, print and wrdata as
// ngspice-39 wrote them for this RC low-pass (h = 1/(1 + j w RC), RC = 1 ms).
TEST(ComplexVectors, AcPlotAsNgspice) {
  const auto r = neurospice("complex", R"(AC complex
v1 in 0 dc 0 ac 1
r1 in out 1k
c1 out 0 1u
.control
ac lin 3 100 300
print v(out)
let h = v(out)
print mag(h) ph(h) db(h)
let z = v(in)/(v(in)-v(out)) * 1k
print z
let w = j(2) * 3 + 1
print w
print h[1]
let m = mag(h)
print m[1]
wrdata acw h
if mag(h[0]) > 0.5
echo big
end
.endc
.end
)");
  ASSERT_EQ(r.status, 0) << r.err;
  // ngspice's pages: the title and the plot over each, columns to 80 characters (the
  // complex frequency counts 32), so db(h) goes to a page of its own.
  const std::string heading = std::string(35, ' ') + "ac complex\n" + std::string(35, ' ') + "AC Analysis  DATE\n" +
                              std::string(80, '-') + "\n";
  EXPECT_EQ(undated(r.out),
            heading + "Index   frequency       v(out)                          \n" + std::string(80, '-') + "\n"
            "0\t1.000000e+02\t7.169568e-01,\t-4.50477e-01\t\n"
            "1\t2.000000e+02\t3.877266e-01,\t-4.87232e-01\t\n"
            "2\t3.000000e+02\t2.196326e-01,\t-4.13998e-01\t\n" +
            heading + "Index   frequency       mag(h)          ph(h)           \n" + std::string(80, '-') + "\n"
            "0\t1.000000e+02\t8.467330e-01\t-5.60982e-01\t\n"
            "1\t2.000000e+02\t6.226770e-01\t-8.98637e-01\t\n"
            "2\t3.000000e+02\t4.686498e-01\t-1.08303e+00\t\n"
            "\f\n" + heading + "Index   frequency       db(h)           \n" + std::string(80, '-') + "\n"
            "0\t1.000000e+02\t-1.44507e+00\t\n"
            "1\t2.000000e+02\t-4.11474e+00\t\n"
            "2\t3.000000e+02\t-6.58303e+00\t\n" +
            heading + "Index   frequency       z                               \n" + std::string(80, '-') + "\n"
            "0\t1.000000e+02\t1.000000e+03,\t-1.59155e+03\t\n"
            "1\t2.000000e+02\t1.000000e+03,\t-7.95775e+02\t\n"
            "2\t3.000000e+02\t1.000000e+03,\t-5.30516e+02\t\n"
            "w = 1.000000e+00,6.000000e+00\n"
            "h[1] = 3.877266e-01,-4.87232e-01\n"
            "m[1] = 6.226770e-01\n"
            "big\n");
  EXPECT_EQ(r.file("acw"),
            " 1.00000000e+02  7.16956800e-01 -4.50477243e-01 \n"
            " 2.00000000e+02  3.87726637e-01 -4.87231661e-01 \n"
            " 3.00000000e+02  2.19632627e-01 -4.13997749e-01 \n");
  // And analytically: h = 1/(1 + j 2 pi f RC) at 200 Hz.
  const double wrc = 2 * M_PI * 200 * 1e-3;
  EXPECT_NEAR(numbers(r.file("acw"))[1][1], 1 / (1 + wrc * wrc), 1e-8);
  EXPECT_NEAR(numbers(r.file("acw"))[1][2], -wrc / (1 + wrc * wrc), 1e-8);
}

}  // namespace
