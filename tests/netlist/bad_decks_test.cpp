// The front-end half of the bad-deck corpus (tests/bad): a deck whose error the front
// end reports must report exactly its "* expect:" text; a deck whose error belongs to
// the circuit builder must pass the front end, so that it reaches the builder.
#include <filesystem>
#include <fstream>

#include "helpers.hpp"

namespace ns {
namespace {

namespace fs = std::filesystem;

std::string expectation(const fs::path& deck) {
  std::ifstream in(deck);
  std::string line;
  const std::string marker = "* expect: ";
  while (std::getline(in, line))
    if (line.rfind(marker, 0) == 0) return line.substr(marker.size());
  return {};
}

bool is_builder_error(const std::string& expected) {
  for (const char* prefix : {": error: unknown model '", ": error: unknown model type '",
                             ": error: unknown parameter '", "; it must be",
                             " terminals; ", ": error: node '", ": error: voltage sources and inductors",
                             "' as its controlling source", ": error: ground is 0 V"}) {
    const std::string p = prefix;
    if (p == ": error: unknown parameter '" && expected.find("for subcircuit") != std::string::npos) continue;
    if (expected.find(p) != std::string::npos) return true;
  }
  return false;
}

TEST(BadDecks, FrontEndErrorsMatchTheirExpectation) {
  const fs::path dir = fs::path(NS_SOURCE_DIR) / "tests" / "bad";
  int decks = 0, front_end = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".cir") continue;
    ++decks;
    const std::string expected = expectation(entry.path());
    ASSERT_FALSE(expected.empty()) << entry.path() << " has no '* expect:' line";
    std::string error;
    try {
      elaborate(*read_deck(entry.path().string()));
    } catch (const InputError& e) {
      error = e.what();
    }
    if (is_builder_error(expected)) {
      EXPECT_EQ(error, "") << entry.path() << " must reach the circuit builder";
    } else {
      ++front_end;
      EXPECT_NE(error.find(expected), std::string::npos)
          << entry.path() << "\n  expected: " << expected << "\n  got:      " << error;
    }
  }
  EXPECT_GE(decks, 32);
  EXPECT_GE(front_end, 24);
}

}  // namespace
}  // namespace ns
