#include "engine/workers.hpp"

#include <utility>

namespace ns {

namespace {

// About a microsecond of waiting per call, without giving the core away.
void relax() {
#if defined(__x86_64__) || defined(__i386__)
  for (int k = 0; k < 16; ++k) __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

constexpr int spins = 50;  // relax() calls before a helper sleeps

}  // namespace

Workers::Workers(unsigned threads) {
  for (unsigned k = 1; k < threads; ++k) helpers_.emplace_back([this] { help(); });
}

Workers::~Workers() {
  stop_ = true;
  { std::lock_guard lock(mutex_); }  // a helper between its test and its wait is in the wait now
  wake_.notify_all();
  for (auto& t : helpers_) t.join();
}

void Workers::work() {
  for (;;) {
    const std::size_t k = next_.fetch_add(1);
    if (k >= count_) return;
    try {
      (*body_)(k);
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_ || k < failed_at_) error_ = std::current_exception(), failed_at_ = k;
    }
  }
}

// A helper joins a loop only while it is open, and the caller, having closed it, waits
// for the helpers inside: so none reads body_ or count_ while run() sets up the next loop
// (all atomics sequentially consistent: of inside_++ then open_ read here, and open_ = 0
// then inside_ read in run(), one side sees the other).
void Workers::help() {
  unsigned long seen = 0;
  for (;;) {
    for (int k = 0; k < spins && generation_.load() == seen && !stop_; ++k) relax();
    if (generation_.load() == seen && !stop_) {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_.load() != seen; });
    }
    if (stop_) return;
    seen = generation_.load();
    ++inside_;
    if (open_.load() == seen) work();
    if (--inside_ == 0) {
      std::lock_guard lock(mutex_);
      done_.notify_one();
    }
  }
}

void Workers::run(std::size_t count, const std::function<void(std::size_t)>& body) {
  if (helpers_.empty() || count < 2) {
    for (std::size_t k = 0; k < count; ++k) body(k);
    return;
  }
  body_ = &body;
  count_ = count;
  next_ = 0;
  error_ = nullptr;
  const unsigned long loop = generation_.load() + 1;
  open_ = loop;
  generation_ = loop;
  { std::lock_guard lock(mutex_); }  // as in ~Workers
  wake_.notify_all();
  work();
  open_ = 0;
  for (int k = 0; k < spins * 20 && inside_.load() != 0; ++k) relax();
  if (inside_.load() != 0) {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return inside_.load() == 0; });
  }
  body_ = nullptr;
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

}  // namespace ns
