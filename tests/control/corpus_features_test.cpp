// What ngspice's own example decks lean on, each on a small deck of ours: the closing
// words endif/endwhile/..., the variables ngspice -b predefines, .csparam, new plots and
// ngspice's plot numbering, `quit N`, altermod by device, plot.v(node). Expected text is
// what `ngspice -b` (ngspice-39) printed for the same deck.
#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using ns::control_test::neurospice;

// A 1k/1k divider loaded by r3 (model rm, r = 1k): v(out) = 1/3, then 0.4 with r3 = 2k.
TEST(CorpusFeatures, CsparamNewPlotEndifQuit) {
  const auto r = neurospice("csparam", R"(Plots and csparam
.param rv = 1k
v1 in 0 dc 1
r1 in out {rv}
r2 out 0 1k
.model rm r (r=1k)
r3 out 0 rm
.csparam lo = {rv/2}
.csparam hi = 3k
.control
if $?batchmode
echo batch os $oscompiled in $inputdir
endif
print lo hi
let hi = 7
set curplot = new
set curplottitle = "Results"
echo $curplot $curplottitle
repeat 2
  op
  setplot unknown1
  let r = op1.v(out)   ; op1 each time: destroyed below
  echo got $&r
  destroy op1
  altermod r3 r = 2k
endrepeat
reset
print hi
setplot
quit 3
.endc
.end
)");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_EQ(r.out,
            "batch os 6 in .\n"
            "lo = 5.000000e+02\nhi = 3.000000e+03\n"
            "unknown1 results\n"
            "got 0.333333\ngot 0.4\n"
            "hi = 3.000000e+03\n"  // reset makes the .csparam vectors again
            "List of plots available:\n"
            "Current unknown1\tresults (unknown)\n"
            "\tconst\tConstant values (constants)\n");
  EXPECT_EQ(r.err, "");
}

// ngspice names a plot by its kind and one number shared by all kinds, raised only past a
// name still in use.
TEST(CorpusFeatures, PlotNumbering) {
  const auto r = neurospice("numbering", R"(Numbering
v1 1 0 1
r1 1 0 1k
.control
set curplot = new
setplot new
echo $curplot
op
echo $curplot
op
op
destroy op2
setplot
op
echo $curplot
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "unknown2\nop2\n"
            "List of plots available:\n"
            "Current op4\tnumbering (Operating Point)\n"
            "\top3\tnumbering (Operating Point)\n"
            "\tunknown2\tAnonymous (unknown)\n"
            "\tunknown1\tAnonymous (unknown)\n"
            "\tconst\tConstant values (constants)\n"
            "op5\n");
}

// Any of endif, endwhile, endrepeat, endforeach, enddowhile closes any block (ngspice).
TEST(CorpusFeatures, EndWords) {
  const auto r = neurospice("endwords", R"(End words
v1 1 0 1
r1 1 0 1k
.control
repeat 2
echo r
endif
foreach x 1 2
echo f $x
endforeach
let i = 0
dowhile i < 1
echo d
let i = i + 1
enddowhile
if 1
echo y
endwhile
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "r\nr\nf 1\nf 2\nd\ny\n");
}

}  // namespace

namespace {

// define: ngspice's functions of the control language (as the regression decks' mismatch).
// ngspice-39 prints "close" and "far" for this deck, and sq(p+1) = 16, hyp(3, 4) = 5.
TEST(CorpusFeatures, Define) {
  const auto r = ns::control_test::neurospice("define", R"(Define
v1 1 0 1
r1 1 0 1k
.control
define mismatch(a,b,err) abs(a-b)>err*abs(b)
define sq(x) x*x
define hyp(a, b) sqrt(sq(a) + sq(b))
let p = 3
let s = sq(p+1)
let h = hyp(3, 4)
print s h
if mismatch(1.0005, 1, 1e-3)
echo bad
else
echo close
end
if mismatch(1.1, 1, 1e-3)
echo far
end
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "s = 1.600000e+01\nh = 5.000000e+00\nclose\nfar\n");
}

}  // namespace

// Small commands the corpus's decks use, and what ngspice-39 printed for this deck:
// setcs (set, case kept), settype and rusage accepted (no output here), strcmp, ngspice's
// complex literal (re, im), j(0) complex, setseed repeating the draws.
TEST(CorpusFeatures, SmallCommands) {
  const auto r = neurospice("small_commands", R"(Small commands of the corpus
v1 1 0 dc 1
r1 1 0 1k
.control
setcs wfont='Arial'
echo $wfont
settype voltage v1
rusage all
strcmp flag "abc" "abd"
echo $flag
strcmp flag abc abc
echo $flag
strcmp flag b a
echo $flag
let z = (3,4)
print z mag(z) (1,-2)*(0,1)
let c = j(0) + 2
print c
setseed 5
let a = sunif(0)
setseed 5
let b = sunif(0)
print a - b
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, R"(Arial
-1
0
1
z = 3.000000e+00,4.000000e+00
mag(z) = 5.000000e+00
(1,-2)*(0,1) = 2.000000e+00,1.000000e+00
c = 2.000000e+00,0.000000e+00
a - b = 0.000000e+00
)");
}

// mc_source (ngspice: the circuit again from its stored netlist, new random draws) is
// reset here: the same seed gives the same draws through either.
TEST(CorpusFeatures, McSourceIsReset) {
  const std::string deck = R"(draws
.param rv = agauss(1k, 100, 1)
v1 1 0 dc 1
r1 1 0 {rv}
.control
op
print -i(v1)
%s
op
print -i(v1)
.endc
.end
)";
  auto with = [&](const std::string& command) {
    std::string text = deck;
    text.replace(text.find("%s"), 2, command);
    return neurospice("mc_source_" + command, text);
  };
  const auto a = with("mc_source"), b = with("reset");
  EXPECT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(a.err, "");
  EXPECT_EQ(a.out, b.out);
  const auto first = a.out.substr(0, a.out.find('\n')), second = a.out.substr(a.out.find('\n') + 1);
  EXPECT_NE(first + "\n", second) << "mc_source draws again";
}
