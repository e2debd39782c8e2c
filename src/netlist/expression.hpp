#pragma once
// The expression language lives in src/expr, the bottom layer.
#include "expr/expression.hpp"
