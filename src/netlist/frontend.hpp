#pragma once
// The netlist front end: text -> Deck (parsed, with .include/.lib read) -> Netlist
// (elaborated). Every error is an InputError naming file, line and column.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "netlist/netlist.hpp"

namespace ns {

struct Deck;  // a parsed deck before elaboration; opaque outside src/netlist

std::shared_ptr<const Deck> read_deck(const std::string& path);
// For tests and tools: `name` stands for the file in locations; .include is relative to cwd.
std::shared_ptr<const Deck> read_deck_text(const std::string& text, const std::string& name);

// Expand subcircuits and evaluate expressions. `overrides` replace top-level .param
// values (a DC sweep or .step over a parameter re-elaborates with each value); a key
// SUB.NAME sets parameter NAME of subcircuit SUB in each of its instances, over the
// instance's own value (ngspice's `alterparam SUB NAME = value`); naming a parameter that
// does not exist is an InputError. With `random_stream`, random functions
// (gauss, agauss, ...) draw from a generator seeded with it, in elaboration order, so the
// same stream gives the same circuit; without, they take their nominal values. The
// netlist keeps the deck, the overrides and the stream (netlist/knob.hpp elaborates again).
// `temperature` (Celsius) is what `temper` reads, in place of the deck's .temp.
Netlist elaborate(const Deck& deck, const std::map<std::string, double>& overrides = {},
                  std::optional<std::uint64_t> random_stream = std::nullopt,
                  std::optional<double> temperature = std::nullopt);

// InputError (without a location) unless `key` names what `overrides` may set: a
// top-level .param, or SUB.NAME a parameter of subcircuit SUB (on its card or a .param in it).
void check_param_override(const Deck& deck, const std::string& key);

// A .control script's `meas` command (`text`: its words after "meas", beginning at
// `where`) read as the .meas card it spells, with `netlist`'s .params and the
// script's `earlier` measures in scope.
MeasureRequest parse_measure_line(const std::string& text, const Location& where, const Netlist& netlist,
                                  const std::vector<MeasureRequest>& earlier);

// A script's `option` command (its words after the command, beginning at `where`): the .options card it spells,
// applied to `netlist`; ignored options add warnings to netlist.warnings.
void read_options_line(const std::string& text, const Location& where, Netlist& netlist);

// A script's `save` command (its words after the command, beginning at `where`): the
// .save card it spells, its outputs added to netlist.outputs (`all` adds none).
void read_save_line(const std::string& text, const Location& where, Netlist& netlist);

}  // namespace ns
