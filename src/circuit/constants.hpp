#pragma once
// Physical constants, one set for every model. Source: the SI as revised in 2019 (BIPM,
// The International System of Units, 9th edition), where h, e and k are exact by
// definition, and CODATA 2018 (Tiesinga et al., Rev. Mod. Phys. 93, 025010 (2021)) for the
// two measured ones used here, eps0 and mu0. ngspice uses CODATA 2014's k and e
// (1.38064852e-23, 1.6021766208e-19; k/q 3.4e-7 smaller) and its own eps0 for the MOSFET
// oxide (8.854214871e-12, 3e-6 larger): the junction models move by about 1e-5 relative
// at 0.7 V, and the ngspice cross-checks (tests/sim/ngspice_*.cpp) pass at their stated
// tolerances with these values.
#include <numbers>

namespace ns::constants {

inline constexpr double pi = std::numbers::pi;
inline constexpr double boltzmann = 1.380649e-23;         // J/K, exact
inline constexpr double charge = 1.602176634e-19;         // C, elementary charge, exact
inline constexpr double planck = 6.62607015e-34;          // J s, exact
inline constexpr double hbar = planck / (2 * pi);         // J s
inline constexpr double boltzmann_ev = boltzmann / charge;  // eV/K
inline constexpr double eps0 = 8.8541878128e-12;          // F/m, CODATA 2018
inline constexpr double mu0 = 1.25663706212e-6;           // H/m, CODATA 2018
inline constexpr double zero_celsius = 273.15;            // K, exact

}  // namespace ns::constants
