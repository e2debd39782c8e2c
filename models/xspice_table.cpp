// XSPICE table2D and table3D: an output read from a table of values over a grid of two (or
// three) inputs, in a file: the number of x, y (and z) points, the x, y (and z) values,
// each increasing, then the table, for each z (3D) a row of x values for each y. Between
// grid points the table is interpolated linearly in each input (bilinear, trilinear);
// beyond the grid each input is held at its end. out = offset + gain * table(inputs).
//
// ngspice interpolates the same way for the value, and takes the Jacobian from its own
// smoother (ENO) fit; here it is the exact derivative of the interpolant, so Newton
// converges to the same points. `order` and `verbose` only shape ngspice's fit and print,
// and are accepted and not used.
#include <algorithm>

#include <fmt/format.h>

#include "xspice.hpp"

namespace ns::xspice {
namespace {

using Dir = ConnectionSpec::Dir;

struct TableP {
  double order, verbose, offset, gain;
};
constexpr Param<TableP> table_params[] = {
    {"order", &TableP::order, 3, 0, inf, "", "order of ngspice's derivative fit (not used)"},
    {"verbose", &TableP::verbose, 0, 0, inf, "", "ngspice's test output (not used)"},
    {"offset", &TableP::offset, 0, -inf, inf, "", "added to the table's value"},
    {"gain", &TableP::gain, 1, -inf, inf, "", "the table's value is multiplied by this"},
};

template <std::size_t D>  // D = 2 or 3 inputs
class Table final : public CodeModel {
public:
  explicit Table(const DeviceInput& in)
      : CodeModel(in, spec()), p_(code_params(table_params, in, {})) {
    const Location& where = in.model ? in.model->where : in.element.where;
    const DataFile data = read_data_file(in, "file", D == 2 ? "2D-table-model.txt" : "3D-table-model.txt");
    std::vector<double> all;
    for (const DataLine& l : data.lines) all.insert(all.end(), l.values.begin(), l.values.end());
    std::size_t at = 0;
    auto need = [&](std::size_t count, std::string_view what) {
      if (all.size() - at < count)
        throw InputError(where, fmt::format("table{}D file '{}' ends before its {} ({} numbers missing)", D,
                                            data.path, what, count - (all.size() - at)));
    };
    need(D, "sizes");
    std::size_t size[D];
    for (std::size_t d = 0; d < D; ++d) {
      const double s = all[at++];
      if (!(s >= 2) || s != static_cast<double>(static_cast<std::size_t>(s)))
        throw InputError(where, fmt::format("table{}D file '{}': the number of {} points must be a whole number, at "
                                            "least 2 (is {:g})",
                                            D, data.path, "xyz"[d], s));
      size[d] = static_cast<std::size_t>(s);
    }
    for (std::size_t d = 0; d < D; ++d) {
      need(size[d], fmt::format("{} values", "xyz"[d]));
      axis_[d].assign(all.begin() + static_cast<std::ptrdiff_t>(at), all.begin() + static_cast<std::ptrdiff_t>(at + size[d]));
      at += size[d];
      for (std::size_t k = 1; k < size[d]; ++k)
        if (!(axis_[d][k] > axis_[d][k - 1]))
          throw InputError(where, fmt::format("table{}D file '{}': the {} values must increase ({:g} after {:g})", D,
                                              data.path, "xyz"[d], axis_[d][k], axis_[d][k - 1]));
    }
    std::size_t cells = 1;
    for (std::size_t d = 0; d < D; ++d) cells *= size[d];
    need(cells, "table");
    values_.assign(all.begin() + static_cast<std::ptrdiff_t>(at), all.begin() + static_cast<std::ptrdiff_t>(at + cells));
    if (all.size() > at + cells)
      throw InputError(where, fmt::format("table{}D file '{}' has {} numbers after its table of {}", D, data.path,
                                          all.size() - at - cells, cells));
  }

  void compute(const Eval&, std::span<const double> in, std::span<const double>, Work& w) const override {
    // Per input: the cell's lower index, the fraction across it and its d/dinput.
    std::size_t lo[D];
    double f[D], df[D];
    for (std::size_t d = 0; d < D; ++d) {
      const auto& a = axis_[d];
      const double x = in[d];
      if (x <= a.front() || x >= a.back()) {  // held at the end
        lo[d] = x <= a.front() ? 0 : a.size() - 2;
        f[d] = x <= a.front() ? 0.0 : 1.0;
        df[d] = 0;
        continue;
      }
      lo[d] = static_cast<std::size_t>(std::upper_bound(a.begin(), a.end(), x) - a.begin()) - 1;
      const double h = a[lo[d] + 1] - a[lo[d]];
      f[d] = (x - a[lo[d]]) / h;
      df[d] = 1 / h;
    }
    // Sum over the cell's corners of weight * value, the weight a product of (f or 1 - f).
    double y = 0, dy[D] = {};
    for (std::size_t c = 0; c < (1u << D); ++c) {
      std::size_t index = 0, stride = 1;
      double weight = 1;
      for (std::size_t d = 0; d < D; ++d) {
        const bool up = (c >> d) & 1;
        index += (lo[d] + up) * stride;
        stride *= axis_[d].size();
        weight *= up ? f[d] : 1 - f[d];
      }
      const double v = values_[index];
      y += weight * v;
      for (std::size_t d = 0; d < D; ++d) dy[d] += derivative(c, d, f, df) * v;
    }
    w.y[0] = p_.offset + p_.gain * y;
    for (std::size_t d = 0; d < D; ++d) w.dy_din[d] = p_.gain * dy[d];
  }

private:
  static std::vector<ConnectionSpec> spec() {
    constexpr std::string_view inputs = "v vd i id vnam";
    std::vector<ConnectionSpec> s = {{"inx", Dir::In, "v", false, inputs}, {"iny", Dir::In, "v", false, inputs}};
    if (D == 3) s.push_back({"inz", Dir::In, "v", false, inputs});
    s.push_back({"out", Dir::Out, "i", false, "v vd i id"});
    return s;
  }
  // d/d input d of corner c's weight: the product over inputs of (f or 1 - f), input d's
  // factor replaced by its slope.
  static double derivative(std::size_t c, std::size_t d, const double* f, const double* df) {
    double p = 1;
    for (std::size_t e = 0; e < D; ++e) {
      const bool up = (c >> e) & 1;
      p *= e == d ? (up ? df[e] : -df[e]) : (up ? f[e] : 1 - f[e]);
    }
    return p;
  }

  TableP p_;
  std::vector<double> axis_[D];
  std::vector<double> values_;  // x fastest, then y, then z
};

}  // namespace

const bool table2d_registered = register_model<Table<2>>(
    {.type = "table2d",
     .summary = "XSPICE table2D: out = offset + gain * f(inx, iny), f interpolated bilinearly in a table file",
     .terminals = {"inx", "iny", "out"},
     .example = "A1 a b c t\n.model t table2d(file=\"example-2d.table\" gain=1e-3)\n", .element = 'a'},
    table_params);
const bool table3d_registered = register_model<Table<3>>(
    {.type = "table3d",
     .summary = "XSPICE table3D: out = offset + gain * f(inx, iny, inz), f interpolated trilinearly in a table file",
     .terminals = {"inx", "iny", "inz", "out"},
     .example = "A1 a b c d t\n.model t table3d(file=\"example-3d.table\" gain=1e-3)\n", .element = 'a'},
    table_params);

}  // namespace ns::xspice
