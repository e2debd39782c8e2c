#pragma once
// KLU on the system's CSC pattern, for the OP/DC Newton (IDA drives its own KLU).
// The symbolic analysis is done once; factor() reuses the last pivot order until the
// condition estimate says it no longer suits the matrix, then pivots afresh.
#include <complex>
#include <cstdint>
#include <utility>
#include <vector>

#include <klu.h>

namespace ns {

class SparseLu {
public:
  SparseLu(const std::vector<std::int64_t>& column_starts, const std::vector<std::int64_t>& rows);
  ~SparseLu();
  SparseLu(const SparseLu&) = delete;
  SparseLu& operator=(const SparseLu&) = delete;

  // False when the matrix is singular; singular_column() then names the culprit.
  bool factor(const std::vector<double>& values);
  void solve(std::vector<double>& rhs);  // in place
  std::int64_t singular_column() const { return common_.singular_col; }
  // Trade numeric factors with another KLU of the same pattern and settings (KLU's
  // defaults, AMD ordering: the same symbolic analysis), as SUNDIALS' KLU in IDA is set up
  // (integrator.cpp): a transient's start steps hand theirs over at a restart.
  void exchange_numeric(klu_l_numeric*& other) { std::swap(numeric_, other); }

private:
  std::vector<std::int64_t> column_starts_, rows_;
  klu_l_common common_{};
  klu_l_symbolic* symbolic_ = nullptr;
  klu_l_numeric* numeric_ = nullptr;
};

// The same for complex matrices (.ac: G + j omega C on the same pattern), KLU's klu_zl_
// routines: one symbolic analysis for every frequency, the pivot order kept while sound.
class ComplexLu {
public:
  ComplexLu(const std::vector<std::int64_t>& column_starts, const std::vector<std::int64_t>& rows);
  ~ComplexLu();
  ComplexLu(const ComplexLu&) = delete;
  ComplexLu& operator=(const ComplexLu&) = delete;

  bool factor(const std::vector<std::complex<double>>& values);
  void solve(std::vector<std::complex<double>>& rhs);  // in place
  std::int64_t singular_column() const { return common_.singular_col; }

private:
  std::vector<std::int64_t> column_starts_, rows_;
  klu_l_common common_{};
  klu_l_symbolic* symbolic_ = nullptr;
  klu_l_numeric* numeric_ = nullptr;
};

}  // namespace ns
