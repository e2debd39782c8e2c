#include "circuit/registry.hpp"
#include "circuit/source_function.hpp"

namespace ns {
namespace {

// SPICE's sign: the current flows from n+ through the source to n-, so it leaves node n+
// and enters node n- of the external circuit.
class CurrentSource final : public Device {
public:
  explicit CurrentSource(const DeviceInput& in)
      : Device(in.element.name, in.element.where), source_(in.element) {}

  void setup(Setup& s) override {
    p_ = s.terminal(0);
    n_ = s.terminal(1);
    stream_ = s.noise_stream();
    source_.seed(stream_);
  }

  void topology(Topology&) const override {}  // no DC path through a current source

  void load(const Eval& e, Load& l) const override {
    const double i = source_.value(e);
    l.u(p_, -i);
    l.u(n_, i);
  }

  void ac(std::span<std::complex<double>> u) const override {
    if (p_ != ground) u[static_cast<std::size_t>(p_)] -= source_.ac();
    if (n_ != ground) u[static_cast<std::size_t>(n_)] += source_.ac();
  }

  void start_transient(double tstep, double tstop) override { source_.start_transient(tstep, tstop); }
  bool constant_source() const override { return source_.constant(); }
  void ramp_up(double duration) override { source_.ramp_up(duration); }
  void breakpoints(double from, double to, std::vector<double>& out) const override {
    source_.breakpoints(from, to, out);
  }
  bool update(const Element& card) override {
    source_ = SourceFunction(card);
    source_.seed(stream_);
    return true;
  }

  // As ngspice: v = v(n-) - v(n+), the rise the source drives its current through,
  // p = -v i, the power absorbed (negative when the source delivers), and i its current
  // (so that i(I1) works like i(V1)).
  double quantity(std::size_t k, const Eval& e) const override {
    const double v = e.v(n_) - e.v(p_);
    return k == 0 ? v : k == 1 ? -v * source_.value(e) : source_.value(e);
  }

private:
  // The terminals before the waveform, whose value() reads its first fields: a load
  // touches two cache lines of the object (10,000 of them in a neuron network).
  Unknown p_ = ground, n_ = ground;
  SourceFunction source_;
  std::uint64_t stream_ = 1;  // the run's noise stream, for trnoise/trrandom
};

}  // namespace

const bool registered = register_model<CurrentSource>(
    {.type = "i",
     .summary = "independent current source (n+ -> through source -> n-): dc, ac, pulse, sin, exp, pwl",
     .terminals = {"n+", "n-"},
     .probes = {{"v", "V", "v(n-) - v(n+), the rise it drives its current through"},
                {"p", "W", "power absorbed (negative when delivering)"},
                {"i", "A", "its current"}},
     .example = "I1 a b dc 1m\n"});

}  // namespace ns
