// XSPICE filesource: outputs that follow a waveform read from a file. Each line of the file
// is a time and one value per output; between two lines the outputs are interpolated
// linearly (or, with amplstep=true, held at the earlier line's value). Each output is
// amploffset[k] + amplscale[k] * value, at the time timeoffset + timescale * t_file.
//
// What ngspice (39) does where the manual is silent, measured with our own decks
// (tests/sim/xspice_files_test.cpp), and followed here so that decks agree:
// - before the first line's time the outputs ramp (or, stepped, stay) from 0 at t = 0;
// - after the last line's time ngspice gives 0 on some files and holds the last values on
//   others (the same model, two of our decks): here they are held, as a PWL source holds
//   its last value;
// - timerelative=true does not make the times intervals, as the manual says: ngspice
//   reads them as absolute still and leaves timeoffset out. That is what is done here.
// The operating point takes the outputs at t = 0. The file's times are breakpoints of the
// transient, so that its steps stop on each corner.
#include <algorithm>

#include <fmt/format.h>

#include "xspice.hpp"

namespace ns::xspice {
namespace {

using Dir = ConnectionSpec::Dir;

struct FileP {
  double timeoffset, timescale, timerelative, amplstep;
};
constexpr Param<FileP> file_params[] = {
    {"timeoffset", &FileP::timeoffset, 0, -inf, inf, "s", "added to the file's times"},
    {"timescale", &FileP::timescale, 1, above(0), inf, "", "the file's times are multiplied by this"},
    {"timerelative", &FileP::timerelative, 0, 0, 1, "", "1: timeoffset is not added (as ngspice 39)"},
    {"amplstep", &FileP::amplstep, 0, 0, 1, "", "1: values are held from line to line, not interpolated"},
};

class Filesource final : public CodeModel {
public:
  explicit Filesource(const DeviceInput& in)
      : CodeModel(in, {{"out", Dir::Out, "v", true, "v vd i id"}}),
        p_(code_params(file_params, in, {"amploffset", "amplscale"})) {
    const Location& where = in.model ? in.model->where : in.element.where;
    const std::size_t n = ports(0);
    offset_ = vector_param(in, "amploffset", {});
    scale_ = vector_param(in, "amplscale", {});
    if (offset_.empty() || scale_.empty())
      throw InputError(where, "filesource needs amploffset=[...] and amplscale=[...] (one value per output; "
                              "ngspice has no default for them either)");
    offset_.resize(n, offset_.back());  // a shorter vector repeats its last value
    scale_.resize(n, scale_.back());
    const DataFile data = read_data_file(in, "file", "filesource.txt");
    const double shift = p_.timerelative ? 0.0 : p_.timeoffset;
    for (const DataLine& line : data.lines) {
      if (line.values.size() < n + 1)
        throw InputError(where, fmt::format("{}:{}: filesource '{}' needs a time and {} value{} on each line, has {} "
                                            "number{}",
                                            data.path, line.line, in.element.name, n, n == 1 ? "" : "s",
                                            line.values.size(), line.values.size() == 1 ? "" : "s"));
      const double t = shift + p_.timescale * line.values[0];
      if (!times_.empty() && t < times_.back())
        throw InputError(where, fmt::format("{}:{}: filesource times must not decrease ({:g} after {:g})", data.path,
                                            line.line, line.values[0], (times_.back() - shift) / p_.timescale));
      times_.push_back(t);
      for (std::size_t k = 0; k < n; ++k) values_.push_back(offset_[k] + scale_[k] * line.values[k + 1]);
    }
    if (times_.empty()) throw InputError(where, fmt::format("filesource: no data in '{}'", data.path));
    if (times_.front() > 0) {  // from 0 at t = 0
      times_.insert(times_.begin(), 0.0);
      values_.insert(values_.begin(), n, 0.0);
    }
  }

  void compute(const Eval& e, std::span<const double>, std::span<const double>, Work& w) const override {
    const double t = e.mode == Mode::Tran ? e.time : 0.0;
    const std::size_t n = w.y.size();
    if (t < times_.front()) return;  // 0 before the data
    if (t >= times_.back()) {
      for (std::size_t j = 0; j < n; ++j) w.y[j] = values_[values_.size() - n + j];
      return;
    }
    // the segment [times_[k], times_[k+1]) holding t
    const std::size_t k = static_cast<std::size_t>(std::upper_bound(times_.begin(), times_.end(), t) - times_.begin()) - 1;
    const double t0 = times_[k], t1 = times_[k + 1];
    const double f = p_.amplstep || t1 == t0 ? 0.0 : (t - t0) / (t1 - t0);
    for (std::size_t j = 0; j < n; ++j) w.y[j] = values_[k * n + j] + f * (values_[(k + 1) * n + j] - values_[k * n + j]);
  }

  void breakpoints(double from, double to, std::vector<double>& out) const override {
    for (double t : times_)
      if (t > from && t <= to) out.push_back(t);
  }

private:
  FileP p_;
  std::vector<double> offset_, scale_, times_, values_;  // values_: per time, one per output
};

}  // namespace

const bool filesource_registered = register_model<Filesource>(
    {.type = "filesource",
     .summary = "XSPICE filesource: outputs following a waveform file of lines 'time value1 value2 ...'",
     .terminals = {"out"},
     .example = "A1 %v([a b]) f\n.model f filesource(file=\"example-wave.txt\" amploffset=[0 0.1] amplscale=[1 2] "
                "timescale=2)\n",
     .element = 'a'},
    file_params);

}  // namespace ns::xspice
