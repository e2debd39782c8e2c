// Inputs the netlist fuzzer (tests/fuzz) once crashed on, kept so the fixes stay fixed:
// each file under tests/fuzz/regressions must either elaborate or raise an InputError.
// Anything else (another exception, a sanitizer report in the asan build, a crash)
// fails. A file's first line says what it once did.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "helpers.hpp"

namespace ns {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> regression_inputs() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(NS_SOURCE_DIR) / "tests/fuzz/regressions"))
    files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(FuzzRegressions, EveryInputElaboratesOrRaisesAnInputError) {
  const auto files = regression_inputs();
  ASSERT_FALSE(files.empty());
  // Relative .include names in a fuzz input must not find anything of ours.
  const fs::path scratch = fs::temp_directory_path() / "neurospice_fuzz_regressions";
  fs::create_directories(scratch);
  const fs::path here = fs::current_path();
  fs::current_path(scratch);
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    try {
      elaborate(*read_deck_text(text.str(), file.filename().string()));
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).find(file.filename().string() + ":"), 0u)
          << file << ": an InputError must name the input: " << e.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << file << " escaped as " << typeid(e).name() << ": " << e.what();
    }
  }
  fs::current_path(here);
}

}  // namespace
}  // namespace ns
