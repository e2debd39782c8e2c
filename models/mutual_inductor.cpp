// K: mutual inductance between two inductors, M = k sqrt(|L1 L2|). Each inductor's row is
// v(a) - v(b) - d/dt(L i) = 0 (models/inductor.cpp); the coupling adds -d/dt(M i_other) to
// both, with the dot on each inductor's first node, as SPICE writes it. Several K cards
// may couple several inductors; check_mutual_inductances warns when the inductance matrix
// they make is not positive semidefinite.
#include <cmath>

#include <fmt/format.h>

#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct CouplingParams {
  double k;
};

constexpr Param<CouplingParams> coupling_params[] = {
    // |k| > 1 as ngspice takes it: Circuit warns that the inductance matrix is not passive
    {"k", &CouplingParams::k, 0, -inf, inf, "", "coupling coefficient", Scope::Instance, true},
};

class MutualInductor final : public Device {
public:
  explicit MutualInductor(const DeviceInput& in)
      : Device(in.element.name, in.element.where),
        k_(resolve<CouplingParams>(coupling_params, in).k), coupled_(in.element.coupled) {}

  void setup(Setup& s) override {
    const auto [i1, l1] = s.inductor_of(coupled_[0].first, coupled_[0].second);
    const auto [i2, l2] = s.inductor_of(coupled_[1].first, coupled_[1].second);
    if (i1 == i2)
      throw InputError(coupled_[1].second, fmt::format("'{}' couples '{}' with itself", name(),
                                                       coupled_[0].first));
    i1_ = i1;
    i2_ = i2;
    m_ = k_ * std::sqrt(std::abs(l1 * l2));  // a negative L too, as ngspice 39 (measured: .ac, L2 < 0)
    s.couple(coupled_[0].first, coupled_[1].first, m_, where());
    grid_.declare(s, {i1_, i2_});
  }

  void topology(Topology&) const override {}

  void load(const Eval& e, Load& l) const override {
    l.q(i1_, -m_ * e.v(i2_));
    l.q(i2_, -m_ * e.v(i1_));
    grid_.add(l, 0, 1, -m_, true);
    grid_.add(l, 1, 0, -m_, true);
  }

  double quantity(std::size_t, const Eval&) const override { return m_; }

private:
  double k_, m_ = 0;
  std::vector<std::pair<std::string, Location>> coupled_;
  Unknown i1_ = ground, i2_ = ground;
  EntryGrid<2> grid_;
};

}  // namespace

const bool registered = register_model<MutualInductor>(
    {.type = "k",
     .summary = "mutual inductance between two inductors: M = k sqrt(|L1 L2|)",
     .positional = {"k"},
     .probes = {{"m", "H", "mutual inductance"}},
     .example = "K1 L1 L2 0.5\nL1 a b 1u\nL2 c d 4u\n"},
    coupling_params);

}  // namespace ns
