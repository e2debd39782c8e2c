#pragma once
// The value of an independent source (V, I) from its card's groups: dc, ac (the .ac
// stimulus), and one of pulse, sin, exp, pwl, sffm, am, with ngspice's tstep/tstop defaults, or
// ngspice's transient noise functions trnoise and trrandom (added to the dc value).
#include <complex>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "circuit/device.hpp"
#include "netlist/netlist.hpp"

namespace ns {

class SourceFunction {
public:
  // InputError on a malformed group, and on a name=value parameter other than the
  // device's own (`device_params`, which the device reads).
  explicit SourceFunction(const Element& element, std::initializer_list<std::string_view> device_params = {});

  // Dc: the DC value; TranOp and Tran: the waveform at eval.time (the DC value if none).
  double value(const Eval& eval) const;
  double at(double time) const;
  // The .ac stimulus: magnitude and phase (degrees, as written) of 'ac mag [phase]'; 0 without.
  std::complex<double> ac() const { return ac_; }
  void start_transient(double tstep, double tstop);
  // Device::ramp_up: the transient value times min(t / duration, 1); start_transient ends it.
  void ramp_up(double duration) { ramp_ = duration; }
  // In a transient, the dc value at every time: no waveform, noise or ramp_up.
  bool constant() const { return shape_ == Shape::None && ramp_ == 0; }
  // The run's noise stream (--seed, or a .mc run's own; Setup::noise_stream): trnoise and
  // trrandom draw from (stream, the source's name), so a run is reproducible, each source
  // and each Monte Carlo run has its own noise, and -j changes nothing. Stream 1 (--seed's
  // default) until called.
  void seed(std::uint64_t stream);
  void breakpoints(double from, double to, std::vector<double>& out) const;

private:
  enum class Shape { None, Pulse, Sin, Exp, Sffm, Am, Pwl, TrNoise, TrRandom };
  void draw_noise(double tstop);
  double noise_at(double t) const;
  // value()'s fields first, together (a cache line), then the rest.
  Shape shape_ = Shape::None;
  double dc_ = 0;
  double ramp_ = 0;            // ramp_up's duration (0: none)
  std::complex<double> ac_ = 0;
  std::vector<double> given_;  // the waveform's arguments as written
  std::vector<double> p_;      // the same with the defaults filled in
  // trnoise/trrandom: the samples, one every nt (ts) from 0 (td), drawn for the transient
  // from a stream seeded by the source's name; the telegraph signal's switching times.
  std::string name_;
  std::uint64_t seed_ = 0;
  Location where_;
  std::vector<double> samples_;
  std::vector<double> switches_;
  double delay_ = 0;           // pwl td=
  double repeat_ = -1;         // pwl r=: after the last point, repeat from this time (-1: hold)
};

}  // namespace ns
