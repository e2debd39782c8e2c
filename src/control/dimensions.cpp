// reshape, transpose and the blocks of a multi-dimensional vector, as ngspice's control
// language has them: the elements stay one flat array, `dims` only says how to index it.
#include <cmath>
#include <numeric>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "control/vectors.hpp"
#include "expr/expression.hpp"

namespace ns::control {

void reshape(Vector& v, std::string_view text) {
  std::vector<std::optional<std::size_t>> dims;
  std::string word;
  bool open = false;
  auto end_word = [&] {
    std::erase(word, ' ');
    std::erase(word, '\t');
    if (word.empty()) return dims.push_back(std::nullopt);
    const auto n = parse_number(word);
    if (!n || *n < 1 || *n != std::floor(*n) || *n > 1e9) throw VectorError(fmt::format("'reshape': bad dimension '{}'", word));
    dims.push_back(static_cast<std::size_t>(*n));
    word.clear();
  };
  for (char c : text) {
    if (c == '[' && !open) open = true;
    else if ((c == ']' || c == ',') && open) end_word(), open = c == ',';
    else if (open) word += c;
    else if (c != ' ' && c != '\t') throw VectorError(fmt::format("'reshape' expects dimensions [n][m]..., not '{}'", text));
  }
  if (open || dims.empty()) throw VectorError(fmt::format("'reshape' expects dimensions [n][m]..., not '{}'", text));
  std::size_t known = 1, unknown = 0;
  for (const auto& d : dims) {
    if (d) known *= *d;
    else ++unknown;
  }
  if (unknown > 1) throw VectorError("'reshape': only one dimension may be left empty");
  std::vector<std::size_t> out;
  for (const auto& d : dims) out.push_back(d ? *d : v.size() / known);
  const std::size_t total = std::accumulate(out.begin(), out.end(), std::size_t(1), std::multiplies<>());
  if (total != v.size())
    throw VectorError(fmt::format("'reshape': the dimensions hold {} elements, the vector has {}", total, v.size()));
  v.dims = out.size() > 1 ? out : std::vector<std::size_t>{};
}

void transpose(Vector& v) {
  if (v.dims.size() != 2) throw VectorError("'transpose' needs a two-dimensional vector (reshape it first)");
  const std::size_t rows = v.dims[0], columns = v.dims[1];
  Vector t(v.size());
  if (v.complex()) t.imag.resize(v.size());
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < columns; ++c) {
      t[c * rows + r] = v[r * columns + c];
      if (v.complex()) t.imag[c * rows + r] = v.imag[r * columns + c];
    }
  t.dims = {columns, rows};
  v = std::move(t);
}

std::pair<std::size_t, std::size_t> block(const Vector& v, const std::vector<long>& index) {
  const std::vector<std::size_t> dims = v.dims.empty() ? std::vector<std::size_t>{v.size()} : v.dims;
  if (index.size() > dims.size())
    throw VectorError(fmt::format("{} indices for a vector of {} dimension{}", index.size(), dims.size(), dims.size() == 1 ? "" : "s"));
  std::size_t first = 0, length = v.size();
  for (std::size_t k = 0; k < index.size(); ++k) {
    if (index[k] < 0 || index[k] >= static_cast<long>(dims[k]))
      throw VectorError(fmt::format("index {} out of range (the dimension has {} elements)", index[k], dims[k]));
    length /= dims[k];
    first += static_cast<std::size_t>(index[k]) * length;
  }
  return {first, length};
}

}  // namespace ns::control
