#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "helpers.hpp"

namespace ns {
namespace {

namespace fs = std::filesystem;
using test::element;

// A fresh directory of files for one test, removed afterwards.
class Files : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ns_netlist_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sub");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::string error_of(const std::string& path) {
    try {
      elaborate(*read_deck(path));
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }
  fs::path dir_;
};

TEST_F(Files, IncludeRelativeToTheIncludingFile) {
  write("sub/parts.inc", "* parts\nr2 b 0 2k\n.include \"more.inc\"\n");
  write("sub/more.inc", "r3 c 0 3k\n.end\nr4 c 0 4k\n");
  const std::string top = write("top.cir", "title\nr1 a b 1k\n.include sub/parts.inc\nr5 a 0 5\n");
  const Netlist n = elaborate(*read_deck(top));
  ASSERT_EQ(n.elements.size(), 4u);  // .end in more.inc ends only that file
  EXPECT_EQ(n.elements[1].name, "r2");
  EXPECT_EQ(*n.elements[1].where.file, (dir_ / "sub/parts.inc").string());
  EXPECT_EQ(n.elements[1].where.line, 2);
  EXPECT_EQ(n.elements[2].name, "r3");
  EXPECT_EQ(*n.elements[2].where.file, (dir_ / "sub/more.inc").string());
  EXPECT_EQ(n.elements[3].name, "r5");
}

TEST_F(Files, FileNamesKeepTheirCase) {
  write("Models.INC", ".model DM D is=1e-14\n");
  const Netlist n = elaborate(*read_deck(write("top.cir", "t\n.INCLUDE Models.INC\nD1 a 0 dm\n")));
  EXPECT_EQ(element(n, "d1").model, "dm");
}

TEST_F(Files, ErrorsInsideIncludedFilesNameThem) {
  write("bad.inc", "r1 a 0 1\nr2 a 0 {1/0}\n");
  const std::string top = write("top.cir", "t\n.include bad.inc\n");
  EXPECT_EQ(error_of(top), (dir_ / "bad.inc").string() + ":2:10: error: division by zero");
}

TEST_F(Files, MissingIncludeAndCycle) {
  const std::string top = write("top.cir", "t\nr1 a 0 1\n  .include nothere.inc\n");
  EXPECT_EQ(error_of(top).rfind(top + ":3:12: error: cannot open include file", 0), 0u) << error_of(top);
  write("a.inc", "r1 a 0 1\n.include b.inc\n");
  write("b.inc", "r2 a 0 1\n.include a.inc\n");
  const std::string cyclic = write("cyc.cir", "t\n.include a.inc\n");
  const std::string error = error_of(cyclic);
  EXPECT_EQ(error.rfind((dir_ / "b.inc").string() + ":2:1: error: include cycle: ", 0), 0u) << error;
  EXPECT_NE(error.find("a.inc -> " + (dir_ / "b.inc").string() + " -> " + (dir_ / "a.inc").string()),
            std::string::npos) << error;
  const std::string self = write("self.cir", "t\n.include self.cir\n");
  EXPECT_NE(error_of(self).find(self + ":2:1: error: include cycle"), std::string::npos);
}

TEST_F(Files, LibSections) {
  write("models.lib",
        "* library\n"
        ".lib tt\n"
        ".model dm d is=1e-14\n"
        ".endl tt\n"
        ".lib ff\n"
        ".model dm d is=5e-14\n"
        ".lib models.lib common\n"
        ".endl\n"
        ".lib common\n"
        ".param k=3\n"
        ".endl\n");
  const Netlist tt = elaborate(*read_deck(write("tt.cir", "t\n.lib models.lib TT\nd1 a 0 dm\n")));
  EXPECT_DOUBLE_EQ(tt.models.at("dm").params.at(0).value, 1e-14);
  const Netlist ff = elaborate(*read_deck(write("ff.cir", "t\n.lib 'models.lib' ff\nr1 a 0 {k}\n")));
  EXPECT_DOUBLE_EQ(ff.models.at("dm").params.at(0).value, 5e-14);
  EXPECT_DOUBLE_EQ(element(ff, "r1").values.at(0).value, 3);
  const std::string missing = write("ss.cir", "t\n.lib models.lib ss\n");
  EXPECT_EQ(error_of(missing), missing + ":2:17: error: no section 'ss' in library file '" +
                                   (dir_ / "models.lib").string() + "'");
}

TEST_F(Files, LibSectionInTheSameDeck) {
  const std::string top = write("same.cir",
                                "t\n"
                                ".lib fast\n"
                                ".param r=1\n"
                                ".endl\n"
                                ".lib slow\n"
                                ".param r=2\n"
                                ".endl\n"
                                ".lib same.cir slow\n"
                                "r1 a 0 {r}\n");
  const Netlist n = elaborate(*read_deck(top));
  EXPECT_DOUBLE_EQ(element(n, "r1").values.at(0).value, 2);
}

TEST_F(Files, LtspiceLibFileReadsTheWholeFile) {
  // `.lib FILE` with a file of that name beside the deck is LTspice's include; a name with
  // no such file stays a section header of the deck itself.
  write("parts.lib", ".model dm d is=2e-14\n.param k=4\n");
  const Netlist n = elaborate(*read_deck(write("lt.cir", "t\n.lib parts.lib\nd1 a 0 dm\nr1 a 0 {k}\n")));
  EXPECT_DOUBLE_EQ(n.models.at("dm").params.at(0).value, 2e-14);
  EXPECT_DOUBLE_EQ(element(n, "r1").values.at(0).value, 4);
  const std::string missing = write("lt2.cir", "t\n.lib mydiodes.dio\nr1 a 0 1\n");
  EXPECT_EQ(error_of(missing), missing + ":2:1: error: '.lib' section has no '.endl' (or, as LTspice's "
                                         "'.lib FILE', no such file)");
  // One of LTspice's own libraries, named as a schematic export names it: said so, at its name.
  const std::string own = write("lt3.cir", "t\n.lib C:\\LTspice\\lib\\sub\\UniversalOpamp2.sub\nr1 a 0 1\n");
  EXPECT_EQ(error_of(own), own + ":2:6: error: 'C:\\LTspice\\lib\\sub\\UniversalOpamp2.sub' is one of LTspice's own "
                                 "component libraries, which neurospice does not have: put the .subckt or .model "
                                 "the deck uses in a file beside it and '.include' that");
}

TEST(Include, DeepNestingIsCapped) {
  // read_deck_text resolves includes against the working directory.
  const fs::path dir = fs::temp_directory_path() / ("ns_netlist_deep_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (int i = 0; i < 70; ++i)
    std::ofstream(dir / ("d" + std::to_string(i) + ".inc"))
        << ".include d" << i + 1 << ".inc\n";
  std::ofstream(dir / "d70.inc") << "r1 a 0 1\n";
  std::string error;
  try {
    read_deck_text("t\n.include " + (dir / "d0.inc").string() + "\n", "t.cir");
  } catch (const InputError& e) {
    error = e.what();
  }
  fs::remove_all(dir);
  EXPECT_NE(error.find("nested more than 64 deep"), std::string::npos) << error;
}

}  // namespace
}  // namespace ns
