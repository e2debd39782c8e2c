#include "control/script.hpp"

#include <fmt/format.h>

#include "netlist/ascii.hpp"

namespace ns::control {

namespace {

Statement statement(const ScriptLine& line) {
  Statement s;
  s.where = line.where;
  const std::size_t end = std::min(line.text.find_first_of(" \t"), line.text.size());
  s.keyword = lower(line.text.substr(0, end));
  // ngspice closes any block with endif, endwhile, endrepeat, endforeach or enddowhile too.
  for (const char* closing : {"endif", "endwhile", "endrepeat", "endforeach", "enddowhile"})
    if (s.keyword == closing) s.keyword = "end";
  const std::size_t rest = line.text.find_first_not_of(" \t", end);
  if (rest != std::string::npos) s.rest = line.text.substr(rest);
  s.rest_where = line.where;
  s.rest_where.column += static_cast<int>(rest != std::string::npos ? rest : line.text.size());
  using K = Statement::Kind;
  static const std::vector<std::pair<std::string, K>> kinds = {
      {"if", K::If}, {"while", K::While}, {"dowhile", K::Dowhile}, {"repeat", K::Repeat},
      {"foreach", K::Foreach}, {"break", K::Break}, {"continue", K::Continue}};
  for (const auto& [word, kind] : kinds)
    if (s.keyword == word) s.kind = kind;
  return s;
}

class Parser {
public:
  explicit Parser(const std::vector<ScriptLine>& lines) : lines_(lines) {}

  // Statements up to the 'end' (or 'else') closing `open`, or to the end of the script.
  std::vector<Statement> block(const Statement* open, int loops) {
    std::vector<Statement> out;
    while (next_ < lines_.size()) {
      Statement s = statement(lines_[next_++]);
      if (s.keyword == "end" || s.keyword == "else") {
        if (!open || (s.keyword == "else" && open->kind != Statement::Kind::If))
          throw InputError(s.where, fmt::format("'{}' without {}", s.keyword,
                                                s.keyword == "else" ? "'if'" : "'if', 'while', 'dowhile', 'repeat' or 'foreach'"));
        closed_by_ = s.keyword;
        return out;
      }
      const bool loop = s.kind == Statement::Kind::While || s.kind == Statement::Kind::Dowhile ||
                        s.kind == Statement::Kind::Repeat || s.kind == Statement::Kind::Foreach;
      if ((s.kind == Statement::Kind::Break || s.kind == Statement::Kind::Continue) && loops == 0)
        throw InputError(s.where, fmt::format("'{}' outside a loop", s.keyword));
      // An if without one is false when it runs (ngspice's); a loop without one is refused.
      if ((s.kind == Statement::Kind::While || s.kind == Statement::Kind::Dowhile) && s.rest.empty())
        throw InputError(s.where, fmt::format("'{}' needs a condition", s.keyword));
      if (s.kind == Statement::Kind::Foreach && s.rest.empty())
        throw InputError(s.where, "'foreach' needs a variable and the values it takes");
      if (s.kind == Statement::Kind::If || loop) {
        closed_by_.clear();
        s.body = block(&s, loops + loop);
        if (closed_by_ == "else") {
          closed_by_.clear();
          s.otherwise = block(&s, loops);
          if (closed_by_ == "else") throw InputError(s.where, "'if' has two 'else'");
        }
        if (closed_by_.empty()) throw InputError(s.where, fmt::format("'{}' has no 'end'", s.keyword));
        closed_by_.clear();
      }
      out.push_back(std::move(s));
    }
    return out;
  }

private:
  const std::vector<ScriptLine>& lines_;
  std::size_t next_ = 0;
  std::string closed_by_;  // "end" or "else": what ended the last block
};

}  // namespace

std::vector<Statement> parse_script(const std::vector<ScriptLine>& lines) {
  return Parser(lines).block(nullptr, 0);
}

}  // namespace ns::control
