// -o with a .control block: the file holds the deck's dot-analyses, run after the script
// as `ngspice -b -r FILE` runs them, exactly as the deck without its .control block writes
// them; analyses the script types stay out of it; after `quit` there is no file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "control/support.hpp"

namespace ns::control_test {
namespace {

// An RC low-pass behind a 1k/3k divider: .op gives v(out) = 0.5 * 3/4 = 0.375 V.
const std::string circuit = R"(rc divider, output file
v1 in 0 pulse(0.5 1.5 0.2u 10n 10n 1u 2u)
r1 in out 1k
r2 out 0 3k
c1 out 0 1n
.op
.tran 10n 3u
)";

// The script types a transient of its own (not the deck's) before `run`.
const std::string script = R"(.control
tran 20n 1u
run
print v(out)[10]
.endc
)";

Run neurospice_o(const std::string& name, const std::string& deck, const std::vector<std::string>& options) {
  Run r;
  r.dir = fresh_dir(name);
  std::ofstream(r.dir / "deck.cir") << deck;
  const fs::path before = fs::current_path();
  fs::current_path(r.dir);
  std::vector<std::string> args{"deck.cir"};
  args.insert(args.end(), options.begin(), options.end());
  std::ostringstream out, err;
  r.status = ns::run_app(args, out, err);
  fs::current_path(before);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// An ASCII raw file's plots: name and its vectors by name.
struct RawPlot {
  std::string name;
  std::map<std::string, std::vector<double>> vectors;
};

std::vector<RawPlot> read_ascii_raw(const std::string& text) {
  std::vector<RawPlot> plots;
  std::istringstream in(text);
  std::string line;
  std::size_t variables = 0, points = 0;
  std::vector<std::string> names;
  while (std::getline(in, line)) {
    if (line.starts_with("Plotname: ")) plots.push_back({line.substr(10), {}}), names.clear();
    else if (line.starts_with("No. Variables:")) variables = std::stoul(line.substr(14));
    else if (line.starts_with("No. Points:")) points = std::stoul(line.substr(11));
    else if (line.starts_with("Variables:")) {
      for (std::size_t k = 0; k < variables && std::getline(in, line); ++k) {
        std::istringstream f(line);
        std::string index, name;
        f >> index >> name;
        names.push_back(name);
      }
    } else if (line.starts_with("Values:")) {
      for (std::size_t p = 0; p < points; ++p)
        for (std::size_t k = 0; k < variables; ++k) {
          double x = NAN;
          if (k == 0) in >> x;  // the point's index
          in >> x;
          plots.back().vectors[names[k]].push_back(x);
        }
    }
  }
  return plots;
}

bool no_file_named(const fs::path& dir, const std::string& start) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().starts_with(start)) return false;
  return true;
}

TEST(OutputFile, HoldsTheDecksAnalysesAsWithoutTheControlBlock) {
  for (const std::string extension : {".csv", ".raw"}) {
    const std::vector<std::string> options{"-o", "out" + extension, "--format", extension == ".csv" ? "csv" : "ascii"};
    const auto with = neurospice_o("with" + extension, circuit + script + ".end\n", options);
    const auto plain = neurospice_o("plain" + extension, circuit + ".end\n", options);
    ASSERT_EQ(with.status, 0) << with.err;
    ASSERT_EQ(plain.status, 0) << plain.err;
    EXPECT_NE(with.out.find("v(out)[10] = "), std::string::npos) << with.out;  // the script ran
    for (const std::string kind : {"op", "tran"}) {
      const std::string file = "out." + kind + extension;
      ASSERT_TRUE(fs::exists(with.dir / file)) << with.err;
      if (extension == ".csv") {
        EXPECT_EQ(with.file(file), plain.file(file));
        continue;
      }
      const auto a = read_ascii_raw(with.file(file)), b = read_ascii_raw(plain.file(file));
      ASSERT_EQ(a.size(), 1u);
      ASSERT_EQ(b.size(), 1u);
      EXPECT_EQ(a[0].name, b[0].name);
      EXPECT_EQ(a[0].vectors, b[0].vectors);
    }
    // the deck's 3 us transient, not the script's 1 us one
    if (extension == ".raw") {
      EXPECT_DOUBLE_EQ(read_ascii_raw(with.file("out.tran.raw")).at(0).vectors.at("time").back(), 3e-6);
    }
    EXPECT_TRUE(no_file_named(with.dir, "out.tran2")) << "the typed tran went to a file";
  }
}

// ngspice -b -r wrote an Operating Point plot, then a Transient Analysis plot of the deck's
// .tran (the script's `tran 20n 1u` not among them): ours hold the same values, v(out)
// within 0.2 mV (of a 1 V step; measured 4.7e-5 V) at ngspice's points, our rows
// interpolated linearly: --every-step, as tools/corpus-agreement, for rows at our own
// steps (the tstep grid alone misses the corner at 1.21 us by 1 mV between its rows).
TEST(OutputFile, AgreesWithNgspicesRawFile) {
  const auto ours = neurospice_o("ours", circuit + script + ".end\n", {"-o", "out.raw", "--format", "ascii", "--every-step"});
  ASSERT_EQ(ours.status, 0) << ours.err;
  const fs::path dir = fresh_dir("ngspice_raw");
  std::ofstream(dir / "deck.cir") << circuit + script + ".end\n";
  const std::string command =
      "cd '" + dir.string() + "' && SPICE_ASCIIRAWFILE=1 ngspice -b -r ng.raw deck.cir > out.txt 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(dir / "ng.raw");
  std::ostringstream text;
  text << in.rdbuf();
  const auto ng = read_ascii_raw(text.str());
  ASSERT_EQ(ng.size(), 2u) << text.str().substr(0, 400);
  EXPECT_EQ(ng[0].name, "Operating Point");
  EXPECT_EQ(ng[1].name, "Transient Analysis");
  EXPECT_DOUBLE_EQ(ng[1].vectors.at("time").back(), 3e-6);

  const auto op = read_ascii_raw(ours.file("out.op.raw")), tran = read_ascii_raw(ours.file("out.tran.raw"));
  ASSERT_EQ(op.size(), 1u);
  ASSERT_EQ(tran.size(), 1u);
  EXPECT_EQ(op[0].name, ng[0].name);
  EXPECT_EQ(tran[0].name, ng[1].name);
  EXPECT_NEAR(op[0].vectors.at("v(out)").at(0), 0.375, 1e-9);
  EXPECT_NEAR(ng[0].vectors.at("v(out)").at(0), 0.375, 1e-9);
  const auto& t = tran[0].vectors.at("time");
  const auto& v = tran[0].vectors.at("v(out)");
  const auto& tn = ng[1].vectors.at("time");
  const auto& vn = ng[1].vectors.at("v(out)");
  double worst = 0;
  for (std::size_t k = 0; k < tn.size(); ++k) {
    const std::size_t j = std::min<std::size_t>(std::max<std::ptrdiff_t>(std::upper_bound(t.begin(), t.end(), tn[k]) - t.begin(), 1), t.size() - 1);
    const double w = (tn[k] - t[j - 1]) / (t[j] - t[j - 1]);
    worst = std::max(worst, std::abs(v[j - 1] + w * (v[j] - v[j - 1]) - vn[k]));
  }
  EXPECT_LT(worst, 2e-4);
  EXPECT_GT(vn.size(), 300u);
}

// `quit`: ngspice -b -r writes no raw file; we write no file (no .partial either).
TEST(OutputFile, NoFileAfterQuit) {
  const auto r = neurospice_o("quit", circuit + ".control\nrun\nquit\n.endc\n.end\n", {"-o", "out.raw"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(no_file_named(r.dir, "out")) << r.err;
}

// ngspice -b -r FILE of `deck` (written as deck.cir in a fresh folder): its raw file's plots.
std::vector<RawPlot> ngspice_raw(const std::string& name, const std::string& deck) {
  const fs::path dir = fresh_dir(name);
  std::ofstream(dir / "deck.cir") << deck;
  const std::string command =
      "cd '" + dir.string() + "' && SPICE_ASCIIRAWFILE=1 ngspice -b -r ng.raw deck.cir > out.txt 2>&1";
  if (std::system(command.c_str()) != 0) return {};
  std::ifstream in(dir / "ng.raw");
  std::ostringstream text;
  text << in.rdbuf();
  return read_ascii_raw(text.str());
}

// A 1 V divider r1 over r2, swept 0..1 V: v(out) = v1 r2 / (r1 + r2).
const std::string divider = "divider\nv1 in 0 1\nr1 in out 1k\nr2 out 0 3k\n.op\n.dc v1 0 1 0.5\n";

// ngspice's run after the script takes the circuit as the script left it: r1 = 3k and
// r2 = 1k here (v(out) = 0.25 V at 1 V), the second alter after the script's last run
// (so the deck runs again); ngspice -b -r's raw file holds the same numbers.
TEST(OutputFile, HoldsTheCircuitAsTheScriptLeftIt) {
  const std::string deck = divider + ".control\nalter r1 3k\nrun\nalter r2 = 1k\n.endc\n.end\n";
  const auto ours = neurospice_o("altered", deck, {"-o", "out.raw", "--format", "ascii"});
  ASSERT_EQ(ours.status, 0) << ours.err;
  const auto ng = ngspice_raw("altered_ng", deck);
  ASSERT_EQ(ng.size(), 2u);  // ngspice's run order: the dc, then the op
  ASSERT_EQ(ng[0].name, "DC transfer characteristic");
  ASSERT_EQ(ng[1].name, "Operating Point");
  const auto op = read_ascii_raw(ours.file("out.op.raw")), dc = read_ascii_raw(ours.file("out.dc.raw"));
  ASSERT_EQ(op.size(), 1u);
  ASSERT_EQ(dc.size(), 1u);
  EXPECT_NEAR(op[0].vectors.at("v(out)").at(0), 0.25, 1e-12);
  EXPECT_NEAR(ng[1].vectors.at("v(out)").at(0), 0.25, 1e-12);
  ASSERT_EQ(dc[0].vectors.at("v(out)").size(), 3u);
  ASSERT_EQ(ng[0].vectors.at("v(out)").size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_NEAR(dc[0].vectors.at("v(out)").at(k), 0.125 * double(k), 1e-12);
    EXPECT_NEAR(ng[0].vectors.at("v(out)").at(k), 0.125 * double(k), 1e-12);
  }
  EXPECT_EQ(ours.err.find("note:"), std::string::npos) << ours.err;
}

// The circuit unchanged since the script's last `run`: the file is written from that run
// (ngspice runs the deck a second time; the numbers would be the same), once: --stats
// reports one transient. The file is what the deck without its script writes, bit for bit
// (its date aside), the .save columns picked from the script's every node.
TEST(OutputFile, WrittenFromTheScriptsRunWhenNothingChangedSince) {
  const std::string deck = circuit + ".save v(out)\n.control\nalter r2 1k\nrun\nprint v(out)[3]\n.endc\n.end\n";
  const std::string plain = "rc divider, output file\nv1 in 0 pulse(0.5 1.5 0.2u 10n 10n 1u 2u)\nr1 in out 1k\n"
                            "r2 out 0 1k\nc1 out 0 1n\n.op\n.tran 10n 3u\n.save v(out)\n.end\n";
  const std::vector<std::string> options{"-o", "out.raw", "--format", "ascii", "--every-step", "--stats"};
  const auto once = neurospice_o("once", deck, options);
  const auto alone = neurospice_o("alone", plain, options);
  ASSERT_EQ(once.status, 0) << once.err;
  ASSERT_EQ(alone.status, 0) << alone.err;
  auto count = [](const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count(once.err, "note: transient:"), 1u) << once.err;
  EXPECT_NE(once.out.find("v(out)[3] = "), std::string::npos) << once.out;
  for (const std::string file : {"out.op.raw", "out.tran.raw"}) {
    auto undated = [](std::string text) { return text.erase(text.find("Date:"), text.find('\n', text.find("Date:")) - text.find("Date:")); };
    EXPECT_EQ(undated(once.file(file)), undated(alone.file(file))) << file;
  }
  const auto tran = read_ascii_raw(once.file("out.tran.raw"));
  ASSERT_EQ(tran.size(), 1u);
  EXPECT_EQ(tran[0].vectors.size(), 2u);  // time, v(out)
  // Without --every-step the file's transient rows are on the tstep grid: the deck runs again.
  const auto grid = neurospice_o("grid", deck, {"-o", "out.raw", "--format", "ascii", "--stats"});
  ASSERT_EQ(grid.status, 0) << grid.err;
  EXPECT_EQ(count(grid.err, "note: transient:"), 2u) << grid.err;
}

// ngspice -b -r writes every vector to its raw file whatever a .print line names ("print
// line ignored since rawfile was produced"), as ours does; a CSV keeps the .print columns.
TEST(OutputFile, PrintLinesDoNotChooseARawFilesVectors) {
  const std::string deck = "print and raw\nv1 in 0 1\nr1 in out 1k\nr2 out 0 3k\nl1 out x 1m\nr3 x 0 1k\n"
                           ".dc v1 0 1 0.5\n.print dc v(out)\n.end\n";
  const auto raw = neurospice_o("print_raw", deck, {"-o", "out.raw", "--format", "ascii"});
  ASSERT_EQ(raw.status, 0) << raw.err;
  const auto ng = ngspice_raw("print_raw_ng", deck);
  const auto ours = read_ascii_raw(raw.file("out.raw"));
  ASSERT_EQ(ng.size(), 1u);
  ASSERT_EQ(ours.size(), 1u);
  std::set<std::string> ng_names, our_names;
  for (const auto& [name, values] : ng[0].vectors) ng_names.insert(name);
  for (const auto& [name, values] : ours[0].vectors) our_names.insert(name);
  ng_names.erase("v(v-sweep)");  // the sweep: ngspice's name for it, ours v1
  our_names.erase("v1");
  EXPECT_EQ(our_names, ng_names);
  EXPECT_EQ(our_names, (std::set<std::string>{"v(in)", "v(out)", "v(x)", "i(v1)", "i(l1)"}));
  for (const std::string v : {"v(out)", "v(x)", "i(l1)"})
    for (std::size_t k = 0; k < 3; ++k)
      EXPECT_NEAR(ours[0].vectors.at(v).at(k), ng[0].vectors.at(v).at(k), 1e-12) << v;
  const auto csv = neurospice_o("print_csv", deck, {"-o", "out.csv"});
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_EQ(csv.file("out.csv").substr(0, csv.file("out.csv").find('\n')), "v1,v(out)");
}

// Analyses typed in the script alone (no dot-analysis card): ngspice -b -r writes no raw
// file, nor do we.
TEST(OutputFile, NoFileForTypedAnalysesAlone) {
  const std::string deck = "typed only\nv1 in 0 1\nr1 in out 1k\nc1 out 0 1n\n.control\ntran 20n 1u\nop\n.endc\n.end\n";
  const auto r = neurospice_o("typed", deck, {"-o", "out.raw"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(no_file_named(r.dir, "out")) << r.err;
}

}  // namespace
}  // namespace ns::control_test

namespace ns::control_test {
namespace {

// A divider of three nodes under a pulse; the deck's .save names v(mid), the script's
// save lines i(v1) and out (ngspice's spellings of i(v1) and v(out)), then the script
// writes its plot (ascii, as ngspice's `set filetype=ascii`).
const std::string saving = R"(save lists
v1 in 0 pulse(0 1 0 1u 1u 5u 10u)
r1 in mid 1k
r2 mid out 1k
c1 out 0 1n
.save v(mid)
.print tran v(in)
.tran 0.1u 20u
.control
set filetype=ascii
save i(v1) out
run
write w.raw
.endc
.end
)";

std::set<std::string> names_of(const RawPlot& plot) {
  std::set<std::string> names;
  for (const auto& [name, values] : plot.vectors) names.insert(name);
  return names;
}

// ngspice 39 on this deck: `write` and -r's file after the script both hold time, v(mid),
// v(out) and i(v1): the deck's .save and the script's save lines, not the .print line's
// v(in) nor the other node. Ours hold the same vectors, and the same values (a grid of
// 0.1 us against ngspice's steps: v(out) within 2 mV of a 1 V pulse, interpolated).
TEST(OutputFile, ScriptsSaveLinesChooseWritesAndTheFilesVectors) {
  const auto ours = neurospice_o("saving", saving, {"-o", "out.raw", "--format", "ascii"});
  ASSERT_EQ(ours.status, 0) << ours.err;
  const std::set<std::string> saved{"time", "v(mid)", "v(out)", "i(v1)"};
  const auto written = read_ascii_raw(ours.file("w.raw"));
  const auto file = read_ascii_raw(ours.file("out.raw"));
  ASSERT_EQ(written.size(), 1u);
  ASSERT_EQ(file.size(), 1u);
  EXPECT_EQ(names_of(written[0]), saved);
  EXPECT_EQ(names_of(file[0]), saved);

  const auto ng = ngspice_raw("saving_ng", saving);
  ASSERT_EQ(ng.size(), 1u);
  EXPECT_EQ(names_of(ng[0]), saved);
  std::ifstream in(fs::temp_directory_path() / ("neurospice_control_" + std::to_string(getpid())) / "saving_ng" / "w.raw");
  std::ostringstream text;
  text << in.rdbuf();
  const auto ng_written = read_ascii_raw(text.str());
  ASSERT_EQ(ng_written.size(), 1u);
  EXPECT_EQ(names_of(ng_written[0]), saved);
  const auto& t = file[0].vectors.at("time");
  const auto& v = file[0].vectors.at("v(out)");
  const auto& tn = ng[0].vectors.at("time");
  const auto& vn = ng[0].vectors.at("v(out)");
  double worst = 0;
  for (std::size_t k = 0; k < tn.size(); ++k) {
    const std::size_t j = std::min<std::size_t>(std::max<std::ptrdiff_t>(std::upper_bound(t.begin(), t.end(), tn[k]) - t.begin(), 1), t.size() - 1);
    const double w = (tn[k] - t[j - 1]) / (t[j] - t[j - 1]);
    worst = std::max(worst, std::abs(v[j - 1] + w * (v[j] - v[j - 1]) - vn[k]));
  }
  EXPECT_LT(worst, 2e-3);
}

// `save all` (ngspice: every node and source current) lifts the deck's .save; a name that
// is nothing in the circuit is left out of the file with a warning, as ngspice leaves it out.
TEST(OutputFile, ScriptsSaveAllAndUnknownNames) {
  std::string deck = saving;
  deck.replace(deck.find("save i(v1) out"), 14, "save nosuch all");
  const auto ours = neurospice_o("saving_all", deck, {"-o", "out.raw", "--format", "ascii"});
  ASSERT_EQ(ours.status, 0) << ours.err;
  const std::set<std::string> every{"time", "v(in)", "v(mid)", "v(out)", "i(v1)"};
  EXPECT_EQ(names_of(read_ascii_raw(ours.file("out.raw")).at(0)), every);
  EXPECT_EQ(names_of(read_ascii_raw(ours.file("w.raw")).at(0)), every);
  EXPECT_NE(ours.err.find("nosuch"), std::string::npos) << ours.err;
  const auto ng = ngspice_raw("saving_all_ng", deck);
  ASSERT_EQ(ng.size(), 1u);
  EXPECT_EQ(names_of(ng[0]), every);
}

}  // namespace
}  // namespace ns::control_test

namespace ns::control_test {
namespace {

// An RC low-pass (tau = 100 ns) under a 1 MHz sine from rest: v(out) is
// (sin wt - wtau cos wt + wtau e^(-t/tau)) / (1 + (wtau)^2).
const std::string interp = R"(interp
v1 in 0 sin(0 1 1meg)
r1 in out 1k
c1 out 0 100p
.options interp
.tran 70n 3.01u 0.5u
)";

double rc_sine(double t) {
  const double w = 2 * M_PI * 1e6, tau = 1e-7, wt = w * tau;
  return (std::sin(w * t) - wt * std::cos(w * t) + wt * std::exp(-t / tau)) / (1 + wt * wt);
}

// ngspice 39's raw file with interp holds 36 rows: 0.57 us (tstart + tstep; not tstart)
// to 2.95 us by 70 ns, then tstop 3.01 us (its Variables block written twice, the first
// time before a "Values:" line of no values). Ours the same times, even with --every-step,
// and v(out) within 1 mV of the closed form (measured 3.1e-4 V, the integrator's own
// polynomial; ngspice's rows, a straight line from the step before, are 0.06 V off).
// A script's plot holds the same 36 rows.
TEST(OutputFile, InterpKeepsTheTstepGridAsNgspice) {
  const auto ours = neurospice_o("interp", interp + ".end\n", {"-o", "out.raw", "--format", "ascii", "--every-step"});
  ASSERT_EQ(ours.status, 0) << ours.err;
  const fs::path dir = fresh_dir("interp_ng");
  std::ofstream(dir / "deck.cir") << interp + ".end\n";
  const std::string command = "cd '" + dir.string() + "' && SPICE_ASCIIRAWFILE=1 ngspice -b -r ng.raw deck.cir > out.txt 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(dir / "ng.raw");
  std::ostringstream text;
  text << in.rdbuf();
  std::string raw = text.str();
  const std::size_t first = raw.find("\nValues:\n"), second = raw.find("\nValues:\n", first + 1);
  ASSERT_NE(second, std::string::npos) << raw.substr(0, 600);
  raw.erase(first, second - first);
  const auto ng = read_ascii_raw(raw);
  ASSERT_EQ(ng.size(), 1u);
  const auto file = read_ascii_raw(ours.file("out.raw"));
  ASSERT_EQ(file.size(), 1u);
  const auto& t = file[0].vectors.at("time");
  const auto& tn = ng[0].vectors.at("time");
  ASSERT_EQ(tn.size(), 36u);
  ASSERT_EQ(t.size(), tn.size());
  double off = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    EXPECT_NEAR(t[k], tn[k], 1e-15) << k;
    off = std::max(off, std::abs(file[0].vectors.at("v(out)")[k] - rc_sine(t[k])));
  }
  EXPECT_NEAR(t.front(), 0.57e-6, 1e-18);
  EXPECT_DOUBLE_EQ(t.back(), 3.01e-6);
  EXPECT_LT(off, 1e-3);
  const auto script = neurospice_o("interp_script", interp + ".control\nrun\nprint length(time) time[0]\n.endc\n.end\n", {});
  ASSERT_EQ(script.status, 0) << script.err;
  EXPECT_NE(script.out.find("length(time) = 3.600000e+01"), std::string::npos) << script.out;
  EXPECT_NE(script.out.find("time[0] = 5.700000e-07"), std::string::npos) << script.out;
}

}  // namespace
}  // namespace ns::control_test
