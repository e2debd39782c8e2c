// A G source whose control reads one of its own terminals is a conductance there (the
// leak of a LIF or Mihalas-Niebur membrane written `Gl v 0 v vel {gl}`): the membrane node
// has a DC path through it, so no gmin shunt and no warning, and the operating point is
// the closed form's.
#include <gtest/gtest.h>

#include "sim/support.hpp"

namespace ns::test {
namespace {

TEST(VccsTopology, ControlOnItsOwnTerminalConducts) {
  const auto run = run_neurospice(R"(membrane leak as a G source
Cm v 0 1n
Gl v 0 v vel 50n
Vel vel 0 -70m
Iin 0 v 1n
.op
.end
)");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err.find("no DC path"), std::string::npos) << run.err;
  // gl (v - el) = iin: v = el + iin/gl = -70 mV + 20 mV
  EXPECT_NEAR(run.table().col("v(v)")[0], -0.05, 1e-12);
}

TEST(VccsTopology, ControlElsewhereIsStillASource) {
  const auto run = run_neurospice(R"(a G source fed from elsewhere does not ground its node
V1 c 0 1
R1 c 0 1k
G1 x 0 c 0 1m
C1 x 0 1n
.op
.end
)");
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.err.find("node 'x' has no DC path to ground"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace ns::test
