// Vendor .model cards as LTspice's and PSpice's libraries ship them: parameters our model
// does not have are reported once per card and ignored, as ngspice does, and the device
// computes from the parameters it has.
#include <cmath>

#include <gtest/gtest.h>

#include "support.hpp"

namespace ns::test {
namespace {

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// A PSpice JFET card (Isr, Nr, Alpha, Vk, Xti are PSpice's extensions) on two JFETs in
// saturation at Vgs = 0, Vds = 5: each drains Beta (Vgs - Vto)^2 (1 + Lambda Vds), the
// Shichman-Hodges current, plus its reverse-biased gate-drain junction's Is + gmin 5 V.
TEST(VendorCards, ParametersTheModelLacksAreIgnoredWithOneWarningPerCard) {
  const auto run = run_neurospice(
      "* vendor jfet\n"
      ".model jv NJF(Beta=1.304m Lambda=2.25m Vto=-.7 Is=33.57f Isr=322.4f Nr=2 Alpha=311.7u "
      "Vk=243.6 Xti=3 mfg=Fairchild)\n"
      "J1 d g 0 jv\nJ2 d g 0 jv\nV1 d 0 5\nV2 g 0 0\n.op\n.end\n");
  ASSERT_EQ(run.status, 0) << run.err;
  const std::string said = run.out + run.err;
  EXPECT_EQ(count(said, "model 'jv' has no parameter 'isr'"), 1u) << said;
  EXPECT_NE(said.find("deck.cir:2:58: warning: model 'jv' has no parameter 'isr'"), std::string::npos) << said;
  for (const char* p : {"'nr'", "'alpha'", "'vk'"}) EXPECT_EQ(count(said, std::string("no parameter ") + p), 1u) << p;
  const double id = 1.304e-3 * 0.7 * 0.7 * (1 + 2.25e-3 * 5) + 33.57e-15 + 1e-12 * 5;
  EXPECT_NEAR(-run.table().col("i(v1)").at(0), 2 * id, 2 * id * 1e-9);
}

// A misspelt .model parameter is the same case: it is named where it stands, with the
// parameter meant, and the run goes on without it (ngspice: "unrecognized parameter -
// ignored"). One deck per parameter table (plain models, BSIM3, BSIM4).
TEST(VendorCards, AMisspeltModelParameterIsALocatedWarning) {
  struct Case {
    std::string deck, expected;
  };
  const Case cases[] = {
      {"* diode\n.model dmod d (iss=1e-14)\nv1 a 0 1\nr1 a k 1k\nd1 k 0 dmod\n.op\n.end\n",
       "deck.cir:2:16: warning: model 'dmod' has no parameter 'iss' (did you mean 'is'?)"},
      {"* bjt\nVC c 0 5\nVB b 0 0.7\nQ1 c b 0 qn\n.model qn npn is=1e-15 bff=100\n.op\n.end\n",
       "deck.cir:5:24: warning: model 'qn' has no parameter 'bff' (did you mean 'bf'?)"},
      {"* bsim3\nvd d 0 1\nvg g 0 1\nm1 d g 0 0 nch w=1u l=0.25u\n"
       ".model nch nmos level=49 version=3.3 tox=5e-9 vth0=0.4 k1=0.5 pclmm=1.2\n.op\n.end\n",
       "deck.cir:5:63: warning: model 'nch' has no parameter 'pclmm' (did you mean 'pclm'?)"},
      {"* bsim4\nvd d 0 1\nvg g 0 1\nm1 d g 0 0 nch w=1u l=100n\n.model nch nmos level=14 toxe=1.8n vth00=0.4\n.op\n.end\n",
       "deck.cir:5:36: warning: model 'nch' has no parameter 'vth00' (did you mean 'vth0'?)"},
  };
  for (const Case& c : cases) {
    const auto run = run_neurospice(c.deck);
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(count(run.out + run.err, c.expected), 1u) << run.out << run.err;
  }
}

}  // namespace
}  // namespace ns::test
