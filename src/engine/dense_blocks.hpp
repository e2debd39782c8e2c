#pragma once
// LU factors of many small dense blocks (the block solver's preconditioner when its
// blocks are a few unknowns each, as the five of an NbOx neuron): each block's matrix in
// one contiguous row-major array, partial pivoting. KLU on such a block-diagonal matrix
// pays per block for its general sparse bookkeeping (26 % of a 10,000-neuron run went
// into its solves); a 5x5 solve here is 25 multiply-adds from a cache line or two.
#include <cstdint>
#include <span>
#include <vector>

namespace ns {

class DenseBlocks {
public:
  // Blocks of the given sizes, in order: block b holds the unknowns (rows and columns)
  // start(b) .. start(b) + sizes[b] - 1 of the whole.
  explicit DenseBlocks(std::span<const int> sizes);

  std::size_t size() const { return start_.back(); }
  // Where entry (row, column) of the whole lives in values(); both in one block.
  std::size_t slot(std::size_t row, std::size_t column) const;
  // The matrix to factor: zero it, write the entries at their slots, then factor().
  std::vector<double>& values() { return matrix_; }
  // In place; false when a block is singular (an exactly zero pivot).
  bool factor();
  // x = A^-1 x, x indexed like the whole.
  void solve(std::span<double> x) const;
  // Column j of A^-1, which is zero outside j's block: its rows in that block into
  // out[0 .. m), m the block's size; returns the block's first row.
  std::size_t inverse_column(std::size_t j, std::span<double> out) const;
  // The size of j's block.
  std::size_t block_size(std::size_t j) const { return start_[block_[j] + 1] - start_[block_[j]]; }

  static constexpr int largest = 16;  // blocks above this size: KLU pays

private:
  std::vector<std::size_t> start_;   // first unknown of each block, and the total at the end
  std::vector<std::size_t> offset_;  // first value of each block in matrix_
  std::vector<std::size_t> block_;   // block of each unknown
  std::vector<double> matrix_;
  std::vector<int> pivot_;           // by unknown: the row (within its block) swapped in at that step
  // By unknown: the row (within its block) it holds after the swaps. A byte (blocks have at
  // most `largest` rows): each solve reads it, and as ints it was the largest array after
  // the blocks' values (its loads were the solve's main stall at 10,000 neurons).
  std::vector<std::uint8_t> order_;
};

}  // namespace ns
