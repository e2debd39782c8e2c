// XSPICE astate: out = the input as it was astate_no accepted transient steps ago
// (astate_no from 0, the input itself, to 3). Until that many steps have been accepted, and
// outside a transient, the output is the earliest value recorded (the operating point's) or,
// before any, the input. Its output depends on the simulator's own steps: it agrees with
// ngspice's only as far as the two choose alike steps.
#include <array>

#include <fmt/format.h>

#include "xspice.hpp"

namespace ns::xspice {
namespace {

using Dir = ConnectionSpec::Dir;

struct AstateP {
  double astate_no;
};
constexpr Param<AstateP> astate_params[] = {
    {"astate_no", &AstateP::astate_no, 1, 0, 3, "", "accepted steps the output lags the input by"},
};

class Astate final : public CodeModel {
public:
  explicit Astate(const DeviceInput& in)
      : CodeModel(in, {{"in", Dir::In, "v", false, "v vd i id vnam"}, {"out", Dir::Out, "v", false, "v vd i id"}}),
        p_(code_params(astate_params, in, {})),
        lag_(static_cast<std::size_t>(p_.astate_no)) {
    if (static_cast<double>(lag_) != p_.astate_no)
      throw InputError(in.model->where, fmt::format("'{}': astate_no must be a whole number 0 ... 3, not {:g}",
                                                    in.model->name, p_.astate_no));
  }

  void start_transient(double, double tstop) override {
    tstop_ = tstop;
    count_ = 0;
  }
  // Positive, so that the transient gives it its accepted points; no longer than the run,
  // so that it limits no step.
  double delay() const override { return lag_ > 0 ? (tstop_ > 0 ? tstop_ : 1.0) : 0.0; }
  void accept(const Eval& e) override {
    // The transient accepts its restart points twice: a second time is not a step.
    if (count_ > 0 && e.time <= last_t_) return;
    for (std::size_t k = past_.size() - 1; k > 0; --k) past_[k] = past_[k - 1];
    past_[0] = input(e, 0);
    last_t_ = e.time;
    ++count_;
  }

  void compute(const Eval& e, std::span<const double> in, std::span<const double>, Work& w) const override {
    if (lag_ == 0 || e.mode != Mode::Tran || count_ == 0) {
      w.y[0] = in[0];
      w.dy_din[0] = 1;
      return;
    }
    // past_[0] is the last accepted point: lag_ steps back from the one being solved.
    w.y[0] = past_[std::min(lag_, count_) - 1];
  }

private:
  AstateP p_;
  std::size_t lag_;
  double tstop_ = 0, last_t_ = 0;
  std::size_t count_ = 0;
  std::array<double, 3> past_{};
};

}  // namespace

const bool astate_registered = register_model<Astate>(
    {.type = "astate", .summary = "XSPICE astate: out = the input astate_no accepted time steps ago (0 ... 3)",
     .terminals = {"in", "out"},
     .example = "A1 a b s\n.model s astate(astate_no=2)\n", .element = 'a'},
    astate_params);

}  // namespace ns::xspice
