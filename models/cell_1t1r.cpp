// 1T1R synapse cell: an HfOx RRAM (TYPE hfox) in series with its access NMOS (level 1,
// TYPE nmos), as one three-terminal device
//
//     Nname wl bl sl MODEL [gap=...] [m_w=...] ...
//
//     bl ──[RRAM te→be]── n#m ──[NMOS d, gate wl, s]── sl        (NMOS bulk on sl)
//
// wl is the transistor's gate (word line), bl the RRAM's top electrode (bit line), sl the
// transistor's source (source line); n#m is the internal node between the RRAM's bottom
// electrode and the drain. Set drives bl positive; reset drives sl positive (opposite
// polarity across the RRAM), the gate limiting the current (compliance).
//
// The two parts are the registered hfox and nmos devices themselves, built from this
// cell's card and set up on the cell's nodes: no equation is repeated here. One .model
// card carries both parameter sets: RRAM parameters by their plain hfox names, transistor
// parameters with the prefix m_ (m_vto, m_kp, m_lambda...; also m_w and m_l, which the
// nmos card only takes on instances, may sit on this card as the cell's defaults). `gap`
// and m_w/m_l may be given per instance. States and probes are the parts': the RRAM's
// under their own names (@n[gap], @n[t], ...), the transistor's prefixed (@n[m_id], ...).
#include <deque>
#include <memory>

#include "circuit/registry.hpp"

namespace ns {
namespace {

constexpr std::string_view prefix = "m_";

bool is_transistor(std::string_view name) { return name.substr(0, prefix.size()) == prefix; }

const DeviceType& part_type(std::string_view type) {
  const DeviceType* t = find_device_type(type);
  if (!t) throw std::logic_error("hfox1t1r: device type '" + std::string(type) + "' is not registered");
  return *t;
}

bool instance_only(std::string_view type_name, std::string_view name) {
  // Asked for every parameter of every cell: the two parts' tables are built once.
  static const std::vector<ParamInfo> hfox = part_type("hfox").params(), nmos = part_type("nmos").params();
  for (const auto& row : type_name == "hfox" ? hfox : nmos)
    if (row.name == name) return row.scope == Scope::Instance;
  return false;
}

// One part's share of the cell's .model card: the part's own .model card (parameters
// renamed to the part's names), and the card's parameters that the part takes only on
// instances (the nmos's w and l), which go on every cell's part element. The same for
// every cell of one card, so made once per card in a circuit (DeviceInput::shared): a
// 256x256 array made them 65536 times.
struct Part {
  Model model;
  std::vector<Assignment> instance;
};
struct Parts {
  Part rram, mos;
};

Part part_of(const Model* card, std::string_view type_name, bool transistor) {
  Part part;
  part.model.type = std::string(type_name);
  if (!card) return part;
  part.model.name = card->name;
  part.model.where = card->where;
  part.model.type_where = card->type_where;
  for (const auto& a : card->params) {
    if (a.name == "level" || is_transistor(a.name) != transistor) continue;
    Assignment renamed = a;
    if (transistor) renamed.name = a.name.substr(prefix.size());
    (instance_only(type_name, renamed.name) ? part.instance : part.model.params).push_back(std::move(renamed));
  }
  return part;
}

std::shared_ptr<const Parts> parts_of(const DeviceInput& in) {
  auto make = [&] { return std::make_shared<const Parts>(Parts{part_of(in.model, "hfox", false), part_of(in.model, "nmos", true)}); };
  if (!in.shared) return make();
  std::shared_ptr<const void>& slot = (*in.shared)[in.model];
  if (!slot) slot = make();
  return std::static_pointer_cast<const Parts>(slot);
}

// A part's element: the cell's name and place, the card's instance-only parameters, then
// the cell's own parameters meant for the part (renamed), so that these win.
Element part_element(const DeviceInput& in, const Part& part, bool transistor) {
  Element e;
  e.kind = in.element.kind;
  e.name = in.element.name;
  e.where = in.element.where;
  e.params.reserve(part.instance.size() + in.element.params.size());
  e.params = part.instance;
  for (const auto& a : in.element.params) {
    if (is_transistor(a.name) != transistor) continue;
    e.params.push_back(a);
    if (transistor) e.params.back().name = a.name.substr(prefix.size());
  }
  return e;
}

class Cell1t1r final : public Device {
public:
  explicit Cell1t1r(const DeviceInput& in) : Device(in.element.name, in.element.where), parts_(parts_of(in)) {
    static const DeviceType &hfox = part_type("hfox"), &nmos = part_type("nmos");
    const Element r = part_element(in, parts_->rram, false), m = part_element(in, parts_->mos, true);
    rram_ = hfox.make({r, &parts_->rram.model, {}});
    mos_ = nmos.make({m, &parts_->mos.model, {}});
  }

  void setup(Setup& s) override {
    const Unknown wl = s.terminal(0), bl = s.terminal(1), sl = s.terminal(2);
    const Unknown mid = s.internal_node("m");
    Setup rram = s.with_terminals({bl, mid});
    rram_->setup(rram);
    Setup mos = s.with_terminals({mid, wl, sl, sl});
    mos_->setup(mos);
  }

  void topology(Topology& t) const override {
    rram_->topology(t);
    mos_->topology(t);
  }

  void load(const Eval& ev, Load& ld) const override {
    rram_->load(ev, ld);
    mos_->load(ev, ld);
  }

  double limit(const Eval& accepted, const Eval& proposed) const override {
    return std::min(rram_->limit(accepted, proposed), mos_->limit(accepted, proposed));
  }

  double quantity(std::size_t k, const Eval& ev) const override {
    const std::size_t n = rram_->quantities().size();
    return k < n ? rram_->quantity(k, ev) : mos_->quantity(k - n, ev);
  }

private:
  std::shared_ptr<const Parts> parts_;  // the parts' cards, kept while the parts live
  std::unique_ptr<Device> rram_, mos_;
};

// The parts' tables under the cell's names. ParamInfo and QuantityInfo hold views: the
// prefixed names live in `names`.
std::deque<std::string> names;
std::string_view prefixed(std::string_view name) {
  names.push_back(std::string(prefix) + std::string(name));
  return names.back();
}

std::vector<ParamInfo> cell_params() {
  std::vector<ParamInfo> rows = part_type("hfox").params();
  for (ParamInfo row : part_type("nmos").params()) {
    if (row.name == "vt0" || row.name == "uo") continue;  // aliases
    row.name = prefixed(row.name);
    if (row.scope == Scope::Instance) row.scope = Scope::Both;
    rows.push_back(row);
  }
  return rows;
}

std::vector<QuantityInfo> cell_probes() {
  std::vector<QuantityInfo> rows = part_type("hfox").probes();
  for (QuantityInfo row : part_type("nmos").probes()) {
    row.name = prefixed(row.name);
    rows.push_back(row);
  }
  return rows;
}

const bool registered = register_device_type({
    "hfox1t1r", "1T1R synapse: HfOx RRAM (hfox) on a level-1 NMOS (m_ parameters); state gap [nm]",
    {"wl", "bl", "sl"}, {},
    [] {
      static const std::vector<ParamInfo> rows = cell_params();
      return rows;
    },
    [] { return part_type("hfox").states(); },
    [] {
      static const std::vector<QuantityInfo> rows = cell_probes();
      return rows;
    },
    [](const DeviceInput& in) { return std::make_unique<Cell1t1r>(in); },
    "N1 wl bl sl cell\n.model cell hfox1t1r gap=1.4n m_vto=1 m_kp=100u m_w=1u m_l=1u\n", 'n'});

}  // namespace
}  // namespace ns
