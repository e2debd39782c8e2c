#include "output/files.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>

namespace ns {

Format format_of(const OutputRequest& request) {
  if (request.format == "raw") return Format::Raw;
  if (request.format == "ascii") return Format::Ascii;
  if (request.format.empty() && std::filesystem::path(request.path).extension() == ".raw") return Format::Raw;
  return Format::Csv;
}

OutputPaths output_paths(const OutputRequest& request, const std::vector<std::string>& kinds, bool stepped) {
  std::map<std::string, int> total, seen;
  for (const auto& kind : kinds) ++total[kind];
  const bool given = !request.path.empty();
  std::filesystem::path base = given ? std::filesystem::path(request.path)
                                     : std::filesystem::path(request.netlist).filename();
  const std::string extension = given && base.has_extension() ? base.extension().string()
                                : format_of(request) == Format::Csv ? ".csv" : ".raw";
  OutputPaths paths;
  paths.stem = (base.parent_path() / base.stem()).string();
  for (const auto& kind : kinds) {
    const int index = ++seen[kind];
    const bool printed = std::find(request.print_kinds.begin(), request.print_kinds.end(), kind) != request.print_kinds.end();
    if (!given && (kind == "op" || printed) && !stepped) paths.analyses.emplace_back();  // printed as a table
    else if (given && kinds.size() == 1) paths.analyses.push_back(request.path);
    else paths.analyses.push_back(fmt::format("{}.{}{}{}", paths.stem, kind,
                                              total[kind] > 1 ? std::to_string(index) : "", extension));
  }
  return paths;
}

std::string point_path(const std::string& path, std::size_t point) {
  const std::filesystem::path p(path);
  return ((p.parent_path() / p.stem()).string() + fmt::format(".step{}", point + 1)) + p.extension().string();
}

AnalysisOutput::AnalysisOutput(std::string path, Format format, std::string title, std::string plot_name,
                               std::string kind, bool stepped, bool step_files)
    : path_(std::move(path)), format_(format), title_(std::move(title)), plot_name_(std::move(plot_name)),
      kind_(std::move(kind)), stepped_(stepped), step_files_(step_files) {
  if (!stepped_ && !path_.empty()) file_ = open(path_);
}

std::unique_ptr<TraceSink> AnalysisOutput::open(const std::string& path) const {
  if (format_ == Format::Csv) return std::make_unique<CsvFile>(path);
  return std::make_unique<RawFile>(path, format_ == Format::Raw, title_, plot_name_);
}

TraceSink& AnalysisOutput::direct() { return file_ ? *file_ : table_; }

void AnalysisOutput::point(std::size_t index, const std::string& label, const std::vector<std::string>& names,
                           const std::vector<double>& values, const TraceTable& rows) {
  std::unique_ptr<TraceSink> own;
  TraceSink* sink = file_.get();
  if (step_files_) {
    own = open(point_path(path_, index));
    sink = own.get();
    sink->begin_plot(label, {}, {});
  } else {
    if (!file_) file_ = open(path_);
    sink = file_.get();
    sink->begin_plot(label, names, values);
  }
  if (rows.complex()) {
    rows.replay_complex(*sink);
  } else {
    sink->begin(rows.columns(), rows.units());
    for (const auto& r : rows.rows()) sink->row(r);
  }
  rows.replay_summary(*sink);
  rows_ += rows.rows().size();
  if (own) {
    own->finish();
    ++files_;
  }
}

FileMark AnalysisOutput::mark() {
  if (step_files_) {
    const std::string path = point_path(path_, files_ - 1);
    return {path, std::filesystem::file_size(path), rows_, rows_};
  }
  file_->sync();
  const std::string path = staging_path(path_);
  return {path, std::filesystem::file_size(path), rows_, file_->rows_written()};
}

void AnalysisOutput::resume(std::size_t points, const FileMark& at) {
  rows_ = at.rows;
  if (step_files_) {
    files_ = points;
    return;
  }
  file_ = open(path_);
  file_->reopen(at.bytes, at.sink_rows);
}

std::string AnalysisOutput::finish() {
  if (path_.empty()) return {};
  // A plain run's file was finished by the run, right after its analysis.
  if (!stepped_) return fmt::format("{}: wrote {} ({} rows)", kind_, path_, file_->rows_written());
  if (file_) file_->finish();
  if (step_files_) return fmt::format("{}: wrote {} files {} ({} rows)", kind_, files_, point_path(path_, 0), rows_);
  return fmt::format("{}: wrote {} ({} rows)", kind_, path_, rows_);
}

std::string AnalysisOutput::partial() const {
  if (path_.empty()) return {};
  const std::string p = (step_files_ ? point_path(path_, files_) : path_) + ".partial";
  return std::filesystem::exists(p) ? p : std::string{};
}

}  // namespace ns
