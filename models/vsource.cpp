#include <cmath>
#include <initializer_list>

#include <fmt/format.h>

#include "circuit/registry.hpp"
#include "circuit/source_function.hpp"
#include "circuit/stamp.hpp"

namespace ns {
namespace {

struct VoltageSourceParams {
  double rser, repeat, delay, portnum, z0;
};

// LTspice's series resistance: a source with its own resistance, without an extra node.
constexpr Param<VoltageSourceParams> vsource_params[] = {
    {"rser", &VoltageSourceParams::rser, 0, 0, inf, "Ohm", "series resistance (LTspice's Rser)", Scope::Instance},
    // Read by the pwl waveform (circuit/source_function.cpp), refused without one.
    {"r", &VoltageSourceParams::repeat, 0, 0, inf, "s", "pwl: repeat from this time point after the last", Scope::Instance},
    {"td", &VoltageSourceParams::delay, 0, -inf, inf, "s", "pwl: delay of the whole waveform", Scope::Instance},
    // ngspice's ports (analysis/sp.cpp): in every analysis the source drives through z0.
    {"portnum", &VoltageSourceParams::portnum, 0, 0, 1e6, "", ".sp: the port's number (1, 2, ...); 0: not a port", Scope::Instance},
    {"z0", &VoltageSourceParams::z0, 50, above(0), inf, "Ohm", ".sp: the port's reference impedance, in series with the source", Scope::Instance},
};

const std::initializer_list<std::string_view> own_params = {"rser", "portnum", "z0"};

// The branch current i (flowing from + through the source to -) is an unknown; its row
// is v(+) - v(-) - rser i = value, with the value in u.
class VoltageSource final : public Device {
public:
  explicit VoltageSource(const DeviceInput& in)
      : Device(in.element.name, in.element.where), source_(in.element, own_params) {
    const auto p = resolve<VoltageSourceParams>(vsource_params, in);
    rser_ = p.rser;
    if (p.portnum != 0) {
      if (p.portnum != std::floor(p.portnum))
        throw InputError(in.element.where, fmt::format("'{}': portnum must be a whole number, not {:g}", name(), p.portnum));
      if (p.rser != 0)
        throw InputError(in.element.where, fmt::format("'{}' is a port: its series resistance is z0, not rser", name()));
      portnum_ = static_cast<int>(p.portnum);
      rser_ = p.z0;
    }
  }

  void setup(Setup& s) override {
    p_ = s.terminal(0);
    n_ = s.terminal(1);
    stream_ = s.noise_stream();
    source_.seed(stream_);
    i_ = s.branch();
    // No branch diagonal without rser: declared, that structural zero would let KLU pair
    // each source's current with its own row, and a crossbar's rows and columns then tie
    // every cell into one block (ordered and factorised whole) instead of small ones.
    if (rser_ > 0) grid_.declare(s, {p_, n_, i_});
    else grid_.declare(s, {p_, n_, i_}, {{0, 2}, {1, 2}, {2, 0}, {2, 1}});
  }

  // With a series resistance (rser, a port's z0) it conducts: no loop of sources is then
  // without a solution.
  void topology(Topology& t) const override {
    if (rser_ > 0) t.conducts(p_, n_);
    else t.voltage_defined(p_, n_);
  }

  void load(const Eval& e, Load& l) const override {
    const double i = e.v(i_);
    l.f(p_, i);
    l.f(n_, -i);
    l.f(i_, e.v(p_) - e.v(n_) - rser_ * i);
    l.u(i_, source_.value(e));
    grid_.branch(l, 0, 1, 2);
    if (rser_ > 0) grid_.add(l, 2, 2, -rser_);
  }

  bool guess(const Eval& at, std::span<double> x, std::span<char> known) const override {
    const bool p_known = p_ == ground || known[p_], n_known = n_ == ground || known[n_];
    if (p_known == n_known) return false;
    const double value = source_.value(at);
    if (p_known) x[n_] = at.v(p_) - value, known[n_] = 1;
    else x[p_] = at.v(n_) + value, known[p_] = 1;
    return true;
  }

  std::optional<Port> port() const override {
    if (portnum_ == 0) return std::nullopt;
    return Port{portnum_, rser_, p_, n_, i_, where()};
  }

  void ac(std::span<std::complex<double>> u) const override { u[static_cast<std::size_t>(i_)] += source_.ac(); }

  void start_transient(double tstep, double tstop) override { source_.start_transient(tstep, tstop); }
  bool constant_source() const override { return source_.constant(); }
  void ramp_up(double duration) override { source_.ramp_up(duration); }
  void breakpoints(double from, double to, std::vector<double>& out) const override {
    source_.breakpoints(from, to, out);
  }
  bool update(const Element& card) override {
    source_ = SourceFunction(card, own_params);
    source_.seed(stream_);
    return true;
  }

  // p: power absorbed, as ngspice reports it (negative when the source delivers).
  double quantity(std::size_t k, const Eval& e) const override {
    return k == 0 ? e.v(i_) : (e.v(p_) - e.v(n_)) * e.v(i_);
  }

private:
  SourceFunction source_;
  std::uint64_t stream_ = 1;  // the run's noise stream, for trnoise/trrandom
  double rser_;
  int portnum_ = 0;  // .sp's port number; 0: not a port
  Unknown p_ = ground, n_ = ground, i_ = ground;
  EntryGrid<3> grid_;
};

}  // namespace

const bool registered = register_model<VoltageSource>(
    {.type = "v",
     .summary = "independent voltage source: dc, ac, pulse, sin, exp, pwl",
     .terminals = {"n+", "n-"},
     .probes = {{"i", "A", "current from n+ through the source to n-"},
                {"p", "W", "power absorbed (negative when delivering)"}},
     .example = "V1 a b dc 1 ac 1\n"},
    vsource_params);

}  // namespace ns
