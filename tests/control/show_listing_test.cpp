// show, listing, shell, and a meas over the script's own vectors: each on a small deck of
// ours, the expected text and numbers what ngspice-39 printed for the same deck.
#include <cmath>
#include <regex>

#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using ns::control_test::neurospice;
using ns::control_test::printed;

TEST(ShowListing, ShowTablesDevicesAsNgspice) {
  const auto r = neurospice("show", R"(show and listing
v1 1 0 dc 5
r1 1 2 1k
r2 2 0 2.2k
r3 2 3 470
r4 3 0 10k
c1 3 0 1u
.control
show r c
listing
shell sleep 1
.endc
.end
)");
  ASSERT_EQ(r.status, 0) << r.err;
  // ngspice-39's rows for these devices (it prints more: bv_max, noisy)
  EXPECT_NE(r.out.find(" Capacitor: Fixed capacitor\n"
                       "     device                    c1\n"
                       "      model                     C\n"
                       "capacitance                 1e-06\n"
                       "      dtemp                     0\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(" Resistor: Simple linear resistor\n"
                       "     device                    r4                    r3                    r2\n"
                       "      model                     R                     R                     R\n"
                       " resistance                 10000                   470                  2200\n"
                       "         ac                 10000                   470                  2200\n"
                       "      dtemp                     0                     0                     0\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(" Resistor: Simple linear resistor\n"
                       "     device                    r1\n"
                       "      model                     R\n"
                       " resistance                  1000\n"),
            std::string::npos)
      << r.out;
  // listing: the deck's lines with their numbers in the file
  EXPECT_NE(r.out.find("\tshow and listing\n\n     2 : v1 1 0 dc 5\n     3 : r1 1 2 1k\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("     9 : show r c\n"), std::string::npos) << r.out;
  // shell runs nothing: one located warning
  EXPECT_NE(r.err.find("deck.cir:11:1: warning: 'shell' is not run"), std::string::npos) << r.err;
}

// An RC low-pass (corner 1/(2 pi 1 ms) = 159.155 Hz): the -3 dB point of a script vector
// db2 against a script value. ngspice-39 printed f3 = 1.587863e+02 on this deck (its grid
// and ours the same points, the crossing interpolated linearly); the closed form
// fc sqrt(10^(0.3 + d1/10) - 1), d1 the dB at 1 Hz, is 158.7838 Hz.
TEST(ShowListing, MeasReadsTheScriptsVectors) {
  const auto r = neurospice("meas_vectors", R"(meas of script vectors
v1 1 0 ac 1
r1 1 2 1k
c1 2 0 1u
.control
ac dec 10 1 10k
let db2 = db(v(2))
let ref = db2[0] - 3
meas ac f3 when db2 = ref
let above = frequency[30] - 1000
print above
.endc
.end
)");
  ASSERT_EQ(r.status, 0) << r.err;
  std::smatch m;  // a meas result: "f3                  = 1.587864e+02"
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(f3\s+= +(\S+))"))) << r.out;
  const double f3 = std::stod(m[1]);
  EXPECT_NEAR(f3, 158.7863, 0.0001 + 1e-6 * 158.7863);  // ngspice's, to its printed digits
  EXPECT_NEAR(f3, 158.78377, 0.01);  // the closed form, to the error of the linear interpolation
  const auto v = printed(r.out);
  // the grid's 1 kHz point, by repeated multiplication as ngspice's: 1000 + 2.046363e-12
  EXPECT_NEAR(v.at("above"), 2.046363e-12, 1e-18);
}

}  // namespace
