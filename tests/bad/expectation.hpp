#pragma once
// What a deck of the bad-input corpus (tests/bad/*.cir) must do, from its comment line
//
//   * expect: STAGE FILE:LINE:COL [WORD ...]
//
// STAGE is the step of the data flow that must reject the deck, and no earlier one:
//   read       ns::read_deck: the reader (.include/.lib, continuation lines, braces, numbers)
//   elaborate  ns::elaborate: parameters, subcircuits, element and control cards
//   analysis   ns::read_analyses: each analysis card read by its registered analysis
//   circuit    ns::Circuit(netlist): models, terminal counts, topology
//   run        ns::run_app once the circuit is built: checks before or while simulating
// FILE:LINE:COL is where the error must point (FILE by its base name). Each WORD must
// appear in the message, ignoring case: a name from the deck or a key word, so that a
// message can be reworded without touching the corpus, while a deck rejected by another
// stage or at another place fails.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace ns::bad {

inline const std::vector<std::string>& stages() {
  static const std::vector<std::string> names{"read", "elaborate", "analysis", "circuit", "run"};
  return names;
}

struct Expectation {
  std::string stage;     // one of stages()
  std::string location;  // "deck.cir:4:8"
  std::vector<std::string> words;
};

// Nullopt when the deck has no well-formed expect line.
inline std::optional<Expectation> expectation(const std::filesystem::path& deck) {
  std::ifstream in(deck);
  const std::string marker = "* expect: ";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(marker, 0) != 0) continue;
    std::istringstream fields(line.substr(marker.size()));
    Expectation e;
    fields >> e.stage >> e.location;
    for (std::string w; fields >> w;) e.words.push_back(w);
    const auto& s = stages();
    if (std::find(s.begin(), s.end(), e.stage) == s.end() || std::count(e.location.begin(), e.location.end(), ':') != 2)
      return std::nullopt;
    return e;
  }
  return std::nullopt;
}

inline std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The words of `e` missing from `message`, space-separated ("" when none is).
inline std::string missing_words(const Expectation& e, const std::string& message) {
  std::string missing;
  for (const auto& w : e.words)
    if (lower(message).find(lower(w)) == std::string::npos) missing += (missing.empty() ? "" : " ") + w;
  return missing;
}

// The bad decks, sorted by name.
inline std::vector<std::filesystem::path> decks() {
  std::vector<std::filesystem::path> all;
  for (const auto& entry : std::filesystem::directory_iterator(NS_SOURCE_DIR "/tests/bad"))
    if (entry.path().extension() == ".cir") all.push_back(entry.path());
  std::sort(all.begin(), all.end());
  return all;
}

// "deck.cir:4:8": a location as the expect line writes it, the file by its base name.
inline std::string short_location(const std::string& file, int line, int column) {
  return std::filesystem::path(file).filename().string() + ":" + std::to_string(line) + ":" + std::to_string(column);
}

inline int stage_index(const std::string& stage) {
  const auto& s = stages();
  return static_cast<int>(std::find(s.begin(), s.end(), stage) - s.begin());
}

}  // namespace ns::bad
