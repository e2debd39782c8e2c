// Inductances and couplings ngspice takes though they are not passive: a negative L, |k| > 1,
// an inductance matrix that is not positive semidefinite. They run, with a warning for the
// matrix, as in ngspice 39; M = k sqrt(|L1 L2|).
#include <gtest/gtest.h>

#include <complex>
#include <string>

#include "sim/support.hpp"

namespace ns::test {
namespace {

// R1 1k from a 1 V phasor to b, L1 = 1 mH from b to ground, coupled by k = 0.5 to L2 = -4 mH
// loaded by R2 = 1k: the 4x4 phasor system solved here (M = +1 mH). ngspice 39 prints the
// same to its 7 digits (vr(b) 3.779812e-01, vi(c) 1.507244e-01 at 100 kHz).
TEST(InductorBounds, NegativeCoupledInductorAcClosedForm) {
  const auto run = run_neurospice(R"(negative inductance coupled
v1 a 0 dc 0 ac 1
r1 a b 1k
l1 b 0 1m
l2 c 0 -4m
k1 l1 l2 0.5
r2 c 0 1k
.print ac vr(b) vi(b) vr(c) vi(c)
.ac lin 3 100k 300k
.end
)");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("not positive semidefinite"), std::string::npos) << run.err;
  const Table& t = run.table();
  for (std::size_t k = 0; k < 3; ++k) {
    using C = std::complex<double>;
    const double w = 2 * M_PI * t.col("frequency")[k], l1 = 1e-3, l2 = -4e-3, m = 0.5 * 2e-3, r = 1e3;
    // i2 = -vc / r; vc = jw(m i1 + l2 i2) => vc = jw m i1 / (1 + jw l2 / r); vb = jw(l1 i1 + m i2);
    // (1 - vb) / r = i1.
    const C j{0, 1};
    const C vc_per_i1 = j * w * m / (1.0 + j * w * l2 / r);
    const C vb_per_i1 = j * w * l1 - j * w * m * vc_per_i1 / r;
    const C i1 = 1.0 / (r + vb_per_i1);
    const C vb = vb_per_i1 * i1, vc = vc_per_i1 * i1;
    EXPECT_NEAR(t.col("vr(b)")[k], vb.real(), 1e-9);
    EXPECT_NEAR(t.col("vi(b)")[k], vb.imag(), 1e-9);
    EXPECT_NEAR(t.col("vr(c)")[k], vc.real(), 1e-9);
    EXPECT_NEAR(t.col("vi(c)")[k], vc.imag(), 1e-9);
  }
}

// k = 1.2 between two inductors: warned, and the operating point (inductors short) runs.
TEST(InductorBounds, CouplingAboveOneWarnsAndRuns) {
  const auto run = run_neurospice(R"(coupling above one
v1 a 0 1
r1 a b 1k
l1 b 0 1m
l2 c 0 1m
r2 c 0 1k
k1 l1 l2 1.2
.op
.end
)");
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("deck.cir:7:1: warning: with 'k1', the inductance matrix of the coupled inductors (l1, l2) is "
                         "not positive semidefinite"),
            std::string::npos)
      << run.err;
  EXPECT_NEAR(run.table().col("i(v1)")[0], -1e-3, 1e-12);
}

}  // namespace
}  // namespace ns::test
