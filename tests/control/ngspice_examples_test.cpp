// The examples of netlists/control/, run unchanged through neurospice and `ngspice -b`.
#include <cmath>
#include <regex>

#include <gtest/gtest.h>

#include "support.hpp"

namespace {

using namespace ns::control_test;

const std::string examples = std::string(NS_SOURCE_DIR) + "/netlists/control/";

// Three DC sweeps of a diode behind 100, 1k and 10k, appended by wrdata (V1, v(a), the
// current). ngspice stops Newton once an update is below reltol*|v| + vntol (1e-3, 1 uV),
// which leaves its v(a) up to 1.3e-4 V from the exact solution; neurospice's is within
// 1e-8 V of it (checked against a scalar root solve at V1 = 2 V below). So: the sweep
// column equal, v(a) within 1e-3*|v(a)| + 1 uV, the current within that over R.
TEST(NgspiceExamples, DiodeCurvesForeachWrdata) {
  const auto ours = neurospice("diode_ours", examples + "diode_curves_foreach.cir", true);
  ASSERT_EQ(ours.status, 0) << ours.err;
  EXPECT_EQ(ours.out, "last curve: 0.634082 V at 2 V through 10k Ohm\n");
  const auto theirs = ngspice("diode_ngspice", examples + "diode_curves_foreach.cir");
  const auto a = numbers(ours.file("diode_curves.data")), b = numbers(theirs.file("diode_curves.data"));
  ASSERT_EQ(a.size(), 123u) << ours.err;
  ASSERT_EQ(b.size(), 123u) << "ngspice: " << theirs.err;
  const double resistors[] = {100, 1e3, 1e4};
  for (std::size_t k = 0; k < a.size(); ++k) {
    ASSERT_EQ(a[k].size(), 3u);
    ASSERT_EQ(b[k].size(), 3u);
    const double tol = 1e-3 * std::fabs(b[k][1]) + 1e-6;
    EXPECT_EQ(a[k][0], b[k][0]) << "row " << k;
    EXPECT_NEAR(a[k][1], b[k][1], tol) << "row " << k;
    EXPECT_NEAR(a[k][2], b[k][2], tol / resistors[k / 41]) << "row " << k;
  }
  // V1 = 2 V, exact (scipy brentq on V1 = I R + n Vt ln(1 + I/Is) + I RS, T = 300.15 K).
  EXPECT_NEAR(a[40][1], 0.7801999994311029, 1e-8);
  EXPECT_NEAR(a[81][1], 0.6976530375949468, 1e-8);
  EXPECT_NEAR(a[122][1], 0.6340818522963765, 1e-8);
}

// netlists/control/nbox_fi_foreach.cir sweeps the NbOx neuron's input current in a
// foreach loop (alterparam, reset, tran, meas, wrdata). ngspice has no NbOx model, so
// the second computation is the same study written with .step and .meas: the loop must
// give the same rate at every current (the same deck re-read per point, so equal to
// wrdata's printed digits), and the rates are the f-I curve's landmarks: nothing below onset and past
// the stopping transition, firing between.
TEST(NgspiceExamples, NbOxFiCurveForeachEqualsTheStepStudy) {
  const auto loop = neurospice("fi_loop", examples + "nbox_fi_foreach.cir", true);
  ASSERT_EQ(loop.status, 0) << loop.err;
  const auto rows = numbers(loop.file("fi_curve.data"));
  const fs::path dir = fresh_dir("fi_step");
  std::ofstream(dir / "step.cir") << "f-I by .step\n.param is=335u\n.model nb nbox\nIs 0 a dc {is}\n"
                                     "Cext a 0 200p\nN1 a b nb\nLext b c 700n\nRout c 0 25\n"
                                     ".options reltol=1e-5\n.tran 10n 40u uic\n"
                                     ".step param is list 40u 60u 340u 860u 940u\n"
                                     ".meas tran rate RATE @n1[t] VAL=600 FROM=20u\n.end\n";
  std::ostringstream out, err;
  ASSERT_EQ(ns::run_app({"-o", (dir / "fi.csv").string(), (dir / "step.cir").string()}, out, err), 0) << err.str();
  std::ifstream meas(dir / "fi.meas.csv");
  std::string header, line;
  std::getline(meas, header);
  ASSERT_EQ(header, "is,rate");
  ASSERT_EQ(rows.size(), 5u) << loop.err;
  for (const auto& row : rows) {
    ASSERT_TRUE(std::getline(meas, line));
    const double is = std::stod(line.substr(0, line.find(','))), rate = std::stod(line.substr(line.find(',') + 1));
    ASSERT_EQ(row.size(), 3u);
    // wrdata prints 9 significant digits: equal to within their rounding, 5e-9.
    EXPECT_NEAR(row[1], is, 5e-9 * is);
    EXPECT_NEAR(row[2], rate, 5e-9 * rate) << "is = " << is;
  }
  EXPECT_EQ(rows[0][2], 0.0);  // 40 uA: below onset
  EXPECT_GT(rows[1][2], 4e5);  // 60 uA: fires from onset at a finite rate (class 2)
  EXPECT_GT(rows[3][2], rows[2][2]);
  EXPECT_EQ(rows[4][2], 0.0);  // 940 uA: past the stopping transition
}

struct Moments {
  double nominal, mean, sd;
};

std::vector<Moments> moments(const std::string& out) {
  std::vector<Moments> m;
  const std::regex line(R"(rnom (\S+) mean (\S+) sd (\S+))");
  for (std::sregex_iterator it(out.begin(), out.end(), line), end; it != end; ++it)
    m.push_back({(*it)[1] == "1k" ? 1e3 : 3e3, std::stod((*it)[2]), std::stod((*it)[3])});
  return m;
}

// 400 draws of R1 ~ N(rnom, 0.05 rnom) per nominal; v(out) = 1k/(R1 + 1k). The mean and
// standard deviation of 400 samples have standard errors sd/20 and sd/28; ngspice's draws
// are not seeded (they differ from run to run), so compare both with the analytic moments
// (to second order in the spread) within 4 standard errors, and with each other within
// 4 standard errors of a difference (sqrt 2 larger): a false alarm about 1 run in 10^4.
TEST(NgspiceExamples, MonteCarloRepeatAlterparam) {
  const auto ours = neurospice("mc_ours", examples + "resistor_mc_repeat.cir", true);
  ASSERT_EQ(ours.status, 0) << ours.err;
  const auto theirs = ngspice("mc_ngspice", examples + "resistor_mc_repeat.cir");
  const auto a = moments(ours.out), b = moments(theirs.out);
  ASSERT_EQ(a.size(), 2u) << ours.out;
  ASSERT_EQ(b.size(), 2u) << "ngspice: " << theirs.out << theirs.err;
  for (std::size_t k = 0; k < 2; ++k) {
    const double r = a[k].nominal, s = 0.05 * r, g = 1e3;
    const double slope = g / ((r + g) * (r + g)), curvature = 2 * g / std::pow(r + g, 3);
    const double mean = g / (r + g) + 0.5 * curvature * s * s, sd = slope * s;
    for (const Moments& m : {a[k], b[k]}) {
      EXPECT_NEAR(m.mean, mean, 4 * sd / 20) << "rnom " << r;
      EXPECT_NEAR(m.sd, sd, 4 * sd / 28) << "rnom " << r;
    }
    EXPECT_NEAR(a[k].mean, b[k].mean, 4 * std::sqrt(2.0) * sd / 20) << "rnom " << r;
    EXPECT_NEAR(a[k].sd, b[k].sd, 4 * std::sqrt(2.0) * sd / 28) << "rnom " << r;
  }
}

// The same study with .mc (netlists/control/resistor_mc_dot.cir: .step param rnom, .mc 400,
// .op): its v(out) column per nominal against the repeat loop's moments, within 4 standard
// errors of a difference, as above; the two draw from different streams of --seed.
TEST(NgspiceExamples, MonteCarloRepeatEqualsDotMc) {
  const auto loop = neurospice("mc_loop", examples + "resistor_mc_repeat.cir", true);
  ASSERT_EQ(loop.status, 0) << loop.err;
  const auto a = moments(loop.out);
  ASSERT_EQ(a.size(), 2u) << loop.out;
  const auto dir = ns::control_test::fresh_dir("mc_dot");
  std::ostringstream out, err;
  ASSERT_EQ(ns::run_app({"-o", (dir / "mc.csv").string(), examples + "resistor_mc_dot.cir"}, out, err), 0) << err.str();
  std::ifstream csv(dir / "mc.csv");
  std::string line;
  std::getline(csv, line);
  ASSERT_EQ(line, "rnom,run,v(in),v(out),i(v1)");
  std::map<double, std::vector<double>> runs;
  while (std::getline(csv, line)) {
    std::vector<double> f;
    std::stringstream fields(line);
    for (std::string x; std::getline(fields, x, ',');) f.push_back(std::stod(x));
    runs[f.at(0)].push_back(f.at(3));
  }
  ASSERT_EQ(runs.size(), 2u);
  for (const Moments& m : a) {
    const std::vector<double>& v = runs.at(m.nominal);
    ASSERT_EQ(v.size(), 400u);
    double mean = 0, var = 0;
    for (double x : v) mean += x / double(v.size());
    for (double x : v) var += (x - mean) * (x - mean) / double(v.size());
    const double r = m.nominal, g = 1e3, sd = g / ((r + g) * (r + g)) * 0.05 * r;
    EXPECT_NEAR(mean, m.mean, 4 * std::sqrt(2.0) * sd / 20) << "rnom " << r;
    EXPECT_NEAR(std::sqrt(var), m.sd, 4 * std::sqrt(2.0) * sd / 28) << "rnom " << r;
    std::printf("rnom %g: repeat mean %.6g sd %.4g; .mc mean %.6g sd %.4g\n", r, m.mean, m.sd, mean, std::sqrt(var));
  }
}

}  // namespace
