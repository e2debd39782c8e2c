#include "expr/program.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>

#include <fmt/format.h>

namespace ns {

// Larger than this, inlining .func calls inside each other is refused (each call copies
// its body: a chain of functions calling the next twice doubles at each level).
constexpr std::size_t max_program_size = 1'000'000;

class ProgramCompiler {
public:
  ProgramCompiler(Program& p, const Program::Constant& constant, Random* random)
      : p_(p), constant_(constant), random_(random) {}

  // A compiled operand: an input, a constant, or the result of an instruction.
  struct Val {
    enum class Kind { Input, Const, Temp } kind = Kind::Const;
    std::size_t index = 0;
    double value = 0;  // Const
  };
  struct Binding {
    const std::vector<std::string>* names = nullptr;  // a .func's parameters
    const std::vector<Val>* values = nullptr;
  };

  Val compile(const Expression& e, int index, const Binding& bound);
  // The root: terms c * ddt(a) added at the top go to the charge (scaled by `scale`).
  Val compile_top(const Expression& e, int index, double scale);
  void finish(const Val& result);

private:
  using Op = Expression::Op;
  Val input(ProgramInput in) {
    for (std::size_t k = 0; k < p_.inputs_.size(); ++k)
      if (p_.inputs_[k] == in) return {Val::Kind::Input, k};
    p_.inputs_.push_back(std::move(in));
    return {Val::Kind::Input, p_.inputs_.size() - 1};
  }
  Val emit(Fn fn, const std::vector<Val>& args, const Expression::Node& n);

  Program& p_;
  const Program::Constant& constant_;
  Random* random_;
  Val call(const Expression& e, const Expression::Node& n, Fn fn, const Binding& bound);
  Val constant_arg(const Expression& e, int index, const Binding& bound, std::string_view what);

  struct Pending {
    Fn fn;
    std::vector<Val> args;
    std::uint32_t table = 0;
  };
  std::vector<Pending> code_;
  std::vector<double> constants_;
  std::vector<Val> state_args_;  // per state, its argument
  std::vector<std::pair<std::size_t, Val>> resets_;  // idt(x, ic, assert): state, assert
  std::optional<Val> charge_;
};

namespace {

Fn operator_fn(Expression::Op op) {
  using Op = Expression::Op;
  switch (op) {
    case Op::Neg: return Fn::Neg;
    case Op::Not: return Fn::Not;
    case Op::Add: return Fn::Add;
    case Op::Sub: return Fn::Sub;
    case Op::Mul: return Fn::Mul;
    case Op::Div: return Fn::Div;
    case Op::Pow: return Fn::Pow;
    case Op::Eq: return Fn::Eq;
    case Op::Ne: return Fn::Ne;
    case Op::Lt: return Fn::Lt;
    case Op::Le: return Fn::Le;
    case Op::Gt: return Fn::Gt;
    case Op::Ge: return Fn::Ge;
    case Op::And: return Fn::And;
    case Op::Or: return Fn::Or;
    default: return Fn::Select;  // Ternary
  }
}

}  // namespace

ProgramCompiler::Val ProgramCompiler::emit(Fn fn, const std::vector<Val>& args, const Expression::Node& n) {
  const bool all_constant =
      std::all_of(args.begin(), args.end(), [](const Val& v) { return v.kind == Val::Kind::Const; });
  if (all_constant) {
    double a[3] = {0, 0, 0};
    for (std::size_t k = 0; k < args.size(); ++k) a[k] = args[k].value;
    const Builtin* b = n.builtin >= 0 ? &builtins()[static_cast<std::size_t>(n.builtin)] : nullptr;
    double v = 0;
    if (b && b->random) {
      v = draw(fn, std::span<const double>(a, args.size()), random_, n.offset);
    } else {
      if (fn == Fn::Div && a[1] == 0) throw ExpressionError(n.offset, "division by zero");
      v = apply(fn, a, args.size(), nullptr);
    }
    if (!std::isfinite(v)) throw ExpressionError(n.offset, fmt::format("the value is not finite ({})", v));
    return {Val::Kind::Const, 0, v};
  }
  if (code_.size() >= max_program_size)
    throw ExpressionError(n.offset, fmt::format("the expression compiles to more than {} operations "
                                                "(functions calling functions, inlined)", max_program_size));
  code_.push_back({fn, args});
  return {Val::Kind::Temp, code_.size() - 1};
}

ProgramCompiler::Val ProgramCompiler::compile(const Expression& e, int index, const Binding& bound) {
  const Expression::Node& n = e.nodes()[static_cast<std::size_t>(index)];
  switch (n.op) {
    case Op::Number: return {Val::Kind::Const, 0, n.value};
    case Op::Name: {
      if (bound.names)
        for (std::size_t k = 0; k < bound.names->size(); ++k)
          if ((*bound.names)[k] == n.name) return (*bound.values)[k];
      if (n.name == "pi") return {Val::Kind::Const, 0, std::numbers::pi};
      if (n.name == "time") return input({ProgramInput::Kind::Time, "", &e, n.offset});
      if (n.name == "hertz") return {Val::Kind::Const, 0, 0.0};  // no small-signal analysis runs here
      if (n.name == "temper") return input({ProgramInput::Kind::Temperature, "", &e, n.offset});
      return {Val::Kind::Const, 0, constant_(n.name, e, n.offset)};
    }
    case Op::Probe: {
      if (n.name == "i") return input({ProgramInput::Kind::Current, n.refs[0], &e, n.offset});
      const Val a = input({ProgramInput::Kind::Voltage, n.refs[0], &e, n.offset});
      if (n.refs.size() == 1) return a;
      return emit(Fn::Sub, {a, input({ProgramInput::Kind::Voltage, n.refs[1], &e, n.offset})}, n);
    }
    case Op::Ternary: {
      // A constant condition compiles only the branch it takes.
      const Val c = compile(e, n.args[0], bound);
      if (c.kind == Val::Kind::Const) return compile(e, n.args[c.value != 0 ? 1 : 2], bound);
      return emit(Fn::Select, {c, compile(e, n.args[1], bound), compile(e, n.args[2], bound)}, n);
    }
    case Op::Call: {
      std::vector<Val> args;
      if (n.builtin >= 0) {
        const Fn fn = builtins()[static_cast<std::size_t>(n.builtin)].fn;
        if (fn == Fn::Table || fn == Fn::Pwl || fn == Fn::RoundedTable || fn == Fn::Ddt || fn == Fn::Idt ||
            fn == Fn::Delay)
          return call(e, n, fn, bound);
      }
      if (n.builtin >= 0 && builtins()[static_cast<std::size_t>(n.builtin)].fn == Fn::Select) {
        const Val c = compile(e, n.args[0], bound);
        if (c.kind == Val::Kind::Const) return compile(e, n.args[c.value != 0 ? 1 : 2], bound);
        return emit(Fn::Select, {c, compile(e, n.args[1], bound), compile(e, n.args[2], bound)}, n);
      }
      for (int a : n.args) args.push_back(compile(e, a, bound));
      if (n.user) {
        if (!n.user->body) throw ExpressionError(n.offset, fmt::format("function '{}' has an empty body", n.name));
        try {
          return compile(*n.user->body, n.user->body->root(), {&n.user->params, &args});
        } catch (const ExpressionError& error) {
          throw ExpressionError(n.offset, fmt::format("in function '{}': {}", n.name, error.what()));
        }
      }
      return emit(builtins()[static_cast<std::size_t>(n.builtin)].fn, args, n);
    }
    default: {
      std::vector<Val> args;
      for (int a : n.args) args.push_back(compile(e, a, bound));
      return emit(operator_fn(n.op), args, n);
    }
  }
}

ProgramCompiler::Val ProgramCompiler::constant_arg(const Expression& e, int index, const Binding& bound,
                                                   std::string_view what) {
  const Val v = compile(e, index, bound);
  if (v.kind != Val::Kind::Const)
    throw ExpressionError(e.start(index), fmt::format("{} must be a constant (numbers and parameters), not "
                                                      "depend on v(), i(), time or temper", what));
  return v;
}

ProgramCompiler::Val ProgramCompiler::call(const Expression& e, const Expression::Node& n, Fn fn,
                                           const Binding& bound) {
  const Val x = compile(e, n.args[0], bound);
  if (fn == Fn::Table || fn == Fn::Pwl || fn == Fn::RoundedTable) {
    std::vector<double> points;
    for (std::size_t k = 1; k < n.args.size(); ++k) {
      points.push_back(constant_arg(e, n.args[k], bound, fmt::format("the points of {}()", n.name)).value);
      check_points(e, n, points);
    }
    if (x.kind == Val::Kind::Const) {
      double slope = 0;
      return {Val::Kind::Const, 0, interpolate(fn, points, x.value, &slope)};
    }
    p_.tables_.push_back(std::move(points));
    code_.push_back({fn, {x}, static_cast<std::uint32_t>(p_.tables_.size() - 1)});
    return {Val::Kind::Temp, code_.size() - 1};
  }
  if (fn == Fn::Ddt && x.kind == Val::Kind::Const) return {Val::Kind::Const, 0, 0.0};
  if (fn == Fn::Delay) {
    const double delay = constant_arg(e, n.args[1], bound, fmt::format("the delay of {}()", n.name)).value;
    if (!(delay > 0)) throw ExpressionError(e.start(n.args[1]), fmt::format("the delay of {}() must be > 0, not {:g}", n.name, delay));
    if (n.args.size() > 2) (void)constant_arg(e, n.args[2], bound, fmt::format("the longest delay of {}()", n.name));
    if (x.kind == Val::Kind::Const) return x;  // a constant's past is itself
    p_.states_.push_back({ProgramState::Kind::Delay, 0, 0, delay, &e, n.offset});
  } else {
    ProgramState state{fn == Fn::Ddt ? ProgramState::Kind::Ddt : ProgramState::Kind::Idt, 0, 0, 0, &e, n.offset};
    if (n.args.size() > 1) state.ic = constant_arg(e, n.args[1], bound, fmt::format("the initial value of {}()", n.name)).value;
    p_.states_.push_back(state);
  }
  state_args_.push_back(x);
  ProgramInput in{ProgramInput::Kind::State, "", &e, n.offset, p_.states_.size() - 1};
  const Val integral = input(std::move(in));
  if (fn != Fn::Idt || n.args.size() < 3) return integral;
  if (n.name == "idtmod") {
    // LTspice's (and Verilog-A's) idtmod(x, ic, modulus[, offset]): the integral wrapped
    // into [offset, offset + modulus); the state itself integrates on.
    const double m = constant_arg(e, n.args[2], bound, "the modulus of idtmod()").value;
    if (!(m > 0)) throw ExpressionError(e.start(n.args[2]), fmt::format("the modulus of idtmod() must be > 0, not {:g}", m));
    const Val o = n.args.size() > 3 ? constant_arg(e, n.args[3], bound, "the offset of idtmod()") : Val{Val::Kind::Const, 0, 0.0};
    const Val modulus{Val::Kind::Const, 0, m};
    const Val shifted = emit(Fn::Sub, {integral, o}, n);
    const Val turns = emit(Fn::Floor, {emit(Fn::Div, {shifted, modulus}, n)}, n);
    return emit(Fn::Add, {o, emit(Fn::Sub, {shifted, emit(Fn::Mul, {modulus, turns}, n)}, n)}, n);
  }
  const Val assert = compile(e, n.args[2], bound);
  const Val ic{Val::Kind::Const, 0, p_.states_.back().ic};
  if (assert.kind == Val::Kind::Const) return assert.value != 0 ? ic : integral;
  resets_.emplace_back(p_.states_.size() - 1, assert);
  return emit(Fn::Select, {assert, ic, integral}, n);
}

ProgramCompiler::Val ProgramCompiler::compile_top(const Expression& e, int index, double scale) {
  const Expression::Node& n = e.nodes()[static_cast<std::size_t>(index)];
  auto is_ddt = [&](int k) {
    const Expression::Node& a = e.nodes()[static_cast<std::size_t>(k)];
    return a.op == Op::Call && a.builtin >= 0 && builtins()[static_cast<std::size_t>(a.builtin)].fn == Fn::Ddt;
  };
  auto to_charge = [&](int ddt, double c) -> Val {
    Val a = compile(e, e.nodes()[static_cast<std::size_t>(ddt)].args[0], {});
    if (a.kind == Val::Kind::Const) return {Val::Kind::Const, 0, 0.0};
    if (c != 1) a = emit(Fn::Mul, {a, {Val::Kind::Const, 0, c}}, n);
    charge_ = charge_ ? emit(Fn::Add, {*charge_, a}, n) : a;
    return {Val::Kind::Const, 0, 0.0};
  };
  switch (n.op) {
    case Op::Add: return emit(Fn::Add, {compile_top(e, n.args[0], scale), compile_top(e, n.args[1], scale)}, n);
    case Op::Sub: return emit(Fn::Sub, {compile_top(e, n.args[0], scale), compile_top(e, n.args[1], -scale)}, n);
    case Op::Neg: return emit(Fn::Neg, {compile_top(e, n.args[0], -scale)}, n);
    case Op::Call:
      if (is_ddt(index)) return to_charge(index, scale);
      break;
    case Op::Mul:
    case Op::Div:
      for (int side : {0, 1}) {
        if (!is_ddt(n.args[side]) || (n.op == Op::Div && side == 1)) continue;
        const Val c = compile(e, n.args[1 - side], {});
        if (c.kind != Val::Kind::Const) {  // not a charge: the product as it is
          const Val d = compile(e, n.args[side], {});
          return emit(operator_fn(n.op), side == 0 ? std::vector{d, c} : std::vector{c, d}, n);
        }
        if (n.op == Op::Div && c.value == 0) throw ExpressionError(n.offset, "division by zero");
        return to_charge(n.args[side], n.op == Op::Div ? scale / c.value : scale * c.value);
      }
      break;
    default: break;
  }
  return compile(e, index, {});
}

void ProgramCompiler::finish(const Val& result) {
  // Registers: inputs, then constants, then one per instruction.
  const std::size_t inputs = p_.inputs_.size();
  auto reg = [&](const Val& v) -> std::uint32_t {
    switch (v.kind) {
      case Val::Kind::Input: return static_cast<std::uint32_t>(v.index);
      case Val::Kind::Const:
        constants_.push_back(v.value);
        return static_cast<std::uint32_t>(inputs + constants_.size() - 1);
      case Val::Kind::Temp: break;
    }
    return static_cast<std::uint32_t>(v.index);  // renumbered below, once constants are counted
  };
  std::vector<Program::Instruction> code;
  std::vector<std::array<bool, 3>> temp(code_.size());
  for (std::size_t i = 0; i < code_.size(); ++i) {
    Program::Instruction ins{code_[i].fn, 0, {0, 0, 0}, static_cast<std::uint8_t>(code_[i].args.size())};
    for (std::size_t k = 0; k < code_[i].args.size(); ++k) {
      ins.arg[k] = reg(code_[i].args[k]);
      temp[i][k] = code_[i].args[k].kind == Val::Kind::Temp;
    }
    code.push_back(ins);
  }
  // The outputs: the result, the charge, each state's argument.
  std::vector<Val> outputs{result};
  if (charge_) outputs.push_back(*charge_);
  outputs.insert(outputs.end(), state_args_.begin(), state_args_.end());
  for (const auto& r : resets_) outputs.push_back(r.second);
  std::vector<std::uint32_t> output_reg;
  for (const Val& v : outputs) output_reg.push_back(reg(v));
  const auto first_temp = static_cast<std::uint32_t>(inputs + constants_.size());
  for (std::size_t i = 0; i < code.size(); ++i) {
    code[i].out = first_temp + static_cast<std::uint32_t>(i);
    for (std::size_t k = 0; k < code[i].args; ++k)
      if (temp[i][k]) code[i].arg[k] += first_temp;
    if (code_[i].fn == Fn::Table || code_[i].fn == Fn::Pwl || code_[i].fn == Fn::RoundedTable) code[i].arg[1] = code_[i].table;
  }
  for (std::size_t k = 0; k < outputs.size(); ++k)
    if (outputs[k].kind == Val::Kind::Temp) output_reg[k] += first_temp;
  p_.constants_ = std::move(constants_);
  p_.code_ = std::move(code);
  p_.registers_ = first_temp + p_.code_.size();
  std::size_t next = 0;
  p_.result_ = output_reg[next++];
  if (charge_) p_.charge_ = static_cast<std::ptrdiff_t>(output_reg[next++]);
  for (ProgramState& s : p_.states_) s.argument = output_reg[next++];
  for (const auto& r : resets_) p_.states_[r.first].reset = output_reg[next++];
}

Program::Program(const Expression& e, const Constant& constant, Random* random) {
  ProgramCompiler compiler(*this, constant, random);
  compiler.finish(compiler.compile_top(e, e.root(), 1.0));
}

std::vector<double> Program::time_corners() const {
  std::size_t time = inputs_.size();  // the time input's register, if there is one
  for (std::size_t k = 0; k < inputs_.size(); ++k)
    if (inputs_[k].kind == ProgramInput::Kind::Time) time = k;
  const std::size_t first_temp = inputs_.size() + constants_.size();
  auto constant = [&](std::uint32_t a) -> std::optional<double> {
    if (a >= inputs_.size() && a < first_temp) return constants_[a - inputs_.size()];
    return std::nullopt;
  };
  // o with register r = time - o, when r is time, time + c or time - c.
  auto shift = [&](std::uint32_t r) -> std::optional<double> {
    if (r == time) return 0.0;
    if (r < first_temp) return std::nullopt;
    const Instruction& i = code_[r - first_temp];
    if (i.fn == Fn::Add && i.arg[0] == time && constant(i.arg[1])) return -*constant(i.arg[1]);
    if (i.fn == Fn::Add && i.arg[1] == time && constant(i.arg[0])) return -*constant(i.arg[0]);
    if (i.fn == Fn::Sub && i.arg[0] == time && constant(i.arg[1])) return *constant(i.arg[1]);
    return std::nullopt;
  };
  std::vector<double> out;
  for (const Instruction& i : code_) {
    // A comparison of time with a constant, either way round (time < 4u ? ... : ...).
    if (i.fn == Fn::Lt || i.fn == Fn::Le || i.fn == Fn::Gt || i.fn == Fn::Ge || i.fn == Fn::Eq || i.fn == Fn::Ne) {
      for (const int side : {0, 1})
        if (const auto o = shift(i.arg[side]); o && i.args == 2)
          if (const auto c = constant(i.arg[1 - side])) out.push_back(*c + *o);
      continue;
    }
    const auto o = shift(i.arg[0]);
    if (!o) continue;
    switch (i.fn) {
      case Fn::Table: case Fn::Pwl: {
        const auto& points = tables_[i.arg[1]];
        for (std::size_t k = 0; k < points.size(); k += 2) out.push_back(points[k] + *o);
        break;
      }
      case Fn::U: case Fn::Stp: case Fn::Uramp: case Fn::Sgn: out.push_back(*o); break;
      case Fn::U2: out.push_back(*o), out.push_back(*o + 1); break;
      case Fn::Buf: case Fn::Inv: out.push_back(*o + 0.5); break;
      default: break;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Program::Workspace Program::workspace() const {
  Workspace w;
  w.width_ = inputs_.size();
  w.result_ = result_;
  w.value_.assign(registers_, 0.0);
  w.error_.assign(registers_, 0.0);
  w.grad_.assign(registers_ * w.width_, 0.0);
  for (std::size_t k = 0; k < inputs_.size(); ++k) w.grad_[k * w.width_ + k] = 1;
  for (std::size_t c = 0; c < constants_.size(); ++c) w.value_[inputs_.size() + c] = constants_[c];
  return w;
}

double Program::run(std::span<const double> inputs, Workspace& w) const {
  const std::size_t width = w.width_;
  std::copy(inputs.begin(), inputs.end(), w.value_.begin());
  constexpr double half_ulp = std::numeric_limits<double>::epsilon() / 2;
  double a[3], p[3], e[3];
  for (const Instruction& ins : code_) {
    bool uncertain = false;  // an argument carries a rounding error
    for (std::size_t k = 0; k < ins.args; ++k) {
      a[k] = w.value_[ins.arg[k]];
      e[k] = w.error_[ins.arg[k]];
      uncertain = uncertain || e[k] > 0;
    }
    const bool table = ins.fn == Fn::Table || ins.fn == Fn::Pwl || ins.fn == Fn::RoundedTable;
    const double v = table ? interpolate(ins.fn, tables_[ins.arg[1]], a[0], p) : apply(ins.fn, a, ins.args, p);
    w.value_[ins.out] = v;
    double error = rounds(ins.fn) ? half_ulp * std::abs(v) : 0.0;
    for (std::size_t k = 0; k < ins.args; ++k)
      if (p[k] != 0 && e[k] > 0) error += std::abs(p[k]) * e[k];
    if (uncertain && ins.fn == Fn::Select && e[0] > 0) {  // the other branch may be taken
      const std::size_t other = a[0] != 0 ? 2 : 1;
      const double jump = std::abs(a[other] - v) + e[other];
      if (std::isfinite(jump)) error = std::max(error, jump);
    } else if (uncertain && !table && jumps(ins.fn)) {  // every corner of the arguments' box
      double b[3];
      for (unsigned corner = 0; corner < (1u << ins.args); ++corner) {
        for (std::size_t k = 0; k < ins.args; ++k) b[k] = a[k] + (corner >> k & 1u ? e[k] : -e[k]);
        const double jump = std::abs(apply(ins.fn, b, ins.args, nullptr) - v);
        if (std::isfinite(jump)) error = std::max(error, jump + (rounds(ins.fn) ? half_ulp * std::abs(v) : 0.0));
      }
    }
    w.error_[ins.out] = std::isfinite(error) ? error : 0.0;
    double* out = w.grad_.data() + ins.out * width;
    std::fill(out, out + width, 0.0);
    for (std::size_t k = 0; k < ins.args; ++k) {
      if (p[k] == 0) continue;  // an untaken branch may hold NaN: 0 * NaN must not spread
      const double* in = w.grad_.data() + ins.arg[k] * width;
      for (std::size_t j = 0; j < width; ++j) out[j] += p[k] * in[j];
    }
  }
  return w.value_[result_];
}

}  // namespace ns
