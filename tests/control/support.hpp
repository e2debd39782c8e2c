#pragma once
// Runs neurospice in-process (ns::run_app) or `ngspice -b` on a deck in a fresh directory,
// which is also the working directory while it runs: wrdata writes there.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "cli/app.hpp"

namespace ns::control_test {

namespace fs = std::filesystem;

struct Run {
  int status = -1;
  std::string out, err;
  fs::path dir;
  std::string file(const std::string& name) const {
    std::ifstream in(dir / name);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

inline fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("neurospice_control_" + std::to_string(getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The deck's text written as deck.cir, or a deck file copied there.
inline Run neurospice(const std::string& name, const std::string& deck, bool is_file = false) {
  Run r;
  r.dir = fresh_dir(name);
  if (is_file) fs::copy_file(deck, r.dir / "deck.cir");
  else std::ofstream(r.dir / "deck.cir") << deck;
  const fs::path before = fs::current_path();
  fs::current_path(r.dir);
  std::ostringstream out, err;
  r.status = ns::run_app({"deck.cir"}, out, err);
  fs::current_path(before);
  r.out = out.str();
  r.err = err.str();
  return r;
}

inline Run ngspice(const std::string& name, const std::string& deck_file) {
  Run r;
  r.dir = fresh_dir(name);
  fs::copy_file(deck_file, r.dir / "deck.cir");
  const std::string command = "cd '" + r.dir.string() + "' && ngspice -b deck.cir > out.txt 2> err.txt";
  r.status = std::system(command.c_str());
  r.out = r.file("out.txt");
  r.err = r.file("err.txt");
  return r;
}

// The numbers of a wrdata file, row by row.
inline std::vector<std::vector<double>> numbers(const std::string& text) {
  std::vector<std::vector<double>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::vector<double> row;
    for (double x; fields >> x;) row.push_back(x);
    if (!row.empty()) rows.push_back(row);
  }
  return rows;
}

// The "name = value" lines that print writes (a complex value: its real part).
inline std::map<std::string, double> printed(const std::string& out) {
  std::map<std::string, double> values;
  static const std::regex line(R"((\S+) = ([-+0-9.e]+)(,[-+0-9.e]+)?)");
  for (std::sregex_iterator it(out.begin(), out.end(), line), end; it != end; ++it)
    values[(*it)[1]] = std::stod((*it)[2]);
  return values;
}

// The text with the plots' dates (print's headings, display's Date: line) as DATE: ngspice's
// form, "Wed Dec  2 04:12:36  2026", and its constants plot's "Sun Feb  5 13:44:35 UTC 2023".
inline std::string undated(const std::string& text) {
  static const std::regex date(R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d +(UTC )?\d{4})");
  return std::regex_replace(text, date, "DATE");
}

}  // namespace ns::control_test
