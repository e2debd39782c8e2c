#include "engine/dense_blocks.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace ns {

DenseBlocks::DenseBlocks(std::span<const int> sizes) {
  start_.assign(1, 0);
  offset_.assign(1, 0);
  for (std::size_t b = 0; b < sizes.size(); ++b) {
    const auto m = static_cast<std::size_t>(sizes[b]);
    if (m < 1 || sizes[b] > largest) throw std::logic_error("dense blocks: a block of unsupported size");
    block_.insert(block_.end(), m, b);
    start_.push_back(start_.back() + m);
    offset_.push_back(offset_.back() + m * m);
  }
  matrix_.assign(offset_.back(), 0.0);
  pivot_.assign(start_.back(), 0);
  order_.assign(start_.back(), 0);
}

std::size_t DenseBlocks::slot(std::size_t row, std::size_t column) const {
  const std::size_t b = block_.at(row);
  if (block_.at(column) != b) throw std::logic_error("dense blocks: an entry joins two blocks");
  const std::size_t m = start_[b + 1] - start_[b];
  return offset_[b] + (row - start_[b]) * m + (column - start_[b]);
}

bool DenseBlocks::factor() {
  for (std::size_t b = 0; b + 1 < start_.size(); ++b) {
    const std::size_t m = start_[b + 1] - start_[b];
    double* a = matrix_.data() + offset_[b];
    int* pivot = pivot_.data() + start_[b];
    for (std::size_t k = 0; k < m; ++k) {
      std::size_t p = k;
      for (std::size_t i = k + 1; i < m; ++i)
        if (std::abs(a[i * m + k]) > std::abs(a[p * m + k])) p = i;
      pivot[k] = static_cast<int>(p);
      if (!(a[p * m + k] != 0) || !std::isfinite(a[p * m + k])) return false;
      if (p != k)
        for (std::size_t j = 0; j < m; ++j) std::swap(a[k * m + j], a[p * m + j]);
      const double inverse = 1 / a[k * m + k];
      for (std::size_t i = k + 1; i < m; ++i) {
        const double l = a[i * m + k] *= inverse;
        if (l != 0)
          for (std::size_t j = k + 1; j < m; ++j) a[i * m + j] -= l * a[k * m + j];
      }
    }
    // U's diagonal as its reciprocal: a solve then multiplies (a division's throughput, 4-5
    // cycles each, 5 per 5x5 block, bounded the solve more than its 25 multiply-adds).
    for (std::size_t k = 0; k < m; ++k) a[k * m + k] = 1 / a[k * m + k];
    // The row swaps as one gather: after them, row i holds the one that began at order[i].
    std::uint8_t* order = order_.data() + start_[b];
    for (std::size_t i = 0; i < m; ++i) order[i] = static_cast<std::uint8_t>(i);
    for (std::size_t k = 0; k < m; ++k) std::swap(order[k], order[pivot[k]]);
  }
  return true;
}

namespace {

// One block's solve, m = M known at compile time for the common sizes so that the loops
// unroll, the block's unknowns stay in registers, and the out-of-order core overlaps
// consecutive blocks (a 5x5 solve is a chain of dependent multiply-adds and divisions; its
// latency, not its 25 operations, was the cost). The same operations in the same order
// for any m: the same bits.
template <std::size_t M>
void solve_block(const double* a, const std::uint8_t* order, double* y) {
  double v[M];
  // The rows as factor() swapped them (whole rows, multipliers included), then L (unit
  // diagonal) and U.
#pragma GCC unroll 16
  for (std::size_t k = 0; k < M; ++k) v[k] = y[order[k]];
#pragma GCC unroll 16
  for (std::size_t k = 0; k < M; ++k)
#pragma GCC unroll 16
    for (std::size_t i = k + 1; i < M; ++i) v[i] -= a[i * M + k] * v[k];
#pragma GCC unroll 16
  for (std::size_t r = 1; r <= M; ++r) {
    const std::size_t k = M - r;
    double sum = v[k];
#pragma GCC unroll 16
    for (std::size_t j = k + 1; j < M; ++j) sum -= a[k * M + j] * v[j];
    v[k] = sum * a[k * M + k];
  }
#pragma GCC unroll 16
  for (std::size_t k = 0; k < M; ++k) y[k] = v[k];
}

// Any other size.
void solve_any(const double* a, const std::uint8_t* order, double* y, std::size_t m) {
  double v[DenseBlocks::largest];
  for (std::size_t k = 0; k < m; ++k) v[k] = y[order[k]];
  for (std::size_t k = 0; k < m; ++k)
    for (std::size_t i = k + 1; i < m; ++i) v[i] -= a[i * m + k] * v[k];
  for (std::size_t k = m; k-- > 0;) {
    double sum = v[k];
    for (std::size_t j = k + 1; j < m; ++j) sum -= a[k * m + j] * v[j];
    v[k] = sum * a[k * m + k];
  }
  for (std::size_t k = 0; k < m; ++k) y[k] = v[k];
}

void solve_block(const double* a, const std::uint8_t* order, double* y, std::size_t m) {
  switch (m) {
    case 1: y[0] *= a[0]; break;
    case 2: solve_block<2>(a, order, y); break;
    case 3: solve_block<3>(a, order, y); break;
    case 4: solve_block<4>(a, order, y); break;
    case 5: solve_block<5>(a, order, y); break;
    case 6: solve_block<6>(a, order, y); break;
    default: solve_any(a, order, y, m);
  }
}

}  // namespace

std::size_t DenseBlocks::inverse_column(std::size_t j, std::span<double> out) const {
  const std::size_t b = block_.at(j), m = start_[b + 1] - start_[b];
  std::fill(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(m), 0.0);
  out[j - start_[b]] = 1;
  solve_block(matrix_.data() + offset_[b], order_.data() + start_[b], out.data(), m);
  return start_[b];
}

void DenseBlocks::solve(std::span<double> x) const {
  for (std::size_t b = 0; b + 1 < start_.size(); ++b) {
    const std::size_t m = start_[b + 1] - start_[b];
    const double* a = matrix_.data() + offset_[b];
    const std::uint8_t* order = order_.data() + start_[b];
    solve_block(a, order, x.data() + start_[b], m);
  }
}

}  // namespace ns
