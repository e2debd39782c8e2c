#pragma once
// The elaborated netlist: what the front end hands to the circuit builder. Everything
// here is flat (subcircuits expanded, .include/.lib read, .param expressions evaluated)
// and lower-case; every item keeps its source location for error messages.
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "netlist/location.hpp"

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

struct Element {
  char kind = 0;                    // first letter of the card, lower-case: 'r', 'v', 'n', ...
  std::string name;                 // flattened, lower-case: "r1", "x1.r1"
  Location where;                   // of the name token
  std::vector<std::string> nodes;   // flattened node names; "0" (or "gnd") is ground
  std::vector<Location> node_where;
  std::string model;                // flattened .model name (D, M, N; empty otherwise)
  Location model_where;
  std::string control;              // F, H: flattened name of the controlling V source
  Location control_where;
  std::vector<Number> values;       // positional values (R's resistance, E's gain, D's area)
  std::vector<Assignment> params;   // name=value, in card order
  std::vector<Group> groups;        // source functions (V, I)
};

struct Model {
  std::string name;                 // flattened, lower-case
  std::string type;                 // lower-case: "d", "nmos", "pmos", "nbox", ...
  std::vector<Assignment> params;   // "level" included when given
  Location where;                   // of the name
  Location type_where;              // of the type token ("unknown model type" points here)
};

struct Sweep {
  enum class Target { Source, Param, Temperature };
  Target target = Target::Source;
  std::string name;                 // source or .param name, lower-case ("temp" for Temperature)
  Location where;
  std::vector<double> points;       // lin/dec/oct/list already expanded, in sweep order
};

struct OpAnalysis {
  Location where;
};
struct DcAnalysis {
  std::vector<Sweep> sweeps;        // [0] is the inner (fastest) sweep, [1] the outer
  Location where;
};
struct TranAnalysis {
  double tstep = 0, tstop = 0, tstart = 0;
  double tmax = 0;                  // 0: not given
  bool uic = false;
  Location where;
};
using Analysis = std::variant<OpAnalysis, DcAnalysis, TranAnalysis>;

// An output request from .print/.save/.probe: v(a), v(a,b), i(vname), @name[quantity].
struct ProbeRequest {
  enum class Kind { Voltage, Current, Device };
  Kind kind = Kind::Voltage;
  std::string a, b;                 // Voltage: nodes (b empty: ground); Current: source name;
                                    // Device: instance name and quantity
  std::string label;                // canonical lower-case text: "v(a)", "v(a,b)", "i(v1)", "@d1[id]"
  Location where;
};

struct Options {
  double reltol = 1e-3;
  double abstol = 1e-12;            // A
  double vntol = 1e-6;              // V
  double gmin = 1e-12;              // S
  double tmax = 0;                  // s; 0: not given
  std::string method = "gear";      // accepted for compatibility; IDA is always variable-order BDF
  double temp = 27;                 // circuit temperature, degrees Celsius (.temp or .options temp=)
  double tnom = 27;                 // model parameter measurement temperature, degrees Celsius
  bool every_step = false;          // .options everystep: a transient row at every accepted step
};

struct InitialValue {
  std::string node;                 // flattened node name
  Number value;
};

struct Netlist {
  std::string title;
  std::vector<Element> elements;
  std::map<std::string, Model> models;
  std::vector<Analysis> analyses;   // in card order
  std::vector<ProbeRequest> outputs;  // empty: the default set
  std::vector<InitialValue> ic;     // .ic v(n)=value
  std::vector<InitialValue> nodeset;
  Options options;
  std::vector<std::string> warnings;  // "file:line:col: warning: ..." (ignored cards, options)
};

}  // namespace ns
