#include "expr/expression.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>

#include <boost/spirit/home/x3.hpp>
#include <fmt/format.h>

#include "expr/builtin.hpp"
#include "expr/suggest.hpp"

namespace ns {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

double scale_of(std::string_view unit) {
  std::string u;
  for (char c : unit) u += lower(c);
  if (u.starts_with("meg")) return 1e6;
  if (u.starts_with("mil")) return 25.4e-6;
  if (u.empty()) return 1;
  switch (u[0]) {
    case 'f': return 1e-15;
    case 'p': return 1e-12;
    case 'n': return 1e-9;
    case 'u': return 1e-6;
    case 'm': return 1e-3;
    case 'k': return 1e3;
    case 'g': return 1e9;
    case 't': return 1e12;
    default: return 1;  // a unit such as V, A, s, Ohm, F
  }
}

}  // namespace

std::optional<double> parse_number(std::string_view s) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  const std::size_t start = i;
  bool any_digit = false;
  while (i < s.size() && is_digit(s[i])) ++i, any_digit = true;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, any_digit = true;
  }
  if (!any_digit) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < s.size() && is_digit(s[j])) {
      while (j < s.size() && is_digit(s[j])) ++j;
      i = j;
    }
  }
  // A unit or scale factor follows: a letter first, then letters or digits, ignored as
  // ngspice-39 ignores them: it reads 4k7 as 4k and 2m5 as 2m (not RKM's 4.7k, 2.5m).
  std::string unit(s.substr(i));
  // LTspice writes micro as a mu: UTF-8 U+00B5 or U+03BC, or the Latin-1 byte of older files.
  for (std::string_view mu : {"\xC2\xB5", "\xCE\xBC", "\xB5"})
    if (unit.starts_with(mu)) {
      unit.replace(0, mu.size(), "u");
      break;
    }
  if (!unit.empty() && !is_alpha(unit[0])) return std::nullopt;
  for (char c : unit)
    if (!is_alpha(c) && !is_digit(c)) return std::nullopt;
  double mantissa = 0;
  std::string digits(s.substr(start, i - start));
  if (digits.front() == '.') digits.insert(digits.begin(), '0');
  // A power-of-ten suffix joins the exponent, so "20u" is the double nearest 2e-5 (not
  // 20 * 1e-6, one ulp off), as a user reading the CSV expects.
  const double scale = scale_of(unit);
  const double power = std::round(std::log10(scale));
  if (scale != 1 && std::pow(10.0, power) == scale) {
    long exponent = static_cast<long>(power);
    if (const auto e = digits.find_first_of("eE"); e != std::string::npos) {
      // strtol saturates at LONG_MIN/MAX on a huge exponent; clamped, the sum cannot
      // overflow, and from_chars still finds the result out of range.
      exponent += std::clamp(std::strtol(digits.c_str() + e + 1, nullptr, 10), -100000L, 100000L);
      digits.resize(e);
    }
    digits += "e" + std::to_string(exponent);
  }
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), mantissa);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  const double value = std::pow(10.0, power) == scale ? mantissa : mantissa * scale;
  return negative ? -value : value;
}

bool looks_numeric(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') ++i;
  return i < s.size() && is_digit(s[i]);
}

namespace {

namespace x3 = boost::spirit::x3;
using Op = Expression::Op;
using Node = Expression::Node;
using It = std::string_view::const_iterator;

struct Builder {
  It begin, end;
  std::vector<Node>& nodes;
  std::vector<int> stack;
  std::vector<std::size_t> call_marks;  // stack depth when each open call began
  std::vector<std::size_t> operators;   // offsets of the operators not yet reduced
  int depth = 0;                        // of nested operands being parsed

  std::size_t offset(It it) const {
    while (it != end && (*it == ' ' || *it == '\t')) ++it;
    return static_cast<std::size_t>(it - begin);
  }
  int pop() {
    const int n = stack.back();
    stack.pop_back();
    return n;
  }
  void push(Node node) {
    nodes.push_back(std::move(node));
    stack.push_back(static_cast<int>(nodes.size() - 1));
  }
};
struct builder_tag;

template <class Ctx>
Builder& builder(Ctx& ctx) {
  return x3::get<builder_tag>(ctx);
}

// An operator's node is located at the operator itself, recorded when it was matched.
const auto mark_operator = [](auto& ctx) {
  Builder& b = x3::get<builder_tag>(ctx);
  b.operators.push_back(b.offset(x3::_attr(ctx).begin()));
};

template <class Parser>
auto op(const Parser& p) {
  return x3::raw[p][mark_operator];
}

template <Op op, int arity>
struct make_operator {
  template <class Ctx>
  void operator()(Ctx& ctx) const {
    Builder& b = builder(ctx);
    Node n;
    n.op = op;
    n.offset = b.operators.back();
    b.operators.pop_back();
    n.args.resize(arity);
    for (int k = arity - 1; k >= 0; --k) n.args[k] = b.pop();
    b.push(std::move(n));
  }
};

const auto push_number = [](auto& ctx) {
  Builder& b = builder(ctx);
  const auto& range = x3::_attr(ctx);
  const std::string_view text(&*range.begin(), static_cast<std::size_t>(range.end() - range.begin()));
  const auto value = parse_number(text);
  if (!value) throw ExpressionError(b.offset(range.begin()), fmt::format("invalid number '{}'", text));
  Node n;
  n.op = Op::Number;
  n.value = *value;
  n.offset = b.offset(range.begin());
  b.push(std::move(n));
};

const auto push_name = [](auto& ctx) {
  Builder& b = builder(ctx);
  const auto& range = x3::_attr(ctx);
  Node n;
  n.op = Op::Name;
  n.name.assign(range.begin(), range.end());
  n.offset = b.offset(range.begin());
  b.push(std::move(n));
};

// A call opens with its name node on the stack; the arguments follow it.
const auto open_call = [](auto& ctx) {
  push_name(ctx);
  Builder& b = builder(ctx);
  b.nodes.back().op = Op::Call;
  b.call_marks.push_back(b.stack.size());
};

const auto close_call = [](auto& ctx) {
  Builder& b = builder(ctx);
  const std::size_t mark = b.call_marks.back();
  b.call_marks.pop_back();
  Node& call = b.nodes[static_cast<std::size_t>(b.stack[mark - 1])];
  call.args.assign(b.stack.begin() + static_cast<std::ptrdiff_t>(mark), b.stack.end());
  b.stack.resize(mark);
};

// X3 parses by recursive descent, so input nested deep enough would overflow the stack:
// every nesting (parentheses, unary and power operators, ternaries) passes through
// `unary`, which counts its depth and gives up past max_expression_nesting.
template <class Subject>
struct depth_guard : x3::unary_parser<Subject, depth_guard<Subject>> {
  using x3::unary_parser<Subject, depth_guard<Subject>>::unary_parser;
  template <class Iterator, class Ctx, class RCtx, class Attr>
  bool parse(Iterator& first, const Iterator& last, const Ctx& ctx, RCtx& rctx, Attr& attr) const {
    Builder& b = builder(ctx);
    if (++b.depth > max_expression_nesting)
      throw ExpressionError(b.offset(first), fmt::format("expression nested more than {} deep",
                                                         max_expression_nesting));
    const bool ok = this->subject.parse(first, last, ctx, rctx, attr);
    --b.depth;
    return ok;
  }
};
template <class Parser>
auto guarded(const Parser& p) {
  return depth_guard<Parser>(p);
}

const auto close_call_paren = x3::rule<struct close_call_id>{"')'"} = x3::lit(')')[close_call];

// v(a), v(a,b), i(x): the names are nodes and elements, which may be numbers ("v(1)").
const auto open_probe = [](auto& ctx) {
  Builder& b = builder(ctx);
  const auto& range = x3::_attr(ctx);
  Node n;
  n.op = Op::Probe;
  n.name.assign(range.begin(), range.end());
  n.offset = b.offset(range.begin());
  b.push(std::move(n));
};
const auto add_ref = [](auto& ctx) {
  Builder& b = builder(ctx);
  const auto& range = x3::_attr(ctx);
  b.nodes[static_cast<std::size_t>(b.stack.back())].refs.emplace_back(range.begin(), range.end());
};
const auto ref_name = x3::rule<struct ref_id>{"node or element name"} =
    x3::raw[x3::lexeme[+(x3::char_ - x3::char_("(),") - x3::space)]][add_ref];
const auto probe = x3::raw[x3::lexeme[x3::char_("vi") >> &x3::lit('(')]][open_probe] >> '(' >>
                   (ref_name % ',') > x3::lit(')');
// A name may end in a whole-number index, rs[0]: ngspice's .param takes such names (decks
// that build a ladder's values one element at a time).
const auto identifier = x3::raw[x3::lexeme[(x3::alpha | x3::char_('_')) >> *(x3::alnum | x3::char_('_')) >>
                                           -(x3::char_('[') >> +x3::digit >> x3::char_(']'))]];
const auto number_literal = x3::raw[x3::lexeme[
    ((+x3::digit >> -('.' >> *x3::digit)) | ('.' >> +x3::digit)) >>
    -(x3::char_("eE") >> -x3::char_("+-") >> +x3::digit) >>
    // LTspice's micro, a mu (parse_number reads it): 115µ in a .param or B source
    -(x3::lit("\xC2\xB5") | x3::lit("\xCE\xBC") | x3::lit('\xB5')) >> *x3::alpha]];

x3::rule<struct ternary_id> const ternary = "expression";
x3::rule<struct or_id> const or_expr = "expression";
x3::rule<struct and_id> const and_expr = "expression";
x3::rule<struct equality_id> const equality = "expression";
x3::rule<struct relational_id> const relational = "expression";
x3::rule<struct additive_id> const additive = "expression";
x3::rule<struct multiplicative_id> const multiplicative = "expression";
x3::rule<struct unary_id> const unary = "operand";
x3::rule<struct power_id> const power = "operand";
x3::rule<struct primary_id> const primary = "operand";

// PSpice's single |, & and ~ are the logical or, and and not (its libraries use them:
// IF(V(A) > 1 | V(B) > 1, ...)), as ngspice reads them in its PSpice modes.
const auto ternary_def =
    or_expr >> -((op(x3::lit('?')) > ternary > x3::lit(':') > ternary)[make_operator<Op::Ternary, 3>{}]);
const auto or_expr_def = and_expr >> *((op(x3::lit("||") | x3::lit('|')) > and_expr)[make_operator<Op::Or, 2>{}]);
const auto and_expr_def = equality >> *((op(x3::lit("&&") | x3::lit('&')) > equality)[make_operator<Op::And, 2>{}]);
const auto equality_def = relational >> *((op(x3::lit("==")) > relational)[make_operator<Op::Eq, 2>{}] |
                                           (op(x3::lit("!=")) > relational)[make_operator<Op::Ne, 2>{}]);
const auto relational_def = additive >> *((op(x3::lit("<=")) > additive)[make_operator<Op::Le, 2>{}] |
                                          (op(x3::lit(">=")) > additive)[make_operator<Op::Ge, 2>{}] |
                                          (op(x3::lit('<')) > additive)[make_operator<Op::Lt, 2>{}] |
                                          (op(x3::lit('>')) > additive)[make_operator<Op::Gt, 2>{}]);
const auto additive_def =
    multiplicative >> *((op(x3::lit('+')) > multiplicative)[make_operator<Op::Add, 2>{}] |
                        (op(x3::lit('-')) > multiplicative)[make_operator<Op::Sub, 2>{}]);
const auto multiplicative_def =
    unary >> *((op(x3::lit('*') >> !x3::lit('*')) > unary)[make_operator<Op::Mul, 2>{}] |
               (op(x3::lit('/')) > unary)[make_operator<Op::Div, 2>{}]);
// Unary minus binds looser than the power operator: -2^2 is -4.
const auto unary_def = guarded((op(x3::lit('-')) > unary)[make_operator<Op::Neg, 1>{}] |
                               (x3::lit('+') > unary) |
                               (op((x3::lit('!') >> !x3::lit('=')) | x3::lit('~')) > unary)[make_operator<Op::Not, 1>{}] |
                               power);
const auto power_def =
    primary >> -((op(x3::lit("**") | x3::lit('^')) > unary)[make_operator<Op::Pow, 2>{}]);
const auto primary_def = number_literal[push_number] | probe |
                         ((identifier >> '(')[open_call] > -(ternary % ',') > close_call_paren) |
                         identifier[push_name] |
                         (x3::lit('(') > ternary > x3::lit(')')) |
                         // ngspice replaces {expr} inside an expression by its value:
                         // `v(a) / ({r0} * 2)` in a B source. A grouping, here.
                         (x3::lit('{') > ternary > x3::lit('}')) |
                         // ngspice's quotes likewise: `V = 'vref'*(v(a)/2 + ...)`.
                         (x3::lit('\'') > ternary > x3::lit('\''));

BOOST_SPIRIT_DEFINE(ternary, or_expr, and_expr, equality, relational, additive, multiplicative,
                    unary, power, primary)

std::string arity_text(int lo, int hi) {
  if (lo == hi) return fmt::format("{} argument{}", lo, lo == 1 ? "" : "s");
  return fmt::format("{} {} {} arguments", lo, hi == lo + 1 ? "or" : "to", hi);
}

// The argument counts a built-in takes, over its entries of that name.
std::string builtin_arity(std::string_view name) {
  int lo = 1000, hi = 0;
  for (const Builtin& b : builtins())
    if (b.name == name) lo = std::min(lo, b.min_args), hi = std::max(hi, b.max_args);
  return arity_text(lo, hi);
}

std::string describe_char(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return "end of expression";
  return fmt::format("'{}'", text[offset]);
}

}  // namespace

Expression::Expression(std::string_view text, const FunctionLookup& functions) : text_(text) {
  Builder b{text.begin(), text.end(), nodes_, {}, {}, {}};
  It first = text.begin();
  bool ok = false;
  try {
    ok = x3::phrase_parse(first, text.end(), x3::with<builder_tag>(b)[ternary], x3::space);
  } catch (const x3::expectation_failure<It>& e) {
    const std::size_t at = b.offset(e.where());
    const std::string which = e.which();
    const std::string expected = which.size() > 1 && which.front() == '\'' ? which : "an " + which;
    throw ExpressionError(at, fmt::format("syntax error: expected {} before {}", expected,
                                          describe_char(text, at)));
  }
  const std::size_t at = b.offset(first);
  if (!ok || at != text.size() || b.stack.size() != 1) {
    if (text.find_first_not_of(" \t") == std::string_view::npos)
      throw ExpressionError(0, "empty expression");
    throw ExpressionError(at, fmt::format("syntax error: unexpected {}", describe_char(text, at)));
  }
  root_ = b.stack.back();
  // evaluate() recurses over the tree, which a long chain such as 1+1+...+1 makes deep
  // without any nesting in the text. Operands come before their operator in nodes_.
  std::vector<int> depth(nodes_.size(), 1);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    for (int arg : nodes_[i].args) depth[i] = std::max(depth[i], depth[static_cast<std::size_t>(arg)] + 1);
    if (depth[i] > max_expression_depth)
      throw ExpressionError(nodes_[i].offset, fmt::format("expression has more than {} levels of "
                                                          "operations", max_expression_depth));
  }
  depth_ = depth[static_cast<std::size_t>(root_)];
  for (Node& n : nodes_) {
    if (n.op == Op::Probe) {
      const std::size_t most = n.name == "v" ? 2 : 1;
      if (n.refs.size() > most)
        throw ExpressionError(n.offset, n.name == "v" ? "v() takes one node, or two: v(a) or v(a,b)"
                                                      : "i() takes one element name: i(v1)");
      continue;
    }
    if (n.op != Op::Call) continue;
    const UserFunction* user = functions ? functions(n.name) : nullptr;
    // A dialect redefines a built-in (netlist/dialect.cpp) at its own arity only: limit(nom,
    // abs) stays the random draw when limit(x, lo, hi) is redefined.
    if (user && is_builtin(n.name) && user->params.size() != n.args.size()) user = nullptr;
    if (user) {
      if (user->params.size() != n.args.size())
        throw ExpressionError(n.offset, fmt::format("function '{}' takes {}, not {}", n.name,
                                                    arity_text(static_cast<int>(user->params.size()),
                                                               static_cast<int>(user->params.size())),
                                                    n.args.size()));
      n.user = user;
    } else if (const Builtin* f = find_builtin(n.name, n.args.size())) {
      n.builtin = static_cast<int>(f - builtins().data());
      random_ |= f->random;
      if ((f->fn == Fn::Table || f->fn == Fn::Pwl || f->fn == Fn::RoundedTable) && n.args.size() % 2 == 0)
        throw ExpressionError(n.offset, fmt::format("{}() takes x and then pairs x1,y1, x2,y2, ...: an odd "
                                                    "number of arguments, not {}", n.name, n.args.size()));
    } else if (is_builtin(n.name)) {
      throw ExpressionError(n.offset, fmt::format("function '{}' takes {}, not {}", n.name,
                                                  builtin_arity(n.name), n.args.size()));
    } else if (n.name == "dnlim" || n.name == "uplim") {
      // LTspice documents their limits but not the shape of their smooth transition, so no
      // reading of them here could be checked against it.
      throw ExpressionError(n.offset, fmt::format("LTspice's {}(x, limit, width) is not supported (its smooth "
                                                  "transition is undocumented): write {}(x, limit) for a hard limit",
                                                  n.name, n.name == "dnlim" ? "max" : "min"));
    } else {
      std::vector<std::string_view> names;
      for (const Builtin& b : builtins()) names.push_back(b.name);
      throw ExpressionError(n.offset, fmt::format("unknown function '{}'{}", n.name,
                                                  did_you_mean(n.name, names)));
    }
  }
}

std::vector<std::pair<std::string, std::size_t>> Expression::names() const {
  std::vector<std::pair<std::string, std::size_t>> result;
  for (const Node& n : nodes_)
    if (n.op == Op::Name && n.name != "pi") result.emplace_back(n.name, n.offset);
  std::sort(result.begin(), result.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  return result;
}

Random::Random(std::uint64_t seed) {
  // splitmix64 spreads one seed over the four words of state (never all zero).
  for (std::uint64_t& word : s_) {
    std::uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    word = z ^ (z >> 31);
  }
}

std::uint64_t Random::next() {
  auto rotl = [](std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Random::uniform() {
  // The top 53 bits as a fraction in [0, 1), mapped to [-1, 1).
  return static_cast<double>(next() >> 11) * 0x1.0p-52 - 1.0;
}

double Random::normal() {
  // Box-Muller with u1 in (0, 1], so the logarithm is finite.
  const double u1 = static_cast<double>((next() >> 11) + 1) * 0x1.0p-53;
  const double u2 = static_cast<double>(next() >> 11) * 0x1.0p-53;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::optional<double> Expression::constant() const {
  if (nodes_[static_cast<std::size_t>(root_)].op == Op::Number)
    return nodes_[static_cast<std::size_t>(root_)].value;
  return std::nullopt;
}

std::size_t Expression::start(int index) const {
  const Node& n = nodes_[static_cast<std::size_t>(index)];
  std::size_t at = n.offset;
  for (int a : n.args) at = std::min(at, start(a));
  return at;
}

void check_points(const Expression& e, const Expression::Node& call, std::span<const double> points) {
  const std::size_t k = points.size() - 1;
  if (k % 2 != 0 || k < 2 || points[k] > points[k - 2]) return;
  throw ExpressionError(e.start(call.args[k + 1]), fmt::format("{}(): the x values must increase, but {:g} "
                                                               "follows {:g}", call.name, points[k], points[k - 2]));
}

double Expression::evaluate(const Lookup& lookup, Random* random) const {
  return eval(root_, lookup, random);
}

// gauss(nom, rel[, sigma]), agauss(nom, abs[, sigma]), unif(nom, rel), aunif(nom, abs),
// limit(nom, abs), lognormal(nom, sigma); LTspice's gauss(sigma), flat(x), mc(x, y) (unif).
double draw(Fn fn, std::span<const double> a, Random* random, std::size_t offset) {
  const double sigma = a.size() > 2 ? a[2] : 1.0;
  if ((fn == Fn::Gauss || fn == Fn::Agauss) && sigma == 0)
    throw ExpressionError(offset, fmt::format("{}: sigma must not be zero", fn == Fn::Gauss ? "gauss" : "agauss"));
  if ((fn == Fn::Gauss && a.size() == 1) || fn == Fn::Flat) {  // LTspice's: mean 0
    if (!random) return 0;
    return a[0] * (fn == Fn::Flat ? random->uniform() : random->normal());
  }
  if (!random) return a[0];
  switch (fn) {
    case Fn::Gauss: return a[0] * (1 + a[1] / sigma * random->normal());
    case Fn::Agauss: return a[0] + a[1] / sigma * random->normal();
    case Fn::Unif: return a[0] * (1 + a[1] * random->uniform());
    case Fn::Aunif: return a[0] + a[1] * random->uniform();
    case Fn::RandomLimit: return a[0] + (random->uniform() < 0 ? -a[1] : a[1]);
    default: return a[0] * std::exp(a[1] * random->normal());  // lognormal
  }
}

// All arguments are evaluated, so their errors surface without a generator too.
double Expression::call(const Node& n, const Lookup& lookup, Random* random) const {
  std::vector<double> a;
  for (int arg : n.args) a.push_back(eval(arg, lookup, random));
  return draw(builtins()[static_cast<std::size_t>(n.builtin)].fn, a, random, n.offset);
}

// A .func call: the body evaluated with its parameters bound to the arguments. Names
// and errors inside the body are reported at the call, where the caller can locate them.
double Expression::call_user(const Node& n, const Lookup& lookup, Random* random) const {
  std::vector<double> args;
  for (int a : n.args) args.push_back(eval(a, lookup, random));
  const UserFunction& f = *n.user;
  if (!f.body) throw ExpressionError(n.offset, fmt::format("function '{}' has an empty body", f.name));
  try {
    return f.body->evaluate([&](const std::string& name, std::size_t) {
      for (std::size_t k = 0; k < f.params.size(); ++k)
        if (f.params[k] == name) return args[k];
      return lookup(name, n.offset);
    }, random);
  } catch (const ExpressionError& e) {
    throw ExpressionError(n.offset, fmt::format("in function '{}': {}", f.name, e.what()));
  }
}

double Expression::eval(int index, const Lookup& lookup, Random* random) const {
  const Node& n = nodes_[static_cast<std::size_t>(index)];
  auto arg = [&](std::size_t k) { return eval(n.args[k], lookup, random); };
  double v = 0;
  switch (n.op) {
    case Op::Number: v = n.value; break;
    case Op::Name:
      if (n.name == "pi") v = std::numbers::pi;
      else if (n.name == "time")
        throw ExpressionError(n.offset, "'time' is only known while simulating: it can only be used in "
                                        "a behavioural source (B, or E/G VALUE=)");
      else v = lookup(n.name, n.offset);
      break;
    case Op::Neg: v = -arg(0); break;
    case Op::Not: v = arg(0) == 0 ? 1 : 0; break;
    case Op::Add: v = arg(0) + arg(1); break;
    case Op::Sub: v = arg(0) - arg(1); break;
    case Op::Mul: v = arg(0) * arg(1); break;
    case Op::Div: {
      const double a = arg(0), b = arg(1);
      if (b == 0) throw ExpressionError(n.offset, "division by zero");
      v = a / b;
      break;
    }
    case Op::Pow: v = std::pow(arg(0), arg(1)); break;
    case Op::Eq: v = arg(0) == arg(1); break;
    case Op::Ne: v = arg(0) != arg(1); break;
    case Op::Lt: v = arg(0) < arg(1); break;
    case Op::Le: v = arg(0) <= arg(1); break;
    case Op::Gt: v = arg(0) > arg(1); break;
    case Op::Ge: v = arg(0) >= arg(1); break;
    case Op::And: v = (arg(0) != 0 && arg(1) != 0); break;
    case Op::Or: v = (arg(0) != 0 || arg(1) != 0); break;
    case Op::Ternary: v = arg(0) != 0 ? arg(1) : arg(2); break;
    case Op::Probe:
      throw ExpressionError(n.offset, fmt::format("{}() depends on the circuit's solution: it can only be "
                                                  "used in a behavioural source (B, or E/G VALUE=)", n.name));
    case Op::Call: {
      if (n.user) {
        v = call_user(n, lookup, random);
        break;
      }
      const Builtin& f = builtins()[static_cast<std::size_t>(n.builtin)];
      if (f.random) {
        v = call(n, lookup, random);
        break;
      }
      if (f.fn == Fn::Ddt || f.fn == Fn::Idt)
        throw ExpressionError(n.offset, fmt::format("{}() is a derivative or integral in time: it can only "
                                                    "be used in a behavioural source (B, or E/G VALUE=)", n.name));
      if (f.fn == Fn::Delay)
        throw ExpressionError(n.offset, "delay() reads the circuit's past: it can only be used in a behavioural "
                                        "source (B, or E/G VALUE=)");
      if (f.fn == Fn::Table || f.fn == Fn::Pwl || f.fn == Fn::RoundedTable) {
        std::vector<double> points;
        for (std::size_t k = 1; k < n.args.size(); ++k) {
          points.push_back(arg(k));
          check_points(*this, n, points);
        }
        double slope = 0;
        v = interpolate(f.fn, points, arg(0), &slope);
        break;
      }
      double a[3];
      for (std::size_t k = 0; k < n.args.size(); ++k) a[k] = arg(k);
      if ((f.fn == Fn::Log || f.fn == Fn::Log10) && a[0] <= 0)
        throw ExpressionError(n.offset, fmt::format("{} of non-positive value {:g}", n.name, a[0]));
      if (f.fn == Fn::Sqrt && a[0] < 0)
        throw ExpressionError(n.offset, fmt::format("sqrt of negative value {:g}", a[0]));
      // A parameter is exact: exp does not continue along its tangent as at run time.
      v = f.fn == Fn::Exp ? std::exp(a[0]) : apply(f.fn, a, n.args.size(), nullptr);
      break;
    }
  }
  if (!std::isfinite(v))
    throw ExpressionError(n.offset, fmt::format("the value is not finite ({})", v));
  return v;
}

}  // namespace ns
