// The threads of one transient (engine/workers.hpp): every piece run once, on any number
// of threads, loop after loop; an exception comes back from the lowest piece that threw.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/vector.hpp"
#include "engine/workers.hpp"

namespace ns {
namespace {

TEST(Workers, RunEveryPieceOnceOnAnyThreadCount) {
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    Workers workers(threads);
    EXPECT_EQ(workers.threads(), threads);
    for (std::size_t count : {0u, 1u, 2u, 7u, 100u}) {
      for (int loop = 0; loop < 50; ++loop) {
        std::vector<std::atomic<int>> seen(count);
        workers.run(count, [&](std::size_t k) { ++seen[k]; });
        for (std::size_t k = 0; k < count; ++k) ASSERT_EQ(seen[k].load(), 1) << threads << " threads, piece " << k;
      }
    }
  }
}

TEST(Workers, ThrowTheLowestPiecesException) {
  Workers workers(3);
  for (int loop = 0; loop < 20; ++loop) {
    std::atomic<int> ran{0};
    try {
      workers.run(10, [&](std::size_t k) {
        ++ran;
        if (k == 4 || k == 7) throw std::runtime_error("piece " + std::to_string(k));
      });
      FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "piece 4");
    }
    EXPECT_EQ(ran.load(), 10);  // the others still ran
  }
  std::atomic<int> after{0};
  workers.run(5, [&](std::size_t) { ++after; });  // usable after a failure
  EXPECT_EQ(after.load(), 5);
}

// IDA's element-wise vector operations on the threads (use_vector_threads): the same bits.
TEST(Workers, VectorOperationsGiveTheSameBits) {
  SUNContext context = nullptr;
  ASSERT_EQ(SUNContext_Create(nullptr, &context), 0);
  const sunindextype n = 50001;  // pieces of 8192, the last one short
  N_Vector x = new_vector(n, context), y = new_vector(n, context), serial = new_vector(n, context),
           threaded = new_vector(n, context);
  for (sunindextype i = 0; i < n; ++i) {
    NV_Ith_S(x, i) = std::sin(0.37 * static_cast<double>(i)) * 1e3;
    NV_Ith_S(y, i) = std::cos(0.11 * static_cast<double>(i)) + 1e-9 * static_cast<double>(i);
  }
  Workers workers(3);
  auto same = [&](const char* what, const std::function<void(N_Vector)>& op) {
    op(serial);
    use_vector_threads(&workers);
    op(threaded);
    use_vector_threads(nullptr);
    EXPECT_EQ(std::memcmp(NV_DATA_S(serial), NV_DATA_S(threaded), sizeof(double) * static_cast<std::size_t>(n)), 0)
        << what;
  };
  same("linear sum", [&](N_Vector z) { N_VLinearSum(0.3, x, -1.7, y, z); });
  same("linear sum a = b", [&](N_Vector z) { N_VLinearSum(2.5, x, 2.5, y, z); });
  same("product", [&](N_Vector z) { N_VProd(x, y, z); });
  same("quotient", [&](N_Vector z) { N_VDiv(x, y, z); });
  same("scale", [&](N_Vector z) { N_VScale(-3.1, x, z); });
  same("constant", [&](N_Vector z) { N_VConst(4.2, z); });
  same("inverse", [&](N_Vector z) { N_VInv(y, z); });
  for (N_Vector v : {x, y, serial, threaded}) N_VDestroy(v);
  SUNContext_Free(&context);
}

}  // namespace
}  // namespace ns
