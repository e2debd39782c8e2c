#pragma once
// The .meas evaluator: measures over a sampled waveform, a pure function of its inputs.
//
// Conventions (ngspice's where it defines one; the differences are marked):
// - Between samples a signal is linear. Where x repeats (a jump), the value "at x" is the
//   first sample's with that x.
// - Window: FROM/TO (default: the whole waveform) are clipped to the data when they
//   overshoot it by round-off (1e-9 of the span); farther outside, the measure fails. A
//   window end between samples is the linearly interpolated value. Unlike ngspice, which
//   uses only the samples inside the window, MAX/MIN/PP therefore see the window ends
//   (ngspice-39 on a triangle: MAX FROM=1.5 = 0.495, the next sample's; here 0.5).
// - INTEG is the trapezoid rule over the window's points; AVG = INTEG / (TO - FROM);
//   RMS = sqrt(INTEG(q^2) / (TO - FROM)) with the trapezoid rule applied to q^2 (the
//   samples squared, as ngspice does). AVG and RMS fail on an empty (TO = FROM) window.
//   (ngspice-39's AVG integrates one time step past TO: 0.3770 where the exact value,
//   and this one, is 0.375.)
// - Crossings of a level L (WHEN, FIND..WHEN, DERIV..WHEN, TRIG, TARG) follow d = q - L
//   along the samples. Where d changes sign between two samples, the crossing's x is
//   interpolated. A sample exactly on L (or a run of them) is where a signal arriving
//   from one side crosses, rising when it came from below; if it then leaves back to the
//   side it came from, that is a second crossing, the other way, at the run's last
//   sample. So, as in ngspice's rule (a below/above state flipped by q >= L / q <= L),
//   touching L counts twice and ending on L counts once. Unlike it, starting on L does
//   not count (ngspice counts leaving it downwards as a fall), and a run of samples on L
//   from one side to the other counts once (ngspice flips state at each of them).
//   RISE=n / FALL=n / CROSS=n pick the n-th rising / falling / any crossing at x >= TD
//   (LAST: the last one).
//   WHEN q1=q2 is the crossing of q1 - q2 through 0. WHEN, FIND..WHEN and DERIV..WHEN
//   also count only crossings inside FROM/TO when given.
// - FIND q AT=x: q interpolated at x (AT outside the data fails). FIND q WHEN c: q at c's
//   crossing, interpolated in the same segment. TRIG/TARG: x(targ) - x(trig), each
//   crossing with its own edge, count and TD.
// - DERIV: the slope of the parabola through the segment holding the point and the nearer
//   sample beside it, or at a sample through its neighbours (at the ends, and across a jump,
//   the segments' slopes). A crossing inside a jump (two samples at one x) has no slope.
// - Spikes: a spike is an upward crossing of `threshold` (x interpolated), counted only
//   while armed; a spike disarms; the signal re-arms once it is below threshold -
//   hysteresis. It starts armed when its first value in the window is below threshold.
//   Default hysteresis: half the distance from threshold down to the signal's minimum in
//   the window from the first sample at or above threshold on, so the signal must come
//   back halfway to the level it falls to between spikes. Before the first spike it does
//   not count: a neuron started cold charges from far below its reset level (the Fig. 2.7
//   neuron's v(a) from 0 V, resetting to 0.54 V; with the whole window's minimum, VAL=0.7
//   would need v(a) < 0.35 V to re-arm and see one spike). A signal that never comes back
//   below threshold gets 0. HYST= overrides (0 counts every rising crossing); set it
//   where ringing after a spike dips deeper than the rest between spikes. Spikes are
//   counted in the FROM/TO window.
//   SPIKES: the count n. RATE: (n-1)/(t_n - t_1) for n >= 2 and 0 for n < 2, so that an
//   f-I curve reads 0 below threshold. ISIMEAN needs 2 spikes, ISISTD (sample standard
//   deviation, n-1 in the denominator, of the intervals) and ISICV (ISISTD/ISIMEAN) need
//   3; with fewer they fail. EPS: INTEG(quantity) over the window / SPIKES(spike_signal),
//   failing with 0 spikes.
// - FREQ: the signal resampled (linear) onto N = 2^k uniform points
//   x_j = FROM + j*(TO-FROM)/N, less their mean, with N the smallest power of two (>= 64)
//   whose spacing is at most the median sample spacing in the window, capped at 2^20.
//   A Hann window, a radix-2 FFT, the largest bin except DC, refined by a parabola
//   through the log magnitudes of the bin and its neighbours. A constant signal fails.
//   With a Hann window the parabola's bias stays below ~0.02 bin, i.e. 0.02/(TO-FROM).
// - PARAM: an expression of the earlier measures of the same analysis (by name) and of
//   `params`; a measure name hides a .param of the same name. Naming a failed measure
//   fails, naming it.
// - x may run backwards in a dc sweep (up then down for a hysteresis loop, or an inner
//   sweep restarting with the outer one). WHEN, FIND WHEN, TRIG/TARG and MAX/MIN/PP
//   without FROM/TO follow the samples in order (RISE=1 is the first rise of the whole
//   sweep; FROM/TO on a crossing keep the crossings with x in range); the others need x
//   nondecreasing and otherwise fail, saying so.
// - A Quantity that is an expression is evaluated per sample, quantity_name(k) bound to
//   probe k's column and other names to `params`; a domain error at a sample (division
//   by zero, ...) fails the measure with the x where it happened.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "netlist/netlist.hpp"

namespace ns {

// A sampled waveform: x (time, nondecreasing, or the swept value of a dc sweep); one
// column per probe label (ProbeRequest::label). Transient samples are the integrator's
// accepted steps and the output rows between them, so spacing is uneven; values between
// samples are linear.
struct Waveform {
  std::vector<std::string> labels;
  std::vector<double> x;
  std::vector<std::vector<double>> columns;  // columns[k][i]: probe labels[k] at x[i]
};

struct MeasureResult {
  std::string name;
  std::optional<double> value;   // nullopt: failed
  std::string failure;           // why, e.g. "v(out) never crosses 0.5 (rising) at x >= 0"
  // What ngspice prints after the value: targ and trig of TRIG/TARG, at of MAX/MIN, with
  // of MAX_AT/MIN_AT, from and to of PP/AVG/RMS/INTEG's window.
  std::vector<std::pair<std::string, double>> details;
  MeasureRequest::Kind kind = MeasureRequest::Kind::Max;  // how ngspice prints it (measure_line)
};

// Where a measure's line is printed: after an analysis, a .meas card's; in a script, its
// meas command's. ngspice formats the two apart.
enum class MeasureLine { Card, Command };

// The line ngspice -b prints for a result: its name padded to 20 characters, '=', the
// value and what follows it (targ= trig=, at=, with=, from= to=); a failed one, the name
// and why. Users' scripts grep these, so the spacing is ngspice's to the character.
std::string measure_line(const MeasureResult& result, MeasureLine where);

// Evaluates the measures of `analysis` among `measures`, in order (PARAM sees earlier
// results and `params`); one result per such measure. Never throws for a measure that
// cannot be computed: its result says why.
std::vector<MeasureResult> evaluate_measures(const std::vector<MeasureRequest>& measures,
                                             MeasureRequest::Analysis analysis,
                                             const Waveform& waveform,
                                             const std::map<std::string, double>& params);

}  // namespace ns
