// P: ngspice's coupled multiconductor lossy line, card `P1 a1 .. am ra b1 .. bm rb pmod`
// with `.model pmod cpl r=... l=... g=... c=... length=`: m conductors over a reference,
// side 1's ends a1..am over ra, side 2's b1..bm over rb. r, l, g and c are the per-metre
// m x m matrices, each written as its upper triangle row by row (m(m+1)/2 numbers;
// netlist/cpl_card.cpp reads the lists); c and g in nodal (Maxwell) form, their
// off-diagonal terms negative.
//
// The line is the telegrapher's equations with matrices, -dV/dx = R I + L dI/dt,
// -dI/dx = G V + C dV/dt. It is split into its m modes (modal.hpp), each an uncoupled
// lossy line of one conductor computed as O and Y are (lossy_segments.hpp: exact delay and
// lossless limit, the loss lumped at K places, the exact line in .ac), whose ports are
// weighted sums of the conductors' voltages and whose currents go into the conductors
// with weights. That is exact in its coupling when the modal loss is diagonal; when it is
// not (the loss couples the modes: |Rm_kj| / sqrt(Rm_kk Rm_jj) above 1e-3, as on the
// corpus's 6-line IBM card), the line is instead a ladder of N pi sections that keeps
// every coupling of the four matrices (rlgc_ladder.hpp; N from the fastest conductor's
// delay), slower and dispersive at its fronts. sections= sets K or N.
#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>

#include <fmt/format.h>

#include "circuit/registry.hpp"
#include "lossy_segments.hpp"
#include "modal.hpp"
#include "rlgc_ladder.hpp"

namespace ns {
namespace {

struct CplParams {
  double length, sections;
};

using P = CplParams;
const Param<P> cpl_params[] = {
    {"length", &P::length, 0, above(0), inf, "m", "length", Scope::Model, true},
    {"sections", &P::sections, 0, 0, 1e5, "", "lumped sections (0: from the delay)", Scope::Both},
};

// The full symmetric matrix from the card's upper triangle.
std::vector<double> matrix(const DeviceInput& in, std::string_view name, std::size_t m, bool required) {
  std::vector<double> full(m * m, 0.0);
  const Model::Array* a = nullptr;
  for (const Model::Array& x : in.model->arrays)
    if (x.name == name) a = &x;
  if (!a) {
    if (required)
      throw InputError(in.model->where, fmt::format("'{}': a cpl line needs its {} matrix ({}=, {} numbers: the upper "
                                                    "triangle of {} x {})",
                                                    in.element.name, name, name, m * (m + 1) / 2, m, m));
    return full;
  }
  if (a->values.size() != m * (m + 1) / 2)
    throw InputError(a->where, fmt::format("'{}': {}= has {} numbers; a line of {} conductors (its {} nodes) needs "
                                           "{}, the upper triangle of its {} x {} matrix",
                                           in.element.name, name, a->values.size(), m, in.element.nodes.size(),
                                           m * (m + 1) / 2, m, m));
  std::size_t k = 0;
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = i; j < m; ++j) full[i * m + j] = full[j * m + i] = a->values[k++].value;
  return full;
}

// The time a wave takes along the line in its fastest mode, bounded by the conductors'
// own delays: length sqrt(min over i of L_ii C_ii) (a lower bound on the fastest mode's
// delay is what the section count needs).
double fastest_delay(const RlgcLine& line, double length) {
  double least = inf;
  for (std::size_t i = 0; i < line.m; ++i)
    least = std::min(least, std::sqrt(line.l[i * line.m + i] * line.c[i * line.m + i]));
  return length * least;
}

class CplLine final : public Device {
public:
  explicit CplLine(const DeviceInput& in) : Device(in.element.name, in.element.where) {
    const std::size_t nodes = in.element.nodes.size();
    if (nodes < 4 || nodes % 2)
      throw InputError(in.element.where, fmt::format("'{}' has {} nodes; a cpl line needs 2 m + 2 (m conductors and "
                                                     "the reference on each side)",
                                                     name(), nodes));
    const P p = resolve<P>(cpl_params, in);
    m_ = nodes / 2 - 1;
    RlgcLine line{m_, matrix(in, "r", m_, false), matrix(in, "l", m_, true), matrix(in, "g", m_, false),
                  matrix(in, "c", m_, true)};
    for (std::size_t i = 0; i < m_; ++i)
      if (line.l[i * m_ + i] <= 0 || line.c[i * m_ + i] <= 0)
        throw InputError(in.model->where, fmt::format("'{}': conductor {} has l{}{} = {:g} and c{}{} = {:g}; both "
                                                      "must be positive",
                                                      name(), i + 1, i + 1, i + 1, line.l[i * m_ + i], i + 1, i + 1,
                                                      line.c[i * m_ + i]));
    const auto sections = static_cast<std::size_t>(p.sections);
    if (const auto modes = line_modes(m_, line.r, line.l, line.g, line.c); modes && modes->coupled_loss <= 1e-3) {
      modes_ = *modes;
      for (std::size_t k = 0; k < m_; ++k)
        segments_.emplace_back(name(), where(), LossyLine{modes->r[k], modes->l[k], modes->g[k], modes->c[k], p.length},
                               sections);
      return;
    }
    const std::size_t n = sections > 0 ? sections : lc_sections(fastest_delay(line, p.length), 4);
    ladder_.emplace(name(), std::move(line), std::vector<double>(n, p.length / static_cast<double>(n)));
  }

  void setup(Setup& s) override {
    std::vector<Unknown> a, b;
    for (std::size_t i = 0; i < m_; ++i) a.push_back(s.terminal(i)), b.push_back(s.terminal(m_ + 1 + i));
    const Unknown ra = s.terminal(m_), rb = s.terminal(2 * m_ + 1);
    if (ladder_) return ladder_->setup(s, a, ra, b, rb);
    // Mode k's port on a side: v = sum_j tv_inverse[k][j] (V_j - V_ref), and its current i
    // puts ti[j][k] i into conductor j, that side's reference taking the sum back (as on
    // the lossless T, each side's currents return by its own reference).
    auto port = [&](std::size_t k, const std::vector<Unknown>& nodes, Unknown ref) {
      LinePort p;
      double v_sum = 0, i_sum = 0;
      for (std::size_t j = 0; j < m_; ++j) {
        p.voltage.emplace_back(nodes[j], modes_.tv_inverse[k * m_ + j]);
        p.current.emplace_back(nodes[j], modes_.ti[j * m_ + k]);
        v_sum += modes_.tv_inverse[k * m_ + j];
        i_sum += modes_.ti[j * m_ + k];
      }
      p.voltage.emplace_back(ref, -v_sum);
      p.current.emplace_back(ref, -i_sum);
      return p;
    };
    for (std::size_t k = 0; k < m_; ++k)
      segments_[k].setup(s, port(k, a, ra), port(k, b, rb), ground, fmt::format("m{}", k + 1));
    for (std::size_t i = 0; i < m_; ++i) ends_.emplace_back(a[i], b[i]);
    references_ = {ra, rb};
    lossy_ = std::any_of(modes_.r.begin(), modes_.r.end(), [](double r) { return r > 0; });
  }

  void topology(Topology& t) const override {
    if (ladder_) return ladder_->topology(t);
    for (const LossySegments& mode : segments_) mode.topology(t);
    for (const auto& [a, b] : ends_) {
      if (lossy_) t.conducts(a, b);
      else t.voltage_defined(a, b);
    }
    t.conducts(references_.first, references_.second);
  }
  bool linear() const override { return ladder_.has_value(); }
  void load(const Eval& e, Load& l) const override {
    if (ladder_) return ladder_->load(e, l);
    for (const LossySegments& mode : segments_) mode.load(e, l);
  }
  bool frequency_dependent() const override { return !ladder_; }
  void ac_admittance(double omega, const std::function<void(Entry, std::complex<double>)>& stamp) const override {
    for (const LossySegments& mode : segments_) mode.ac_admittance(omega, stamp);
  }
  void start_transient(double, double) override {
    for (LossySegments& mode : segments_) mode.start_transient();
  }
  // The step bound is the shortest segment's delay; corners repeat at the fastest mode's.
  double delay() const override {
    double least = 0;
    for (const LossySegments& mode : segments_) least = least == 0 ? mode.delay() : std::min(least, mode.delay());
    return least;
  }
  double corner_delay() const override {
    double least = 0;
    for (const LossySegments& mode : segments_) least = least == 0 ? mode.line_delay() : std::min(least, mode.line_delay());
    return least;
  }
  void accept(const Eval& e) override {
    for (LossySegments& mode : segments_) mode.accept(e);
  }

private:
  std::size_t m_ = 0;
  Modes modes_;
  std::vector<LossySegments> segments_;  // one per mode
  std::optional<RlgcLadder> ladder_;     // when the loss couples the modes
  std::vector<std::pair<Unknown, Unknown>> ends_;
  std::pair<Unknown, Unknown> references_{ground, ground};  // ra, rb
  bool lossy_ = false;
};

}  // namespace

const bool registered = register_model<CplLine>(
    {.type = "cpl",
     .summary = "coupled lossy lines (ngspice's P): r, l, g, c matrices per metre (upper triangles), length",
     .terminals = {"a1", "ra", "b1", "rb"},
     .example = "P1 a1 a2 ra b1 b2 rb pmod\n"
                ".model pmod cpl r=0.2 0 0.2 l=9n 3n 9n g=0 0 0 c=0.4p -0.1p 0.4p length=0.1\n"
                "R1 a1 0 50\nR2 a2 0 50\nR3 ra 0 1\nR4 rb 0 1\n",
     .element = 'p'},
    cpl_params);

}  // namespace ns
