// T: the lossless transmission line, ngspice's card `T1 p1 n1 p2 n2 z0=50 td=1n` (or
// f= and nl=, td = nl / f, nl 0.25 by default), by the method of characteristics. Each
// port k (v_k = v(pk) - v(nk), i_k flowing into pk and out of nk) sees its own impedance
// z0 in series with the wave that left the other port td ago:
//
//     v1(t) - z0 i1(t) = v2(t - td) + z0 i2(t - td)
//     v2(t) - z0 i2(t) = v1(t - td) + z0 i1(t - td)
//
// i1 and i2 are unknowns of the line; the right-hand sides come from the line's own
// record of a_k = v_k + z0 i_k at the accepted points of the transient (circuit/history.hpp,
// filled through Device::accept; history.hpp says how it is read between points).
//
// At DC the line has no delay: a_2(t - td) is a_2 now, which makes v1 = v2 and i1 = -i2.
// The small-signal line (a phase exp(-j w td)) has no G + jwC form, so .ac, .noise and
// .pz refuse it.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "circuit/history.hpp"
#include "circuit/registry.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct LineParams {
  double z0, td, f, nl;
};

using P = LineParams;
const Param<P> line_params[] = {
    {"z0", &P::z0, 0, above(0), inf, "Ohm", "characteristic impedance", Scope::Instance, true},
    {"td", &P::td, std::nan(""), above(0), inf, "s", "delay (else nl / f)", Scope::Instance},
    {"f", &P::f, std::nan(""), above(0), inf, "Hz", "frequency at which the line is nl wavelengths long", Scope::Instance},
    {"nl", &P::nl, 0.25, above(0), inf, "", "length in wavelengths at f", Scope::Instance},
};

class TransmissionLine final : public Device {
public:
  explicit TransmissionLine(const DeviceInput& in) : Device(in.element.name, in.element.where) {
    p_ = resolve<P>(line_params, in);
    z0_ = p_.z0;
    if (!std::isnan(p_.td)) td_ = p_.td;
    else if (!std::isnan(p_.f)) td_ = p_.nl / p_.f;
    else throw InputError(in.element.where, fmt::format("transmission line '{}' needs its delay: td= or f= (with nl=)", name()));
    record_ = History(2, td_);
  }

  void setup(Setup& s) override {
    for (std::size_t k = 0; k < 4; ++k) n_[k] = s.terminal(k);
    i1_ = s.branch("i1");
    i2_ = s.branch("i2");
    grid_.declare(s, {n_[0], n_[1], n_[2], n_[3], i1_, i2_});
  }

  // At DC the line joins p1 to p2 and n1 to n2 (v1 = v2, i1 = -i2).
  void topology(Topology& t) const override {
    t.conducts(n_[0], n_[2]);
    t.conducts(n_[1], n_[3]);
  }

  void load(const Eval& e, Load& l) const override {
    if (e.mode == Mode::Ac)
      throw InputError(where(), fmt::format("transmission line '{}' has no small-signal model here "
                                            "(its delay is not a G + jwC stamp): .ac, .noise and .pz refuse it",
                                            name()));
    const double v1 = e.v(n_[0]) - e.v(n_[1]), v2 = e.v(n_[2]) - e.v(n_[3]);
    const double i1 = e.v(i1_), i2 = e.v(i2_);
    l.f(n_[0], i1);
    l.f(n_[1], -i1);
    l.f(n_[2], i2);
    l.f(n_[3], -i2);
    grid_.add(l, 0, 4, 1);
    grid_.add(l, 1, 4, -1);
    grid_.add(l, 2, 5, 1);
    grid_.add(l, 3, 5, -1);
    // Rows i1, i2: v_k - z0 i_k - (wave from the other end).
    for (std::size_t k = 0; k < 2; ++k) {
      const std::size_t row = 4 + k, p = 2 * k, n = p + 1;
      grid_.add(l, row, p, 1);
      grid_.add(l, row, n, -1);
      grid_.add(l, row, row, -z0_);
    }
    if (e.mode == Mode::Tran) {
      double a[2];
      record_.read(e.time - td_, a);
      const double a1 = a[0], a2 = a[1];
      l.f(i1_, v1 - z0_ * i1 - a2);
      l.f(i2_, v2 - z0_ * i2 - a1);
      return;
    }
    l.f(i1_, v1 - z0_ * i1 - (v2 + z0_ * i2));
    l.f(i2_, v2 - z0_ * i2 - (v1 + z0_ * i1));
    for (std::size_t k = 0; k < 2; ++k) {
      const std::size_t row = 4 + k, other = 2 - 2 * k;
      grid_.add(l, row, other, -1);
      grid_.add(l, row, other + 1, 1);
      grid_.add(l, row, 5 - k, -z0_);
    }
  }

  void start_transient(double, double) override { record_.clear(); }
  double delay() const override { return td_; }

  void accept(const Eval& e) override {
    const double a[2] = {e.v(n_[0]) - e.v(n_[1]) + z0_ * e.v(i1_), e.v(n_[2]) - e.v(n_[3]) + z0_ * e.v(i2_)};
    record_.record(e.time, a);
  }

  double quantity(std::size_t k, const Eval& e) const override { return e.v(k == 0 ? i1_ : i2_); }

private:
  P p_;
  double z0_ = 0, td_ = 0;
  std::array<Unknown, 4> n_{ground, ground, ground, ground};  // p1 n1 p2 n2
  Unknown i1_ = ground, i2_ = ground;
  EntryGrid<6> grid_;  // p1 n1 p2 n2 i1 i2
  History record_{2, 0};  // a1, a2
};

}  // namespace

const bool registered = register_model<TransmissionLine>(
    {.type = "t",
     .summary = "lossless transmission line (ngspice's T): z0 and td, or f and nl",
     .terminals = {"p1", "n1", "p2", "n2"},
     .probes = {{"i1", "A", "current into p1 (out of n1)"}, {"i2", "A", "current into p2 (out of n2)"}},
     .example = "T1 a b c d z0=50 td=1n\n"},
    line_params);

}  // namespace ns
