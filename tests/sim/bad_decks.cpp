// The bad-deck corpus: every tests/bad/*.cir names, in a "* expect: FILE:LINE:COL: error: TEXT"
// comment, the message it must produce. Each must exit with status 2 before simulating,
// with that message as the first line on stderr.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/app.hpp"

namespace {

std::vector<std::string> bad_decks() {
  std::vector<std::string> decks;
  for (const auto& entry : std::filesystem::directory_iterator(NS_SOURCE_DIR "/tests/bad"))
    if (entry.path().extension() == ".cir") decks.push_back(entry.path().filename().string());
  std::sort(decks.begin(), decks.end());
  return decks;
}

std::string expectation(const std::filesystem::path& deck) {
  std::ifstream in(deck);
  const std::string marker = "* expect: ";
  for (std::string line; std::getline(in, line);)
    if (line.rfind(marker, 0) == 0) return line.substr(marker.size());
  return {};
}

class BadDeck : public testing::TestWithParam<std::string> {};

TEST_P(BadDeck, FailsWithItsMessage) {
  const std::filesystem::path deck = std::filesystem::path(NS_SOURCE_DIR "/tests/bad") / GetParam();
  const std::string expected = expectation(deck);
  ASSERT_FALSE(expected.empty()) << deck << " has no '* expect: ' line";
  const auto dir = std::filesystem::temp_directory_path() / "neurospice_bad_decks";
  std::filesystem::create_directories(dir);
  std::ostringstream out, err;
  const int status = ns::run_app({deck.string(), "-o", (dir / "out.csv").string()}, out, err);
  EXPECT_EQ(status, 2) << err.str();
  std::string first = err.str().substr(0, err.str().find('\n'));
  // The message names the file as it was given; compare from its base name on.
  const std::string dir_prefix = (deck.parent_path() / "").string();
  if (first.rfind(dir_prefix, 0) == 0) first = first.substr(dir_prefix.size());
  EXPECT_EQ(first.substr(0, expected.size()), expected) << "full stderr:\n" << err.str();
  EXPECT_FALSE(std::filesystem::exists(dir / "out.csv")) << "a bad deck must not produce output";
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadDeck, testing::ValuesIn(bad_decks()),
                         [](const auto& info) {
                           std::string name = info.param.substr(0, info.param.size() - 4);
                           for (char& c : name) if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(BadDeckCorpus, HasAtLeastThirtyDecks) { EXPECT_GE(bad_decks().size(), 30u); }

}  // namespace
