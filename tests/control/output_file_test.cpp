// -o with a .control block: the file holds the deck's dot-analyses, run after the script
// as `ngspice -b -r FILE` runs them, exactly as the deck without its .control block writes
// them; analyses the script types stay out of it; after `quit` there is no file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

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

// ngspice's run after the script takes the circuit as an alter left it; ours runs the deck
// as written, and says so rather than leave the difference silent.
TEST(OutputFile, AnAlterIsNotInTheFileAndANoteSaysSo) {
  const std::string options = ".control\nalter r1 2k\nrun\n.endc\n.end\n";
  const auto altered = neurospice_o("altered", circuit + options, {"-o", "out.csv"});
  const auto plain = neurospice_o("unaltered", circuit + ".end\n", {"-o", "out.csv"});
  ASSERT_EQ(altered.status, 0) << altered.err;
  EXPECT_NE(altered.err.find("note: out.csv holds the deck's analyses of the circuit as the deck writes it"),
            std::string::npos) << altered.err;
  EXPECT_EQ(altered.file("out.tran.csv"), plain.file("out.tran.csv"));
  EXPECT_EQ(plain.err.find("note: out.csv holds"), std::string::npos);
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
