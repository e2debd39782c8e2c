#include "cli/progress.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace ns {

void Progress::show(double fraction, const std::string& detail) {
  if (!terminal_) return;
  const auto now = Clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < 1 || now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  fraction = std::clamp(fraction, 0.0, 1.0);
  std::string line = fmt::format("neurospice: {:5.1f}%{}  elapsed {:.1f} s", 100 * fraction,
                                 detail.empty() ? "" : "  " + detail, elapsed);
  if (fraction > 0.01) line += fmt::format(", about {:.0f} s left", elapsed * (1 - fraction) / fraction);
  const std::size_t shown = line.size();
  line.resize(std::max(line.size(), width_), ' ');  // cover a longer previous line
  err_ << '\r' << line << std::flush;
  width_ = shown;
}

void Progress::clear() {
  if (!width_) return;
  err_ << '\r' << std::string(width_, ' ') << '\r' << std::flush;
  width_ = 0;
}

}  // namespace ns
