#include "engine/klu_pivots.hpp"

#include <sunmatrix/sunmatrix_sparse.h>

namespace ns {

namespace {

// SUNDIALS' own KLU set-up refactors with the last pivots, then estimates the reciprocal
// condition number and, below eps^(2/3), the condition number properly, and above
// 1/eps^(2/3) factors again with a fresh pivot search. The circuit matrices of ISCAS85 on
// BSIM4 (GMIN 1e-15 beside 5-ohm body resistors and fF capacitances) are that
// ill-conditioned whatever the pivots, so every set-up paid a refactorisation, a
// condition estimate and a pivoting factorisation (c432: klu_l_kernel, the pivoting
// factorisation, 8 % of the run, and the condition estimate 1.4 %, beside 3.9 % for the
// refactorisations). A condition number says nothing of the pivots; their growth does:
// KLU's reciprocal pivot growth (min over columns of max |A| / max |U|, on the scaled
// matrix) of the refactorisation against that of the last pivoting factorisation. Here
// the pivots are searched afresh only when the refactorisation fails (a zero pivot) or
// lets the factors grow 10 times more than the pivot search did.
constexpr double growth_allowed = 0.1;

int factor_afresh(SUNLinearSolverContent_KLU klu, SUNMatrix matrix) {
  auto* starts = SUNSparseMatrix_IndexPointers(matrix);
  auto* rows = SUNSparseMatrix_IndexValues(matrix);
  auto* values = SUNSparseMatrix_Data(matrix);
  if (klu->numeric) klu_l_free_numeric(&klu->numeric, &klu->common);
  klu->numeric = klu_l_factor(starts, rows, values, klu->symbolic, &klu->common);
  if (!klu->numeric || klu->common.status != KLU_OK) return klu->last_flag = SUNLS_PACKAGE_FAIL_REC;
  // The pivots' own growth, kept in common.rgrowth as the reference of the refactorisations.
  klu_l_rgrowth(starts, rows, values, klu->symbolic, klu->numeric, &klu->common);
  return klu->last_flag = SUNLS_SUCCESS;
}

}  // namespace

int setup_keeping_pivots(SUNLinearSolver solver, SUNMatrix matrix) {
  auto* klu = static_cast<SUNLinearSolverContent_KLU>(solver->content);
  if (klu->first_factorize || !klu->symbolic) {
    const int flag = SUNLinSolSetup_KLU(solver, matrix);  // analysis and factorisation
    if (flag != SUNLS_SUCCESS || !klu->numeric) return flag;
    return factor_afresh(klu, matrix);  // once, for the growth of its pivots
  }
  if (!klu->numeric) return factor_afresh(klu, matrix);
  auto* starts = SUNSparseMatrix_IndexPointers(matrix);
  auto* rows = SUNSparseMatrix_IndexValues(matrix);
  auto* values = SUNSparseMatrix_Data(matrix);
  auto& common = klu->common;
  const double reference = common.rgrowth;
  if (klu_l_refactor(starts, rows, values, klu->symbolic, klu->numeric, &common) && common.status == KLU_OK &&
      klu_l_rgrowth(starts, rows, values, klu->symbolic, klu->numeric, &common) &&
      common.rgrowth >= growth_allowed * reference) {
    common.rgrowth = reference;
    return klu->last_flag = SUNLS_SUCCESS;
  }
  return factor_afresh(klu, matrix);
}

}  // namespace ns
