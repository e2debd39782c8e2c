#pragma once
// An expression compiled for run time: a flat list of instructions over registers, run
// with forward-mode dual numbers of run-time width (one derivative per input), so the
// value and its exact gradient come out together. No tree walk and no allocation per
// run: a Workspace holds the registers.
//
// Inputs are what the expression reads from the circuit: v(node), i(element), `time`,
// `temper` (v(a,b) reads v(a) and v(b)), and the states of its ddt(), idt() and delay(). Parameters are folded in as constants when compiling, as
// is every subexpression that does not depend on an input; .func calls are inlined.
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "expr/builtin.hpp"
#include "expr/expression.hpp"

namespace ns {

struct ProgramInput {
  enum class Kind { Voltage, Current, Time, Temperature, State };
  Kind kind = Kind::Voltage;
  std::string name;                  // node (Voltage) or element (Current); empty otherwise
  const Expression* written = nullptr;  // where it is first read: this expression (the
  std::size_t offset = 0;               // compiled one, or a .func body) at this offset
  std::size_t state = 0;             // State: index into Program::states()
  bool operator==(const ProgramInput& o) const {
    return kind == o.kind && name == o.name && state == o.state;
  }
};

// A state the program needs beyond the circuit's unknowns, read as a State input s:
// ddt(a) inside a larger expression is s with s = d/dt a; idt(a, ic) (and sdt) is s with
// d/dt s = a, and s = ic at the operating point; LTspice's delay(a, T) is s with
// s(t) = a(t - T) in a transient, read from the device's record of a (circuit/history.hpp),
// and s = a outside one. `argument` is the register holding a.
struct ProgramState {
  enum class Kind { Ddt, Idt, Delay };
  Kind kind = Kind::Ddt;
  std::size_t argument = 0;
  double ic = 0;
  double delay = 0;  // Delay: T, a constant > 0
  const Expression* written = nullptr;
  std::size_t offset = 0;
  // Idt with LTspice's third argument, idt(x, ic, assert): the register of `assert`, or -1.
  // While it is nonzero the expression reads ic; the device restarts the integral at ic
  // from each accepted step where it holds (models/behavioural_source.cpp).
  std::ptrdiff_t reset = -1;
};

class Program {
public:
  // A parameter's value, asked for every name that is not an input, a .func parameter or
  // pi; `in` and `offset` say where it is written (for the error when it is unknown).
  using Constant = std::function<double(const std::string& name, const Expression& in, std::size_t offset)>;
  // Random functions draw from `random` when their arguments are constants (once per
  // compiled program, so once per device), and give their nominal value otherwise.
  // Throws ExpressionError (located in `e`) on a domain error in a constant part.
  Program(const Expression& e, const Constant& constant, Random* random = nullptr);

  std::span<const ProgramInput> inputs() const { return inputs_; }
  // The program is one constant: it reads no input.
  bool constant() const { return inputs_.empty(); }
  std::span<const ProgramState> states() const { return states_; }
  // The expression is split at its top level: value = result + d/dt charge, where the
  // charge is the sum of the terms c * ddt(a) (c constant) added or subtracted at the top
  // (-1: there are none). A ddt elsewhere is a state.
  std::ptrdiff_t charge() const { return charge_; }

  // The times at which the value has a corner or a jump that time alone decides: the
  // points of table() and pwl(), and the steps of u, u2, uramp, stp, sgn, buf and inv,
  // where their argument is time or time plus a constant, and comparisons of such an
  // argument with a constant (time < 4u ? a : b). Sorted; the integrator stops
  // there (an argument that reads the circuit gives no times: its corners are found by
  // the step control).
  std::vector<double> time_corners() const;

  // Alongside the value, run() carries a bound on its rounding error (a running error
  // analysis, to first order): each operation adds half an ulp of its result, |partial|
  // times its arguments' bounds carry through, inputs and constants count as exact. Where
  // a comparison, a step (u, sgn, floor...) or the condition of ?: / if() could go the other
  // way within its arguments' bounds, the bound takes the difference that makes. A value
  // computed as the difference of two large terms (1e12 * v - 1e12 * v) carries the
  // large terms' bound, not its own ulp: the engine does not ask for more accuracy than that.
  class Workspace {
  public:
    double value() const { return value_[result_]; }
    double error() const { return error_[result_]; }
    double error(std::size_t reg) const { return error_[reg]; }
    // d value / d input k, for each input.
    std::span<const double> gradient() const { return gradient(result_); }
    // The same for any register (a charge, a state's argument).
    double value(std::size_t reg) const { return value_[reg]; }
    std::span<const double> gradient(std::size_t reg) const { return {grad_.data() + reg * width_, width_}; }

  private:
    friend class Program;
    std::vector<double> value_, grad_, error_;  // per register; grad_: width_ per register
    std::size_t width_ = 0, result_ = 0;
  };
  Workspace workspace() const;
  // Runs with `inputs` (in the order of inputs()) into `w`; returns the value (NaN or inf
  // on a domain error: the caller reports it, with the inputs).
  double run(std::span<const double> inputs, Workspace& w) const;

private:
  struct Instruction {
    Fn fn;
    std::uint32_t out, arg[3];  // Table, Pwl: arg[1] indexes tables_
    std::uint8_t args;
  };
  friend class ProgramCompiler;
  std::vector<ProgramInput> inputs_;
  std::vector<double> constants_;        // registers inputs_.size() .. + constants_.size()
  std::vector<Instruction> code_;        // each writes a register after the constants
  std::vector<std::vector<double>> tables_;  // the points of each table() and pwl()
  std::vector<ProgramState> states_;
  std::size_t registers_ = 0, result_ = 0;
  std::ptrdiff_t charge_ = -1;
};

}  // namespace ns
