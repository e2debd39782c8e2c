#pragma once
// Jacobian entries of a device as a small dense block: rows x cols of declared entries.
// Every model keeps its entries here: a slot never declared is no_entry, so a load into it
// is dropped (an Entry defaulting to 0 would land in another device's slot).
#include <array>
#include <cstddef>
#include <initializer_list>
#include <utility>

#include "circuit/device.hpp"

namespace ns {

template <std::size_t Rows, std::size_t Cols = Rows>
class EntryGrid {
public:
  EntryGrid() {
    for (auto& row : e_) row.fill(no_entry);
  }
  void declare(Setup& s, const std::array<Unknown, Rows>& rows, const std::array<Unknown, Cols>& cols) {
    for (std::size_t i = 0; i < Rows; ++i)
      for (std::size_t j = 0; j < Cols; ++j) e_[i][j] = s.entry(rows[i], cols[j]);
  }
  void declare(Setup& s, const std::array<Unknown, Rows>& both) requires(Rows == Cols) {
    declare(s, both, both);
  }
  // Only the listed (row, column) pairs of `both`: a block with structural zeros. KLU's
  // block-triangular form is found from the pattern alone, so a declared entry that is
  // always zero (a voltage source's branch diagonal) can merge what would be separate blocks.
  void declare(Setup& s, const std::array<Unknown, Rows>& both,
               std::initializer_list<std::pair<std::size_t, std::size_t>> which) requires(Rows == Cols) {
    for (const auto& [i, j] : which) e_[i][j] = s.entry(both[i], both[j]);
  }
  Entry operator()(std::size_t i, std::size_t j) const { return e_[i][j]; }

  // A two-terminal element between local unknowns i and j (i == j's rows and columns):
  // +g on the diagonal, -g off it, into G (or C when `reactive`).
  void pair(Load& l, std::size_t i, std::size_t j, double g, bool reactive = false) const {
    add(l, i, i, g, reactive);
    add(l, i, j, -g, reactive);
    add(l, j, i, -g, reactive);
    add(l, j, j, g, reactive);
  }
  // A branch current (local unknown b) through a voltage-defined element from p to n:
  // it leaves p and enters n, and v(p) - v(n) stands in its own row (V, L, E, H).
  void branch(Load& l, std::size_t p, std::size_t n, std::size_t b) const {
    add(l, p, b, 1);
    add(l, n, b, -1);
    add(l, b, p, 1);
    add(l, b, n, -1);
  }
  // A branch current (or, when `reactive`, a charge) y from local unknown `from` to `to`,
  // times `sign` (-1 for a PNP or a p-channel device), where y.d[k] is its derivative by
  // the controlling voltage v(controls[k].first) - v(controls[k].second), itself taken
  // times `sign`, so the Jacobian needs no sign. `nodes` are the unknowns the grid was
  // declared on. The value goes into f (or q), the derivatives into G (or C).
  template <class Dual, class Pair, std::size_t N>
  void controlled(Load& l, const std::array<Unknown, Rows>& nodes, std::size_t from, std::size_t to,
                  double sign, const Dual& y, const std::array<Pair, N>& controls, bool reactive) const {
    if (reactive) {
      l.q(nodes[from], sign * y.v);
      l.q(nodes[to], -sign * y.v);
    } else {
      l.f(nodes[from], sign * y.v);
      l.f(nodes[to], -sign * y.v);
    }
    for (std::size_t k = 0; k < N; ++k) {
      if (y.d[k] == 0) continue;
      const auto [pos, neg] = controls[k];
      add(l, from, pos, y.d[k], reactive);
      add(l, from, neg, -y.d[k], reactive);
      add(l, to, pos, -y.d[k], reactive);
      add(l, to, neg, y.d[k], reactive);
    }
  }
  void add(Load& l, std::size_t i, std::size_t j, double v, bool reactive = false) const {
    if (reactive) l.C(e_[i][j], v);
    else l.G(e_[i][j], v);
  }

private:
  std::array<std::array<Entry, Cols>, Rows> e_;
};

}  // namespace ns
