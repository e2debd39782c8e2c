#include "helpers.hpp"

namespace ns {
namespace {

using test::element;
using test::parse;

TEST(Subckt, FlattensNamesAndNodes) {
  const Netlist n = parse(
      "t\n"
      ".subckt div in out\n"
      "r1 in mid 1k\n"
      "r2 mid out 2k\n"
      "c1 mid 0 1p\n"
      "c2 mid gnd 1p\n"
      ".ends div\n"
      "x1 a b div\n"
      "x2 b 0 DIV\n");
  ASSERT_EQ(n.elements.size(), 8u);
  const Element& r1 = element(n, "x1.r1");
  EXPECT_EQ(r1.kind, 'r');
  EXPECT_EQ(r1.nodes, (std::vector<std::string>{"a", "x1.mid"}));
  EXPECT_EQ(r1.where.line, 3);
  EXPECT_EQ(element(n, "x1.r2").nodes, (std::vector<std::string>{"x1.mid", "b"}));
  EXPECT_EQ(element(n, "x2.r1").nodes, (std::vector<std::string>{"b", "x2.mid"}));
  EXPECT_EQ(element(n, "x2.r2").nodes, (std::vector<std::string>{"x2.mid", "0"}));
  EXPECT_EQ(element(n, "x1.c1").nodes.at(1), "0");
  EXPECT_EQ(element(n, "x1.c2").nodes.at(1), "gnd");
}

TEST(Subckt, ParamsDefaultsOverridesAndLocalScope) {
  const Netlist n = parse(
      "t\n"
      ".param scale=2\n"
      ".subckt cell a b params: r=1k c={r*1n}\n"
      ".param twice={2*r}\n"
      "r1 a b {r*scale}\n"
      "r2 a b {twice}\n"
      "c1 a b {c}\n"
      ".ends\n"
      ".subckt cell2 a b r=5 c=6\n"
      "r1 a b {r+c}\n"
      ".ends\n"
      "x1 n1 0 cell\n"
      "x2 n2 0 cell r=3k\n"
      "x3 n3 0 cell params: c=7 r={scale}\n"
      "x4 n4 0 cell2 c=10\n");
  EXPECT_DOUBLE_EQ(element(n, "x1.r1").values.at(0).value, 2e3);
  EXPECT_DOUBLE_EQ(element(n, "x1.r2").values.at(0).value, 2e3);
  EXPECT_DOUBLE_EQ(element(n, "x1.c1").values.at(0).value, 1e-6);
  EXPECT_DOUBLE_EQ(element(n, "x2.r1").values.at(0).value, 6e3);
  EXPECT_DOUBLE_EQ(element(n, "x2.r2").values.at(0).value, 6e3);
  EXPECT_DOUBLE_EQ(element(n, "x2.c1").values.at(0).value, 3e-6);  // default uses the override
  EXPECT_DOUBLE_EQ(element(n, "x3.r1").values.at(0).value, 4);
  EXPECT_DOUBLE_EQ(element(n, "x3.c1").values.at(0).value, 7);
  EXPECT_DOUBLE_EQ(element(n, "x4.r1").values.at(0).value, 15);
  // A subcircuit's .param is not visible outside it.
  EXPECT_ERROR(
      "t\n.subckt s a\n.param inner=1\nr1 a 0 {inner}\n.ends\nx1 a s\nr9 a 0 {inner}\n",
      "t.cir:7:9", "undefined parameter 'inner'");
}

TEST(Subckt, NestedInstancesAndDefinitions) {
  const Netlist n = parse(
      "t\n"
      ".subckt inner p q\n"
      "r1 p q 1\n"
      "c1 q 0 1p\n"
      ".ends\n"
      ".subckt outer a b\n"
      ".subckt leaf z\n"
      "r5 z 0 5\n"
      ".ends leaf\n"
      "x2 a m inner\n"
      "x3 m b inner\n"
      "x4 m leaf\n"
      "v1 m 0 1\n"
      "f1 a 0 v1 2\n"
      ".ends outer\n"
      "x1 in out outer\n");
  EXPECT_EQ(element(n, "x1.x2.r1").nodes, (std::vector<std::string>{"in", "x1.m"}));
  EXPECT_EQ(element(n, "x1.x3.r1").nodes, (std::vector<std::string>{"x1.m", "out"}));
  EXPECT_EQ(element(n, "x1.x3.c1").nodes, (std::vector<std::string>{"out", "0"}));
  EXPECT_EQ(element(n, "x1.x4.r5").nodes, (std::vector<std::string>{"x1.m", "0"}));
  EXPECT_EQ(element(n, "x1.f1").control, "x1.v1");
  // leaf is local to outer.
  EXPECT_ERROR("t\n.subckt outer a\n.subckt leaf z\nr5 z 0 5\n.ends\n.ends\nx1 a leaf\n",
               "t.cir:7:6", "unknown subcircuit 'leaf'");
}

TEST(Subckt, GlobalNodes) {
  const Netlist n = parse("t\n.global vdd\n.subckt s a\nr1 a vdd 1\n.ends\nx1 n s\n");
  EXPECT_EQ(element(n, "x1.r1").nodes, (std::vector<std::string>{"n", "vdd"}));
}

TEST(Subckt, ScopedModels) {
  const Netlist n = parse(
      "t\n"
      ".model dm d is=1e-14\n"
      ".subckt s a\n"
      ".model dm d is=2e-14\n"
      ".model only d is=3e-14\n"
      "d1 a 0 dm\n"
      "d2 a 0 only\n"
      ".subckt t b\n"
      "d3 b 0 dm\n"
      ".ends\n"
      "x9 a t\n"
      ".ends\n"
      ".subckt u c\n"
      "d4 c 0 dm\n"
      ".ends\n"
      "x1 n s\n"
      "x2 n u\n"
      "d5 n 0 dm\n");
  EXPECT_EQ(n.models.size(), 3u);
  EXPECT_DOUBLE_EQ(n.models.at("dm").params.at(0).value, 1e-14);
  EXPECT_DOUBLE_EQ(n.models.at("x1.dm").params.at(0).value, 2e-14);
  EXPECT_EQ(n.models.at("x1.only").type, "d");
  EXPECT_EQ(element(n, "x1.d1").model, "x1.dm");
  EXPECT_EQ(element(n, "x1.d2").model, "x1.only");
  EXPECT_EQ(element(n, "x1.x9.d3").model, "x1.dm");  // nested definition sees the enclosing one
  EXPECT_EQ(element(n, "x2.d4").model, "dm");        // u is not inside s
  EXPECT_EQ(element(n, "d5").model, "dm");
}

TEST(Subckt, ModelParamsUseInstanceParams) {
  const Netlist n = parse(
      "t\n.subckt s a params: k=2\n.model m d (is={k*1e-15})\nd1 a 0 m\n.ends\nx1 a s k=3\nx2 a s\n");
  EXPECT_DOUBLE_EQ(n.models.at("x1.m").params.at(0).value, 3e-15);
  EXPECT_DOUBLE_EQ(n.models.at("x2.m").params.at(0).value, 2e-15);
}

// A different name on .ends closes the innermost open .subckt, as ngspice 39 does (a
// nested pair closed '.ends outer', '.ends inner' gave 0.5 V on its divider there too).
TEST(Subckt, EndsWithAnotherNameClosesTheInnermostWithAWarning) {
  const Netlist n = parse("t\n.subckt outer a b\nx1 a b inner\nr2 b 0 1k\n.subckt inner p q\nr1 p q 1k\n"
                          ".ends outer\n.ends inner\nv1 in 0 1\nx1 in out outer\n");
  ASSERT_EQ(n.warnings.size(), 2u);
  EXPECT_EQ(n.warnings[0], "t.cir:7:7: warning: '.ends outer' closes '.subckt inner' (the innermost open one)");
  EXPECT_EQ(n.warnings[1], "t.cir:8:7: warning: '.ends inner' closes '.subckt outer' (the innermost open one)");
  EXPECT_EQ(element(n, "x1.x1.r1").nodes, (std::vector<std::string>{"in", "out"}));
  EXPECT_EQ(element(n, "x1.r2").nodes, (std::vector<std::string>{"out", "0"}));
}

TEST(Subckt, Errors) {
  EXPECT_ERROR("t\nr0 a 0 1\n.subckt s a b\nr1 a b 1\n", "t.cir:3:1", "subcircuit 's' has no '.ends'");
  EXPECT_ERROR("t\nr1 a 0 1\n.ends\n", "t.cir:3:1", "'.ends' without '.subckt'");
  // An analysis card after an unclosed .subckt: the missing .ends is the error reported.
  EXPECT_ERROR("t\n.subckt s a\nr1 a 0 1\n.op\n", "t.cir:2:1", "subcircuit 's' has no '.ends'");
  EXPECT_ERROR("t\n.subckt inv a b\n.ends\nx1 a b c invv\n", "t.cir:4:10",
               "unknown subcircuit 'invv' (did you mean 'inv'?)");
  EXPECT_ERROR("t\n.subckt inv a b\n.ends\nx1 a b c inv\n", "t.cir:4:1",
               "'x1' connects 3 nodes, but subcircuit 'inv' has 2 ports (a b)");
  EXPECT_ERROR("t\n.subckt a p\nx1 p b\n.ends\n.subckt b p\nx1 p a\n.ends\nx1 n a\n", "t.cir:6:1",
               "subcircuit 'a' instantiates itself (a -> b -> a)");
  EXPECT_ERROR("t\n.subckt a p\nx1 p a\n.ends\nx1 n a\n", "t.cir:3:1",
               "subcircuit 'a' instantiates itself (a -> a)");
  EXPECT_ERROR("t\n.subckt s a params: width=1\n.ends\nx1 n s widht=2\n", "t.cir:4:8",
               "unknown parameter 'widht' for subcircuit 's' (did you mean 'width'?)");
  EXPECT_ERROR("t\n.subckt s a\nr1 a 0 1\nr1 a 0 2\n.ends\nx1 n s\n", "t.cir:4:1",
               "duplicate element name 'x1.r1' (first defined at t.cir:3:1)");
  EXPECT_ERROR("t\n.subckt s a\n.ends\n.subckt s b\n.ends\n", "t.cir:4:9",
               "subcircuit 's' is already defined");
  EXPECT_ERROR("t\n.subckt s a\n.tran 1n 1u\n.ends\n", "t.cir:3:1", "not allowed inside subcircuit 's'");
  EXPECT_ERROR("t\n.subckt s a params: r=1\nr1 a 0 {r/0}\n.ends\nx1 n s\n", "t.cir:3:10", "division by zero");
}

}  // namespace
}  // namespace ns
