// Differences tools/control-corpus --compare found between our output and ngspice's on
// the corpus's .control decks, each on a small deck of ours; the expected numbers are what
// ngspice-39 printed or wrote for the same deck (or follow from it analytically).
#include <gtest/gtest.h>

#include <cmath>

#include "support.hpp"

namespace {

using ns::control_test::neurospice;
using ns::control_test::printed;

// set sqrnoise: noise spectra and totals as powers. A 1k resistor at 300 K into an open
// node: 4kTR = 1.656778e-17 V^2/Hz over 1000 Hz, 1.656778e-14 V^2 (ngspice's numbers);
// without it the total is the root, 1.287159e-07 V.
TEST(CorpusOutputs, SqrnoiseSquaresTheNoiseVectors) {
  const std::string deck = R"(Noise total
.temp 26.85
v1 in 0 dc 0 ac 1
r1 in out 1k
r2 out 0 1e12
.control
noise v(out) v1 lin 3 1 1001
set sqrnoise
noise v(out) v1 lin 3 1 1001
print noise2.onoise_total noise4.onoise_total noise3.onoise_spectrum[1]
.endc
.end
)";
  const auto r = neurospice("sqrnoise", deck);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto v = printed(r.out);
  EXPECT_NEAR(v.at("noise2.onoise_total"), 1.287159e-07, 1e-6 * 1.287159e-07);
  EXPECT_NEAR(v.at("noise4.onoise_total"), 1.656778e-14, 1e-6 * 1.656778e-14);
  EXPECT_NEAR(v.at("noise3.onoise_spectrum[1]"), 1.656778e-17, 1e-6 * 1.656778e-17);
}

// set appendwrite: write puts each plot after those already in the file (ngspice wrote the
// two plots of this deck, i(v1) = -1 mA and -0.5 mA at 1 V, into one raw file).
TEST(CorpusOutputs, AppendwriteAddsPlotsToARawFile) {
  const auto r = neurospice("appendwrite", R"(Appendwrite
v1 a 0 1
r1 a 0 1k
.control
set filetype = ascii
let r = 1k
repeat 2
  alter r1 r
  dc v1 0 1 1
  write sweeps.raw i(v1)
  set appendwrite
  let r = r * 2
end
.endc
.end
)");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string raw = r.file("sweeps.raw");
  std::vector<double> at_one_volt;
  for (std::size_t at = raw.find("Values:"); at != std::string::npos; at = raw.find("Values:", at + 1)) {
    std::istringstream values(raw.substr(at + 7));
    double index, sweep0, i0, index1, sweep1, i1;
    values >> index >> sweep0 >> i0 >> index1 >> sweep1 >> i1;
    EXPECT_EQ(sweep1, 1.0);
    at_one_volt.push_back(i1);
  }
  ASSERT_EQ(at_one_volt.size(), 2u) << raw;
  EXPECT_NEAR(at_one_volt[0], -1e-3, 1e-15);
  EXPECT_NEAR(at_one_volt[1], -5e-4, 1e-15);
}

// An if whose condition is empty is false; one that fails (no such vector) an error and false:
// its else branch runs, as ngspice's does (ngspice printed "no", "no again" and exited 1).
// `.endcontrol` ends the block, as ngspice reads it.
TEST(CorpusOutputs, AFailedIfConditionIsFalse) {
  const auto r = neurospice("iffail", R"(If fails
v1 a 0 1
r1 a 0 1k
.control
set empty = ""
if $empty
  echo yes
else
  echo no
end
if nosuchvector > 1
  echo yes
else
  echo no again
end
.endcontrol
.end
)");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "no\nno again\n");
  // `if` of an empty variable is false without a message (ngspice-39 wrote none for it)
  EXPECT_EQ(r.err.find("deck.cir:6:1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("deck.cir:11:1: error: no vector 'nosuchvector'"), std::string::npos) << r.err;
}

}  // namespace
