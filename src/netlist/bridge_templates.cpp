#include "netlist/bridge_templates.hpp"

#include <cmath>
#include <regex>

#include <fmt/format.h>

#include "expr/expression.hpp"
#include "netlist/ascii.hpp"
#include "netlist/deck.hpp"

namespace ns {

namespace {

// The words of a list: blank-separated, a quoted run ("a b") one word without its quotes.
std::vector<std::string> list_words(const std::string& text) {
  std::vector<std::string> w;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ' ' || text[i] == '\t') {
      ++i;
      continue;
    }
    if (text[i] == '"') {
      const std::size_t close = text.find('"', i + 1);
      w.push_back(text.substr(i + 1, close == std::string::npos ? std::string::npos : close - i - 1));
      i = close == std::string::npos ? text.size() : close + 1;
      continue;
    }
    const std::size_t end = text.find_first_of(" \t", i);
    w.push_back(text.substr(i, end == std::string::npos ? std::string::npos : end - i));
    i = end == std::string::npos ? text.size() : end;
  }
  return w;
}

}  // namespace

std::map<std::string, BridgeTemplate> bridge_templates(const Netlist& netlist) {
  std::map<std::string, BridgeTemplate> out;
  if (!netlist.deck) return out;
  static const std::regex form(R"(^\s*(?:pre_)?set\s+auto_bridge_(d_out|d_in)\s*=\s*\((.*)\)\s*$)",
                               std::regex::icase);
  for (const ScriptLine& line : netlist.deck->script) {
    std::smatch m;
    if (!std::regex_match(line.text, m, form)) continue;
    const std::string kind = lower(m[1].str()), variable = "auto_bridge_" + kind;
    const std::vector<std::string> w = list_words(m[2].str());
    BridgeTemplate t;
    if (w.size() == 1 && w[0].starts_with('$')) {  // ( $auto_bridge_d_out ): the other's
      const std::string other = lower(w[0].substr(1));
      const auto it = other.starts_with("auto_bridge_") ? out.find(other.substr(12)) : out.end();
      if (it == out.end())
        throw InputError(line.where, fmt::format("'{}' is set from '{}', which is not set before it", variable, w[0]));
      t = it->second;
    } else if (w.size() == 2 || w.size() == 3) {
      t.model = w[0], t.instance = w[1], t.where = line.where;
      if (w.size() == 3) {
        const auto n = parse_number(w[2]);
        if (!n || *n < 1 || *n != std::floor(*n))
          throw InputError(line.where, fmt::format("'{}' takes a whole number of nodes per bridge, not '{}'", variable, w[2]));
        t.per = static_cast<std::size_t>(*n);
      }
    } else {
      throw InputError(line.where, fmt::format("'{}' needs ( \"model line\" \"instance line\" [nodes per bridge] )",
                                               variable));
    }
    out[kind] = t;
  }
  return out;
}

}  // namespace ns
