#pragma once
// Device noise in a transient: the one mechanism every noisy model uses (resistor, NbOx,
// macrospin MTJ, STNO). A device switched on (`noise=1` on its card or model, or every
// device with a `noise` parameter left unset under `.options trnoise`) gets a
// TransientNoise from Setup::transient_noise and, in Mode::Tran, adds to its equations
// sqrt(S) w_k(t) for each of its noise sources k of one-sided PSD S (A^2/Hz for a
// current, (A/m)^2/Hz for a field, ...).
//
// w_k is white noise of one-sided PSD 1 up to the grid's bandwidth: the straight-line
// interpolation of samples z_{k,n} ~ N(0, 1/(2h)) at t = n h. A held or interpolated
// sequence of variance s^2 every h has the low-frequency one-sided PSD 2 s^2 h; the
// interpolation's PSD falls as sinc^4(pi f h), 2.3 % low at f = 0.06/h, 10 % at 0.12/h,
// so h must be well below the fastest time constant the noise drives (choose h <=
// 1/(20 f) for a circuit responding up to f). z_{k,n} is a pure function of (the run's
// noise stream, the device's name, k, n): the same noise whatever the step sequence, the
// -j of a .step/.mc run or the other devices. The stream is --seed's, or a .mc run's own.
//
// Step-size rule: the integrator stops at every grid point (breakpoints, as ngspice's
// trnoise source does at multiples of its nt), so no step is longer than h and no step
// crosses a kink of the noise. h is the model's `noisedt`, or the .tran step when 0.
#include <cstdint>
#include <string_view>
#include <vector>

#include "netlist/location.hpp"

namespace ns {

class TransientNoise {
public:
  TransientNoise() = default;  // off
  explicit TransientNoise(std::uint64_t key) : key_(key), on_(true) {}

  explicit operator bool() const { return on_; }
  // The grid step h for a run to tstop; an InputError at `where` when the grid would
  // have more than 1e7 points.
  void start(double step, double tstop, const Location& where, std::string_view device);
  double step() const { return step_; }
  // w_k(t): one-sided PSD 1 (per unit of sqrt(S)); 0 when off or before start().
  double white(int k, double t) const;
  // The grid points in (from, to].
  void breakpoints(double from, double to, std::vector<double>& out) const;

  // The unit normal sample n of source k: exposed for the tests of its statistics.
  double normal(int k, std::int64_t n) const;

  // The key of a device's noise, from the run's stream and the device's name.
  static std::uint64_t key(std::uint64_t stream, std::string_view device);

private:
  std::uint64_t key_ = 0;
  bool on_ = false;
  double step_ = 0, scale_ = 0, tstop_ = 0;
};

}  // namespace ns
