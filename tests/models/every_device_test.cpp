// Every registered device type, built from the example its registration declares, in a
// real Circuit (each node given a 1 MOhm path to ground so that the circuit builds, and a
// guard resistor on a node of its own set up first, so that Entry 0, where an entry left
// at a default of 0 would land, belongs to no device under test):
//
// (a) its analytic G and C against finite differences of f and q (harness.hpp's
//     tolerances) at random operating points, in each mode (Dc, TranOp, Tran: held
//     states included);
// (b) for each pair of its terminals shorted (the second terminal's node replaced by the
//     first's): either the circuit is refused with an error located on the element's
//     card (a voltage-defined branch across one node), or the device's contributions are
//     exactly those of the unshorted device at equal voltages, rows and columns of the two
//     nodes added. A device that wrote into an entry it never declared (another device's
//     slot, as nbox once did) breaks that sum. Where the pair is the device's port (its
//     current enters one terminal and leaves by the other), the merged node also gets no
//     current, charge or source from it, and, without internal nodes, no G or C either.
//
// A type without a row in `expected` below is taken at its topology's word: a pair it
// declares voltage-defined must be refused, and a two-terminal type's pair otherwise is
// its port. So a new two-terminal model needs no line here; a multi-terminal one adds a
// row for its ports.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "harness.hpp"
#include "netlist/frontend.hpp"

namespace ns::test {
namespace {

using Pair = std::pair<std::size_t, std::size_t>;  // terminal indices, first < second

struct ShortedBehaviour {
  std::set<Pair> refused;  // a loop of voltage-defined branches: the circuit is refused
  std::set<Pair> ports;    // the pair the device's current flows through
};

// Per type, what shorting each pair of terminals does. Pairs in neither set: only the
// merge rule of (b). The two-terminal rows say what the topology rule would, on purpose.
const std::map<std::string_view, ShortedBehaviour> expected = {
    {"r", {{}, {{0, 1}}}},
    {"c", {{}, {{0, 1}}}},
    {"l", {{{0, 1}}, {}}},         // a short at DC across one node: a voltage loop
    {"v", {{{0, 1}}, {}}},
    {"i", {{}, {{0, 1}}}},
    {"e", {{{0, 1}}, {}}},         // its output is voltage-defined; control pairs are fine
    {"f", {{}, {{0, 1}}}},
    {"g", {{}, {{0, 1}}}},
    {"h", {{{0, 1}}, {}}},
    {"d", {{}, {{0, 1}}}},
    {"nmos", {}},                  // four terminals: bulk diodes and channel stay
    {"pmos", {}},
    {"nbox", {{}, {{0, 1}}}},
    {"hfox", {{}, {{0, 1}}}},
    {"hfox1t1r", {}},
    {"mtj", {{}, {{0, 1}}}},
    {"stno", {{}, {{0, 1}}}},
    {"sw", {{}, {{0, 1}}}},        // the switch; its control pair draws no current
    {"t", {{}, {{0, 1}, {2, 3}}}},  // a transmission line's two ports
    // XSPICE code models: an input draws no current, an output is a source to ground; two
    // terminals are no port.
    {"gain", {}}, {"limit", {}}, {"pwl", {}}, {"int", {}}, {"d_dt", {}}, {"s_xfer", {}},
    {"sine", {}}, {"triangle", {}}, {"astate", {}}, {"hyst", {}}, {"square", {}}, {"cmeter", {}}, {"lmeter", {}}, {"slew", {}},
    {"filesource", {{{0, 1}}, {}}},  // two voltage outputs to ground: shorted, a loop
};

// The data files the code models' examples read (filesource, table2D, table3D), written
// beside the example deck.
const std::map<std::string_view, std::pair<std::string, std::string>> example_files = {
    {"filesource", {"example-wave.txt", "* time a b\n0 0 1\n1e-6 1 0.5\n3e-6 -1 2\n"}},
    {"d_source", {"example-digital.txt", "* time a b\n0 0s 1s\n1n 1s Uz\n2n 0r 1s\n"}},
    {"d_state", {"example-state.txt", "* state out in -> next\n0 0s 0 -> 1\n1 1z x -> 0\n"}},
    {"table2d", {"example-2d.table", "3\n3\n-10 0 10\n-10 0 10\n1 2 3\n4 -5 6\n7 8 9\n"}},
    {"table3d", {"example-3d.table", "2\n3\n2\n-10 10\n-10 0 10\n-10 10\n1 2\n3 -4\n5 6\n7 8\n-9 10\n11 12\n"}},
};

constexpr std::size_t dut = 1;  // the device under test's index in the netlist, after the guard

Element resistor(std::string name, std::string node, const Location& where) {
  Element r;
  r.kind = 'r';
  r.name = std::move(name);
  r.where = where;
  r.nodes = {std::move(node), "0"};
  r.node_where = {where, where};
  r.values = {{1e6, where}};
  return r;
}

// The example's netlist after the guard, with a ground resistor on every node.
Netlist example_netlist(const DeviceType& type) {
  struct Folder {  // removed with the test program
    std::filesystem::path path = std::filesystem::temp_directory_path() / ("every_device_" + std::to_string(::getpid()));
    Folder() {
      std::filesystem::create_directories(path);
      for (const auto& [type, file] : example_files) std::ofstream(path / file.first) << file.second;
    }
    ~Folder() { std::filesystem::remove_all(path); }
  };
  static const Folder folder;
  const std::filesystem::path& dir = folder.path;
  const auto deck = read_deck_text("* " + std::string(type.type) + "\n" + std::string(type.example) + ".end\n",
                                   (dir / "example.cir").string());
  Netlist netlist = elaborate(*deck);
  std::set<std::string> nodes;
  for (const Element& e : netlist.elements)
    for (const std::string& n : e.nodes)
      if (!is_ground(n)) nodes.insert(n);
  const Location where = netlist.elements.at(0).where;
  for (const std::string& n : nodes) netlist.elements.push_back(resistor("rground_" + n, n, where));
  netlist.elements.insert(netlist.elements.begin(), resistor("rguard", "guard", where));
  return netlist;
}

// The example's first element (after the guard), loaded alone (the ground resistors are not), on the
// dense matrices of harness.hpp's Sample.
class InCircuit {
public:
  explicit InCircuit(const Netlist& netlist) : circuit_(netlist) {
    device_ = circuit_.find_device(netlist.elements.at(dut).name);
    if (!device_) throw std::runtime_error("device under test not found");
  }

  std::size_t size() const { return circuit_.size(); }
  const Circuit& circuit() const { return circuit_; }
  const Device& device() const { return *device_; }

  Sample load(const std::vector<double>& x, Mode mode = Mode::Dc, double time = 0,
              double gmin = 1e-12) const {
    const auto& entries = circuit_.tables().entries;
    const std::size_t n = size(), m = entries.size();
    std::vector<double> f(n), q(n), u(n), g(m), c(m);
    std::vector<int> slot(m);
    for (std::size_t k = 0; k < m; ++k) slot[k] = static_cast<int>(k);
    Load load(f, q, u, g, c, slot);
    const Eval eval{x, mode, time, gmin};
    device_->load(eval, load);
    load.hold(circuit_.tables(), eval);
    Sample s{f, q, u, std::vector(n, std::vector<double>(n)), std::vector(n, std::vector<double>(n))};
    for (std::size_t k = 0; k < m; ++k) {
      const auto [row, col] = entries[k];
      s.G[row][col] += g[k];
      s.C[row][col] += c[k];
    }
    return s;
  }

private:
  Circuit circuit_;
  const Device* device_ = nullptr;
};

// A random, non-trivial point: node voltages within +-0.6 V (a forward diode stays well
// inside exp's range), branch currents within +-1 mA, states around their rest value.
std::vector<double> random_point(const Circuit& c, std::mt19937& rng) {
  std::uniform_real_distribution<double> unit(-1, 1);
  std::vector<double> x;
  for (const UnknownInfo& u : c.tables().unknowns) {
    switch (u.kind) {
      case UnknownKind::Voltage: x.push_back(0.6 * unit(rng)); break;
      case UnknownKind::Current: x.push_back(1e-3 * unit(rng)); break;
      case UnknownKind::State: x.push_back(u.rest + 0.3 * std::max(std::abs(u.rest), 1.0) * unit(rng)); break;
    }
  }
  return x;
}

constexpr Mode modes[] = {Mode::Dc, Mode::TranOp, Mode::Tran};

// The terminal pairs a device declares voltage-defined (Topology), as terminal indices.
class VoltagePairs : public Topology {
public:
  explicit VoltagePairs(std::vector<Unknown> terminals) : terminals_(std::move(terminals)) {}
  void conducts(Unknown, Unknown) override {}
  void voltage_defined(Unknown a, Unknown b) override {
    const auto i = index(a), j = index(b);
    if (i < terminals_.size() && j < terminals_.size()) pairs.insert({std::min(i, j), std::max(i, j)});
  }
  std::set<Pair> pairs;

private:
  std::size_t index(Unknown u) const {
    return static_cast<std::size_t>(std::find(terminals_.begin(), terminals_.end(), u) - terminals_.begin());
  }
  std::vector<Unknown> terminals_;
};

ShortedBehaviour behaviour_of(const DeviceType& type, const Netlist& netlist, const InCircuit& bench) {
  if (const auto it = expected.find(type.type); it != expected.end()) return it->second;
  std::vector<Unknown> terminals;
  for (const std::string& n : netlist.elements.at(dut).nodes) terminals.push_back(bench.circuit().node(n, {}));
  VoltagePairs topology(terminals);
  bench.device().topology(topology);
  ShortedBehaviour b{topology.pairs, {}};
  if (type.terminals.size() == 2 && b.refused.empty()) b.ports.insert({0, 1});
  return b;
}

TEST(EveryDevice, HasAnExampleAndItsShortedBehaviour) {
  ASSERT_GE(device_types().size(), 17u);
  for (const DeviceType* t : device_types()) {
    SCOPED_TRACE(std::string(t->type));
    EXPECT_FALSE(t->example.empty());
    const Netlist netlist = example_netlist(*t);
    const InCircuit bench(netlist);
    EXPECT_EQ(bench.circuit().device_type(dut), t->type);
    // the rule agrees with the rows (an XSPICE code model's two terminals are not an element's)
    if (t->terminals.size() == 2 && expected.count(t->type) && t->element != 'a') {
      std::vector<Unknown> terminals;
      for (const std::string& n : netlist.elements.at(dut).nodes) terminals.push_back(bench.circuit().node(n, {}));
      VoltagePairs topology(terminals);
      bench.device().topology(topology);
      const auto& row = expected.at(t->type);
      EXPECT_EQ(row.refused, topology.pairs);
      EXPECT_EQ(row.ports.size(), topology.pairs.empty() ? 1u : 0u);
    }
    // Every declared state is claimed, and every claimed state is declared (Setup::state).
    std::size_t states = 0;
    for (const UnknownInfo& u : bench.circuit().tables().unknowns) states += u.kind == UnknownKind::State;
    EXPECT_EQ(states, t->states().size());
    EXPECT_EQ(bench.device().quantities().size(), t->probes().size());
  }
}

TEST(EveryDevice, JacobianAgainstFiniteDifferences) {
  for (const DeviceType* t : device_types()) {
    // Each type's own points, from its name: a new type does not move every later one's.
    std::mt19937 rng(2024 + static_cast<unsigned>(std::hash<std::string_view>{}(t->type)));
    const InCircuit bench(example_netlist(*t));
    for (Mode mode : modes)
      for (int k = 0; k < 5; ++k) {
        const std::vector<double> x = random_point(bench.circuit(), rng);
        SCOPED_TRACE(::testing::Message() << t->type << " mode " << static_cast<int>(mode) << " point " << k);
        // Meyer's gate capacitances (MOSFET levels 2 and 3) are no charge's derivatives:
        // their C has no q to be checked against; G still is.
        const bool meyer = t->type == "nmf" || t->type == "pmf" || t->type == "nmos level=2" || t->type == "pmos level=2" ||
                           t->type == "nmos level=3" || t->type == "pmos level=3";
        expect_jacobian(bench, x, 1e-5, 1e-12, mode, !meyer);
      }
  }
}

// The Gummel-Poon base resistance with IRB at small base currents (20 to 300 nA here,
// crowding factor z of 0.01 to 0.035), where tan z - z cancels: rbb's rounding once left
// a finite difference of irb 1e-3 off its derivative, found only by some hundred random points.
TEST(EveryDevice, BjtBaseResistanceAtSmallBaseCurrent) {
  const DeviceType* npn = nullptr;
  for (const DeviceType* t : device_types())
    if (t->type == "npn") npn = t;
  ASSERT_NE(npn, nullptr);
  const InCircuit bench(example_netlist(*npn));
  std::map<std::string, std::size_t> at;
  for (std::size_t k = 0; k < bench.size(); ++k) at[bench.circuit().tables().unknowns[k].name] = k;
  for (double vbe : {0.44, 0.46, 0.48, 0.50, 0.53})
    for (double vrb : {-0.7, 0.5}) {
      std::vector<double> x(bench.size());
      x[at.at("q1#b")] = vbe;
      x[at.at("b")] = vbe + vrb;
      x[at.at("c")] = x[at.at("q1#c")] = 1.0;  // base-collector reverse biased
      SCOPED_TRACE(::testing::Message() << "vbe " << vbe << " vrb " << vrb);
      const double ib = bench.device().quantity(1, Eval{x, Mode::Dc, 0, 1e-12});
      EXPECT_GT(ib, 1e-8);
      EXPECT_LT(ib, 1e-6);
      for (Mode mode : modes) expect_jacobian(bench, x, 1e-5, 1e-12, mode);
    }
}

// A device that declares its charges constant (Device::constant_charges: the transient
// stamps its C once and never loads it again) has the same C at random points and times
// of a transient, and q = C x there: a C that moved, or a charge with an offset, would be
// lost silently.
TEST(EveryDevice, ConstantChargesAreConstant) {
  std::mt19937 rng(11);
  int claimed = 0;
  for (const DeviceType* t : device_types()) {
    const InCircuit bench(example_netlist(*t));
    if (!bench.device().constant_charges()) continue;
    ++claimed;
    SCOPED_TRACE(std::string(t->type));
    const std::size_t n = bench.size();
    const Sample first = bench.load(random_point(bench.circuit(), rng), Mode::Tran, 1e-9);
    for (int k = 0; k < 5; ++k) {
      const std::vector<double> x = random_point(bench.circuit(), rng);
      const Sample s = bench.load(x, Mode::Tran, 1e-9 * (k + 2));
      for (std::size_t i = 0; i < n; ++i) {
        double cx = 0, size = 0;
        for (std::size_t j = 0; j < n; ++j) {
          EXPECT_EQ(s.C[i][j], first.C[i][j]) << "C[" << i << "][" << j << "]";
          cx += s.C[i][j] * x[j];
          size += std::abs(s.C[i][j] * x[j]);
        }
        EXPECT_NEAR(s.q[i], cx, 1e-12 * size + 1e-30) << "q[" << i << "]";
      }
    }
  }
  EXPECT_GE(claimed, 1);  // the NbOx device
}

// `netlist` with the device under test's terminal j on terminal i's node.
Netlist shorted(Netlist netlist, Pair p) {
  Element& e = netlist.elements.at(dut);
  e.nodes[p.second] = e.nodes[p.first];
  return netlist;
}

TEST(EveryDevice, ShortedTerminals) {
  std::mt19937 rng(7);
  for (const DeviceType* t : device_types()) {
    const Netlist original = example_netlist(*t);
    const InCircuit whole(original);
    // A digital code model's digital node is held at its level by one row, not a sum of
    // currents: two such nodes shorted are one digital node, another digital circuit
    // (tests/sim/digital_test.cpp), and the merge rule below does not apply.
    if (whole.device().event_driven()) continue;
    const ShortedBehaviour behaviour = behaviour_of(*t, original, whole);
    const std::size_t terminals = original.elements[dut].nodes.size();  // optional ones may be left out
    for (std::size_t i = 0; i < terminals; ++i)
      for (std::size_t j = i + 1; j < terminals; ++j) {
        // A vector port (filesource's %v([a b])) has more nodes than the type names terminals.
        auto name = [&](std::size_t k) {
          return k < t->terminals.size() ? std::string(t->terminals[k]) : "#" + std::to_string(k);
        };
        SCOPED_TRACE(::testing::Message() << t->type << " terminals " << name(i) << " and " << name(j) << " shorted");
        const Netlist netlist = shorted(original, {i, j});
        if (behaviour.refused.count({i, j})) {
          try {
            const Circuit refused(netlist);
            ADD_FAILURE() << "the circuit was built";
          } catch (const InputError& e) {
            EXPECT_EQ(e.where().line, netlist.elements[dut].where.line) << e.what();
          }
          continue;
        }
        const InCircuit loop(netlist);
        // Unknowns of the whole circuit by name, the second node's under the first's.
        const auto& named = loop.circuit().tables();
        const std::string& from = original.elements[dut].nodes[j];
        const std::string& to = original.elements[dut].nodes[i];
        std::vector<std::size_t> map;
        for (const UnknownInfo& u : whole.circuit().tables().unknowns) {
          const std::string name = u.name == from ? to : u.name;
          std::size_t k = 0;
          while (k < named.unknowns.size() && named.unknowns[k].name != name) ++k;
          ASSERT_LT(k, named.unknowns.size()) << u.name;
          map.push_back(k);
        }
        const Unknown merged = loop.circuit().node(to, {});
        bool internal = false;
        for (const UnknownInfo& u : named.unknowns) internal = internal || u.name.find('#') != std::string::npos;
        for (Mode mode : modes)
          for (int k = 0; k < 3; ++k) {
            std::vector<double> y = random_point(loop.circuit(), rng);
            if (behaviour.ports.count({i, j}))  // internal nodes at the merged node's voltage
              for (std::size_t u = 0; u < y.size(); ++u)
                if (named.unknowns[u].name.find('#') != std::string::npos) y[u] = y[merged];
            std::vector<double> x(map.size());
            for (std::size_t u = 0; u < map.size(); ++u) x[u] = y[map[u]];
            const Sample got = loop.load(y, mode), apart = whole.load(x, mode);
            const std::size_t n = y.size();
            Sample sum{std::vector<double>(n), std::vector<double>(n), std::vector<double>(n),
                       std::vector(n, std::vector<double>(n)), std::vector(n, std::vector<double>(n))};
            double big = 0;
            for (std::size_t r = 0; r < map.size(); ++r) {
              sum.f[map[r]] += apart.f[r];
              sum.q[map[r]] += apart.q[r];
              sum.u[map[r]] += apart.u[r];
              for (std::size_t c = 0; c < map.size(); ++c) {
                sum.G[map[r]][map[c]] += apart.G[r][c];
                sum.C[map[r]][map[c]] += apart.C[r][c];
                big = std::max({big, std::abs(apart.G[r][c]), std::abs(apart.C[r][c])});
              }
              big = std::max({big, std::abs(apart.f[r]), std::abs(apart.q[r]), std::abs(apart.u[r])});
            }
            const double tol = 1e-12 * big;
            for (std::size_t r = 0; r < n; ++r) {
              EXPECT_NEAR(got.f[r], sum.f[r], tol) << "f at " << named.unknowns[r].name;
              EXPECT_NEAR(got.q[r], sum.q[r], tol) << "q at " << named.unknowns[r].name;
              EXPECT_NEAR(got.u[r], sum.u[r], tol) << "u at " << named.unknowns[r].name;
              for (std::size_t c = 0; c < n; ++c) {
                EXPECT_NEAR(got.G[r][c], sum.G[r][c], tol) << "G at " << r << ", " << c;
                EXPECT_NEAR(got.C[r][c], sum.C[r][c], tol) << "C at " << r << ", " << c;
              }
            }
            if (!behaviour.ports.count({i, j})) continue;
            const auto m = static_cast<std::size_t>(merged);
            EXPECT_NEAR(got.f[m], 0, tol);
            EXPECT_NEAR(got.q[m], 0, tol);
            EXPECT_NEAR(got.u[m], 0, tol);
            if (internal) continue;
            for (std::size_t c = 0; c < n; ++c) {
              EXPECT_NEAR(got.G[m][c], 0, tol) << "G row, column " << c;
              EXPECT_NEAR(got.C[m][c], 0, tol) << "C row, column " << c;
              EXPECT_NEAR(got.G[c][m], 0, tol) << "G column, row " << c;
              EXPECT_NEAR(got.C[c][m], 0, tol) << "C column, row " << c;
            }
          }
      }
  }
}

}  // namespace
}  // namespace ns::test
