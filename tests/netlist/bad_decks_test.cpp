// The front-end half of the bad-deck corpus (tests/bad, format in tests/bad/expectation.hpp):
// a deck tagged `read` must be refused by read_deck, one tagged `elaborate` by elaborate
// after read_deck accepted it, each at its place; a deck tagged for a later stage must
// pass the whole front end, so that it reaches that stage. tests/sim/bad_decks.cpp runs
// the later stages.
#include "bad/expectation.hpp"
#include "helpers.hpp"

namespace ns {
namespace {

TEST(BadDecks, FrontEndRejectsExactlyItsDecks) {
  int front_end = 0;
  for (const auto& deck : bad::decks()) {
    const auto expected = bad::expectation(deck);
    ASSERT_TRUE(expected) << deck << " has no '* expect: STAGE FILE:LINE:COL [WORD ...]' line";
    std::string stage = "read", location, message;
    try {
      const auto parsed = read_deck(deck.string());
      stage = "elaborate";
      elaborate(*parsed);
      stage = "";
    } catch (const InputError& e) {
      location = bad::short_location(e.where().file ? *e.where().file : "", e.where().line, e.where().column);
      message = e.message();
    }
    const int want = bad::stage_index(expected->stage);
    if (want >= bad::stage_index("analysis")) {
      EXPECT_EQ(stage, "") << deck.filename() << " must pass the front end, but " << stage << " refused it: "
                           << location << ": " << message;
      continue;
    }
    ++front_end;
    EXPECT_EQ(stage, expected->stage) << deck.filename() << (message.empty() ? " is accepted" : ": " + message);
    EXPECT_EQ(location, expected->location) << deck.filename() << ": " << message;
    EXPECT_EQ(bad::missing_words(*expected, message), "") << deck.filename() << ": words missing from: " << message;
  }
  EXPECT_GE(front_end, 40);
}

}  // namespace
}  // namespace ns
