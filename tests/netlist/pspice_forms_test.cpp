// PSpice's and LTspice's card forms read by the netlist layer: AKO model cards, .STIMULUS,
// string parameters. Values are the ones written on the cards.
#include <algorithm>

#include "netlist/helpers.hpp"

namespace ns::test {
namespace {

double param(const Model& m, const std::string& name) {
  const auto it = std::find_if(m.params.begin(), m.params.end(), [&](const Assignment& a) { return a.name == name; });
  if (it == m.params.end()) throw std::runtime_error("no parameter " + name);
  return it->value;
}

TEST(PspiceForms, AkoCopiesTheBaseAndReplacesWhatItNames) {
  const Netlist n = parse("t\n.model base npn(is=2e-15 bf=80 vaf=60)\n.model k1 ako:base npn(bf=150)\n"
                          ".model k2 ako:k1 npn(is=3e-15 rb=10)\nq1 c b 0 k2\n");
  const Model& k1 = n.models.at("k1");
  EXPECT_EQ(k1.type, "npn");
  EXPECT_DOUBLE_EQ(param(k1, "is"), 2e-15);
  EXPECT_DOUBLE_EQ(param(k1, "bf"), 150);
  EXPECT_EQ(std::count_if(k1.params.begin(), k1.params.end(), [](const Assignment& a) { return a.name == "bf"; }), 1);
  const Model& k2 = n.models.at("k2");
  EXPECT_DOUBLE_EQ(param(k2, "is"), 3e-15);
  EXPECT_DOUBLE_EQ(param(k2, "bf"), 150);
  EXPECT_DOUBLE_EQ(param(k2, "vaf"), 60);
  EXPECT_DOUBLE_EQ(param(k2, "rb"), 10);
  EXPECT_DOUBLE_EQ(param(n.models.at("base"), "bf"), 80);  // the base itself unchanged
}

TEST(PspiceForms, AkoErrorsAreLocated) {
  EXPECT_ERROR("t\n.model k1 ako:nothere npn(bf=150)\nq1 c b 0 k1\n", "t.cir:2:11", "no .model of that name");
  EXPECT_ERROR("t\n.model base pnp(bf=80)\n.model k1 ako:base npn(bf=150)\nq1 c b 0 k1\n", "t.cir:3:20",
               "a 'pnp', not a 'npn'");
}

TEST(PspiceForms, StrayNumberOnAModelCardIsDropped) {
  const Netlist n = parse("t\n.model d1 d(is=1e-14 cjo=1p .00 rs=2)\nd1 a 0 d1\n");
  EXPECT_DOUBLE_EQ(param(n.models.at("d1"), "rs"), 2);
  EXPECT_EQ(n.models.at("d1").params.size(), 3u);
  ASSERT_FALSE(n.warnings.empty());
  EXPECT_NE(n.warnings.back().find("t.cir:2:29: warning: '.00'"), std::string::npos) << n.warnings.back();
}

TEST(PspiceForms, StimulusIsWrittenIntoTheSource) {
  const Netlist n = parse("t\nv1 a 0 stimulus=s1\n.stimulus s1 pulse(0 2 1m 1u 1u 5m 10m)\nr1 a 0 1k\n");
  const Element& v = element(n, "v1");
  ASSERT_EQ(v.groups.size(), 1u);
  EXPECT_EQ(v.groups[0].keyword, "pulse");
  ASSERT_EQ(v.groups[0].args.size(), 7u);
  EXPECT_DOUBLE_EQ(v.groups[0].args[1].value, 2);
  EXPECT_DOUBLE_EQ(v.groups[0].args[2].value, 1e-3);
  // an error in the waveform points into the .stimulus card
  EXPECT_ERROR("t\nv1 a 0 stimulus=s1\n.stimulus s1 pulse(0 2 1m 1u 1u\n+ 5m {per})\n", "t.cir:4:7",
               "undefined parameter 'per'");
}

TEST(PspiceForms, StringParameters) {
  EXPECT_ERROR("t\n.param f=\"Data.txt\"\nr1 a 0 {f}\n", "t.cir:3:9", "parameter 'f' is a string (\"Data.txt\")");
  // A string default, passed on by name, concatenated: refused only where read as a number.
  EXPECT_ERROR("t\n.param d=\"dir/\" b=\"x.txt\"\n.param both=d{b}\nx1 a s f=both\n.subckt s p f=\"none\"\n"
               "r1 p 0 {f}\n.ends\n",
               "t.cir:6:9", "parameter 'f' is a string (\"dir/x.txt\")");
}

}  // namespace
}  // namespace ns::test
