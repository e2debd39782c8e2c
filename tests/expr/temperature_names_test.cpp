// The names that read the circuit temperature (expr/builtin temperature_name): TEMPER and
// PSpice's TEMP give it in Celsius, PSpice's VT the thermal voltage kT/q at it, with the
// k and q the models use (circuit/constants.hpp, which the expression layer cannot include).
#include <gtest/gtest.h>

#include "circuit/constants.hpp"
#include "expr/builtin.hpp"

namespace ns {
namespace {

TEST(TemperatureNames, TemperTempAndVt) {
  EXPECT_EQ(temperature_name("temper", 50), 50.0);
  EXPECT_EQ(temperature_name("temp", -40), -40.0);
  for (double celsius : {-40.0, 27.0, 125.0})
    EXPECT_DOUBLE_EQ(*temperature_name("vt", celsius),
                     constants::boltzmann / constants::charge * (celsius + constants::zero_celsius));
  EXPECT_NEAR(*temperature_name("vt", 27), 0.0258649, 1e-7);  // ngspice-39 (ps mode): 0.02586492
  EXPECT_FALSE(temperature_name("tnom", 27));
}

}  // namespace
}  // namespace ns
