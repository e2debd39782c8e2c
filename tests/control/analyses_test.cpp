// noise and pz as control commands, echo/print redirection, goto/label. Expected values
// are what `ngspice -b` (ngspice-39) printed for the same decks; the pz poles are also the
// roots of the RC ladder's determinant, worked by hand in the comment.
#include <cmath>
#include <map>
#include <regex>

#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using ns::control_test::neurospice;
using ns::control_test::printed;

// ngspice's plots: the spectra in noiseN, the integrated totals in the next plot, made
// current. Our .noise agrees with ngspice's to 1e-6 on this RC (its own test); print
// rounds to 7 digits: 2e-6 relative.
TEST(Analyses, NoiseCommandMakesTwoPlots) {
  const auto r = neurospice("noise", R"(rc noise
v1 in 0 dc 0 ac 1
r1 in out 10k
c1 out 0 1n
r2 out 0 40k
.control
noise v(out) v1 dec 10 1k 1meg
setplot
print onoise_total inoise_total
setplot noise1
print onoise_spectrum[0] inoise_spectrum[0] frequency[0] length(frequency)
noise v(out,0) v1 lin 5 1k 5k
echo $curplot
print all
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("List of plots available:\n"
                       "Current noise2\trc noise (Integrated Noise)\n"
                       "\tnoise1\trc noise (Noise Spectral Density Curves)\n"
                       "\tconst\tConstant values (constants)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("noise4\ninoise_total = "), std::string::npos) << r.out;  // print all: by name
  const auto v = printed(r.out);
  const std::map<std::string, double> ngspice = {
      {"onoise_spectrum[0]", 1.150106e-08}, {"inoise_spectrum[0]", 1.439447e-08}, {"frequency[0]", 1e3},
      {"length(frequency)", 31}};
  for (const auto& [name, value] : ngspice) {
    ASSERT_TRUE(v.count(name)) << name << "\n" << r.out;
    EXPECT_NEAR(v.at(name), value, 2e-6 * value) << name;
  }
  // The two runs' totals: the later print wins in `printed`, so check the first by text.
  const std::size_t first = r.out.find("onoise_total = ");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NEAR(std::stod(r.out.substr(first + 15)), 1.987439e-06, 2e-6 * 1.987439e-06);
  EXPECT_NEAR(v.at("inoise_total"), 9.135503e-07, 2e-6 * 9.135503e-07);
  EXPECT_NEAR(v.at("onoise_total"), 7.188009e-07, 2e-6 * 7.188009e-07);
}

// in -1k- mid -2k- out, 1u at mid, 100n || 10k at out, the input shorted by v1:
// det(G + sC) ~ s^2 + 7500 s + 6.5e6, poles -1000 and -6500 (ngspice: the same, in the
// order -6500, -1000); no finite zero.
TEST(Analyses, PzCommand) {
  const auto r = neurospice("pz", R"(pz ladder
v1 in 0 dc 0 ac 1
r1 in mid 1k
c1 mid 0 1u
r2 mid out 2k
c2 out 0 100n
r3 out 0 10k
.control
pz in 0 out 0 vol pz
echo $curplot
print all
print real(pole(2))
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 4), "pz1\n");
  const auto v = printed(r.out);
  ASSERT_TRUE(v.count("pole(1)") && v.count("pole(2)") && v.count("real(pole(2))")) << r.out;
  EXPECT_NEAR(v.at("pole(1)"), -6500, 6500 * 1e-9);
  EXPECT_NEAR(v.at("pole(2)"), -1000, 1000 * 1e-9);
  EXPECT_NEAR(v.at("real(pole(2))"), -1000, 1000 * 1e-9);
  EXPECT_EQ(r.out.find("zero("), std::string::npos);
}

// ngspice -b wrote the same lines for this script (a '>' inside quotes is text).
TEST(Analyses, RedirectionAndGoto) {
  const auto r = neurospice("goto", R"(goto test
r1 1 0 1
.control
let n = 0
label top
let n = n + 1
if n < 3
  echo at $&n
  if n > 0
    goto top
  end
end
echo out $&n
print n > p.txt
echo first > e.txt
echo "second > not" >> e.txt
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "at 1\nat 2\nout 3\n");
  EXPECT_EQ(r.file("p.txt"), "n = 3.000000e+00\n");
  EXPECT_EQ(r.file("e.txt"), "first\nsecond > not\n");
}

}  // namespace

// .print pz all (ngspice's pole-zero decks): the card is read, and the .pz analysis writes
// its poles and zeros. 1k from each side of 1p to ground: one pole at -1/((1k + 1k) 1p)
// = -5e8 and a zero at 0 (ngspice-39 printed -5.00000e+08 and 0 for this deck).
TEST(Analyses, PrintPzCard) {
  const auto r = neurospice("print_pz", R"(high-pass
r1 1 0 1k
r2 2 0 1k
c1 1 2 1.0e-12
.pz 1 0 2 0 cur pz
.print pz all
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto rows = ns::control_test::numbers([&] {
    std::string text = r.file("deck.pz.csv");
    text = text.substr(text.find('\n') + 1);
    for (char& c : text) c = c == ',' ? ' ' : c;
    return text;
  }());
  ASSERT_EQ(rows.size(), 1u) << r.err;
  ASSERT_EQ(rows[0].size(), 4u);
  EXPECT_NEAR(rows[0][0], -5e8, 5e8 * 1e-9);
  EXPECT_NEAR(rows[0][1], 0, 5e8 * 1e-9);
  EXPECT_NEAR(rows[0][2], 0, 5e8 * 1e-9);  // the zero, well inside the pole's scale
}
