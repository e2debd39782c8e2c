#pragma once
// Fourier analysis of a transient's last period, as ngspice's .four card and fourier command
// compute and print it (ngspice 39, polydegree 1).
#include <string>
#include <vector>

#include "analysis/measure.hpp"

namespace ns {

struct Harmonics {
  std::vector<double> frequency, magnitude, phase;  // phase in degrees, of sine, at the period's start
  double thd = 0;                                   // percent: harmonics 2.. over the fundamental
};

// The last period 1/fundamental of y over t (t nondecreasing, spanning a period or more),
// interpolated linearly onto `grid` evenly spaced points from t.back() - 1/fundamental,
// and its Fourier coefficients 0 .. harmonics-1: magnitude 2/N |sum| (the DC row 1/N sum),
// phase atan2(cos, sin).
Harmonics harmonics(const std::vector<double>& t, const std::vector<double>& y, double fundamental,
                    std::size_t harmonics, std::size_t grid);

// ngspice's table of them under "Fourier analysis for NAME:".
std::string harmonics_table(const std::string& name, const Harmonics& h, std::size_t grid);

// The .four cards' tables over a transient's measured waveform, in card order; a note in
// `notes` for an output the run is too short for (ngspice 39 prints an error and goes on).
std::vector<std::string> fourier_tables(const Netlist& netlist, const Waveform& waveform,
                                        std::vector<std::string>& notes);

}  // namespace ns
