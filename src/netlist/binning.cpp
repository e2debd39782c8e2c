#include "netlist/binning.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <vector>

#include <fmt/format.h>

namespace ns {

namespace {

constexpr const char* bounds[] = {"lmin", "lmax", "wmin", "wmax"};

struct Bin {
  const Model* model;
  double lo_l = 0, hi_l = std::numeric_limits<double>::infinity();
  double lo_w = 0, hi_w = std::numeric_limits<double>::infinity();
  bool fits(double l, double w) const { return lo_l <= l && l <= hi_l && lo_w <= w && w <= hi_w; }
};

Bin bin_of(const Model& m) {
  Bin b{&m};
  for (const Assignment& a : m.params) {
    if (a.name == "lmin") b.lo_l = a.value;
    else if (a.name == "lmax") b.hi_l = a.value;
    else if (a.name == "wmin") b.lo_w = a.value;
    else if (a.name == "wmax") b.hi_w = a.value;
  }
  return b;
}

std::string range(double lo, double hi) {
  return hi == std::numeric_limits<double>::infinity() ? fmt::format(">= {:g}", lo) : fmt::format("{:g}..{:g}", lo, hi);
}

}  // namespace

void pick_bins(Netlist& netlist) {
  // .options scale: MOSFET dimensions written in its unit (ngspice: l, w, pd, ps scale,
  // ad, as by its square), before the bins compare them.
  if (const double s = netlist.options.scale; s != 1)
    for (Element& e : netlist.elements) {
      if (e.kind != 'm') continue;
      for (Assignment& a : e.params) {
        if (a.name == "l" || a.name == "w" || a.name == "pd" || a.name == "ps") a.value *= s;
        if (a.name == "ad" || a.name == "as") a.value *= s * s;
      }
    }
  std::set<std::string> used;
  for (Element& e : netlist.elements) {
    if (e.model.empty() || netlist.models.count(e.model)) continue;
    const std::string prefix = e.model + ".";
    std::vector<Bin> bins;
    for (auto it = netlist.models.lower_bound(prefix);
         it != netlist.models.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
      bins.push_back(bin_of(it->second));
    if (bins.empty()) continue;  // an unknown model: the circuit builder says so
    // SPICE's default channel length and width, 100 um, when the instance gives none.
    double l = 100e-6, w = 100e-6;
    for (const Assignment& a : e.params) {
      if (a.name == "l") l = a.value;
      if (a.name == "w") w = a.value;
    }
    const auto fit = std::find_if(bins.begin(), bins.end(), [&](const Bin& b) { return b.fits(l, w); });
    if (fit == bins.end()) {
      std::string list;
      for (const Bin& b : bins)
        list += fmt::format("{}{} (l {}, w {})", list.empty() ? "" : ", ", b.model->name, range(b.lo_l, b.hi_l), range(b.lo_w, b.hi_w));
      throw InputError(e.model_where, fmt::format("no bin of model '{}' fits '{}' (l = {:g}, w = {:g}); bins: {}",
                                                  e.model, e.name, l, w, list));
    }
    e.model = fit->model->name;
    used.insert(e.model);
  }
  for (const std::string& name : used) {
    auto& params = netlist.models.at(name).params;
    std::erase_if(params, [](const Assignment& a) { return std::ranges::find(bounds, a.name) != std::end(bounds); });
  }
}

}  // namespace ns
