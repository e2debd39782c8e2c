#pragma once
// Model binning: `.model nch.1 nmos lmin= lmax= wmin= wmax= ...`, `.model nch.2 ...`, and
// instances that name `nch`. Each instance takes the first bin, in name order, whose
// closed ranges hold its l and w (ngspice's rule at the edges); none fitting is an error at
// the instance's model name that lists the bins. The bins keep lmin/lmax/wmin/wmax apart
// from their parameters (Model::bin), so a model reads only its own; a model of any type
// and level bins this way.
#include <map>
#include <string>

#include "netlist/netlist.hpp"

namespace ns {

// Whether `models` (keyed by .model name) has `name` itself or bins of it ("name.*").
template <class Map>
bool has_model_or_bins(const Map& models, const std::string& name) {
  if (models.count(name)) return true;
  const std::string prefix = name + ".";
  const auto it = models.lower_bound(prefix);
  return it != models.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

// Applies .options scale to MOSFET dimensions, then points each element that names a
// binned model at its bin.
void pick_bins(Netlist& netlist);

// Points `e` (of a binned model: e.bins set) at the bin its l and w fit now, as after an
// alter of either (ngspice chooses the bin again). InputError when none fits.
void pick_bin(Netlist& netlist, Element& e);

}  // namespace ns
