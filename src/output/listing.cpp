#include "output/listing.hpp"

#include <algorithm>
#include <ctime>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

namespace ns {

std::string ngspice_number(double x) { return x < 0 ? fmt::format("{:.5e}", x) : fmt::format("{:.6e}", x); }

std::string now_as(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[64];
  return std::strftime(text, sizeof text, format, &local) ? text : "";
}

std::string ngspice_date() { return now_as("%a %b %e %H:%M:%S  %Y"); }

namespace {

std::string ngspice_name(const std::string& name, const std::string& kind, bool scale) {
  if (scale && kind == "dc")  // the swept source or temperature
    return name == "temp" ? "temp-sweep" : name[0] == 'i' ? "i-sweep" : name[0] == 'v' ? "v-sweep" : name;
  if (name.size() > 3 && name.starts_with("i(") && name.back() == ')' && name.find(',') == std::string::npos)
    return name.substr(2, name.size() - 3) + "#branch";
  return name;
}

std::string cell(const ListingColumn& c, std::size_t row, bool real) {
  if (row >= c.re.size()) return "\t\t";
  if (real || !c.complex) return ngspice_number(c.re[row]) + "\t";
  return ngspice_number(c.re[row]) + ",\t" + ngspice_number(row < c.im.size() ? c.im[row] : 0.0) + "\t";
}

}  // namespace

void print_paged(std::ostream& out, const ListingPage& page, const std::optional<ListingColumn>& scale,
                 const std::vector<ListingColumn>& columns) {
  // Measured (ngspice 39): the columns that fit in `width` after "Index   " and the scale,
  // each 16 wide or 32 complex (a complex scale counts 32, though printed real); at least
  // one. Rows: height - 5 on a page under the title, height - 2 on the others, the height
  // taken as at least 20.
  const std::size_t scale_width = !scale ? 0 : scale->complex ? 32 : 16;
  const std::size_t height = std::max<std::size_t>(page.height, 20);
  std::size_t rows = scale ? scale->re.size() : 0;
  for (const ListingColumn& c : columns) rows = std::max(rows, c.re.size());
  const std::string rule(page.width, '-');
  const std::size_t indent = page.title.size() < page.width ? (page.width - page.title.size()) / 2 : 0;
  for (std::size_t first = 0; first < columns.size();) {
    // A page whose first column is the scale shows it once (print time v(out), print all).
    if (scale && columns[first].name == scale->name && first + 1 < columns.size()) ++first;
    std::size_t last = first + 1, used = 8 + scale_width + (columns[first].complex ? 32 : 16);
    while (last < columns.size() && used + (columns[last].complex ? 32 : 16) <= page.width)
      used += columns[last++].complex ? 32 : 16;
    if (first > 0) out << "\f\n";
    fmt::print(out, "{0:{1}}{2}\n{0:{1}}{3}  {4}\n{5}\n", "", indent, page.title, page.plot, page.date, rule);
    std::string header = "Index   ";
    if (scale) header += fmt::format("{:<16}", scale->name);
    for (std::size_t k = first; k < last; ++k) header += fmt::format("{:<{}}", columns[k].name, columns[k].complex ? 32 : 16);
    for (std::size_t r = 0, on_page = 0; r < rows; ++r, ++on_page) {
      if (r == 0 || (page.paged && on_page == height - (r == on_page ? 5 : 2))) {
        if (r > 0) out << "\f\n";
        fmt::print(out, "{}\n{}\n", header, rule);
        on_page = 0;
      }
      std::string line = fmt::format("{}\t", r);
      if (scale) line += cell(*scale, r, true);
      for (std::size_t k = first; k < last; ++k) line += cell(columns[k], r, false);
      fmt::print(out, "{}\n", line);
    }
    first = last;
  }
}

void print_listing(std::ostream& out, const std::string& title, const std::string& plot, const std::string& kind,
                   const TraceTable& table) {
  const auto& names = table.columns();
  if (names.empty()) return;
  std::vector<ListingColumn> columns(names.size());
  for (std::size_t k = 0; k < names.size(); ++k) {
    columns[k].name = ngspice_name(names[k], kind, k == 0);
    for (const auto& row : table.rows()) columns[k].re.push_back(row.at(k));
  }
  ListingColumn scale = std::move(columns.front());
  scale.complex = kind == "ac";  // ngspice's frequency is complex: counted 32 wide
  columns.erase(columns.begin());
  if (columns.empty()) return;
  print_paged(out, {title, plot, ngspice_date()}, scale, columns);
  out << "\n";
}

}  // namespace ns
