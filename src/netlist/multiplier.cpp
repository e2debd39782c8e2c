#include "netlist/multiplier.hpp"

#include <fmt/format.h>

namespace ns {

namespace {

// Multiplies the name= parameter, or adds it as m (its default is 1).
void scale_param(Element& e, const std::string& name, double m, const Location& where) {
  for (Assignment& a : e.params)
    if (a.name == name) {
      a.value *= m;
      return;
    }
  e.params.push_back({name, m, where});
}

}  // namespace

void apply_multiplier(Element& e, double m, const Location& where) {
  if (e.behaviour) return;  // B, E/G VALUE=, POLY: as ngspice's B, not multiplied
  switch (e.kind) {
    case 'r': case 'c': case 'l': case 'm':
      scale_param(e, "m", m, where);  // a MOSFET model without m reports it at its card
      return;
    case 'd': case 'q': case 'j': case 'z':
      // the area is the first value after the model when written bare: D1 a k dmod 2
      if (!e.values.empty()) e.values[0].value *= m;
      else scale_param(e, "area", m, where);
      return;
    case 'g': case 'f':
      if (!e.values.empty()) e.values[0].value *= m;
      else scale_param(e, "gain", m, where);
      return;
    case 'i':
      // an I source's levels (not its times): dc, ac magnitude, pulse/sin/exp's first two
      for (Group& g : e.groups) {
        const std::size_t levels = g.keyword == "dc" || g.keyword == "ac" ? 1
                                   : g.keyword == "pulse" || g.keyword == "sin" || g.keyword == "exp" ? 2 : 0;
        if (levels == 0)
          throw InputError(where, fmt::format("m= on the subcircuit instance cannot multiply the {} source '{}' "
                                              "inside it (only dc, ac, pulse, sin and exp sources)", g.keyword, e.name));
        for (std::size_t k = 0; k < levels && k < g.args.size(); ++k) g.args[k].value *= m;
      }
      return;
    case 'e': case 'h': case 'v': case 's': case 'w': case 'b': case 'k': case 't': case 'o':
      return;
    default:
      throw InputError(where, fmt::format("m= on the subcircuit instance cannot multiply '{}' inside it "
                                          "(only R, C, L, M, D, Q, J, G, F and I take a multiplier here)",
                                          e.name));
  }
}

}  // namespace ns
