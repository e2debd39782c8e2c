#pragma once
// A file a deck names (.include, .lib, PWL file=), found the way the deck's author's
// simulator found it.
#include <filesystem>
#include <string>

namespace ns {

// `written` relative to `dir` (or absolute). Decks written on Windows for LTspice and PSpice
// name files with backslashes (.lib models\mem.lib) and in any case (.inc "MEM.SUB" for
// mem.sub): when the path as written does not exist, backslashes are read as separators
// and each component is matched without regard to case (when exactly one entry matches).
// Returns the path as written when nothing matches, for the error to show.
std::filesystem::path find_deck_file(const std::filesystem::path& dir, const std::string& written);

}  // namespace ns
