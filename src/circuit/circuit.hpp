#pragma once
// Circuit: the flat device list built from a Netlist through the registry, with its
// unknowns numbered and its Jacobian non-zeros declared. Building runs every device's
// setup() and the topology checks; any problem is an InputError located on the card.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "circuit/device.hpp"
#include "netlist/netlist.hpp"

namespace ns {

// A state whose row Load::hold replaces (Hold): its value and the entries of its row.
struct HeldState {
  Unknown unknown;
  Hold hold;
  double value;
  std::vector<Entry> row;
  Entry diagonal = no_entry;
};

// What Setup writes into: the unknowns and the declared non-zeros.
struct CircuitTables {
  std::vector<UnknownInfo> unknowns;
  // (row, col) of each Entry. A position declared twice has two Entries; the System
  // gives them one slot of the sparse matrix (loads add).
  std::vector<std::pair<Unknown, Unknown>> entries;
  std::map<std::string, Unknown, std::less<>> nodes;         // node name -> unknown
  std::map<std::string, Unknown, std::less<>> branches;      // device name -> its current
  std::map<std::string, std::vector<std::pair<std::string, Unknown>>, std::less<>> states;
  // Inductors by device name (their branch current and inductance), and the mutual
  // inductances K cards put between them: Setup::inductor, Setup::couple.
  std::map<std::string, std::pair<Unknown, double>, std::less<>> inductors;
  struct Mutual { std::string a, b; double m; std::string device; Location where; };
  std::vector<Mutual> mutuals;
  std::vector<HeldState> held;
  std::vector<int> held_index;  // by unknown: its index in `held`, -1 (or past the end) if none
  // Transient device noise (transient_noise.hpp): on for every device that leaves its
  // `noise` unset (.options trnoise), drawn from this stream.
  bool noise_all = false;
  std::uint64_t noise_stream = 0;
  // What the devices of one circuit share by kind, made by the first that asks
  // (Setup::part): the digital network its digital code models post events on.
  std::map<std::string, std::shared_ptr<void>, std::less<>> parts;

  // Declare the non-zero (row, col).
  Entry entry(Unknown row, Unknown col);
  // Hold state u (declared before any entry of its row) at `value` (Hold).
  void hold(Unknown u, Hold hold, double value);
};

class Circuit {
public:
  explicit Circuit(const Netlist& netlist);

  std::size_t size() const { return tables_.unknowns.size(); }
  const CircuitTables& tables() const { return tables_; }
  const std::vector<std::unique_ptr<Device>>& devices() const { return devices_; }
  // The rows devices()[k] loads (its terminals, the unknowns it claimed, the rows of the
  // entries it declared), sorted: loads of devices with disjoint rows may run at once.
  const std::vector<Unknown>& rows_of(std::size_t k) const { return rows_of_[k]; }
  // The Entries devices()[k] declared in its setup: [first, second). A device loads only
  // these, so only their positions of G and C can change with it.
  std::pair<Entry, Entry> entries_of(std::size_t k) const { return entries_of_[k]; }
  Device* find_device(std::string_view name) const;  // null when none
  // The registry type of devices()[k]: "r", "d", "nbox", ... (for messages).
  std::string_view device_type(std::size_t k) const { return types_[k]; }
  // The unknown of a node (ground for "0"/"gnd"); an InputError at `where` when none.
  Unknown node(const std::string& name, const Location& where) const;
  const Options& options() const { return options_; }
  // "file:line:col: warning: ..." from building the devices (ignored .model parameters).
  const std::vector<std::string>& warnings() const { return warnings_; }

  // The first guess for OP (and the uic start): states at rest, nodes at 0.
  std::vector<double> rest_state() const;

private:
  CircuitTables tables_;
  std::vector<std::unique_ptr<Device>> devices_;
  std::vector<std::string_view> types_;  // parallel to devices_
  std::vector<std::vector<Unknown>> rows_of_;  // parallel to devices_
  std::vector<std::pair<Entry, Entry>> entries_of_;  // parallel to devices_
  std::map<std::string, Device*, std::less<>> by_name_;
  Options options_;
  std::vector<std::string> warnings_;
  std::shared_ptr<const Netlist> bridged_;  // the netlist with its auto-bridges, when it needs any
};

bool is_ground(std::string_view node);  // "0" or "gnd"

struct DeviceType;
// The registry entry a .model card builds its elements from: the entry of its type, or a
// "type level=N" entry for its level, or "d ideal" for a D model with LTspice's idealised
// diode parameters; null when there is none.
const DeviceType* registered_type_of(const Model& model);

// The inductance matrix of the inductors K cards couple should be positive semidefinite
// (passive); a warning at a K card otherwise (|k| > 1, a negative L): ngspice 39 says so
// and simulates. Run once every device is set up.
void check_mutual_inductances(const CircuitTables& tables, std::vector<std::string>& warnings);

}  // namespace ns
