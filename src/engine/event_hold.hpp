#pragma once
// An event of the digital network that moves no analog output (a gate inside the network,
// a dac_bridge input whose drive stays as it was: Device::event_corner) changes no equation
// of the analog circuit. What it changes is each digital node's own row, x - level = 0
// (digital/model.hpp), whose unknown nothing else reads. A restart there, as at a source
// corner, costs the Euler start steps, IDA's re-initialisation and its climb back to its
// order and step, for nothing. So the integrator goes on instead ("holds"): each such
// unknown is set to its new value in its history, every divided difference of it zero, so
// its predictor is the new value and its error estimate 0, and every other unknown keeps
// its history, step and order.
//
// Which unknowns: those whose row and column of the pattern hold only the diagonal (its
// own equation alone fixes it, and no other equation reads it), with no capacitance. At
// the event, each row with only its diagonal is evaluated; an unknown that its row moves
// beyond its tolerance must be one of those, and the new value (one Newton step of its row)
// must solve the row; else the event needs a restart (a digital node read by a behavioural
// source, whose equation then changes too).
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "engine/system.hpp"

namespace ns {

class EventHold {
public:
  explicit EventHold(const System& system);
  using Moved = std::vector<std::pair<std::size_t, double>>;  // (unknown, its new value)
  // At time t, y the solution there, the devices having taken the event: in `moved`, the
  // unknowns it moved and their new values. False when it needs a restart.
  bool find(double t, std::span<const double> y, Moved& moved);

private:
  const System& system_;
  std::vector<std::size_t> alone_;  // the unknowns alone in their row
  std::vector<char> read_;          // by unknown: another row reads it
  Assembly assembly_;
  std::vector<double> trial_, diagonal_;
};

// The moved unknowns written into IDA's history (ida: IDA's memory), each constant at its
// new value from the last step on.
void hold_in_ida(void* ida, const EventHold::Moved& moved);

}  // namespace ns
