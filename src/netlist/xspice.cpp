// XSPICE A elements: `Aname conn ... model`, where a connection is a port (a node, a
// pair in parentheses, optionally typed %v %vd %i %id %g %gd %h %hd %d %vnam) or a
// vector [port port ...]; and the .model cards of code models, whose parameters may be
// vectors [v1 v2 ...], booleans and strings.
#include "netlist/xspice.hpp"
#include "netlist/connection_shapes.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include <fmt/format.h>

namespace ns {

namespace {

using Kind = Token::Kind;

constexpr std::array<std::string_view, 33> analog_code_models = {
    "gain", "summer", "mult", "divide", "limit", "climit", "pwl", "int", "d_dt", "s_xfer",
    "slew", "hyst", "aswitch", "zener", "sine", "triangle", "square", "filesource", "core",
    "lcouple", "cmeter", "lmeter", "ilimit", "multi_input_pwl", "pswitch", "delay", "sidiode",
    "astate", "memristor", "table2d", "table3d", "oneshot", "pwlts"};

constexpr std::array<std::string_view, 10> port_types = {"v", "vd", "i", "id", "g", "gd", "h", "hd", "d", "vnam"};

// A card's tokens with '[' and ']' split off the words they touch ("[n1", "n2]").
struct Piece {
  enum class What { Word, Open, Close, LParen, RParen, Other };
  What what;
  std::string text;
  std::size_t offset;
};

std::vector<Piece> pieces_of(const Card& card, std::size_t from) {
  std::vector<Piece> out;
  for (std::size_t k = from; k < card.tokens.size(); ++k) {
    const Token& t = card.tokens[k];
    switch (t.kind) {
      case Kind::Comma: continue;
      case Kind::LParen: out.push_back({Piece::What::LParen, t.text, t.offset}); continue;
      case Kind::RParen: out.push_back({Piece::What::RParen, t.text, t.offset}); continue;
      case Kind::Word: break;
      default: out.push_back({Piece::What::Other, t.text, t.offset}); continue;
    }
    std::size_t b = 0, e = t.text.size();
    for (; b < e && t.text[b] == '['; ++b) out.push_back({Piece::What::Open, "[", t.offset + b});
    std::size_t closes = 0;
    while (e > b && t.text[e - 1] == ']') --e, ++closes;
    if (e > b) out.push_back({Piece::What::Word, t.text.substr(b, e - b), t.offset + b});
    for (std::size_t j = 0; j < closes; ++j) out.push_back({Piece::What::Close, "]", t.offset + e + j});
  }
  return out;
}

}  // namespace

bool is_digital_code_model(const std::string& type) {
  if (type == "d_dt") return false;  // the analog differentiator
  return type.starts_with("d_") || type.starts_with("real_") || type.starts_with("int_") ||
         type == "adc_bridge" || type == "dac_bridge" || type == "bidi_bridge";
}

namespace {

// LTspice's A devices: eight nodes, then one of its built-in special functions (A1 in 0 0 0
// 0 0 out 0 SCHMITT Vt=.5 Vh=.1). Their thresholds, output stages and timing are LTspice's
// own and undocumented in detail, so they are refused by name rather than read as XSPICE.
void refuse_ltspice_special(const Card& card, const XspiceContext& c) {
  static constexpr std::string_view specials[] = {
      "inv",       "buf",      "and",        "or",           "xor",          "schmitt", "schmtinv", "schmtbuf",
      "diffschmitt", "diffschmtbuf", "diffschmtinv", "srflop", "dflop", "phasedet", "counter", "modulate",
      "modulate2", "samplehold", "varistor", "ota"};
  const auto& tk = card.tokens;
  if (tk.size() < 10) return;
  for (std::size_t k = 1; k <= 9; ++k)
    if (tk[k].kind != Token::Kind::Word || tk[k].text[0] == '%' || tk[k].text[0] == '[') return;
  if (std::find(std::begin(specials), std::end(specials), tk[9].text) == std::end(specials) || c.model(tk[9].text))
    return;
  throw InputError(card.at(tk[9]),
                   fmt::format("'{}' is an LTspice A-device special function ('{}'), which neurospice does not have: "
                               "write it as a B source (buf(), if(), a comparator) or an XSPICE code model",
                               tk[0].text, tk[9].text));
}

}  // namespace

void read_xspice_element(const Card& card, Element& e, const XspiceContext& c) {
  const std::string& name = card.tokens[0].text;
  refuse_ltspice_special(card, c);
  const std::vector<Piece> p = pieces_of(card, 1);
  if (p.empty())
    throw InputError(card.where(), fmt::format("'{}' needs connections and a model name", name));
  const Piece& model = p.back();
  if (model.what != Piece::What::Word || model.text[0] == '%' || model.text[0] == '~')
    throw InputError(card.at(model.offset),
                     fmt::format("'{}' ends with '{}': the last word of an A card names its model", name, model.text));
  const std::size_t end = p.size() - 1;
  if (end == 0) throw InputError(card.where(), fmt::format("'{}' has a model name but no connections", name));

  std::size_t i = 0;
  auto at = [&](std::size_t k) { return card.at(p[std::min(k, end)].offset); };
  auto add_node = [&](const Piece& w) {
    e.nodes.push_back(c.node(w.text));
    e.node_where.push_back(card.at(w.offset));
    return e.nodes.size() - 1;
  };
  auto word = [&](std::string_view what) -> const Piece& {
    if (i >= end || p[i].what != Piece::What::Word)
      throw InputError(at(i), fmt::format("expected {} on '{}'{}", what, name,
                                          i >= end ? ", before the model name" : fmt::format(", not '{}'", p[i].text)));
    return p[i++];
  };
  auto port = [&]() {
    XspicePort port;
    port.where = at(i);
    if (i < end && p[i].what == Piece::What::Word && p[i].text[0] == '~') {
      port.inverted = true;
      if (p[i].text.size() == 1) ++i;
      else {  // ~node: the node follows the tilde in the same word
        const Piece& w = p[i++];
        port.nodes.push_back(add_node({Piece::What::Word, w.text.substr(1), w.offset + 1}));
        return port;
      }
    }
    if (i < end && p[i].what == Piece::What::Word && p[i].text[0] == '%') {
      port.type = p[i].text.substr(1);
      if (std::find(port_types.begin(), port_types.end(), port.type) == port_types.end())
        throw InputError(at(i), fmt::format("unknown port type '{}' on '{}' (known: %v %vd %i %id %g %gd %h %hd %d %vnam)",
                                            p[i].text, name));
      ++i;
    }
    if (port.type == "vnam") {
      const bool paren = i < end && p[i].what == Piece::What::LParen;
      if (paren) ++i;
      const Piece& source = word("a voltage source name after '%vnam'");
      port.source = c.prefix + source.text;
      if (e.control.empty()) e.control = port.source, e.control_where = card.at(source.offset);
      if (paren && (i >= end || p[i++].what != Piece::What::RParen))
        throw InputError(at(i - 1), fmt::format("expected ')' after the source of '%vnam' on '{}'", name));
      return port;
    }
    const bool pair_type = port.type.size() == 2;  // vd id gd hd
    if (i < end && p[i].what == Piece::What::LParen) {
      const std::size_t open = i++;
      while (i < end && p[i].what == Piece::What::Word) port.nodes.push_back(add_node(p[i++]));
      if (i >= end || p[i].what != Piece::What::RParen)
        throw InputError(at(open), fmt::format("'(' on '{}' has no matching ')' before the model name", name));
      ++i;
      if (port.nodes.size() != 2 && (pair_type || port.type.empty()))
        throw InputError(at(open), fmt::format("a port in parentheses on '{}' takes two nodes, not {}", name,
                                               port.nodes.size()));
      if (port.nodes.size() != 1 && !pair_type && !port.type.empty())
        throw InputError(at(open), fmt::format("'%{}' on '{}' takes one node; a pair is '%{}d(a b)'", port.type, name,
                                               port.type));
      return port;
    }
    const Piece& n = word(pair_type ? "two nodes" : "a node");
    if (pair_type) {  // ngspice also takes the pair without parentheses: %gd a b
      port.nodes.push_back(add_node(n));
      if (i >= end || p[i].what != Piece::What::Word)
        throw InputError(card.at(n.offset), fmt::format("'%{}' on '{}' takes two nodes: %{}(a b)", port.type, name,
                                                        port.type));
      port.nodes.push_back(add_node(p[i++]));
      return port;
    }
    if (n.text == "null") port.null = true;
    else port.nodes.push_back(add_node(n));
    return port;
  };
  while (i < end) {
    XspiceConnection conn;
    conn.where = at(i);
    // A type before a vector applies to each member: %vd [a b c d], %vd([a b c d]).
    if (p[i].what == Piece::What::Word && p[i].text[0] == '%' && i + 2 < end &&
        (p[i + 1].what == Piece::What::Open ||
         (p[i + 1].what == Piece::What::LParen && p[i + 2].what == Piece::What::Open))) {
      const Piece& type = p[i++];
      const bool paren = p[i].what == Piece::What::LParen;
      if (paren) ++i;
      const std::size_t open = i++;
      conn.vector = true;
      while (i < end && p[i].what != Piece::What::Close) {
        XspicePort member;
        member.where = at(i);
        member.type = type.text.substr(1);
        if (std::find(port_types.begin(), port_types.end(), member.type) == port_types.end() || member.type == "vnam")
          throw InputError(card.at(type.offset), fmt::format("unknown port type '{}' before a vector on '{}'", type.text, name));
        for (std::size_t k = 0; k < (member.type.size() == 2 ? 2u : 1u); ++k)
          member.nodes.push_back(add_node(word("a node of the vector")));
        conn.ports.push_back(std::move(member));
      }
      if (i >= end) throw InputError(at(open), fmt::format("'[' on '{}' has no matching ']' before the model name", name));
      ++i;
      if (paren && (i >= end || p[i++].what != Piece::What::RParen))
        throw InputError(at(open), fmt::format("expected ')' after ']' on '{}'", name));
      e.connections.push_back(std::move(conn));
      continue;
    }
    if (p[i].what == Piece::What::Open) {
      const std::size_t open = i++;
      conn.vector = true;
      while (i < end && p[i].what != Piece::What::Close) conn.ports.push_back(port());
      if (i >= end) throw InputError(at(open), fmt::format("'[' on '{}' has no matching ']' before the model name", name));
      ++i;
    } else if (p[i].what == Piece::What::Close || p[i].what == Piece::What::RParen || p[i].what == Piece::What::Other) {
      throw InputError(at(i), fmt::format("unexpected '{}' on '{}'", p[i].text, name));
    } else {
      conn.ports.push_back(port());
    }
    e.connections.push_back(std::move(conn));
  }

  const auto visible = c.model(model.text);
  e.model = visible ? visible->first : model.text;
  e.model_where = card.at(model.offset);
  // Digital ports (%d, ~ inversion) are checked by the digital code models
  // (models/digital_*.cpp) against their connections, as analog ones by theirs.
}

bool read_code_model(const Card& card, Model& m, const std::function<Number(const Token&)>& value,
                     const std::function<std::optional<std::string>(const std::string&)>& string_param) {
  const std::vector<Piece> p = pieces_of(card, 3);
  // A card of another type is read as a code model's when it holds an array: a code
  // model neurospice lacks is then refused by its type, not by its first '['.
  if (!is_digital_code_model(m.type) &&
      std::find(analog_code_models.begin(), analog_code_models.end(), m.type) == analog_code_models.end() &&
      std::none_of(p.begin(), p.end(), [](const Piece& x) { return x.what == Piece::What::Open; }))
    return false;
  const auto& tk = card.tokens;
  auto token_at = [&](std::size_t offset) -> const Token& {
    for (const Token& t : tk)
      if (t.offset <= offset && offset < t.offset + std::max<std::size_t>(t.text.size(), 1)) return t;
    return tk.back();
  };
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i].what == Piece::What::LParen || p[i].what == Piece::What::RParen) continue;
    const bool assignment = p[i].what == Piece::What::Word && i + 1 < p.size() && p[i + 1].what == Piece::What::Other &&
                            p[i + 1].text == "=";
    // XSPICE also reads name "string" (d_lut's table_values "0001").
    const bool bare_string = p[i].what == Piece::What::Word && i + 1 < p.size() &&
                             token_at(p[i + 1].offset).kind == Kind::String;
    if ((!assignment || i + 2 >= p.size()) && !bare_string)
      throw InputError(card.at(p[i].offset),
                       fmt::format("expected name=value on '.model {}', not '{}'", tk[1].text, p[i].text));
    const Piece& pname = p[i];
    i += assignment ? 2 : 1;
    const Location where = card.at(pname.offset);
    if (p[i].what == Piece::What::Open) {
      Model::Array a{pname.text, {}, where};
      const std::size_t open = i++;
      for (; i < p.size() && p[i].what != Piece::What::Close && p[i].what != Piece::What::RParen; ++i) {
        const Token& v = token_at(p[i].offset);
        if (p[i].what == Piece::What::Word) a.values.push_back(value(Token{Kind::Word, p[i].text, p[i].offset}));
        else if (v.kind == Kind::Expr) a.values.push_back(value(v));
        else throw InputError(card.at(p[i].offset), fmt::format("expected a value in '{}=[...]', not '{}'", pname.text, p[i].text));
      }
      if (i == p.size() || p[i].what != Piece::What::Close)
        throw InputError(card.at(p[open].offset), fmt::format("'[' of '{}' has no matching ']'", pname.text));
      m.arrays.push_back(std::move(a));
    } else if (token_at(p[i].offset).kind == Kind::String) {
      m.strings.emplace_back(pname.text, token_at(p[i].offset).text);
    } else if (p[i].what == Piece::What::Word && string_param(p[i].text)) {
      m.strings.emplace_back(pname.text, *string_param(p[i].text));  // file=infile, a string parameter
    } else if (p[i].what == Piece::What::Word && (p[i].text == "true" || p[i].text == "false")) {
      m.params.push_back({pname.text, p[i].text == "true" ? 1.0 : 0.0, where});
    } else if (p[i].what == Piece::What::Word || token_at(p[i].offset).kind == Kind::Expr) {
      m.params.push_back({pname.text, value(token_at(p[i].offset)).value, where});
    } else {
      throw InputError(card.at(p[i].offset), fmt::format("expected a value for '{}', not '{}'", pname.text, p[i].text));
    }
  }
  return true;
}

void check_connection_shapes(const Element& e, std::string_view model, const std::vector<ConnectionShape>& shapes,
                             const std::vector<XspiceConnection>& connections) {
  if (connections.size() != shapes.size()) {
    std::string names;
    for (const auto& c : shapes) names += (names.empty() ? "" : " ") + std::string(c.name) + (c.vector ? "[]" : "");
    throw InputError(e.where, fmt::format("'{}' has {} connection{}; code model '{}' takes {} ({})", e.name,
                                          e.connections.size(), e.connections.size() == 1 ? "" : "s", model,
                                          shapes.size(), names));
  }
  for (std::size_t k = 0; k < shapes.size(); ++k) {
    const ConnectionShape& c = shapes[k];
    const XspiceConnection& conn = connections[k];
    // NULL stands for a whole vector too (bidi_bridge's dir), as in ngspice; the model
    // says whether it may be NULL.
    const bool null = !conn.vector && conn.ports.size() == 1 && conn.ports[0].null;
    if (conn.vector != c.vector && !(c.vector && null))
      throw InputError(conn.where, fmt::format("connection '{}' of code model '{}' {}", c.name, model,
                                               c.vector ? "is a vector: [node ...]" : "is not a vector: no [...]"));
    if (conn.ports.empty())
      throw InputError(conn.where, fmt::format("vector connection '{}' of '{}' is empty", c.name, e.name));
  }
}

}  // namespace ns
