// XSPICE look-up tables (src/digital/): d_lut (one output) and d_genlut (a vector of
// outputs), both from the string table_values. The inputs, input 0 the least significant
// bit, index the table; d_genlut's output j reads the j-th block of 2^inputs entries.
// Entries are 0, 1, or U (written x, u or z; ngspice 39 gives a strong U for z, measured).
// An unknown input makes every output U. A change is posted rise_delay (to 1) or
// fall_delay (to 0) later, d_genlut's plus the largest input_delay among the inputs that
// changed.
#include <algorithm>

#include <fmt/format.h>

#include "digital/model.hpp"
#include "xspice.hpp"

namespace ns::digital {
namespace {

using Dir = PortSpec::Dir;

struct LutP {
  double rise_delay, fall_delay, input_load, input_delay;
};
constexpr Param<LutP> lut_params[] = {
    {"rise_delay", &LutP::rise_delay, 1e-9, above(0), inf, "s", "delay of an output change to 1"},
    {"fall_delay", &LutP::fall_delay, 1e-9, above(0), inf, "s", "delay of an output change to 0"},
    {"input_load", &LutP::input_load, 1e-12, 0, inf, "F", "input load (XSPICE's; no effect on timing)"},
    {"input_delay", &LutP::input_delay, 0, 0, inf, "s", "d_genlut: added to a change an input causes"},
};

template <bool general>
class Lut final : public DigitalModel {
public:
  static std::vector<PortSpec> spec() { return {{"in", Dir::In, true}, {"out", Dir::Out, general}}; }
  explicit Lut(const DeviceInput& in) : DigitalModel(in, spec()) {
    const std::size_t n = ports(0), m = ports(1);
    const LutP p = xspice::code_params(lut_params, in, general ? std::initializer_list<std::string_view>{"rise_delay", "fall_delay", "input_load", "input_delay"}
                                                               : std::initializer_list<std::string_view>{});
    const Location& where = in.model ? in.model->where : in.element.where;
    auto per = [&](std::string_view name, double fallback, std::size_t count) {
      std::vector<double> v = general ? xspice::vector_param(in, name, {fallback}) : std::vector<double>{fallback};
      if (v.size() == 1) v.assign(count, v[0]);
      if (v.size() != count)
        throw InputError(where, fmt::format("'{}' of '{}' has {} values for {} {}", name, in.model->name, v.size(),
                                            count, name == "input_delay" || name == "input_load" ? "inputs" : "outputs"));
      return v;
    };
    rise_ = per("rise_delay", p.rise_delay, m);
    fall_ = per("fall_delay", p.fall_delay, m);
    input_delay_ = per("input_delay", general ? 0.0 : 0.0, n);
    if (n > 20) throw InputError(in.element.where, fmt::format("'{}': a table of {} inputs is too large", name(), n));
    const std::string table = xspice::string_param(in, "table_values", "");
    if (table.size() != (std::size_t{1} << n) * m)
      throw InputError(where, fmt::format("table_values of '{}' has {} entries; {} input{} and {} output{} take {}",
                                          in.model ? in.model->name : name(), table.size(), n, n == 1 ? "" : "s", m,
                                          m == 1 ? "" : "s", (std::size_t{1} << n) * m));
    for (char c : table) {
      const auto k = std::string_view("01xuzXUZ").find(c);
      if (k == std::string_view::npos)
        throw InputError(where, fmt::format("table_values of '{}': '{}' is not 0, 1, x, u or z", in.model->name, c));
      table_.push_back(k == 0 ? Level::Zero : k == 1 ? Level::One : Level::Unknown);
    }
  }

  void reset_state() override { seen_.assign(ports(0), Level::Unknown); }

  void evaluate(Network&, double, bool init) override {
    const std::size_t n = ports(0);
    std::size_t index = 0;
    bool unknown = false;
    double extra = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const Level l = in(0, k);
      if (l != seen_[k] && !init) extra = std::max(extra, input_delay_[k]);
      seen_[k] = l;
      if (l == Level::Unknown) unknown = true;
      else if (l == Level::One) index |= std::size_t{1} << k;
    }
    for (std::size_t j = 0; j < ports(1); ++j) {
      const Level y = unknown ? Level::Unknown : table_[(j << n) + index];
      out(1, j, y, extra + edge_delay(posted(1, j), y, rise_[j], fall_[j]));
    }
  }

private:
  std::vector<double> rise_, fall_, input_delay_;
  std::vector<Level> table_, seen_;
};

}  // namespace

const bool d_lut_registered = register_model<Lut<false>>(
    {.type = "d_lut", .summary = "XSPICE look-up table: out = table_values[inputs as a binary number, input 0 lowest]",
     .terminals = {"in", "out"},
     .example = "A1 [a b] y and2\n.model and2 d_lut(table_values \"0001\")\n", .element = 'a',
     .event_nodes = event_nodes_of<Lut<false>>},
    lut_params);
const bool d_genlut_registered = register_model<Lut<true>>(
    {.type = "d_genlut", .summary = "XSPICE general look-up table: output j from the j-th block of table_values",
     .terminals = {"in", "out"},
     .example = "A1 [a b] [s c] ha\n.model ha d_genlut(table_values \"01100001\")\n", .element = 'a',
     .event_nodes = event_nodes_of<Lut<true>>},
    lut_params);

}  // namespace ns::digital
