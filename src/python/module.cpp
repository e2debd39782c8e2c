// _neurospice, the binding under the neurospice Python package (issue 22): a run whose
// analyses write into columns in memory, handed to numpy without a copy; errors with
// their fields; the GIL released while simulating, retaken only for Ctrl-C and progress.
// neurospice/__init__.py builds the DataFrames and the exception classes on top.
#include <pybind11/complex.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <complex>
#include <optional>

#include <fmt/format.h>

#include "analysis/analysis.hpp"
#include "analysis/run.hpp"
#include "circuit/params.hpp"
#include "circuit/registry.hpp"

namespace py = pybind11;

namespace ns {
namespace {

// One analysis' rows as columns, a std::vector each, which numpy takes over as they are.
// A stepped run's points follow one another with their step values in the first
// columns, as in the command line's CSV. A complex plot (.ac, .pz) keeps its vectors
// complex, as a raw file does, not the CSV's parts (vm, vp): numpy's complex128, with
// the frequency scale real.
class ColumnSink : public TraceSink {
public:
  struct Column {
    bool is_complex = false;
    std::vector<double> real;
    std::vector<std::complex<double>> complex;
  };

  explicit ColumnSink(std::string kind) : kind(std::move(kind)) {}
  void begin(const std::vector<std::string>& columns, const std::vector<std::string>& units) override {
    start(columns, units, std::vector<bool>(columns.size(), false));
  }
  void row(std::span<const double> values) override {
    std::size_t c = 0;
    for (double v : plot_values_) data[c++].real.push_back(v);
    for (double v : values) data[c++].real.push_back(v);
  }
  void begin_complex(const std::vector<std::string>& vectors, const std::vector<std::string>& units,
                     const std::vector<RealPart>&) override {
    std::vector<bool> is_complex(vectors.size(), true);
    if (!vectors.empty() && vectors[0] == "frequency") is_complex[0] = false;  // .ac's real scale
    start(vectors, units, is_complex);
  }
  void complex_row(std::span<const std::complex<double>> values) override {
    std::size_t c = 0;
    for (double v : plot_values_) data[c++].real.push_back(v);
    for (std::complex<double> z : values) {
      Column& column = data[c++];
      if (column.is_complex)
        column.complex.push_back(z);
      else
        column.real.push_back(z.real());
    }
  }
  void finish() override {}
  std::size_t rows_written() const override {
    return data.empty() ? 0 : data[0].is_complex ? data[0].complex.size() : data[0].real.size();
  }

  std::string kind;
  std::vector<std::string> names, units;
  std::vector<Column> data;

private:
  void start(const std::vector<std::string>& columns, const std::vector<std::string>& column_units,
             const std::vector<bool>& is_complex) {
    std::vector<std::string> all = plot_names_;
    all.insert(all.end(), columns.begin(), columns.end());
    if (!names.empty()) {
      if (all != names) throw SimulationError(fmt::format("the {} columns differ between .step points", kind));
      return;
    }
    names = std::move(all);
    units.assign(plot_names_.size(), "");
    for (std::size_t k = 0; k < columns.size(); ++k) units.push_back(k < column_units.size() ? column_units[k] : "");
    data.resize(names.size());
    for (std::size_t k = 0; k < columns.size(); ++k) data[plot_names_.size() + k].is_complex = is_complex[k];
  }
};

// numpy owns the vector from here on: no copy of its values.
template <class T>
py::array_t<T> take(std::vector<T>&& values) {
  auto* owned = new std::vector<T>(std::move(values));
  py::capsule base(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(owned->size()), owned->data(), base);
}

py::object package_attr(const char* name) { return py::module_::import("neurospice").attr(name); }

[[noreturn]] void raise(py::object type, py::tuple args) {
  PyErr_SetObject(type.ptr(), args.ptr());
  throw py::error_already_set();
}

// A run of `netlist` (a path, or the deck's text named `name`); returns {"tables": [(kind,
// names, units, arrays)], "measures": ..., "messages": [...]}.
py::dict simulate(const std::string& netlist, const std::optional<std::string>& text,
                  const std::map<std::string, double>& params, unsigned jobs, std::optional<std::uint64_t> seed, bool every_step,
                  py::object progress) {
  std::vector<ColumnSink*> sinks;  // owned by the run's result
  RunOptions options;
  options.output.netlist = netlist;
  options.jobs = jobs;
  options.seed = seed.value_or(1);
  options.seed_given = seed.has_value();
  options.every_step = every_step;
  options.stats = true;  // the integrator's counters, for result.stats
  if (text) options.text = *text;
  options.params = params;
  options.sink = [&sinks](std::size_t, const std::string& kind) {
    auto sink = std::make_unique<ColumnSink>(kind);
    sinks.push_back(sink.get());
    return sink;
  };
  // The events come on this thread (the run polls from it while the workers simulate),
  // without the GIL: each takes it for as long as it talks to Python.
  std::vector<std::string> messages;
  std::optional<py::error_already_set> python_error;  // Ctrl-C, or the progress callback raised
  const RunEvents events{
      .message = [&](const std::string& line) { messages.push_back(line); },
      .progress = [&](double fraction, const std::string& detail) {
        if (progress.is_none() || python_error) return;
        py::gil_scoped_acquire gil;
        try {
          progress(fraction, detail);
        } catch (py::error_already_set& e) {
          python_error = std::move(e);
        }
      },
      .interrupted = [&] {
        if (python_error) return true;
        py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0) python_error.emplace();  // takes the KeyboardInterrupt over
        return python_error.has_value();
      }};
  RunResult result;
  std::exception_ptr failure;
  {
    py::gil_scoped_release released;
    try {
      result = run(options, events);
    } catch (...) {
      failure = std::current_exception();
    }
  }
  if (python_error) throw *python_error;
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const InputError& e) {
      const Location& w = e.where();
      raise(package_attr("NetlistError"),
            py::make_tuple(e.message(), w.file ? py::object(py::str(*w.file)) : py::none(),
                           w.line ? py::object(py::int_(w.line)) : py::none(),
                           w.column ? py::object(py::int_(w.column)) : py::none(), messages));
    } catch (const Interrupted& e) {
      raise(py::reinterpret_borrow<py::object>(PyExc_KeyboardInterrupt), py::make_tuple(e.what()));
    } catch (const SimulationError& e) {
      raise(package_attr("SimulationError"),
            py::make_tuple(e.what(), std::isnan(e.time()) ? py::object(py::none()) : py::float_(e.time()),
                           e.culprit().empty() ? py::object(py::none()) : py::str(e.culprit()), messages));
    } catch (const std::exception& e) {
      raise(package_attr("SimulationError"), py::make_tuple(e.what(), py::none(), py::none(), messages));
    }
  }

  py::list tables;
  for (ColumnSink* s : sinks) {
    py::list arrays;
    for (auto& column : s->data) {
      if (column.is_complex)
        arrays.append(take(std::move(column.complex)));
      else
        arrays.append(take(std::move(column.real)));
    }
    tables.append(py::make_tuple(s->kind, s->names, s->units, arrays));
  }
  py::dict out;
  out["tables"] = tables;
  out["messages"] = messages;
  if (!result.measure_names.empty()) {  // stepped: a row per point, step columns first
    const TraceTable& t = result.measure_table;
    py::dict columns;
    for (std::size_t c = 0; c < t.columns().size(); ++c) {
      std::vector<double> values;
      for (const auto& row : t.rows()) values.push_back(row.at(c));
      columns[py::str(t.columns()[c])] = take(std::move(values));
    }
    out["measure_rows"] = columns;
  } else {
    py::dict measures;  // name -> value, or (None, why) when it could not be measured
    for (const auto& m : result.measures)
      measures[py::str(m.name)] = m.value ? py::object(py::float_(*m.value)) : py::make_tuple(py::none(), m.failure);
    out["measures"] = measures;
  }
  return out;
}

// A device type's parameter table, as columns, and what else --describe prints.
py::dict describe_type(const std::string& type) {
  const DeviceType* t = find_device_type(type);
  if (!t) {
    std::vector<std::string> known;
    for (const DeviceType* d : device_types()) known.emplace_back(d->type);
    throw py::key_error(fmt::format("no device type '{}' (known: {})", type, fmt::join(known, ", ")));
  }
  py::list name, unit, fallback, lo, lo_open, hi, hi_open, scope, doc;
  for (const ParamInfo& p : t->params ? t->params() : std::vector<ParamInfo>{}) {
    name.append(std::string(p.name));
    unit.append(std::string(p.unit));
    fallback.append(p.fallback);
    lo.append(p.lo.value);
    lo_open.append(p.lo.open);
    hi.append(p.hi.value);
    hi_open.append(p.hi.open);
    scope.append(p.scope == Scope::Model ? "model" : p.scope == Scope::Instance ? "instance" : "both");
    doc.append(std::string(p.doc));
  }
  py::dict columns;
  columns["name"] = name;
  columns["unit"] = unit;
  columns["default"] = fallback;
  columns["min"] = lo;
  columns["min_open"] = lo_open;
  columns["max"] = hi;
  columns["max_open"] = hi_open;
  columns["scope"] = scope;
  columns["doc"] = doc;
  py::dict out;
  out["params"] = columns;
  out["summary"] = std::string(t->summary);
  std::vector<std::string> terminals(t->terminals.begin(), t->terminals.end());
  out["terminals"] = terminals;
  out["text"] = describe_device_type(*t);
  return out;
}

std::vector<std::string> types() {
  std::vector<std::string> out;
  for (const DeviceType* d : device_types()) out.emplace_back(d->type);
  return out;
}

}  // namespace
}  // namespace ns

PYBIND11_MODULE(_neurospice, m) {
  m.doc() = "neurospice's binding; use the neurospice package";
  m.def("run", &ns::simulate, py::arg("netlist"), py::arg("text"), py::arg("params"), py::arg("jobs"),
        py::arg("seed"), py::arg("every_step"), py::arg("progress"));
  m.def("describe", &ns::describe_type, py::arg("type"));
  m.def("types", &ns::types);
  m.attr("version") = NS_PY_VERSION;
}
