#pragma once
// The circuit's capacitors and inductors by the nodes they join, for the devices that
// measure them (the XSPICE cmeter and lmeter). Each C and L adds itself in its setup, to
// the part Setup::part<LumpedElements>(LumpedElements::kind) shared by the circuit's
// devices; a meter keeps that part and reads it when it first loads, after every device
// has been set up.
#include <string_view>
#include <vector>

#include "circuit/device.hpp"

namespace ns {

struct LumpedElements {
  static constexpr std::string_view kind = "lumped elements";
  struct Two {
    Unknown a = ground, b = ground;
    double value = 0;  // F or H, as the element stamps it (m and temperature included)
  };
  std::vector<Two> capacitors, inductors;

  // The capacitors with a terminal on `node`, in parallel: the sum of their capacitances.
  double capacitance_at(Unknown node) const {
    double c = 0;
    for (const Two& e : capacitors)
      if (node != ground && e.a != e.b && (e.a == node || e.b == node)) c += e.value;
    return c;
  }
  // The inductors with a terminal on `node`, in parallel: 1 / the sum of 1/L; 0 when none.
  double inductance_at(Unknown node) const {
    double g = 0;
    for (const Two& e : inductors)
      if (node != ground && e.a != e.b && (e.a == node || e.b == node)) g += 1 / e.value;
    return g > 0 ? 1 / g : 0;
  }
};

}  // namespace ns
