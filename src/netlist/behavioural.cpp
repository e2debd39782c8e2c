#include "netlist/behavioural.hpp"

#include <fmt/format.h>

namespace ns {

namespace {
using Kind = Token::Kind;

// LTspice's B-source step hints written after the expression, tripdv=V tripdt=T (reject a
// step whose output moves more than tripdv within tripdt): warned and skipped, since the
// error test already bounds the step. Returns where the card's tail before them ends.
std::size_t ltspice_step_hints(const Card& card, std::size_t from, const BehaviouralContext& c) {
  const auto& tk = card.tokens;
  std::size_t end = tk.size();
  while (end >= from + 3 && tk[end - 3].kind == Kind::Word &&
         (tk[end - 3].text == "tripdv" || tk[end - 3].text == "tripdt") && tk[end - 2].kind == Kind::Equals)
    end -= 3;
  for (std::size_t k = end; c.warn && k < tk.size(); k += 3)
    c.warn(fmt::format("{}: warning: '{}' (LTspice's step hint) is ignored: the error test sets the step",
                       card.at(tk[k]).str(), tk[k].text));
  return end;
}

}  // namespace

// Bname n+ n- V={expr} | I={expr}, with or without the braces or the '=' (ngspice accepts
// each); Ename n+ n- VALUE={expr}, Gname n+ n- VALUE={expr} (also VALUE=expr), and
// ngspice's Ename n+ n- vol='expr', Gname n+ n- cur='expr' (HSPICE's spelling; only with
// the '=', since vol and cur may also be node names of a linear E or G).
bool read_behavioural(const Card& card, Element& e, const BehaviouralContext& c) {
  const auto& tk = card.tokens;
  const std::string& name = tk[0].text;
  const char letter = name[0];
  const bool value_card =
      (letter == 'e' || letter == 'g') && tk.size() > 3 && tk[3].kind == Kind::Word &&
      (tk[3].text == "value" ||
       (tk.size() > 4 && tk[4].kind == Kind::Equals && tk[3].text == (letter == 'e' ? "vol" : "cur")));
  if (read_table_or_poly(card, e, c) || read_behavioural_rcl(card, e, c)) return true;
  if (letter != 'b' && !value_card) return false;
  if (tk.size() < 4)
    throw InputError(card.where(), fmt::format("'{}' needs 2 nodes and V=expression or I=expression", name));
  for (std::size_t k : {1, 2}) {
    if (tk[k].kind != Kind::Word)
      throw InputError(card.at(tk[k]), fmt::format("expected a node name on '{}', not '{}'", name, tk[k].text));
    e.nodes.push_back(c.node(tk[k].text));
    e.node_where.push_back(card.at(tk[k]));
  }
  const Token& keyword = tk[3];
  if (letter == 'b' && (keyword.kind != Kind::Word || (keyword.text != "v" && keyword.text != "i")))
    throw InputError(card.at(keyword), fmt::format("expected V=expression or I=expression on '{}', not '{}'",
                                                   name, keyword.text));
  std::size_t next = 4;
  if (next < tk.size() && tk[next].kind == Kind::Equals) ++next;
  if (next == tk.size())
    throw InputError(card.at(keyword), fmt::format("'{}' has no expression after '{}'", name, keyword.text));
  TemperatureCoefficients tc;
  const std::size_t end = read_temperature_coefficients(card, next + 1, tc, ltspice_step_hints(card, next + 1, c));
  // One {...} or '...' token is the expression; otherwise the rest of the card (before
  // any tc1=, tc2=) is.
  std::size_t offset = tk[next].offset, length = tk[next].text.size();
  if (next + 1 != end || tk[next].kind != Kind::Expr) {
    // its '{' or quote (a signed -{...} token starts at its sign: nothing before it)
    const char before = offset > 0 ? card.text[offset - 1] : ' ';
    if (tk[next].kind == Kind::Expr && (before == '{' || before == '\'')) --offset;
    const std::size_t stop = end < tk.size() ? card.text.find_last_not_of(" \t\r", tk[end].offset - 1)
                                             : card.text.find_last_not_of(" \t\r");
    length = stop + 1 - offset;
  }
  const auto expression = parse_expression(card, offset, length, c.functions);
  const bool voltage = letter == 'b' ? keyword.text == "v" : letter == 'e';
  if (!tc.any()) {
    set_behaviour(e, *expression, voltage, [&](std::size_t at) { return card.at(offset + at); }, c);
    return true;
  }
  Writer w(card);
  w.glue("(");
  w.token(card.text.substr(offset, length), offset);
  w.glue(")*");
  write_temperature_factor(w, tc);
  set_behaviour(e, w, voltage, c);
  return true;
}

void set_behaviour(Element& e, const Writer& w, bool voltage, const BehaviouralContext& c) {
  std::shared_ptr<const Expression> expression;
  try {
    expression = std::make_shared<const Expression>(w.text(), c.functions);
  } catch (const ExpressionError& error) {
    throw InputError(w.at(error.offset), error.what());
  }
  set_behaviour(e, *expression, voltage, [&](std::size_t at) { return w.at(at); }, c);
}

void set_behaviour(Element& e, const Expression& expression, bool voltage,
                   const std::function<Location(std::size_t)>& at, const BehaviouralContext& c) {
  auto locate = [&](const Expression& in, std::size_t offset) {
    return &in == &expression ? at(offset) : c.locate(in, offset);
  };
  auto b = std::make_shared<Behaviour>();
  b->voltage = voltage;
  b->text = expression.text();
  b->where = at(0);
  try {
    b->program = std::make_shared<const Program>(
        expression, [&](const std::string& n, const Expression& in, std::size_t offset) {
          return c.param(n, locate(in, offset));
        }, c.random);
  } catch (const ExpressionError& error) {
    throw InputError(at(error.offset), error.what());
  }
  for (const ProgramInput& in : b->program->inputs()) {
    const Location where = locate(*in.written, in.offset);
    switch (in.kind) {
      case ProgramInput::Kind::Voltage: b->inputs.push_back(c.node(in.name)); break;
      case ProgramInput::Kind::Current:
        b->inputs.push_back(c.prefix + in.name);
        if (e.control.empty()) e.control = b->inputs.back(), e.control_where = where;
        break;
      case ProgramInput::Kind::Time:
      case ProgramInput::Kind::Temperature:
      case ProgramInput::Kind::State: b->inputs.emplace_back(); break;
    }
    b->input_where.push_back(where);
  }
  e.kind = 'b';
  e.behaviour = std::move(b);
}

}  // namespace ns
