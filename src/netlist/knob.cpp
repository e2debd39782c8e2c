#include "netlist/knob.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "netlist/binning.hpp"
#include "netlist/deck.hpp"
#include "netlist/frontend.hpp"
#include "netlist/suggest.hpp"

namespace ns {

Number CardArg::number() const {
  if (value) return Number{*value, where};
  if (error) throw *error;
  throw InputError(where, fmt::format("expected a value, not '{}'", text));
}

namespace {

using Kind = CardArg::Kind;

template <class Map>
std::vector<std::string> names_of(const Map& map) {
  std::vector<std::string> names;
  for (const auto& entry : map) names.push_back(entry.first);
  std::sort(names.begin(), names.end());  // a tie in did_you_mean goes to the first
  return names;
}

std::vector<std::string> source_names(const std::map<std::string, char>& kinds) {
  std::vector<std::string> names;
  for (const auto& [n, kind] : kinds)
    if (kind == 'v' || kind == 'i') names.push_back(n);
  return names;
}

}  // namespace

Knob read_knob(const Netlist& netlist, const ControlCard& card, std::size_t& k, KnobCard syntax) {
  const auto& a = card.args;
  auto is_word = [&](std::size_t j) { return j < a.size() && a[j].kind == Kind::Word; };
  std::map<std::string, char> kinds;  // element name -> card letter
  for (const Element& e : netlist.elements) kinds.emplace(e.name, e.kind);
  const bool step = syntax == KnobCard::Step;

  if (!is_word(k) || looks_numeric(a[k].text))
    throw InputError(k < a.size() ? a[k].where : card.where,
                     step ? "'.step' needs what to step: param NAME, temp, a source, MODEL(PARAM) or @DEVICE[PARAM]"
                          : fmt::format("expected a source or parameter to sweep, not '{}'",
                                        k < a.size() ? a[k].text : std::string()));
  Knob knob;
  const CardArg& t = a[k];
  knob.where = t.where;
  if (t.text == "param" && is_word(k + 1)) {
    const CardArg& name = a[k + 1];
    knob.kind = Knob::Kind::Param;
    knob.name = knob.label = name.text;
    knob.where = name.where;
    if (!netlist.params.count(name.text))
      throw InputError(knob.where, fmt::format("'{}' is not a top-level .param{}", name.text,
                                               did_you_mean(name.text, names_of(netlist.params))));
    k += 2;
    return knob;
  }
  if (t.text == "temp") {
    knob.kind = Knob::Kind::Temperature;
    knob.name = knob.label = "temp";
    k += 1;
    return knob;
  }
  if (t.text[0] == '@') {
    std::size_t end = 0;
    std::optional<ProbeRequest> p;
    try {
      p = read_probe(t.text, 0, end);
    } catch (const ExpressionError&) {
    }
    if (!p || end != t.text.size())
      throw InputError(knob.where, fmt::format("expected @device[parameter], not '{}'", t.text));
    knob.kind = Knob::Kind::InstanceParam;
    knob.name = p->a;
    knob.param = p->b;
    knob.label = t.text;
    if (!kinds.count(knob.name))
      throw InputError(knob.where, fmt::format("no element '{}' to {}{}", knob.name, step ? "step" : "sweep",
                                               did_you_mean(knob.name, names_of(kinds))));
    k += 1;
    return knob;
  }
  if (k + 1 < a.size() && (a[k + 1].kind == Kind::LParen ||
                           (is_word(k + 1) && k + 2 < a.size() && a[k + 2].kind == Kind::LParen))) {
    const CardArg* model_type = a[k + 1].kind == Kind::LParen ? nullptr : &a[k++];
    const CardArg& model = a[k];
    if (!is_word(k + 2) || k + 3 >= a.size() || a[k + 3].kind != Kind::RParen)
      throw InputError(model.where, fmt::format("expected {}(parameter) on '{}'", model.text, card.name));
    knob.kind = Knob::Kind::ModelParam;
    knob.name = model.text;
    knob.param = a[k + 2].text;
    knob.label = knob.name + "(" + knob.param + ")";
    knob.where = model.where;
    const auto it = netlist.models.find(knob.name);
    if (it == netlist.models.end())
      throw InputError(knob.where, fmt::format("no model '{}' to {}{}", knob.name, step ? "step" : "sweep",
                                               did_you_mean(knob.name, names_of(netlist.models))));
    if (model_type && model_type->text != it->second.type)
      throw InputError(model_type->where, fmt::format("model '{}' is of type '{}', not '{}'", knob.name,
                                                      it->second.type, model_type->text));
    k += 4;
    return knob;
  }
  // A bare name: a source; for .dc also a .param.
  knob.name = knob.label = t.text;
  const auto it = kinds.find(t.text);
  const bool is_source = it != kinds.end() && (it->second == 'v' || it->second == 'i');
  const bool is_param = netlist.params.count(t.text) > 0;
  k += 1;
  if (is_source) {
    knob.kind = Knob::Kind::Source;
    return knob;
  }
  if (step) {
    const std::string hint = is_param ? fmt::format(" (to step the .param write '.step param {}')", t.text)
                                      : did_you_mean(t.text, source_names(kinds));
    throw InputError(knob.where, fmt::format("'{}' is not an independent source{}", t.text, hint));
  }
  if (is_param) {
    knob.kind = Knob::Kind::Param;
    return knob;
  }
  std::vector<std::string> names = source_names(kinds);
  for (const auto& [n, value] : netlist.params) names.push_back(n);
  if (t.text[0] == 'v' || t.text[0] == 'i')
    throw InputError(knob.where, fmt::format("unknown source '{}' in '.dc'{}", t.text, did_you_mean(t.text, names)));
  throw InputError(knob.where, fmt::format("'{}' is neither a source, a top-level .param nor 'temp'{}", t.text,
                                           did_you_mean(t.text, names)));
}

std::vector<double> sweep_points(std::string_view type, const std::vector<const CardArg*>& values) {
  constexpr double max_points = 1e7;
  std::vector<double> points;
  if (type == "list") {
    for (const CardArg* v : values) points.push_back(v->number().value);
    return points;
  }
  const double start = values[0]->number().value;
  const double stop = values[1]->number().value;
  const Number step = values[2]->number();
  if (step.value == 0)
    throw InputError(step.where, fmt::format("the {} must not be zero", type == "lin" ? "step" : "point count"));
  auto snap_last = [&] {
    if (std::fabs(points.back() - stop) <= 1e-9 * std::max(std::fabs(stop), std::fabs(points.back())))
      points.back() = stop;
  };
  if (type == "lin") {
    if (start == stop) return {start};
    const double signed_step = std::copysign(step.value, stop - start);
    const double count = std::floor((stop - start) / signed_step + 1e-9) + 1;
    if (!(count <= max_points))
      throw InputError(step.where, fmt::format("the sweep would have {:g} points (at most {:g})", count, max_points));
    // Rounded to 15 digits: 20u + 16 * 20u is 3.4e-4, as the user would write it, not
    // 0.00033999999999999997.
    for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i)
      points.push_back(std::stod(fmt::format("{:.15g}", start + double(i) * signed_step)));
    snap_last();
    return points;
  }
  if (start == 0 || stop == 0 || (start > 0) != (stop > 0))
    throw InputError(values[0]->where,
                     fmt::format("a '{}' sweep needs start and stop of the same sign, not zero", type));
  if (step.value < 0) throw InputError(step.where, "the number of points must be positive");
  const double base = type == "dec" ? 10.0 : 2.0;
  const double span = std::log(stop / start) / std::log(base);  // in decades or octaves
  const double count = std::floor(std::fabs(span) * step.value + 1e-9) + 1;
  if (!(count <= max_points))
    throw InputError(step.where, fmt::format("the sweep would have {:g} points (at most {:g})", count, max_points));
  const double direction = span >= 0 ? 1 : -1;
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i)
    points.push_back(start * std::pow(base, direction * double(i) / step.value));
  snap_last();
  return points;
}

namespace {

Element& element_of(Netlist& netlist, const Knob& knob) {
  for (Element& e : netlist.elements)
    if (e.name == knob.name) return e;
  throw InputError(knob.where, fmt::format("no element '{}' to step", knob.name));
}

// A set value replaces one given on the card, or is added after it; either way it is
// the last name=value of that name, which is the one the device uses.
void assign(std::vector<Assignment>& list, const std::string& name, double value, const Location& where) {
  for (Assignment& a : list)
    if (a.name == name) {
      a.value = value;
      a.where = where;
      return;
    }
  list.push_back({name, value, where});
}

void set_dc(Element& e, double value, const Location& where) {
  for (Group& g : e.groups)
    if (g.keyword == "dc") {
      g.args.assign(1, Number{value, where});
      return;
    }
  e.groups.insert(e.groups.begin(), Group{"dc", {Number{value, where}}, where});
}

// Everything but a .param, which needs the deck.
void apply(Netlist& netlist, const Knob& knob, double value) {
  switch (knob.kind) {
    case Knob::Kind::Param:
      throw std::logic_error("a .param knob is applied by elaborating again");
    case Knob::Kind::Temperature:
      netlist.options.temp = value;
      return;
    case Knob::Kind::Source: {
      Element& e = element_of(netlist, knob);
      if (e.kind != 'v' && e.kind != 'i')
        throw InputError(knob.where, fmt::format("'{}' is not an independent source", knob.name));
      set_dc(e, value, knob.where);
      return;
    }
    case Knob::Kind::ModelParam: {
      bool found = false;
      for (auto& [key, model] : netlist.models)  // the model and its per-device copies
        if (model.name == knob.name) assign(model.params, knob.param, value, knob.where), found = true;
      if (!found) throw InputError(knob.where, fmt::format("no model '{}' to step", knob.name));
      return;
    }
    case Knob::Kind::InstanceParam: {
      Element& e = element_of(netlist, knob);
      if ((e.kind == 'v' || e.kind == 'i') && knob.param == "dc") set_dc(e, value, knob.where);
      else assign(e.params, knob.param, value, knob.where);
      if (!e.bins.empty() && (knob.param == "l" || knob.param == "w")) {  // another bin may fit now
        try {
          pick_bin(netlist, e);
        } catch (const InputError& error) {
          throw InputError(knob.where.file ? knob.where : error.where(), error.message());
        }
      }
      return;
    }
  }
}

}  // namespace

namespace {

// The deck elaborated with these .param values, then the other knobs applied in order.
Netlist build(const Deck& deck, const std::map<std::string, double>& overrides,
              std::vector<std::pair<Knob, double>> settings, std::optional<std::uint64_t> random_stream) {
  // `temper` in the deck's expressions reads a swept temperature too.
  std::optional<double> temperature;
  for (const auto& [knob, value] : settings)
    if (knob.kind == Knob::Kind::Temperature) temperature = value;
  Netlist netlist = elaborate(deck, overrides, random_stream, temperature);
  for (const auto& [knob, value] : settings) apply(netlist, knob, value);
  netlist.settings = std::move(settings);
  return netlist;
}

// Adds `values` to a netlist's record of what was set; true when the deck must be
// elaborated again: a .param is among them, or a temperature that `temper` reads.
bool record(std::map<std::string, double>& overrides, std::vector<std::pair<Knob, double>>& settings,
            std::span<const std::pair<Knob, double>> values, bool uses_temper) {
  bool param = false;
  for (const auto& [knob, value] : values) {
    if (knob.kind == Knob::Kind::Param) {
      overrides[knob.name] = value;
      param = true;
      continue;
    }
    param |= knob.kind == Knob::Kind::Temperature && uses_temper;
    // A knob set again keeps its place: the settings replay in the order first set.
    const auto same = std::find_if(settings.begin(), settings.end(),
                                   [&](const auto& s) { return s.first.label == knob.label; });
    if (same != settings.end()) same->second = value;
    else settings.emplace_back(knob, value);
  }
  return param;
}

}  // namespace

Netlist elaborate_at(const Deck& deck, std::span<const std::pair<Knob, double>> knobs,
                     std::optional<std::uint64_t> random_stream, const std::map<std::string, double>& params) {
  std::map<std::string, double> overrides = params;
  std::vector<std::pair<Knob, double>> settings;
  record(overrides, settings, knobs, false);  // elaborated here in any case
  return build(deck, overrides, std::move(settings), random_stream);
}

void set_knobs(Netlist& netlist, std::span<const std::pair<Knob, double>> values) {
  std::map<std::string, double> overrides = netlist.overrides;
  std::vector<std::pair<Knob, double>> settings = netlist.settings;
  if (record(overrides, settings, values, netlist.reads_temper)) {
    if (!netlist.deck) throw std::logic_error("a netlist without its deck cannot be elaborated again");
    netlist = build(*netlist.deck, overrides, std::move(settings), netlist.random_stream);
    return;
  }
  for (const auto& [knob, value] : values) apply(netlist, knob, value);
  netlist.settings = std::move(settings);
}

void set_knob(Netlist& netlist, const Knob& knob, double value) {
  const std::pair<Knob, double> one{knob, value};
  set_knobs(netlist, std::span(&one, 1));
}

}  // namespace ns
