// What scripts written for ngspice need beyond the basics: meas sp over an fft's spectrum,
// measure windows that reach past the data (narrowed to it), FIND AT= over a nested .dc,
// an alter of a MOSFET's w that moves it to another model bin, and the deck's .print
// tables printed on stdout after the script as `ngspice -b` prints them. Expected values
// are closed forms, or what ngspice-39 printed for the same deck (`ngspice -b deck.cir`).
#include <cmath>
#include <regex>

#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using ns::control_test::neurospice;

// "name = value ..." lines (meas and print), the k-th of a name as name#k.
std::map<std::string, double> results(const std::string& out) {
  std::map<std::string, double> v;
  std::map<std::string, int> seen;
  static const std::regex line(R"(^(\S+)\s*= +([-+0-9.e]+))");
  std::istringstream lines(out);
  for (std::string l; std::getline(lines, l);) {
    std::smatch m;
    if (!std::regex_search(l, m, line)) continue;
    const std::string name = m[1];
    v[name + "#" + std::to_string(seen[name]++)] = std::stod(m[2]);
  }
  return v;
}

// A triangle wave of 1 MHz sampled every 10 ns: its PWL corners fall on the samples, so
// linearize is exact and the fft the same in both simulators.
TEST(NgspiceGaps, MeasSpOverSpectrum) {
  const auto r = neurospice("meas_sp", R"(meas sp over the fft of a triangle wave
v1 1 0 pwl(0 0 0.25u 1 0.75u -1 1.25u 1 1.75u -1 2.25u 1 2.75u -1 3.25u 1 3.75u -1 4u 0)
r1 1 0 1k
.control
tran 10n 4u
linearize v(1)
fft v(1)
let m = mag(v(1))
meas sp fpeak max_at m from=0.5meg to=1.5meg
meas sp peak max m from=0.5meg to=1.5meg
meas sp third find m at=3meg
meas sp fthird when m=0.05 from=2meg to=5meg
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = results(r.out);
  ASSERT_TRUE(v.count("fpeak#0") && v.count("peak#0") && v.count("third#0") && v.count("fthird#0")) << r.out;
  // ngspice-39: fpeak = 9.790039e+05 with= 6.297763e-01, third = 6.463299e-02, fthird = 2.842356e+06
  EXPECT_NEAR(v.at("fpeak#0"), 9.790039e+05, 1e-6 * 9.79e5);
  EXPECT_NEAR(v.at("peak#0"), 6.297763e-01, 1e-6);
  EXPECT_NEAR(v.at("third#0"), 6.463299e-02, 1e-7);
  EXPECT_NEAR(v.at("fthird#0"), 2.842356e+06, 1e-6 * 2.84e6);
  // the frequency scale: bin k at k * 401 / (4 us * 512), the peak in bin 5
  EXPECT_NEAR(v.at("fpeak#0"), 5 * 401 / (4e-6 * 512), 1e-6 * 9.79e5);  // to the 7 digits printed

  const auto refused = neurospice("meas_sp_tran", R"(meas sp needs a spectrum
v1 1 0 pwl(0 0 1u 1)
r1 1 0 1k
.control
tran 10n 1u
meas sp x max v(1)
.endc
.end
)");
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("deck.cir:6:1: error: 'meas sp' needs a spectrum plot (of fft), not 'tran1'"), std::string::npos)
      << refused.err;
}

// v(2) = v(1)^2 swept 0..1 by 0.1: windows past either end narrow to the data, as ngspice's.
TEST(NgspiceGaps, MeasureWindowsNarrowAtTheEnds) {
  const auto r = neurospice("windows", R"(measure windows narrowed at the data's ends
v1 1 0 0
b1 2 0 v=v(1)*v(1)
r2 2 0 1k
.dc v1 0 1 0.1
.control
run
meas dc m1 max v(2) from=0.5 to=2
meas dc m2 avg v(2) from=0 to=2
meas dc m3 min v(2) from=-1 to=0.5
meas dc m4 when v(2)=0.25 from=0.3 to=5
meas dc m5 pp v(2) from=0.5 to=3
meas dc m6 max_at v(2) from=-2 to=0.7
meas dc m7 find v(2) when v(1)=0.8 from=0.3 to=3
meas dc m8 max v(2) from=2 to=3
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = results(r.out);
  // ngspice-39 printed m1 = 1, m2 = 0.335 (the trapezoids of x^2), m3 = 0, m4 = 0.5,
  // m5 = 0.75, m6 = 0.7, m7 = 0.64
  const std::map<std::string, double> expected = {{"m1#0", 1}, {"m2#0", 0.335}, {"m3#0", 0},   {"m4#0", 0.5},
                                                  {"m5#0", 0.75}, {"m6#0", 0.7}, {"m7#0", 0.64}};
  for (const auto& [name, value] : expected) {
    ASSERT_TRUE(v.count(name)) << name << "\n" << r.out;
    EXPECT_NEAR(v.at(name), value, 1e-9) << name;
  }
  // A window wholly past the data still fails (ngspice-39 prints 0 at 0 for it).
  EXPECT_NE(r.out.find("m8                  failed: the window [2, 3] lies outside the data [0, 1]"), std::string::npos)
      << r.out;
}

// Two nested sweeps of a 1k resistor's voltage vs a source in series: the current along
// the first branch (v2 = 0) at v1 = 0.35, between the samples 0.3 and 0.4.
TEST(NgspiceGaps, FindAtOverNestedSweep) {
  const auto r = neurospice("find_at_nested", R"(FIND AT over a nested dc sweep
v1 a 0 0
v2 a b 0
r1 b 0 1k
.control
dc v1 0 1 0.1 v2 0 0.5 0.25
meas dc i35 find i(v1) at=0.35
meas dc iend find i(v1) at=1
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = results(r.out);
  ASSERT_TRUE(v.count("i35#0") && v.count("iend#0")) << r.out << r.err;
  EXPECT_NEAR(v.at("i35#0"), -0.35e-3, 1e-12);  // (v1 - v2)/1k out of v1's + terminal; ngspice-39 -3.5e-4 too
  EXPECT_NEAR(v.at("iend#0"), -1e-3, 1e-12);    // the branch's last sample (ngspice-39 fails this one)
}

// BSIM4 bins of different vth0: w = 9.99u is in nch.1, 10.01u in nch.2; an alter moves the
// instance between them and back, as ngspice chooses the bin again.
TEST(NgspiceGaps, AlterOfWidthPicksTheBin) {
  const auto r = neurospice("alter_bins", R"(Binned models: an alter of w picks the other bin
m1 d g 0 0 nch l=1u w=9.99u
vg g 0 2
vd d 0 3
.model nch.1 nmos level=54 version=4.7 lmin=0.1u lmax=20u wmin=0.1u wmax=10u vth0=0.4
.model nch.2 nmos level=54 version=4.7 lmin=0.1u lmax=20u wmin=10u wmax=100u vth0=0.7
.control
op
print -i(vd)
alter @m1[w]=10.01u
op
print -i(vd)
alter @m1[w]=9.99u
op
print -i(vd)
alter @m1[w]=200u
.endc
.end
)");
  EXPECT_EQ(r.status, 1) << r.err;  // the last alter fits no bin
  const auto v = results(r.out);
  ASSERT_TRUE(v.count("-i(vd)#2")) << r.out << r.err;
  // ngspice-39: 3.586831e-03, 2.392596e-03, 3.586831e-03
  EXPECT_NEAR(v.at("-i(vd)#0"), 3.586831e-03, 1e-3 * 3.59e-3);
  EXPECT_NEAR(v.at("-i(vd)#1"), 2.392596e-03, 1e-3 * 2.39e-3);
  EXPECT_NEAR(v.at("-i(vd)#2"), 3.586831e-03, 1e-3 * 3.59e-3);
  EXPECT_NE(r.err.find("deck.cir:16:1: error: no bin of model 'nch' fits 'm1' (l = 1e-06, w = 0.0002)"), std::string::npos)
      << r.err;
}

// After the script, the deck's .print cards print their tables on stdout (ngspice -b's
// layout: Index, the scale under ngspice's name, i(v1) as v1#branch), not a CSV file.
TEST(NgspiceGaps, PrintCardsAfterTheScriptGoToStdout) {
  const auto r = neurospice("print_after_script", R"(rc print after script
v1 1 0 pwl(0 0 1n 1)
r1 1 2 1k
c1 2 0 1n
.tran 0.2u 2u
.dc v1 0 1 0.5
.print tran v(2) i(v1)
.print dc v(2)
.control
echo script first
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(r.dir / "deck.tran.csv"));
  EXPECT_FALSE(std::filesystem::exists(r.dir / "deck.dc.csv"));
  const std::size_t tran = r.out.find("Index   time            v(2)            v1#branch       \n");
  // one table per analysis of every column the .print cards name (ngspice: one per card)
  const std::size_t dc = r.out.find("Index   v-sweep         v(2)            v1#branch       \n");
  ASSERT_NE(tran, std::string::npos) << r.out;
  ASSERT_NE(dc, std::string::npos) << r.out;
  EXPECT_LT(r.out.find("script first"), tran);
  EXPECT_NE(r.out.find("Transient Analysis"), std::string::npos);
  // The rows: index, t, v(2), i(v1) against the RC's response to a 1 ns ramp, tau = 1 us.
  std::istringstream lines(r.out.substr(tran));
  std::string line;
  std::getline(lines, line);
  std::getline(lines, line);  // the rule
  int rows = 0;
  const double tau = 1e-6, ramp = 1e-9;
  while (std::getline(lines, line) && !line.empty()) {
    std::istringstream fields(line);
    int index = 0;
    double t = 0, v2 = 0, i1 = 0;
    fields >> index >> t >> v2 >> i1;
    EXPECT_EQ(index, rows);
    EXPECT_NEAR(t, rows * 0.2e-6, 1e-15);
    if (t >= ramp) {
      const double exact = 1 - tau / ramp * (std::exp(-(t - ramp) / tau) - std::exp(-t / tau));
      EXPECT_NEAR(v2, exact, 1e-3 * exact) << line;  // the transient's reltol (measured: within 2.8e-5 V)
      EXPECT_NEAR(i1, -(1 - exact) / 1e3, 1e-7) << line;
    }
    ++rows;
  }
  EXPECT_EQ(rows, 11);
  std::istringstream dc_lines(r.out.substr(dc));
  std::getline(dc_lines, line);
  std::getline(dc_lines, line);
  for (int k = 0; k < 3; ++k) {
    std::getline(dc_lines, line);
    std::istringstream fields(line);
    int index = 0;
    double x = 0, v2 = 0, i1 = 1;
    fields >> index >> x >> v2 >> i1;
    EXPECT_EQ(index, k);
    EXPECT_NEAR(x, 0.5 * k, 1e-12);
    EXPECT_NEAR(v2, 0.5 * k, 1e-9);
    EXPECT_NEAR(i1, 0, 1e-12);  // c1 blocks DC
  }
}

}  // namespace
