// Program::branches: the jumps of a value in the circuit's unknowns, which a transient holds
// on one side between threshold crossings (models/behavioural_source.cpp).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "expr/program.hpp"

namespace ns {
namespace {

double no_param(const std::string& name, const Expression&, std::size_t) {
  throw std::runtime_error("unexpected parameter " + name);
}

// Comparisons and steps of node voltages are branches; of time alone they are time
// corners instead, and == / != (true on a set of no duration) are neither.
TEST(ProgramBranches, WhichJumpsAreBranches) {
  struct Case {
    const char* text;
    std::size_t branches;
  };
  for (const Case& c : {Case{"v(a) > 1 ? 2 : 3", 1}, Case{"if(v(a) <= v(b), 1, 0)", 1},
                        Case{"u(v(a) - 1) + stp(v(b)) + sgn(v(a)) + buf(v(b)) + inv(v(a))", 5},
                        Case{"(v(a) > 1 || v(b) < 2) && v(a) >= 0 ? 1 : 0", 3},
                        Case{"time < 1u ? v(a) : 0", 0}, Case{"u(time - 1u) * v(a)", 0},
                        Case{"v(a) == 1 ? 1 : 0", 0}, Case{"abs(v(a)) + min(v(a), 1)", 0},
                        Case{"v(a) > time * 1k ? 1 : 0", 1}}) {
    SCOPED_TRACE(c.text);
    const Expression e(c.text);
    EXPECT_EQ(Program(e, no_param).branches(), c.branches);
  }
}

// Live, each branch takes the side its distance gives; held, the side given, whatever
// the distance, with no derivative through it.
TEST(ProgramBranches, HeldSideAndDistance) {
  const Expression e("v(a) > 1 ? 2*v(a) : 3 + sgn(v(a) - 0.5) + inv(v(a))");
  const Program p(e, no_param);
  ASSERT_EQ(p.branches(), 3u);
  auto w = p.workspace();
  const std::vector<double> x{0.75};
  EXPECT_EQ(p.run(x, w), 3 + 1 + 0);  // below 1, above 0.5 twice
  EXPECT_DOUBLE_EQ(w.distance(0), 0.75 - 1);
  EXPECT_DOUBLE_EQ(w.distance(1), 0.75 - 0.5);
  EXPECT_DOUBLE_EQ(w.distance(2), 0.75 - 0.5);
  EXPECT_FALSE(p.on(0, w));
  EXPECT_TRUE(p.on(1, w));
  EXPECT_TRUE(p.on(2, w));
  // Held: the comparison on (2 v(a)), sgn off (-1), inv on (0).
  const std::vector<double> held{1, 0, 1};
  EXPECT_EQ(p.run(x, w, held), 1.5);
  EXPECT_EQ(w.gradient()[0], 2.0);
  EXPECT_DOUBLE_EQ(w.distance(0), 0.75 - 1);  // still measured from the arguments
  const std::vector<double> other{0, 0, 1};
  EXPECT_EQ(p.run(x, w, other), 3 - 1 + 0);
  EXPECT_EQ(w.gradient()[0], 0.0);
  EXPECT_LT(w.error(), 1e-15);  // a held side is certain: no jump in the bound
}

// >= and stp are on at a distance of 0; > and u are not.
TEST(ProgramBranches, ClosedAtZero) {
  for (const auto& [text, on] : {std::pair{"v(a) >= 1", true}, std::pair{"v(a) > 1", false},
                                 std::pair{"stp(v(a) - 1)", true}, std::pair{"u(v(a) - 1)", false},
                                 std::pair{"1 <= v(a)", true}, std::pair{"1 < v(a)", false}}) {
    SCOPED_TRACE(text);
    const Expression e(text);
    const Program p(e, no_param);
    auto w = p.workspace();
    p.run(std::vector<double>{1.0}, w);
    ASSERT_EQ(p.branches(), 1u);
    EXPECT_EQ(w.distance(0), 0.0);
    EXPECT_EQ(p.on(0, w), on);
  }
}

}  // namespace
}  // namespace ns
