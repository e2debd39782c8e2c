// The XSPICE code-model base (models/xspice.hpp): ports into unknowns and stamps.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "xspice.hpp"
#include "netlist/connection_shapes.hpp"

namespace ns::xspice {

namespace {
constexpr std::size_t none = static_cast<std::size_t>(-1);

bool allowed(std::string_view list, const std::string& type) {
  std::istringstream in{std::string(list)};
  for (std::string t; in >> t;)
    if (t == type) return true;
  return false;
}

bool plain_node(const XspiceConnection& c) {
  return !c.vector && c.ports.size() == 1 && c.ports[0].type.empty() && c.ports[0].nodes.size() == 1 &&
         !c.ports[0].null;
}

// The card's connections, each matched to its spec. A connection whose default type is a
// pair (vd, id, gd, hd) written as two plain nodes takes both, as ngspice reads it
// ("amen 11 2 memr": the memristor's one %gd port is (11 2)); the netlist reader, which
// does not know the code model, left them two.
std::vector<XspiceConnection> matched(const std::vector<XspiceConnection>& given,
                                      const std::vector<ConnectionSpec>& spec) {
  std::vector<XspiceConnection> out;
  std::size_t next = 0;
  for (std::size_t k = 0; k < spec.size() && next < given.size(); ++k) {
    XspiceConnection c = given[next++];
    const bool pair = spec[k].default_type.size() == 2 && !spec[k].vector;
    if (pair && plain_node(c) && next < given.size() && plain_node(given[next]) &&
        given.size() - next > spec.size() - k - 1)  // only when the card has a node to spare
      c.ports[0].nodes.push_back(given[next++].ports[0].nodes[0]);
    out.push_back(std::move(c));
  }
  out.insert(out.end(), given.begin() + static_cast<std::ptrdiff_t>(next), given.end());
  return out;
}
}  // namespace

CodeModel::CodeModel(const DeviceInput& in, std::vector<ConnectionSpec> spec)
    : Device(in.element.name, in.element.where), spec_(std::move(spec)) {
  const Element& e = in.element;
  const std::string model = in.model ? in.model->type : "?";
  const std::vector<XspiceConnection> connections = matched(e.connections, spec_);
  std::vector<ConnectionShape> shapes;
  for (const auto& c : spec_) shapes.push_back({c.name, c.vector});
  check_connection_shapes(e, model, shapes, connections);
  for (std::size_t k = 0; k < spec_.size(); ++k) {
    const ConnectionSpec& c = spec_[k];
    const XspiceConnection& conn = connections[k];
    std::vector<Port> ports;
    for (const XspicePort& xp : conn.ports) {
      Port p;
      p.where = xp.where;
      p.null = xp.null;
      p.nodes = xp.nodes;
      p.source = xp.source;
      p.type = xp.type.empty() ? std::string(c.default_type) : xp.type;
      if (xp.null)
        throw InputError(xp.where, fmt::format("connection '{}' of '{}' cannot be NULL", c.name, e.name));
      if (!allowed(c.allowed, p.type))
        throw InputError(xp.where, fmt::format("connection '{}' of code model '{}' cannot be '%{}' (allowed: {})",
                                               c.name, model, p.type, c.allowed));
      const bool pair = p.type.size() == 2 && p.type != "vnam";
      if (p.type != "vnam" && p.nodes.size() != (pair ? 2u : 1u))
        throw InputError(xp.where, fmt::format("connection '{}' of '{}' as '%{}' takes {}", c.name, e.name, p.type,
                                               pair ? "two nodes (a b)" : "one node"));
      const bool g = p.type == "g" || p.type == "gd";
      if (c.dir != ConnectionSpec::Dir::Out || g) ++inputs_;
      if (c.dir != ConnectionSpec::Dir::In) ++outputs_;
      ports.push_back(std::move(p));
    }
    connections_.push_back(std::move(ports));
  }
}

std::size_t CodeModel::local(Unknown u) {
  if (u < 0) return none;
  const auto it = std::find(local_.begin(), local_.end(), u);
  if (it != local_.end()) return static_cast<std::size_t>(it - local_.begin());
  local_.push_back(u);
  return local_.size() - 1;
}

Entry CodeModel::at(std::size_t r, std::size_t c) const {
  if (r == none || c == none) return no_entry;
  return grid_[r * local_.size() + c];
}

void CodeModel::setup(Setup& s) {
  int branches = 0;
  auto name = [&](const ConnectionSpec& c, std::size_t j, std::size_t size) {
    ++branches;
    return size > 1 ? fmt::format("{}{}", c.name, j + 1) : std::string(c.name);
  };
  for (std::size_t k = 0; k < spec_.size(); ++k) {
    const ConnectionSpec& c = spec_[k];
    for (std::size_t j = 0; j < connections_[k].size(); ++j) {
      Port& p = connections_[k][j];
      if (p.type == "vnam") {
        p.branch = s.branch_of(p.source, p.where);
        in_cols_.push_back({{local(p.branch), 1.0}});
        continue;
      }
      p.p = s.terminal(p.nodes[0]);
      p.n = p.nodes.size() > 1 ? s.terminal(p.nodes[1]) : ground;
      if (p.type == "h" || p.type == "hd") {
        // Its current (from p through the model to n) is the input, its voltage the output.
        p.branch = s.branch(name(c, j, connections_[k].size()));
        in_cols_.push_back({{local(p.branch), 1.0}});
        outs_.push_back({true, local(p.p), local(p.n), local(p.branch)});
        continue;
      }
      const bool current = p.type == "i" || p.type == "id";
      const bool g = p.type == "g" || p.type == "gd";
      if (c.dir == ConnectionSpec::Dir::In || g) {
        if (current) {
          p.branch = s.branch(name(c, j, connections_[k].size()));
          senses_.push_back({local(p.p), local(p.n), local(p.branch)});
          in_cols_.push_back({{local(p.branch), 1.0}});
        } else {
          in_cols_.emplace_back();
          if (p.p != ground) in_cols_.back().push_back({local(p.p), 1.0});
          if (p.n != ground) in_cols_.back().push_back({local(p.n), -1.0});
        }
      }
      if (c.dir != ConnectionSpec::Dir::In) {
        const bool voltage = p.type == "v" || p.type == "vd";
        if (voltage) p.branch = s.branch(name(c, j, connections_[k].size()));
        outs_.push_back({voltage, local(p.p), local(p.n), voltage ? local(p.branch) : none});
      }
    }
  }
  for (const StateSpec& st : state_specs_) {
    states_.push_back(s.state(st.name, st.abstol, st.rest));
    state_local_.push_back(local(states_.back()));
  }
  // A dense block over the few unknowns the device touches.
  const std::size_t n = local_.size();
  grid_.resize(n * n);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < n; ++c) grid_[r * n + c] = s.entry(local_[r], local_[c]);
  in_.resize(inputs_);
  st_.resize(states_.size());
  zeros_.assign(states_.size() + 1, 0.0);
  (void)branches;
}

void CodeModel::topology(Topology& t) const {
  // Whether a voltage input reads the pair (a, b), in either order.
  auto sensed = [&](Unknown a, Unknown b) {
    for (std::size_t k = 0; k < spec_.size(); ++k)
      if (spec_[k].dir == ConnectionSpec::Dir::In)
        for (const Port& q : connections_[k])
          if ((q.type == "v" || q.type == "vd") && ((q.p == a && q.n == b) || (q.p == b && q.n == a))) return true;
    return false;
  };
  for (std::size_t k = 0; k < spec_.size(); ++k)
    for (const Port& p : connections_[k]) {
      if (p.type == "vnam") continue;
      const bool voltage = p.type == "v" || p.type == "vd";
      const bool current = p.type == "i" || p.type == "id";
      const bool g = p.type == "g" || p.type == "gd";
      const bool h = p.type == "h" || p.type == "hd";
      if (g) t.conducts(p.p, p.n);
      else if (h) t.voltage_defined(p.p, p.n);  // a voltage set by its current: an inductor's or a source's
      else if (spec_[k].dir == ConnectionSpec::Dir::In ? current : voltage) t.voltage_defined(p.p, p.n);
      // A current output that its own pair's voltage controls is a (nonlinear) conductance
      // there: a table model of a transistor, %vd(d s) in and %id(d s) out.
      else if (spec_[k].dir != ConnectionSpec::Dir::In && current && sensed(p.p, p.n)) t.conducts(p.p, p.n);
    }
}

void CodeModel::initial_condition(std::span<double> x) const {
  for (std::size_t k = 0; k < states_.size(); ++k) x[static_cast<std::size_t>(states_[k])] = state_specs_[k].rest;
}

double CodeModel::input(const Eval& e, std::size_t k) const {
  double v = 0;
  for (const auto& [u, coef] : in_cols_.at(k)) v += coef * e.v(local_[u]);
  return v;
}

void CodeModel::load(const Eval& e, Load& l) const {
  const std::size_t ni = inputs_, no = outputs_, ns = states_.size();
  for (std::size_t k = 0; k < ni; ++k) {
    double v = 0;
    for (const auto& [u, coef] : in_cols_[k]) v += coef * e.v(local_[u]);
    in_[k] = v;
  }
  for (std::size_t k = 0; k < ns; ++k) st_[k] = e.v(states_[k]);
  Work& w = work_;
  auto zero = [](std::vector<double>& v, std::size_t n) { v.assign(n, 0.0); };
  zero(w.y, no), zero(w.dy_din, no * ni), zero(w.dy_dst, no * ns), zero(w.yq, no), zero(w.dyq_din, no * ni);
  zero(w.f, ns), zero(w.q, ns), zero(w.df_din, ns * ni), zero(w.df_dst, ns * ns), zero(w.dq_din, ns * ni),
      zero(w.dq_dst, ns * ns);
  compute(e, in_, st_, w);

  auto u = [&](std::size_t loc) { return loc == none ? ground : local_[loc]; };
  // Row r's dependence on the inputs and states, scaled by sign, into G (or C).
  auto stamp = [&](std::size_t row, double sign, const double* by_in, const double* by_st, bool reactive) {
    for (std::size_t k = 0; k < ni; ++k)
      for (const auto& [c, coef] : in_cols_[k]) reactive ? l.C(at(row, c), sign * by_in[k] * coef) : l.G(at(row, c), sign * by_in[k] * coef);
    for (std::size_t k = 0; k < ns; ++k)
      reactive ? l.C(at(row, state_local_[k]), sign * by_st[k]) : l.G(at(row, state_local_[k]), sign * by_st[k]);
  };
  for (const Sense& s : senses_) {
    const double i = e.v(local_[s.branch]);
    l.f(u(s.p), i), l.f(u(s.n), -i);
    l.f(local_[s.branch], e.v(u(s.p)) - e.v(u(s.n)));
    l.G(at(s.p, s.branch), 1), l.G(at(s.n, s.branch), -1), l.G(at(s.branch, s.p), 1), l.G(at(s.branch, s.n), -1);
  }
  for (std::size_t o = 0; o < no; ++o) {
    const Output& out = outs_[o];
    const double* by_in = w.dy_din.data() + o * ni;
    const double* by_st = w.dy_dst.data() + o * ns;
    if (out.voltage) {
      const double i = e.v(local_[out.branch]);
      l.f(u(out.p), i), l.f(u(out.n), -i);
      l.f(local_[out.branch], e.v(u(out.p)) - e.v(u(out.n)) - w.y[o]);
      l.G(at(out.p, out.branch), 1), l.G(at(out.n, out.branch), -1);
      l.G(at(out.branch, out.p), 1), l.G(at(out.branch, out.n), -1);
      stamp(out.branch, -1, by_in, by_st, false);
      if (charged_) l.q(local_[out.branch], -w.yq[o]), stamp(out.branch, -1, w.dyq_din.data() + o * ni, zeros_.data(), true);
    } else {
      l.f(u(out.p), w.y[o]), l.f(u(out.n), -w.y[o]);
      stamp(out.p, 1, by_in, by_st, false);
      stamp(out.n, -1, by_in, by_st, false);
      if (charged_) {
        l.q(u(out.p), w.yq[o]), l.q(u(out.n), -w.yq[o]);
        stamp(out.p, 1, w.dyq_din.data() + o * ni, zeros_.data(), true);
        stamp(out.n, -1, w.dyq_din.data() + o * ni, zeros_.data(), true);
      }
    }
  }
  for (std::size_t k = 0; k < ns; ++k) {
    const std::size_t row = state_local_[k];
    if (held(k, e)) {
      l.f(states_[k], e.v(states_[k]) - state_specs_[k].rest);
      l.G(at(row, row), 1);
      continue;
    }
    l.f(states_[k], w.f[k]);
    l.q(states_[k], w.q[k]);
    stamp(row, 1, w.df_din.data() + k * ni, w.df_dst.data() + k * ns, false);
    stamp(row, 1, w.dq_din.data() + k * ni, w.dq_dst.data() + k * ns, true);
  }
}

std::vector<double> vector_param(const DeviceInput& in, std::string_view name, std::vector<double> fallback) {
  if (!in.model) return fallback;
  for (const Model::Array& a : in.model->arrays)
    if (a.name == name) {
      std::vector<double> v;
      for (const Number& n : a.values) v.push_back(n.value);
      return v;
    }
  for (const Assignment& a : in.model->params)
    if (a.name == name) return {a.value};
  return fallback;
}

void check_vectors(const DeviceInput& in, std::span<const ParamInfo> table,
                   std::initializer_list<std::string_view> vectors) {
  if (!in.model) return;
  for (const Model::Array& a : in.model->arrays)
    if (std::find(vectors.begin(), vectors.end(), a.name) == vectors.end()) {
      const bool scalar = std::any_of(table.begin(), table.end(), [&](const ParamInfo& p) { return p.name == a.name; });
      std::vector<ParamInfo> all(table.begin(), table.end());
      for (auto v : vectors) all.push_back({v, "", "", 0, 0.0, 0.0, Scope::Model});
      if (!scalar && detail::ignore_model_param(all, a.name, a.where, in.model->name, in.warnings)) continue;
      throw InputError(a.where, fmt::format("'{}' is not a vector parameter of code model '{}'{}", a.name,
                                            in.model->type,
                                            vectors.size() ? fmt::format(" (vectors: {})", fmt::join(vectors, " ")) : ""));
    }
}

std::string string_param(const DeviceInput& in, std::string_view name, std::string fallback) {
  if (in.model)
    for (const auto& [key, value] : in.model->strings)
      if (key == name) return value;
  return fallback;
}

std::filesystem::path data_file_path(const DeviceInput& in, std::string_view name, std::string fallback) {
  const Location& where = in.model ? in.model->where : in.element.where;
  std::filesystem::path path(string_param(in, name, std::move(fallback)));
  if (!path.empty() && path.is_relative() && where.file) path = std::filesystem::path(*where.file).parent_path() / path;
  return path;
}

DataFile read_data_file(const DeviceInput& in, std::string_view name, std::string fallback) {
  const Location& where = in.model ? in.model->where : in.element.where;
  const std::filesystem::path path = data_file_path(in, name, std::move(fallback));
  DataFile out{path.string(), {}};
  std::ifstream file(path);
  if (!file)
    throw InputError(where, fmt::format("code model '{}' cannot open its {} '{}'", in.model ? in.model->type : "?",
                                        name, out.path));
  std::string text;
  for (int line = 1; std::getline(file, text); ++line) {
    const std::size_t start = text.find_first_not_of(" \t\r");
    if (start == std::string::npos || text[start] == '*') continue;
    text = text.substr(0, text.find_first_of("#;"));
    std::istringstream words(text);
    DataLine row{line, {}};
    for (std::string w; words >> w;) {
      char* end = nullptr;
      const double v = std::strtod(w.c_str(), &end);
      if (end == w.c_str() || *end != '\0')
        throw InputError(where, fmt::format("{}:{}: '{}' is not a number", out.path, line, w));
      row.values.push_back(v);
    }
    if (!row.values.empty()) out.lines.push_back(std::move(row));
  }
  return out;
}

double smooth_corner(double x, double xc, double yc, double d, double s1, double s2, double& dy) {
  if (x <= xc - d) return dy = s1, yc + s1 * (x - xc);
  if (x >= xc + d) return dy = s2, yc + s2 * (x - xc);
  const double t = x - xc + d;
  dy = s1 + (s2 - s1) * t / (2 * d);
  return yc + s1 * (x - xc) + (s2 - s1) * t * t / (4 * d);
}

double pwl_extended(const std::vector<double>& xs, const std::vector<double>& ys, double x, double& dy) {
  dy = 0;
  if (xs.size() == 1) return ys[0];
  std::size_t k = 0;
  while (k + 2 < xs.size() && x > xs[k + 1]) ++k;
  dy = (ys[k + 1] - ys[k]) / (xs[k + 1] - xs[k]);
  return ys[k] + dy * (x - xs[k]);
}

void read_pwl_arrays(const DeviceInput& in, std::string_view xname, std::string_view yname, std::vector<double>& xs,
                     std::vector<double>& ys) {
  xs = vector_param(in, xname, {});
  ys = vector_param(in, yname, {});
  const Location& where = in.model ? in.model->where : in.element.where;
  const std::string type = in.model ? in.model->type : "code model";
  if (xs.empty() || xs.size() != ys.size())
    throw InputError(where, fmt::format("{} needs {} and {} of equal length (has {} and {})", type, xname, yname,
                                        xs.size(), ys.size()));
  for (std::size_t k = 1; k < xs.size(); ++k)
    if (!(xs[k] > xs[k - 1])) throw InputError(where, fmt::format("{}'s {} must increase", type, xname));
}

double smooth_limit(double u, double lo, double hi, double d, double& dy) {
  // Half-widths shrink when the limits are closer than 2d, so the corners do not overlap.
  d = std::min(d, (hi - lo) / 2);
  if (d <= 0) {
    dy = u > lo && u < hi ? 1 : 0;
    return std::clamp(u, lo, hi);
  }
  if (u < (lo + hi) / 2) return smooth_corner(u, lo, lo, d, 0, 1, dy);
  return smooth_corner(u, hi, hi, d, 1, 0, dy);
}

}  // namespace ns::xspice
