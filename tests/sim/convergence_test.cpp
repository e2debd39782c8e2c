// Failures that must say where to look: an operating point and a transient with no
// solution name the unknown at fault (tests/sim/decks/no_*.cir), and a model that
// returns NaN is named by the device that produced it.
#include <cmath>

#include <gtest/gtest.h>

#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"
#include "support.hpp"

namespace ns::test {
namespace {

// Test-only device, registered in this executable only: i = g * v * sqrt(v) from a to b,
// v = v(a) - v(b), defined for v >= 0 and NaN below, as a model evaluated outside its
// domain would be.
class SqrtDevice final : public Device {
public:
  explicit SqrtDevice(const DeviceInput& in) : Device(in.element.name, in.element.where) {}
  void setup(Setup& s) override {
    a_ = s.terminal(0);
    b_ = s.terminal(1);
    grid_.declare(s, {a_, b_});
  }
  void topology(Topology& t) const override { t.conducts(a_, b_); }
  void load(const Eval& e, Load& l) const override {
    const double v = e.v(a_) - e.v(b_);
    const double i = g * v * std::sqrt(v), di = 1.5 * g * std::sqrt(v);
    l.f(a_, i);
    l.f(b_, -i);
    grid_.pair(l, 0, 1, di);
  }

private:
  static constexpr double g = 1e-3;
  Unknown a_ = ground, b_ = ground;
  EntryGrid<2> grid_;
};

const bool registered = register_model<SqrtDevice>(
    {.type = "testsqrt",
     .summary = "test only: i = 1e-3 v^1.5, NaN for v < 0",
     .terminals = {"a", "b"},
     .example = "N1 a b t\n.model t testsqrt\n",
     .element = 'n'});

TEST(Convergence, OperatingPointWithNoSolutionNamesTheNode) {
  const auto run = run_neurospice(deck_file("no_operating_point.cir"));
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_NE(run.err.find("operating point"), std::string::npos) << run.err;
  // k is the only node; the residual that cannot vanish is its KCL sum, which is the
  // forced 1 mA less the diode's at most 1e-14 A.
  const auto residuals = run.err.find("largest residuals: v(k) (residual ");
  ASSERT_NE(residuals, std::string::npos) << run.err;
  const double residual = std::stod(run.err.substr(residuals + 35));
  EXPECT_NEAR(std::abs(residual), 1e-3, 1e-9) << run.err;
  EXPECT_NE(run.err.find("largest Newton updates: v(k) ("), std::string::npos) << run.err;
}

TEST(Convergence, TransientWithNoSolutionSaysWhenAndWhere) {
  const auto run = run_neurospice(deck_file("no_transient_solution.cir"));
  EXPECT_EQ(run.status, 1) << run.err;
  const auto at = run.err.find("transient failed at t = ");
  ASSERT_NE(at, std::string::npos) << run.err;
  // The current reverses at 0.5 us and passes -IS 5e-18 s later; IDA cannot go far
  // beyond, and certainly not to the end of the ramp.
  const double t = std::stod(run.err.substr(at + 24));
  EXPECT_GT(t, 0.4e-6) << run.err;
  EXPECT_LT(t, 0.6e-6) << run.err;
  EXPECT_NE(run.err.find("with step size "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("largest weighted local errors: v(k) ("), std::string::npos) << run.err;
}

TEST(Convergence, NaNFromAModelIsReportedByDevice) {
  // v(a) = -1 is outside the device's domain: Newton's first update from x = 0 puts it there.
  const auto run = run_neurospice("nan at the operating point\n"
                                  "v1 a 0 -1\nr1 a b 1k\nn1 b 0 sq\n.model sq testsqrt\n.op\n");
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_NE(run.err.find("device 'n1' (testsqrt) produced NaN in f at v(b)"), std::string::npos)
      << run.err;
}

TEST(Convergence, NaNDuringATransientIsReportedByDeviceAndTime) {
  // v(b) follows v1 through 1k into a device that draws almost nothing; v1 crosses zero
  // at t = 0.5 us, where the device leaves its domain.
  const auto run = run_neurospice("nan during a transient\n"
                                  "v1 a 0 pwl(0 1 1u -1)\nr1 a b 1k\nn1 b 0 sq\n.model sq testsqrt\n"
                                  ".tran 10n 1u\n");
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_NE(run.err.find("device 'n1' (testsqrt) produced NaN in f at v(b) at t = "),
            std::string::npos) << run.err;
  const auto at = run.err.find("transient failed at t = ");
  ASSERT_NE(at, std::string::npos) << run.err;
  const double t = std::stod(run.err.substr(at + 24));
  EXPECT_GT(t, 0.4e-6) << run.err;
  EXPECT_LE(t, 0.5e-6) << run.err;
}

}  // namespace
}  // namespace ns::test
