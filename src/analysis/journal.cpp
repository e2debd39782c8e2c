#include "analysis/journal.hpp"

#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "netlist/location.hpp"

namespace ns {

namespace {

constexpr char magic[] = "neurospice journal 1\n";

std::uint64_t checksum(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

void put(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

bool get(const std::string& in, std::size_t& at, std::uint64_t& v) {
  if (at + 8 > in.size()) return false;
  std::memcpy(&v, in.data() + at, 8);
  at += 8;
  return true;
}

double seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

// Layout: the magic line, identity and point count, then records: 'D' point length bytes
// checksum (a completed point), or 'A' point rank checksum (a point handed to a rank).
Journal::Journal(std::string path, std::uint64_t identity, std::size_t points, bool resume) : path_(std::move(path)) {
  std::string header = magic;
  put(header, identity);
  put(header, points);
  std::size_t valid = 0;
  if (resume) {
    std::ifstream in(path_, std::ios::binary);
    if (!in)
      throw InputError({}, fmt::format("--resume: there is no journal '{}' to resume from (the run completed, or "
                                       "never started with this output)", path_));
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    if (text.compare(0, header.size(), header) != 0)
      throw InputError({}, fmt::format("--resume: the journal '{}' is of another deck, seed or options; run without "
                                       "--resume to start over", path_));
    std::size_t at = header.size();
    valid = at;
    while (at < text.size()) {
      const char kind = text[at++];
      std::uint64_t point = 0, n = 0, sum = 0;
      if (!get(text, at, point) || point >= points || !get(text, at, n)) break;
      if (kind == 'D') {
        if (n > text.size() - at) break;
        std::string result = text.substr(at, n);
        at += n;
        if (!get(text, at, sum) || sum != checksum(result)) break;
        if (!completed_.count(point)) ++done_;
        completed_[point] = std::move(result);
        unfinished_.erase(point);
      } else if (kind == 'A') {
        if (!get(text, at, sum) || sum != (point ^ n)) break;
        if (!completed_.count(point)) unfinished_[point] = static_cast<int>(n);
      } else {
        break;
      }
      valid = at;
    }
    std::filesystem::resize_file(path_, valid);  // drop a record cut short
    file_ = std::fopen(path_.c_str(), "ab");
  } else {
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_) std::fwrite(header.data(), 1, header.size(), file_);
  }
  if (!file_) throw InputError({}, fmt::format("cannot write the journal '{}': {}", path_, std::strerror(errno)));
  std::fflush(file_);
}

Journal::~Journal() {
  if (file_) std::fclose(file_);
}

void Journal::write(const std::string& record) {
  if (!file_) return;
  std::fwrite(record.data(), 1, record.size(), file_);
  std::fflush(file_);
  // On disk at least once a second: a lost node loses at most the last second's points.
  if (const double now = seconds(); now - last_sync_ > 1) {
    (void)fdatasync(fileno(file_));
    last_sync_ = now;
  }
}

void Journal::point_done(std::size_t point, const std::string& result) {
  std::string record = "D";
  put(record, point);
  put(record, result.size());
  record += result;
  put(record, checksum(result));
  write(record);
  ++done_;
}

void Journal::point_assigned(std::size_t point, int rank) {
  std::string record = "A";
  put(record, point);
  put(record, static_cast<std::uint64_t>(rank));
  put(record, point ^ static_cast<std::uint64_t>(rank));
  write(record);
}

void Journal::remove() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
  std::filesystem::remove(path_);
}

}  // namespace ns
