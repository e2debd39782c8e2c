#pragma once
// ASCII case folding for netlist and script words: SPICE is case-insensitive in ASCII only
// (a node or file name's other bytes, UTF-8 included, are kept as written).
#include <string>

namespace ns {

inline std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return s;
}

}  // namespace ns
