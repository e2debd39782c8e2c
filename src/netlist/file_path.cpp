#include "netlist/file_path.hpp"

#include <algorithm>
#include <system_error>

#include "netlist/ascii.hpp"

namespace ns {

namespace fs = std::filesystem;

namespace {

// `relative` under `dir`, each component matched without regard to case; empty if none or
// more than one entry matches one of them.
fs::path match_case(fs::path dir, const fs::path& relative) {
  std::error_code ec;
  for (const fs::path& part : relative) {
    const std::string name = part.string();
    if (name == "." || name == "..") {
      dir /= part;
      continue;
    }
    if (fs::exists(dir / part, ec)) {
      dir /= part;
      continue;
    }
    fs::path found;
    int matches = 0;
    for (fs::directory_iterator it(dir.empty() ? fs::path(".") : dir, ec), end; !ec && it != end; it.increment(ec))
      if (lower(it->path().filename().string()) == lower(name)) found = it->path().filename(), ++matches;
    if (matches != 1) return {};
    dir /= found;
  }
  return dir;
}

}  // namespace

fs::path find_deck_file(const fs::path& dir, const std::string& written) {
  const fs::path as_written = (dir / fs::path(written)).lexically_normal();
  std::error_code ec;
  if (fs::exists(as_written, ec)) return as_written;
  std::string slashed = written;
  std::replace(slashed.begin(), slashed.end(), '\\', '/');
  const fs::path relative(slashed);
  const fs::path base = relative.is_absolute() ? fs::path() : dir;
  if (const fs::path p = (base / relative).lexically_normal(); fs::exists(p, ec)) return p;
  if (const fs::path p = match_case(base, relative.is_absolute() ? relative.relative_path() : relative);
      !p.empty() && fs::exists(p, ec))
    return (relative.is_absolute() ? relative.root_path() / p : p).lexically_normal();
  return as_written;
}

}  // namespace ns
