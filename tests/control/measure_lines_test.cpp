// The lines a script's run prints for the deck's .meas results, against ngspice -b's on
// the same deck (the command line still prints `name = value`, nine digits: src/cli/app.cpp):
// users' scripts grep these (`grep '^tdelay' | awk '{print $3}'`), so each line has
// ngspice's shape to the character (the name padded to 20, '=', the spaces, each number's
// decimals, the words after it) and its numbers agree within the simulators' accuracy.
#include <cmath>
#include <regex>

#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using namespace ns::control_test;

// An RC low-pass (tau = 1 us) under a 0 to 1 V pulse from 1 us to 5.1 us, and the
// measures of every form that prints something of its own after the value.
const std::string rc = R"(measure lines
v1 in 0 pulse(0 1 1u 0.1u 0.1u 4u 10u)
r1 in out 1k
c1 out 0 1n
.tran 10n 10u
.meas tran trise TRIG v(out) VAL=0.1 RISE=1 TARG v(out) VAL=0.9 RISE=1
.meas tran tcross WHEN v(out)=0.5
.meas tran vat FIND v(out) AT=2u
.meas tran vfind FIND v(in) WHEN v(out)=0.3 FALL=1
.meas tran vavg AVG v(out) FROM=1u TO=5u
.meas tran vrms RMS v(out) FROM=1u TO=5u
.meas tran vint INTEG v(out) FROM=1u TO=5u
.meas tran vmax MAX v(out)
.meas tran tmax MAX_AT v(out) FROM=1u TO=9u
.meas tran vpp PP v(out) FROM=1u TO=6u
.meas tran a_name_longer_than_twenty FIND v(out) AT=3u
.meas tran twice PARAM='vint*2'
.meas tran negative PARAM='-vat'
.control
run
.endc
.end
)";

// Each result line's name and text, from a run's stdout.
std::map<std::string, std::string> result_lines(const std::string& out) {
  std::map<std::string, std::string> lines;
  static const std::regex line(R"(^([a-z_]+) *=.*$)");
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);)
    if (std::smatch m; std::regex_match(l, m, line)) lines.emplace(m[1], l);  // the script's run, first
  return lines;
}

// The line with each number replaced by its form (the count of its decimals), and the numbers.
std::pair<std::string, std::vector<double>> shape(const std::string& line) {
  static const std::regex number(R"(-?\d\.(\d+)e[-+]\d\d)");
  std::string form;
  std::vector<double> values;
  std::size_t done = 0;
  for (std::sregex_iterator it(line.begin(), line.end(), number), end; it != end; ++it) {
    form += line.substr(done, std::size_t(it->position()) - done) + "<" + std::to_string((*it)[1].length()) + ">";
    values.push_back(std::stod(it->str()));
    done = std::size_t(it->position() + it->length());
  }
  return {form + line.substr(done), values};
}

TEST(MeasureLines, AsNgspicePrintsThem) {
  const auto ours = neurospice("measure_lines", rc);
  ASSERT_EQ(ours.status, 0) << ours.err;
  const fs::path deck = fresh_dir("measure_lines_deck") / "rc.cir";
  std::ofstream(deck) << rc;
  const auto ng = ngspice("measure_lines_ng", deck.string());
  const auto mine = result_lines(ours.out), theirs = result_lines(ng.out);
  ASSERT_EQ(theirs.size(), 13u) << ng.out;
  for (const auto& [name, line] : theirs) {
    ASSERT_TRUE(mine.count(name)) << name << " not printed:\n" << ours.out;
    const auto [our_form, our_values] = shape(mine.at(name));
    const auto [ng_form, ng_values] = shape(line);
    EXPECT_EQ(our_form, ng_form) << "ours:    " << mine.at(name) << "\nngspice: " << line;
    ASSERT_EQ(our_values.size(), ng_values.size()) << name;
    // Times and volts of a 1 V, 1 us circuit: within 2e-3 of ngspice's (its AVG's to= is
    // its last step, 5.005 us, where ours is TO=, 5 us).
    for (std::size_t k = 0; k < ng_values.size(); ++k)
      EXPECT_NEAR(our_values[k], ng_values[k], 2e-3 * std::abs(ng_values[k]) + 1e-12) << mine.at(name) << "\n" << line;
  }
}

// A measure that fails prints its name and why (ngspice prints an error on stderr and no
// line): the line a grep for a result finds says it failed.
TEST(MeasureLines, AFailedMeasureSaysSo) {
  const auto r = neurospice("measure_failed", "fails\nv1 in 0 1\nr1 in 0 1k\n.tran 1u 10u\n"
                                              ".meas tran never WHEN v(in)=5\n.control\nrun\n.endc\n.end\n");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("never               failed: "), std::string::npos) << r.out;
}

}  // namespace
