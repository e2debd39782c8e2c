// Laplace-domain E and G cards, PSpice's and LTspice's spellings:
//
//   Ename n+ n- LAPLACE {input} = {H(s)}          (PSpice; G likewise)
//   Ename n+ n- nc+ nc- Laplace=H(s) [window=.. nfft=.. mtol=..]   (LTspice; input v(nc+,nc-))
//
// H(s) is a rational function of s whose other names are parameters. It is multiplied out
// here into N(s)/D(s) and realised by the XSPICE s_xfer code model (a state-space form,
// models/xspice_dynamic.cpp), between two internal nodes:
//
//   name#in:  a behavioural voltage source, v(name#u) = input
//   name#h:   s_xfer from name#u to name#y, num_coeff and den_coeff highest power first
//   name:     the card's own E (G) reading v(name#y)
//
// so the OP is H(0)·input, the AC response H(jω)·input, and a transient is the ODE of N/D
// (LTspice computes its transient from an impulse response by FFT instead; window=, nfft=
// and mtol= tune that and are not needed here). Only rational H(s) are taken: exp(-s*T)
// (a delay) and sqrt(s) are refused, located.
#include <cmath>

#include <fmt/format.h>

#include "expr/builtin.hpp"
#include "netlist/behavioural.hpp"
#include "netlist/laplace.hpp"

namespace ns {

namespace {

using Kind = Token::Kind;
using Poly = std::vector<double>;  // lowest power first

struct Rational {
  Poly num{0.0}, den{1.0};
};

Poly times(const Poly& a, const Poly& b) {
  Poly r(a.size() + b.size() - 1, 0.0);
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) r[i + j] += a[i] * b[j];
  return r;
}

Poly plus(const Poly& a, const Poly& b, double sign) {
  Poly r(std::max(a.size(), b.size()), 0.0);
  for (std::size_t i = 0; i < a.size(); ++i) r[i] += a[i];
  for (std::size_t i = 0; i < b.size(); ++i) r[i] += sign * b[i];
  return r;
}

bool constant(const Rational& r) { return r.num.size() == 1 && r.den.size() == 1; }
double value(const Rational& r) { return r.num[0] / r.den[0]; }

// Multiplies H(s) out, node by node; `param` gives a parameter's value.
class Multiplier {
public:
  Multiplier(const Expression& e, const std::function<double(const std::string&, std::size_t)>& param)
      : e_(e), param_(param) {}

  Rational of(int index) const {
    const Expression::Node& n = e_.nodes()[static_cast<std::size_t>(index)];
    auto arg = [&](std::size_t k) { return of(n.args[k]); };
    using Op = Expression::Op;
    switch (n.op) {
      case Op::Number: return {{n.value}, {1.0}};
      case Op::Name:
        if (n.name == "s") return {{0.0, 1.0}, {1.0}};
        if (n.name == "pi") return {{M_PI}, {1.0}};
        return {{param_(n.name, n.offset)}, {1.0}};
      case Op::Neg: {
        Rational r = arg(0);
        for (double& c : r.num) c = -c;
        return r;
      }
      case Op::Add: case Op::Sub: {
        const Rational a = arg(0), b = arg(1);
        return {plus(times(a.num, b.den), times(b.num, a.den), n.op == Op::Add ? 1.0 : -1.0), times(a.den, b.den)};
      }
      case Op::Mul: {
        const Rational a = arg(0), b = arg(1);
        return {times(a.num, b.num), times(a.den, b.den)};
      }
      case Op::Div: {
        const Rational a = arg(0), b = arg(1);
        if (std::all_of(b.num.begin(), b.num.end(), [](double c) { return c == 0; }))
          throw ExpressionError(n.offset, "division by zero in the Laplace transfer function");
        return {times(a.num, b.den), times(a.den, b.num)};
      }
      case Op::Pow: {
        const Rational base = arg(0), power = arg(1);
        if (!constant(power)) throw ExpressionError(n.offset, "a power of s in a Laplace transfer function must be a constant");
        const double p = value(power);
        if (constant(base)) return {{std::pow(value(base), p)}, {1.0}};
        if (p != std::floor(p) || std::abs(p) > 64)
          throw ExpressionError(n.offset, fmt::format("a Laplace transfer function must be rational in s: a power of "
                                                      "an expression in s must be a whole number, not {:g}", p));
        Rational r;
        r.num = {1.0};
        for (int k = 0; k < std::abs(static_cast<int>(p)); ++k) r = {times(r.num, base.num), times(r.den, base.den)};
        if (p < 0) std::swap(r.num, r.den);
        return r;
      }
      case Op::Call: {
        std::vector<double> a;
        for (std::size_t k = 0; k < n.args.size(); ++k) {
          const Rational r = arg(k);
          if (!constant(r))
            throw ExpressionError(n.offset, fmt::format("{}() of s: a Laplace transfer function must be a ratio of "
                                                        "polynomials in s (no delays, roots or other functions of s)",
                                                        n.name));
          a.push_back(value(r));
        }
        if (n.user || n.builtin < 0) throw ExpressionError(n.offset, fmt::format("'{}' in a Laplace transfer function: only built-in functions of parameters", n.name));
        const Builtin& f = builtins()[static_cast<std::size_t>(n.builtin)];
        if (f.random || f.fn == Fn::Table || f.fn == Fn::Pwl || f.fn == Fn::RoundedTable || f.fn == Fn::Ddt ||
            f.fn == Fn::Idt || f.fn == Fn::Delay)
          throw ExpressionError(n.offset, fmt::format("{}() in a Laplace transfer function", n.name));
        const double v = apply(f.fn, a.data(), a.size(), nullptr);
        if (!std::isfinite(v)) throw ExpressionError(n.offset, fmt::format("{}() is not finite here", n.name));
        return {{v}, {1.0}};
      }
      case Op::Probe:
        throw ExpressionError(n.offset, "a Laplace transfer function is of s and parameters only: the input "
                                        "is the card's (v(), i() are not read here)");
      default:
        throw ExpressionError(n.offset, "a Laplace transfer function takes + - * / and powers of s only");
    }
  }

private:
  const Expression& e_;
  std::function<double(const std::string&, std::size_t)> param_;
};

// Without its highest powers whose coefficients are exactly zero (1 + s - s: order 0).
Poly trimmed(Poly p) {
  while (p.size() > 1 && p.back() == 0) p.pop_back();
  return p;
}

}  // namespace

bool read_laplace(const Card& card, const BehaviouralContext& c, LaplaceParts& out) {
  const auto& tk = card.tokens;
  const std::string& name = tk[0].text;
  const char letter = name[0];
  if (letter != 'e' && letter != 'g') return false;
  auto word = [&](std::size_t k, std::string_view w) { return k < tk.size() && tk[k].kind == Kind::Word && tk[k].text == w; };
  const bool pspice = word(3, "laplace");
  const bool ltspice = word(5, "laplace") && tk.size() > 6 && tk[6].kind == Kind::Equals;
  if (!pspice && !ltspice) return false;
  for (std::size_t k = 1; k < (ltspice ? 5u : 3u); ++k)
    if (tk[k].kind != Kind::Word)
      throw InputError(card.at(tk[k]), fmt::format("expected a node name on '{}', not '{}'", name, tk[k].text));

  // The input, as a voltage source's expression, and the transfer function's text.
  std::string input_text;
  std::size_t input_offset = 0, h_offset = 0, h_length = 0;
  if (pspice) {
    if (tk.size() < 7 || tk[4].kind != Kind::Expr || tk[5].kind != Kind::Equals || tk[6].kind != Kind::Expr)
      throw InputError(card.at(tk[3]), fmt::format("expected LAPLACE {{input}} = {{H(s)}} on '{}'", name));
    if (tk.size() > 7) throw InputError(card.at(tk[7]), fmt::format("unexpected '{}' after the transfer function on '{}'", tk[7].text, name));
    input_text = tk[4].text;
    input_offset = tk[4].offset;
    h_offset = tk[6].offset;
    h_length = tk[6].text.size();
  } else {
    if (tk.size() < 8) throw InputError(card.at(tk[5]), fmt::format("'laplace=' on '{}' needs a function of s", name));
    input_text = fmt::format("v({},{})", tk[3].text, tk[4].text);
    input_offset = tk[3].offset;
    h_offset = tk[7].offset;
    // Bare to the end of the card, or to LTspice's window=, nfft=, mtol= (which tune its
    // FFT and are not needed by a rational realisation).
    std::size_t end = card.text.size();
    for (std::size_t k = 8; k + 1 < tk.size(); ++k)
      if (tk[k].kind == Kind::Word && tk[k + 1].kind == Kind::Equals) {
        if (tk[k].text != "window" && tk[k].text != "nfft" && tk[k].text != "mtol")
          throw InputError(card.at(tk[k]), fmt::format("unknown parameter '{}' after laplace= on '{}'", tk[k].text, name));
        if (end == card.text.size()) end = tk[k].offset;
        if (c.warn)
          c.warn(fmt::format("{}: warning: '{}=' on '{}' tunes LTspice's FFT of the transfer function; the "
                             "rational function is realised exactly here: ignored", card.at(tk[k]).str(), tk[k].text, name));
      }
    h_length = tk[7].kind == Kind::Expr ? tk[7].text.size() : end - h_offset;
    while (h_length > 0 && (card.text[h_offset + h_length - 1] == ' ' || card.text[h_offset + h_length - 1] == '\t'))
      --h_length;
  }

  const auto h = parse_expression(card, h_offset, h_length, c.functions);
  Rational r;
  try {
    r = Multiplier(*h, [&](const std::string& p, std::size_t at) {
          return c.param(p, card.at(h_offset + at));
        }).of(h->root());
  } catch (const ExpressionError& error) {
    throw_at(card, h_offset, error);
  }
  r.num = trimmed(r.num);
  r.den = trimmed(r.den);
  if (r.den.size() == 1 && r.den[0] == 0) throw InputError(card.at(h_offset), fmt::format("the transfer function of '{}' has a zero denominator", name));
  if (r.num.size() > r.den.size())
    throw InputError(card.at(h_offset), fmt::format("the transfer function of '{}' is improper (numerator of order {}, "
                                                    "denominator of order {}): it grows without bound with frequency",
                                                    name, r.num.size() - 1, r.den.size() - 1));

  const std::string u = c.node(name + "#u"), y = c.node(name + "#y");
  const Location where = card.where();

  // name#in: v(name#u) = input
  Element in;
  in.kind = 'b';
  in.name = c.prefix + name + "#in";
  in.where = where;
  in.nodes = {u, "0"};
  in.node_where = {card.at(input_offset), card.at(input_offset)};
  {
    std::shared_ptr<const Expression> input;
    if (pspice) {
      input = parse_expression(card, input_offset, input_text.size(), c.functions);
    } else {
      try {
        input = std::make_shared<const Expression>(input_text, c.functions);
      } catch (const ExpressionError& error) {
        throw InputError(card.at(input_offset), error.what());
      }
    }
    set_behaviour(in, *input, true, [&](std::size_t at) { return card.at(pspice ? input_offset + at : input_offset); }, c);
  }

  // name#h: s_xfer from name#u to name#y
  Model m;
  m.name = c.prefix + name + "#laplace";
  m.type = "s_xfer";
  m.where = card.at(h_offset);
  m.type_where = m.where;
  Model::Array num{"num_coeff", {}, m.where}, den{"den_coeff", {}, m.where};
  for (auto it = r.num.rbegin(); it != r.num.rend(); ++it) num.values.push_back({*it, m.where});
  for (auto it = r.den.rbegin(); it != r.den.rend(); ++it) den.values.push_back({*it, m.where});
  m.arrays = {num, den};
  Element a;
  a.kind = 'a';
  a.name = c.prefix + name + "#h";
  a.where = where;
  a.nodes = {u, y};
  a.node_where = {where, where};
  for (std::size_t k = 0; k < 2; ++k) {
    XspiceConnection conn;
    conn.where = where;
    XspicePort port;
    port.nodes = {k};
    port.where = where;
    conn.ports.push_back(port);
    a.connections.push_back(conn);
  }
  a.model = m.name;
  a.model_where = m.where;

  // The card itself: v(n+,n-) = v(name#y) (E), or that many amperes from n+ to n- (G).
  Element e;
  e.kind = 'b';
  e.name = c.prefix + name;
  e.where = where;
  for (std::size_t k : {1, 2}) {
    e.nodes.push_back(c.node(tk[k].text));
    e.node_where.push_back(card.at(tk[k]));
  }
  {
    const Expression output(fmt::format("v({})", name + "#y"));
    set_behaviour(e, output, letter == 'e', [&](std::size_t) { return card.at(h_offset); }, c);
  }
  out.elements = {std::move(in), std::move(a), std::move(e)};
  out.model = std::move(m);
  return true;
}

}  // namespace ns
