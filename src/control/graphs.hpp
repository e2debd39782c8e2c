#pragma once
// plot, gnuplot and hardcopy with --plots DIR: what a command draws becomes a CSV in DIR
// (the x vector first, then each vector as written; of a complex vector its real part, as
// ngspice's plot and gnuplot draw it) and a PNG drawn from that CSV by whoever runs the
// script: the command line hands it to tools/plot, so this layer starts no process.
#include <functional>
#include <string>
#include <vector>

namespace ns::control {

struct Graph {
  std::string csv, png;
  std::string x;  // the CSV's x column
  bool logx = false, logy = false;
};

struct Graphs {
  std::string dir;  // empty: the commands are skipped with one note
  // Draws `graph`: "" when the image was written, else what went wrong.
  std::function<std::string(const Graph&)> draw;
};

// A plot command's text read as ngspice reads it: gnuplot's and hardcopy's first word is
// their file; the vectors, and the x vector after 'vs'; xlog, ylog, loglog. ngspice's
// other options (xlimit A B, title 'text', linplot, ...) are read and dropped.
struct GraphRequest {
  std::string file;
  std::string vectors;  // the expressions, for evaluate_all
  std::string vs;       // empty: the plot's scale
  bool xlog = false, ylog = false;
};
GraphRequest parse_graph(const std::string& keyword, const std::string& rest);

// The CSV of a graph: a header of `names`, then the columns (of one length) row by row.
void write_graph_csv(const std::string& path, const std::vector<std::string>& names,
                     const std::vector<std::vector<double>>& columns);

}  // namespace ns::control
