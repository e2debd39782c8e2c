#pragma once
// A linear solver for circuits made of groups that couple only weakly: NbOx neurons joined
// by synapse resistors of ~2e-5 S beside a capacitive diagonal of ~1e-2 S. KLU on such a
// matrix fills in along the random synapse graph (cost ~N^2.6 at 10,000 neurons); here
// the weak couplings are left out of an LU (one KLU on the block-diagonal rest, whose
// blocks it factors one by one, so no fill between them) and GMRES on the whole matrix,
// preconditioned by that LU, puts them back: O(N) per solve, a few iterations each.
//
// Which couplings are weak is read from the circuit, once per transient
// (find_weak_coupling): an off-diagonal entry made by linear elements only, at most
// `weak` times the smaller of its two diagonals at the longest step allowed. Its answers
// are KLU's to far below the tolerances (solve's test), so the choice changes cost only.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <sundials/sundials_linearsolver.h>

#include "engine/dense_blocks.hpp"
#include "engine/sparse_lu.hpp"
#include "engine/system.hpp"

namespace ns {

struct WeakCoupling {
  std::vector<char> kept;           // by position of the system's CSC pattern: in the LU
  std::size_t blocks = 0, largest = 0;  // connected groups of unknowns, and the largest's size
  std::size_t cut = 0;              // off-diagonal entries left out
  // Whole groups gathered into chunks of about chunk_size unknowns, in the order of their
  // first unknowns: chunk[u] for each unknown. The unit of work of threads (workers.hpp):
  // each chunk's devices (System::use_threads) and its part of the LU.
  std::vector<int> chunk;
  std::size_t chunks = 1;
  static constexpr std::size_t chunk_size = 1024;
  double fill_whole = 0, fill_blocks = 0;  // KLU's estimates of nonzeros in L + U
};

// The choice between KLU and this solver, in one place: null for KLU. With .options
// linsolve=auto (the default), this solver when the circuit falls into at least two
// groups and KLU's factors of the whole matrix would be `pays` times those of the blocks;
// linsolve=blocks takes it whenever there are two groups, linsolve=klu never. `x0` is the
// transient's start; `max_step` its longest step (the smallest C/h the diagonal sees).
std::shared_ptr<const WeakCoupling> find_weak_coupling(const System& system, std::span<const double> x0,
                                                       double max_step);

class BlockSolver {
public:
  BlockSolver(const System& system, std::shared_ptr<const WeakCoupling> coupling);
  ~BlockSolver();
  BlockSolver(const BlockSolver&) = delete;
  BlockSolver& operator=(const BlockSolver&) = delete;

  // The matrix (values on the system's pattern): keep it, factor its blocks. False when
  // a block is singular.
  bool factor(std::span<const double> values);
  // A x = b in place, by GMRES from the blocks' solution, until the preconditioned
  // residual weighted by `weights` (1 / each unknown's tolerance) has an L2 norm of at
  // most `accuracy`: every unknown within that fraction of its tolerance. False when
  // GMRES does not get there (b is then unchanged).
  bool solve(std::span<double> b, std::span<const double> weights);
  // The same with b left as it is and the answer in GMRES's x (Sundials::x).
  bool solve_to_x(std::span<const double> b, std::span<const double> weights);
  // The same as a SUNDIALS matrix-iterative solver for IDA (setup: factor, solve: solve
  // with IDA's error weights), pointing at this object; IDA's SUNLinSolFree frees it.
  SUNLinearSolver sundials(SUNContext context);
  // "GMRES with block-LU preconditioner (B blocks of at most M unknowns, ...), L linear
  // iterations in S solves"; iterations(): the last part alone.
  std::string statistics() const;
  std::string iterations() const;

  static constexpr double accuracy = 1e-3;

  struct Sundials;  // block_solver.cpp only

private:
  const System& system_;
  std::shared_ptr<const WeakCoupling> coupling_;
  // The LU of one chunk's blocks, on its own unknowns (local numbering): dense blocks when
  // every block is small, else one KLU over the chunk.
  struct Piece {
    std::vector<std::int64_t> unknowns;  // the global index of each local unknown (by block when dense)
    std::vector<std::int64_t> position;  // each kept entry's position in the system's values
    std::unique_ptr<SparseLu> lu;
    std::unique_ptr<DenseBlocks> dense;
    std::vector<std::size_t> slot;       // dense: each kept entry's place in its values
    std::vector<double> values, x;
    double squares = 0;  // solve_to_x's weighted sum of squares over the chunk
    // Dense blocks whose rows with cut entries are few (a neuron's one node of its five):
    // solve_to_x's test solves for a vector that is zero but in those rows, which is a
    // sum of those rows' columns of the blocks' inverse, kept from factor(). Each row's
    // local index, its block's first row and size, and where its column starts in
    // `inverse`. Empty: the test solves with the blocks' LU.
    struct Column {
      std::uint32_t row, first, size;
      std::size_t at;
    };
    std::vector<Column> columns;
    std::vector<double> inverse;
  };
  // out = the blocks' LU applied to in (may be the same), chunk by chunk on the system's
  // workers.
  void precondition(const double* in, double* out);
  void order_by_block(Piece& piece, std::vector<std::int64_t>& local) const;

  std::vector<Piece> pieces_;
  std::vector<double> values_;
  // The entries left out, by row (CSR: row starts, columns and positions in the values,
  // each row's in column order).
  std::vector<std::int64_t> cut_start_;
  std::vector<std::uint32_t> cut_column_, cut_position_;
  // The cut entries' values in that order, copied by factor(): solve_to_x's test reads
  // them at every solve, and reading them through cut_position_ from the whole matrix's
  // values (2 MB at 10,000 neurons) was a cache miss per entry (half of its time).
  std::vector<double> cut_value_;
  std::unique_ptr<Sundials> s_;
  long iterations_ = 0, solves_ = 0;
  int last_ = 0;
};

}  // namespace ns
