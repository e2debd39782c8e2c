// XSPICE's resolution of several outputs on one digital node (src/digital/network.hpp),
// against the rules the XSPICE documentation states, written here case by case: the
// stronger strength wins; equal strengths keep their level when the levels agree, else U;
// an undetermined strength beside a strong one gives strong, beside a weaker one
// undetermined, with the levels merged the same way.
#include <gtest/gtest.h>

#include "digital/network.hpp"

namespace ns::digital {
namespace {

Value v(const char* s) {
  const std::string t(s);
  const Level l = t[0] == '0' ? Level::Zero : t[0] == '1' ? Level::One : Level::Unknown;
  const Strength st = t[1] == 's' ? Strength::Strong : t[1] == 'r' ? Strength::Resistive
                      : t[1] == 'z' ? Strength::HiZ : Strength::Undetermined;
  return {l, st};
}

TEST(DigitalResolve, StatedRules) {
  const char* cases[][3] = {
      {"0s", "1s", "Us"}, {"0s", "0s", "0s"}, {"1r", "0s", "0s"}, {"0r", "1r", "Ur"}, {"1r", "1r", "1r"},
      {"0z", "1r", "1r"}, {"Uz", "0r", "0r"}, {"0z", "1z", "Uz"}, {"Uz", "Uz", "Uz"}, {"0u", "1s", "Us"},
      {"0u", "0s", "0s"}, {"1u", "1r", "1u"}, {"1u", "0r", "Uu"}, {"0u", "0z", "0u"}, {"1u", "0z", "Uu"},
      {"Us", "0z", "Us"}, {"Ur", "1z", "Ur"}, {"0u", "1u", "Uu"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(str(resolve(v(c[0]), v(c[1]))), c[2]) << c[0] << " with " << c[1];
    EXPECT_EQ(str(resolve(v(c[1]), v(c[0]))), c[2]) << c[1] << " with " << c[0];
  }
}

}  // namespace
}  // namespace ns::digital
