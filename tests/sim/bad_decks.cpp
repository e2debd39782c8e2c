// The bad-deck corpus, whole: each tests/bad/*.cir names in its "* expect:" line the stage
// that must reject it and where (tests/bad/expectation.hpp). The stages run here in the
// program's order (read_deck, elaborate, read_analyses, Circuit, then the run): exactly
// the named one must throw, at that place. Then the program itself must exit with status
// 2 before writing any output, the located error as the first line on stderr.
#include <filesystem>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "bad/expectation.hpp"
#include "analysis/analysis.hpp"
#include "circuit/circuit.hpp"
#include "cli/app.hpp"
#include "netlist/frontend.hpp"
#include "sim/support.hpp"

namespace {

namespace fs = std::filesystem;
using ns::bad::Expectation;

class BadDeck : public testing::TestWithParam<fs::path> {};

TEST_P(BadDeck, RejectedByItsStageAtItsPlace) {
  const fs::path deck = GetParam();
  const auto expected = ns::bad::expectation(deck);
  ASSERT_TRUE(expected) << deck << " has no '* expect: STAGE FILE:LINE:COL [WORD ...]' line";

  std::size_t stage = 0;  // the stage running when the InputError came; 4 (run): none came
  std::string location, message;
  try {
    const auto parsed = ns::read_deck(deck.string());
    stage = 1;
    const ns::Netlist netlist = ns::elaborate(*parsed);
    stage = 2;
    (void)ns::read_analyses(netlist);
    stage = 3;
    const ns::Circuit circuit(netlist);
    stage = 4;
  } catch (const ns::InputError& e) {
    location = ns::bad::short_location(e.where().file ? *e.where().file : "", e.where().line, e.where().column);
    message = e.message();
  }
  const std::string& got = ns::bad::stages()[stage];
  EXPECT_EQ(got, expected->stage) << deck.filename() << " is rejected by another stage"
                                  << (message.empty() ? "" : ": " + location + ": " + message);
  if (stage < 4) {
    EXPECT_EQ(location, expected->location) << message;
    EXPECT_EQ(ns::bad::missing_words(*expected, message), "") << "words missing from: " << message;
  }

  // A directory of this run's own: ctest runs the decks in parallel processes, and other
  // checkouts' suites may run on the machine at the same time (a fixed /tmp name was
  // removed under a running deck by another worktree's run: 'cannot check if file is empty').
  const ns::test::TempDir temp;
  const fs::path& dir = temp.path();
  std::ostringstream out, err;
  const int status = ns::run_app({deck.string(), "-o", (dir / "out.csv").string()}, out, err);
  EXPECT_EQ(status, 2) << err.str();
  std::string first = err.str().substr(0, err.str().find('\n'));
  // The message names the file as it was given; compare from its base name on.
  const std::string dir_prefix = (deck.parent_path() / "").string();
  if (first.rfind(dir_prefix, 0) == 0) first = first.substr(dir_prefix.size());
  EXPECT_EQ(first.substr(0, expected->location.size() + 9), expected->location + ": error: ")
      << "full stderr:\n" << err.str();
  EXPECT_EQ(ns::bad::missing_words(*expected, first), "") << "words missing from: " << first;
  EXPECT_TRUE(fs::is_empty(dir)) << "a bad deck must be refused before any output file, even a .partial one";
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadDeck, testing::ValuesIn(ns::bad::decks()),
                         [](const auto& info) {
                           std::string name = info.param.stem().string();
                           for (char& c : name) if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

// Every stage has decks to reject, and the corpus does not silently shrink.
TEST(BadDeckCorpus, EveryStageHasDecks) {
  std::vector<int> per_stage(ns::bad::stages().size());
  for (const auto& deck : ns::bad::decks())
    if (const auto e = ns::bad::expectation(deck)) ++per_stage[ns::bad::stage_index(e->stage)];
  for (std::size_t k = 0; k < per_stage.size(); ++k)
    EXPECT_GE(per_stage[k], 2) << "stage " << ns::bad::stages()[k];
  EXPECT_GE(ns::bad::decks().size(), 60u);
}

}  // namespace
