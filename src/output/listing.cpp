#include "output/listing.hpp"

#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

namespace ns {

std::string ngspice_number(double x) { return x < 0 ? fmt::format("{:.5e}", x) : fmt::format("{:.6e}", x); }

namespace {

std::string ngspice_name(const std::string& name, const std::string& kind, bool scale) {
  if (scale && kind == "dc")  // the swept source or temperature
    return name == "temp" ? "temp-sweep" : name[0] == 'i' ? "i-sweep" : name[0] == 'v' ? "v-sweep" : name;
  if (name.size() > 3 && name.starts_with("i(") && name.back() == ')' && name.find(',') == std::string::npos)
    return name.substr(2, name.size() - 3) + "#branch";
  return name;
}

}  // namespace

void print_listing(std::ostream& out, const std::string& title, const std::string& plot, const std::string& kind,
                   const TraceTable& table) {
  const auto& columns = table.columns();
  if (columns.empty()) return;
  const std::string rule(80, '-');
  auto centred = [](const std::string& text) { return std::string(text.size() < 80 ? (80 - text.size()) / 2 : 0, ' ') + text; };
  fmt::print(out, "\n{}\n{}\n{}\n", centred(title), centred(plot), rule);
  std::string line = "Index   ";
  for (std::size_t k = 0; k < columns.size(); ++k) line += fmt::format("{:<16}", ngspice_name(columns[k], kind, k == 0));
  fmt::print(out, "{}\n{}\n", line, rule);
  for (std::size_t r = 0; r < table.rows().size(); ++r) {
    line = fmt::format("{}\t", r);
    for (double x : table.rows()[r]) line += ngspice_number(x) + "\t";
    fmt::print(out, "{}\n", line);
  }
  fmt::print(out, "\n");
}

}  // namespace ns
