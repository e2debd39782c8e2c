// XSPICE delay: out(t) = in(t - d), an analog delay line. d is the parameter `delay`, or,
// with has_delay_cnt=true, delmin + c (delmax - delmin), c the control input held to
// [0, 1] and delmax, when not given, the transient's stop time (as ngspice takes it,
// measured with our decks in tests/sim/xspice_files_test.cpp). Outside a transient, and
// before d has passed (the input's operating-point value), the output follows what the
// input was at t = 0 or is now: .op, .dc and .ac see a wire from in to out.
//
// The input is recorded at each accepted point (circuit/history.hpp) and read back at
// t - d; a t - d after the last accepted point, when d is shorter than the step, is
// interpolated between that point and the input now, so that d = 0 is the input itself.
// ngspice keeps samples about one tstep apart and reads the nearest: on a varying delay
// its output lags ours by up to a tstep of the input's change.
#include <algorithm>

#include <fmt/format.h>

#include "circuit/history.hpp"
#include "xspice.hpp"

namespace ns::xspice {
namespace {

using Dir = ConnectionSpec::Dir;

struct DelayP {
  double delay, has_delay_cnt, delmin, delmax;
};
constexpr Param<DelayP> delay_params[] = {
    {"delay", &DelayP::delay, 0, 0, inf, "s", "the delay, without a control"},
    {"has_delay_cnt", &DelayP::has_delay_cnt, 0, 0, 1, "", "1: the control input sets the delay"},
    {"delmin", &DelayP::delmin, 0, 0, inf, "s", "delay at control 0"},
    {"delmax", &DelayP::delmax, 0, 0, inf, "s", "delay at control 1 (0: the transient's stop time)"},
};

class Delay final : public CodeModel {
public:
  explicit Delay(const DeviceInput& in)
      : CodeModel(in, {{"in", Dir::In, "v", false, "v vd i id"},
                       {"out", Dir::Out, "v", false, "v vd i id"},
                       {"cntrl", Dir::In, "v", false, "v vd i id"}}),
        p_(code_params(delay_params, in, {})) {
    if (p_.has_delay_cnt && p_.delmax > 0 && p_.delmax < p_.delmin)
      throw InputError(in.model->where, fmt::format("'{}': delmax ({:g}) is below delmin ({:g})", in.model->name,
                                                    p_.delmax, p_.delmin));
  }

  void start_transient(double, double tstop) override {
    tstop_ = tstop;
    history_ = History(1, longest() * 1.01);
    recorded_ = false;
  }
  double delay() const override { return longest(); }
  void accept(const Eval& e) override {
    const double v = input(e, 0);
    history_.record(e.time, {&v, 1});
    last_t_ = e.time, last_in_ = v, recorded_ = true;
  }

  void compute(const Eval& e, std::span<const double> in, std::span<const double>, Work& w) const override {
    if (e.mode != Mode::Tran || !recorded_) {
      w.y[0] = in[0];
      w.dy_din[0] = 1;
      return;
    }
    double d = p_.delay;
    if (p_.has_delay_cnt) d = p_.delmin + std::clamp(in[1], 0.0, 1.0) * (delmax() - p_.delmin);
    const double at = e.time - d;
    if (at <= last_t_) {
      double past = 0;
      history_.read(at, {&past, 1});
      w.y[0] = past;
      return;
    }
    const double f = e.time > last_t_ ? (at - last_t_) / (e.time - last_t_) : 1.0;
    w.y[0] = last_in_ + f * (in[0] - last_in_);
    w.dy_din[0] = f;
  }

private:
  double delmax() const { return p_.delmax > 0 ? p_.delmax : tstop_; }
  // The longest delay the model can ask for: how far back the record must reach, and
  // (> 0) that the transient gives it its accepted points.
  double longest() const {
    const double d = p_.has_delay_cnt ? std::max(delmax(), p_.delmin) : p_.delay;
    return d > 0 ? d : (p_.has_delay_cnt ? 1.0 : 0.0);
  }

  DelayP p_;
  double tstop_ = 0;
  History history_{1, 0};
  bool recorded_ = false;
  double last_t_ = 0, last_in_ = 0;
};

}  // namespace

const bool delay_registered = register_model<Delay>(
    {.type = "delay",
     .summary = "XSPICE delay: out(t) = in(t - d), d = delay or set by cntrl between delmin and delmax",
     .terminals = {"in", "out", "cntrl"},
     .example = "A1 a b c d\n.model d delay(has_delay_cnt=true delmin=1u delmax=5u)\n", .element = 'a'},
    delay_params);

}  // namespace ns::xspice
