#pragma once
// The progress line: on a terminal, for runs longer than a second, one line on stderr
// redrawn in place (fraction done, elapsed, an estimate of what is left); silent
// otherwise, so logs and pipes stay clean.
#include <chrono>
#include <ostream>
#include <string>

namespace ns {

class Progress {
public:
  Progress(std::ostream& err, bool terminal) : err_(err), terminal_(terminal) {}
  ~Progress() { clear(); }

  void show(double fraction, const std::string& detail);
  void clear();  // erase the line, before anything else is printed

private:
  using Clock = std::chrono::steady_clock;
  std::ostream& err_;
  bool terminal_;
  Clock::time_point start_ = Clock::now(), last_{};
  std::size_t width_ = 0;  // of the line on screen, 0: none
};

}  // namespace ns
