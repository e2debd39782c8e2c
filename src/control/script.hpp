#pragma once
// A .control script (the lines the reader captured) parsed into statements: the flow
// (if/else/end, while, dowhile, repeat, foreach, break, continue) and the commands
// between, each with the location of its line. Parsed whole before anything runs, so a
// script with a block left open is refused before it simulates.
#include <string>
#include <vector>

#include "netlist/deck.hpp"

namespace ns::control {

struct Statement {
  enum class Kind { Command, If, While, Dowhile, Repeat, Foreach, Break, Continue };
  Kind kind = Kind::Command;
  std::string keyword;  // the first word, lower-case ("let", "tran", "if")
  std::string rest;     // the text after it: arguments, condition, count, "VAR values"
  Location where;
  Location rest_where;  // where `rest` begins on the line (tabs count as one column)
  std::vector<Statement> body;       // of a block
  std::vector<Statement> otherwise;  // an if's else branch
};

// InputError at the line: a block without 'end', 'end'/'else' without a block, 'break' or
// 'continue' outside a loop, 'foreach' without a variable.
std::vector<Statement> parse_script(const std::vector<ScriptLine>& lines);

}  // namespace ns::control
