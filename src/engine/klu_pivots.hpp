#pragma once
#include <sunlinsol/sunlinsol_klu.h>

namespace ns {

// SUNDIALS' KLU set-up, with the pivots of the last pivoting factorisation kept while
// they stay nearly as stable as the pivot search made them (klu_pivots.cpp): SUNDIALS'
// own searches afresh whenever the matrix is ill-conditioned, which on ISCAS85's BSIM4
// circuits was every set-up, half the cost of a Jacobian.
int setup_keeping_pivots(SUNLinearSolver solver, SUNMatrix matrix);

}  // namespace ns
