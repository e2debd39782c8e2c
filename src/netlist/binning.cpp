#include "netlist/binning.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include <fmt/format.h>

namespace ns {

namespace {

constexpr const char* bounds[] = {"lmin", "lmax", "wmin", "wmax"};
constexpr double inf = std::numeric_limits<double>::infinity();

// A model's bin: lmin, lmax, wmin, wmax (0 and infinity when not given), taken out of its
// parameters the first time, so that the model reads only its own.
const std::array<double, 4>& bin_of(Model& m) {
  if (!m.bin) {
    std::array<double, 4> b{0, inf, 0, inf};
    for (const Assignment& a : m.params)
      for (std::size_t k = 0; k < 4; ++k)
        if (a.name == bounds[k]) b[k] = a.value;
    std::erase_if(m.params, [](const Assignment& a) { return std::ranges::find(bounds, a.name) != std::end(bounds); });
    m.bin = b;
  }
  return *m.bin;
}

std::string range(double lo, double hi) {
  return hi == inf ? fmt::format(">= {:g}", lo) : fmt::format("{:g}..{:g}", lo, hi);
}

}  // namespace

void pick_bin(Netlist& netlist, Element& e) {
  const std::string prefix = e.bins + ".";
  std::vector<Model*> bins;
  for (auto it = netlist.models.lower_bound(prefix);
       it != netlist.models.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
    bins.push_back(&it->second);
  // SPICE's default channel length and width, 100 um, when the instance gives none.
  double l = 100e-6, w = 100e-6;
  for (const Assignment& a : e.params) {
    if (a.name == "l") l = a.value;
    if (a.name == "w") w = a.value;
  }
  for (Model* m : bins) {  // closed ranges, the first in name order (ngspice's rule at the edges)
    const auto& b = bin_of(*m);
    if (b[0] <= l && l <= b[1] && b[2] <= w && w <= b[3]) return void(e.model = m->name);
  }
  std::string list;
  for (Model* m : bins)
    list += fmt::format("{}{} (l {}, w {})", list.empty() ? "" : ", ", m->name, range(m->bin->at(0), m->bin->at(1)),
                        range(m->bin->at(2), m->bin->at(3)));
  throw InputError(e.model_where, fmt::format("no bin of model '{}' fits '{}' (l = {:g}, w = {:g}); bins: {}",
                                              e.bins, e.name, l, w, list));
}

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
  for (Element& e : netlist.elements) {
    if (e.model.empty() || netlist.models.count(e.model) || !has_model_or_bins(netlist.models, e.model)) continue;
    e.bins = e.model;  // an unknown model (no bins either) is the circuit builder's to report
    pick_bin(netlist, e);
  }
}

}  // namespace ns
