#include "analysis/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

#include <fmt/format.h>

#include "netlist/location.hpp"

namespace ns {

namespace {

constexpr char magic[] = "neurospice journal 2\n";

struct Hash {  // FNV-1a
  std::uint64_t h = 0xcbf29ce484222325ULL;
  void add(std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  }
};

std::uint64_t checksum(std::string_view s) {
  Hash h;
  h.add(s);
  return h.h;
}

void put(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }
void put(std::string& out, const std::string& s) {
  put(out, s.size());
  out += s;
}

struct Reader {
  std::string_view in;
  std::size_t at = 0;
  bool ok = true;
  std::uint64_t u64() {
    std::uint64_t v = 0;
    if (at + 8 > in.size()) ok = false;
    else std::memcpy(&v, in.data() + at, 8);
    at += 8;
    return v;
  }
  std::string str() {
    const std::uint64_t n = u64();
    if (!ok || n > in.size() - at) {
      ok = false;
      return {};
    }
    std::string s(in.substr(at, n));
    at += n;
    return s;
  }
};

// The checksum of bytes [from, to) of a file, if it has them.
std::optional<std::uint64_t> file_checksum(std::ifstream& in, std::uint64_t from, std::uint64_t to) {
  in.clear();
  if (!in.is_open() || to < from || !in.seekg(static_cast<std::streamoff>(from))) return std::nullopt;
  Hash h;
  std::string buffer(1 << 16, '\0');
  for (std::uint64_t left = to - from; left > 0;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
    if (!in.read(buffer.data(), static_cast<std::streamsize>(n))) return std::nullopt;
    h.add(std::string_view(buffer.data(), n));
    left -= n;
  }
  return h.h;
}

std::optional<std::string> file_bytes(const std::string& path, std::uint64_t from, std::uint64_t size) {
  std::ifstream in(path, std::ios::binary);
  std::string s(size, '\0');
  if (!in || !in.seekg(static_cast<std::streamoff>(from)) || !in.read(s.data(), static_cast<std::streamsize>(size)))
    return std::nullopt;
  return s;
}

void write_all(int fd, const std::string& bytes) {
  for (std::size_t at = 0; at < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + at, bytes.size() - at);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(fmt::format("cannot write the run's journal: {}", std::strerror(errno)));
    }
    at += static_cast<std::size_t>(n);
  }
}

int open_file(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw InputError({}, fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
  return fd;
}

double seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// A record: its kind, its body's length, the body, a checksum of kind and body.
std::string record(char kind, const std::string& body) {
  std::string r(1, kind);
  put(r, body.size());
  r += body;
  put(r, checksum(r));
  return r;
}

}  // namespace

// Records: 'W' a point written (point, then per file: path, where it ends, checksum of
// the point's bytes, rows, the sink's rows), 'P' a point pending (point, offset, length,
// checksum), 'C' the pending file emptied, 'A' a point handed to a rank (point, rank).
Journal::Journal(const std::string& stem, std::uint64_t identity, std::size_t points, bool resume)
    : path_(stem + ".journal"), pending_path_(stem + ".pending") {
  std::string header = magic;
  put(header, identity);
  put(header, points);
  if (resume) {
    read_back(header, points);
  } else {
    fd_ = open_file(path_, O_TRUNC | O_APPEND);
    write_all(fd_, header);
    pending_fd_ = open_file(pending_path_, O_TRUNC | O_APPEND);
  }
}

void Journal::read_back(const std::string& header, std::size_t points) {
  std::ifstream in(path_, std::ios::binary);
  if (!in)
    throw InputError({}, fmt::format("--resume: there is no journal '{}' to resume from (the run completed, or "
                                     "never started with this output)", path_));
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  if (text.compare(0, header.size(), header) != 0)
    throw InputError({}, fmt::format("--resume: the journal '{}' is of another deck, seed or options (or of "
                                     "another version); run without --resume to start over", path_));
  struct Pending {
    std::uint64_t offset, size, sum;
    std::string record;
  };
  std::map<std::size_t, Pending> pending;
  std::map<std::size_t, int> assigned;
  std::string kept = header;  // the journal rewritten: the records that still hold
  bool verifying = true;      // written points check against the files so far
  for (std::size_t at = header.size(); at + 9 <= text.size();) {
    Reader framing{std::string_view(text).substr(at + 1)};
    const std::uint64_t n = framing.u64();
    if (n > text.size() - at - 9 || text.size() - at - 9 - n < 8) break;
    const std::string whole = text.substr(at, 9 + n);
    Reader body{std::string_view(whole).substr(9)};
    Reader sum{std::string_view(text).substr(at + 9 + n, 8)};
    if (sum.u64() != checksum(whole)) break;
    at += 9 + n + 8;
    const char kind = whole[0];
    const std::uint64_t point = kind == 'C' ? 0 : body.u64();
    if (point >= points) break;
    if (kind == 'W') {
      if (!verifying || point != written_) {
        verifying = false;
        continue;
      }
      std::vector<FileMark> marks;
      std::map<std::string, std::uint64_t> ends = ends_;
      const std::uint64_t files = body.u64();
      for (std::uint64_t f = 0; f < files && body.ok && verifying; ++f) {
        FileMark m;
        m.path = body.str();
        m.bytes = body.u64();
        const std::uint64_t bytes_sum = body.u64();
        m.rows = body.u64();
        m.sink_rows = body.u64();
        const std::uint64_t from = ends.count(m.path) ? ends[m.path] : 0;
        std::ifstream file(m.path, std::ios::binary);
        verifying = body.ok && file_checksum(file, from, m.bytes) == bytes_sum;
        ends[m.path] = m.bytes;
        marks.push_back(std::move(m));
      }
      if (!verifying) continue;
      ends_ = std::move(ends);
      marks_ = std::move(marks);
      ++written_;
      kept += text.substr(at - 9 - n - 8, 9 + n + 8);
    } else if (kind == 'P') {
      Pending p{body.u64(), body.u64(), body.u64(), text.substr(at - 9 - n - 8, 9 + n + 8)};
      if (body.ok) pending[point] = std::move(p);
    } else if (kind == 'C') {
      pending.clear();
    } else if (kind == 'A') {
      const std::uint64_t rank = body.u64();
      if (body.ok) assigned[point] = static_cast<int>(rank);
    } else {
      break;
    }
  }
  for (auto& [k, p] : pending) {
    if (k < written_) continue;
    auto bytes = file_bytes(pending_path_, p.offset, p.size);
    if (!bytes || checksum(*bytes) != p.sum) continue;
    ahead_[k] = std::move(*bytes);
    pending_.insert(k);
    kept += p.record;
  }
  for (const auto& [k, rank] : assigned)
    if (k >= written_ && !ahead_.count(k)) unfinished_[k] = rank;

  // The journal rewritten with what holds, so that its next records follow on from it.
  const std::string fresh = path_ + ".new";
  const int fd = open_file(fresh, O_TRUNC);
  write_all(fd, kept);
  (void)fdatasync(fd);
  ::close(fd);
  std::filesystem::rename(fresh, path_);
  fd_ = open_file(path_, O_APPEND);
  pending_fd_ = open_file(pending_path_, ahead_.empty() ? O_TRUNC | O_APPEND : O_APPEND);
  std::error_code error;
  pending_size_ = std::filesystem::file_size(pending_path_, error);
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
  if (pending_fd_ >= 0) ::close(pending_fd_);
}

void Journal::append(char kind, const std::string& body) {
  if (fd_ < 0) return;
  write_all(fd_, record(kind, body));
  // On disk at least once a second: a lost node loses at most the last second's points.
  if (const double now = seconds(); now - last_sync_ > 1) {
    (void)fdatasync(pending_fd_);
    (void)fdatasync(fd_);
    last_sync_ = now;
  }
}

void Journal::point_ahead(std::size_t point, const std::string& result) {
  std::lock_guard lock(mutex_);
  if (pending_fd_ < 0) return;
  write_all(pending_fd_, result);
  std::string body;
  put(body, point);
  put(body, pending_size_);
  put(body, result.size());
  put(body, checksum(result));
  pending_size_ += result.size();
  pending_.insert(point);
  append('P', body);
}

void Journal::point_written(std::size_t point, const std::vector<FileMark>& files) {
  std::lock_guard lock(mutex_);
  std::string body;
  put(body, point);
  put(body, files.size());
  std::map<std::string, std::ifstream> readers;  // kept open from point to point: opening costs
  for (const FileMark& m : files) {
    std::uint64_t& end = ends_[m.path];
    if (end > m.bytes) end = 0;  // a file of its own (--step-files) written again
    auto& reader = readers[m.path];
    if (auto old = readers_.find(m.path); old != readers_.end()) reader = std::move(old->second);
    else reader.open(m.path, std::ios::binary);
    put(body, m.path);
    put(body, m.bytes);
    put(body, file_checksum(reader, end, m.bytes).value_or(0));
    put(body, m.rows);
    put(body, m.sink_rows);
    end = m.bytes;
  }
  readers_ = std::move(readers);
  append('W', body);
  written_ = point + 1;
  // Once every pending point is written, the pending file starts over.
  if (pending_.erase(point) && pending_.empty() && pending_size_ > 0 && pending_fd_ >= 0) {
    if (::ftruncate(pending_fd_, 0) == 0) {
      pending_size_ = 0;
      append('C', {});
    }
  }
}

void Journal::point_assigned(std::size_t point, int rank) {
  std::lock_guard lock(mutex_);
  std::string body;
  put(body, point);
  put(body, static_cast<std::uint64_t>(rank));
  append('A', body);
}

std::size_t Journal::done() const {
  std::lock_guard lock(mutex_);
  return written_ + pending_.size();
}

void Journal::remove() {
  std::lock_guard lock(mutex_);
  if (fd_ >= 0) ::close(fd_);
  if (pending_fd_ >= 0) ::close(pending_fd_);
  fd_ = pending_fd_ = -1;
  std::filesystem::remove(path_);
  std::filesystem::remove(pending_path_);
}

}  // namespace ns
