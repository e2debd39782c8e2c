// XSPICE d_ram (src/digital/): a static RAM of 2^(address bits) words as wide as
// data_in. The address is read least significant bit first; the RAM is selected while
// each select input equals its bit of select_value (least significant first). Its
// outputs, read_delay after any input changes:
//   not selected           U at hi-impedance (Uz); while write_en is 1, unchanged
//   selected, write_en 1   the word at the address takes data_in; the outputs show
//                          data_in at hi-impedance (0z, 1z)
//   selected, write_en 0   the word at the address, strong
// A word starts at ic (0, 1, or 2 for U). An unknown address reads U and writes nothing;
// an unknown write_en reads U. (Measured against ngspice 39.)
#include <fmt/format.h>

#include "digital/model.hpp"
#include "xspice.hpp"

namespace ns::digital {
namespace {

using Dir = PortSpec::Dir;

struct RamP {
  double select_value, ic, read_delay, load;
};
constexpr Param<RamP> ram_params[] = {
    {"select_value", &RamP::select_value, 1, 0, 32767, "", "select inputs (least significant first) that select it"},
    {"ic", &RamP::ic, 2, 0, 2, "", "initial content of every bit: 0, 1 or 2 (U)"},
    {"read_delay", &RamP::read_delay, 100e-9, above(0), inf, "s", "delay from an input change to the outputs"},
    {"data_load", &RamP::load, 1e-12, 0, inf, "F", "input loads (XSPICE's; no effect on timing)"},
    {"address_load", &RamP::load, 1e-12, 0, inf, "F", ""},
    {"select_load", &RamP::load, 1e-12, 0, inf, "F", ""},
    {"enable_load", &RamP::load, 1e-12, 0, inf, "F", ""},
};

class Ram final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() {
    return {{"data_in", Dir::In, true}, {"data_out", Dir::Out, true}, {"address", Dir::In, true},
            {"write_en"}, {"select", Dir::In, true}};
  }
  explicit Ram(const DeviceInput& in) : DigitalModel(in, spec()), p_(xspice::code_params(ram_params, in, {})) {
    if (ports(0) != ports(1))
      throw InputError(in.element.where, fmt::format("'{}' has {} data inputs and {} data outputs; d_ram needs as many",
                                                     name(), ports(0), ports(1)));
    if (ports(2) > 20)
      throw InputError(in.element.where, fmt::format("'{}': {} address bits; d_ram takes at most 20", name(), ports(2)));
    const Location& where = in.model ? in.model->where : in.element.where;
    if (p_.ic != 0 && p_.ic != 1 && p_.ic != 2)
      throw InputError(where, fmt::format("'{}': ic must be 0, 1 or 2 (U), not {:g}", name(), p_.ic));
  }

  void reset_state() override {
    const Level l = p_.ic == 0 ? Level::Zero : p_.ic == 1 ? Level::One : Level::Unknown;
    memory_.assign(ports(1) << ports(2), l);
  }

  void evaluate(Network&, double, bool init) override {
    const double delay = init ? 0 : p_.read_delay;
    const unsigned long select = static_cast<unsigned long>(p_.select_value);
    bool selected = true;
    for (std::size_t j = 0; j < ports(4); ++j)
      selected = selected && in(4, j) == ((select >> j) & 1 ? Level::One : Level::Zero);
    long address = 0;
    for (std::size_t j = 0; j < ports(2) && address >= 0; ++j) {
      const Level l = in(2, j);
      if (l == Level::Unknown) address = -1;
      else if (l == Level::One) address |= 1L << j;
    }
    const Level write = in(3);
    const std::size_t width = ports(1);
    for (std::size_t j = 0; j < width; ++j) {
      if (!selected) {
        if (write != Level::One) out(1, j, Level::Unknown, delay, Strength::HiZ);
      } else if (write == Level::One) {
        if (address >= 0) memory_[static_cast<std::size_t>(address) * width + j] = in(0, j);
        out(1, j, in(0, j), delay, Strength::HiZ);
      } else if (write == Level::Zero && address >= 0) {
        out(1, j, memory_[static_cast<std::size_t>(address) * width + j], delay);
      } else {
        out(1, j, Level::Unknown, delay);
      }
    }
  }

private:
  RamP p_;
  std::vector<Level> memory_;
};

}  // namespace

const bool d_ram_registered = register_model<Ram>(
    {.type = "d_ram", .summary = "XSPICE digital RAM: data_in written at address while write_en and select, else read",
     .terminals = {"data_in", "data_out", "address", "write_en", "select"},
     .example = "A1 [d0 d1] [q0 q1] [a0] we [cs] ram\n.model ram d_ram(select_value=1 ic=0 read_delay=2n)\n",
     .element = 'a', .event_nodes = event_nodes_of<Ram>},
    ram_params);

}  // namespace ns::digital
