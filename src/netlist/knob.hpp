#pragma once
// Knobs (netlist.hpp): one way to name "set X to a value" for .dc, .step and the control
// language's alter/alterparam. A card names a knob; read_knob resolves it once against
// the elaborated netlist; set_knobs applies values to a netlist, the one place that
// knows what setting each kind of knob means.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "netlist/netlist.hpp"

namespace ns {

// The spellings a card accepts (and the messages it gives): .dc sweeps a source, a
// .param by bare name, temp, MODEL(P) or @DEVICE[P]; .step (LTspice) wants `param X` for
// a .param, and a bare name is a source.
enum class KnobCard { Dc, Step };

// Reads the knob at args[k] (after an optional "param"), moving k past it. InputError
// at the card when the target does not exist in `netlist`.
Knob read_knob(const Netlist& netlist, const ControlCard& card, std::size_t& k, KnobCard syntax);

// The points of a sweep: `type` lin (start stop step), dec or oct (start stop points per
// decade or octave) or list (the values), in sweep order.
std::vector<double> sweep_points(std::string_view type, const std::vector<const CardArg*>& values);

// Sets knobs to values in `netlist`: a .param knob elaborates the deck again (with the
// .param values set so far, the same random stream, and the other knobs set so far
// applied again); the others change the netlist in place: the temperature, a source's DC
// value, a model parameter (on the model and on every per-device copy of it) or an
// instance parameter (the last name=value of its name, so it wins over a positional
// value). Range checks are left to the device factories. A target missing from
// `netlist` is an InputError at the knob's card.
void set_knobs(Netlist& netlist, std::span<const std::pair<Knob, double>> values);
// The deck elaborated with knobs set (elaborate() with the .param knobs as overrides,
// then set_knobs with the others): a .step point, a Monte Carlo run with its stream.
// `params`: .param values the whole run replaces (the Python module's), under the knobs.
Netlist elaborate_at(const Deck& deck, std::span<const std::pair<Knob, double>> knobs,
                     std::optional<std::uint64_t> random_stream, const std::map<std::string, double>& params = {});
void set_knob(Netlist& netlist, const Knob& knob, double value);

}  // namespace ns
