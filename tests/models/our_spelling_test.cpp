// our_spelling (circuit/probe.hpp): a user's spelling of a device inside a subcircuit,
// ngspice's or ours, read as ours, against a circuit whose names are listed here.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "circuit/probe.hpp"

namespace ns {
namespace {

// A circuit with source vs in x1, vs in x2 inside x1, top-level v1 and node x1.n (as
// probe.cpp, control's vectors and B sources ask: a device, a branch, a quantity).
std::string ours(const std::string& written) {
  static const std::set<std::string> names = {"x1.vs",          "x1.x2.vs",    "v1",      "x1.vs#branch",
                                              "i(x1.vs)",       "@x1.vs[dc]", "x1.n",    "x1.x2.vs#branch",
                                              "@x1.x2.vs[dc]"};
  return our_spelling(written, [](const std::string& name) { return names.contains(name); });
}

TEST(OurSpelling, NgspiceLetterFirstIsOurPath) {
  EXPECT_EQ(ours("v.x1.vs"), "x1.vs");
  EXPECT_EQ(ours("v.x1.x2.vs"), "x1.x2.vs");  // ngspice 39 names it so (display after op)
}

TEST(OurSpelling, TheFormAroundTheNameStays) {
  EXPECT_EQ(ours("x1.vs#branch"), "x1.vs#branch");
  EXPECT_EQ(ours("v.x1.vs#branch"), "x1.vs#branch");
  EXPECT_EQ(ours("v.x1.x2.vs#branch"), "x1.x2.vs#branch");
  EXPECT_EQ(ours("i(v.x1.vs)"), "i(x1.vs)");
  EXPECT_EQ(ours("@v.x1.vs[dc]"), "@x1.vs[dc]");
  EXPECT_EQ(ours("@x1.vs[dc]"), "@x1.vs[dc]");
  EXPECT_EQ(ours("@V.X1.X2.VS[DC]"), "@x1.x2.vs[dc]");
}

TEST(OurSpelling, CaseDoesNotMatter) {
  EXPECT_EQ(ours("X1.VS"), "x1.vs");
  EXPECT_EQ(ours("V.X1.VS"), "x1.vs");
  EXPECT_EQ(ours("I(V.X1.VS)"), "i(x1.vs)");
}

TEST(OurSpelling, OursAndTopLevelNamesUnchanged) {
  EXPECT_EQ(ours("x1.vs"), "x1.vs");
  EXPECT_EQ(ours("x1.n"), "x1.n");
  EXPECT_EQ(ours("v1"), "v1");
}

TEST(OurSpelling, ANameThatDoesNotExistIsAsWritten) {
  EXPECT_EQ(ours("v.x1.nope"), "v.x1.nope");  // for the error that names what was written
  EXPECT_EQ(ours("V.X9.VS"), "V.X9.VS");
  EXPECT_EQ(ours("x1.nope#branch"), "x1.nope#branch");
  EXPECT_EQ(ours("@m.x1.vs[id]"), "@m.x1.vs[id]");  // x1.vs has no id
  EXPECT_EQ(ours(""), "");
}

TEST(OurSpelling, TheWrittenNameWinsWhenBothExist) {
  // A top-level device may itself be called r.x1 (a dot in a name): ngspice's reading is
  // only for names that do not exist as written.
  const std::set<std::string> names = {"r.xa", "xa"};
  EXPECT_EQ(our_spelling("r.xa", [&](const std::string& n) { return names.contains(n); }), "r.xa");
}

}  // namespace
}  // namespace ns
