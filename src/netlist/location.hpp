#pragma once
// Where a piece of input came from, and the two kinds of failure the program reports.
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

namespace ns {

struct Location {
  std::shared_ptr<const std::string> file;  // shared: every token of a file points at one name
  int line = 0;                             // 1-based
  int column = 0;                           // 1-based
  std::string str() const;                  // "file:line:col" (or "<input>" when unknown)
};

// Bad input (netlist or command line): "file:line:col: error: message", exit status 2.
class InputError : public std::runtime_error {
public:
  InputError(Location where, const std::string& message);
  const Location& where() const { return where_; }
  const std::string& message() const { return message_; }

private:
  Location where_;
  std::string message_;
};

// A simulation that could not go on (no convergence, singular matrix): exit status 1.
// The message says when, where (which unknown or device) and why.
class SimulationError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
  // `time`: when a transient failed (NaN outside a transient); `culprit`: the unknown the
  // message names as the cause ("" when none). The Python module hands both over as fields.
  SimulationError(const std::string& message, double time, std::string culprit)
      : std::runtime_error(message), time_(time), culprit_(std::move(culprit)) {}
  // The same failure with its context in front of the message ("at x = 2: ").
  SimulationError within(const std::string& context) const { return {context + what(), time_, culprit_}; }
  double time() const { return time_; }
  const std::string& culprit() const { return culprit_; }

private:
  double time_ = std::numeric_limits<double>::quiet_NaN();
  std::string culprit_;
};

}  // namespace ns
