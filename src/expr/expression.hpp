#pragma once
// Numbers with SPICE suffixes, and the arithmetic expressions of {...}, '...' and .param
// right-hand sides, parsed once into a tree. The tree is evaluated directly for values at
// elaboration (parameters), and compiled into a flat, differentiable Program
// (expr/program.hpp) for behavioural elements. Errors carry an offset into the
// expression text; the caller turns it into a Location on the card.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ns {

// "1.5k" -> 1500, "10pF" -> 1e-11, "1meg" -> 1e6, "2mil" -> 5.08e-5. Trailing letters
// after the scale are units and ignored. nullopt when `text` is not a number at all.
std::optional<double> parse_number(std::string_view text);
// True when `text` begins like a number (digit, or sign/point then digit): a word that
// looks numeric but does not parse is a bad number, not a parameter name.
bool looks_numeric(std::string_view text);

// Limits that keep hostile input from overflowing the stack (an ExpressionError instead).
// Nesting in the text (parentheses, unary and power operators, ternaries), which the
// parser recurses through at a few kB of stack a level under AddressSanitizer:
constexpr int max_expression_nesting = 200;
// Levels of the expression tree, which evaluation recurses through; a flat chain such as
// 1+1+...+1 makes one level per operator:
constexpr int max_expression_depth = 1000;

struct ExpressionError : std::runtime_error {
  ExpressionError(std::size_t offset, const std::string& message)
      : std::runtime_error(message), offset(offset) {}
  std::size_t offset;  // into the expression text
};

// The random numbers behind gauss(), agauss(), unif(), aunif(), limit() and lognormal():
// xoshiro256** seeded through splitmix64, with its own transforms, so a seed gives the
// same numbers whatever the C++ library.
class Random {
public:
  explicit Random(std::uint64_t seed);
  std::uint64_t next();
  double uniform();  // in [-1, 1)
  double normal();   // N(0, 1), Box-Muller

private:
  std::uint64_t s_[4];
};

class Expression;
enum class Fn : std::uint8_t;

// A random function (gauss, agauss, unif, aunif, limit(nom, abs), lognormal) of its
// arguments `a`, drawn from `random`; its nominal value a[0] without one. Throws
// ExpressionError at `offset` for a zero sigma.
double draw(Fn fn, std::span<const double> a, Random* random, std::size_t offset);

// A .func: name(params) = body. The body may be set after expressions calling the
// function are parsed (.func cards may come in any order); it must be set before any is
// evaluated or compiled. Calls are checked against `params` when parsed.
struct UserFunction {
  std::string name;
  std::vector<std::string> params;
  std::shared_ptr<const Expression> body;
};
// The .func visible under a name (null when none).
using FunctionLookup = std::function<const UserFunction*(std::string_view name)>;

class Expression {
public:
  // Throws ExpressionError on a syntax error, an unknown function or a wrong number of
  // arguments. Calls of names that are not built in are looked up in `functions`.
  explicit Expression(std::string_view text, const FunctionLookup& functions = {});

  // Resolves a parameter name used at `offset`; throws (ExpressionError or anything)
  // when the name is unknown.
  using Lookup = std::function<double(const std::string& name, std::size_t offset)>;
  // Throws ExpressionError on domain errors (division by zero, log of <= 0, ...), on
  // any non-finite result, and on v(), i() and `time`, which need a circuit's solution.
  // Random functions draw from `random`, in evaluation order; without it they give their
  // nominal value (their first argument).
  double evaluate(const Lookup& lookup, Random* random = nullptr) const;
  // True when the expression calls a random function.
  bool random() const { return random_; }
  // The parameter names it uses (not "pi"), with their offsets, in text order.
  std::vector<std::pair<std::string, std::size_t>> names() const;

  // A constant expression (a plain number) needs no lookup.
  std::optional<double> constant() const;
  // Levels of its tree (1 for a number or a name): how deep evaluate() recurses.
  int depth() const { return depth_; }

  // The text it was parsed from.
  const std::string& text() const { return text_; }

  enum class Op {
    Number, Name, Call, Probe, Neg, Not, Add, Sub, Mul, Div, Pow,
    Eq, Ne, Lt, Le, Gt, Ge, And, Or, Ternary,
  };
  struct Node {
    Op op = Op::Number;
    double value = 0;     // Number
    std::string name;     // Name, Call; Probe: "v" or "i"
    std::size_t offset = 0;  // of the token (operator, name, number)
    std::vector<int> args;   // operands, in order
    int builtin = -1;        // Call: index into builtins() (expr/builtin.hpp), or -1 ...
    const UserFunction* user = nullptr;  // ... a .func
    std::vector<std::string> refs;  // Probe: the nodes of v(a[,b]), or the element of i(x)
  };
  // Operands come before their operator; the root is last.
  const std::vector<Node>& nodes() const { return nodes_; }
  int root() const { return root_; }
  // Where the text of node `index` begins (its leftmost token).
  std::size_t start(int index) const;

private:
  double eval(int node, const Lookup& lookup, Random* random) const;
  double call(const Node& n, const Lookup& lookup, Random* random) const;
  double call_user(const Node& n, const Lookup& lookup, Random* random) const;
  std::string text_;
  std::vector<Node> nodes_;
  int root_ = -1;
  int depth_ = 1;
  bool random_ = false;
};

// The points of `call`, a table() or pwl() in `e`, as they are read (x1,y1, x2,y2, ...):
// throws ExpressionError at the x that does not increase, when the last of `points` is one.
void check_points(const Expression& e, const Expression::Node& call, std::span<const double> points);

}  // namespace ns
