#include "control/stops.hpp"

#include <cmath>
#include <map>

#include <fmt/format.h>

#include "expr/expression.hpp"

namespace ns::control {

namespace {

// The words of a stop line, its symbolic comparisons (time=1m, v(1)>2) set apart.
std::vector<std::string> tokens(const std::string& text) {
  std::string spaced;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '<' || c == '>' || c == '=') {
      std::string op(1, c);
      if (i + 1 < text.size() && (text[i + 1] == '=' || (c == '<' && text[i + 1] == '>'))) op += text[++i];
      spaced += " " + op + " ";
    } else {
      spaced += c == '\t' ? ' ' : c;
    }
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < spaced.size();) {
    const std::size_t start = spaced.find_first_not_of(' ', i);
    if (start == std::string::npos) break;
    const std::size_t end = std::min(spaced.find(' ', start), spaced.size());
    out.push_back(spaced.substr(start, end - start));
    i = end;
  }
  return out;
}

const std::map<std::string, std::string> operators = {
    {"=", "eq"}, {"eq", "eq"}, {"<>", "ne"}, {"ne", "ne"}, {">", "gt"}, {"gt", "gt"},
    {"<", "lt"}, {"lt", "lt"}, {">=", "ge"}, {"ge", "ge"}, {"<=", "le"}, {"le", "le"}};

const std::map<std::string, std::string> symbols = {{"eq", "="}, {"ne", "<>"}, {"gt", ">"},
                                                    {"lt", "<"}, {"ge", ">="}, {"le", "<="}};

bool holds(double a, const std::string& op, double b) {
  // equal within rounding: a transient lands on a stop time up to its corner resolution
  const bool equal = std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
  if (op == "eq") return equal;
  if (op == "ne") return !equal;
  if (op == "gt") return a > b;
  if (op == "lt") return a < b;
  if (op == "ge") return a >= b;
  return a <= b;
}

}  // namespace

Stop parse_stop(const std::string& rest, const Location& where, int number) {
  const std::vector<std::string> w = tokens(rest);
  if (w.empty()) throw InputError(where, "'stop' needs 'after N' or 'when A > B' (ngspice's breakpoints)");
  Stop stop;
  stop.number = number;
  stop.text = "stop";
  for (std::size_t k = 0; k < w.size();) {
    if (w[k] == "after" && k + 1 < w.size()) {
      const auto n = parse_number(w[k + 1]);
      if (!n || *n < 1 || *n != std::floor(*n))
        throw InputError(where, fmt::format("'stop after' needs a whole number of points, not '{}'", w[k + 1]));
      stop.after = static_cast<long>(*n);
      stop.text += fmt::format(" after {}", stop.after.value());
      k += 2;
    } else if (w[k] == "when" && k + 3 < w.size() && operators.count(w[k + 2])) {
      const Stop::When when{w[k + 1], operators.at(w[k + 2]), w[k + 3]};
      stop.when.push_back(when);
      stop.text += fmt::format(" when {} {} {}", when.left, symbols.at(when.op), when.right);
      k += 4;
    } else {
      throw InputError(where, fmt::format("'stop': expected 'after N' or 'when A OP B' at '{}' (OP: = <> > < >= <= "
                                          "or eq ne gt lt ge le)", w[k]));
    }
  }
  return stop;
}

std::vector<double> stop_times(const std::vector<Stop>& stops) {
  std::vector<double> times;
  for (const Stop& s : stops)
    for (const Stop::When& w : s.when)
      if (w.op == "eq" && (w.left == "time" || w.right == "time"))
        if (const auto t = parse_number(w.left == "time" ? w.right : w.left)) times.push_back(*t);
  return times;
}

const Stop* stop_met(std::vector<Stop>& stops, std::size_t points, const std::function<double(const std::string&)>& value) {
  for (Stop& s : stops) {
    bool met = true;
    if (s.after) met = !s.spent && points >= static_cast<std::size_t>(*s.after);
    for (const Stop::When& w : s.when)
      met = met && holds(value(w.left), w.op, value(w.right));
    if (!met) continue;
    if (s.after) s.spent = true;
    return &s;
  }
  return nullptr;
}

}  // namespace ns::control
