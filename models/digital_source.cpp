// XSPICE d_source (src/digital/): a vector of digital outputs that follow a table, the
// file input_file (relative to the deck holding the .model card). A line is a time and
// one value per output, each a level 0, 1 or U and a strength s, r, z or u ("0s", "Uz");
// a line starting with '*' is a comment. The values of the first line apply in the
// operating point (before its time, U); each later line's at its time.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "digital/model.hpp"
#include "expr/expression.hpp"
#include "xspice.hpp"

namespace ns::digital {
namespace {

struct SourceP {
  double input_load;
};
constexpr Param<SourceP> source_params[] = {
    {"input_load", &SourceP::input_load, 1e-12, 0, inf, "F", "input load (XSPICE's; no effect)"},
};

class Source final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() { return {{"out", PortSpec::Dir::Out, true}}; }
  explicit Source(const DeviceInput& in)
      : DigitalModel(in, spec()), p_(xspice::code_params(source_params, in, {})) {
    const Location& where = in.model ? in.model->where : in.element.where;
    const std::filesystem::path path = xspice::data_file_path(in, "input_file", "");
    if (path.empty()) throw InputError(where, fmt::format("'{}': d_source needs input_file=\"...\"", name()));
    std::ifstream file(path);
    if (!file) throw InputError(where, fmt::format("d_source cannot open its input_file '{}'", path.string()));
    std::string text;
    for (int line = 1; std::getline(file, text); ++line) {
      std::istringstream words(text);
      std::string w;
      if (!(words >> w) || w[0] == '*') continue;
      auto bad = [&](const std::string& what) {
        return InputError(where, fmt::format("{}:{}: {}", path.string(), line, what));
      };
      const auto t = parse_number(w);
      if (!t) throw bad(fmt::format("'{}' is not a time", w));
      if (!rows_.empty() && *t <= rows_.back().time) throw bad("times must increase");
      Row row{*t, {}};
      while (words >> w && row.values.size() < ports(0)) {
        if (w.size() != 2) throw bad(fmt::format("'{}' is not a digital value (0s, 1r, Uz ...)", w));
        const auto level = std::string("01uU").find(w[0]), strength = std::string("srzuSRZU").find(w[1]);
        if (level == std::string::npos || strength == std::string::npos)
          throw bad(fmt::format("'{}' is not a digital value (0s, 1r, Uz ...)", w));
        row.values.push_back({static_cast<Level>(std::min<std::size_t>(level, 2)), static_cast<Strength>(strength % 4)});
      }
      if (row.values.size() != ports(0))
        throw bad(fmt::format("{} values for the {} outputs of '{}'", row.values.size(), ports(0), name()));
      rows_.push_back(std::move(row));
    }
    if (rows_.empty()) throw InputError(where, fmt::format("d_source's input_file '{}' has no values", path.string()));
  }

  void evaluate(Network& net, double time, bool init) override {
    if (!init) return;
    const bool first = rows_.front().time <= time;
    for (std::size_t j = 0; j < ports(0); ++j)
      out(0, j, first ? rows_.front().values[j].level : Level::Unknown, 0,
          first ? rows_.front().values[j].strength : Strength::Undetermined);
    (void)net;
  }
  void begin(Network& net) override {
    for (const Row& r : rows_)
      if (r.time > net.now())
        for (std::size_t j = 0; j < ports(0); ++j) out(0, j, r.values[j].level, r.time - net.now(), r.values[j].strength);
  }

private:
  struct Row {
    double time;
    std::vector<Value> values;
  };
  SourceP p_;
  std::vector<Row> rows_;
};

}  // namespace

const bool d_source_registered = register_model<Source>(
    {.type = "d_source", .summary = "XSPICE digital source: outputs that follow the table of its input_file",
     .terminals = {"out"},
     .example = "A1 [a b] src\n.model src d_source(input_file=\"example-digital.txt\")\n", .element = 'a',
     .event_nodes = event_nodes_of<Source>},
    source_params);

}  // namespace ns::digital
