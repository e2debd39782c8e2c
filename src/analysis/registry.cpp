#include <map>

#include <fmt/format.h>

#include "analysis/analysis.hpp"

namespace ns {

namespace {
std::map<std::string, AnalysisType, std::less<>>& table() {
  static std::map<std::string, AnalysisType, std::less<>> types;  // function-local: init order safe
  return types;
}
}  // namespace

bool register_analysis(AnalysisType type) {
  const std::string key(type.card);
  table().emplace(key, std::move(type));
  return true;
}

const AnalysisType* find_analysis(std::string_view card) {
  const auto it = table().find(card);
  return it == table().end() ? nullptr : &it->second;
}

std::vector<DeckAnalysis> read_analyses(const Netlist& netlist) {
  std::vector<DeckAnalysis> analyses;
  for (const ControlCard& card : netlist.analyses) {
    const AnalysisType* type = find_analysis(card.name);
    if (!type && card.name == ".pss")  // ngspice's, that neurospice does not have
      throw InputError(card.where, "'.pss' (periodic steady state) is not an analysis neurospice has; a .tran long "
                                   "enough reaches the steady state");
    if (!type) throw InputError(card.where, fmt::format("unknown control card '{}'", card.name));
    analyses.push_back({type, type->parse(card, netlist)});
  }
  return analyses;
}

}  // namespace ns
