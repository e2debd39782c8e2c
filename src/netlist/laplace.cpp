// PSpice's Laplace sources, as vendor macromodels write them:
//
//     Ename n+ n- LAPLACE {expr} = {H(s)}     Gname n+ n- LAPLACE {expr} = {H(s)}
//
// and LTspice's Ename n+ n- nc+ nc- Laplace=H(s) (G likewise), whose input is v(nc+,nc-).
// the element's value (E: its voltage, G: its current) is expr filtered by H, a rational
// function of s whose coefficients may use parameters. H is reduced to num(s)/den(s) here,
// by walking its expression tree with polynomials for values, and handed to the
// behavioural source (models/behavioural_source.cpp) in the element's values, which it
// realises with one state per pole. Time is scaled, s = rate * p with rate the magnitude of the
// poles' geometric mean, so that the states are of the input's size: a 1 MHz pole written
// 1/(1+s*159n) would otherwise give a state of 1e-7 times the input, below any tolerance.
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "netlist/behavioural.hpp"

namespace ns {

namespace {

using Kind = Token::Kind;
using Poly = std::vector<double>;  // coefficients, lowest power first

Poly times(const Poly& a, const Poly& b) {
  Poly c(a.size() + b.size() - 1, 0.0);
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) c[i + j] += a[i] * b[j];
  return c;
}

Poly plus(const Poly& a, const Poly& b, double sign) {
  Poly c(std::max(a.size(), b.size()), 0.0);
  for (std::size_t i = 0; i < a.size(); ++i) c[i] += a[i];
  for (std::size_t i = 0; i < b.size(); ++i) c[i] += sign * b[i];
  return c;
}

void trim(Poly& p) {
  while (p.size() > 1 && p.back() == 0) p.pop_back();
}

struct Rational {
  Poly num{0.0}, den{1.0};
  bool constant() const { return num.size() == 1 && den.size() == 1; }
};

class Reducer {
public:
  Reducer(const Expression& e, const Card& card, std::size_t base, const BehaviouralContext& c)
      : e_(e), card_(card), base_(base), c_(c) {}

  Rational reduce(int index) {
    const Expression::Node& n = e_.nodes()[static_cast<std::size_t>(index)];
    using Op = Expression::Op;
    switch (n.op) {
      case Op::Number: return {{n.value}, {1.0}};
      case Op::Name:
        if (n.name == "s") return {{0.0, 1.0}, {1.0}};
        return {{numeric(index)}, {1.0}};
      case Op::Call: {
        if (uses_s(index)) fail(index, fmt::format("'{}(...)' of s: H(s) must be a ratio of polynomials in s", n.name));
        return {{numeric(index)}, {1.0}};
      }
      case Op::Neg: {
        Rational a = reduce(n.args[0]);
        for (double& x : a.num) x = -x;
        return a;
      }
      case Op::Add:
      case Op::Sub: {
        const Rational a = reduce(n.args[0]), b = reduce(n.args[1]);
        return {plus(times(a.num, b.den), times(b.num, a.den), n.op == Op::Add ? 1 : -1), times(a.den, b.den)};
      }
      case Op::Mul: {
        const Rational a = reduce(n.args[0]), b = reduce(n.args[1]);
        return {times(a.num, b.num), times(a.den, b.den)};
      }
      case Op::Div: {
        const Rational a = reduce(n.args[0]), b = reduce(n.args[1]);
        Poly bn = b.num;
        trim(bn);
        if (bn.size() == 1 && bn[0] == 0) fail(index, "division by zero in H(s)");
        return {times(a.num, b.den), times(a.den, b.num)};
      }
      case Op::Pow: {
        const Rational exponent = reduce(n.args[1]);
        const double k = exponent.num[0] / exponent.den[0];
        if (!exponent.constant() || k != std::round(k) || std::abs(k) > 20)
          fail(index, "a power in H(s) must be a whole number from -20 to 20");
        const Rational base = reduce(n.args[0]);
        Rational r;
        r.num = {1.0};
        for (int j = 0; j < std::abs(static_cast<int>(k)); ++j) r = {times(r.num, base.num), times(r.den, base.den)};
        if (k < 0) std::swap(r.num, r.den);
        return r;
      }
      case Op::Probe: fail(index, "H(s) cannot read the circuit: its coefficients are numbers and parameters");
      default:
        if (uses_s(index)) fail(index, "H(s) must be a ratio of polynomials in s (+, -, *, /, whole powers)");
        fail(index, "this operator is not allowed in H(s)");
    }
  }

private:
  bool uses_s(int index) const {
    const Expression::Node& n = e_.nodes()[static_cast<std::size_t>(index)];
    if (n.op == Expression::Op::Name && n.name == "s") return true;
    for (int a : n.args)
      if (uses_s(a)) return true;
    return false;
  }

  // A subexpression without s: the name's parameter value, or the call evaluated with the
  // instance's parameters (its text runs from its name to its closing parenthesis).
  double numeric(int index) {
    const Expression::Node& n = e_.nodes()[static_cast<std::size_t>(index)];
    const Location where = card_.at(base_ + n.offset);
    if (n.op == Expression::Op::Name) return n.name == "pi" ? std::numbers::pi : c_.param(n.name, where);
    const std::string& text = e_.text();
    std::size_t end = text.find('(', n.offset);
    for (int depth = 0; end < text.size(); ++end) {
      depth += text[end] == '(' ? 1 : text[end] == ')' ? -1 : 0;
      if (depth == 0) break;
    }
    const Expression call(std::string_view(text).substr(n.offset, end + 1 - n.offset), c_.functions);
    try {
      return call.evaluate([&](const std::string& name, std::size_t) { return c_.param(name, where); }, c_.random);
    } catch (const ExpressionError& error) {
      throw InputError(where, error.what());
    }
  }

  [[noreturn]] void fail(int index, const std::string& message) const {
    throw InputError(card_.at(base_ + e_.start(index)), message);
  }

  const Expression& e_;
  const Card& card_;
  std::size_t base_;
  const BehaviouralContext& c_;
};

}  // namespace

bool read_laplace(const Card& card, Element& e, const BehaviouralContext& c) {
  const auto& tk = card.tokens;
  const std::string& name = tk[0].text;
  const char letter = name[0];
  const auto keyword = [&](std::size_t k) { return tk.size() > k && tk[k].kind == Kind::Word && tk[k].text == "laplace"; };
  // PSpice: LAPLACE {input} = {H}; LTspice: nc+ nc- Laplace=H, the input v(nc+,nc-)
  const bool pspice = keyword(3), ltspice = keyword(5) && tk.size() > 6 && tk[6].kind == Kind::Equals;
  if ((letter != 'e' && letter != 'g') || (!pspice && !ltspice)) return false;
  if (pspice && (tk.size() != 7 || tk[4].kind != Kind::Expr || tk[5].kind != Kind::Equals || tk[6].kind != Kind::Expr))
    throw InputError(card.at(tk[3]), fmt::format("expected LAPLACE {{expression}} = {{H(s)}} on '{}'", name));
  if (ltspice && tk.size() < 8)
    throw InputError(card.at(tk[5]), fmt::format("'{}' has no H(s) after 'Laplace='", name));
  for (std::size_t k : {1, 2, 3, 4}) {
    if (pspice && k > 2) break;
    if (tk[k].kind != Kind::Word)
      throw InputError(card.at(tk[k]), fmt::format("expected a node name on '{}', not '{}'", name, tk[k].text));
    if (k > 2) break;
    e.nodes.push_back(c.node(tk[k].text));
    e.node_where.push_back(card.at(tk[k]));
  }
  std::shared_ptr<const Expression> input, h;
  std::size_t h_at = 0;  // H's first character on the card
  Writer w(card);
  if (pspice) {
    input = parse_expression(card, tk[4].offset, tk[4].text.size(), c.functions);
    h_at = tk[6].offset;
    h = parse_expression(card, h_at, tk[6].text.size(), c.functions);
  } else {
    for (std::size_t k = 8; k < tk.size(); ++k)
      if (tk[k].kind == Kind::Equals && tk[k - 1].kind == Kind::Word)  // window=, nfft=, mtol=
        throw InputError(card.at(tk[k - 1]), fmt::format("'{}=' on '{}' is not read: the Laplace transfer is "
                                                         "realised exactly, as states", tk[k - 1].text, name));
    w.glue("v(");
    w.token(tk[3].text, tk[3].offset);
    w.glue(",");
    w.token(tk[4].text, tk[4].offset);
    w.glue(")");
    try {
      input = std::make_shared<const Expression>(w.text(), c.functions);
    } catch (const ExpressionError& error) {
      throw InputError(w.at(error.offset), error.what());
    }
    h_at = tk[7].offset;
    const std::size_t end = card.text.find_last_not_of(" \t\r");
    h = tk.size() == 8 && tk[7].kind == Kind::Expr ? parse_expression(card, h_at, tk[7].text.size(), c.functions)
                                                   : parse_expression(card, h_at, end + 1 - h_at, c.functions);
  }
  Rational r = Reducer(*h, card, h_at, c).reduce(h->root());
  trim(r.num);
  trim(r.den);
  const Location at_h = card.at(h_at);
  if (r.den.size() == 1 && r.den[0] == 0) throw InputError(at_h, fmt::format("H(s) on '{}' divides by zero", name));
  if (r.num.size() > r.den.size())
    throw InputError(at_h, fmt::format("H(s) on '{}' has more zeros than poles ({} and {}): its gain grows without "
                                       "bound with frequency", name, r.num.size() - 1, r.den.size() - 1));
  if (r.den[0] == 0)
    throw InputError(at_h, fmt::format("H(s) on '{}' has a pole at s = 0 (an integrator), which has no DC operating "
                                       "point; a pole at a low frequency instead, 1/(s + w), has one", name));
  for (double x : r.num)
    if (!std::isfinite(x)) throw InputError(at_h, fmt::format("H(s) on '{}' has a coefficient that is not finite", name));
  for (double x : r.den)
    if (!std::isfinite(x)) throw InputError(at_h, fmt::format("H(s) on '{}' has a coefficient that is not finite", name));
  // s = rate * p: rate from the lowest and highest powers of den (the poles' geometric mean)
  const std::size_t n = r.den.size() - 1;
  std::size_t low = 0;
  while (low < n && r.den[low] == 0) ++low;
  const double rate = low < n ? std::pow(std::abs(r.den[low] / r.den[n]), 1.0 / static_cast<double>(n - low)) : 1.0;
  // The element's values: rate, then den (monic, n + 1 values), then num padded to n + 1
  // (models/behavioural_source.cpp reads them back).
  const double lead = r.den[n] * std::pow(rate, static_cast<double>(n));
  e.values.push_back({rate, at_h});
  for (std::size_t k = 0; k <= n; ++k)
    e.values.push_back({k == n ? 1.0 : r.den[k] * std::pow(rate, static_cast<double>(k)) / lead, at_h});
  for (std::size_t k = 0; k <= n; ++k)
    e.values.push_back({k < r.num.size() ? r.num[k] * std::pow(rate, static_cast<double>(k)) / lead : 0.0, at_h});
  set_behaviour(e, *input, letter == 'e', [&](std::size_t at) { return pspice ? card.at(tk[4].offset + at) : w.at(at); }, c);
  return true;
}

}  // namespace ns
