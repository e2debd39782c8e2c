// compose NAME values A B ..., compose NAME start= stop= step= lin= (or len=), dec=N or
// log=N with start and stop, gauss=N mean= sd=: ngspice's ways of making a vector, as
// observed with ngspice-39.
#include <cmath>
#include <map>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "control/vectors.hpp"

namespace ns::control {

Vector compose(std::string_view text, const Lookup& lookup) {
  const std::string rest(text);
  if (std::regex_search(rest, std::regex(R"(^\s*values\b)"))) {
    Vector out;
    for (const Value& v : evaluate_all(rest.substr(rest.find("values") + 6), lookup))
      out.insert(out.end(), v.data.begin(), v.data.end());
    if (out.empty()) throw VectorError("'compose values' needs values");
    return out;
  }
  std::map<std::string, double> p;
  const std::regex pair(R"((\w+)\s*=\s*(\S+))");
  for (std::sregex_iterator it(rest.begin(), rest.end(), pair), end; it != end; ++it) {
    static const std::set<std::string> known = {"start", "stop", "step", "lin", "len", "dec", "log", "gauss", "mean", "sd"};
    const std::string name = (*it)[1];
    if (!known.count(name)) throw VectorError(fmt::format("'compose' does not know '{}'", name));
    p[name == "len" ? "lin" : name] = evaluate((*it)[2].str(), lookup).at(0);
  }
  if (std::regex_replace(rest, pair, "").find_first_not_of(" \t") != std::string::npos)
    throw VectorError(fmt::format("'compose' expects 'values' or name=value pairs, not '{}'", rest));
  auto has = [&](const char* name) { return p.count(name) > 0; };
  auto count = [](double n) {
    if (!(n >= 1 && n <= 1e8)) throw VectorError(fmt::format("'compose' of {:g} points", n));
    return static_cast<std::size_t>(n);
  };
  Vector out;
  if (has("gauss")) {  // gauss=N [mean=M] [sd=S]: N normal draws from the run's stream
    if (!lookup.random) throw VectorError("'compose gauss=' needs a random stream");
    const std::size_t n = count(p["gauss"]);
    for (std::size_t k = 0; k < n; ++k)
      out.push_back((has("mean") ? p["mean"] : 0) + (has("sd") ? p["sd"] : 1) * lookup.random->normal());
    return out;
  }
  if (has("dec") || has("log")) {  // points per decade, or points in all, log-spaced
    if (!has("start") || !has("stop") || p["start"] <= 0 || p["stop"] <= 0)
      throw VectorError("'compose' with dec= or log= needs start and stop above 0");
    const double decades = std::log10(p["stop"] / p["start"]);
    const std::size_t n = count(has("dec") ? std::floor(p["dec"] * std::fabs(decades) + 1 + 1e-9) : p["log"]);
    for (std::size_t k = 0; k < n; ++k)
      out.push_back(p["start"] * std::pow(10.0, n == 1 ? 0.0 : decades * double(k) / double(n - 1)));
    return out;
  }
  // Three of start, stop, step, lin fix the fourth; lin wins over a step that disagrees.
  // Without them: start 0, step 1.
  double start = has("start") ? p["start"] : 0, step = has("step") ? p["step"] : 1;
  std::size_t n = 0;
  if (has("lin")) {
    n = count(p["lin"]);
    if (has("stop")) step = n > 1 ? (p["stop"] - start) / double(n - 1) : 0;
  } else if (has("stop")) {
    if (step == 0) throw VectorError("'compose' with a step of 0");
    step = p["stop"] >= start ? std::fabs(step) : -std::fabs(step);
    n = count(std::floor((p["stop"] - start) / step + 1 + 1e-9));
  } else {
    throw VectorError("'compose' needs stop= or lin= (or values)");
  }
  for (std::size_t k = 0; k < n; ++k) out.push_back(start + double(k) * step);
  return out;
}

}  // namespace ns::control
