#include "netlist/pwl_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "expr/expression.hpp"
#include "netlist/file_path.hpp"

namespace ns {

std::vector<Number> pwl_file_points(const Card& card, const Token& name) {
  namespace fs = std::filesystem;
  const Location at = card.at(name);
  const fs::path path = find_deck_file(card.file ? fs::path(*card.file).parent_path() : fs::path(), name.text);
  std::ifstream in(path);
  if (!in) throw InputError(at, fmt::format("cannot open the PWL file '{}'", path.string()));
  std::vector<Number> points;
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '*' || line[first] == ';' || line[first] == '#') continue;
    for (char& c : line)
      if (c == ',') c = ' ';
    std::istringstream words(line);
    for (std::string w; words >> w;) {
      const auto v = parse_number(w);
      if (!v)
        throw InputError(at, fmt::format("{}:{}: '{}' in the PWL file is not a number", path.string(), n, w));
      points.push_back({*v, at});
    }
  }
  if (points.size() < 2 || points.size() % 2)
    throw InputError(at, fmt::format("the PWL file '{}' holds {} numbers: it needs time-value pairs",
                                     path.string(), points.size()));
  for (std::size_t k = 2; k < points.size(); k += 2)
    if (points[k].value < points[k - 2].value)
      throw InputError(at, fmt::format("the PWL file '{}' goes back in time at its point {} (t = {:g})",
                                       path.string(), k / 2 + 1, points[k].value));
  return points;
}

void repeat_pwl(std::vector<Number>& points, int count) {
  if (points.size() < 2) return;
  const std::vector<Number> block = points;
  const double period = block[block.size() - 2].value;
  for (int r = 1; r < count; ++r)
    for (std::size_t j = 0; j + 1 < block.size(); j += 2) {
      // the block's first point falls on the last one of the block before: kept once
      if (j == 0 && block[0].value == 0 && block[1].value == points.back().value) continue;
      points.push_back({block[j].value + r * period, block[j].where});
      points.push_back(block[j + 1]);
    }
}

}  // namespace ns
