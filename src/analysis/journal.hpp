#pragma once
// The journal of a stepped run (STEM.journal beside its files): a small record of where
// the finished points' bytes are, not the bytes themselves. Points are written to the
// output files (FILE.partial) in point order as they come; after each, the journal notes
// where every file then ends, with a checksum of the point's bytes. A point that finishes
// before those ahead of it is kept in STEM.pending (its encode()d result) until its turn,
// and the journal notes where. A run that is cut short (Ctrl-C, a failed point, a killed
// rank or node) leaves the three; `--resume` checks the files against the journal, cuts
// them back to the last point that checks, takes the pending points that check, and
// computes only the rest, so the files end the same bit for bit as an uninterrupted run's.
// The run that completes removes journal and pending file.
//
// Records are appended and flushed one by one, each with its checksum; a record cut short
// by a crash is dropped when the journal is read back, so whatever a crash leaves is a
// valid journal.
#include <cstdint>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "output/files.hpp"

namespace ns {

class Journal {
public:
  // Starts a new journal for the files of `stem`, or with `resume` continues the one there
  // (an InputError if it belongs to another deck or options: `identity` differs).
  Journal(const std::string& stem, std::uint64_t identity, std::size_t points, bool resume);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // On resume: points 0..written()-1 are in the files, which end at marks() (as the last
  // point_written() gave them).
  std::size_t written() const { return written_; }
  const std::vector<FileMark>& marks() const { return marks_; }
  // On resume: finished points that were not yet written (encode()d); the caller takes them.
  std::map<std::size_t, std::string>& ahead() { return ahead_; }
  // Points handed to a rank and not finished when the journal was written last: the points
  // a dead rank or node was running. By point, the rank.
  const std::map<std::size_t, int>& unfinished() const { return unfinished_; }

  // A point finished before its turn: its result, kept until it is written.
  void point_ahead(std::size_t point, const std::string& result);
  // Point `point` is in the files, which now end at `files` (flushed).
  void point_written(std::size_t point, const std::vector<FileMark>& files);
  void point_assigned(std::size_t point, int rank);
  // The run completed: journal and pending file go.
  void remove();
  const std::string& path() const { return path_; }
  std::size_t done() const;  // points written or pending

private:
  void append(char kind, const std::string& body);
  void read_back(const std::string& header, std::size_t points);

  std::string path_, pending_path_;
  int fd_ = -1, pending_fd_ = -1;
  mutable std::mutex mutex_;
  std::size_t written_ = 0;
  std::vector<FileMark> marks_;
  std::map<std::string, std::uint64_t> ends_;  // by file: where its last written point ends
  std::map<std::string, std::ifstream> readers_;  // the last point's files, to checksum the next's
  std::map<std::size_t, std::string> ahead_;
  std::map<std::size_t, int> unfinished_;
  std::set<std::size_t> pending_;  // points in the pending file, not yet written
  std::uint64_t pending_size_ = 0;
  double last_sync_ = 0;
};

}  // namespace ns
