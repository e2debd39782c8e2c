#pragma once
// The netlist front end: text -> Deck (parsed, with .include/.lib read) -> Netlist
// (elaborated). Every error is an InputError naming file, line and column.
#include <map>
#include <memory>
#include <string>

#include "netlist/netlist.hpp"

namespace ns {

struct Deck;  // a parsed deck before elaboration; opaque outside src/netlist

std::shared_ptr<const Deck> read_deck(const std::string& path);
// For tests and tools: `name` stands for the file in locations; .include is relative to cwd.
std::shared_ptr<const Deck> read_deck_text(const std::string& text, const std::string& name);

// Expand subcircuits and evaluate expressions. `overrides` replace top-level .param
// values (a DC sweep or .step over a parameter re-elaborates with each value); naming a
// parameter that does not exist is an InputError.
Netlist elaborate(const Deck& deck, const std::map<std::string, double>& overrides = {});

}  // namespace ns
