#pragma once
// The one interface every device implements, and the three small objects a device talks
// to: Setup (claim unknowns, declare Jacobian non-zeros), Eval (read the state) and
// Load (add its contributions). The circuit is one DAE in the unknowns x:
//
//     F(t, x, x') = C(x) x' + f(x) - u(t) = 0        (C = dq/dx, so C x' = d/dt q(x))
//
// A device adds to f (its resistive currents / residuals), to u (independent sources,
// scaled by the engine for source stepping), and to G = df/dx and C = dq/dx at the
// non-zeros it declared in setup(). Node rows are KCL: f holds the current leaving the
// node through the device. Lifecycle: builder constructs the device -> setup() once
// -> topology() checked -> load() many times (OP Newton, DC points, every IDA residual
// and Jacobian). load() is const: a device keeps no history; internal state (temperature,
// filament gap, magnetisation...) is an unknown of its own, claimed with Setup::state().
// The one exception is a delay (a transmission line), which has no other form in a DAE:
// see Device::delay() and accept().
#include <complex>
#include <functional>
#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "circuit/transient_noise.hpp"
#include "netlist/location.hpp"
#include "netlist/netlist.hpp"

namespace ns {

using Unknown = int;  // index into x
inline constexpr Unknown ground = -1;
using Entry = int;    // a declared Jacobian non-zero; `no_entry` when it touches ground
inline constexpr Entry no_entry = -1;

enum class UnknownKind { Voltage, Current, State };

struct UnknownInfo {
  std::string name;   // node "a", branch "i(v1)", state "@n1[t]", internal node "d1#a"
  UnknownKind kind = UnknownKind::Voltage;
  double abstol = 0;  // 0: from .options (vntol for voltages, abstol for currents)
  std::string unit;   // "V", "A", "K", "nm", ...
  double rest = 0;    // the value .tran uic starts from, and the OP's first guess
  // > 0: reltol is taken of this fixed magnitude, not of |value|. An angle's error is a
  // turn of its unit vector, whose components the tolerance would hold to reltol * 1:
  // relative to the angle's own value it allowed 2.4e-3 rad at phi = 2.4 and 1e-6 at 0.
  double magnitude = 0;
  // A device's own node ("d1#a", behind its series resistance), not one of the netlist's.
  bool internal_node() const { return kind == UnknownKind::Voltage && name.find('#') != std::string::npos; }
};

class Device;
struct DeviceType;
struct CircuitTables;

class Setup {
public:
  Setup(CircuitTables& tables, Device& device, std::vector<Unknown> terminals,
        double temperature_kelvin, double gmin);

  Unknown terminal(std::size_t k) const { return terminals_.at(k); }
  double temperature() const { return temperature_; }  // circuit temperature, K
  double gmin() const { return gmin_; }

  // A voltage unknown private to the device (a diode's node behind RS): "device#name".
  Unknown internal_node(std::string_view name);
  // The current through the device as an unknown (V, L, E, H): "i(device)".
  Unknown branch();
  // A further branch current of the same device, "i(device#port)", that F, H and i(device)
  // do not name: an XSPICE code model's voltage output or current input port, a
  // transmission line's two ports.
  Unknown branch(std::string_view port);
  // An internal state, probed as @device[name]: one its type declares (registry.hpp),
  // which gives its unit and whether it is held (Hold); std::logic_error otherwise.
  // `rest` is where .tran uic starts it, the OP's first guess (T = Tamb, the initial gap,
  // m along the easy axis) and the value a held state is held at.
  Unknown state(std::string_view name, double abstol, double rest, double magnitude = 0);
  // The branch current unknown of another device (F, H name a controlling V source).
  Unknown branch_of(std::string_view device, const Location& where) const;
  // An inductor declares its branch current and inductance, so that K cards can couple it.
  void inductor(Unknown branch, double inductance);
  // K: inductor `name`'s branch current and inductance; an InputError at `where` when the
  // circuit has no inductor of that name.
  std::pair<Unknown, double> inductor_of(std::string_view name, const Location& where) const;
  // K: mutual inductance m between inductors a and b, recorded; once every device is set
  // up, the inductance matrix of all couplings must be positive semidefinite (passive),
  // else an InputError at the K card that closes the offending set.
  void couple(std::string_view a, std::string_view b, double m, const Location& where);
  // Any node of the circuit by its flattened name (a behavioural source's v(n)); an
  // InputError at `where` when there is none.
  Unknown node(const std::string& name, const Location& where) const;
  // Declare a Jacobian non-zero at (row, col); no_entry when either is ground.
  Entry entry(Unknown row, Unknown col);
  // The device's transient noise (transient_noise.hpp): `noise` is its card's or model's
  // noise= (1 on, 0 off, NaN unset: on under .options trnoise).
  TransientNoise transient_noise(double noise) const;
  // The run's noise stream (--seed, or a .mc run's own), which the independent sources'
  // trnoise and trrandom draw from (SourceFunction::seed).
  std::uint64_t noise_stream() const;
  // The same setup with other terminals, for a composite device (the 1T1R cell) that
  // sets up its parts on nodes of its choice; their unknowns are named after the composite.
  Setup with_terminals(std::vector<Unknown> terminals) const {
    return Setup(tables_, device_, std::move(terminals), temperature_, gmin_);
  }
  // The object the devices of this circuit share as `kind` (one T per kind), made by the
  // first that asks: the digital network of the digital code models (src/digital/).
  template <class T>
  T& part(std::string_view kind) {
    std::shared_ptr<void>& p = part_slot(kind);
    if (!p) p = std::make_shared<T>();
    return *static_cast<T*>(p.get());
  }

private:
  std::shared_ptr<void>& part_slot(std::string_view kind);
  CircuitTables& tables_;
  Device& device_;
  std::vector<Unknown> terminals_;
  double temperature_;
  double gmin_;
};

// Dc: .op and .dc; independent sources give their DC value.
// TranOp: the operating point a transient starts from; sources give their value at t = 0.
// Tran: during the transient; sources give their value at `time`.
// Ac: the operating point seen by .ac's linearisation (as Dc, but a resistor's ac= value).
enum class Mode { Dc, TranOp, Tran, Ac };

// When a state's own equation gives way to x = its rest value (declared per state, see
// registry.hpp's StateInfo; applied by Load::hold for every device alike).
enum class Hold {
  Never,
  InDc,              // Mode::Dc and Mode::TranOp: a non-volatile state keeps its programmed
                     // value in .op and .dc (it has no DC equilibrium) until a transient moves it
  AtTransientStart,  // Mode::TranOp only: a state .op solves, but that a transient must start
                     // away from (an oscillator's amplitude off its unstable equilibrium)
};

struct Eval {
  std::span<const double> x;
  Mode mode = Mode::Dc;
  double time = 0;           // s; 0 outside Tran
  double gmin = 1e-12;       // S, across every pn junction; the engine raises it in gmin stepping
  // SPICE's bypass, set by the transient's Newton (reltol 0: off): a device may load, in
  // place of a new evaluation, the linearisation at its last one, f0 + G0 (x - x0) with
  // G0 and C0, while every terminal voltage is within reltol·|v| + vntol of x0 and its
  // currents' predicted change within reltol·|i| + abstol (models/bsim4.cpp).
  struct Bypass {
    double reltol = 0, vntol = 0, abstol = 0;
  } bypass{};
  // The first Newton iteration of an operating point from the analysis's first guess
  // (SPICE's junction initialisation): a device whose characteristic is nearly flat at the
  // guess (a MOSFET with every terminal at 0 V) may load, in place of its evaluation at x,
  // its linearisation at a bias of its own, f(v0) + G(v0) (x - v0), so the first Jacobian
  // is not singular but for gmin. Only the first iterate differs; the solution does not.
  // In limit(), `accepted` carries it too: that device's step starts from its own bias.
  bool initial = false;
  double v(Unknown u) const { return u < 0 ? 0.0 : x[static_cast<std::size_t>(u)]; }
};

// u is written unscaled; the engine multiplies it by its source-stepping factor.
// q (charge, flux, thermal energy...) is not needed by the integrator, which uses
// C x' = d/dt q(x); it is kept so that tests can check C against finite differences of q.
class Load {
public:
  // f, q, u: indexed by unknown (q may be empty). G, C: matrix values; slot maps an
  // Entry to its index there.
  Load(std::span<double> f, std::span<double> q, std::span<double> u, std::span<double> G,
       std::span<double> C, std::span<const int> slot)
      : f_(f), q_(q), u_(u), G_(G), C_(C), slot_(slot) {}

  void f(Unknown row, double value) { if (row >= 0) add(f_[row], value); }
  void q(Unknown row, double value) { if (row >= 0 && !q_.empty() && charges_) add(q_[row], value); }
  void u(Unknown row, double value) { if (row >= 0) add(u_[row], value); }
  void G(Entry e, double value) { if (e >= 0 && jacobian_) add(G_[slot_[e]], value); }
  void C(Entry e, double value) { if (e >= 0 && charges_) add(C_[slot_[e]], value); }
  // A bound on the rounding error of what the device added to f in `row`, when it can be
  // far above an ulp of it: a behavioural expression whose value is the difference of two
  // large terms. The engine holds no unknown to a tolerance below what these make of it.
  void noise(Unknown row, double bound) { if (row >= 0 && !noise_.empty()) add(noise_[row], bound); }
  // Where noise() adds, by unknown (the engine's; unset, noise() drops what it is given).
  void record_noise(std::span<double> noise) { noise_ = noise; }

  // After every device has loaded: the row of each state held in `eval`'s mode becomes
  // x - rest = 0 (f = x - rest, G = 1 on the diagonal and 0 elsewhere in the row). The
  // device loads its full equations; this replaces them, in one place for all models.
  void hold(const CircuitTables& tables, const Eval& eval);

  // A residual-only load (IDA's Newton iterations after the first of a step): G is not
  // wanted and G() drops what it is given; a device may skip computing its derivatives.
  // C is still stamped: the residual needs C x'.
  void skip_jacobian() { jacobian_ = false; }
  bool jacobian() const { return jacobian_; }
  // False: q() and C() drop what they are given (a device whose constant charges the
  // engine stamped already; Device::constant_charges).
  void charges(bool on) { charges_ = on; }

  // A recording load, for devices loaded on several threads at once (System::evaluate):
  // each add is kept, where and what, on `tape` instead of made, and replay() makes them
  // later in the order they were recorded. Replayed tape by tape in device order, the sums
  // are those of one thread loading every device, to the bit. Null: add at once.
  struct Add {
    double* at;
    double value;
  };
  void record_to(std::vector<Add>* tape) { tape_ = tape; }
  static void replay(const std::vector<Add>& tape) {
    for (const Add& a : tape) *a.at += a.value;
  }

private:
  void add(double& at, double value) {
    if (tape_) tape_->push_back({&at, value});
    else at += value;
  }
  std::vector<Add>* tape_ = nullptr;
  std::span<double> f_, q_, u_, G_, C_, noise_;
  std::span<const int> slot_;
  bool jacobian_ = true;
  bool charges_ = true;
};

// Connectivity for the checks run before simulating: every node needs a DC path to
// ground, and no loop may consist only of voltage-defined branches.
class Topology {
public:
  virtual ~Topology() = default;
  virtual void conducts(Unknown a, Unknown b) = 0;        // a DC current path between a and b
  virtual void voltage_defined(Unknown a, Unknown b) = 0;  // v(a) - v(b) fixed (V, E, H, L at DC)
};

// .noise: one noise current of a device, flowing through it from `from` to `to`, and its
// one-sided power spectral density (A^2/Hz) at the operating point and frequency asked.
// Noise currents of one device are uncorrelated with each other and with other devices'.
// A device lists the same sources at every frequency, those ngspice lists for its kind
// even when zero (an absent rd), by ngspice's names: .noise's summary writes onoise_<device>_<kind>,
// or onoise.<device>.<kind> where kinds begin with a dot (".id": ngspice's BSIM families).
struct NoiseSource {
  std::string_view kind;  // ngspice's name of the source: "thermal", "rd", "ic", "1overf", ".id"
  Unknown from = ground, to = ground;
  double psd = 0;
};

class Device {
public:
  Device(std::string name, Location where) : name_(std::move(name)), where_(std::move(where)) {}
  virtual ~Device() = default;

  const std::string& name() const { return name_; }
  const Location& where() const { return where_; }

  virtual void setup(Setup& setup) = 0;
  virtual void topology(Topology& topology) const = 0;
  virtual void load(const Eval& eval, Load& load) const = 0;

  // Called before a transient's operating point: sources take SPICE's tstep/tstop-based
  // defaults here (PULSE edges of zero default to tstep, SIN's frequency to 1/tstop...).
  virtual void start_transient(double /*tstep*/, double /*tstop*/) {}

  // .tran uic: set the device's own initial condition (an element's ic=) in x, which
  // holds the rest state; .ic cards are applied after and win.
  virtual void initial_condition(std::span<double> /*x*/) const {}

  // The first guess of a Newton solve: a device that fixes a voltage between two nodes
  // (an independent voltage source) sets the node not yet `known` from the one that is,
  // with its value in `at`'s mode, and marks it known; true when it set one. So Newton does
  // not begin ln(v(supply)) or v(a)/v(state) at 0 V, where such an expression has no value.
  virtual bool guess(const Eval& /*at*/, std::span<double> /*x*/, std::span<char> /*known*/) const { return false; }

  // .ac: an independent source's stimulus (its 'ac mag phase' as a phasor), added to `u`
  // (indexed by unknown) in the rows where load() adds its u.
  virtual void ac(std::span<std::complex<double>> /*u*/) const {}
  // .ac and .noise: a device whose small-signal admittance has no G + jwC form (a lossy
  // line's delay and distributed loss) adds it at angular frequency `omega`, at entries it
  // declared in setup; its load() in Mode::Ac leaves those terms out. .pz, which needs a
  // rational G + sC, refuses a device that is frequency_dependent().
  virtual bool frequency_dependent() const { return false; }
  virtual void ac_admittance(double /*omega*/, const std::function<void(Entry, std::complex<double>)>& /*add*/) const {}

  // .sp: a V source written with ngspice's 'portnum N z0 R' is port N of the circuit, a
  // source of reference impedance z0 between `p` and `n` whose current is `branch`
  // (flowing from p through the source to n). Every other device is none.
  struct Port {
    int number = 0;
    double z0 = 50;
    Unknown p = ground, n = ground, branch = ground;
    Location where;
  };
  virtual std::optional<Port> port() const { return std::nullopt; }

  // .noise: the device's noise currents at operating point `op` and `frequency` (Hz),
  // appended to `out`, the same sources in the same order at every frequency. A device
  // that declares none is noiseless.
  virtual void noise(const Eval& /*op*/, double /*frequency*/, std::vector<NoiseSource>& /*out*/) const {}

  // LTspice's `.tran ... startup`, after start_transient: an independent source scales its
  // value by min(t / duration, 1), so the transient's operating point has it off and it
  // turns on over the first `duration` seconds (a corner at its end).
  virtual void ramp_up(double /*duration*/) {}
  // Source corners in (from, to], appended to `out` (the integrator stops and restarts there).
  virtual void breakpoints(double /*from*/, double /*to*/, std::vector<double>& /*out*/) const {}

  // A device whose transient equations read its own past (a transmission line: the wave
  // that left its far end td ago) returns that delay (s, > 0). The transient then steps
  // no longer than it, so a step reads only accepted points; adds each source corner
  // delay, 2 delay, ... later as corners; and gives every accepted point, in increasing
  // time from t = 0, to accept(), where the device records what it will read.
  virtual double delay() const { return 0; }
  // The delay at which its corners repeat, when not delay(): a lossy line cut into K
  // segments of delay td / K carries a corner from end to end in td; the joints' small
  // reflections are left to the error test.
  virtual double corner_delay() const { return delay(); }
  virtual void accept(const Eval& /*accepted*/) {}

  // An event-driven device (a digital code model, src/digital/): the transient gives it
  // every accepted point too (accept), without bounding the step, and stops at the time
  // next_event() returns after each (its earliest pending event or output corner after the
  // last accepted point; infinity when none), restarting there as at a source corner.
  virtual bool event_driven() const { return false; }
  virtual double next_event() const { return std::numeric_limits<double>::infinity(); }
  // After accept() at such a stop: whether what the device's load() gives the analog rows
  // got a corner there (a dac_bridge's ramp starting, turning or ending). False lets the
  // transient go on without a restart when its only other change is in rows that no other
  // equation reads (a digital node's own x = level; engine/event_hold.hpp). True, the
  // safe answer, restarts as at a source corner.
  virtual bool event_corner() const { return true; }

  // A device with a discrete state (a switch's on/off), held in an unknown of its own that
  // its transient equation keeps constant (y' = 0): margin() is how far the circuit is from
  // changing it, > 0 while it holds, in the device's own units. When a transient step ends
  // with a margin below 0, the transient finds where it crossed 0 on the step's
  // interpolant, stops there, has change_state() write the new state into x, and restarts there
  // as at a source corner (analysis/crossings.hpp). So the state changes at the crossing
  // itself, as SPICE's ideal switch does, and no equation is stiffer for it.
  virtual bool discrete() const { return false; }
  virtual double margin(const Eval& /*eval*/) const { return std::numeric_limits<double>::infinity(); }
  virtual void change_state(std::span<double> /*x*/) const {}

  // OP Newton step limiting: given the accepted iterate and the proposed one, the
  // fraction (0, 1] of the step this device allows (pn-junction style limiting).
  virtual double limit(const Eval& /*accepted*/, const Eval& /*proposed*/) const { return 1.0; }

  // OP Newton convergence, beside the unknowns' own test (SPICE's device convergence
  // test): whether the current the device predicts at `proposed` from its linearisation at
  // `accepted` is its current there, within reltol·|i| + abstol. A junction of small
  // emission coefficient can step down its exponential by one emission voltage per
  // iteration, a node update under the voltage tolerance, while its current is far off.
  virtual bool settled(const Eval& /*accepted*/, const Eval& /*proposed*/, double /*reltol*/,
                       double /*abstol*/) const { return true; }

  // When its load gave a non-finite value at `eval`: what the device can say about why
  // (a behavioural element: its expression, where it is written, and its inputs).
  virtual std::string explain_non_finite(const Eval& /*eval*/) const { return {}; }

  // True when, in Mode::Tran, load() adds only f = G x and constant G and C (no u, nothing
  // that depends on time or on x beyond that): resistors, capacitors, inductors. The
  // transient then stamps G and C once and forms their f = G x itself (System::stamp_linear)
  // instead of loading them at every residual.
  virtual bool linear() const { return false; }

  // True when, in Mode::Tran, load() adds f = G x with constant G and C, as a linear()
  // device, and a constant u: a dc independent source (no waveform, startup ramp or
  // transient noise). The transient stamps its G, C and u once with the linear devices'
  // (System::stamp_linear): the 10,000 bias sources of a neuron network were half of the
  // objects a residual loaded.
  virtual bool constant_source() const { return false; }

  // True when its charges are q = C x with a C that nothing changes (no x, no time: the
  // NbOx device's Cd and Cth), whatever its f. The transient then stamps that C once with
  // the linear devices' and its loads leave C and q out (System::stamp_linear): a
  // residual neither resets nor re-adds it.
  virtual bool constant_charges() const { return false; }

  // False when some C it stamps is no charge's derivative (Meyer's gate capacitances,
  // which SPICE too integrates as C dv): its rows then keep C x' in a transient rather
  // than integrating their charge (engine/charge_rows.hpp).
  virtual bool charges_complete() const { return true; }

  // The registry entry the device was made from (set by the registry's factory).
  const DeviceType& type() const;

  // Computed quantities probed as @name[quantity]: the probes its type declares, in order
  // (states claimed in setup are probed without them). quantity(k) evaluates the k-th.
  std::vector<std::string> quantities() const;
  virtual double quantity(std::size_t /*k*/, const Eval& /*eval*/) const { return 0.0; }

  // Takes new values from its card, changed by a knob (netlist/knob.hpp), keeping its
  // unknowns: a .dc over a source does not build the circuit again at every point.
  // False when the device cannot; the caller then builds the circuit again.
  virtual bool update(const Element& /*card*/) { return false; }

private:
  friend bool register_device_type(DeviceType type);
  std::string name_;
  Location where_;
  const DeviceType* type_ = nullptr;
};

}  // namespace ns
