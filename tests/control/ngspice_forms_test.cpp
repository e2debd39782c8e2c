// Forms of ngspice's control language that its example decks use: `set temp` (the
// circuit's temperature), `wrdata ... vs X`, v(name) of a script vector, @source[dc] after
// a .dc sweep with and without `save`, an `if` without a condition. Expected values: closed
// forms, or what `ngspice -b` (ngspice-39) printed for the same decks (named so).
#include <cmath>
#include <map>

#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using ns::control_test::neurospice;
using ns::control_test::numbers;
using ns::control_test::printed;

// A resistor whose value reads `temper`, one with a linear temperature coefficient: at
// 77 C (50 above tnom) 1k + 10*77 = 1770 and 1k * (1 + 0.01*50) = 1500. reset loads the
// deck's .temp 27 again: 1270 (ngspice-39 printed these five numbers for this deck).
TEST(NgspiceForms, SetTemp) {
  const auto r = neurospice("settemp", R"(set temp
v1 1 0 1
r1 1 0 r={1k + 10*temper}
v2 2 0 1
r2 2 0 1k tc1=0.01
.temp 27
.control
op
let a27 = -1/i(v1)
let b27 = -1/i(v2)
print a27 b27
set temp = 77
op
let a77 = -1/i(v1)
let b77 = -1/i(v2)
print a77 b77
reset
op
let again = -1/i(v1)
print again
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = printed(r.out);
  ASSERT_TRUE(v.count("again")) << r.out << r.err;
  EXPECT_NEAR(v.at("a27"), 1270, 1e-6);
  EXPECT_NEAR(v.at("b27"), 1000, 1e-6);
  EXPECT_NEAR(v.at("a77"), 1770, 1e-6);
  EXPECT_NEAR(v.at("b77"), 1500, 1e-6);
  EXPECT_NEAR(v.at("again"), 1270, 1e-6);
}

// A .dc over temperatures under `set temp`: the sweep wins while it runs (its points are
// the temperatures), as in ngspice.
TEST(NgspiceForms, SetTempThenTemperatureSweep) {
  const auto r = neurospice("settempdc", R"(set temp then dc temp
v1 1 0 1
r1 1 0 r={1k + 10*temper}
.control
set temp = 100
dc temp 0 20 10
let rr = -1/i(v1)
print rr[0] rr[2]
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = printed(r.out);
  ASSERT_TRUE(v.count("rr[2]")) << r.out << r.err;
  EXPECT_NEAR(v.at("rr[0]"), 1000, 1e-6);
  EXPECT_NEAR(v.at("rr[2]"), 1200, 1e-6);
}

// wrdata FILE Y vs X: X is the scale column, each row x, y (here y = x^2).
TEST(NgspiceForms, WrdataVs) {
  const auto r = neurospice("wrdatavs", R"(wrdata vs
r1 1 0 1
.control
let x = vector(4)
let y = x*x
wrdata f.out y vs x
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto rows = numbers(r.file("f.out"));
  ASSERT_EQ(rows.size(), 4u) << r.file("f.out") << r.err;
  for (std::size_t k = 0; k < 4; ++k) {
    ASSERT_EQ(rows[k].size(), 2u);
    EXPECT_EQ(rows[k][0], double(k));
    EXPECT_EQ(rows[k][1], double(k * k));
  }
}

// v(foo) where foo is no node but a vector of the script: that vector.
TEST(NgspiceForms, VOfAVector) {
  const auto r = neurospice("vofvector", R"deck(v of a vector
v1 1 0 2
r1 1 0 1k
.control
op
let foo = 2--3
let twice = v(foo) * 2
echo "foo is $&v(foo)"
print twice v(1)
.endc
.end
)deck");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("foo is 5\n"), std::string::npos) << r.out << r.err;
  const auto v = printed(r.out);
  ASSERT_TRUE(v.count("twice")) << r.out << r.err;
  EXPECT_EQ(v.at("twice"), 10);
  EXPECT_EQ(v.at("v(1)"), 2);
}

// After `dc v1 ...`, @v1[dc] is the source's own value (ngspice-39 prints 3 here), unless
// the script saved @v1[dc]: then the dc plot holds the swept values.
TEST(NgspiceForms, SourceDcAfterSweep) {
  const auto plain = neurospice("sourcedc", R"(source dc
v1 1 0 dc 3
r1 1 0 1k
.control
dc v1 0 1 0.5
print @v1[dc]
.endc
.end
)");
  EXPECT_EQ(plain.status, 0) << plain.err;
  const auto v = printed(plain.out);
  ASSERT_TRUE(v.count("@v1[dc]")) << plain.out << plain.err;
  EXPECT_EQ(v.at("@v1[dc]"), 3);

  const auto saved = neurospice("sourcedcsaved", R"(source dc saved
v1 1 0 dc 3
r1 1 0 1k
.control
save @v1[dc]
dc v1 0 1 0.5
let s = @v1[dc]
print s[1] length(s)
.endc
.end
)");
  EXPECT_EQ(saved.status, 0) << saved.err;
  const auto w = printed(saved.out);
  ASSERT_TRUE(w.count("s[1]")) << saved.out << saved.err;
  EXPECT_EQ(w.at("s[1]"), 0.5);
  EXPECT_EQ(w.at("length(s)"), 3);
}

// `if` without a condition: a located error, the else branch runs, the script goes on.
TEST(NgspiceForms, IfWithoutCondition) {
  const auto r = neurospice("ifnocondition", R"(if without a condition
r1 1 0 1
.control
if
  echo "then"
else
  echo "otherwise"
end
echo "after"
.endc
.end
)");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out.find("then"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("otherwise\nafter\n"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.err.find("deck.cir:4:1"), std::string::npos) << r.err;
}

// sens over a divider (10 V, 1k over 3k, v(2) = 7.5 V): d v(2)/d V = 3/4, d/d R1 =
// -V R2/(R1+R2)^2, d/d R2 = V R1/(R1+R2)^2; r1_m = -R1 d/dR1 and r1_scale = R1 d/dR1
// (R1 scale/m). To 1e-6: print's 7 digits (the central differences are closer).
TEST(NgspiceForms, SensDc) {
  const auto r = neurospice("sensdc", R"(sens dc
v1 1 0 dc 10
r1 1 2 1k
r2 2 0 3k
.control
sens v(2) dc
print v1 r1 r2 r1_m r1_scale
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = printed(r.out);
  ASSERT_TRUE(v.count("r1_scale")) << r.out << r.err;
  const std::map<std::string, double> closed = {{"v1", 0.75}, {"r1", -10.0 * 3e3 / 16e6}, {"r2", 10.0 * 1e3 / 16e6},
                                                {"r1_m", 10.0 * 3e3 * 1e3 / 16e6}, {"r1_scale", -10.0 * 3e3 * 1e3 / 16e6}};
  for (const auto& [name, value] : closed) EXPECT_NEAR(v.at(name), value, 1e-6 * std::fabs(value)) << name;
}

// sens ac at the corner of a parallel RC fed by 1 A of ac (w R C = 1, Z = R/(1+j)):
// dV/dIac = Z = 500 - 500j, dV/dR = 1/(1+j)^2 = -j/2, dV/dC = -w R^2/2 = -5e11.
TEST(NgspiceForms, SensAc) {
  const auto r = neurospice("sensac", R"(sens ac
i1 0 1 dc 0 ac 1
r1 1 0 1k
c1 1 0 1n
.control
sens v(1) ac lin 1 159154.94309189535 159154.94309189535
print real(i1_acmag) imag(i1_acmag) real(r1) imag(r1) real(c1) imag(c1) length(frequency)
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = printed(r.out);
  ASSERT_TRUE(v.count("imag(c1)")) << r.out << r.err;
  EXPECT_NEAR(v.at("real(i1_acmag)"), 500, 1e-4);
  EXPECT_NEAR(v.at("imag(i1_acmag)"), -500, 1e-4);
  EXPECT_NEAR(v.at("real(r1)"), 0, 1e-7);
  EXPECT_NEAR(v.at("imag(r1)"), -0.5, 1e-7);
  EXPECT_NEAR(v.at("real(c1)"), -5e11, 5e11 * 1e-6);
  EXPECT_NEAR(v.at("imag(c1)"), 0, 5e11 * 1e-6);
  EXPECT_EQ(v.at("length(frequency)"), 1);
}

// ngspice-39's sens ac lin N steps by (fstop - fstart)/N: lin 3 1e6 1.2e6 gave 1e6,
// 1.066667e6, 1.133333e6 (printed by ngspice for this deck).
TEST(NgspiceForms, SensAcLinPoints) {
  const auto r = neurospice("sensaclin", R"(sens ac lin
v1 1 0 dc 0 ac 1
r1 1 2 1k
c1 2 0 1n
.control
sens v(2) ac lin 3 1e6 1.2e6
print frequency[1] frequency[2] length(frequency)
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = printed(r.out);
  ASSERT_TRUE(v.count("length(frequency)")) << r.out << r.err;
  EXPECT_NEAR(v.at("frequency[1]"), 1.066667e6, 1);
  EXPECT_NEAR(v.at("frequency[2]"), 1.133333e6, 1);
  EXPECT_EQ(v.at("length(frequency)"), 3);
}


// maximum() and minimum(): ngspice's other names for vecmax and vecmin, which memristor
// scripts use on a sweep's vector (ngspice-39 prints mx = 3, mn = -1 for this deck).
TEST(NgspiceForms, MaximumMinimum) {
  const auto r = neurospice("maximum", R"(maximum and minimum
v1 1 0 1
r1 1 0 1k
.control
let v = vector(5) - 1
let mx = maximum(v)
let mn = minimum(v)
print mx mn
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto v = printed(r.out);
  ASSERT_TRUE(v.count("mn")) << r.out << r.err;
  EXPECT_EQ(v.at("mx"), 3);
  EXPECT_EQ(v.at("mn"), -1);
}

}  // namespace

namespace {

// `set` keeps a value that reads as a number as that number, as ngspice-39 does: its echo of
// this deck printed exactly these lines. foreach's words stay as written.
TEST(NgspiceForms, SetKeepsNumbersAsNumbers) {
  const auto r = ns::control_test::neurospice("setnumbers", R"(set numbers
r1 a 0 1
.control
foreach r 1k 2.5meg
  echo A $r
end
set x = 1k
echo B $x
set y = 1e3
echo C $y
set z = 0.5
echo D $z
set w = abc
echo E $w
set l = ( 1k 2u abc )
echo F $l
set i = 10
echo G $i
set q = "1k"
echo H $q
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("A 1k\nA 2.5meg\nB 1000\nC 1000\nD 0.5\nE abc\nF 1000 2E-06 abc\nG 10\nH 1k\n"),
            std::string::npos)
      << r.out;
}

// A word's first '=' ends the variable's name; the rest of the word is the value, '=' and
// all (ngspice 39 on the same script: "1 2 3 4 TRUE r1=5 r1=10000").
TEST(NgspiceForms, SetValueMayHoldEqualsSign) {
  const auto r = ns::control_test::neurospice("setequals", R"(set equals
r1 a 0 1
.control
set a=1 b = 2 c= 3 d =4 flag
let va = 5
set t = R1={$&va}
let r_act = 10k
set title = R1={$&r_act}
echo $a $b $c $d $flag $t $title
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("1 2 3 4 TRUE r1=5 r1=10000\n"), std::string::npos) << r.out;
}

// KiCad's and xschem's node names hold '/', '-' and '+': in a script they are written in
// double quotes, v("/A"), and named without them (ngspice 39: "v(/a) = 1.000000e+00").
TEST(NgspiceForms, QuotedNodeNames) {
  const auto r = ns::control_test::neurospice("quotednodes", R"(quoted node names
V1 Net-_V1-Pad1_ 0 pulse(0 2 0 1n 1n 1 2)
R1 Net-_V1-Pad1_ /A 1k
R2 /A 0 1k
.tran 1n 10n
.control
run
let x = v("/A") * 2
let n = length(x) - 1
print x[n]
meas tran vmid find v("/A") at=5n
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  // a divider of two equal resistors: half of the 2 V source once it has risen (1 ns)
  EXPECT_NE(r.out.find("x[n] = 2.000000e+00\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("vmid                =  1.000000e+00"), std::string::npos) << r.out;
}

// $&vector reads as C's %G prints the values (ngspice 39 on the same script:
// "1E+06 -2.5E-07 0 1 2 3.14159"), and reads back as the same number in a command.
TEST(NgspiceForms, VectorSubstitutionAsPercentG) {
  const auto r = ns::control_test::neurospice("percentg", R"(percent G
v1 a 0 1
r1 a 0 1k
.control
let big = 1e6
let neg = -2.5e-7
let v3 = vector(3)
let pi4 = 3.14159265
echo $&big $&neg $&v3 $&pi4
alter r1 $&big
op
print @r1[resistance]
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("1E+06 -2.5E-07 0 1 2 3.14159\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@r1[resistance] = 1.000000e+06\n"), std::string::npos) << r.out;
}

}  // namespace

// A comma after a word ends it and is dropped; one that starts a word is kept; quoted
// commas stay. ngspice-39's echo of these lines printed exactly this (users37b).
TEST(NgspiceForms, EchoCommasSeparateWords) {
  const auto r = ns::control_test::neurospice("echocommas", R"(echo commas
r1 a 0 1
.control
echo a, b, c
echo 'a, b',c
echo ,, a,,b
echo 1.5,2.5
let v = 5
echo value is $&v, done
echo "x, y"
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("a b c\na, b c\n, a ,b\n1.5 2.5\nvalue is 5 done\nx, y\n"), std::string::npos) << r.out;
}

// `run` does the deck's analyses in ngspice's order whatever the deck's (ac, dc, op, tran,
// pz, tf, noise, sens; ngspice-39's `setplot` listed these names for this deck), so a
// script's `setplot tran1` finds the transient of a deck with .noise before .tran.
TEST(NgspiceForms, RunNamesPlotsInNgspiceOrder) {
  const auto r = ns::control_test::neurospice("runorder", R"(run order
r1 a b 1k
r2 b 0 1k
c1 b 0 1u
v1 a 0 dc 1 ac 1 sin(0 1 1k)
.tran 1u 1m
.noise v(b) v1 dec 2 1 10
.tf v(b) v1
.pz a 0 b 0 vol pz
.dc v1 0 1 0.5
.ac dec 2 1 10
.op
.control
run
setplot
setplot tran1
print v(b)[0]
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Current noise2\trun order (Integrated Noise)\n\tnoise1\trun order (Noise Spectral Density Curves)\n"
                       "\ttf1\trun order (Transfer Function)\n\tpz1\trun order (Pole-Zero Analysis)\n\ttran1\trun order (Transient Analysis)\n"
                       "\top1\trun order (Operating Point)\n\tdc1\trun order (DC transfer characteristic)\n\tac1\trun order (AC Analysis)\n"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("v(b)[0] = 0.000000e+00"), std::string::npos) << r.out;
}

// A column print is headed by the plot of its first vector and goes along that plot's
// scale (ngspice 39): a vector the script made before any run lives in the constants plot
// and prints as "Constant values", its own rows, no time column, even with a transient
// current; an expression, or a vector of the transient first, prints along its time.
TEST(NgspiceForms, PrintHeadsWithTheFirstVectorsPlot) {
  const auto r = ns::control_test::neurospice("printplot", R"(print plot
v1 a 0 dc 1
r1 a 0 1k
.tran 1u 10u
.control
let r = vector(3)
let r[1] = 5
run
print r
print r*2
print v(a) r
print const.r
.endc
.end
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Constant values"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Index   r               \n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0\t0.000000e+00\t\n1\t5.000000e+00\t\n2\t2.000000e+00\t\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Index   time            r*2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Index   time            v(a)            r"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Index   const.r         \n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Index   time            r  "), std::string::npos) << r.out;
}
