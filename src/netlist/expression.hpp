#pragma once
// Numbers with SPICE suffixes, and the arithmetic expressions of {...}, '...' and .param
// right-hand sides. Errors carry an offset into the expression text; the caller turns
// it into a Location on the card.
#include <functional>
#include <optional>
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

struct ExpressionError : std::runtime_error {
  ExpressionError(std::size_t offset, const std::string& message)
      : std::runtime_error(message), offset(offset) {}
  std::size_t offset;  // into the expression text
};

class Expression {
public:
  // Throws ExpressionError on a syntax error.
  explicit Expression(std::string_view text);

  // Resolves a parameter name used at `offset`; throws (ExpressionError or anything)
  // when the name is unknown.
  using Lookup = std::function<double(const std::string& name, std::size_t offset)>;
  // Throws ExpressionError on domain errors (division by zero, log of <= 0, ...) and on
  // any non-finite result.
  double evaluate(const Lookup& lookup) const;

  // A constant expression (a plain number) needs no lookup.
  std::optional<double> constant() const;

  enum class Op {
    Number, Name, Call, Neg, Not, Add, Sub, Mul, Div, Pow,
    Eq, Ne, Lt, Le, Gt, Ge, And, Or, Ternary,
  };
  struct Node {
    Op op = Op::Number;
    double value = 0;     // Number
    std::string name;     // Name, Call
    std::size_t offset = 0;  // of the token (operator, name, number)
    std::vector<int> args;   // operands, in order
  };

private:
  double eval(int node, const Lookup& lookup) const;
  std::vector<Node> nodes_;
  int root_ = -1;
};

}  // namespace ns
