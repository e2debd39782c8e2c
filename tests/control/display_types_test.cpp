// display lists a device quantity with ngspice's type for it (ngspice-39, run here on the
// same deck): currents, conductances ("admittance"), capacitances, powers; voltages and
// other numbers "voltage". A `save all @m1[id] ...` keeps every node and those quantities.
#include <map>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using namespace ns::control_test;

// display's lines of device quantities, by name: "@m1[id]  : current, real, 1 long".
std::map<std::string, std::string> quantity_lines(const std::string& out) {
  std::map<std::string, std::string> lines;
  static const std::regex line(R"(\n    (@\S+) +: ([^\n]*))");
  for (std::sregex_iterator it(out.begin(), out.end(), line), end; it != end; ++it) lines[(*it)[1]] = (*it)[2];
  return lines;
}

TEST(DisplayTypes, DeviceQuantitiesTypedAsNgspice) {
  const std::string deck = R"(display of device quantities
vd d 0 dc 2
vg g 0 dc 1.5
m1 d g 0 0 nch w=10u l=1u
r1 d x 1k
c1 x 0 1p
d1 x 0 dio
q1 d g 0 npn1
.model nch nmos level=1 vto=0.7 kp=100u
.model dio d is=1e-14 cjo=1p
.model npn1 npn bf=100 cje=1p
.control
save all @m1[id] @m1[gm] @m1[gds] @m1[vgs] @d1[id] @d1[gd] @d1[cd] @r1[i] @r1[p] @q1[ic] @q1[gm] @q1[vbe]
op
display
.endc
.end
)";
  const auto ours = ns::control_test::neurospice("display", deck);
  ASSERT_EQ(ours.status, 0) << ours.err;
  const fs::path file = fresh_dir("display_src") / "deck.cir";
  std::ofstream(file) << deck;
  const auto ng = ngspice("display_ng", file.string());
  const auto mine = quantity_lines(ours.out), theirs = quantity_lines(ng.out);
  ASSERT_EQ(theirs.size(), 12u) << ng.out;
  std::set<std::string> names;
  for (const auto& [name, line] : mine) names.insert(name);
  for (const auto& [name, line] : theirs) EXPECT_EQ(mine.count(name) ? mine.at(name) : "(missing)", line) << name;
  EXPECT_EQ(names.size(), 12u) << ours.out;
  // and every node and source current, as without the quantities
  for (const char* v : {"    d ", "    x ", "    vd#branch "}) EXPECT_NE(ours.out.find(v), std::string::npos) << v;
}

}  // namespace
