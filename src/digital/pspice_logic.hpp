#pragma once
// PSpice's digital boolean expressions, as LOGICEXP and PINDLY write them between braces
// (models/digital_pspice.cpp), on the levels 0, 1 and U:
//
//   operators   ~ (highest), &, ^, | (lowest): C's precedence; parentheses
//   operands    names; the constants '0 '1 'x ('z, 'r, 'f read as U)
//   comparison  name == 'c, name != 'c: a level against a constant (PINDLY's CASE)
//   functions   trn_pc (p, c each l, h, z or $ for any): the transition of the output
//               being delayed; changed(node, dt), changed_lh(...), changed_hl(...): whether
//               the node changed (0 to 1, 1 to 0) within dt before now, dt = 0 meaning now
//
// An unknown operand gives what the known ones decide (0 & U is 0, 1 | U is 1), else U.
#include <functional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "digital/network.hpp"

namespace ns::digital::pspice {

struct Expr {
  enum class Op { Name, Const, Not, And, Xor, Or, Eq, Ne, Trn, Changed };
  struct Node {
    Op op = Op::Const;
    int a = -1, b = -1;  // operands
    int name = -1;       // Name, Eq, Ne, Changed: the operand's index
    Level level = Level::Unknown;  // Const; Eq, Ne: the constant
    char from = '$', to = '$';     // Trn: l, h, z or $
    char edge = 0;                 // Changed: 0 any, 'r' 0 to 1, 'f' 1 to 0
    double dt = 0;                 // Changed
  };
  std::vector<Node> nodes;
  int root = -1;
};

// What an expression reads: its names' levels, and for PINDLY the output's transition and
// the pins' last changes.
struct Context {
  virtual ~Context() = default;
  virtual Level level(int name) const = 0;
  // The output goes from `from` to `to` (each 'l', 'h', 'z' or 'u').
  virtual bool transition(char /*from*/, char /*to*/) const { return false; }
  virtual bool changed(int /*name*/, double /*dt*/, char /*edge*/) const { return false; }
};

// Thrown for a malformed expression; `offset` into its text.
struct SyntaxError : std::runtime_error {
  SyntaxError(std::size_t at, const std::string& what) : std::runtime_error(what), offset(at) {}
  std::size_t offset;
};

// Parses `text`; `name` gives a name's index, or -1 (an unknown name: a SyntaxError).
// `functions`: whether trn_*, changed*() and comparisons are allowed (PINDLY).
Expr parse(std::string_view text, const std::function<int(std::string_view)>& name, bool functions);
Level eval(const Expr& e, const Context& c);

}  // namespace ns::digital::pspice
