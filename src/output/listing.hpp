#pragma once
// ngspice's printed tables (its print command, and the .print cards of `ngspice -b`): a
// header of names in columns 16 wide, then "index<TAB>value<TAB>..." rows, numbers as
// ngspice writes them. For a user comparing our terminal output with ngspice's line by line.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "output/sink.hpp"

namespace ns {

// ngspice's number in a printed table: 12 characters, one digit fewer for a negative one.
std::string ngspice_number(double x);

// Now, local time, as strftime's `format` writes it.
std::string now_as(const char* format);

// Now as ngspice dates a plot: "Wed Dec  2 04:12:36  2026".
std::string ngspice_date();

// A column of a printed table: its values, and their imaginary parts when it is complex
// (printed "re,<TAB>im", 32 wide). A row past its end is left blank.
struct ListingColumn {
  std::string name;
  std::vector<double> re, im;
  bool complex = false;
};

// How ngspice lays a table out on pages (its variables width, height and nobreak): a page
// of `width` characters takes the scale and the columns that fit beside it, the rest go to
// further pages; rows break every `height` lines, the header repeated (none when !paged).
struct ListingPage {
  std::string title, plot, date;  // centred above the table: the deck's title, "Transient Analysis  <date>"
  std::size_t width = 80, height = 60;
  bool paged = true;
};

// The table: the scale (its real parts; a complex one counts 32 wide, as ngspice counts
// it) before each page's columns, when there is one; a page's first column of the scale's
// name is left out, the scale shown once.
void print_paged(std::ostream& out, const ListingPage& page, const std::optional<ListingColumn>& scale,
                 const std::vector<ListingColumn>& columns);

// A table of an analysis as ngspice -b prints a .print card's: the deck's title and the
// plot's name ("Transient Analysis"), then its columns under ngspice's names (a .dc's
// sweep as v-sweep, i(v1) as v1#branch).
void print_listing(std::ostream& out, const std::string& title, const std::string& plot, const std::string& kind,
                   const TraceTable& table);

}  // namespace ns
