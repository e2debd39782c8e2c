#pragma once
// An expression compiled for run time: a flat list of instructions over registers, run
// with forward-mode dual numbers of run-time width (one derivative per input), so the
// value and its exact gradient come out together. No tree walk and no allocation per
// run: a Workspace holds the registers.
//
// Inputs are what the expression reads from the circuit: v(node), i(element) and `time`
// (v(a,b) reads v(a) and v(b)). Parameters are folded in as constants when compiling, as
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
  enum class Kind { Voltage, Current, Time };
  Kind kind = Kind::Voltage;
  std::string name;                  // node (Voltage) or element (Current); empty for Time
  const Expression* written = nullptr;  // where it is first read: this expression (the
  std::size_t offset = 0;               // compiled one, or a .func body) at this offset
  bool operator==(const ProgramInput& o) const { return kind == o.kind && name == o.name; }
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

  class Workspace {
  public:
    double value() const { return value_[result_]; }
    // d value / d input k, for each input.
    std::span<const double> gradient() const { return {grad_.data() + result_ * width_, width_}; }

  private:
    friend class Program;
    std::vector<double> value_, grad_;  // per register; grad_: width_ per register
    std::size_t width_ = 0, result_ = 0;
  };
  Workspace workspace() const;
  // Runs with `inputs` (in the order of inputs()) into `w`; returns the value (NaN or inf
  // on a domain error: the caller reports it, with the inputs).
  double run(std::span<const double> inputs, Workspace& w) const;

private:
  struct Instruction {
    Fn fn;
    std::uint32_t out, arg[3];
    std::uint8_t args;
  };
  friend class ProgramCompiler;
  std::vector<ProgramInput> inputs_;
  std::vector<double> constants_;        // registers inputs_.size() .. + constants_.size()
  std::vector<Instruction> code_;        // each writes a register after the constants
  std::size_t registers_ = 0, result_ = 0;
};

}  // namespace ns
