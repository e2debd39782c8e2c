#pragma once
// The parsed deck: logical cards (continuations joined, comments stripped, includes
// read) sorted into the subcircuit definitions they belong to. Internal to src/netlist.
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "netlist/expression.hpp"
#include "netlist/frontend.hpp"
#include "netlist/location.hpp"

namespace ns {

struct Token {
  enum class Kind { Word, Expr, String, LParen, RParen, Comma, Equals };
  Kind kind = Kind::Word;
  std::string text;         // Expr and String: the text between the delimiters
  std::size_t offset = 0;   // into Card::text, of the token's first character (Expr: of its body)
};

// One logical line. `text` is lower-case except for file names on .include/.lib; a
// continuation's '+' is kept as a blank so offsets map back to physical columns.
struct Card {
  struct Segment {
    std::size_t offset;  // into text
    int line, column;    // where text[offset] was in the file
  };
  std::string text;
  std::shared_ptr<const std::string> file;
  std::vector<Segment> segments;
  std::vector<Token> tokens;

  Location at(std::size_t offset) const;
  Location at(const Token& t) const { return at(t.offset); }
  Location where() const { return at(tokens.front()); }
  const std::string& keyword() const { return tokens.front().text; }
  // .param, or .params as PSpice and LTspice also spell it (their memristor libraries do);
  // not .param f(x) = {...}, which is a .func in HSPICE's and ngspice's other spelling.
  bool is_param() const {
    return (keyword() == ".param" || keyword() == ".params") && !is_param_function();
  }
  bool is_param_function() const {
    return (keyword() == ".param" || keyword() == ".params") && tokens.size() > 2 &&
           tokens[1].kind == Token::Kind::Word && tokens[2].kind == Token::Kind::LParen;
  }
};

// name=expression on .param and .subckt cards, parsed once.
struct ParamDef {
  std::string name;
  Location where;              // of the name
  const Card* card = nullptr;
  std::size_t offset = 0;      // of the expression in card->text
  std::shared_ptr<const Expression> expression;
  // A string parameter (name="text", ngspice's and HSPICE's): its text. Its expression is
  // then the constant 0, and a numeric use of it is refused (netlist/elaborate.cpp).
  std::optional<std::string> text;
};

// .func name(params) = body (netlist/functions.cpp): the body's text on its card, parsed
// once every .func of the deck is known.
struct FuncDef {
  UserFunction function;
  const Card* card = nullptr;
  std::size_t offset = 0, length = 0;  // of the body in card->text
  Location where;                      // of the name
};

// Deepest nesting of .subckt definitions, and of subcircuit instances in each other.
constexpr int max_subckt_depth = 100;

struct Subckt {
  std::string name;                        // empty for the top level
  const Card* card = nullptr;              // the .subckt card
  const Subckt* parent = nullptr;          // lexically enclosing definition
  std::vector<std::string> ports;
  // PSpice's optional pins (`optional: dpwr=$g_dpwr`): filled by an instance's nodes after
  // its ports, else connected to their default node.
  std::vector<std::pair<std::string, std::string>> optional;
  std::vector<ParamDef> defaults;          // params: on the .subckt card
  std::vector<ParamDef> params;            // .param cards in the body
  std::vector<const Card*> elements;       // element and X cards, in order
  std::map<std::string, const Card*> models;  // .model cards by name
  std::map<std::string, std::unique_ptr<Subckt>> children;
  std::map<std::string, std::unique_ptr<FuncDef>> functions;  // .func cards by name
  std::vector<const Card*> initial;        // .ic and .nodeset cards in the body, for each instance
};

// PSpice's U digital primitives (netlist/udevices.cpp): whether a U card names one (else
// it is a uniform RC line), and, once the deck is sorted, every such card in every scope
// rewritten into XSPICE A cards and their .model cards.
bool is_pspice_digital(const Card& card);
void translate_pspice_digital(Deck& deck);

// .func (netlist/functions.cpp): a card into its scope; once the deck is sorted, every body
// parsed and checked for recursion; the functions visible in a scope (its own, then its
// enclosing definitions'); where an offset into a body is on its card.
// A deck's .func, like a dialect's (netlist/dialect.cpp), may redefine a built-in function
// (ngspice expands .func before its own functions are looked up).
void read_func_card(const Card& card, Subckt& scope);
// .options dialect=ltspice|pspice: that dialect's meaning of the functions simulators
// compute differently, as .func cards in the top scope (netlist/dialect.cpp).
void add_dialect(Deck& deck);
// A .param card into a scope (netlist/reader.cpp); a name defined again warns.
void parse_param_card(const Card& card, Subckt& scope, std::vector<std::string>& warnings);
// `.step param NAME` with no .param NAME: LTspice's own parameter, 0 until stepped
// (netlist/step_params.cpp). After the deck's .param cards are read.
void add_stepped_params(Deck& deck);
void read_function_bodies(Deck& deck);
// .if/.elseif/.else/.endif (netlist/conditionals.cpp): the cards of the branches not taken
// (and the conditional cards themselves); `read_params` reads a .param card into a scope.
std::set<const Card*> untaken_branches(const Deck& deck,
                                       const std::function<void(const Card&, Subckt&)>& read_params);
FunctionLookup functions_of(const Subckt& scope);
Location locate_in_function(const Subckt& top, const Expression& body, std::size_t offset);

// A line of a .control block, as written (case kept, comments stripped, '+' lines
// joined), and where it starts; src/control interprets them.
struct ScriptLine {
  std::string text;
  Location where;
};

// Owned by a shared_ptr (read_deck), so that a Netlist can keep its deck for elaborating again.
struct Deck : std::enable_shared_from_this<Deck> {
  std::string title;
  std::deque<Card> cards;                  // stable addresses; every card of every file
  Subckt top;
  std::vector<const Card*> controls;       // every other dot card (options, outputs, analyses...), in order
  std::set<std::string> globals;           // .global nodes
  std::vector<std::string> warnings;
  std::vector<ScriptLine> script;          // every .control block's lines, in order
};

// Splits a card's text into tokens; throws InputError on an unterminated {, ' or ".
void tokenize(Card& card);
// PSpice's .STIMULUS NAME waveform, written in place of STIMULUS=NAME on V and I cards
// (netlist/stimulus.cpp).
void expand_stimuli(std::deque<Card>& cards);
// An InputError at `offset` of an expression that starts at `base` on the card.
[[noreturn]] void throw_at(const Card& card, std::size_t base, const ExpressionError& e);
// Parses the expression card.text[offset, offset+length); errors located on the card.
std::shared_ptr<const Expression> parse_expression(const Card& card, std::size_t offset,
                                                   std::size_t length,
                                                   const FunctionLookup& functions = {});

// A probe written at text[i]: v(a), v(a,b), i(v1) or @dev[q] (`where` not set); `end`
// is set just past it. nullopt when no probe starts there; ExpressionError (offset into
// `text`) when one starts but is malformed.
std::optional<ProbeRequest> read_probe(std::string_view text, std::size_t i, std::size_t& end);

// The expression card.text[begin, begin+length) with its probes read out: each probe call
// becomes the name quantity_name(k). Other names are left for the caller to check. Errors
// are InputErrors located on the card.
Quantity probe_expression(const Card& card, std::size_t begin, std::size_t length);

// What a .meas card may refer to besides probes.
struct MeasureScope {
  std::function<Number(const Card&, const Token&)> value;  // a number or {expression} of .params
  std::vector<std::string> params;                   // top-level .param names
  const std::vector<MeasureRequest>* earlier = nullptr;  // the measures of the cards before
  std::map<std::string, Location> all;               // every measure name in the deck
  FunctionLookup functions;                          // the top-level .func definitions, for param=
};
MeasureRequest parse_measure(const Card& card, const MeasureScope& scope);

// The control cards (netlist/control_cards.cpp), read once the circuit is elaborated:
// options, .ic/.nodeset, outputs, .step, .mc and .meas into the netlist; any other card
// is an analysis card, passed on as a ControlCard for the analysis of its name.
struct ControlScope {
  const Deck& deck;
  Netlist& netlist;  // elements, models and top-level .params complete
  std::function<Number(const Card&, const Token&)> value;  // a value of the top-level .params
  bool temp_card = false;  // a .temp card was read: it wins over '.options temp=' (ngspice 39)
};
void read_control_card(const Card& card, ControlScope& scope);
// A .four card (netlist/fourier_card.cpp).
FourierRequest parse_fourier(const Card& card, const std::function<Number(const Card&, const Token&)>& value);
// The v(node)=value pairs of a .ic or .nodeset card, each node through `node` (a subcircuit's
// names into its instance's) and each value through `value`.
void read_initial_values(const Card& card, const std::function<Number(const Card&, const Token&)>& value,
                         const std::function<std::string(const std::string&)>& node, std::vector<InitialValue>& out);

// A .control script's command as the dot card it spells (`keyword`: ".meas", `text`: the
// command's arguments, which begin at `where`); and a value on such a card: a number, or an
// expression of the netlist's top-level .params.
Card script_card(const std::string& keyword, const std::string& text, const Location& where);
Number param_value(const Card& card, const Token& t, const Netlist& netlist);

}  // namespace ns
