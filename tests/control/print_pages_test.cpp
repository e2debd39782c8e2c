// print's tables as ngspice -b lays them out (pages of `height` rows, columns split at
// `width`, print all's names and order) and the names of vectors inside subcircuits,
// compared byte for byte with `ngspice -b` on our own decks. Their values are exact in
// both (divider ratios at exact sweep points), so the text can be equal; the dates in the
// headings are masked.
#include <regex>

#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using namespace ns::control_test;

// What a deck prints between its `echo start` and `echo end`, dates masked, without the
// lines ngspice says of each analysis it runs.
std::string between_marks(const std::string& out) {
  const std::size_t from = out.find("start\n"), to = out.rfind("end\n");
  if (from == std::string::npos || to == std::string::npos || to < from) return "(no marks in) " + out;
  static const std::regex chatter(R"(Doing analysis at TEMP[^\n]*\n\n\nNo\. of Data Rows : \d+\n)");
  return std::regex_replace(undated(out.substr(from, to - from)), chatter, "");
}

struct Both {
  Run ours, theirs;
};

Both run_both(const std::string& name, const std::string& deck) {
  Both b{neurospice(name, deck), {}};
  const auto dir = fresh_dir(name + "_deck");
  std::ofstream(dir / "deck.cir") << deck;
  b.theirs = ngspice(name + "_ngspice", (dir / "deck.cir").string());
  return b;
}

// A ladder of equal resistors from v1: its nodes at exact fractions of v1 at every point.
const std::string ladder = R"(print pages
v1 in 0 dc 1 ac 1
r1 in n1 1k
r2 n1 n2 1k
r3 n2 n10 1k
r4 n10 b 1k
r5 b 7 1k
r6 7 0 1k
)";

TEST(PrintPages, ManyRowsAndColumnsPagedAsNgspice) {
  const Both b = run_both("pages_dc", ladder + R"(.control
dc v1 0 6 0.05
echo start
print v(n1) v(n2) v(n10) v(b) v(7) i(v1)
set width=100 height=30
print v(n1) v(n2) v(n10) v(b) v(7)
set nobreak
print v(n1) v(n2) v(n10) v(b) v(7) v(in)
echo end
.endc
.end
)");
  ASSERT_EQ(b.ours.status, 0) << b.ours.err;
  const std::string ours = between_marks(b.ours.out);
  EXPECT_EQ(ours, between_marks(b.theirs.out));
  // the first page of 121 rows: 55 rows, then 58 a page, columns 4 to a page of 80
  EXPECT_NE(ours.find("54\t2.700000e+00\t2.250000e+00\t1.800000e+00\t1.350000e+00\t\n\f\nIndex   v-sweep         "
                      "v(n1)           v(n2)           v(n10)          \n"),
            std::string::npos);
}

TEST(PrintPages, PrintAllNamesEveryVectorInNgspiceOrder) {
  const Both b = run_both("pages_all", ladder + R"(.control
dc v1 0 1 0.5
echo start
print all
op
print all
ac lin 3 1k 3k
print all
print v(n1) v(n2)
echo end
.endc
.end
)");
  ASSERT_EQ(b.ours.status, 0) << b.ours.err;
  const std::string ours = between_marks(b.ours.out);
  EXPECT_EQ(ours, between_marks(b.theirs.out));
  // numbers as numbers (n2 before n10), V(7) for a node named by a number, the scale among them
  EXPECT_NE(ours.find("Index   v-sweep         V(7)            b               in              \n"), std::string::npos);
  EXPECT_NE(ours.find("v(7) = 1.666667e-01\nb = 3.333333e-01\nin = 1.000000e+00\nn1 = 8.333333e-01\n"
                      "n2 = 6.666667e-01\nn10 = 5.000000e-01\nv1#branch = -1.66667e-04\n"),
            std::string::npos);
}

TEST(PrintPages, SavedVectorsAreAllThatPrintAllLists) {
  const Both b = run_both("pages_saved", ladder + R"(.control
save n2 b
dc v1 0 1 0.25
echo start
print all
echo end
.endc
.end
)");
  ASSERT_EQ(b.ours.status, 0) << b.ours.err;
  EXPECT_EQ(between_marks(b.ours.out), between_marks(b.theirs.out));
}

// A subcircuit's source, nodes and devices under ngspice's names: v.x1.vs#branch,
// i(v.x1.vs), x1.n, @r.x1.r1[i], as print, let, meas and display show them.
const std::string cell = R"(subcircuit names
.subckt cell a b
vs a n dc 0
r1 n m 1k
r2 m b 2k
.ends
v1 in 0 dc 3
x1 in 0 cell
)";

TEST(PrintPages, VectorsInsideSubcircuitsByNgspiceNames) {
  const Both b = run_both("pages_subckt", cell + R"(.control
op
echo start
print i(v.x1.vs) v.x1.vs#branch v(x1.n) @r.x1.r1[i]
let twice = 2 * i(v.x1.vs)
print twice
print all
display
dc v1 2 3 0.5
print v.x1.vs#branch i(v.x1.vs) v(x1.m)
echo end
meas dc at3 find i(v.x1.vs) at=3
.endc
.end
)");
  ASSERT_EQ(b.ours.status, 0) << b.ours.err;
  const std::string ours = between_marks(b.ours.out);
  EXPECT_EQ(ours, between_marks(b.theirs.out));
  EXPECT_NE(ours.find("v.x1.vs#branch = 1.000000e-03\n"), std::string::npos) << ours;
  // meas reads it too: 3 V over 3k, printed as ngspice prints it ("=" then two spaces)
  EXPECT_NE(b.ours.out.find("\nat3                 =  1.000000e-03\n"), std::string::npos) << b.ours.out;
}

// A MOSFET's drain current inside a subcircuit, @m.x1.m1[id], against ngspice's (whose
// Newton stops within its reltol, 1e-3).
TEST(PrintPages, DeviceQuantityInsideASubcircuit) {
  const Both b = run_both("pages_mos", R"(mosfet in a subcircuit
.subckt cell a b
r1 a m 1k
m1 m m b b nch w=10u l=1u
.ends
.model nch nmos level=1 vto=0.5 kp=100u
v1 in 0 dc 3
x1 in 0 cell
.control
op
print @m.x1.m1[id] i(v1)
.endc
.end
)");
  ASSERT_EQ(b.ours.status, 0) << b.ours.err;
  const auto ours = printed(b.ours.out), theirs = printed(b.theirs.out);
  ASSERT_TRUE(theirs.count("@m.x1.m1[id]")) << b.theirs.out;
  ASSERT_TRUE(ours.count("@m.x1.m1[id]")) << b.ours.out << b.ours.err;
  EXPECT_NEAR(ours.at("@m.x1.m1[id]"), theirs.at("@m.x1.m1[id]"), 1e-3 * theirs.at("@m.x1.m1[id]"));
  EXPECT_NEAR(ours.at("@m.x1.m1[id]"), -ours.at("i(v1)"), 1e-9);
}

TEST(PrintPages, PrintCardNamesABranchCurrentAsNgspice) {
  const Both b = run_both("pages_card", R"(branch current on a .print card
vds 1 0 dc 1
vids 1 2 dc 0
r1 2 0 2k
.dc vds 0 2 0.5
.print dc vids#branch
.control
echo script
.endc
.end
)");
  ASSERT_EQ(b.ours.status, 0) << b.ours.err;
  // ngspice's table: from its title line to the blank line after the rows
  std::string theirs = b.theirs.out;
  const std::size_t table = theirs.find("  branch current");
  ASSERT_NE(table, std::string::npos) << theirs;
  theirs = theirs.substr(theirs.rfind('\n', table) + 1);
  theirs = theirs.substr(0, theirs.find("\n\n") + 2);
  EXPECT_EQ(undated(b.ours.out), "script\n" + undated(theirs));
  EXPECT_NE(b.ours.out.find("Index   v-sweep         vids#branch     \n"), std::string::npos) << b.ours.out;
  EXPECT_NE(b.ours.out.find("4\t2.000000e+00\t1.000000e-03\t\n"), std::string::npos) << b.ours.out;
}

// meas's line as ngspice 39 prints it: "=" then two spaces, %e with six decimals (five
// for RMS and INTEG), each detail (at=, from= to=, with=) the same way, a negative value
// one character longer. The values are exact in both: a 1k-3k divider at exact sweep
// points, and a constant over a transient for RMS and INTEG.
TEST(PrintPages, MeasLinesAsNgspice) {
  for (const auto& [name, analysis] : {std::pair<std::string, std::string>{"meas_lines_dc", R"(dc v1 -4 4 1
echo start
meas dc at3 find v(out) at=3
meas dc neg find v(out) at=-2
meas dc top max v(out)
meas dc low min v(out) from=-3 to=2
meas dc mid avg v(out) from=0 to=4
meas dc swing pp v(out) from=-2 to=2
meas dc where max_at v(out) from=-2 to=2
meas dc cross when v(out)=1.5
)"}, {"meas_lines_tran", R"(alter v1 -2
tran 10u 1m
echo start
meas tran sq rms v(out) from=0 to=0.5m
meas tran area integ v(out) from=0 to=0.5m
meas tran whole integ v(out)
)"}}) {
    const Both b = run_both(name, R"(meas lines
v1 in 0 dc 0
r1 in out 1k
r2 out 0 3k
.control
)" + analysis + R"(echo end
.endc
.end
)");
    ASSERT_EQ(b.ours.status, 0) << b.ours.err;
    EXPECT_EQ(between_marks(b.ours.out), between_marks(b.theirs.out)) << name;
  }
}

// A deck's .save of device quantities: they are vectors of the plot, in print all as
// ngspice 39 lists them. Level 1 in saturation: id = kp/2 W/L (vgs - vto)^2 = 3.2e-4 A,
// gm = kp W/L (vgs - vto) = 8e-4 S, both exact in print's digits. (display lists them too,
// but ngspice types them current and admittance, ours notype, and marks v(d) the scale.)
TEST(PrintPages, DeckSavedQuantitiesInPrintAll) {
  const Both b = run_both("saved_quantities", R"(saved quantities
vd d 0 dc 1
vg g 0 dc 1.5
m1 d g 0 0 nch w=10u l=1u
.model nch nmos level=1 vto=0.7 kp=100u
.save @m1[id] v(d) @m1[gm]
.control
op
echo start
print all
echo end
.endc
.end
)");
  ASSERT_EQ(b.ours.status, 0) << b.ours.err;
  const std::string ours = between_marks(b.ours.out);
  EXPECT_EQ(ours, between_marks(b.theirs.out));
  EXPECT_NE(ours.find("@m1[id] = 3.200000e-04\n"), std::string::npos) << ours;
}

}  // namespace
