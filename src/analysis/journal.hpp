#pragma once
// The journal of a stepped run (STEM.journal beside its files): each point's result as it
// completes, in whatever order, and which rank a point was handed to. A run that is cut
// short (Ctrl-C, a failed point, a killed rank or node) leaves it; `--resume` reads it
// back, recomputes only the points it lacks and writes the files from scratch, the same
// bit for bit as an uninterrupted run. The run that completes removes it.
//
// Records are appended and flushed one by one; a record cut short by a crash is dropped
// when the journal is read back, so whatever a crash leaves is a valid journal.
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>

namespace ns {

class Journal {
public:
  // Starts a new journal at `path`, or with `resume` continues the one there (an
  // InputError if it belongs to another deck or options: `identity` differs).
  Journal(std::string path, std::uint64_t identity, std::size_t points, bool resume);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Results of completed points read back on resume (encode()d), by point; the caller
  // takes them.
  std::map<std::size_t, std::string>& completed() { return completed_; }
  // Points handed to a rank and not completed when the journal was written last: the
  // points a dead rank or node was running. By point, the rank.
  const std::map<std::size_t, int>& unfinished() const { return unfinished_; }

  void point_done(std::size_t point, const std::string& result);
  void point_assigned(std::size_t point, int rank);
  // The run completed: the journal goes.
  void remove();
  const std::string& path() const { return path_; }
  std::size_t done() const { return done_; }

private:
  void write(const std::string& record);

  std::string path_;
  std::FILE* file_ = nullptr;
  std::map<std::size_t, std::string> completed_;
  std::map<std::size_t, int> unfinished_;
  std::size_t done_ = 0;
  double last_sync_ = 0;
};

}  // namespace ns
