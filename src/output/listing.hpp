#pragma once
// ngspice's printed tables (its print command, and the .print cards of `ngspice -b`): a
// header of names in columns 16 wide, then "index<TAB>value<TAB>..." rows, numbers as
// ngspice writes them. For a user comparing our terminal output with ngspice's line by line.
#include <iosfwd>
#include <string>

#include "output/sink.hpp"

namespace ns {

// ngspice's number in a printed table: 12 characters, one digit fewer for a negative one.
std::string ngspice_number(double x);

// A table of an analysis as ngspice -b prints a .print card's: the deck's title and the
// plot's name ("Transient Analysis"), then its columns under ngspice's names (a .dc's
// sweep as v-sweep, i(v1) as v1#branch).
void print_listing(std::ostream& out, const std::string& title, const std::string& plot, const std::string& kind,
                   const TraceTable& table);

}  // namespace ns
