#pragma once
// One device on a bench: built from a hand-made Element/Model through the registry, set
// up on chosen terminal unknowns, then loaded at chosen x with dense G and C to inspect.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "circuit/circuit.hpp"
#include "circuit/registry.hpp"

namespace ns::test {

inline Location at(int line, int column) {
  static const auto file = std::make_shared<const std::string>("bench.cir");
  return {file, line, column};
}

inline Element element(char kind, std::string name, std::vector<std::string> nodes,
                       std::vector<double> values = {}, std::vector<Assignment> params = {}) {
  Element e;
  e.kind = kind;
  e.name = std::move(name);
  e.where = at(1, 1);
  e.nodes = std::move(nodes);
  for (double v : values) e.values.push_back({v, at(1, 20)});
  e.params = std::move(params);
  return e;
}

inline Model model(std::string type, std::vector<Assignment> params) {
  return {"m_" + type, type, std::move(params), at(2, 1), at(2, 10), {}, {}, {}};
}

inline Group group(std::string keyword, std::vector<double> args) {
  Group g{std::move(keyword), {}, at(1, 30)};
  for (std::size_t k = 0; k < args.size(); ++k) g.args.push_back({args[k], at(1, 40 + int(k))});
  return g;
}

struct Sample {
  std::vector<double> f, q, u;
  std::vector<std::vector<double>> G, C;  // dense, [row][col]
};

class Bench {
public:
  // Unknowns 0..nodes-1 are plain nodes; `controls` names branch currents the device
  // may ask for with branch_of (they follow the nodes). Terminals index these unknowns
  // (or ground).
  Bench(std::string_view type, Element e, std::optional<Model> m, std::vector<Unknown> terminals,
        int nodes, double kelvin = 300.15, std::vector<std::string> controls = {})
      : element_(std::move(e)), model_(std::move(m)) {
    for (int k = 0; k < nodes; ++k) {
      const std::string name = "n" + std::to_string(k);
      tables_.unknowns.push_back({name, UnknownKind::Voltage, 0, "V", 0});
      tables_.nodes.emplace(name, k);
    }
    for (const auto& c : controls) {
      tables_.unknowns.push_back({"i(" + c + ")", UnknownKind::Current, 0, "A", 0});
      tables_.branches.emplace(c, static_cast<Unknown>(tables_.unknowns.size() - 1));
    }
    const DeviceType* t = find_device_type(type);
    if (!t) throw std::runtime_error("no device type " + std::string(type));
    const DeviceInput in{element_, model_ ? &*model_ : nullptr, t->positional};
    device_ = t->make(in);
    Setup setup(tables_, *device_, std::move(terminals), kelvin, 1e-12);
    device_->setup(setup);
  }

  Device& device() { return *device_; }
  const Device& device() const { return *device_; }
  std::size_t size() const { return tables_.unknowns.size(); }
  const CircuitTables& tables() const { return tables_; }

  Eval eval(const std::vector<double>& x, Mode mode = Mode::Dc, double time = 0,
            double gmin = 1e-12, Eval::Bypass bypass = {}) const {
    Eval e;
    e.x = x;
    e.mode = mode;
    e.time = time;
    e.gmin = gmin;
    e.bypass = bypass;
    return e;
  }

  Sample load(const std::vector<double>& x, Mode mode = Mode::Dc, double time = 0,
              double gmin = 1e-12, Eval::Bypass bypass = {}) const {
    const std::size_t n = size(), m = tables_.entries.size();
    std::vector<double> f(n), q(n), u(n), g(m), c(m);
    std::vector<int> slot(m);
    for (std::size_t k = 0; k < m; ++k) slot[k] = static_cast<int>(k);
    Load load(f, q, u, g, c, slot);
    device_->load(eval(x, mode, time, gmin, bypass), load);
    load.hold(tables_, eval(x, mode, time, gmin));
    Sample s{f, q, u, std::vector(n, std::vector<double>(n)), std::vector(n, std::vector<double>(n))};
    for (std::size_t k = 0; k < m; ++k) {
      const auto [row, col] = tables_.entries[k];
      s.G[row][col] += g[k];
      s.C[row][col] += c[k];
    }
    return s;
  }

  double quantity(std::string_view name, const std::vector<double>& x, Mode mode = Mode::Dc,
                  double time = 0) const {
    const auto names = device_->quantities();
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) throw std::runtime_error("no quantity " + std::string(name));
    return device_->quantity(static_cast<std::size_t>(it - names.begin()), eval(x, mode, time));
  }

private:
  Element element_;
  std::optional<Model> model_;
  CircuitTables tables_;
  std::unique_ptr<Device> device_;
};

// G against central differences of f and C against central differences of q at x, in
// `mode`: |analytic - numeric| <= rtol * max(|analytic|, |numeric|) + floor, where floor is
// 1e-9 of the largest entry of the matrix (the round-off of the differences) plus 1e-15.
// B is anything with size() and load(x, mode, time, gmin) -> Sample (Bench, or a device
// in a whole Circuit).
template <class B>
void expect_jacobian(const B& b, const std::vector<double>& x, double rtol = 1e-5,
                     double gmin = 1e-12, Mode mode = Mode::Dc, bool check_c = true) {
  const Sample s = b.load(x, mode, 0, gmin);
  const std::size_t n = b.size();
  auto largest = [](const std::vector<std::vector<double>>& m) {
    double big = 0;
    for (const auto& row : m)
      for (double v : row) big = std::max(big, std::abs(v));
    return big;
  };
  const double g_floor = 1e-9 * largest(s.G) + 1e-15, c_floor = 1e-9 * largest(s.C) + 1e-24;
  for (std::size_t j = 0; j < n; ++j) {
    const double h = 1e-6 * std::max(1.0, std::abs(x[j]));
    auto xp = x, xm = x;
    xp[j] += h;
    xm[j] -= h;
    const Sample p = b.load(xp, mode, 0, gmin), m = b.load(xm, mode, 0, gmin);
    for (std::size_t i = 0; i < n; ++i) {
      const double dg = (p.f[i] - m.f[i]) / (2 * h), dc = (p.q[i] - m.q[i]) / (2 * h);
      EXPECT_LE(std::abs(s.G[i][j] - dg), rtol * std::max(std::abs(dg), std::abs(s.G[i][j])) + g_floor)
          << "G[" << i << "][" << j << "] = " << s.G[i][j] << ", finite difference " << dg;
      if (check_c) {
        EXPECT_LE(std::abs(s.C[i][j] - dc), rtol * std::max(std::abs(dc), std::abs(s.C[i][j])) + c_floor)
            << "C[" << i << "][" << j << "] = " << s.C[i][j] << ", finite difference " << dc;
      }
    }
  }
}

// The thermal voltage kT/q with the exact 2019 SI k and q, written out here independently
// of the models (src/circuit/constants.hpp).
inline double vt_at(double kelvin) { return 1.380649e-23 / 1.602176634e-19 * kelvin; }

}  // namespace ns::test
