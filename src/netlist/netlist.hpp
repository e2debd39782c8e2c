#pragma once
// The elaborated netlist: what the front end hands to the circuit builder. Everything
// here is flat (subcircuits expanded, .include/.lib read, .param expressions evaluated)
// and lower-case; every item keeps its source location for error messages.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "netlist/location.hpp"

namespace ns { class Expression; class Program; }

namespace ns {

struct Number {
  double value = 0;
  Location where;
};

struct Assignment {  // name=value on an element or .model card
  std::string name;
  double value = 0;
  Location where;
};

// A keyword with arguments on an element card: "dc 1", "ac 1 0", "pulse(0 1 0 1n 1n 5u 10u)",
// "sin(...)", "pwl(...)", "exp(...)". The keyword is lower-case; "dc" is implied for a
// bare leading value on a source card.
struct Group {
  std::string keyword;
  std::vector<Number> args;
  Location where;
};

// A behavioural element's value: B cards, and E/G cards with VALUE= (netlist/behavioural.cpp).
struct Behaviour {
  bool voltage = false;             // V= (and E): v(n+) - v(n-) = value; I= (and G): the value is
                                    // the current from n+ through the element to n-
  std::shared_ptr<const Program> program;  // compiled once (expr/program.hpp)
  std::vector<std::string> inputs;  // per program input: its flattened node or element name
  std::vector<Location> input_where;  // and where it is first read
  std::string text;                 // the expression as written
  Location where;                   // of the expression
};

// The first letters of the element cards the reader accepts (x: a subcircuit instance).
inline constexpr std::string_view element_letters = "rclvieghfbdmqjnswkxtoaypuz";

// One port of an XSPICE A element (netlist/xspice.cpp): its type as written ("v", "vd",
// "i", "id", "g", "gd", "h", "hd", "d", "vnam"; empty: the code model's default for that
// connection) and where its nodes are in Element::nodes (one, or two for a pair); vnam
// names a voltage source instead, whose current is read.
struct XspicePort {
  std::string type;
  std::vector<std::size_t> nodes;   // indices into Element::nodes
  std::string source;               // vnam: the flattened voltage source name
  bool inverted = false;            // ~ (digital)
  bool null = false;                // NULL: left unconnected
  Location where;
};
// One connection of the code model: a single port, or a vector [p1 p2 ...] of them.
struct XspiceConnection {
  bool vector = false;
  std::vector<XspicePort> ports;
  Location where;
};

struct Element {
  char kind = 0;                    // first letter of the card, lower-case: 'r', 'v', 'n', ...;
                                    // 'b' also for E/G with VALUE= (one behavioural device)
  std::string name;                 // flattened, lower-case: "r1", "x1.r1"
  Location where;                   // of the name token
  std::vector<std::string> nodes;   // flattened node names; "0" (or "gnd") is ground
  std::vector<Location> node_where;
  std::string model;                // key into Netlist::models: the flattened .model name (D, M, N;
                                    // empty otherwise), or "model@element" for a per-device copy
  Location model_where;
  std::string bins;                 // M of a binned model: the name it wrote ("nch"), whose bins
                                    // an alter of its l or w chooses among again (binning.hpp)
  std::string control;              // F, H: flattened name of the controlling V source; a
  Location control_where;           // behavioural element's first i() (set up after the others)
  std::vector<std::pair<std::string, Location>> coupled;  // K: the flattened inductor names
  std::vector<Number> values;       // positional values (R's resistance, E's gain, D's area)
  std::vector<Assignment> params;   // name=value, in card order
  std::vector<Group> groups;        // source functions (V, I)
  std::shared_ptr<const Behaviour> behaviour;  // B, E/G VALUE=
  std::vector<XspiceConnection> connections;   // A: the code model's connections, in order
  std::optional<double> vcc;        // A: the parameter vcc where the card is, if one is visible
                                    // (the levels of its auto-bridges, circuit/auto_bridge.hpp)
};

struct Model {
  std::string name;                 // flattened, lower-case
  std::string type;                 // lower-case: "d", "nmos", "pmos", "nbox", ...
  std::vector<Assignment> params;   // "level" included when given
  Location where;                   // of the name
  Location type_where;              // of the type token ("unknown model type" points here)
  // XSPICE code models (netlist/xspice.cpp): vector parameters name=[v1 v2 ...], and
  // string ones name="text".
  struct Array {
    std::string name;
    std::vector<Number> values;
    Location where;
  };
  std::vector<Array> arrays;
  std::vector<std::pair<std::string, std::string>> strings;
  // A bin of a binned model ("nch.2"): its lmin, lmax, wmin, wmax, taken out of `params`.
  std::optional<std::array<double, 4>> bin;
};

// What .dc, .step and the control language's alter/alterparam set to a value: a "knob",
// resolved once against the elaborated netlist (netlist/knob.hpp reads and applies it).
struct Knob {
  enum class Kind {
    Param,          // a top-level .param: the deck is elaborated again with its value
    Temperature,    // temp: the circuit temperature
    Source,         // an independent source's DC value
    ModelParam,     // MODEL(P): a .model parameter (and every per-device copy of the model)
    InstanceParam,  // @DEVICE[P]: an instance parameter
  };
  Kind kind = Kind::Param;
  std::string name;                 // the .param, source, model or instance name (flattened, lower-case)
  std::string param;                // ModelParam, InstanceParam: the parameter name
  std::string label;                // its column name: "x", "temp", "v1", "nch(vto)", "@r1[r]"
  Location where;                   // of the target on the card that named it
};

// One token of a card that the netlist layer passes on uninterpreted: the analysis cards
// (.op, .dc, .tran, ...), read by the analysis registered under the card's name.
struct CardArg {
  enum class Kind { Word, Expr, String, LParen, RParen, Comma, Equals };
  Kind kind = Kind::Word;
  std::string text;                 // lower-case; Expr and String: between the delimiters
  Location where;
  // The token as a value, evaluated with the top-level .params when the deck was
  // elaborated; when it is not one, why (the InputError that reading it as a value gives).
  std::optional<double> value;
  std::shared_ptr<const InputError> error;

  bool is(std::string_view word) const { return kind == Kind::Word && text == word; }
  bool is_value() const { return kind == Kind::Word || kind == Kind::Expr; }
  Number number() const;            // the value, or that InputError
};

struct ControlCard {
  std::string name;                 // ".tran"
  Location where;                   // of the name
  std::vector<CardArg> args;        // the tokens after the name
};

struct Quantity;

// The probe calls of output lines, .meas cards and scripts: v(a) and i(v1), and the parts
// of an .ac phasor, vm vp vdb vr vi (im ip idb ir ii of a current). The part a name calls
// for ("m", "p", "db", "r", "i"; "" for v and i); nullopt for a name that is no probe call.
inline std::optional<std::string> probe_call_form(std::string_view name) {
  if (name.empty() || (name[0] != 'v' && name[0] != 'i')) return std::nullopt;
  const std::string_view form = name.substr(1);
  if (form.empty() || form == "m" || form == "p" || form == "db" || form == "r" || form == "i") return std::string(form);
  return std::nullopt;
}

// An output request from .print/.save/.probe: v(a), v(a,b), i(vname), @name[quantity],
// or (.print) an expression over those: -i(v1), abs(i(v1)), v(a)*i(v1).
struct ProbeRequest {
  enum class Kind { Voltage, Current, Device, Expression };
  Kind kind = Kind::Voltage;
  std::string a, b;                 // Voltage: nodes (b empty: ground); Current: source name;
                                    // Device: instance name and quantity
  std::string label;                // canonical lower-case text: "v(a)", "v(a,b)", "i(v1)", "@d1[id]"
  Location where;
  // The parts .ac writes to a table, from '.print ac vdb(a) vp(a)': "m", "p", "db", "r",
  // "i" (vm, vp, vdb, vr, vi, and im... for currents); empty: "m" and "p". Other analyses
  // write the probe's value.
  std::vector<std::string> forms;
  std::shared_ptr<const Quantity> expression;  // Expression: its probes and formula
};

// .step: one dimension of a parameter sweep over whole analyses. Cards nest in card
// order: the first .step is the outermost loop.
struct Step {
  Knob knob;
  std::vector<double> points;       // expanded, in step order
};

// .mc N: N Monte Carlo runs. Random functions in expressions (gauss, agauss, unif, aunif,
// limit, lognormal) draw a new value in every run: once per run where written in a
// top-level .param, once per device instance anywhere else (instance cards, subcircuit
// parameters, .param inside a subcircuit, .model cards: each device using the model
// draws its own). Without .mc they take their nominal value.
// In a netlist elaborated with a random stream, an element whose .model card calls a
// random function gets its own copy of the model, keyed "model@element" in
// Netlist::models; Model::name stays the name the user wrote. Without a stream, and
// for models without random calls, elements share the model.
struct MonteCarlo {
  std::size_t runs = 0;             // 0: no Monte Carlo
  Location where;
};

// What a .meas reads: one probe, or an expression over probes ("v(a)*i(v1)"). In the
// expression, probe k is the name quantity_name(k); other names are top-level .params.
struct Quantity {
  std::string text;                 // as written, lower-case
  std::vector<ProbeRequest> probes;
  std::shared_ptr<const Expression> expression;  // null: the value of probes[0]
  Location where;
  std::vector<std::pair<std::string, std::size_t>> names;  // other names read, offsets into text
};
inline std::string quantity_name(std::size_t k) { return "probe__" + std::to_string(k); }

// A level crossing, for WHEN, FIND ... WHEN, TRIG and TARG.
struct Crossing {
  Quantity signal;
  std::optional<Quantity> level_signal;  // WHEN v(a)=v(b): crossing of signal - level_signal
  double level = 0;                 // WHEN v(a)=0.5, TRIG v(a) VAL=0.5
  enum class Edge { Rise, Fall, Cross };
  Edge edge = Edge::Cross;
  int count = 1;                    // RISE=n / FALL=n / CROSS=n; -1: LAST
  double delay = 0;                 // TD=: crossings before this x are not counted
  std::optional<double> at;         // TRIG AT=x / TARG AT=x: this x itself, no signal
};

// .four FREQ OUT...: after each .tran, the harmonics of each output over its last period
// 1/FREQ, printed as ngspice prints them (analysis/fourier.cpp).
struct FourierRequest {
  double fundamental = 0;           // Hz
  std::vector<ProbeRequest> signals;
  Location where;                   // of the card
};

// .meas / .measure (ngspice/LTspice syntax plus spike measures).
struct MeasureRequest {
  enum class Kind {
    Max, Min, Pp, Avg, Rms, Integ,  // over [from, to] of `quantity`
    MaxAt, MinAt,                   // the x (time, sweep value) of the max/min over [from, to]
    FindAt, FindWhen, When,         // FIND q AT=x;  FIND q WHEN c;  WHEN c (gives x)
    DerivAt, DerivWhen,             // DERIV q AT=x; DERIV q WHEN c
    TrigTarg,                       // TRIG c1 TARG c2 (gives x2 - x1)
    Param,                          // PARAM='expr' of earlier measures and .params
    Spikes, Rate,                   // spike count; mean rate (n-1)/(t_n - t_1)
    IsiMean, IsiStd, IsiCv,         // inter-spike interval statistics
    EnergyPerSpike,                 // INTEG of `quantity` (a power) / spike count of `spike_signal`
    Frequency,                      // dominant frequency of `quantity`
  };
  enum class Analysis { Tran, Dc, Ac };
  Analysis analysis = Analysis::Tran;
  Kind kind = Kind::Max;
  std::string name;                 // lower-case
  Location where;                   // of the name
  Quantity quantity;                // the measured signal (not used by When, TrigTarg, Param)
  std::optional<double> from, to;   // FROM= TO= window on the x axis (time or sweep value)
  double at = 0;                    // FindAt, DerivAt
  Crossing when, trig, targ;
  // Spike criterion (Spikes, Rate, Isi*, EnergyPerSpike): a spike is an upward crossing
  // of `threshold`; the next one counts only after the signal fell below threshold - hysteresis.
  Quantity spike_signal;            // Spikes/Rate/Isi*: same as quantity; EnergyPerSpike: SPIKE=
  double threshold = 0;
  std::optional<double> hysteresis; // default: documented in analysis/measure.hpp
  std::shared_ptr<const Expression> expression;  // Param
};

// f(q) for each signal measure `m` reads: its quantity, spike signal, and each crossing's
// signal and level signal. `M`: MeasureRequest, const or not.
template <class M, class F>
void each_quantity(M& m, F&& f) {
  f(m.quantity);
  f(m.spike_signal);
  for (auto* c : {&m.when, &m.trig, &m.targ}) {
    f(c->signal);
    if (c->level_signal) f(*c->level_signal);
  }
}

struct Options {
  double reltol = 1e-3;
  double abstol = 1e-12;            // A
  double vntol = 1e-6;              // V
  double chgtol = 1e-14;            // C: the transient error test's charge floor (engine/charge_floor.hpp)
  double gmin = 1e-12;              // S
  double rshunt = 0, cshunt = 0;    // Ohm, F: .options rshunt= cshunt=, on every node to ground; 0: none
  double tmax = 0;                  // s; 0: not given
  std::string method = "gear";      // gear: IDA's variable-order BDF; trap: the trapezoidal rule
  std::string errnorm = "max";      // the transient error test's norm over unknowns: max or rms
  std::string linsolve = "auto";    // the transient's linear solver: auto, klu or blocks (engine/block_solver.hpp)
  double temp = 27;                 // circuit temperature, degrees Celsius (.temp or .options temp=)
  double tnom = 27;                 // model parameter measurement temperature, degrees Celsius
  bool every_step = false;          // .options everystep: a transient row at every accepted step
  double scale = 1;                 // .options scale: MOSFET l, w, pd, ps times it, ad, as times its square
  bool trnoise = false;             // .options trnoise: device noise in transients (circuit/transient_noise.hpp)
  bool bypass = true;               // .options bypass=0: every device evaluated at every transient Newton iterate
  bool event_hold = true;           // .options eventhold=0: every digital event restarts the transient (engine/event_hold.hpp)
  std::size_t fourier_harmonics = 10;  // .options nfreqs: the rows of a .four table, DC included
  std::size_t fourier_grid = 200;      // .options fourgridsize: the points a .four period is resampled to
  std::uint64_t seed = 1;           // the run's seed: the device noise's stream when not a .mc run's own
  std::optional<std::uint64_t> deck_seed;  // .options seed=N: the run's seed unless --seed is given
};

struct InitialValue {
  std::string node;                 // flattened node name
  Number value;
};

struct Deck;  // the parsed deck a netlist was elaborated from (netlist/deck.hpp)

struct Netlist {
  std::string title;
  std::vector<Element> elements;
  std::map<std::string, Model> models;
  std::vector<ControlCard> analyses;  // in card order
  std::vector<ProbeRequest> outputs;  // empty: the default set
  std::vector<InitialValue> ic;     // .ic v(n)=value
  std::vector<InitialValue> nodeset;
  Options options;
  std::vector<std::string> warnings;  // "file:line:col: warning: ..." (ignored cards, options)
  bool reads_temper = false;          // a .param, model or instance value read `temper`
  std::vector<Step> steps;          // .step cards, outermost first
  MonteCarlo monte_carlo;
  std::vector<MeasureRequest> measures;  // in card order
  std::vector<FourierRequest> fourier;   // .four cards, in card order
  std::map<std::string, double> params;  // top-level .param values (for .meas PARAM)
  // .csparam NAME = VALUE: vectors of a .control script's constants plot, in card order.
  std::vector<std::pair<std::string, double>> csparams;

  // How this netlist was made, so that a knob over a .param can elaborate it again:
  // the deck, the .param values set (elaborate()'s overrides and Param knobs), the random
  // stream of a Monte Carlo run, and the other knobs set since, in order.
  std::shared_ptr<const Deck> deck;
  std::map<std::string, double> overrides;
  std::optional<std::uint64_t> random_stream;
  std::vector<std::pair<Knob, double>> settings;
};

}  // namespace ns
