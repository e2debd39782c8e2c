#pragma once
// The assembled system: the CSC pattern of G and C (one pattern for both, fixed once),
// and evaluation of every device into f, u, G and C.
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "circuit/circuit.hpp"

namespace ns {

class Workers;  // workers.hpp

struct Assembly {
  std::vector<double> f, u;  // by unknown
  std::vector<double> G, C;  // CSC values
  std::vector<double> noise;  // by unknown (row): the devices' rounding-error bounds (Load::noise)
  // By unknown (row): each row's charge q(x), the linear devices' included. Left empty (the
  // default), it is not formed: only rows that integrate their charge need it (charge_rows.hpp).
  std::vector<double> q;
  // System::stamp_linear's stamp whose linear G (C, with the constant sources' u and zero
  // noise) these hold
  // outside the positions (rows) the other devices load; 0: none. System::evaluate then
  // rewrites only those.
  std::uint64_t linear_G = 0, linear_C = 0;
};

// The rounding noise of each unknown: 2 |J^-1 r|, r the rows' rounding-error bounds
// (Assembly::noise), J the Jacobian whose factors `solve` applies (it replaces b by J^-1 b);
// twice the bound, as two evaluations at the same point may differ by that much. `floor`
// is left empty when no row has noise (then there is nothing to solve).
void noise_floor(const std::vector<double>& rows, std::vector<double>& floor,
                 const std::function<void(std::vector<double>&)>& solve);
// An update of `step` in an unknown whose noise floor is `floor`: the part of it beyond the
// noise (an update within the noise is no update).
inline double beyond_noise(double step, const std::vector<double>& floor, std::size_t i) {
  return floor.empty() ? std::abs(step) : std::max(0.0, std::abs(step) - floor[i]);
}

class System {
public:
  explicit System(const Circuit& circuit);

  const Circuit& circuit() const { return circuit_; }
  std::size_t size() const { return circuit_.size(); }
  std::size_t nonzeros() const { return row_.size(); }
  const std::vector<std::int64_t>& column_starts() const { return column_start_; }
  const std::vector<std::int64_t>& rows() const { return row_; }
  int diagonal(Unknown u) const { return diagonal_[static_cast<std::size_t>(u)]; }
  // The pattern by rows: row i's positions in G and C values, and their columns, in
  // column order.
  std::span<const std::int64_t> row_positions(std::size_t i) const {
    return {row_entry_.data() + row_start_[i], row_entry_.data() + row_start_[i + 1]};
  }
  std::span<const std::int64_t> row_columns(std::size_t i) const {
    return {row_column_.data() + row_start_[i], row_column_.data() + row_start_[i + 1]};
  }

  Assembly make_assembly() const;
  // Threads for evaluate(): unknowns in chunks (chunk[u], 0 .. chunks - 1), and the
  // devices whose rows (Circuit::rows_of) lie in one chunk loaded chunk by chunk, on
  // `workers`' threads, the others after them in one thread. Each row then sums its
  // devices in an order fixed by the chunks alone: the same to the bit with any number of
  // threads. An empty `chunk`: every device in circuit order, in the calling thread
  // without workers; with them, in slices on their threads, their adds recorded and
  // made after in circuit order (recorded()): a serial evaluation's sums, to the bit.
  void use_threads(std::span<const int> chunk, std::shared_ptr<Workers> workers);
  // For a transient: stamp the linear devices (Device::linear, and the constant sources'
  // u: Device::constant_source) once, and from then on let
  // evaluate() in Mode::Tran start from their constant G and C and form their f = G x
  // itself, row by row, instead of loading each of them at every residual. false: load
  // them as any device again (their values may change between transients).
  void stamp_linear(bool on);
  // use_threads()' workers (null before, or after an empty chunk list with none).
  const std::shared_ptr<Workers>& workers() const { return workers_; }
  // Zero `out`, then add every device's contributions at `eval`. False when an entry
  // of f, u, G or C is not finite (then non_finite_source() says who and where).
  // jacobian = false: a residual-only evaluation; G is neither zeroed nor stamped and
  // nothing is scanned (true is returned): the caller checks the residual it forms.
  bool evaluate(const Eval& eval, Assembly& out, bool jacobian = true) const;
  // What an evaluation that will read only some rows needs (part()).
  struct Part;
  // The devices that load any of `rows`, and the positions and rows they reset, for
  // evaluate(eval, out, jacobian, part): that evaluation's f, u, C and G are those of a
  // whole one, to the bit, in `rows` (and in no other row). An output row's algebraic
  // check reads a few rows (consistent_output.hpp): on a neuron network, the rows of the
  // node between each inductor and its resistor, which no non-linear device loads, so the
  // check there loads no device at all instead of all of them.
  Part part(std::span<const std::size_t> rows) const;
  // Falls back to a whole evaluation outside a stamped transient, with charges wanted
  // (Assembly::q), or with a part made before the stamp or the threads' plan changed.
  bool evaluate(const Eval& eval, Assembly& out, bool jacobian, const Part& part) const;
  // For an `eval` at which evaluate() gave a non-finite entry: "device 'n1' (nbox)
  // produced nan in f at @n1[t] at t = ... s; there v(a) = ..., ...". Costs a few
  // evaluations; meant for the failure path only.
  std::string non_finite_source(const Eval& eval) const;
  // out = C * v (values on the pattern), row by row, each row's terms summed in column
  // order from 0: as a column-by-column product sums them, to the bit; rows in ranges on
  // the workers when there are some.
  void multiply(const std::vector<double>& values, std::span<const double> v,
                std::span<double> out) const;
  // The transient's residual out = C x' + f - u of an evaluation `a`, row by row as
  // multiply() sums C x'. When `a` came from the stamped linear devices (stamp_linear),
  // C's product runs over the positions where C can be non-zero only (those of the
  // linear C that are not zero and those the other devices load): a third of the pattern
  // on a neuron network. Returns the first row whose residual is not finite, or -1.
  long residual(const Assembly& a, std::span<const double> xp, std::span<double> out) const;
  // f(C value, column) for row i's entries of `a` where C can be non-zero (residual()'s:
  // with the stamp, those of its compact pattern; without, the whole row), in column order.
  template <class F>
  void each_charge(const Assembly& a, std::size_t i, F&& f) const {
    if (stamp_ && a.linear_C == stamp_)
      for (auto k = c_row_start_[i]; k < c_row_start_[i + 1]; ++k)
        f(a.C[c_entry_[static_cast<std::size_t>(k)]], static_cast<std::size_t>(c_column_[static_cast<std::size_t>(k)]));
    else
      for (auto k = row_start_[i]; k < row_start_[i + 1]; ++k)
        f(a.C[static_cast<std::size_t>(row_entry_[k])], static_cast<std::size_t>(row_column_[k]));
  }
  // Unknown u's tolerance at a value of size `size`: reltol * size (or * its fixed
  // magnitude, an angle's) + vntol, abstol or its own absolute tolerance.
  // Inline: asked for every unknown at every Newton iteration.
  double tolerance(std::size_t u, double size) const {
    return reltol_ * (magnitude_[u] > 0 ? magnitude_[u] : size) + absolute_[u];
  }
  // A readable name for an unknown: "v(a)", "i(v1)", "@n1[t]".
  std::string unknown_name(Unknown u) const;
  // An Entry's position in the CSC values (.ac's Device::ac_admittance).
  std::size_t slot(Entry e) const { return static_cast<std::size_t>(slot_[static_cast<std::size_t>(e)]); }

private:
  const Circuit& circuit_;
  std::vector<std::int64_t> column_start_, row_;
  std::vector<int> slot_;      // Entry -> CSC position
  std::vector<int> diagonal_;  // unknown -> CSC position of (u, u)
  std::vector<std::int64_t> row_start_, row_entry_, row_column_;  // the pattern by rows (CSR): positions, columns
  std::vector<double> absolute_, magnitude_;  // by unknown: tolerance()'s, from the tables
  double reltol_ = 0;
  // The devices in groups, each group's loads on one thread (use_threads' chunks; without
  // them one group of every device in circuit order), and `shared_`, those whose rows
  // span chunks, loaded after in one thread. Each group also holds, with stamped linear
  // devices, what its thread resets before its loads: the positions of G and C that the
  // non-linear devices load and whose row is in the chunk (set to the linear values),
  // and those devices' rows (u and noise zeroed). plan() makes them.
  struct Group {
    std::vector<std::size_t> devices;  // every device: an evaluation without the stamp
    // The non-linear ones: with it. Each one's object, and whether it loads its charges
    // (not when they are stamped): read in order, without a look-up in the circuit's list.
    struct Loaded {
      const Device* device;
      bool charges;
    };
    std::vector<Loaded> loaded;
    std::vector<std::uint32_t> reset_G, reset_C, rows;  // reset_C: not the constant charges' (stamped)
  };
  void plan();
  std::uint64_t plans_ = 0;  // plan()s made: a Part holds the one it was made under
  // evaluate()'s start with the stamp: the linear u, G and C copied into `out` once.
  void start_from_stamp(Assembly& out, bool jacobian) const;
  // f = G x of the stamped linear devices in row i.
  double linear_f(const Eval& eval, std::size_t i) const {
    double sum = 0.0;
    for (auto k = linear_row_start_[i]; k < linear_row_start_[i + 1]; ++k)
      sum += linear_value_[static_cast<std::size_t>(k)] * eval.x[linear_column_[static_cast<std::size_t>(k)]];
    return sum;
  }
  // Threads without chunks (use_threads with an empty list and workers): every device's
  // load is recorded on a tape of its slice, on the threads, and the tapes are replayed in
  // device order in the calling thread (Load::record_to): the sums are a serial
  // evaluation's, to the bit, while the devices' own work (a BSIM4 transistor's few
  // microseconds) runs on every thread.
  bool recorded() const { return workers_ && chunk_.empty(); }
  // range(from, to, load) over [0, count) in slices on the workers, recorded, then replayed.
  template <class Loader, class Range>
  void load_recorded(std::size_t count, const Loader& loader, const Range& range) const;
  mutable std::vector<std::vector<Load::Add>> tapes_;  // by slice; kept to keep their memory
  std::vector<int> chunk_;  // use_threads(); empty: one group
  std::vector<Group> groups_;
  Group shared_;
  // stamp_linear(): which devices are in (1, the constant sources too; 2: only their constant charges, which
  // linear_C_ then holds too), their G and C (CSC values), and G's non-zero
  // entries by row (CSR: row starts, columns, values) for f = G x; the stamp's number
  // (Assembly::linear_G); C's possible non-zeros by row (starts, positions, columns).
  std::vector<char> linear_;
  std::vector<double> linear_G_, linear_C_;
  std::vector<double> linear_u_;  // by unknown: the constant sources' u (Device::constant_source)
  std::vector<std::int64_t> linear_row_start_;
  std::vector<std::uint32_t> linear_column_;
  std::vector<double> linear_value_;
  std::uint64_t stamp_ = 0;
  std::vector<std::int64_t> c_row_start_;
  std::vector<std::uint32_t> c_entry_, c_column_;
  std::shared_ptr<Workers> workers_;

public:
  struct Part {
    std::uint64_t stamp = 0, plan = 0;  // System::stamp_ and plans_ when made
    // The devices in the order a whole evaluation loads them (groups, then the shared ones);
    // rows: every row they load and the rows asked for, with f, u and noise formed there.
    Group group;
  };
};

}  // namespace ns
