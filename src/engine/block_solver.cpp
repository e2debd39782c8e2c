#include "engine/block_solver.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>

#include <fmt/format.h>
#include <klu.h>
#include <nvector/nvector_serial.h>
#include <sunlinsol/sunlinsol_spgmr.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include "engine/vector.hpp"
#include "engine/workers.hpp"

namespace ns {

namespace {

// A coupling at most this fraction of the smaller of its two diagonals is cut: GMRES then
// gains about that factor per iteration.
constexpr double weak = 0.05;
// KLU's factors of the whole matrix must be this many times those of the blocks for the
// blocks to pay: a solve here is two block solves and a product, plus a block solve and a
// product per GMRES iteration (rare: 16 in 4269 solves on 300 neurons, whose whole
// matrix fills to 2.7 times the blocks, where the blocks took 0.74 s to KLU's 0.89 s).
constexpr double pays = 2;
constexpr int krylov = 20, restarts = 2;  // GMRES: basis size, restarts before giving up

// KLU's estimate of the nonzeros of L + U for a pattern (its AMD ordering, as we factor).
double fill(std::int64_t n, std::vector<std::int64_t>& starts, std::vector<std::int64_t>& rows) {
  klu_l_common common;
  klu_l_defaults(&common);
  klu_l_symbolic* symbolic = klu_l_analyze(n, starts.data(), rows.data(), &common);
  if (!symbolic) return INFINITY;
  const double nz = symbolic->lnz + symbolic->unz;
  klu_l_free_symbolic(&symbolic, &common);
  return nz;
}

// The kept entries' pattern: column starts, rows, and each one's position in the full one.
void kept_pattern(const System& system, const std::vector<char>& kept, std::vector<std::int64_t>& starts,
                  std::vector<std::int64_t>& rows, std::vector<std::int64_t>* position = nullptr) {
  const auto& all_starts = system.column_starts();
  const auto& all_rows = system.rows();
  starts.assign(1, 0);
  rows.clear();
  for (std::size_t j = 0; j < system.size(); ++j) {
    for (auto k = all_starts[j]; k < all_starts[j + 1]; ++k)
      if (kept[static_cast<std::size_t>(k)]) {
        rows.push_back(all_rows[k]);
        if (position) position->push_back(k);
      }
    starts.push_back(static_cast<std::int64_t>(rows.size()));
  }
}

}  // namespace

std::shared_ptr<const WeakCoupling> find_weak_coupling(const System& system, std::span<const double> x0,
                                                       double max_step) {
  const Options& o = system.circuit().options();
  // method=trap runs its own Newton on KLU (trapezoidal.cpp).
  if (o.linsolve == "klu" || o.method == "trap" || !(max_step > 0) || system.size() < 2) return nullptr;
  const std::size_t n = system.size();
  Assembly at = system.make_assembly(), moved = system.make_assembly();
  if (!system.evaluate({x0, Mode::Tran, 0, o.gmin}, at)) return nullptr;
  // A second state, every unknown moved by 5-10 % of its size plus 0.05-0.1: entries a
  // nonlinear device makes change, those of linear elements do not. Only the latter may be
  // cut, whatever their value now: a cold NbOx device's coupling to its own temperature is
  // near zero at the start and large in a spike.
  std::vector<double> x1(x0.begin(), x0.end());
  std::minstd_rand random(1);
  std::uniform_real_distribution<double> r(0.05, 0.1);
  for (double& x : x1) x += r(random) * (std::abs(x) + 1);
  if (!system.evaluate({x1, Mode::Tran, 0, o.gmin}, moved)) return nullptr;

  const double c = 1 / max_step;  // IDA's cj = alpha/h is never below 1/max_step
  const auto& starts = system.column_starts();
  const auto& rows = system.rows();
  auto size = [&](std::size_t k) { return std::abs(at.G[k]) + c * std::abs(at.C[k]); };
  std::vector<double> diagonal(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const int d = system.diagonal(static_cast<Unknown>(i));
    if (d >= 0) {
      const auto k = static_cast<std::size_t>(d);
      diagonal[i] = std::min(size(k), std::abs(moved.G[k]) + c * std::abs(moved.C[k]));
    }
  }
  auto coupling = std::make_shared<WeakCoupling>();
  coupling->kept.assign(system.nonzeros(), 1);
  std::vector<std::size_t> group(n);  // union-find over the kept couplings
  std::iota(group.begin(), group.end(), 0);
  auto root = [&](std::size_t i) {
    while (group[i] != i) i = group[i] = group[group[i]];
    return i;
  };
  for (std::size_t j = 0; j < n; ++j)
    for (auto p = starts[j]; p < starts[j + 1]; ++p) {
      const auto k = static_cast<std::size_t>(p);
      const auto i = static_cast<std::size_t>(rows[p]);
      if (i == j) continue;
      const bool linear = at.G[k] == moved.G[k] && at.C[k] == moved.C[k];
      if (linear && size(k) <= weak * std::min(diagonal[i], diagonal[j])) {
        coupling->kept[k] = 0;
        ++coupling->cut;
      } else {
        group[root(i)] = root(j);
      }
    }
  // A weak entry inside a group (between unknowns that other, kept entries join anyway)
  // goes back into the LU: it adds no fill to a block, and cut it made the test's
  // right-hand side -(cut) x0 non-zero in most rows, not only in the few that join groups
  // (a neuron's node a of its five: solve_to_x's test by columns).
  for (std::size_t j = 0; j < n; ++j)
    for (auto p = starts[j]; p < starts[j + 1]; ++p)
      if (const auto k = static_cast<std::size_t>(p); !coupling->kept[k] && root(static_cast<std::size_t>(rows[p])) == root(j)) {
        coupling->kept[k] = 1;
        --coupling->cut;
      }
  std::vector<std::size_t> members(n, 0);
  for (std::size_t i = 0; i < n; ++i) ++members[root(i)];
  for (std::size_t count : members)
    if (count > 0) ++coupling->blocks, coupling->largest = std::max(coupling->largest, count);
  std::vector<int> chunk_of_group(n, -1);
  coupling->chunk.assign(n, 0);
  std::size_t filled = 0;
  int chunk = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t g = root(i);
    if (chunk_of_group[g] < 0) {
      if (filled >= WeakCoupling::chunk_size) ++chunk, filled = 0;
      chunk_of_group[g] = chunk;
      filled += members[g];
    }
    coupling->chunk[i] = chunk_of_group[g];
  }
  coupling->chunks = static_cast<std::size_t>(chunk) + 1;
  // Nothing cut: the groups are apart already, and KLU factors them apart (its BTF).
  if (coupling->blocks < 2 || coupling->cut == 0) return nullptr;

  std::vector<std::int64_t> all_starts = starts, all_rows = rows, kept_starts, kept_rows;
  kept_pattern(system, coupling->kept, kept_starts, kept_rows);
  const auto size_n = static_cast<std::int64_t>(n);
  coupling->fill_whole = fill(size_n, all_starts, all_rows);
  coupling->fill_blocks = fill(size_n, kept_starts, kept_rows);
  if (o.linsolve != "blocks" && coupling->fill_whole < pays * coupling->fill_blocks) return nullptr;
  return coupling;
}

// SUNDIALS' GMRES on our vectors, its products and preconditioner calling back here.
struct BlockSolver::Sundials {
  SUNContext context = nullptr;
  SUNLinearSolver gmres = nullptr;
  N_Vector x = nullptr, b = nullptr, weights = nullptr;
  N_Vector ida_weights = nullptr;  // IDA's error weights, when IDA drives (not owned)
  ~Sundials() {
    if (gmres) SUNLinSolFree(gmres);
    for (N_Vector v : {x, b, weights})
      if (v) N_VDestroy(v);
    if (context) SUNContext_Free(&context);
  }
};

namespace {

BlockSolver& of(void* data) { return *static_cast<BlockSolver*>(data); }

}  // namespace

// A chunk's unknowns renumbered block by block (blocks in the order of their first
// unknowns), `local` updated, and its dense blocks made.
void BlockSolver::order_by_block(Piece& piece, std::vector<std::int64_t>& local) const {
  const std::size_t m = piece.unknowns.size();
  std::vector<std::size_t> group(m);  // union-find over the kept entries, local numbering
  std::iota(group.begin(), group.end(), 0);
  auto root = [&](std::size_t i) {
    while (group[i] != i) i = group[i] = group[group[i]];
    return i;
  };
  const auto& starts = system_.column_starts();
  const auto& rows = system_.rows();
  for (std::size_t j = 0; j < m; ++j)
    for (auto k = starts[piece.unknowns[j]]; k < starts[piece.unknowns[j] + 1]; ++k)
      if (coupling_->kept[static_cast<std::size_t>(k)])
        group[root(static_cast<std::size_t>(local[static_cast<std::size_t>(rows[k])]))] = root(j);
  std::vector<std::vector<std::int64_t>> members(m);
  for (std::size_t j = 0; j < m; ++j) members[root(j)].push_back(piece.unknowns[j]);
  std::vector<int> sizes;
  piece.unknowns.clear();
  for (std::size_t j = 0; j < m; ++j) {  // groups in the order of their first unknowns
    auto& group_members = members[root(j)];
    if (group_members.empty()) continue;  // taken already
    sizes.push_back(static_cast<int>(group_members.size()));
    piece.unknowns.insert(piece.unknowns.end(), group_members.begin(), group_members.end());
    group_members.clear();
  }
  for (std::size_t j = 0; j < m; ++j) local[static_cast<std::size_t>(piece.unknowns[j])] = static_cast<std::int64_t>(j);
  piece.dense = std::make_unique<DenseBlocks>(sizes);
}

BlockSolver::BlockSolver(const System& system, std::shared_ptr<const WeakCoupling> coupling)
    : system_(system), coupling_(std::move(coupling)), s_(std::make_unique<Sundials>()) {
  const std::size_t size = system.size();
  const auto& chunk = coupling_->chunk;
  pieces_.resize(coupling_->chunks);
  std::vector<std::int64_t> local(size);
  for (std::size_t u = 0; u < size; ++u) {
    auto& unknowns = pieces_[static_cast<std::size_t>(chunk[u])].unknowns;
    local[u] = static_cast<std::int64_t>(unknowns.size());
    unknowns.push_back(static_cast<std::int64_t>(u));
  }
  const auto& all_starts = system.column_starts();
  const auto& all_rows = system.rows();
  const bool dense = coupling_->largest <= static_cast<std::size_t>(DenseBlocks::largest);
  for (Piece& piece : pieces_) {
    if (dense) order_by_block(piece, local);
    std::vector<std::int64_t> starts{0}, rows;
    for (const std::int64_t j : piece.unknowns) {
      for (auto k = all_starts[j]; k < all_starts[j + 1]; ++k)
        if (coupling_->kept[static_cast<std::size_t>(k)]) {
          // Kept entries join the unknowns of one group, so of one chunk.
          if (chunk[static_cast<std::size_t>(all_rows[k])] != chunk[static_cast<std::size_t>(j)])
            throw std::logic_error("block solver: a kept entry joins two chunks");
          rows.push_back(local[static_cast<std::size_t>(all_rows[k])]);
          piece.position.push_back(k);
          if (dense)
            piece.slot.push_back(piece.dense->slot(static_cast<std::size_t>(rows.back()),
                                                   static_cast<std::size_t>(local[static_cast<std::size_t>(j)])));
        }
      starts.push_back(static_cast<std::int64_t>(rows.size()));
    }
    if (!dense) piece.lu = std::make_unique<SparseLu>(starts, rows);
    piece.values.resize(piece.position.size());
    piece.x.resize(piece.unknowns.size());
  }
  values_.resize(system.nonzeros());
  if (system.nonzeros() > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("block solver: more than 2^32 matrix entries");
  cut_start_.assign(size + 1, 0);
  for (std::size_t j = 0; j < size; ++j)
    for (auto k = all_starts[j]; k < all_starts[j + 1]; ++k)
      if (!coupling_->kept[static_cast<std::size_t>(k)]) ++cut_start_[static_cast<std::size_t>(all_rows[k]) + 1];
  std::partial_sum(cut_start_.begin(), cut_start_.end(), cut_start_.begin());
  // The test by columns where they are fewer numbers than the blocks' LU (a neuron: 5
  // against 25), so cheaper to apply than a solve.
  for (Piece& piece : pieces_) {
    if (!piece.dense) continue;
    std::size_t lu = 0, columns = 0;
    for (std::size_t j = 0; j < piece.unknowns.size(); ++j) {
      const std::size_t m = piece.dense->block_size(j);
      lu += m;  // m per row: m * m per block
      const auto i = static_cast<std::size_t>(piece.unknowns[j]);
      if (cut_start_[i] == cut_start_[i + 1]) continue;
      piece.columns.push_back({static_cast<std::uint32_t>(j), 0, static_cast<std::uint32_t>(m), columns});
      columns += m;
    }
    if (2 * columns > lu) piece.columns.clear();
    else piece.inverse.resize(columns);
  }
  cut_column_.resize(static_cast<std::size_t>(cut_start_.back()));
  cut_position_.resize(cut_column_.size());
  cut_value_.resize(cut_column_.size());
  std::vector<std::int64_t> next(cut_start_.begin(), cut_start_.end() - 1);
  for (std::size_t j = 0; j < size; ++j)  // columns in order: each row's entries in column order
    for (auto k = all_starts[j]; k < all_starts[j + 1]; ++k)
      if (!coupling_->kept[static_cast<std::size_t>(k)]) {
        const auto at = static_cast<std::size_t>(next[static_cast<std::size_t>(all_rows[k])]++);
        cut_column_[at] = static_cast<std::uint32_t>(j);
        cut_position_[at] = static_cast<std::uint32_t>(k);
      }
  auto& s = *s_;
  const auto n = static_cast<sunindextype>(system.size());
  if (SUNContext_Create(nullptr, &s.context) < 0) throw std::runtime_error("SUNContext_Create failed");
  // Our vector operations (vector.hpp; GMRES's Krylov vectors are clones of x).
  s.x = new_vector(n, s.context);
  s.b = new_vector(n, s.context);
  s.weights = new_vector(n, s.context);
  s.gmres = SUNLinSol_SPGMR(s.x, SUN_PREC_LEFT, krylov, s.context);
  if (!s.gmres) throw std::runtime_error("SUNLinSol_SPGMR failed");
  SUNLinSol_SPGMRSetMaxRestarts(s.gmres, restarts);
  // A x: the matrix as given to factor().
  SUNLinSolSetATimes(s.gmres, this, [](void* data, N_Vector v, N_Vector z) {
    auto& self = of(data);
    const std::size_t size = self.system_.size();
    self.system_.multiply(self.values_, {N_VGetArrayPointer(v), size}, {N_VGetArrayPointer(z), size});
    return 0;
  });
  // M^-1 r: the blocks' LU.
  SUNLinSolSetPreconditioner(s.gmres, this, nullptr, [](void* data, N_Vector r, N_Vector z, realtype, int) {
    of(data).precondition(N_VGetArrayPointer(r), N_VGetArrayPointer(z));
    return 0;
  });
  if (SUNLinSolInitialize(s.gmres) != SUNLS_SUCCESS) throw std::runtime_error("SPGMR initialisation failed");
}

BlockSolver::~BlockSolver() = default;

// With one thread or one chunk, in the calling thread.
void BlockSolver::precondition(const double* in, double* out) {
  auto each = [&](std::size_t c) {
    Piece& p = pieces_[c];
    for (std::size_t j = 0; j < p.x.size(); ++j) p.x[j] = in[p.unknowns[j]];
    if (p.dense) p.dense->solve(p.x);
    else p.lu->solve(p.x);
    for (std::size_t j = 0; j < p.x.size(); ++j) out[p.unknowns[j]] = p.x[j];
  };
  if (system_.workers()) system_.workers()->run(pieces_.size(), each);
  else for (std::size_t c = 0; c < pieces_.size(); ++c) each(c);
}

bool BlockSolver::factor(std::span<const double> values) {
  std::copy(values.begin(), values.end(), values_.begin());
  for (std::size_t k = 0; k < cut_value_.size(); ++k) cut_value_[k] = values_[cut_position_[k]];
  std::vector<char> factored(pieces_.size(), 0);
  auto each = [&](std::size_t c) {
    Piece& p = pieces_[c];
    if (p.dense) {
      std::vector<double>& a = p.dense->values();
      std::fill(a.begin(), a.end(), 0.0);
      for (std::size_t k = 0; k < p.position.size(); ++k) a[p.slot[k]] = values_[static_cast<std::size_t>(p.position[k])];
      factored[c] = p.dense->factor();
      if (factored[c])
        for (auto& column : p.columns)
          column.first = static_cast<std::uint32_t>(p.dense->inverse_column(column.row, {p.inverse.data() + column.at, column.size}));
      return;
    }
    for (std::size_t k = 0; k < p.position.size(); ++k) p.values[k] = values_[static_cast<std::size_t>(p.position[k])];
    factored[c] = p.lu->factor(p.values);
  };
  if (system_.workers()) system_.workers()->run(pieces_.size(), each);
  else for (std::size_t c = 0; c < pieces_.size(); ++c) each(c);
  return std::all_of(factored.begin(), factored.end(), [](char ok) { return ok != 0; });
}

bool BlockSolver::solve(std::span<double> b, std::span<const double> weights) {
  if (!solve_to_x(b, weights)) return false;
  const double* x = N_VGetArrayPointer(s_->x);
  std::copy(x, x + system_.size(), b.begin());
  return true;
}

bool BlockSolver::solve_to_x(std::span<const double> b, std::span<const double> weights) {
  auto& s = *s_;
  // Start from the blocks' own solution: when the cut couplings do not matter at this
  // accuracy, that is the answer after no GMRES iteration.
  double* x0 = N_VGetArrayPointer(s.x);
  precondition(b.data(), x0);
  // GMRES's own first test, without its product with the whole matrix: x0 leaves the
  // residual b - A x0 = -(the cut couplings) x0, the blocks' part being b to rounding;
  // x0 is the answer when that residual, through the blocks' LU and weighted, has an L2
  // norm within `accuracy` (as GMRES would take it after no iteration). Chunk by chunk on
  // the workers, in one pass: a chunk's rows of the residual (each row's terms subtracted
  // in column order), its blocks' solve, its sum of squares; the chunks' sums added in
  // chunk order, so the same to the bit with any number of threads.
  auto cut_residual = [&](std::size_t i) {
    double sum = 0.0;
    for (auto k = cut_start_[i]; k < cut_start_[i + 1]; ++k)
      sum -= cut_value_[static_cast<std::size_t>(k)] * x0[cut_column_[static_cast<std::size_t>(k)]];
    return sum;
  };
  auto each = [&](std::size_t c) {
    Piece& p = pieces_[c];
    if (!p.columns.empty()) {
      std::fill(p.x.begin(), p.x.end(), 0.0);
      for (const auto& column : p.columns) {
        const double r = cut_residual(static_cast<std::size_t>(p.unknowns[column.row]));
        const double* inverse = p.inverse.data() + column.at;
        double* x = p.x.data() + column.first;
        for (std::uint32_t k = 0; k < column.size; ++k) x[k] += r * inverse[k];
      }
    } else {
      for (std::size_t j = 0; j < p.x.size(); ++j) p.x[j] = cut_residual(static_cast<std::size_t>(p.unknowns[j]));
      if (p.dense) p.dense->solve(p.x);
      else p.lu->solve(p.x);
    }
    double squares = 0.0;
    for (std::size_t j = 0; j < p.x.size(); ++j) {
      const double w = weights[static_cast<std::size_t>(p.unknowns[j])] * p.x[j];
      squares += w * w;
    }
    p.squares = squares;
  };
  if (system_.workers()) system_.workers()->run(pieces_.size(), each);
  else for (std::size_t c = 0; c < pieces_.size(); ++c) each(c);
  double sum = 0;
  for (const Piece& p : pieces_) sum += p.squares;
  ++solves_;
  if (std::sqrt(sum) <= accuracy) {
    last_ = 0;
    return true;
  }
  std::copy(b.begin(), b.end(), N_VGetArrayPointer(s.b));
  std::copy(weights.begin(), weights.end(), N_VGetArrayPointer(s.weights));
  SUNLinSolSetScalingVectors(s.gmres, s.weights, s.weights);
  SUNLinSolSetZeroGuess(s.gmres, SUNFALSE);
  const int flag = SUNLinSolSolve(s.gmres, nullptr, s.x, s.b, accuracy);
  last_ = SUNLinSolNumIters(s.gmres);
  iterations_ += last_;
  return flag == SUNLS_SUCCESS;
}

SUNLinearSolver BlockSolver::sundials(SUNContext context) {
  SUNLinearSolver ls = SUNLinSolNewEmpty(context);
  if (!ls) throw std::runtime_error("SUNLinSolNewEmpty failed");
  ls->content = this;
  // Matrix-iterative: IDA fills the matrix (our Jacobian) and asks for setup with it,
  // gives its error weights, and counts our iterations.
  ls->ops->gettype = [](SUNLinearSolver) { return SUNLINEARSOLVER_MATRIX_ITERATIVE; };
  ls->ops->getid = [](SUNLinearSolver) { return SUNLINEARSOLVER_CUSTOM; };
  ls->ops->initialize = [](SUNLinearSolver) { return static_cast<int>(SUNLS_SUCCESS); };
  ls->ops->setscalingvectors = [](SUNLinearSolver self, N_Vector s1, N_Vector) {
    of(self->content).s_->ida_weights = s1;
    return static_cast<int>(SUNLS_SUCCESS);
  };
  ls->ops->setup = [](SUNLinearSolver self, SUNMatrix a) {
    auto& me = of(self->content);
    return me.factor({SUNSparseMatrix_Data(a), me.values_.size()}) ? static_cast<int>(SUNLS_SUCCESS)
                                                                    : static_cast<int>(SUNLS_LUFACT_FAIL);
  };
  // IDA's tolerance (a weighted RMS of 0.05 of its Newton test's) is replaced by ours.
  // The answer stays in GMRES's x, which IDA takes (resid) when there was no iteration;
  // after iterations IDA takes its own x.
  ls->ops->solve = [](SUNLinearSolver self, SUNMatrix, N_Vector x, N_Vector b, realtype) {
    auto& me = of(self->content);
    const std::size_t n = me.system_.size();
    std::span<const double> weights{N_VGetArrayPointer(me.s_->ida_weights), n};
    if (!me.solve_to_x({N_VGetArrayPointer(b), n}, weights)) return static_cast<int>(SUNLS_CONV_FAIL);
    if (me.last_ > 0) std::copy_n(N_VGetArrayPointer(me.s_->x), n, N_VGetArrayPointer(x));
    return static_cast<int>(SUNLS_SUCCESS);
  };
  ls->ops->numiters = [](SUNLinearSolver self) { return of(self->content).last_; };
  // IDA takes this as the answer after no iteration: ours is in GMRES's x then.
  ls->ops->resid = [](SUNLinearSolver self) { return of(self->content).s_->x; };
  ls->ops->free = [](SUNLinearSolver self) {
    self->content = nullptr;
    SUNLinSolFreeEmpty(self);
    return 0;
  };
  return ls;
}

std::string BlockSolver::statistics() const {
  const unsigned threads = system_.workers() ? system_.workers()->threads() : 1;
  return fmt::format("GMRES with block-LU preconditioner ({} {} blocks of at most {} unknowns in {} chunks on {} "
                     "thread{}, {} weak couplings cut; KLU fill {:.3g} -> {:.3g}), {}",
                     coupling_->blocks, pieces_.front().dense ? "dense" : "sparse", coupling_->largest, coupling_->chunks, threads, threads == 1 ? "" : "s",
                     coupling_->cut, coupling_->fill_whole, coupling_->fill_blocks, iterations());
}

std::string BlockSolver::iterations() const {
  return fmt::format("{} linear iterations in {} solves", iterations_, solves_);
}

}  // namespace ns
