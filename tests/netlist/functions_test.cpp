// .func: global and inside .subckt, in any card order, with or without '=' and braces;
// used by parameters, element values and behavioural sources; recursion refused.
#include <gtest/gtest.h>

#include "expr/program.hpp"
#include "helpers.hpp"

namespace ns::test {
namespace {

double value_of(const Netlist& n, const std::string& element_name) {
  return element(n, element_name).values.at(0).value;
}

TEST(Functions, GlobalInAnyOrderAndSpellings) {
  const Netlist n = parse(
      "t\n"
      ".param r={twice(500)}\n"             // uses a .func defined further down
      ".func twice(x) = {2*x}\n"
      ".func sq(x) x*x\n"                    // no '=', no braces
      ".func hyp(a, b)='sqrt(sq(a) + sq(b))'\n"
      "v1 a 0 1\n"
      "r1 a 0 {r}\n"
      "r2 a 0 {hyp(3, 4) * 1k}\n");
  EXPECT_EQ(value_of(n, "r1"), 1000);
  EXPECT_EQ(value_of(n, "r2"), 5000);
}

TEST(Functions, InsideSubcircuitsShadowAndNest) {
  const Netlist n = parse(
      "t\n"
      ".func k(x) = {x}\n"
      ".subckt cell a params: w=1\n"
      ".func k(x) = {10*x}\n"                 // shadows the global k inside cell
      ".param inner={k(w)}\n"
      "r1 a 0 {inner}\n"
      ".subckt deep b\n"
      "r2 b 0 {k(3)}\n"                       // sees cell's k
      ".ends\n"
      "x2 a deep\n"
      ".ends\n"
      "v1 a 0 1\n"
      "x1 a cell w=7\n"
      "r3 a 0 {k(5)}\n");
  EXPECT_EQ(value_of(n, "x1.r1"), 70);
  EXPECT_EQ(value_of(n, "x1.x2.r2"), 30);
  EXPECT_EQ(value_of(n, "r3"), 5);
}

TEST(Functions, BodiesSeeTheCallersParameters) {
  const Netlist n = parse(
      "t\n"
      ".param gain=3\n"
      ".func amp(x) = {gain*x}\n"
      "v1 a 0 1\n"
      "r1 a 0 {amp(1k)}\n");
  EXPECT_EQ(value_of(n, "r1"), 3000);
}

TEST(Functions, InBehaviouralSources) {
  const Netlist n = parse(
      "t\n"
      ".param k=2\n"
      ".func drive(x, y) = {k*x*x - y}\n"
      "v1 a 0 1\n"
      "b1 b 0 v={drive(v(a), v(b, a))}\n"
      "r1 b 0 1k\n");
  const Element& b = element(n, "b1");
  ASSERT_TRUE(b.behaviour);
  const Program& p = *b.behaviour->program;
  ASSERT_EQ(p.inputs().size(), 2u);  // v(a), v(b): inlined
  EXPECT_EQ(b.behaviour->inputs, (std::vector<std::string>{"a", "b"}));
  auto w = p.workspace();
  EXPECT_EQ(p.run(std::vector<double>{3, 5}, w), 2 * 9 - (5 - 3));
  EXPECT_EQ(w.gradient()[0], 2 * 2 * 3 + 1);
  EXPECT_EQ(w.gradient()[1], -1);
  // where the v() inside a .func body is read: on the .func card
  const Netlist m = parse(
      "t\n"
      ".func va() = {v(a)}\n"
      "v1 a 0 1\n"
      "b1 b 0 i={va() * 1m}\n"
      "r1 b 0 1k\n");
  EXPECT_EQ(element(m, "b1").behaviour->input_where.at(0).str(), "t.cir:2:15");
}

TEST(Functions, Errors) {
  EXPECT_ERROR("t\n.func f(x) = {g(x)}\n.func g(x) = {f(x)}\n", "t.cir:3:15", "recursive (f -> g -> f)");
  EXPECT_ERROR("t\n.func f(x) = {f(x)}\n", "t.cir:2:15", "recursive");
  EXPECT_ERROR("t\n.func f(x, x) = {x}\n", "t.cir:2:12", "appears twice");
  EXPECT_ERROR("t\n.func f(x) = {x}\nr1 a 0 {f(1, 2)}\n", "t.cir:3:9", "function 'f' takes 1 argument, not 2");
  EXPECT_ERROR("t\n.func f(x) = {y*x}\nv1 a 0 1\nr1 a 0 {f(2)}\n", "t.cir:4:9", "undefined parameter 'y'");
  EXPECT_ERROR("t\n.func f(x) = {1/x}\nv1 a 0 1\nr1 a 0 {f(0)}\n", "t.cir:4:9", "in function 'f': division by zero");
  EXPECT_ERROR("t\n.func f x\n", "t.cir:2:1", "name(parameters)");
}

}  // namespace
}  // namespace ns::test
