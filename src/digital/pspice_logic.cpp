#include "digital/pspice_logic.hpp"

#include <cctype>
#include <string>

#include <fmt/format.h>

#include "expr/expression.hpp"

namespace ns::digital::pspice {

namespace {

constexpr int max_depth = 1000;  // as deep as the expression language allows

bool name_char(char c) {
  return !std::isspace(static_cast<unsigned char>(c)) && std::string_view("~&|^()',=!").find(c) == std::string_view::npos;
}

class Parser {
public:
  Parser(std::string_view text, const std::function<int(std::string_view)>& name, bool functions)
      : s_(text), name_(name), functions_(functions) {}

  Expr run() {
    e_.root = disjunction(0);
    skip();
    if (k_ < s_.size()) fail(fmt::format("unexpected '{}'", s_[k_]));
    return std::move(e_);
  }

private:
  [[noreturn]] void fail(const std::string& what) const { throw SyntaxError(k_, what); }
  void skip() {
    while (k_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[k_]))) ++k_;
  }
  bool eat(std::string_view op) {
    skip();
    if (s_.substr(k_, op.size()) != op) return false;
    // '|' and '&' alone: '==' and '!=' are comparisons, not these
    k_ += op.size();
    return true;
  }
  int add(Expr::Node n) {
    e_.nodes.push_back(n);
    return static_cast<int>(e_.nodes.size() - 1);
  }
  int binary(Expr::Op op, int a, int b) { return add({.op = op, .a = a, .b = b}); }

  int disjunction(int depth) {
    int a = exclusive(depth);
    while (eat("|")) a = binary(Expr::Op::Or, a, exclusive(depth));
    return a;
  }
  int exclusive(int depth) {
    int a = conjunction(depth);
    while (eat("^")) a = binary(Expr::Op::Xor, a, conjunction(depth));
    return a;
  }
  int conjunction(int depth) {
    int a = unary(depth);
    while (eat("&")) a = binary(Expr::Op::And, a, unary(depth));
    return a;
  }
  int unary(int depth) {
    if (depth > max_depth) fail(fmt::format("nested more than {} deep", max_depth));
    if (eat("~")) return add({.op = Expr::Op::Not, .a = unary(depth + 1)});
    return primary(depth);
  }

  Level constant() {
    if (k_ + 1 >= s_.size()) fail("a constant ('0, '1, 'x, 'z) expected after '''");
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s_[k_ + 1])));
    if (std::string_view("01xzrf").find(c) == std::string_view::npos)
      fail(fmt::format("'{} is no logic constant ('0, '1, 'x, 'z)", s_[k_ + 1]));
    k_ += 2;
    return c == '0' ? Level::Zero : c == '1' ? Level::One : Level::Unknown;
  }

  std::string_view word() {
    skip();
    const std::size_t start = k_;
    while (k_ < s_.size() && name_char(s_[k_])) ++k_;
    if (k_ == start) fail(k_ < s_.size() ? fmt::format("unexpected '{}'", s_[k_]) : std::string("an operand expected"));
    return s_.substr(start, k_ - start);
  }
  int lookup(std::string_view w, std::size_t at) {
    const int i = name_(w);
    if (i < 0) {
      k_ = at;
      fail(fmt::format("unknown name '{}'", w));
    }
    return i;
  }

  int primary(int depth) {
    skip();
    if (eat("(")) {
      const int a = disjunction(depth + 1);
      if (!eat(")")) fail("')' expected");
      return a;
    }
    if (k_ < s_.size() && s_[k_] == '\'') return add({.op = Expr::Op::Const, .level = constant()});
    const std::size_t at = k_;
    const std::string_view w = word();
    if (functions_ && w.size() == 6 && w.starts_with("trn_")) {
      auto side = [&](char c) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (std::string_view("lhz$").find(c) == std::string_view::npos) {
          k_ = at;
          fail(fmt::format("'{}': a transition is trn_ and two of l, h, z, $", w));
        }
        return c;
      };
      return add({.op = Expr::Op::Trn, .from = side(w[4]), .to = side(w[5])});
    }
    if (functions_ && (w == "changed" || w == "changed_lh" || w == "changed_hl")) {
      if (!eat("(")) fail(fmt::format("'{}' takes (node, time)", w));
      const std::size_t n_at = (skip(), k_);
      const int n = lookup(word(), n_at);
      if (!eat(",")) fail(fmt::format("'{}' takes (node, time)", w));
      const std::size_t t_at = (skip(), k_);
      const std::string_view t = word();
      const auto dt = parse_number(t);
      if (!dt || *dt < 0) {
        k_ = t_at;
        fail(fmt::format("'{}' is no time", t));
      }
      if (!eat(")")) fail("')' expected");
      return add({.op = Expr::Op::Changed, .name = n, .edge = w == "changed" ? '\0' : w == "changed_lh" ? 'r' : 'f',
                  .dt = *dt});
    }
    const int n = lookup(w, at);
    if (functions_) {
      for (const auto& [op, text] : {std::pair{Expr::Op::Eq, "=="}, std::pair{Expr::Op::Ne, "!="}})
        if (eat(text)) {
          skip();
          if (k_ >= s_.size() || s_[k_] != '\'') fail(fmt::format("'{}' compares with a constant ('0, '1, 'x)", text));
          return add({.op = op, .name = n, .level = constant()});
        }
    }
    return add({.op = Expr::Op::Name, .name = n});
  }

  std::string_view s_;
  const std::function<int(std::string_view)>& name_;
  bool functions_;
  std::size_t k_ = 0;
  Expr e_;
};

Level of(bool b) { return b ? Level::One : Level::Zero; }

Level eval(const Expr& e, int k, const Context& c) {
  const Expr::Node& n = e.nodes[static_cast<std::size_t>(k)];
  using Op = Expr::Op;
  switch (n.op) {
    case Op::Name: return c.level(n.name);
    case Op::Const: return n.level;
    case Op::Not: return invert(eval(e, n.a, c));
    case Op::And:
    case Op::Or:
    {
      const Level x = eval(e, n.a, c), y = eval(e, n.b, c);
      const Level decides = n.op == Op::And ? Level::Zero : Level::One;
      if (x == decides || y == decides) return decides;
      return x == Level::Unknown || y == Level::Unknown ? Level::Unknown : invert(decides);
    }
    case Op::Xor:
    {
      const Level x = eval(e, n.a, c), y = eval(e, n.b, c);
      return x == Level::Unknown || y == Level::Unknown ? Level::Unknown : of(x != y);
    }
    case Op::Eq: return of(c.level(n.name) == n.level);
    case Op::Ne: return of(c.level(n.name) != n.level);
    case Op::Trn: return of(c.transition(n.from, n.to));
    case Op::Changed: return of(c.changed(n.name, n.dt, n.edge));
  }
  return Level::Unknown;
}

}  // namespace

Expr parse(std::string_view text, const std::function<int(std::string_view)>& name, bool functions) {
  return Parser(text, name, functions).run();
}

Level eval(const Expr& e, const Context& c) { return eval(e, e.root, c); }

}  // namespace ns::digital::pspice
