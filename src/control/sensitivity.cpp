// sens: central differences of the output over the devices' values (sensitivity.hpp).
#include "control/sensitivity.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <complex>
#include <functional>
#include <regex>

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "circuit/registry.hpp"
#include "control/device_vectors.hpp"
#include "netlist/knob.hpp"

namespace ns::control {

namespace {

using Values = std::vector<std::complex<double>>;

std::unique_ptr<TraceTable> run(const Netlist& netlist, const ControlCard& card) {
  const AnalysisType* type = find_analysis(card.name);
  if (!type) throw VectorError(fmt::format("no analysis '{}'", card.name));
  const std::unique_ptr<Analysis> analysis = type->parse(card, netlist);
  analysis->check(netlist);
  auto table = std::make_unique<TraceTable>();
  std::vector<std::string> notes;
  const std::atomic<bool> stop{false};
  const AnalysisContext context{.netlist = netlist, .notes = &notes, .stop = &stop};
  analysis->run(context, *table);
  table->finish();
  return table;
}

// A column (real table) or vector (complex table) by its label, one value per row.
std::optional<Values> column(const TraceTable& t, const std::string& label) {
  Values out;
  if (t.complex()) {
    const auto& names = t.vectors();
    const auto at = std::find(names.begin(), names.end(), label);
    if (at == names.end()) return std::nullopt;
    for (const auto& row : t.complex_rows()) out.push_back(row[std::size_t(at - names.begin())]);
    return out;
  }
  const auto& names = t.columns();
  const auto at = std::find(names.begin(), names.end(), label);
  if (at == names.end()) return std::nullopt;
  for (const auto& row : t.rows()) out.push_back(row[std::size_t(at - names.begin())]);
  return out;
}

// v(a), v(a,b) (v(a) - v(b)), i(source) of a table.
Values output_of(const TraceTable& t, const std::string& output) {
  static const std::regex form(R"(^\s*([vi])\s*\(\s*([^,\s()]+)\s*(?:,\s*([^,\s()]+)\s*)?\)\s*$)");
  std::smatch m;
  if (!std::regex_match(output, m, form))
    throw VectorError(fmt::format("'sens' needs its output as v(node), v(a,b) or i(source), not '{}'", output));
  auto get = [&](const std::string& name) -> Values {
    if (m[1] == "v" && (name == "0" || name == "gnd")) return Values(t.complex() ? t.complex_rows().size() : t.rows().size());
    const std::string label = fmt::format("{}({})", m[1].str(), name);
    if (auto v = column(t, label)) return *v;
    throw VectorError(fmt::format("'sens': the analysis has no '{}'", label));
  };
  Values y = get(m[2]);
  if (m[3].matched) {
    const Values b = get(m[3]);
    for (std::size_t k = 0; k < y.size(); ++k) y[k] -= b[k];
  }
  return y;
}

// One value sens moves: how to set it in a copy of the netlist, its value now, and the
// vectors it gives (its own derivative times a factor: the chain rule for m and scale).
struct Parameter {
  std::string name;
  double nominal = 0;
  std::function<void(Netlist&, double)> set;
  std::vector<std::pair<std::string, double>> vectors;
};

double value_or(const Netlist& netlist, const std::string& device, const char* param, double otherwise) {
  const auto v = parameter_value(netlist, device, param);
  return v && !v->empty() ? v->front() : otherwise;
}

std::vector<Parameter> parameters(const Netlist& netlist, bool ac) {
  std::vector<Parameter> out;
  for (const Element& e : netlist.elements) {
    if (e.kind == 'r' || e.kind == 'c' || e.kind == 'l') {
      const DeviceType* type = find_device_type(std::string(1, e.kind));
      if (!type || type->positional.empty()) continue;
      const std::string param(type->positional[0]);
      const auto nominal = parameter_value(netlist, e.name, param);
      if (!nominal || nominal->empty()) continue;
      const Knob knob{Knob::Kind::InstanceParam, e.name, param, "@" + e.name + "[" + param + "]", e.where};
      Parameter p{e.name, nominal->front(), [knob](Netlist& n, double x) { set_knob(n, knob, x); }, {{e.name, 1.0}}};
      if (e.kind == 'r') {  // R * scale / m: d/dm = -R/m d/dR, d/dscale = R/scale d/dR
        const double m = value_or(netlist, e.name, "m", 1), scale = value_or(netlist, e.name, "scale", 1);
        p.vectors.push_back({e.name + "_m", -p.nominal / m});
        p.vectors.push_back({e.name + "_scale", p.nominal / scale});
      }
      out.push_back(std::move(p));
    } else if (e.kind == 'v' || e.kind == 'i') {
      const Knob knob{Knob::Kind::Source, e.name, "", e.name, e.where};
      Parameter p{e.name, value_or(netlist, e.name, "dc", 0), [knob](Netlist& n, double x) { set_knob(n, knob, x); },
                  {{e.name, 1.0}}};
      // I m: d/dm = I/m d/dI (in ac m scales the ac value too: not given there)
      if (e.kind == 'i' && !ac) p.vectors.push_back({e.name + "_m", p.nominal / value_or(netlist, e.name, "m", 1)});
      out.push_back(std::move(p));
      if (!ac) continue;
      const auto group = std::find_if(e.groups.begin(), e.groups.end(), [](const Group& g) { return g.keyword == "ac"; });
      if (group == e.groups.end() || group->args.empty()) continue;
      const std::string name = e.name;
      out.push_back({name + "_acmag", group->args[0].value,
                     [name](Netlist& n, double x) {
                       for (Element& f : n.elements)
                         if (f.name == name)
                           for (Group& g : f.groups)
                             if (g.keyword == "ac") g.args.at(0).value = x;
                     },
                     {{name + "_acmag", 1.0}}});
    }
  }
  return out;
}

}  // namespace

Sensitivities sensitivities(const Netlist& netlist, const ControlCard& card, const std::string& output) {
  const bool ac = card.name == ".ac";
  const auto nominal = run(netlist, card);
  (void)output_of(*nominal, output);  // the output exists before the runs start
  Sensitivities result;
  if (ac) {
    Vector f;
    for (const auto& row : nominal->complex_rows()) f.push_back(row.at(0).real());
    result.frequency = f;
  }
  for (const Parameter& p : parameters(netlist, ac)) {
    const double h = 1e-4 * (p.nominal != 0 ? std::fabs(p.nominal) : 1.0);
    auto at = [&](double x) {
      Netlist moved = netlist;
      p.set(moved, x);
      return output_of(*run(moved, card), output);
    };
    const Values up = at(p.nominal + h), down = at(p.nominal - h);
    for (const auto& [name, factor] : p.vectors) {
      Vector d;
      for (std::size_t k = 0; k < up.size(); ++k) {
        const std::complex<double> slope = (up[k] - down[k]) / (2 * h) * factor;
        d.push_back(slope.real());
        if (ac) d.imag.push_back(slope.imag());
      }
      result.vectors.push_back({name, std::move(d)});
    }
  }
  return result;
}

namespace {

// .sens OUTPUT [dc] | .sens OUTPUT ac dec|oct|lin N fstart fstop: the sens command's
// derivatives as a deck's analysis, one row (dc) or one per frequency (ac), a column each.
class Sens final : public Analysis {
public:
  Sens(std::string output, ControlCard over) : output_(std::move(output)), over_(std::move(over)) {}
  void run(const AnalysisContext& context, TraceSink& sink) const override {
    context.check_stop(0, "sensitivity");
    const Sensitivities r = sensitivities(context.netlist, over_, output_);
    std::vector<std::string> names, units;
    for (const auto& [name, v] : r.vectors) names.push_back(name), units.push_back("");
    if (!r.frequency) {
      sink.begin(names, units);
      std::vector<double> row;
      for (const auto& [name, v] : r.vectors) row.push_back(v.at(0));
      sink.row(row);
      return;
    }
    names.insert(names.begin(), "frequency");
    units.insert(units.begin(), "Hz");
    std::vector<RealPart> parts{{RealPart::Kind::Real, 0, "frequency"}};
    for (std::size_t k = 1; k < names.size(); ++k) {
      parts.push_back({RealPart::Kind::Real, k, names[k] + "_r"});
      parts.push_back({RealPart::Kind::Imag, k, names[k] + "_i"});
    }
    sink.begin_complex(names, units, parts);
    std::vector<std::complex<double>> row(names.size());
    for (std::size_t i = 0; i < r.frequency->size(); ++i) {
      row[0] = (*r.frequency)[i];
      for (std::size_t k = 0; k < r.vectors.size(); ++k) {
        const Vector& v = r.vectors[k].second;
        row[k + 1] = {v.at(i), v.imag.empty() ? 0.0 : v.imag.at(i)};
      }
      sink.complex_row(row);
    }
  }

private:
  std::string output_;
  ControlCard over_;  // the .op or .ac the derivatives are taken over
};

std::unique_ptr<Analysis> parse_sens(const ControlCard& card, const Netlist& netlist) {
  const auto& a = card.args;
  auto usage = [&](const Location& where) {
    return InputError(where, "'.sens' needs an output v(node), v(node,node) or i(vsource), then nothing (dc) or "
                             "ac dec|oct|lin N fstart fstop");
  };
  if (a.size() < 4 || !(a[0].is("v") || a[0].is("i")) || a[1].kind != CardArg::Kind::LParen)
    throw usage(a.empty() ? card.where : a[0].where);
  std::string output = a[0].text + "(";
  std::size_t k = 2;
  for (; k < a.size() && a[k].kind != CardArg::Kind::RParen; ++k) output += a[k].text;
  if (k == a.size()) throw usage(a[0].where);
  output += ")";
  ++k;
  ControlCard over{".op", card.where, {}};
  if (k < a.size() && a[k].is("ac")) {
    over.name = ".ac";
    over.args.assign(a.begin() + static_cast<std::ptrdiff_t>(k) + 1, a.end());
  } else if (k < a.size() && !(a[k].is("dc") && k + 1 == a.size())) {
    throw InputError(a[k].where, fmt::format("unexpected '{}' on '.sens'", a[k].text));
  }
  if (over.name == ".ac") {  // the sweep is read (and refused) as an .ac card's
    const AnalysisType* ac = find_analysis(".ac");
    if (!ac) throw usage(card.where);
    (void)ac->parse(over, netlist);
  }
  return std::make_unique<Sens>(std::move(output), std::move(over));
}

const bool registered = register_analysis({".sens", "sens", "Sensitivity Analysis", std::nullopt, parse_sens});

}  // namespace

}  // namespace ns::control
