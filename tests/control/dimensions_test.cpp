// Multi-dimensional vectors (reshape, transpose, v[i][j], let v[i] = a row), setscale,
// remcirc and source, as ngspice's example decks use them (3d_loop, dc_loop, MC_2_control).
// The circuit is one resistor across a source, so every current is -V/R; the expected text
// is also what ngspice-39 printed for the same decks.
#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using ns::control_test::neurospice;
using ns::control_test::numbers;

// A 3 x 4 grid of dc sweeps (R = 1k, 2k, 4k; V = 0..3), rows filled by `let grid[k] =`,
// then transposed: grid[v] is the current at v volts for the three resistors, written
// against the resistances by setscale.
TEST(Dimensions, ReshapeTransposeSetscale) {
  const auto r = neurospice("reshape", R"(Dimensions
.param rr = 1k
v1 a 0 1
r1 a 0 {rr}
.control
setplot new
set base = $curplot
let grid = vector(12)
reshape grid [3][]
print grid[1]
let rs = vector(3)
let k = 0
foreach r 1k 2k 4k
  alterparam rr = $r
  reset
  dc v1 0 3 1
  set sweep = $curplot
  setplot $base
  let grid[k] = {$sweep}.v1#branch
  let rs[k] = $r
  let k = k + 1
end
let g = grid[2][3]
print g
transpose grid
let h = grid[3][2]
print h
setscale rs
setscale
wrdata currents.txt grid[2]
.endc
.end
)");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(ns::control_test::undated(r.out),
            std::string(35, ' ') + "Anonymous\n" + std::string(35, ' ') + "unknown  DATE\n" + std::string(80, '-') +
                "\nIndex   grid[1]         \n" + std::string(80, '-') +
                "\n0\t4.000000e+00\t\n1\t5.000000e+00\t\n2\t6.000000e+00\t\n3\t7.000000e+00\t\n"
                "g = -7.50000e-04\n"   // 3 V across 4k
                "h = -7.50000e-04\n"   // the same element, transposed
                "    rs                  : notype, real, 3 long [default scale]\n");
  const auto rows = numbers(r.file("currents.txt"));
  ASSERT_EQ(rows.size(), 3u);
  const double r_of[] = {1e3, 2e3, 4e3};
  for (std::size_t k = 0; k < 3; ++k) {
    ASSERT_EQ(rows[k].size(), 2u);
    EXPECT_DOUBLE_EQ(rows[k][0], r_of[k]);
    EXPECT_NEAR(rows[k][1], -2.0 / r_of[k], 1e-12);  // 2 V across each
  }
}

// let v[i][j] = x sets one element of a three-dimensional vector; v[i] is a block.
TEST(Dimensions, ThreeIndices) {
  const auto r = neurospice("three", R"(Three indices
v1 a 0 1
r1 a 0 1k
.control
let c = vector(24)
reshape c [2][3][4]
let c[1][2][3] = -1
let d = c[1]
print length(d) c[1][2][3] c[0][1][2] d[2][3]
.endc
.end
)");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "length(d) = 1.200000e+01\nc[1][2][3] = -1.00000e+00\nc[0][1][2] = 6.000000e+00\nd[2][3] = -1.00000e+00\n");
}

TEST(Dimensions, ReshapeThatDoesNotFitFails) {
  const auto r = neurospice("nofit", R"(No fit
v1 a 0 1
r1 a 0 1k
.control
let c = vector(10)
reshape c [3][4]
.endc
.end
)");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("deck.cir:6:1: error: 'reshape': the dimensions hold 12 elements, the vector has 10"), std::string::npos)
      << r.err;
}

// remcirc removes the circuit: an analysis fails until mc_source (or source) loads one.
TEST(Dimensions, Remcirc) {
  const auto r = neurospice("remcirc", R"(Remcirc
v1 a 0 2
r1 a 0 1k
.control
remcirc
op
mc_source
op
print i(v1)
.endc
.end
)");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("deck.cir:6:1: error: no circuit to simulate: 'remcirc' removed it"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "i(v1) = -2.00000e-03\n");
}

// source FILE loads a circuit (its .control block runs then). ngspice-39 printed the same
// for this deck.
TEST(Dimensions, Source) {
  const auto dir = ns::control_test::fresh_dir("source_circuit");
  std::ofstream(dir / "circuit.cir") << "Sourced circuit\nv1 a 0 3\nr1 a 0 1k\n.control\necho sourced\n.endc\n.end\n";
  const auto r = neurospice("source", "Only a script\n.control\nsource " + (dir / "circuit.cir").string() +
                                          "\nop\nprint v(a) i(v1)\n.endc\n.end\n");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "sourced\nv(a) = 3.000000e+00\ni(v1) = -3.00000e-03\n");
}

}  // namespace
