#include "control/graphs.hpp"

#include <cctype>
#include <map>

#include "output/sink.hpp"

namespace ns::control {

namespace {

// Words, a quoted one ('a title', "a title") kept whole.
std::vector<std::string> quoted_words(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ' ' || text[i] == '\t') {
      ++i;
      continue;
    }
    std::size_t j = i;
    if (text[i] == '\'' || text[i] == '"') {
      j = text.find(text[i], i + 1);
      j = j == std::string::npos ? text.size() : j + 1;
    } else {
      while (j < text.size() && text[j] != ' ' && text[j] != '\t') ++j;
    }
    out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

GraphRequest parse_graph(const std::string& keyword, const std::string& rest) {
  // ngspice's plot options and how many words follow each.
  static const std::map<std::string, int> options = {
      {"xlimit", 2}, {"ylimit", 2}, {"xindices", 2}, {"xdelta", 1}, {"ydelta", 1}, {"xlabel", 1},
      {"ylabel", 1}, {"title", 1}, {"xcompress", 1}, {"linear", 0}, {"combplot", 0}, {"linplot", 0},
      {"pointplot", 0}, {"retraceplot", 0}, {"noretraceplot", 0}, {"nointerp", 0}, {"nogrid", 0},
      {"samep", 0}, {"nounits", 0}, {"polar", 0}, {"smith", 0}, {"smithgrid", 0}};
  GraphRequest r;
  std::vector<std::string> w = quoted_words(rest);
  std::size_t k = 0;
  if ((keyword == "gnuplot" || keyword == "hardcopy") && !w.empty()) r.file = w[k++];
  std::string* into = &r.vectors;
  for (; k < w.size(); ++k) {
    std::string word = w[k];
    for (char& c : word) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (word == "vs") {
      into = &r.vs;
    } else if (word == "xlog" || word == "ylog" || word == "loglog") {
      r.xlog |= word != "ylog";
      r.ylog |= word != "xlog";
    } else if (const auto o = options.find(word); o != options.end()) {
      k += std::size_t(o->second);
    } else {
      *into += w[k] + " ";
    }
  }
  return r;
}

void write_graph_csv(const std::string& path, const std::vector<std::string>& names,
                     const std::vector<std::vector<double>>& columns) {
  CsvFile csv(path);
  csv.begin(names, {});
  std::vector<double> row(columns.size());
  for (std::size_t r = 0; !columns.empty() && r < columns[0].size(); ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) row[c] = columns[c][r];
    csv.row(row);
  }
  csv.finish();
}

}  // namespace ns::control
