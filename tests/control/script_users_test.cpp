// Script forms from neuromorphic users' ngspice decks (users38a): setcirc over circuits
// that `source` loaded, show DEVICE : PARAMS, print line, altermod with several pairs,
// an indexed let that does not fit, sim_status after a failed analysis. Expected values
// are closed forms, or what ngspice-39 printed for the same deck (`ngspice -b deck.cir`).
#include <cmath>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using ns::control_test::neurospice;

// The value of the first line "name = value".
double value_of(const std::string& out, const std::string& name) {
  const std::regex line("(^|\\n)" + std::regex_replace(name, std::regex(R"([\[\]().])"), R"(\$&)") +
                        R"(\s*= +([-+0-9.e]+))");
  std::smatch m;
  if (!std::regex_search(out, m, line)) return NAN;
  return std::stod(m[2]);
}

// Two circuits sourced, the newest first (ngspice numbers them so: setcirc 1 is the
// last one loaded); each divider's output is its closed form.
TEST(UsersScripts, SetcircChoosesAmongSourcedCircuits) {
  const auto dir = ns::control_test::fresh_dir("setcirc_files");
  std::ofstream(dir / "a.cir") << "divider a\nv1 1 0 3\nr1 1 2 1k\nr2 2 0 2k\n.end\n";
  std::ofstream(dir / "b.cir") << "divider b\nv1 1 0 3\nr1 1 2 2k\nr2 2 0 1k\n.end\n";
  const auto r = neurospice("setcirc", "two circuits\n.control\nsource " + (dir / "a.cir").string() + "\nsource " +
                                           (dir / "b.cir").string() +
                                           "\nlet res = vector(2)\nsetcirc 2\nop\nlet res[0] = v(2)\nsetcirc 1\nop\n"
                                           "let res[1] = v(2)\nprint res[0] res[1]\nsetcirc 3\n.endc\n.end\n");
  EXPECT_EQ(r.status, 1) << r.err;  // setcirc 3: there is no third circuit
  EXPECT_NEAR(value_of(r.out, "res[0]"), 2.0, 1e-9) << r.out;  // 3 * 2k / 3k
  EXPECT_NEAR(value_of(r.out, "res[1]"), 1.0, 1e-9) << r.out;  // 3 * 1k / 3k
  EXPECT_NE(r.err.find("deck.cir:13:1: error: 'setcirc': no circuit 3 (there are 2)"), std::string::npos) << r.err;
}

// ngspice 39 on this deck: altermod sets vaf only (v(c) = 4.267116, the value with vaf=20
// alone; is=2e-15 alone gives 4.012273); show q1 : gm prints 0.014152.
TEST(UsersScripts, AltermodPairsAndShowParams) {
  const auto r = neurospice("altermod_pairs", R"(bjt stage
V1 vcc 0 5
Vin b0 0 0.7
Rb b0 b 10k
Q1 c b 0 qn
Rc vcc c 2k
.model qn npn is=1e-15 bf=200 vaf=50 rb=10
.control
altermod qn vaf = 20 is = 2e-15
op
print v(c)
show q1 : gm
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NEAR(value_of(r.out, "v(c)"), 4.267116, 2e-6 * 4.27) << r.out;
  EXPECT_NE(r.err.find("deck.cir:9:1: warning: 'altermod' sets one parameter: 'is=2e-15' is ignored"), std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find(" BJT: Bipolar Junction Transistor\n"), std::string::npos) << r.out;  // ngspice 39's heading
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(\n +gm +([0-9][0-9.e+-]*)\n)"))) << r.out;
  EXPECT_NEAR(std::stod(m[1]), 0.014152, 1e-6) << r.out;  // ngspice 39's %g of @q1[gm]
}

// print line: one line a vector, "name = (  v1<tab>v2<tab>...<tab>)" (ngspice 39's layout).
TEST(UsersScripts, PrintLine) {
  const auto r = neurospice("print_line", R"(print line
v1 1 0 1
r1 1 0 1k
.control
let a = 2
let b = vector(3)
print line a b
dc v1 0 1 0.5
print line v(1)
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("a = 2.000000e+00\nb = (  0.000000e+00\t1.000000e+00\t2.000000e+00\t)\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("v(1) = (  0.000000e+00\t5.000000e-01\t1.000000e+00\t)\n"), std::string::npos) << r.out;
}

// A whole vector into one place is refused and the target is left as it was (ngspice:
// "Data for an index vector must fit exactly"); sim_status is 0 after an analysis that ran.
TEST(UsersScripts, IndexedLetMustFitAndSimStatus) {
  const auto r = neurospice("let_fit", R"(let fit
v1 1 0 pulse(0 1 0 1n 1n 1u 2u)
r1 1 0 1k
.control
let res = vector(2)
tran 10n 1u
let s0 = $sim_status
let res[1] = v(1)
print res[1] s0
.endc
.end
)");
  EXPECT_NEAR(value_of(r.out, "res[1]"), 1.0, 0) << r.out;  // vector(2) = 0 1, unchanged
  EXPECT_NEAR(value_of(r.out, "s0"), 0.0, 0) << r.out;
  EXPECT_NE(r.err.find("deck.cir:8:1: error: 'let res[...]': "), std::string::npos) << r.err;
  EXPECT_EQ(r.status, 1);
}

// shift [NAME [N]] drops a list variable's first words (ngspice 39 prints "c d", "d 1", "y").
TEST(UsersScripts, ShiftDropsListWords) {
  const auto r = neurospice("shift", R"(shift
v1 1 0 1
r1 1 0 1
.control
set list = ( a b c d )
shift list 2
echo $list
shift list
echo $list $#list
set argv = ( x y )
shift
echo $argv
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "c d\nd 1\ny\n");
}

// tf in a script: its plot's three vectors under ngspice's names (ngspice 39 prints
// transfer_function = 7.500000e-01, output_impedance_at_v(2) = 7.500000e+02 and
// v1#input_impedance = 4.000000e+03); the divider's closed forms 3k/4k, 1k||3k, 4k.
TEST(UsersScripts, TfInTheScript) {
  const auto r = neurospice("tf", R"(tf
v1 1 0 1
r1 1 2 1k
r2 2 0 3k
.control
tf v(2) v1
print all
let g = transfer_function
print g
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NEAR(value_of(r.out, "transfer_function"), 0.75, 1e-9) << r.out;
  EXPECT_NEAR(value_of(r.out, "output_impedance_at_v(2)"), 750, 1e-6) << r.out;
  EXPECT_NEAR(value_of(r.out, "v1#input_impedance"), 4000, 1e-6) << r.out;
  EXPECT_NEAR(value_of(r.out, "g"), 0.75, 1e-9) << r.out;
}

}  // namespace
