// PSpice's LOGICEXP and PINDLY digital primitives as code models on the event-driven
// network (src/digital/); netlist/udevices.cpp rewrites the U cards into them, with the
// expressions as strings (src/digital/pspice_logic.hpp).
//
// d_logicexp: `pins` names the inputs, then the outputs; `logic` is a list of
// `name=expression;` run in order, each name an output or an internal net, read by the
// expressions after it. The expressions take no time (PSpice's zero-delay logic); an
// output's change is posted rise_delay (to 1) or fall_delay (to 0) later, the delays of
// the primitive's ugate timing model.
//
// d_pindly: `pins` names the inputs, the enables, the references (counts `paths`,
// `enables`), then the outputs. Output j follows input j; `boolean` is a list of
// `name=expression;` (evaluated, in order, whenever an output changes), `delay` a list of
// `output=case(condition, delay(min,typ,max), ..., delay(min,typ,max))` (or a lone
// delay(...)): the delay of the first condition that is 1, else the last; each the
// typical value, else the mean of min and max, else the one given (-1: not given).
// `tristate` lists `enable hi|lo output...;`: those outputs are hi-impedance while their
// enable is inactive, undetermined while it is U. Conditions read the transition of the
// output (trn_lh...), the pins (s1=='1) and their changes (changed_lh(cp,0): at this
// instant; changed(x,5n): within 5 ns before).
#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <limits>
#include <sstream>

#include <fmt/format.h>

#include "digital/model.hpp"
#include "digital/pspice_logic.hpp"
#include "expr/expression.hpp"
#include "xspice.hpp"

namespace ns::digital {
namespace {

using Dir = PortSpec::Dir;
namespace ps = pspice;

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// `a=b;c=d;` as pairs, the sides trimmed.
std::vector<std::pair<std::string, std::string>> statements(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  auto trim = [](std::string s) {
    const auto a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
  };
  while (start < text.size()) {
    auto end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    const std::string s = text.substr(start, end - start);
    start = end + 1;
    if (trim(s).empty()) continue;
    // the first '=' not part of '==' or '!='
    std::size_t eq = 0;
    for (eq = s.find('='); eq != std::string::npos; eq = s.find('=', eq + 2))
      if (!(eq + 1 < s.size() && s[eq + 1] == '=') && !(eq > 0 && s[eq - 1] == '!')) break;
    out.emplace_back(trim(s.substr(0, eq == std::string::npos ? 0 : eq)),
                     eq == std::string::npos ? trim(s) : trim(s.substr(eq + 1)));
  }
  return out;
}

struct Names : ps::Context {
  std::vector<std::string> names;
  std::vector<Level> levels;
  int find(std::string_view n) const {
    const auto it = std::find(names.begin(), names.end(), n);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
  }
  int add(const std::string& n) {
    names.push_back(n);
    levels.push_back(Level::Unknown);
    return static_cast<int>(names.size() - 1);
  }
  Level level(int k) const override { return levels[static_cast<std::size_t>(k)]; }
};

ps::Expr compile(const std::string& text, const Names& names, bool functions, const std::string& what,
                 const Location& where) {
  try {
    return ps::parse(text, [&](std::string_view n) { return names.find(n); }, functions);
  } catch (const ps::SyntaxError& e) {
    throw InputError(where, fmt::format("{}: {} at column {} of '{}'", what, e.what(), e.offset + 1, text));
  }
}

struct LogicP {
  double rise_delay, fall_delay;
};
constexpr Param<LogicP> logic_params[] = {
    {"rise_delay", &LogicP::rise_delay, 1e-12, above(0), inf, "s", "delay of an output change to 1"},
    {"fall_delay", &LogicP::fall_delay, 1e-12, above(0), inf, "s", "delay of an output change to 0"},
};

class LogicExp final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() { return {{"in", Dir::In, true}, {"out", Dir::Out, true, false, true}}; }
  explicit LogicExp(const DeviceInput& in) : DigitalModel(in, spec()), p_(xspice::code_params(logic_params, in, {})) {
    const Location& where = in.model ? in.model->where : in.element.where;
    const auto pins = words(xspice::string_param(in, "pins", ""));
    if (pins.size() != ports(0) + ports(1))
      throw InputError(where, fmt::format("'{}': pins names {} nodes for {} inputs and {} outputs", name(), pins.size(),
                                          ports(0), ports(1)));
    for (std::size_t j = 0; j < ports(0); ++j) names_.add(pins[j]);
    for (const auto& [target, text] : statements(xspice::string_param(in, "logic", ""))) {
      if (target.empty() || words(target).size() != 1)
        throw InputError(where, fmt::format("'{}': '{}' is no 'name = expression'", name(), text));
      const ps::Expr e = compile(text, names_, false, fmt::format("'{}' logic of '{}'", name(), target), where);
      const int k = names_.find(target);
      if (k >= 0 && static_cast<std::size_t>(k) < ports(0))
        throw InputError(where, fmt::format("'{}': the input '{}' is assigned", name(), target));
      steps_.push_back({k >= 0 ? k : names_.add(target), e});
    }
    for (std::size_t j = 0; j < ports(1); ++j) {
      const int k = names_.find(pins[ports(0) + j]);
      if (k < 0 || static_cast<std::size_t>(k) < ports(0))
        throw InputError(where, fmt::format("'{}': no logic assigns the output '{}'", name(), pins[ports(0) + j]));
      outputs_.push_back(k);
    }
  }

  void evaluate(Network&, double, bool) override {
    for (std::size_t j = 0; j < ports(0); ++j) names_.levels[j] = in(0, j);
    for (const Step& s : steps_) names_.levels[static_cast<std::size_t>(s.target)] = ps::eval(s.expr, names_);
    for (std::size_t j = 0; j < ports(1); ++j) {
      const Level y = names_.levels[static_cast<std::size_t>(outputs_[j])];
      out(1, j, y, edge_delay(posted(1, j), y, p_.rise_delay, p_.fall_delay));
    }
  }

private:
  struct Step {
    int target;
    ps::Expr expr;
  };
  LogicP p_;
  Names names_;
  std::vector<Step> steps_;
  std::vector<int> outputs_;
};

struct PinP {
  double paths, enables;
};
constexpr Param<PinP> pin_params[] = {
    {"paths", &PinP::paths, 1, 1, inf, "", "inputs (each passed to its output)"},
    {"enables", &PinP::enables, 0, 0, inf, "", "enable pins, after the inputs; then the reference pins"},
};

class PinDelay final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() { return {{"in", Dir::In, true}, {"out", Dir::Out, true, false, true}}; }
  explicit PinDelay(const DeviceInput& in) : DigitalModel(in, spec()), p_(xspice::code_params(pin_params, in, {})) {
    const Location& where = in.model ? in.model->where : in.element.where;
    paths_ = static_cast<std::size_t>(p_.paths);
    if (paths_ != ports(1) || paths_ + static_cast<std::size_t>(p_.enables) > ports(0))
      throw InputError(where, fmt::format("'{}': {} paths and {} enables do not fit {} inputs and {} outputs", name(),
                                          paths_, p_.enables, ports(0), ports(1)));
    const auto pins = words(xspice::string_param(in, "pins", ""));
    if (pins.size() != ports(0) + ports(1))
      throw InputError(where, fmt::format("'{}': pins names {} nodes for {} inputs and {} outputs", name(), pins.size(),
                                          ports(0), ports(1)));
    for (std::size_t j = 0; j < ports(0); ++j) ctx_.add(pins[j]);
    ctx_.pins = ports(0);
    for (const auto& [target, text] : statements(xspice::string_param(in, "boolean", ""))) {
      const ps::Expr e = compile(text, ctx_, true, fmt::format("'{}' boolean '{}'", name(), target), where);
      if (target.empty() || words(target).size() != 1 || ctx_.find(target) >= 0)
        throw InputError(where, fmt::format("'{}': boolean '{}' is no new name", name(), target));
      for (const auto& n : e.nodes)
        if (n.op == ps::Expr::Op::Changed && static_cast<std::size_t>(n.name) >= ctx_.pins)
          throw InputError(where, fmt::format("'{}': changed() of '{}', which is no pin", name(),
                                              ctx_.names[static_cast<std::size_t>(n.name)]));
      booleans_.push_back({ctx_.add(target), e});
    }
    auto output = [&](const std::string& n) {
      for (std::size_t j = 0; j < paths_; ++j)
        if (pins[ports(0) + j] == n) return j;
      throw InputError(where, fmt::format("'{}': '{}' is none of its outputs", name(), n));
    };
    outs_.resize(paths_);
    for (const auto& [targets, text] : statements(xspice::string_param(in, "delay", "")))
      for (const auto& t : words(targets)) outs_[output(t)].cases = cases(text, where);
    for (const auto& [unused, head] : statements(xspice::string_param(in, "tristate", ""))) {
      const auto w = words(head);
      const int e = w.size() >= 2 ? ctx_.find(w[0]) : -1;
      if (e < 0 || static_cast<std::size_t>(e) >= ctx_.pins || (w[1] != "hi" && w[1] != "lo"))
        throw InputError(where, fmt::format("'{}': tristate '{}' is no 'enable hi|lo outputs'", name(), head));
      for (std::size_t k = 2; k < w.size(); ++k) outs_[output(w[k])].enable = e, outs_[output(w[k])].high = w[1] == "hi";
    }
  }

  void reset_state() override {
    ctx_.since.assign(ctx_.pins, -inf);
    ctx_.before.assign(ctx_.pins, Level::Unknown);
    ctx_.levels.assign(ctx_.names.size(), Level::Unknown);
    for (Out& o : outs_) o.last.reset();
  }

  void evaluate(Network&, double time, bool init) override {
    ctx_.now = time;
    for (std::size_t j = 0; j < ctx_.pins; ++j) {
      const Level l = in(0, j);
      if (l != ctx_.levels[j] && !init) ctx_.since[j] = time, ctx_.before[j] = ctx_.levels[j];
      ctx_.levels[j] = l;
    }
    bool booleans_done = false;
    for (std::size_t j = 0; j < paths_; ++j) {
      Out& o = outs_[j];
      Value v{ctx_.levels[j], Strength::Strong};
      if (o.enable >= 0) {
        Level e = ctx_.levels[static_cast<std::size_t>(o.enable)];
        if (!o.high) e = invert(e);
        v.strength = e == Level::One ? Strength::Strong : e == Level::Zero ? Strength::HiZ : Strength::Undetermined;
      }
      if (o.last && *o.last == v) continue;
      if (!booleans_done) {
        for (const Boolean& b : booleans_) ctx_.levels[static_cast<std::size_t>(b.name)] = ps::eval(b.expr, ctx_);
        booleans_done = true;
      }
      ctx_.from = side(o.last.value_or(Value{}));
      ctx_.to = side(v);
      o.last = v;
      out(1, j, v.level, init ? 0.0 : delay(o), v.strength);
    }
  }

private:
  struct Case {
    std::optional<ps::Expr> when;  // none: the default
    double delay;
  };
  struct Out {
    std::vector<Case> cases;
    int enable = -1;
    bool high = true;
    std::optional<Value> last;
  };
  struct Boolean {
    int name;
    ps::Expr expr;
  };
  struct Ctx : Names {
    std::size_t pins = 0;
    std::vector<double> since;  // each pin's last change
    std::vector<Level> before;  // its level before that change
    double now = 0;
    char from = 'u', to = 'u';
    bool transition(char f, char t) const override { return (f == '$' || f == from) && (t == '$' || t == to); }
    bool changed(int name, double dt, char edge) const override {
      const auto k = static_cast<std::size_t>(name);
      // events of one instant are at one time; 1e-15 s absorbs the sums' rounding
      if (!(now - since[k] <= dt + 1e-15)) return false;
      if (edge == 'r') return before[k] == Level::Zero && levels[k] == Level::One;
      if (edge == 'f') return before[k] == Level::One && levels[k] == Level::Zero;
      return true;
    }
  };
  static char side(Value v) {
    if (v.strength == Strength::HiZ) return 'z';
    return v.level == Level::Zero ? 'l' : v.level == Level::One ? 'h' : 'u';
  }

  double delay(const Out& o) const {
    for (const Case& c : o.cases)
      if (!c.when || ps::eval(*c.when, ctx_) == Level::One) return c.delay;
    return 1e-12;  // an output no delay names: ngspice's delay when none is given
  }

  // case(cond, delay(...), ..., delay(...)) or delay(...)
  std::vector<Case> cases(const std::string& text, const Location& where) const {
    auto bad = [&](const std::string& why) {
      return InputError(where, fmt::format("'{}': delay '{}': {}", name(), text, why));
    };
    auto inside = [&](const std::string& s, std::string_view head) -> std::optional<std::string> {
      std::string t = s;
      t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c == ' ' || c == '\t'; }), t.end());
      if (!t.starts_with(std::string(head) + "(") || t.back() != ')') return std::nullopt;
      return s.substr(s.find('(') + 1, s.rfind(')') - s.find('(') - 1);
    };
    auto split = [](const std::string& s) {
      std::vector<std::string> parts{""};
      int depth = 0;
      for (char c : s) {
        if (c == '(') ++depth;
        if (c == ')') --depth;
        if (c == ',' && depth == 0) parts.emplace_back();
        else parts.back() += c;
      }
      return parts;
    };
    auto value = [&](const std::string& s) {
      const auto body = inside(s, "delay");
      if (!body) throw bad(fmt::format("'{}' is no delay(min,typ,max)", s));
      const auto v = split(*body);
      if (v.size() != 3) throw bad(fmt::format("'{}' is no delay(min,typ,max)", s));
      std::array<double, 3> x{};
      for (std::size_t k = 0; k < 3; ++k) {
        const auto w = words(v[k]);
        const auto n = w.size() == 1 ? parse_number(w[0]) : std::nullopt;
        if (!n) throw bad(fmt::format("'{}' is no number", v[k]));
        x[k] = *n;
      }
      // the typical value; without it the mean of min and max, or the one given (-1: not given)
      if (x[1] >= 0) return x[1];
      if (x[0] >= 0 && x[2] >= 0) return (x[0] + x[2]) / 2;
      if (x[0] >= 0 || x[2] >= 0) return std::max(x[0], x[2]);
      throw bad(fmt::format("'{}' gives no value", s));
    };
    std::vector<Case> out;
    const auto body = inside(text, "case");
    if (!body) return {Case{std::nullopt, std::max(value(text), 1e-15)}};
    const auto parts = split(*body);
    if (parts.size() % 2 == 0) throw bad("case() takes condition, delay pairs and a default delay");
    for (std::size_t k = 0; k + 1 < parts.size(); k += 2)
      out.push_back({compile(parts[k], ctx_, true, fmt::format("'{}' case", name()), where),
                     std::max(value(parts[k + 1]), 1e-15)});
    out.push_back({std::nullopt, std::max(value(parts.back()), 1e-15)});
    return out;
  }

  PinP p_;
  std::size_t paths_ = 0;
  Ctx ctx_;
  std::vector<Boolean> booleans_;
  std::vector<Out> outs_;
};

}  // namespace

const bool d_logicexp_registered = register_model<LogicExp>(
    {.type = "d_logicexp",
     .summary = "PSpice LOGICEXP: outputs as boolean expressions (~ & ^ |) of the inputs, after rise/fall_delay",
     .terminals = {"in", "out"},
     .example = "A1 [a b] [y] lx\n.model lx d_logicexp(pins=\"a b y\" logic=\"t=~a;y=t&b\")\n", .element = 'a',
     .event_nodes = event_nodes_of<LogicExp>},
    logic_params);
const bool d_pindly_registered = register_model<PinDelay>(
    {.type = "d_pindly",
     .summary = "PSpice PINDLY: each input to its output after the delay its case() selects; tristate outputs",
     .terminals = {"in", "out"},
     .example = "A1 [a en] [y] pd\n.model pd d_pindly(paths=1 enables=1 pins=\"a en y\" "
                "delay=\"y=case(trn_lh,delay(-1,2n,-1),delay(1n,-1,3n))\" tristate=\"en hi y\")\n",
     .element = 'a', .event_nodes = event_nodes_of<PinDelay>},
    pin_params);

}  // namespace ns::digital
