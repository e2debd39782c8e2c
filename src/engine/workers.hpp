#pragma once
// Threads inside one transient (issue 20, item 4): a fixed set of threads that run one
// loop at a time, body(k) for k = 0 .. count-1, each k on one thread. The work is split
// into pieces that write disjoint data (a chunk of weakly coupled blocks: its devices'
// rows, its part of the preconditioner), and the pieces are the same whatever the
// number of threads, so the results are the same to the bit with any -j.
//
// A transient runs a few such loops per Newton iteration, each of a fraction of a
// millisecond, so the helpers spin a little before they sleep: waking a sleeping thread
// costs tens of microseconds.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ns {

class Workers {
public:
  // `threads` in all, the caller's included (1: everything runs in the caller).
  explicit Workers(unsigned threads);
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  unsigned threads() const { return static_cast<unsigned>(helpers_.size()) + 1; }
  // body(0) ... body(count - 1), spread over the threads; returns when all are done and
  // no helper is in the loop (one that has not woken up yet does not join it). An exception from a body is thrown here (the one of
  // the lowest k), after the other pieces have run.
  void run(std::size_t count, const std::function<void(std::size_t)>& body);

private:
  void help();
  void work();  // take pieces until none are left

  std::vector<std::thread> helpers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::atomic<unsigned long> generation_{0};  // one more per loop; helpers wait for a change
  std::atomic<unsigned long> open_{0};        // the loop pieces may be taken from; 0: none
  std::atomic<std::size_t> next_{0};          // the next piece to take
  std::atomic<unsigned> inside_{0};           // helpers in the open loop
  std::atomic<bool> stop_{false};
  // Set before generation_ moves on, read by the helpers after they see it move.
  const std::function<void(std::size_t)>* body_ = nullptr;
  std::size_t count_ = 0;
  std::size_t failed_at_ = 0;  // under mutex_
  std::exception_ptr error_;   // under mutex_
};

// The largest of value(i) over i in [0, n) (0 when none is larger), in pieces on `workers`
// when there are some and n is long enough to pay: a maximum is the same in any order, so
// the result is the same bits as a serial loop's.
template <class F>
double largest(std::size_t n, Workers* workers, const F& value) {
  constexpr std::size_t piece = 8192;
  auto range = [&](std::size_t from, std::size_t to) {
    double most = 0;
    for (std::size_t i = from; i < to; ++i) most = std::max(most, value(i));
    return most;
  };
  if (!workers || n < 2 * piece) return range(0, n);
  std::vector<double> most((n + piece - 1) / piece);
  workers->run(most.size(), [&](std::size_t p) { most[p] = range(p * piece, std::min(n, (p + 1) * piece)); });
  return *std::max_element(most.begin(), most.end());
}

// body(from, to) over [0, n) in pieces on `workers` when there are some and n is long
// enough to pay; for element-wise work (each element computed as alone: the same bits).
template <class F>
void in_pieces(std::size_t n, Workers* workers, const F& body) {
  constexpr std::size_t piece = 8192;
  if (!workers || n < 2 * piece) return body(std::size_t{0}, n);
  workers->run((n + piece - 1) / piece, [&](std::size_t p) { body(p * piece, std::min(n, (p + 1) * piece)); });
}

}  // namespace ns
