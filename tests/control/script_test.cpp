// .control scripts end to end: what echo, print and wrdata write, alter/alterparam/reset,
// the flow, and which dot-analyses run after the script. Expected text is what `ngspice -b`
// (ngspice-39) wrote for the same deck; the values are those of a 1k/1k divider.
#include <cmath>

#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using ns::control_test::neurospice;

const char* divider = "divider\nv1 in 0 dc 1\nr1 in out 1k\nr2 out 0 1k\n";

TEST(Script, PrintAndEchoAsNgspice) {
  const auto r = neurospice("print", std::string(divider) + R"(.control
echo plot $curplot
op
print v(out)
print -v(out) 2*v(in)
let x = v(out) * 4
echo x is $&x in "$curplot"
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "plot const\nv(out) = 5.000000e-01\n-v(out) = -5.00000e-01\n2*v(in) = 2.000000e+00\nx is 2 in op1\n");
  EXPECT_EQ(r.err, "");
}

TEST(Script, WrdataAsNgspice) {
  const auto r = neurospice("wrdata", std::string(divider) + R"(.control
dc v1 0 2 0.5
wrdata plain v(out) v(in)
set wr_singlescale
set wr_vecnames
wrdata named v(out) v(in)
.endc
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.file("plain"),
            " 0.00000000e+00  0.00000000e+00  0.00000000e+00  0.00000000e+00 \n"
            " 5.00000000e-01  2.50000000e-01  5.00000000e-01  5.00000000e-01 \n"
            " 1.00000000e+00  5.00000000e-01  1.00000000e+00  1.00000000e+00 \n"
            " 1.50000000e+00  7.50000000e-01  1.50000000e+00  1.50000000e+00 \n"
            " 2.00000000e+00  1.00000000e+00  2.00000000e+00  2.00000000e+00 \n");
  EXPECT_EQ(r.file("named"),
            " v-sweep         v(out)          v(in)          \n"
            " 0.00000000e+00  0.00000000e+00  0.00000000e+00 \n"
            " 5.00000000e-01  2.50000000e-01  5.00000000e-01 \n"
            " 1.00000000e+00  5.00000000e-01  1.00000000e+00 \n"
            " 1.50000000e+00  7.50000000e-01  1.50000000e+00 \n"
            " 2.00000000e+00  1.00000000e+00  2.00000000e+00 \n");
}

// ngspice: alter takes effect at once and lasts until reset; alterparam waits for reset,
// which elaborates the deck again with it and forgets the alters.
TEST(Script, AlterAlterparamReset) {
  const auto r = neurospice("alter", R"(alter
.param rv=1k
v1 in 0 dc 1
r1 in out {rv}
r2 out 0 1k
.control
alterparam rv=3k
op
print v(out)
reset
op
print v(out)
alter r2 3k
op
print v(out)
alter v1 dc=2
op
print v(out)
reset
op
print v(out)
altermod nosuch x=1
echo after the error
.endc
)");
  EXPECT_EQ(r.status, 1) << r.err;  // the altermod failed; the script went on
  EXPECT_EQ(r.out, "v(out) = 5.000000e-01\nv(out) = 2.500000e-01\nv(out) = 5.000000e-01\n"
                   "v(out) = 1.000000e+00\nv(out) = 2.500000e-01\nafter the error\n");
  EXPECT_EQ(r.err, "deck.cir:22:1: error: no model 'nosuch' to alter\n");
}

TEST(Script, Flow) {
  const auto r = neurospice("flow", std::string(divider) + R"(.control
let k = 0
while k < 5
  let k = k + 1
  if k = 2
    continue
  else
    if k = 4
      break
    end
  end
  echo k=$&k
end
repeat 2
  echo again
end
foreach v 1 3
  alter v1 $v
  op
  echo $v $&v(out)
end
let n = 0
dowhile n < 0
  let n = n + 1
end
echo n=$&n
set answer = 42
echo $answer $?answer $?question
unset answer
echo $?answer
quit
echo not reached
.endc
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "k=1\nk=3\nagain\nagain\n1 0.5\n3 1.5\nn=1\n42 1 0\n0\n");
}

// Variables as ngspice-39's (its output for the same script, measured): a variable set
// without a value reads TRUE; lists index from 1 ([0] is the first too), a-b ranges, $#;
// a quoted value keeps its spaces; echo joins its words with one space; `if` of an empty
// variable is false without a message.
TEST(Script, VariablesListsAndEchoAsNgspice) {
  const auto r = neurospice("variables", std::string(divider) + R"(.control
set flag
echo "a|$flag|b" $batchmode
if $flag
  echo flag-true
end
set lst = ( 1 2 3 )
set bar = 2
echo $lst[0] $lst[$bar] $lst[3] x$lst[4]x $lst[1-2] $lst[2-3] $#lst
set s = "hello   world"
echo $s
echo a     b   "c    d"
set aux = ( )
echo "T:" $aux "end"
echo -n no newline
echo next
set e = ""
if $e
  echo bad
else
  echo empty-false
end
.endc
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "a|TRUE|b TRUE\nflag-true\n1 2 3 xx 1 2 2 3 3\nhello world\na b c    d\nT: end\nno newlinenext\n"
                   "empty-false\n");
  EXPECT_EQ(r.err, "");
}

// interpolate(tran2.q): q over the linearized plot's 50u grid, onto the current plot's
// time points, linearly: of time^2 the error is at most h^2/4 and never below 0 (a chord
// of a convex curve), and it is along the current scale.
TEST(Script, InterpolateOntoTheCurrentPlot) {
  const auto r = neurospice("interpolate", R"(rc
v1 1 0 sin(0 1 1k)
r1 1 2 1k
c1 2 0 1u
.control
tran 50u 2m
linearize
let q = time*time
tran 10u 1m
let e = interpolate(tran2.q) - time*time
let n = length(e) - length(time)
print vecmax(e) vecmin(e) n
.endc
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto p = ns::control_test::printed(r.out);
  EXPECT_GT(p.at("vecmax(e)"), 0);
  EXPECT_LE(p.at("vecmax(e)"), 50e-6 * 50e-6 / 4);
  EXPECT_GE(p.at("vecmin(e)"), -1e-20);
  EXPECT_EQ(p.at("n"), 0);
}

TEST(Script, UnknownCommandsWarnOnceAndTheScriptGoesOn) {
  const auto r = neurospice("unknown", std::string(divider) + R"(.control
frobnicate 1
frobnicate 2
plot v(out)
echo still here
.endc
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "still here\n");
  EXPECT_EQ(r.err, "deck.cir:6:1: warning: 'frobnicate' is not a command neurospice interprets: skipped\n"
                   "deck.cir:8:1: note: 'plot' is skipped: a batch run does not plot (ngspice -b does not either; "
                   "--plots DIR draws plot, gnuplot and hardcopy)\n");
}

// After the script, ngspice -b runs every dot-analysis when the deck has .print, .plot,
// .four or .meas cards, else its .op alone, else nothing; nothing after quit.
TEST(Script, DotAnalysesAfterTheScriptAsNgspiceBatch) {
  const std::string rc = "rc\nv1 in 0 dc 1\nr1 in out 1k\nc1 out 0 1n\n.tran 1u 3u\n";
  const auto op = neurospice("after_op", rc + ".op\n.control\necho script\n.endc\n");
  EXPECT_EQ(op.status, 0) << op.err;
  EXPECT_EQ(op.out, "script\nv(in)   1\nv(out)  1\ni(v1)   0\n");
  EXPECT_FALSE(std::filesystem::exists(op.dir / "deck.tran.csv"));
  EXPECT_FALSE(std::filesystem::exists(op.dir / "deck.csv"));

  const auto nothing = neurospice("after_none", rc + ".control\necho script\n.endc\n");
  EXPECT_EQ(nothing.out, "script\n");
  EXPECT_EQ(nothing.err, "");

  const auto printed = neurospice("after_print", rc + ".print tran v(out)\n.control\nrun\necho $curplot\n.endc\n");
  EXPECT_EQ(printed.status, 0) << printed.err;
  // The .print table on stdout, as ngspice -b prints it (v(out) held at 1 V by the op), not a CSV:
  // the title centred, the plot and its date under it, and a blank line after the rows.
  EXPECT_EQ(ns::control_test::undated(printed.out), "tran1\n" + std::string(39, ' ') + "rc\n" + std::string(39, ' ') + "Transient Analysis  DATE\n" +
                             std::string(80, '-') + "\nIndex   time            v(out)          \n" + std::string(80, '-') +
                             "\n0\t0.000000e+00\t1.000000e+00\t\n1\t1.000000e-06\t1.000000e+00\t\n"
                             "2\t2.000000e-06\t1.000000e+00\t\n3\t3.000000e-06\t1.000000e+00\t\n\n");
  EXPECT_FALSE(std::filesystem::exists(printed.dir / "deck.tran.csv")) << printed.err;

  const auto quit = neurospice("after_quit", rc + ".op\n.print tran v(out)\n.control\necho script\nquit\n.endc\n");
  EXPECT_EQ(quit.out, "script\n");
  EXPECT_FALSE(std::filesystem::exists(quit.dir / "deck.tran.csv"));
}

TEST(Script, RunUsesTheDeckAnalysesAndTheirPlots) {
  const auto r = neurospice("run", std::string(divider) + R"(.dc v1 0 1 0.25
.control
run
print length(v-sweep) v(out)[4] v1#branch[4] out[2]
setplot const
print pi
setplot dc1
print vecmax(v(out))
.endc
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "length(v-sweep) = 5.000000e+00\nv(out)[4] = 5.000000e-01\nv1#branch[4] = -5.00000e-04\n"
                   "out[2] = 2.500000e-01\npi = 3.141593e+00\nvecmax(v(out)) = 5.000000e-01\n");
}

}  // namespace

namespace {

// meas in a script: the .meas card it spells, over the plot's rows (every step the
// integrator took, so a crossing is not cut by the output grid), its result a vector.
// Exact values of the RC step (tau = 1 us, input edge 1 ns from t = 1 us): delay to half
// = tau ln 2 (ngspice-39: 693.137 ns), v(out) at 5 us = 1 - exp(-3.9995).
TEST(Script, MeasAsACommand) {
  const auto r = neurospice("meas", R"(rc
v1 in 0 pulse(0 1 1u 1n 1n 10u 20u)
r1 in out 1k
c1 out 0 1n
.control
tran 10n 8u
meas tran tdelay trig v(in) val=0.5 rise=1 targ v(out) val=0.5 rise=1
meas tran vend find v(out) at=5u
meas tran ratio param='vend/2'
meas tran never when v(out)=2
let twice = tdelay * 2
echo $&twice
.endc
)");
  EXPECT_EQ(r.status, 0) << r.err;
  auto value = [&](const std::string& name) {
    const auto at = r.out.find(name + std::string(20 - name.size(), ' ') + "= ");
    EXPECT_NE(at, std::string::npos) << name << " in\n" << r.out;
    return at == std::string::npos ? NAN : std::stod(r.out.substr(at + 22));
  };
  EXPECT_NEAR(value("tdelay"), 1e-6 * std::log(2.0), 0.5e-9);
  EXPECT_NEAR(value("vend"), 1 - std::exp(-3.9995), 5e-5);
  EXPECT_NEAR(value("ratio"), value("vend") / 2, 1e-7);  // both printed to 7 digits
  EXPECT_NE(r.out.find("never               failed: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1.38"), std::string::npos) << r.out;  // $&twice: 2 tdelay = 1.386 us
}

TEST(Script, MeasErrorsAreLocated) {
  const auto r = neurospice("measbad", std::string(divider) + R"(.control
dc v1 0 1 0.5
meas dc x bogus v(out)
.endc
)");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("deck.cir:7:11: error: unknown measurement 'bogus'"), std::string::npos) << r.err;
}

}  // namespace

namespace {

// option in a script: the .options card it spells, from the next analysis on and through
// reset. A diode at 1 mA, is = 1e-14: ngspice-39 prints 6.551180e-01 V at 27 C and
// 4.738215e-01 V after `option temp=127`.
TEST(Script, OptionAsACommand) {
  const auto r = neurospice("option", R"(diode
i1 0 a dc 1m
d1 a 0 dm
.model dm d is=1e-14
.control
op
print v(a)
option temp=127
op
print v(a)
reset
op
print v(a)
option bogus=1 reltol=-1
save all
.endc
)");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "v(a) = 6.551181e-01\nv(a) = 4.738198e-01\nv(a) = 4.738198e-01\n");
  EXPECT_NE(r.err.find("deck.cir:14:8: warning: option 'bogus' is ignored"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("deck.cir:14:23: error: option 'reltol' must be > 0, not -1"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("save"), std::string::npos) << r.err;
}

}  // namespace

namespace {

// An .ac plot: its phasors read through vm, vp, vdb (ngspice-39's lines for the same
// deck: an RC low-pass, corner 159 Hz); v(out) itself is complex and says so.
TEST(Script, AcPlotAsNgspice) {
  const auto r = neurospice("ac", R"(ac
v1 in 0 dc 0 ac 1
r1 in out 1k
c1 out 0 1u
.control
ac dec 2 10 10k
echo $curplot
print vm(out) vp(out)
print vdb(out)
let g = vm(out)
print g[4]
print db(v(out))
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("ac1\n"), std::string::npos) << r.out;
  for (const char* line : {"Index   frequency       vm(out)         vp(out)", "0\t1.000000e+01\t9.980319e-01\t-6.27494e-02\t\n",
                           "3\t3.162278e+02\t4.495646e-01\t-1.10452e+00\t\n", "6\t1.000000e+04\t1.591348e-02\t-1.55488e+00\t\n",
                           "4\t1.000000e+03\t-1.60722e+01\t\n", "g[4] = 1.571767e-01\n"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\nin:\n" << r.out;
  // db() of the complex v(out) is vdb(out): the 1 kHz row twice.
  const std::string row = "4\t1.000000e+03\t-1.60722e+01\t\n";
  EXPECT_NE(r.out.find(row, r.out.find(row) + 1), std::string::npos) << r.out;
}

}  // namespace

namespace {

// ngspice -b survives an analysis of a deck without elements and goes on with the script;
// here the analysis is a located error (issue 17: not "KLU could not analyse").
TEST(Script, AnalysisOfAnEmptyCircuitIsLocatedAndTheScriptGoesOn) {
  const auto r = neurospice("empty", R"(nothing but ground
.control
op
echo after
.endc
)");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "after\n");
  EXPECT_NE(r.err.find("deck.cir:3:1: error: the circuit has no elements: nothing to simulate"), std::string::npos)
      << r.err;
}

}  // namespace
