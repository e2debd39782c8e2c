#include "control/deck_run.hpp"

#include <algorithm>

#include "analysis/analysis.hpp"

namespace ns::control {

namespace {

// The columns of `table` that a run of `circuit` writes: its scale (not for op, whose one
// row has none) and its output requests' labels, in their order. nullopt when one is missing.
std::optional<std::vector<std::size_t>> columns_of(const TraceTable& table, const Netlist& circuit, const std::string& kind) {
  const auto& columns = table.columns();
  std::vector<std::size_t> picked;
  if (kind != "op") {
    if (columns.empty()) return std::nullopt;
    picked.push_back(0);
  }
  for (const ProbeRequest& p : circuit.outputs) {
    const auto at = std::find(columns.begin() + std::ptrdiff_t(picked.size()), columns.end(), p.label);
    if (at == columns.end() || p.kind == ProbeRequest::Kind::Expression) return std::nullopt;
    picked.push_back(std::size_t(at - columns.begin()));
  }
  return picked;
}

}  // namespace

std::optional<RunResult> written_again(const RunOptions& options, const Netlist& circuit,
                                       const std::vector<DeckRun::Done>& done, bool every_column) {
  if (done.size() != circuit.analyses.size()) return std::nullopt;
  std::vector<const AnalysisType*> types;
  std::vector<std::string> kinds;
  for (const ControlCard& card : circuit.analyses) {
    types.push_back(find_analysis(card.name));
    if (!types.back()) return std::nullopt;
    kinds.emplace_back(types.back()->kind);
  }
  // Which columns of each table: all of them, or those the deck's .save/.probe name (only
  // op, dc and tran tables are picked from; the others write what they compute).
  std::vector<std::optional<std::vector<std::size_t>>> picks(done.size());
  const bool deck_default = circuit.outputs.empty();
  for (std::size_t k = 0; k < done.size(); ++k) {
    const TraceTable& table = *done[k].table;
    if (deck_default && every_column) continue;  // all columns
    if (table.complex() || table.summary() || (kinds[k] != "op" && kinds[k] != "dc" && kinds[k] != "tran") || deck_default)
      return std::nullopt;
    picks[k] = columns_of(table, circuit, kinds[k]);
    if (!picks[k]) return std::nullopt;
  }
  RunResult result;
  const OutputPaths paths = output_paths(options.output, kinds, false);
  const Format format = format_of(options.output);
  for (std::size_t k = 0; k < done.size(); ++k) {
    const TraceTable& table = *done[k].table;
    auto out = std::make_unique<AnalysisOutput>(paths.analyses[k], format, circuit.title, std::string(types[k]->plot),
                                                kinds[k], false, options.output.step_files);
    TraceSink& sink = out->direct();
    if (table.complex()) {
      table.replay_complex(sink);
    } else if (!picks[k]) {
      sink.begin(table.columns(), table.units());
      for (const auto& row : table.rows()) sink.row(row);
    } else {
      std::vector<std::string> columns, units;
      for (std::size_t c : *picks[k]) {
        columns.push_back(table.columns()[c]);
        units.push_back(c < table.units().size() ? table.units()[c] : std::string());
      }
      sink.begin(columns, units);
      std::vector<double> values(picks[k]->size());
      for (const auto& row : table.rows()) {
        for (std::size_t c = 0; c < values.size(); ++c) values[c] = row.at((*picks[k])[c]);
        sink.row(values);
      }
    }
    table.replay_summary(sink);
    sink.finish();
    result.files.push_back(std::move(out));
    result.measures.insert(result.measures.end(), done[k].measures.begin(), done[k].measures.end());
  }
  for (std::size_t k = 0; k < result.files.size(); ++k)
    result.outputs.push_back({result.files[k]->finish(), result.files[k]->printed() ? &result.files[k]->table() : nullptr,
                              kinds[k], std::string(types[k]->plot)});
  result.title = circuit.title;
  return result;
}

}  // namespace ns::control
