// Reading a deck: physical lines -> logical cards (comments, continuations, .include,
// .lib sections, .control blocks, .end), then cards -> subcircuit definitions.
#include <cctype>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "netlist/deck.hpp"
#include "netlist/file_path.hpp"
#include "netlist/suggest.hpp"
#include "netlist/ascii.hpp"

namespace ns {

namespace fs = std::filesystem;

Location Card::at(std::size_t offset) const {
  const Segment* s = &segments.front();
  for (const Segment& candidate : segments)
    if (candidate.offset <= offset) s = &candidate;
  return Location{file, s->line, s->column + static_cast<int>(offset - s->offset)};
}

void throw_at(const Card& card, std::size_t base, const ExpressionError& e) {
  throw InputError(card.at(base + e.offset), e.what());
}

std::shared_ptr<const Expression> parse_expression(const Card& card, std::size_t offset,
                                                   std::size_t length, const FunctionLookup& functions) {
  try {
    return std::make_shared<const Expression>(std::string_view(card.text).substr(offset, length), functions);
  } catch (const ExpressionError& e) {
    throw_at(card, offset, e);
  }
}

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

void lower_in_place(std::string& s) { s = lower(std::move(s)); }

// A V or I card's LTspice `PWL file=NAME`: the name keeps its case (file systems care).
void lower_in_place(std::string& s, bool source_card) {
  const std::string original = source_card ? s : std::string();
  lower_in_place(s);
  if (!source_card) return;
  for (std::size_t at = s.find("file"); at != std::string::npos; at = s.find("file", at + 4)) {
    std::size_t k = s.find_first_not_of(" \t", at + 4);
    if (k == std::string::npos || s[k] != '=') continue;
    k = s.find_first_not_of(" \t", k + 1);
    if (k == std::string::npos) break;
    const bool quoted = s[k] == '"';
    const std::size_t end = quoted ? s.find('"', k + 1) : s.find_first_of(" \t\r", k);
    const std::size_t stop = end == std::string::npos ? s.size() : end;
    s.replace(k, stop - k, original, k, stop - k);
  }
}

// A .model card: its "quoted" strings (a code model's file="Data.txt") keep their case,
// as file systems care.
void lower_keeping_strings(std::string& s) {
  const std::string original = s;
  lower_in_place(s);
  for (std::size_t open = s.find('"'); open != std::string::npos;) {
    const std::size_t close = s.find('"', open + 1);
    if (close == std::string::npos) break;
    s.replace(open, close - open, original, open, close - open);
    open = s.find('"', close + 1);
  }
}

}  // namespace

namespace {

// ngspice reads an R, C or L value written in parentheses, `R4 a b R = (time < 1m ? {r1} :
// {r2})`, as one expression, its braces grouping like parentheses: one Expr token here.
void merge_parenthesized_value(Card& card) {
  auto& tk = card.tokens;
  if (tk.size() < 4 || tk[0].kind != Token::Kind::Word) return;
  const char letter = tk[0].text[0];
  if (letter != 'r' && letter != 'c' && letter != 'l') return;
  std::size_t k = 3;
  if (tk.size() > 5 && tk[4].kind == Token::Kind::Equals &&
      (tk[3].text == std::string(1, letter) || tk[3].text == "q" || tk[3].text == "flux"))
    k = 5;
  if (tk[k].kind != Token::Kind::LParen) return;
  std::size_t j = k;
  for (int depth = 0; j < tk.size(); ++j) {
    if (tk[j].kind == Token::Kind::LParen) ++depth;
    if (tk[j].kind == Token::Kind::RParen && --depth == 0) break;
  }
  if (j == tk.size()) return;  // unbalanced: the card's reader says where
  const std::size_t from = tk[k].offset;
  std::string text = card.text.substr(from, tk[j].offset + 1 - from);
  std::replace(text.begin(), text.end(), '{', '(');
  std::replace(text.begin(), text.end(), '}', ')');
  tk[k] = Token{Token::Kind::Expr, std::move(text), from};
  tk.erase(tk.begin() + static_cast<std::ptrdiff_t>(k) + 1, tk.begin() + static_cast<std::ptrdiff_t>(j) + 1);
}

}  // namespace

namespace {
// A character that ends a word: the delimiters tokenize() makes tokens of, and quotes.
bool ends_word(char c) {
  switch (c) {
    case ' ': case '\t': case '\r': case '{': case '}': case '\'': case '"': case '(': case ')': case ',': case '=':
      return true;
    default:
      return false;
  }
}
// KiCad 6 and later name a net after a pin it joins, Net-(R1-Pad2), unconnected-(U1-Pad3):
// a word ending in '-' runs on through a '(REF-PIN)' right after it, when that closes
// before any blank or other delimiter and holds a '-' (so 2-(x) stays an expression).
// `end` is where the word [begin, end) stops; returns where the name does.
std::size_t kicad_net_name_end(const std::string& t, std::size_t begin, std::size_t end) {
  if (end >= t.size() || t[end] != '(' || end == begin || t[end - 1] != '-' ||
      std::isdigit(static_cast<unsigned char>(t[begin])))
    return end;
  std::size_t close = end + 1;
  while (close < t.size() && !ends_word(t[close])) ++close;
  if (close == t.size() || t[close] != ')' || t.find('-', end + 1) >= close) return end;
  std::size_t after = close + 1;
  while (after < t.size() && !ends_word(t[after])) ++after;
  return after;
}

}  // namespace

void tokenize(Card& card) {
  const std::string& t = card.text;
  std::size_t i = 0;
  // Room for every token at once, not one reallocation per doubling (a 256x256 crossbar
  // has 65,536 cards). A bound: the first word, then one after each run of blanks, and a
  // delimiter token and a word after each other delimiter.
  std::size_t most = 1;
  for (std::size_t k = 0; k < t.size(); ++k)
    if (!is_blank(t[k])) most += ends_word(t[k]) ? 2 : 0;
    else most += k == 0 || !is_blank(t[k - 1]);
  card.tokens.reserve(most);
  auto push = [&](Token::Kind kind, std::string text, std::size_t offset) {
    card.tokens.push_back(Token{kind, std::move(text), offset});
  };
  while (i < t.size()) {
    const char c = t[i];
    if (is_blank(c)) {
      ++i;
    } else if (c == '{') {
      int depth = 0;
      std::size_t j = i;
      for (; j < t.size(); ++j) {
        if (t[j] == '{') ++depth;
        if (t[j] == '}' && --depth == 0) break;
      }
      if (j == t.size()) throw InputError(card.at(i), "'{' has no matching '}'");
      // A sign written before the braces, `-{p}` (LTspice takes it; ngspice 39 refuses it),
      // negates the expression: one value token, "-(p)", its characters still in place.
      if (!card.tokens.empty() && card.tokens.back().kind == Token::Kind::Word &&
          (card.tokens.back().text == "-" || card.tokens.back().text == "+") && card.tokens.back().offset + 1 == i) {
        const Token sign = card.tokens.back();
        card.tokens.pop_back();
        push(Token::Kind::Expr, sign.text + "(" + t.substr(i + 1, j - i - 1) + ")", sign.offset);
      } else {
        push(Token::Kind::Expr, t.substr(i + 1, j - i - 1), i + 1);
      }
      i = j + 1;
    } else if (c == '\'' || c == '"') {
      const std::size_t j = t.find(c, i + 1);
      if (j == std::string::npos)
        throw InputError(card.at(i), fmt::format("{} has no closing {}", c, c));
      push(c == '"' ? Token::Kind::String : Token::Kind::Expr, t.substr(i + 1, j - i - 1), i + 1);
      i = j + 1;
    } else if (c == '(' || c == ')' || c == ',' || c == '=') {
      const auto kind = c == '(' ? Token::Kind::LParen
                      : c == ')' ? Token::Kind::RParen
                      : c == ',' ? Token::Kind::Comma
                                 : Token::Kind::Equals;
      push(kind, std::string(1, c), i);
      ++i;
    } else {
      std::size_t j = i;
      while (j < t.size() && !ends_word(t[j])) ++j;
      if (j == i) throw InputError(card.at(i), fmt::format("unexpected '{}'", c));
      j = kicad_net_name_end(t, i, j);
      push(Token::Kind::Word, t.substr(i, j - i), i);
      i = j;
    }
  }
  merge_parenthesized_value(card);
}

namespace {

constexpr int max_include_depth = 64;

std::string_view strip_comment(std::string_view line) {
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == ';') return line.substr(0, i);
    if (c == '$' && (i + 1 == line.size() || line[i + 1] == ' ' || line[i + 1] == '\t'))
      return line.substr(0, i);
    // ngspice's C++-style comment; after a blank, so that a path's "a//b" stays whole
    if (c == '/' && i + 1 < line.size() && line[i + 1] == '/' && (i == 0 || is_blank(line[i - 1])))
      return line.substr(0, i);
  }
  return line;
}

std::vector<std::string> first_words(std::string_view line, std::size_t count) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (words.size() < count + 1) {
    while (i < line.size() && is_blank(line[i])) ++i;
    if (i == line.size()) break;
    std::size_t j = i;
    while (j < line.size() && !is_blank(line[j])) ++j;
    words.push_back(lower(std::string(line.substr(i, j - i))));
    i = j;
  }
  return words;
}

class Reader {
public:
  explicit Reader(Deck& deck) : deck_(deck) {}

  // Reads `text` as the file `display` (a path as the user would see it). A non-empty
  // `section` reads only that .lib section; returns false when it was not found.
  bool read(const std::string& display, const std::string& text, const std::string& section,
            bool top);
  void read_top(const std::string& display, const std::string& text) {
    texts_[key_of(display)] = text;
    stack_.emplace_back(key_of(display) + "\n", display);
    read(display, text, "", true);
  }

private:
  enum class Mode { Normal, Control, SkipSection, Outside, Aliases };
  struct Pending {
    Card card;
    bool active = false;
  };

  static std::string key_of(const std::string& path) {
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(fs::path(path), ec);
    return ec ? fs::path(path).lexically_normal().string() : p.string();
  }

  // Finishes a card: handles reader-level cards, stores the rest. May change `mode`.
  void finish(Card& card, Mode& mode, const std::string& section, const std::string& display);
  void include(const Card& card, const Token& file, const std::string& section,
               const std::string& display);

  Deck& deck_;
  std::map<std::string, std::string> texts_;  // file contents by canonical path
  std::vector<std::pair<std::string, std::string>> stack_;  // (key, display) being read
  bool end_ = false;        // .end seen in the top file
  bool file_end_ = false;   // .end seen in the current file
  Location open_section_;
  Location open_control_;
};

bool Reader::read(const std::string& display, const std::string& text, const std::string& section,
                  bool top) {
  const auto file = std::make_shared<const std::string>(display);
  Mode mode = section.empty() ? Mode::Normal : Mode::Outside;
  bool found = section.empty();
  file_end_ = false;
  Pending pending;
  std::istringstream in(text);
  std::string raw;
  int line_number = 0;
  while (!end_ && !file_end_ && std::getline(in, raw)) {
    ++line_number;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    // Ctrl-Z: the end of a DOS text file (vendors' model files still carry one).
    if (!raw.empty() && raw.front() == '\x1a') break;
    if (top && line_number == 1) {
      deck_.title = raw;
      continue;
    }
    const std::string_view content = strip_comment(raw);
    // Blank as is_blank() sees it: a line of stray '\r's is empty, not a card of no words.
    const std::size_t first = content.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || content[first] == '*') continue;
    if (content[first] == '+' && !(mode == Mode::Control && !pending.active)) {
      if (mode != Mode::Normal) continue;
      if (!pending.active)
        throw InputError(Location{file, line_number, static_cast<int>(first) + 1},
                         "continuation line '+' with no card before it");
      pending.card.segments.push_back({pending.card.text.size(), line_number, static_cast<int>(first) + 1});
      pending.card.text += ' ';
      pending.card.text += content.substr(first + 1);
      continue;
    }
    if (pending.active) {
      pending.active = false;
      finish(pending.card, mode, section, display);
      if (end_ || file_end_) break;
    }
    if (mode == Mode::Control) {
      // Script lines keep their case (echo text, file names); '+' continues the line before.
      std::string_view line = content.substr(first);
      while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
      if (first_words(line, 1)[0].starts_with(".endc")) mode = Mode::Normal;  // .endcontrol too, as ngspice reads it
      else if (line[0] == '+' && !deck_.script.empty())
        deck_.script.back().text += " " + std::string(line.substr(std::min(line.find_first_not_of(" \t", 1), line.size())));
      else deck_.script.push_back({std::string(line), Location{file, line_number, static_cast<int>(first) + 1}});
      continue;
    }
    if (mode != Mode::Normal) {
      const auto words = first_words(content, 2);
      if (mode == Mode::SkipSection && words[0] == ".endl") mode = Mode::Normal;
      if (mode == Mode::Aliases && words[0] == ".endaliases") mode = Mode::Normal;
      if (mode == Mode::Outside && words[0] == ".lib" && words.size() == 2 &&
          words[1] == lower(section))
        mode = Mode::Normal, found = true;
      continue;
    }
    pending.card = Card{};
    pending.card.file = file;
    pending.card.text = std::string(content);
    pending.card.segments.push_back({0, line_number, 1});
    pending.active = true;
  }
  if (pending.active && !end_ && !file_end_) finish(pending.card, mode, section, display);
  if (mode == Mode::SkipSection)
    throw InputError(open_section_, "'.lib' section has no '.endl' (or, as LTspice's '.lib FILE', no such file)");
  if (mode == Mode::Control) throw InputError(open_control_, "'.control' block has no '.endc'");
  if (mode == Mode::Aliases) throw InputError(open_control_, "'.aliases' block has no '.endaliases'");
  file_end_ = false;
  return found;
}

namespace {

// HSPICE's PAR('expression') on .print: the expression itself, in parentheses (.meas
// reads par() itself, measure_card.cpp). Rewritten in place, the same length
// ("par('" -> "    (", "')" -> ") "), so columns stay where they were.
void unwrap_par(std::string& text) {
  for (std::size_t at = text.find("par('"); at != std::string::npos; at = text.find("par('", at)) {
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_')) {
      at += 5;
      continue;
    }
    const std::size_t close = text.find("')", at + 5);
    if (close == std::string::npos) return;
    text.replace(at, 5, "    (");
    text.replace(close, 2, ") ");
    at = close + 2;
  }
}

}  // namespace

namespace {

// The libraries LTspice installs with itself (lib/sub, lib/cmp): a deck exported from a
// schematic names them bare (.lib UniversalOpamp2.sub, .lib LTC.lib), found in LTspice's
// own folders. Matched on the file's name, in any case, wherever the deck says it lies.
bool is_ltspice_library(std::string written) {
  std::replace(written.begin(), written.end(), '\\', '/');
  const std::string name = lower(fs::path(written).filename().string());
  static constexpr std::string_view whole[] = {"opamp.sub", "comparators.lib", "switches.lib", "references.lib",
                                               "misc.lib", "optos.lib", "standard.bjt", "standard.dio",
                                               "standard.mos", "standard.jft", "standard.cap", "standard.ind",
                                               "standard.res", "standard.bead"};
  if (std::ranges::find(whole, name) != std::end(whole)) return true;
  const bool lib = name.ends_with(".lib") || name.ends_with(".sub");
  return name.starts_with("universalopamp") ||
         (lib && (name.starts_with("ltc") || name.starts_with("adi") ||
                 (name.starts_with("lt") && name.size() > 2 && std::isdigit(static_cast<unsigned char>(name[2])))));
}

// PSpice's nom.lib: the index of the libraries PSpice installs, which every deck its
// schematic editor writes includes (.lib "nom.lib"), whether it uses a model from it or not.
bool is_pspice_index(std::string written) {
  std::replace(written.begin(), written.end(), '\\', '/');
  return lower(fs::path(written).filename().string()) == "nom.lib";
}

}  // namespace

void Reader::finish(Card& card, Mode& mode, const std::string& section, const std::string& display) {
  const std::size_t start = card.text.find_first_not_of(" \t\r");
  const std::size_t space = std::min(card.text.find_first_of(" \t\r", start), card.text.size());
  const std::string keyword = lower(card.text.substr(start, space - start));
  if (keyword == ".include" || keyword == ".inc" || keyword == ".lib")
    card.text = card.text.substr(0, start) + keyword + card.text.substr(space);
  else if (keyword == ".model" || keyword == ".param" || keyword == ".params" || keyword == ".subckt" ||
           keyword[0] == 'x')  // string parameters keep their case (a file name's)
    lower_keeping_strings(card.text);
  else
    lower_in_place(card.text, keyword[0] == 'v' || keyword[0] == 'i');
  if (keyword == ".print") unwrap_par(card.text);
  if (keyword == ".probe64") card.text.replace(start, 8, ".probe  ");  // PSpice's 64-bit .probe, the same card
  tokenize(card);
  if (card.tokens.empty()) return;
  auto args_are_words = [&] {
    for (std::size_t k = 1; k < card.tokens.size(); ++k)
      if (card.tokens[k].kind != Token::Kind::Word && card.tokens[k].kind != Token::Kind::String &&
          card.tokens[k].kind != Token::Kind::Expr)
        return false;
    return true;
  };
  if (keyword == ".end") {
    if (stack_.size() <= 1) end_ = true;
    else file_end_ = true;
    return;
  }
  if (keyword == ".include" || keyword == ".inc") {
    if (card.tokens.size() != 2 || !args_are_words())
      throw InputError(card.where(), "'.include' takes one file name");
    include(card, card.tokens[1], "", display);
    return;
  }
  if (keyword == ".lib") {
    if (card.tokens.size() == 3 && args_are_words()) {
      include(card, card.tokens[1], lower(card.tokens[2].text), display);
    } else if (card.tokens.size() == 2 && args_are_words() &&
               fs::is_regular_file(find_deck_file(fs::path(display).parent_path(), card.tokens[1].text))) {
      include(card, card.tokens[1], "", display);  // LTspice's `.lib FILE`: all of it
    } else if (card.tokens.size() == 2 && is_pspice_index(card.tokens[1].text)) {
      deck_.warnings.push_back(fmt::format("{}: warning: '{}' is PSpice's index of its own model libraries, which "
                                           "neurospice does not have: skipped (a model the deck takes from it "
                                           "is reported where it is used)",
                                           card.at(card.tokens[1]).str(), card.tokens[1].text));
    } else if (card.tokens.size() == 2 && is_ltspice_library(card.tokens[1].text)) {
      throw InputError(card.at(card.tokens[1]),
                       fmt::format("'{}' is one of LTspice's own component libraries, which neurospice does not "
                                   "have: put the .subckt or .model the deck uses in a file beside it and "
                                   "'.include' that",
                                   card.tokens[1].text));
    } else if (card.tokens.size() == 2 && card.tokens[1].kind == Token::Kind::Word) {
      if (!section.empty())
        throw InputError(card.where(), "'.lib' section inside another section (missing '.endl'?)");
      open_section_ = card.where();
      mode = Mode::SkipSection;  // a section is read only when a '.lib file section' names it
    } else {
      throw InputError(card.where(), "'.lib' takes a file name and a section name, or a section name");
    }
    return;
  }
  if (keyword == ".endl") {
    if (section.empty()) throw InputError(card.where(), "'.endl' without '.lib'");
    mode = Mode::Outside;
    return;
  }
  if (keyword == ".aliases") {  // PSpice's names for its waveform viewer: nothing to simulate
    open_control_ = card.where();
    mode = Mode::Aliases;
    return;
  }
  if (keyword == ".control") {
    open_control_ = card.where();
    mode = Mode::Control;
    return;
  }
  if (keyword == ".endc") {  // a stray one: ngspice warns and reads on
    deck_.warnings.push_back(fmt::format("{}: warning: '.endc' without '.control' is ignored", card.where().str()));
    return;
  }
  deck_.cards.push_back(std::move(card));
}

void Reader::include(const Card& card, const Token& file, const std::string& section,
                     const std::string& display) {
  const char* what = section.empty() ? "include" : "library";
  const fs::path path = find_deck_file(fs::path(display).parent_path(), file.text);
  const std::string shown = path.string();
  const std::string key = key_of(shown);
  const std::string frame = key + "\n" + section;
  for (std::size_t k = 0; k < stack_.size(); ++k) {
    if (stack_[k].first != frame) continue;
    std::string chain;
    for (std::size_t j = k; j < stack_.size(); ++j) chain += stack_[j].second + " -> ";
    throw InputError(card.where(), fmt::format("{} cycle: {}{}", what, chain, shown));
  }
  if (stack_.size() >= max_include_depth)
    throw InputError(card.where(), fmt::format("{} files nested more than {} deep", what,
                                               max_include_depth));
  auto it = texts_.find(key);
  if (it == texts_.end()) {
    std::ifstream in(path, std::ios::binary);
    if (!in || fs::is_directory(path))
      throw InputError(card.at(file), fmt::format("cannot open {} file '{}'", what, shown));
    std::ostringstream text;
    text << in.rdbuf();
    it = texts_.emplace(key, text.str()).first;
  }
  stack_.emplace_back(frame, shown);
  const bool found = read(shown, it->second, section, false);
  stack_.pop_back();
  if (!found)
    throw InputError(card.at(card.tokens[2]), fmt::format("no section '{}' in library file '{}'",
                                                          section, shown));
}

// Sorting cards into subcircuit definitions.

bool is_ignored_card(const std::string& k) {
  // LTspice's .backanno is its schematic link; its .savebias writes the bias point to a
  // file and .loadbias reads one back as a nodeset, a starting guess: neither changes a result.
  static const std::set<std::string> names = {".plot", ".width", ".backanno", ".savebias", ".loadbias"};
  return names.count(k) > 0;
}

ParamDef make_param(const Card& card, const Token& name, const Token& value) {
  if (value.kind == Token::Kind::String)
    return ParamDef{name.text, card.at(name), &card, value.offset, std::make_shared<const Expression>("0"), value.text};
  if (value.kind != Token::Kind::Word && value.kind != Token::Kind::Expr)
    throw InputError(card.at(value), fmt::format("expected a value for '{}'", name.text));
  return ParamDef{name.text, card.at(name), &card, value.offset,
                  parse_expression(card, value.offset, value.text.size()), std::nullopt};
}

// A second .param of a name in the same scope replaces the first everywhere, as ngspice 39
// does (.param a=1 b={a*2} a=5 gives b = 10, measured; a PDK's corner section sets a
// value its common file sets again), with a warning. A .param inside a .subckt of the name
// of one of its parameters is refused: which one an instance's value sets would be unclear.
void add_param(std::vector<ParamDef>& defs, const std::vector<ParamDef>& other, ParamDef def,
               std::vector<std::string>* warnings) {
  for (const ParamDef& d : other)
    if (d.name == def.name)
      throw InputError(def.where, fmt::format("parameter '{}' is already defined at {}", def.name, d.where.str()));
  for (auto d = defs.begin(); d != defs.end(); ++d)
    if (d->name == def.name) {
      if (!warnings)
        throw InputError(def.where, fmt::format("parameter '{}' is already defined at {}", def.name, d->where.str()));
      warnings->push_back(fmt::format("{}: warning: parameter '{}' defined again: this value replaces the one at {}",
                                      def.where.str(), def.name, d->where.str()));
      defs.erase(d);
      break;
    }
  defs.push_back(std::move(def));
}

bool is_identifier_start(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool is_identifier_char(char c) { return is_identifier_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

namespace {

// A string .param's value: "text", or ngspice's concatenation of string parameters of this
// scope and quoted pieces, written side by side (both=or{and}); nullopt for anything else.
std::optional<std::string> string_value(std::string_view v, const Subckt& scope) {
  std::string text;
  int pieces = 0;
  for (std::size_t i = 0; i < v.size(); ++pieces) {
    if (v[i] == '"') {
      const std::size_t close = v.find('"', i + 1);
      if (close == std::string_view::npos) return std::nullopt;
      text += v.substr(i + 1, close - i - 1);
      i = close + 1;
      continue;
    }
    const bool braced = v[i] == '{';
    std::size_t j = i + (braced ? 1 : 0), k = j;
    while (k < v.size() && is_identifier_char(v[k])) ++k;
    if (k == j || !is_identifier_start(v[j]) || (braced && (k == v.size() || v[k] != '}'))) return std::nullopt;
    const std::string_view name = v.substr(j, k - j);
    const ParamDef* def = nullptr;
    for (const Subckt* s = &scope; s && !def; s = s->parent)
      for (const auto* list : {&s->params, &s->defaults})
        for (const ParamDef& d : *list)
          if (d.name == name && d.text) def = &d;
    if (!def) return std::nullopt;
    text += *def->text;
    i = k + (braced ? 1 : 0);
  }
  if (pieces == 0) return std::nullopt;
  return text;
}

}  // namespace

// .param a=1 b={a*2} c='a+b' d=a*2+1: the right-hand side of an unbraced assignment
// runs until the next "name=" at bracket depth 0.
void parse_param_card(const Card& card, Subckt& scope, std::vector<std::string>& warnings) {
  const std::string& t = card.text;
  std::size_t i = card.tokens[0].offset + card.tokens[0].text.size();
  auto skip = [&] {
    while (i < t.size() && is_blank(t[i])) ++i;
  };
  // ngspice's indexed names, rs[0] = ...: the index is part of the name.
  auto index_end = [&](std::size_t j) {
    if (j >= t.size() || t[j] != '[') return j;
    std::size_t k = j + 1;
    while (k < t.size() && t[k] >= '0' && t[k] <= '9') ++k;
    return k > j + 1 && k < t.size() && t[k] == ']' ? k + 1 : j;
  };
  auto starts_assignment = [&](std::size_t j) {
    if (j >= t.size() || !is_identifier_start(t[j])) return false;
    while (j < t.size() && is_identifier_char(t[j])) ++j;
    j = index_end(j);
    while (j < t.size() && is_blank(t[j])) ++j;
    return j < t.size() && t[j] == '=' && (j + 1 == t.size() || t[j + 1] != '=');
  };
  skip();
  if (i == t.size()) throw InputError(card.where(), "'.param' needs name=value");
  while (i < t.size()) {
    const std::size_t name_at = i;
    if (!is_identifier_start(t[i]))
      throw InputError(card.at(i), fmt::format("expected a parameter name, not '{}'", t[i]));
    while (i < t.size() && is_identifier_char(t[i])) ++i;
    i = index_end(i);
    const std::string name = t.substr(name_at, i - name_at);
    skip();
    if (i == t.size() || t[i] != '=')
      throw InputError(card.at(name_at), fmt::format("expected '=' after parameter '{}'", name));
    ++i;
    skip();
    std::size_t begin = i, end = i;
    if (i < t.size() && (t[i] == '{' || t[i] == '\'')) {
      const char close = t[i] == '{' ? '}' : '\'';
      begin = i + 1;
      end = t.find(close, begin);  // the tokenizer has checked that it is there
      if (close == '}') {
        int depth = 0;
        for (end = i; end < t.size(); ++end) {
          if (t[end] == '{') ++depth;
          if (t[end] == '}' && --depth == 0) break;
        }
      }
      i = end + 1;
    } else {
      int depth = 0;
      while (i < t.size()) {
        if (t[i] == '(') ++depth;
        if (t[i] == ')') --depth;
        if (depth == 0 && t[i] == ',') break;
        if (depth == 0 && is_blank(t[i])) {
          std::size_t j = i;
          while (j < t.size() && is_blank(t[j])) ++j;
          if (starts_assignment(j)) break;
        }
        ++i;
      }
      end = i;
      while (end > begin && is_blank(t[end - 1])) --end;
    }
    if (end == begin)
      throw InputError(card.at(name_at), fmt::format("parameter '{}' has no value", name));
    if (const auto text = string_value(std::string_view(t).substr(begin, end - begin), scope)) {
      add_param(scope.params, scope.defaults,
                ParamDef{name, card.at(name_at), &card, begin, std::make_shared<const Expression>("0"), *text},
                &warnings);
      skip();
      if (i < t.size() && t[i] == ',') ++i, skip();
      continue;
    }
    add_param(scope.params, scope.defaults,
              ParamDef{name, card.at(name_at), &card, begin,
                       parse_expression(card, begin, end - begin, functions_of(scope)), std::nullopt},
              &warnings);
    skip();
    if (i < t.size() && t[i] == ',') ++i, skip();
  }
}

namespace {

void parse_subckt_card(const Card& card, Subckt& def) {
  const auto& tk = card.tokens;
  if (tk.size() < 2 || tk[1].kind != Token::Kind::Word)
    throw InputError(card.where(), "'.subckt' needs a name");
  def.name = tk[1].text;
  bool in_params = false;
  for (std::size_t k = 2; k < tk.size(); ++k) {
    const Token& t = tk[k];
    const bool assignment = t.kind == Token::Kind::Word && k + 1 < tk.size() &&
                            tk[k + 1].kind == Token::Kind::Equals;
    if (assignment && k + 2 == tk.size())
      throw InputError(card.at(t), fmt::format("parameter '{}' has no value", t.text));
    if (t.kind == Token::Kind::Word && t.text == "params:") {
      in_params = true;
    } else if (t.kind == Token::Kind::Word && t.text == "optional:") {
      // PSpice's optional pins: name=default node, until params: (netlist/udevices.cpp
      // drops the digital power pins they usually are).
      for (++k; k + 2 < tk.size() && tk[k].kind == Token::Kind::Word && tk[k].text != "params:" &&
                tk[k + 1].kind == Token::Kind::Equals && tk[k + 2].kind == Token::Kind::Word;
           k += 3)
        def.optional.emplace_back(tk[k].text, tk[k + 2].text);
      if (def.optional.empty())
        throw InputError(card.at(t), fmt::format("'optional:' on '.subckt {}' needs pin=node pairs", def.name));
      --k;
    } else if (assignment) {
      add_param(def.defaults, def.params, make_param(card, t, tk[k + 2]), nullptr);
      in_params = true;
      k += 2;
    } else if (t.kind == Token::Kind::Word && !in_params) {
      def.ports.push_back(t.text);
    } else {
      throw InputError(card.at(t), fmt::format("unexpected '{}' on '.subckt {}'", t.text, def.name));
    }
  }
}

void sort_cards(Deck& deck) {
  Subckt* scope = &deck.top;
  // An analysis card inside a subcircuit usually means its .ends is missing: say that
  // when it is so, and only otherwise that the card is misplaced.
  const Card* misplaced = nullptr;
  const Subckt* misplaced_in = nullptr;
  std::vector<std::pair<const Card*, Subckt*>> params;  // .param cards, read after every .func
  for (const Card& card : deck.cards) {
    const Token& first = card.tokens.front();
    if (first.kind != Token::Kind::Word)
      throw InputError(card.where(), fmt::format("a card cannot begin with '{}'", first.text));
  }
  expand_stimuli(deck.cards);
  std::vector<std::string> unused;  // the conditions' reading of the .params warns again below
  const std::set<const Card*> untaken =
      untaken_branches(deck, [&](const Card& c, Subckt& s) { parse_param_card(c, s, unused); });
  for (const Card& card : deck.cards) {
    if (untaken.count(&card)) continue;
    const std::string& k = card.keyword();
    if (k[0] != '.') {
      if (k[0] == 'u' && is_pspice_digital(card)) {  // else ngspice's uniform RC line (model urc)
        scope->elements.push_back(&card);  // rewritten once the scope's timing models are known
        continue;
      }
      if (element_letters.find(k[0]) == std::string_view::npos)
        throw InputError(card.where(), fmt::format("unknown element type '{}' in '{}' (known: {})", k[0], k,
                                                   fmt::join(element_letters, " ")));
      scope->elements.push_back(&card);
    } else if (k == ".subckt") {
      auto def = std::make_unique<Subckt>();
      def->card = &card;
      def->parent = scope;
      int depth = 1;
      for (const Subckt* s = scope; s->parent; s = s->parent) ++depth;
      if (depth > max_subckt_depth)
        throw InputError(card.where(), fmt::format("'.subckt' definitions nested more than {} deep",
                                                   max_subckt_depth));
      parse_subckt_card(card, *def);
      const auto existing = scope->children.find(def->name);
      if (existing != scope->children.end())
        throw InputError(card.at(card.tokens[1]),
                         fmt::format("subcircuit '{}' is already defined at {}", def->name,
                                     existing->second->card->where().str()));
      Subckt* child = def.get();
      scope->children.emplace(def->name, std::move(def));
      scope = child;
    } else if (k == ".ends") {
      if (scope == &deck.top) throw InputError(card.where(), "'.ends' without '.subckt'");
      // .ends closes the innermost open .subckt whatever name it gives, as in ngspice 39,
      // which reads past a different one silently (corpus decks write '.ends lump' after
      // '.subckt rlclump'); we say which one it closed.
      if (card.tokens.size() > 1 && card.tokens[1].text != scope->name)
        deck.warnings.push_back(fmt::format("{}: warning: '.ends {}' closes '.subckt {}' (the innermost open one)",
                                            card.at(card.tokens[1]).str(), card.tokens[1].text, scope->name));
      scope = const_cast<Subckt*>(scope->parent);
    } else if (card.is_param()) {
      params.emplace_back(&card, scope);
    } else if (k == ".func" || card.is_param_function()) {
      read_func_card(card, *scope);
    } else if (k == ".model") {
      if (card.tokens.size() < 3 || card.tokens[1].kind != Token::Kind::Word ||
          card.tokens[2].kind != Token::Kind::Word)
        throw InputError(card.where(), "'.model' needs a name and a type");
      const std::string& name = card.tokens[1].text;
      const auto [it, added] = scope->models.emplace(name, &card);
      // The same card again (ngspice's examples repeat a bridge's .model beside each use):
      // one model. A different one in the same scope: the first is used, as ngspice 39 does
      // (silently there; a D model's is, an adc_bridge's thresholds), and we say so.
      auto same = [](const Card& a, const Card& b) {
        return a.tokens.size() == b.tokens.size() &&
               std::equal(a.tokens.begin(), a.tokens.end(), b.tokens.begin(),
                          [](const Token& x, const Token& y) { return x.kind == y.kind && x.text == y.text; });
      };
      if (!added && !same(*it->second, card))
        deck.warnings.push_back(fmt::format("{}: warning: model '{}' is defined again; its first definition, at {}, "
                                            "is used (as ngspice does)", card.at(card.tokens[1]).str(), name,
                                            it->second->where().str()));
    } else if (k == ".global") {
      for (std::size_t j = 1; j < card.tokens.size(); ++j) deck.globals.insert(card.tokens[j].text);
    } else if ((k == ".ic" || k == ".nodeset") && scope != &deck.top) {
      scope->initial.push_back(&card);  // ngspice sets it in every instance (its nodes mapped there)
    } else if (k == ".stimulus") {
      // written into the sources that name it (expand_stimuli)
    } else if (is_ignored_card(k)) {
      deck.warnings.push_back(fmt::format("{}: warning: '{}' is ignored", card.where().str(), k));
    } else {
      // Options, outputs, .step... and the analyses, which are registered in the analysis
      // layer: a card no analysis knows is reported there.
      if (scope == &deck.top) deck.controls.push_back(&card);
      else if (!misplaced) misplaced = &card, misplaced_in = scope;
    }
  }
  if (scope != &deck.top)
    throw InputError(scope->card->where(),
                     fmt::format("subcircuit '{}' has no '.ends'", scope->name));
  if (misplaced)
    throw InputError(misplaced->where(), fmt::format("'{}' is not allowed inside subcircuit '{}'",
                                                     misplaced->keyword(), misplaced_in->name));
  translate_pspice_digital(deck);
  add_dialect(deck);
  // A .param may call any .func of its scope, wherever the .func card is.
  read_function_bodies(deck);
  for (const auto& [card, in] : params) parse_param_card(*card, *in, deck.warnings);
  add_stepped_params(deck);
}

std::shared_ptr<const Deck> read_text(const std::string& display, const std::string& text) {
  auto deck = std::make_shared<Deck>();
  Reader reader(*deck);
  reader.read_top(display, text);
  sort_cards(*deck);
  return deck;
}

}  // namespace

std::shared_ptr<const Deck> read_deck(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path))
    throw InputError(Location{std::make_shared<const std::string>(path), 0, 0}, "cannot open the netlist file");
  std::ostringstream text;
  text << in.rdbuf();
  return read_text(path, text.str());
}

std::shared_ptr<const Deck> read_deck_text(const std::string& text, const std::string& name) {
  return read_text(name, text);
}

}  // namespace ns
