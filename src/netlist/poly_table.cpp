// E/G TABLE and E/G/F/H POLY(n) cards, written as the expression of a behavioural
// element (netlist/behavioural.cpp), with ngspice's meaning:
//
//   Ename n+ n- TABLE {expr} = (x1,y1) (x2,y2) ...   __table(expr, x1,y1, ...): the
//       points joined by lines, flat beyond the ends, corners rounded (expr/builtin.hpp)
//   Ename n+ n- POLY(n) c1+ c1- ... cn+ cn- p0 p1 ...  (G likewise; F/H name n sources)
//       p0 + p1 x1 + ... + pn xn + p(n+1) x1^2 + p(n+2) x1 x2 + ... + x2^2 + ... + x1^3 ...:
//       the products of each degree in order i <= j <= k..., as many as there are
//       coefficients (a single coefficient is p0: measured in ngspice 39, POLY(1) a 0 3
//       gives 3 whatever v(a)).
//
// And R, C, L whose value reads the circuit (v(), i(), time), as ngspice reads them:
//
//   Rname a b R={expr} (or {expr})   the current v(a,b) / expr (tc1=, tc2= may follow)
//   Cname a b C={expr}               the current expr * d/dt v(a,b) (measured in ngspice 39:
//       C={1u*(1+v(a))} on a ramp of 1 V/s draws 1.3893 uA at v(a) = 0.3893 V: C(v) dv/dt,
//       not d/dt (C(v) v))
//   Lname a b L={expr}               the voltage expr * d/dt i(Lname)
//   Cname a b Q={expr}, Lname a b flux={expr}: the current (voltage) d/dt expr, a charge
//
// The expression is written from the card's tokens; each piece remembers where it came
// from, so an error in it is located on the card.
#include <algorithm>

#include <fmt/format.h>

#include "netlist/behavioural.hpp"

namespace ns {

namespace {

using Kind = Token::Kind;

// A number or {expression} on the card, as an operand of the expression.
void operand(Writer& w, const Card& card, const Token& t, const std::string& name, const char* what) {
  if (t.kind == Kind::Expr) {
    w.glue("(");
    w.token(t.text, t.offset);
    w.glue(")");
    return;
  }
  if (t.kind != Kind::Word || !looks_numeric(t.text))
    throw InputError(card.at(t), fmt::format("expected {} on '{}', not '{}'", what, name, t.text));
  w.token(t.text, t.offset);
}

// LTspice's C1 a b Q=<expr> and L1 a b Flux=<expr>, written bare to the end of the card,
// where x is the element's own voltage (C) or current (L): Q=1u*x+0.5u*x*x. The element is
// the charge's (flux's) time derivative, ddt(<expr> with x replaced), which the behavioural
// source takes as a charge.
bool read_ltspice_charge(const Card& card, Element& e, const BehaviouralContext& c) {
  const auto& tk = card.tokens;
  const std::string& name = tk[0].text;
  const char letter = name[0];
  const std::size_t from = tk[5].offset;
  const std::string text = card.text.substr(from, card.text.find_last_not_of(" \t\r") + 1 - from);
  const auto parsed = parse_expression(card, from, text.size(), c.functions);
  std::vector<std::size_t> xs;  // offsets of x in text
  for (const Expression::Node& n : parsed->nodes())
    if (n.op == Expression::Op::Name && n.name == "x") xs.push_back(n.offset);
  std::sort(xs.begin(), xs.end());
  for (std::size_t j : {1, 2}) {
    if (tk[j].kind != Kind::Word)
      throw InputError(card.at(tk[j]), fmt::format("expected a node name on '{}', not '{}'", name, tk[j].text));
    e.nodes.push_back(c.node(tk[j].text));
    e.node_where.push_back(card.at(tk[j]));
  }
  const std::string own = letter == 'c' ? fmt::format("v({},{})", tk[1].text, tk[2].text) : fmt::format("i({})", name);
  Writer w(card);
  w.token("ddt(", tk[3].offset);
  std::size_t at = 0;
  for (std::size_t x : xs) {
    if (x > at) w.token(text.substr(at, x - at), from + at);
    w.token("(" + own + ")", from + x);
    at = x + 1;
  }
  if (at < text.size()) w.token(text.substr(at), from + at);
  w.glue(")");
  set_behaviour(e, w, letter == 'l', c);
  return true;
}

}  // namespace

bool read_behavioural_rcl(const Card& card, Element& e, const BehaviouralContext& c) {
  const auto& tk = card.tokens;
  const std::string& name = tk[0].text;
  const char letter = name[0];
  if ((letter != 'r' && letter != 'c' && letter != 'l') || tk.size() < 4) return false;
  // The value: {expr} right after the nodes, or R=/C=/L= {expr}; or C's Q= and L's flux=.
  std::size_t k = 3;
  const std::string charge = letter == 'c' ? "q" : letter == 'l' ? "flux" : "";
  const bool by_charge = tk.size() > 5 && tk[3].kind == Kind::Word && tk[3].text == charge &&
                         tk[4].kind == Kind::Equals && tk[5].kind == Kind::Expr;
  if (tk.size() > 5 && tk[3].kind == Kind::Word && (tk[3].text == std::string(1, letter) || by_charge) &&
      tk[4].kind == Kind::Equals)
    k = 5;
  if (!by_charge && !charge.empty() && tk.size() > 5 && tk[3].kind == Kind::Word && tk[3].text == charge &&
      tk[4].kind == Kind::Equals)
    return read_ltspice_charge(card, e, c);
  // LTspice writes R=V(x)*1k+100 bare: the rest of the card is the expression when it
  // parses and reads the circuit (else the card is a plain one, R=1k tc1=...).
  const bool bare = k == 5 && letter == 'r' && tk[k].kind != Kind::Expr;
  if (tk[k].kind != Kind::Expr && !bare) return false;
  std::shared_ptr<const Expression> value;
  const std::size_t length = bare ? card.text.size() - tk[k].offset : tk[k].text.size();
  try {
    value = parse_expression(card, tk[k].offset, length, c.functions);
  } catch (const InputError&) {
    if (bare) return false;
    throw;
  }
  const bool reads = std::any_of(value->nodes().begin(), value->nodes().end(), [](const Expression::Node& n) {
    return n.op == Expression::Op::Probe || (n.op == Expression::Op::Name && n.name == "time");
  });
  if (!reads && !by_charge) return false;
  const std::string text = bare ? card.text.substr(tk[k].offset, length) : tk[k].text;
  // An R may end with tc1=, tc2= (netlist/temperature_coefficients.cpp); nothing else may follow.
  TemperatureCoefficients tc;
  const std::size_t end = bare ? tk.size() : letter == 'r' ? read_temperature_coefficients(card, k + 1, tc) : tk.size();
  for (std::size_t j = bare ? tk.size() : k + 1; j < end; ++j)
    throw InputError(card.at(tk[j]), fmt::format("'{}' has a value that reads the circuit: nothing may follow "
                                                 "it (not '{}')", name, tk[j].text));
  for (std::size_t j : {1, 2}) {
    if (tk[j].kind != Kind::Word)
      throw InputError(card.at(tk[j]), fmt::format("expected a node name on '{}', not '{}'", name, tk[j].text));
    e.nodes.push_back(c.node(tk[j].text));
    e.node_where.push_back(card.at(tk[j]));
  }
  Writer w(card);
  const std::string across = fmt::format("v({},{})", tk[1].text, tk[2].text);
  if (by_charge) {  // the current (C) or voltage (L) is d/dt of the charge or flux: a charge
    w.token("ddt(", tk[3].offset);
    w.token(tk[k].text, tk[k].offset);
    w.glue(")");
  } else if (letter == 'r') {
    w.token(across, tk[1].offset);
    w.glue("/(");
  } else {
    w.glue("(");
  }
  if (!by_charge) {
    w.token(text, tk[k].offset);
    w.glue(")");
    if (tc.any()) {
      w.glue("/");
      write_temperature_factor(w, tc);
    }
    if (letter == 'c') w.token("*ddt(" + across + ")", tk[1].offset);
    if (letter == 'l') w.token(fmt::format("*ddt(i({}))", name), tk[0].offset);
  }
  set_behaviour(e, w, letter == 'l', c);
  return true;
}

// LTspice's Ename n+ n- nc+ nc- table=(x1,y1, x2,y2, ...) (G likewise): table(v(nc+,nc-),
// x1,y1, ...), the points joined by lines, flat beyond the ends, as LTspice documents it.
bool read_ltspice_table(const Card& card, Element& e, const BehaviouralContext& c) {
  const auto& tk = card.tokens;
  const std::string& name = tk[0].text;
  for (std::size_t k : {1, 2, 3, 4}) {
    if (tk[k].kind != Kind::Word)
      throw InputError(card.at(tk[k]), fmt::format("expected a node name on '{}', not '{}'", name, tk[k].text));
    if (k < 3) {
      e.nodes.push_back(c.node(tk[k].text));
      e.node_where.push_back(card.at(tk[k]));
    }
  }
  Writer w(card);
  w.token("table(", tk[5].offset);
  w.token(fmt::format("v({},{})", tk[3].text, tk[4].text), tk[3].offset);
  std::size_t points = 0;
  for (std::size_t k = 7; k < tk.size(); ++k) {
    if (tk[k].kind == Kind::LParen || tk[k].kind == Kind::RParen || tk[k].kind == Kind::Comma) continue;
    w.glue(",");
    operand(w, card, tk[k], name, points % 2 ? "a y value" : "an x value");
    ++points;
  }
  if (points < 2 || points % 2)
    throw InputError(card.at(tk[5]), fmt::format("table= on '{}' needs pairs x,y, at least one: {} value{} given",
                                                 name, points, points == 1 ? "" : "s"));
  w.glue(")");
  set_behaviour(e, w, name[0] == 'e', c);
  return true;
}

bool read_table_or_poly(const Card& card, Element& e, const BehaviouralContext& c) {
  const auto& tk = card.tokens;
  const std::string& name = tk[0].text;
  const char letter = name[0];
  if ((letter == 'e' || letter == 'g') && tk.size() > 7 && tk[5].kind == Kind::Word && tk[5].text == "table" &&
      tk[6].kind == Kind::Equals)
    return read_ltspice_table(card, e, c);
  if (tk.size() < 4 || tk[3].kind != Kind::Word) return false;
  const bool table = (letter == 'e' || letter == 'g') && tk[3].text == "table";
  const bool poly = (letter == 'e' || letter == 'g' || letter == 'f' || letter == 'h') && tk[3].text == "poly";
  if (!table && !poly) return false;
  for (std::size_t k : {1, 2}) {
    if (tk[k].kind != Kind::Word)
      throw InputError(card.at(tk[k]), fmt::format("expected a node name on '{}', not '{}'", name, tk[k].text));
    e.nodes.push_back(c.node(tk[k].text));
    e.node_where.push_back(card.at(tk[k]));
  }
  Writer w(card);
  std::size_t k = 4;
  if (table) {
    if (k >= tk.size() || tk[k].kind != Kind::Expr)
      throw InputError(k < tk.size() ? card.at(tk[k]) : card.at(tk[3]),
                       fmt::format("expected TABLE {{expression}} = (x1,y1) (x2,y2) ... on '{}'", name));
    w.token("__table(", tk[3].offset);
    w.token(tk[k].text, tk[k].offset);
    std::size_t points = 0;
    for (++k; k < tk.size(); ++k) {
      if (tk[k].kind == Kind::Equals || tk[k].kind == Kind::LParen || tk[k].kind == Kind::RParen ||
          tk[k].kind == Kind::Comma)
        continue;
      w.glue(",");
      operand(w, card, tk[k], name, points % 2 ? "a y value" : "an x value");
      ++points;
    }
    if (points < 2 || points % 2)
      throw InputError(card.at(tk[3]), fmt::format("TABLE on '{}' needs pairs (x,y), at least one: {} value{} "
                                                   "given", name, points, points == 1 ? "" : "s"));
    w.glue(")");
  } else {
    // POLY(n): the dimension, its controls, then the coefficients.
    if (k + 2 >= tk.size() || tk[k].kind != Kind::LParen || tk[k + 2].kind != Kind::RParen)
      throw InputError(card.at(tk[3]), fmt::format("expected POLY(n) on '{}'", name));
    const auto dim = parse_number(tk[k + 1].text);
    if (!dim || *dim < 1 || *dim > 20 || *dim != static_cast<int>(*dim))
      throw InputError(card.at(tk[k + 1]), fmt::format("POLY(n) takes a whole number of dimensions from 1 to "
                                                       "20, not '{}'", tk[k + 1].text));
    const auto n = static_cast<std::size_t>(*dim);
    k += 3;
    const bool nodes = letter == 'e' || letter == 'g';
    // Controls and coefficients, either also in parentheses and with commas, as ngspice reads
    // them: `POLY(2) (3,0) (4,0) 0 .5 .5`, `POLY(2) v1 v2 (0, 2.4e-5, 3.8e-5)`.
    std::vector<const Token*> rest;
    for (; k < tk.size(); ++k)
      if (tk[k].kind != Kind::Comma && tk[k].kind != Kind::LParen && tk[k].kind != Kind::RParen) rest.push_back(&tk[k]);
    std::size_t r = 0;
    std::vector<std::pair<std::string, std::size_t>> x;  // each control as an operand, and where
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t take = nodes ? 2 : 1;
      if (r + take > rest.size())
        throw InputError(card.where(), fmt::format("POLY({}) on '{}' needs {} {}", n, name, n * take,
                                                   nodes ? "control nodes" : "controlling sources"));
      for (std::size_t m = 0; m < take; ++m)
        if (rest[r + m]->kind != Kind::Word)
          throw InputError(card.at(*rest[r + m]), fmt::format("expected a {} on '{}', not '{}'",
                                                              nodes ? "node name" : "source name", name, rest[r + m]->text));
      x.emplace_back(nodes ? fmt::format("v({},{})", rest[r]->text, rest[r + 1]->text) : fmt::format("i({})", rest[r]->text),
                     rest[r]->offset);
      r += take;
    }
    const std::vector<const Token*> coefficients(rest.begin() + static_cast<std::ptrdiff_t>(r), rest.end());
    if (coefficients.empty())
      throw InputError(card.where(), fmt::format("POLY({}) on '{}' has no coefficients", n, name));
    // The products of degree d in SPICE's order: index tuples i1 <= i2 <= ... <= id.
    std::vector<std::size_t> tuple;  // the current product's indices; empty: the constant
    for (std::size_t p = 0; p < coefficients.size(); ++p) {
      if (p > 0) w.glue(" + ");
      operand(w, card, *coefficients[p], name, "a coefficient");
      for (std::size_t i : tuple) {
        w.glue("*");
        w.token(x[i].first, x[i].second);
      }
      // The next tuple: raise the last index that can rise, the ones after it equal to it;
      // past the last of a degree, the first of the next.
      std::size_t j = tuple.size();
      while (j > 0 && tuple[j - 1] + 1 == n) --j;
      if (j == 0) {
        tuple.assign(tuple.size() + 1, 0);
      } else {
        const std::size_t v = tuple[j - 1] + 1;
        for (std::size_t m = j - 1; m < tuple.size(); ++m) tuple[m] = v;
      }
    }
  }
  const bool voltage = letter == 'e' || letter == 'h';
  set_behaviour(e, w, voltage, c);
  return true;
}

}  // namespace ns
