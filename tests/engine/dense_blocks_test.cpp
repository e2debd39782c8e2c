// The block solver's small dense LUs (engine/dense_blocks.hpp): each block's solve must
// reproduce a known x from b = A x to rounding (pivoting needed: zero leading diagonals),
// and give the same answer as KLU on the same block-diagonal matrix.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "engine/dense_blocks.hpp"
#include "engine/sparse_lu.hpp"

namespace ns {
namespace {

TEST(DenseBlocks, SolvesKnownAnswersAndAgreesWithKlu) {
  const std::vector<int> sizes{5, 1, 3, 5, 2, 16};
  DenseBlocks blocks(sizes);
  const std::size_t n = blocks.size();
  ASSERT_EQ(n, 32u);
  std::minstd_rand random(3);
  std::uniform_real_distribution<double> r(-1, 1);
  // A dense matrix of the whole, zero outside the blocks; block 0's first diagonal is zero
  // so the first step must pivot.
  std::vector<double> a(n * n, 0.0);
  std::size_t start = 0;
  for (int m : sizes) {
    for (std::size_t i = start; i < start + static_cast<std::size_t>(m); ++i)
      for (std::size_t j = start; j < start + static_cast<std::size_t>(m); ++j)
        a[i * n + j] = r(random) + (i == j ? 2.0 : 0.0);
    start += static_cast<std::size_t>(m);
  }
  a[0] = 0;
  std::vector<double>& values = blocks.values();
  std::fill(values.begin(), values.end(), 0.0);
  std::vector<std::int64_t> starts{0}, rows;
  std::vector<double> csc;
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < n; ++i)
      if (a[i * n + j] != 0 || i == j) {
        values[blocks.slot(i, j)] = a[i * n + j];
        rows.push_back(static_cast<std::int64_t>(i));
        csc.push_back(a[i * n + j]);
      }
    starts.push_back(static_cast<std::int64_t>(rows.size()));
  }
  ASSERT_TRUE(blocks.factor());
  SparseLu klu(starts, rows);
  ASSERT_TRUE(klu.factor(csc));

  std::vector<double> x(n), b(n, 0.0);
  for (double& v : x) v = r(random);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) b[i] += a[i * n + j] * x[j];
  std::vector<double> dense = b, sparse = b;
  blocks.solve(dense);
  klu.solve(sparse);
  // Blocks of at most 16 with diagonals ~2 and entries ~1: condition numbers of tens, so
  // the solves agree with x and with each other to 1e-12 (rounding ~1e-16 times that).
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_NEAR(dense[i], x[i], 1e-12) << i;
    EXPECT_NEAR(dense[i], sparse[i], 1e-12) << i;
  }
  // Each column of the inverse (the block solver's test by columns): A times it is the
  // unit vector, to the same rounding, and it is zero outside its block.
  for (std::size_t j = 0; j < n; ++j) {
    std::vector<double> column(DenseBlocks::largest);
    const std::size_t first = blocks.inverse_column(j, column);
    const std::size_t m = blocks.block_size(j);
    ASSERT_LE(first, j);
    ASSERT_LT(j, first + m);
    for (std::size_t i = 0; i < n; ++i) {
      double sum = 0;
      for (std::size_t k = 0; k < m; ++k) sum += a[i * n + first + k] * column[k];
      EXPECT_NEAR(sum, i == j ? 1.0 : 0.0, 1e-12) << i << " " << j;
    }
  }
}

TEST(DenseBlocks, ReportsASingularBlock) {
  const std::vector<int> sizes{2, 2};
  DenseBlocks blocks(sizes);
  std::vector<double>& values = blocks.values();
  std::fill(values.begin(), values.end(), 0.0);
  values[blocks.slot(0, 0)] = 1;
  values[blocks.slot(1, 1)] = 1;
  values[blocks.slot(2, 2)] = 1;
  values[blocks.slot(2, 3)] = 2;
  values[blocks.slot(3, 2)] = 2;
  values[blocks.slot(3, 3)] = 4;  // rows 2 and 3 proportional
  EXPECT_FALSE(blocks.factor());
}

}  // namespace
}  // namespace ns
