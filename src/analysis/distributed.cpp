#include "analysis/distributed.hpp"

#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "analysis/study.hpp"

#ifdef NS_MPI
#define OMPI_SKIP_MPICXX 1  // the C API only: no deprecated C++ bindings
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace ns {

namespace {

int the_rank = 0, the_size = 1;
bool released = true;   // rank 0: the other ranks were told what to do (go or none)
bool served = true;     // other ranks: serve_points ran

}  // namespace

double thread_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

int Cluster::rank() { return the_rank; }
int Cluster::size() { return the_size; }
bool Coordinator::available() { return the_rank == 0 && the_size > 1 && !released; }

#ifndef NS_MPI

Cluster::Cluster(int&, char**&) {}
Cluster::~Cluster() {}
int serve_points(const RunOptions&) { return 0; }
void Coordinator::release() {}
Coordinator::Coordinator(const std::vector<std::string>&, Hooks hooks) : hooks_(std::move(hooks)) {}
void Coordinator::poll() {}
bool Coordinator::finish() { return true; }
Coordinator::~Coordinator() {}
std::vector<int> Coordinator::stop_ranks(double) { return {}; }

#else

namespace {

// Tags of the messages; payloads are bytes.
enum Tag : int {
  Go = 1,       // 0 -> rank: "1" + RunOptions::only joined by '\n', or "0": nothing to do
  Request = 2,  // rank -> 0: a thread of mine is free
  Assign = 3,   // 0 -> rank: run this point (8 bytes)
  None = 4,     // 0 -> rank: no points left
  Stop = 5,     // 0 -> rank: the run is over, unfinished
  Result = 6,   // rank -> 0: point (8 bytes) and its encode()d result
  Bye = 7,      // rank -> 0: I am done
  Failed = 8,   // rank -> 0: I could not read the deck (the message)
};

void send(int to, Tag tag, const std::string& bytes) {
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, to, tag, MPI_COMM_WORLD);
}

std::string point_bytes(std::size_t point) {
  const std::uint64_t v = point;
  return std::string(reinterpret_cast<const char*>(&v), 8);
}

std::size_t point_of(const std::string& bytes) {
  std::uint64_t v = 0;
  if (bytes.size() >= 8) std::memcpy(&v, bytes.data(), 8);
  return static_cast<std::size_t>(v);
}

struct Message {
  int from = -1, tag = 0;
  std::string bytes;
};

// The next message from `from` (or anyone), if there is one. Open MPI's blocking receive
// spins a core; waiting ranks sleep between probes instead, so a waiting rank leaves its
// core to the ranks that compute. A large message is copied from its sender after the probe
// found it; if the sender dies meanwhile that copy never ends, so it is waited for only
// until `give_up` (the run is interrupted: mpirun ends a job whose rank died).
std::optional<Message> try_receive(int from = MPI_ANY_SOURCE, const std::function<bool()>& give_up = {}) {
  int flag = 0;
  MPI_Status status;
  MPI_Iprobe(from, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
  if (!flag) return std::nullopt;
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  Message m{status.MPI_SOURCE, status.MPI_TAG, std::string(static_cast<std::size_t>(count), '\0')};
  MPI_Request request;
  MPI_Irecv(m.bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, &request);
  for (;;) {
    int done = 0;
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done) return m;
    if (give_up && give_up()) {
      // Abandoned: the buffer stays allocated for as long as MPI may still write into it.
      static std::deque<std::string> abandoned;
      abandoned.push_back(std::move(m.bytes));
      MPI_Request_free(&request);
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
}

Message receive(int from) {
  for (;;) {
    if (auto m = try_receive(from)) return std::move(*m);
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(v)) return true;
  return false;
}

}  // namespace

Cluster::Cluster(int& argc, char**& argv) {
  if (!launched_by_mpi()) return;
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &the_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &the_size);
  released = the_rank != 0 || the_size == 1;
  served = the_rank == 0;
}

Cluster::~Cluster() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) return;
  Coordinator::release();
  if (!served) {  // this rank stopped before serving (bad arguments): answer rank 0 all the same
    const Message go = receive(0);
    if (go.bytes.starts_with("1")) {
      send(0, Failed, "could not start (see the command line's errors)");
    }
  }
  MPI_Finalize();
}

void Coordinator::release() {
  if (the_rank != 0 || released) return;
  released = true;
  for (int r = 1; r < the_size; ++r) send(r, Go, "0");
}

Coordinator::Coordinator(const std::vector<std::string>& only, Hooks hooks)
    : hooks_(std::move(hooks)), left_(static_cast<std::size_t>(the_size), false) {
  left_[0] = true;
  released = true;
  std::string go = "1";
  for (const auto& o : only) go += o + '\n';
  for (int r = 1; r < the_size; ++r) send(r, Go, go);
}

void Coordinator::handle(bool stopping) {
  for (;;) {
    // CPU time per message, apart from the probes that find none (the cost of waiting).
    const double start = thread_seconds();
    auto m = try_receive(MPI_ANY_SOURCE, hooks_.interrupted);
    if (!m) {
      idle_seconds_ += thread_seconds() - start;
      break;
    }
    struct Count {  // however this leaves
      double start;
      double& total;
      ~Count() { total += thread_seconds() - start; }
    } count{start, seconds_};
    const std::size_t r = static_cast<std::size_t>(m->from);
    switch (m->tag) {
      case Request:
        if (stopping) {
          send(m->from, Stop, {});
        } else if (const auto k = hooks_.take()) {
          send(m->from, Assign, point_bytes(*k));
          out_[*k] = m->from;
          hooks_.assigned(*k, m->from);
        } else {
          send(m->from, None, {});
        }
        break;
      case Result:
        ++results_;
        bytes_ += m->bytes.size();
        out_.erase(point_of(m->bytes));
        hooks_.deliver(point_of(m->bytes), m->bytes.substr(8), m->from);
        break;
      case Bye:
        left_[r] = true;
        break;
      case Failed:
        left_[r] = true;
        hooks_.say(fmt::format("note: rank {} left the run: {}", m->from, m->bytes));
        break;
      default:
        break;
    }
  }
}

void Coordinator::poll() { handle(false); }

bool Coordinator::finish() {
  // Every point is in, so every rank's next request gets None and it says goodbye.
  while (std::find(left_.begin(), left_.end(), false) != left_.end()) {
    if (hooks_.interrupted && hooks_.interrupted()) return false;
    handle(false);
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  finished_ = true;
  return true;
}

Coordinator::~Coordinator() {
  if (finished_) return;
  try {
    for (int r = 1; r < the_size; ++r)
      if (!left_[static_cast<std::size_t>(r)]) send(r, Stop, {});
    while (std::find(left_.begin(), left_.end(), false) != left_.end()) {
      handle(true);
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  } catch (...) {  // a result that no longer decodes: the run is failing anyway
  }
}

std::vector<int> Coordinator::stop_ranks(double wait) {
  for (int r = 1; r < the_size; ++r)
    if (!left_[static_cast<std::size_t>(r)]) send(r, Stop, {});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(wait);
  while (std::find(left_.begin(), left_.end(), false) != left_.end() && std::chrono::steady_clock::now() < deadline) {
    handle(true);
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  std::vector<int> silent;
  for (int r = 1; r < the_size; ++r)
    if (!left_[static_cast<std::size_t>(r)]) {
      silent.push_back(r);
      left_[static_cast<std::size_t>(r)] = true;
    }
  finished_ = true;
  return silent;
}

int serve_points(const RunOptions& given) {
  served = true;
  const Message go = receive(0);
  if (!go.bytes.starts_with("1")) return 0;
  RunOptions options = given;
  options.only.clear();
  for (std::size_t at = 1; at < go.bytes.size();) {
    const std::size_t end = go.bytes.find('\n', at);
    options.only.push_back(go.bytes.substr(at, end - at));
    at = end + 1;
  }
  options.warned = true;  // rank 0 reports the deck's warnings
  std::optional<Study> study;
  try {
    study.emplace(prepare(options, {}));
  } catch (const std::exception& e) {
    send(0, Failed, e.what());
    return 0;  // Open MPI ends the whole job when a rank exits with a failure
  }

  // The threads compute what is queued; this thread talks to rank 0.
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::size_t> queue;
  std::deque<std::pair<std::size_t, std::string>> outbox;
  std::atomic<bool> stop{false};
  bool closed = false;  // no more points will be queued
  const unsigned threads = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      std::atomic<double> progress{0};
      for (;;) {
        std::size_t k = 0;
        {
          std::unique_lock lock(mutex);
          ready.wait(lock, [&] { return !queue.empty() || closed; });
          if (queue.empty()) return;
          k = queue.front();
          queue.pop_front();
        }
        std::string bytes = encode(compute_point(*study, k, options, {}, stop, progress));
        std::lock_guard lock(mutex);
        outbox.emplace_back(k, std::move(bytes));
        ready.notify_all();
      }
    });

  std::size_t out = 0;  // points asked for and not yet sent back
  bool none = false;
  auto close = [&] {
    {
      std::lock_guard lock(mutex);
      closed = true;
    }
    ready.notify_all();
  };
  for (;;) {
    while (!none && !stop && out < threads) {
      send(0, Request, {});
      const Message reply = receive(0);
      if (reply.tag == Assign) {
        ++out;
        std::lock_guard lock(mutex);
        queue.push_back(point_of(reply.bytes));
        ready.notify_all();
      } else {
        none = true;
        if (reply.tag == Stop) stop = true;
      }
    }
    if (none) close();
    std::deque<std::pair<std::size_t, std::string>> sending;
    {
      std::unique_lock lock(mutex);
      ready.wait_for(lock, std::chrono::milliseconds(1), [&] { return !outbox.empty(); });
      sending.swap(outbox);
    }
    for (auto& [k, bytes] : sending) {
      send(0, Result, point_bytes(k) + bytes);
      --out;
    }
    if (auto m = try_receive(0); m && m->tag == Stop) {
      stop = true;
      none = true;
      close();
    }
    if (none && out == 0) break;
    if (stop) {  // the run is over: what the threads still finish is of no use
      {
        std::lock_guard lock(mutex);
        queue.clear();
      }
      close();
      for (auto& t : pool) t.join();
      pool.clear();
      break;
    }
  }
  close();
  for (auto& t : pool) t.join();
  send(0, Bye, {});
  return 0;
}

#endif

}  // namespace ns
