#include "engine/sparse_lu.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace ns {

namespace {
const double pivot_threshold = std::pow(std::numeric_limits<double>::epsilon(), 2.0 / 3.0);
}  // namespace

SparseLu::SparseLu(const std::vector<std::int64_t>& column_starts,
                   const std::vector<std::int64_t>& rows)
    : column_starts_(column_starts), rows_(rows) {
  klu_l_defaults(&common_);
  const auto n = static_cast<std::int64_t>(column_starts_.size() - 1);
  symbolic_ = klu_l_analyze(n, column_starts_.data(), rows_.data(), &common_);
  if (!symbolic_) throw std::runtime_error("KLU could not analyse the circuit matrix");
}

SparseLu::~SparseLu() {
  if (numeric_) klu_l_free_numeric(&numeric_, &common_);
  if (symbolic_) klu_l_free_symbolic(&symbolic_, &common_);
}

bool SparseLu::factor(const std::vector<double>& values) {
  double* a = const_cast<double*>(values.data());
  if (numeric_) {
    // Keep the last pivot order while it stays sound: refactoring skips the pivot search
    // and fill-in bookkeeping (the bulk of an OP of a large crossbar). A reciprocal
    // condition estimate below eps^(2/3) (SUNDIALS' test for its own KLU) means the old
    // pivots no longer suit the matrix: pivot afresh.
    if (klu_l_refactor(column_starts_.data(), rows_.data(), a, symbolic_, numeric_, &common_) &&
        common_.status == KLU_OK && klu_l_rcond(symbolic_, numeric_, &common_) &&
        common_.rcond >= pivot_threshold)
      return true;
    klu_l_free_numeric(&numeric_, &common_);
  }
  numeric_ = klu_l_factor(column_starts_.data(), rows_.data(), a, symbolic_, &common_);
  return numeric_ != nullptr && common_.status == KLU_OK;
}

void SparseLu::solve(std::vector<double>& rhs) {
  const auto n = static_cast<std::int64_t>(rhs.size());
  klu_l_solve(symbolic_, numeric_, n, 1, rhs.data(), &common_);
}

ComplexLu::ComplexLu(const std::vector<std::int64_t>& column_starts,
                     const std::vector<std::int64_t>& rows)
    : column_starts_(column_starts), rows_(rows) {
  klu_l_defaults(&common_);
  const auto n = static_cast<std::int64_t>(column_starts_.size() - 1);
  symbolic_ = klu_l_analyze(n, column_starts_.data(), rows_.data(), &common_);
  if (!symbolic_) throw std::runtime_error("KLU could not analyse the circuit matrix");
}

ComplexLu::~ComplexLu() {
  if (numeric_) klu_zl_free_numeric(&numeric_, &common_);
  if (symbolic_) klu_l_free_symbolic(&symbolic_, &common_);
}

// std::complex<double> is laid out as double[2] (re, im), KLU's packed complex format.
bool ComplexLu::factor(const std::vector<std::complex<double>>& values) {
  double* a = reinterpret_cast<double*>(const_cast<std::complex<double>*>(values.data()));
  if (numeric_) {  // as SparseLu::factor: the last pivots while the condition allows
    if (klu_zl_refactor(column_starts_.data(), rows_.data(), a, symbolic_, numeric_, &common_) &&
        common_.status == KLU_OK && klu_zl_rcond(symbolic_, numeric_, &common_) &&
        common_.rcond >= pivot_threshold)
      return true;
    klu_zl_free_numeric(&numeric_, &common_);
  }
  numeric_ = klu_zl_factor(column_starts_.data(), rows_.data(), a, symbolic_, &common_);
  return numeric_ != nullptr && common_.status == KLU_OK;
}

void ComplexLu::solve(std::vector<std::complex<double>>& rhs) {
  const auto n = static_cast<std::int64_t>(rhs.size());
  klu_zl_solve(symbolic_, numeric_, n, 1, reinterpret_cast<double*>(rhs.data()), &common_);
}

}  // namespace ns
