// A device with both terminals on one node contributes nothing to the circuit. The NbOx
// memristor once stamped its capacitance into another device's Jacobian slot there
// (its own entry table defaulted missing entries to Entry 0): with N1 a a, v(a) of this
// RC circuit moved by 0.10 V. tests/models/every_device_test.cpp checks every device type
// in the same way, one device at a time; this is the whole program on the reported deck.
//
// Run at reltol 1e-11: the loop's device still owns a state (T, constant at Tamb), one more
// unknown in IDA's error norm, so the two runs take different steps and differ by their
// integration errors (measured: 5e-5 V at reltol 1e-4, 3e-6 at 1e-6, 4e-8 at 1e-8,
// 1.5e-10 at 1e-11). The stray stamp gave 0.10 V at any tolerance (and no solution at
// this one: the integrator's step fell below the resolution of t).
#include <gtest/gtest.h>

#include "support.hpp"

namespace ns::test {
namespace {

const std::string rc_deck =
    "self-loop\n"
    "V1 in 0 pulse(0 1 0 1n 1n 5n 10n)\n"
    "R1 in a 1k\n"
    "C1 a 0 1p\n";

TEST(SelfLoop, NboxAcrossOneNodeChangesNothing) {
  const std::string analysis = ".options reltol=1e-11 vntol=1e-13\n.tran 0.1n 100n\n.print tran v(a)\n.end\n";
  const NeurospiceRun plain = run_neurospice(rc_deck + analysis);
  const NeurospiceRun looped = run_neurospice(rc_deck + "N1 a a nb\n.model nb nbox\n" + analysis);
  ASSERT_EQ(plain.status, 0) << plain.err;
  ASSERT_EQ(looped.status, 0) << looped.err;
  const Table& p = plain.table();
  const Table& l = looped.table();
  ASSERT_EQ(p.col("time"), l.col("time"));  // the output grid
  ASSERT_GT(p.rows(), 100u);
  EXPECT_LE(max_abs_error(l.col("v(a)"), p.col("v(a)")), 1e-9);
}

}  // namespace
}  // namespace ns::test
