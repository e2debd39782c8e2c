// XSPICE d_state (src/digital/): a clocked state machine read from state_file (relative
// to the deck holding the .model card). A line is a comment ('*' first), blank, a header
// or a continuation:
//
//   header        STATE OUT1 .. OUTn IN1 .. INm ARROW NEXT   the state's outputs (0s, 1z,
//                                                          Ur ...) and one transition
//   continuation  IN1 .. INm ARROW NEXT                    another transition of the state
//                                                          of the header above
//
// An input is 0, 1 or x (either); ARROW is any one word ("->"). At each clk edge 0 -> 1
// the machine takes the first transition of its state whose inputs match and posts the
// new state's outputs clk_delay later; with none matching it stays. reset = 1 puts it in
// reset_state (reset_delay later) and holds it there; the operating point starts there.
// (Measured against ngspice 39: x matches anything, an unmatched or unknown input leaves
// the state.)
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "digital/model.hpp"
#include "xspice.hpp"

namespace ns::digital {
namespace {

using Dir = PortSpec::Dir;

struct StateP {
  double clk_delay, reset_delay, reset_state, load;
};
constexpr Param<StateP> state_params[] = {
    {"clk_delay", &StateP::clk_delay, 1e-9, 0, inf, "s", "delay from a clock edge to the new outputs"},
    {"reset_delay", &StateP::reset_delay, 1e-9, 0, inf, "s", "delay from reset to the reset state's outputs"},
    {"reset_state", &StateP::reset_state, 0, -inf, inf, "", "the state reset (and the operating point) puts it in"},
    {"input_load", &StateP::load, 1e-12, 0, inf, "F", "input loads (XSPICE's; no effect on timing)"},
    {"clk_load", &StateP::load, 1e-12, 0, inf, "F", ""},
    {"reset_load", &StateP::load, 1e-12, 0, inf, "F", ""},
};

class StateMachine final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() {
    return {{"in", Dir::In, true}, {"clk"}, {"reset", Dir::In, false, false, true}, {"out", Dir::Out, true}};
  }
  explicit StateMachine(const DeviceInput& in) : DigitalModel(in, spec()), p_(xspice::code_params(state_params, in, {})) {
    const Location& where = in.model ? in.model->where : in.element.where;
    const std::filesystem::path path = xspice::data_file_path(in, "state_file", "");
    if (path.empty()) throw InputError(where, fmt::format("'{}': d_state needs state_file=\"...\"", name()));
    std::ifstream file(path);
    if (!file) throw InputError(where, fmt::format("d_state cannot open its state_file '{}'", path.string()));
    const std::size_t nin = ports(0), nout = ports(3);
    std::string text;
    long current = 0;
    bool have_state = false;
    for (int line = 1; std::getline(file, text); ++line) {
      std::istringstream in_words(text);
      std::vector<std::string> w;
      for (std::string s; in_words >> s;) w.push_back(s);
      if (w.empty() || w[0][0] == '*') continue;
      auto bad = [&](const std::string& what) {
        return InputError(where, fmt::format("{}:{}: {}", path.string(), line, what));
      };
      auto state_number = [&](const std::string& s) {
        std::size_t used = 0;
        long v = 0;
        try {
          v = std::stol(s, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used != s.size()) throw bad(fmt::format("'{}' is not a state number", s));
        return v;
      };
      std::size_t k = 0;
      if (w.size() == 1 + nout + nin + 2) {
        current = state_number(w[0]);
        std::vector<Value> outs;
        for (std::size_t j = 0; j < nout; ++j) {
          const std::string& s = w[1 + j];
          const auto level = std::string("01uU").find(s[0]);
          const auto strength = s.size() == 2 ? std::string("srzuSRZU").find(s[1]) : std::string::npos;
          if (level == std::string::npos || strength == std::string::npos)
            throw bad(fmt::format("'{}' is not a digital value (0s, 1r, Uz ...)", s));
          outs.push_back({static_cast<Level>(std::min<std::size_t>(level, 2)), static_cast<Strength>(strength % 4)});
        }
        const auto [it, made] = outputs_.emplace(current, outs);
        if (!made && it->second != outs)
          throw bad(fmt::format("state {} is given other outputs than before", current));
        have_state = true;
        k = 1 + nout;
      } else if (w.size() != nin + 2) {
        throw bad(fmt::format("expected a header (state, {} outputs, {} inputs, arrow, next state) or a "
                              "continuation ({} inputs, arrow, next state)", nout, nin, nin));
      } else if (!have_state) {
        throw bad("a continuation line before any header");
      }
      Transition t{current, {}, 0};
      for (std::size_t j = 0; j < nin; ++j) {
        const std::string& s = w[k + j];
        if (s.size() != 1 || std::string("01xX").find(s[0]) == std::string::npos)
          throw bad(fmt::format("input '{}' is not 0, 1 or x", s));
        t.inputs.push_back(s[0] == '0' ? 0 : s[0] == '1' ? 1 : 2);
      }
      t.next = state_number(w[k + nin + 1]);
      transitions_.push_back(std::move(t));
    }
    if (outputs_.empty()) throw InputError(where, fmt::format("d_state's state_file '{}' has no states", path.string()));
    for (const Transition& t : transitions_)
      if (!outputs_.count(t.next))
        throw InputError(where, fmt::format("{}: state {} goes to state {}, which it does not define", path.string(),
                                            t.from, t.next));
    if (!outputs_.count(static_cast<long>(p_.reset_state)))
      throw InputError(where, fmt::format("'{}': reset_state {:g} is not a state of '{}'", name(), p_.reset_state,
                                          path.string()));
  }

  void reset_state() override {
    state_ = static_cast<long>(p_.reset_state);
    clk_ = Level::Unknown;
  }

  void evaluate(Network& net, double, bool init) override {
    const Level clk = in(1), reset = connected(2) ? in(2) : Level::Zero;
    const bool edge = clk_ == Level::Zero && clk == Level::One && !net.settling();  // as the flip-flops'
    clk_ = clk;
    double delay = 0;
    if (init) {
      // the operating point: the reset state's outputs
    } else if (reset == Level::One) {
      state_ = static_cast<long>(p_.reset_state);
      delay = p_.reset_delay;
    } else if (edge) {
      for (const Transition& t : transitions_) {
        if (t.from != state_ || !matches(t)) continue;
        state_ = t.next;
        break;
      }
      delay = p_.clk_delay;
    } else {
      return;
    }
    const std::vector<Value>& outs = outputs_.at(state_);
    for (std::size_t j = 0; j < outs.size(); ++j) out(3, j, outs[j].level, delay, outs[j].strength);
  }

private:
  struct Transition {
    long from;
    std::vector<int> inputs;  // 0, 1, or 2 for either
    long next;
  };
  bool matches(const Transition& t) const {
    for (std::size_t j = 0; j < t.inputs.size(); ++j) {
      if (t.inputs[j] == 2) continue;
      if (in(0, j) != (t.inputs[j] ? Level::One : Level::Zero)) return false;
    }
    return true;
  }
  StateP p_;
  std::map<long, std::vector<Value>> outputs_;
  std::vector<Transition> transitions_;
  long state_ = 0;
  Level clk_ = Level::Unknown;
};

}  // namespace

const bool d_state_registered = register_model<StateMachine>(
    {.type = "d_state", .summary = "XSPICE digital state machine: transitions at clk 0 -> 1 from the table of state_file",
     .terminals = {"in", "clk", "reset", "out"},
     .example = "A1 [a] c r [q] st\n.model st d_state(state_file=\"example-state.txt\")\n", .element = 'a',
     .event_nodes = event_nodes_of<StateMachine>},
    state_params);

}  // namespace ns::digital
