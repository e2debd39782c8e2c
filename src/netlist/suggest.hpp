#pragma once
// The suggestion helper lives with the expression language (src/expr), the bottom layer.
#include "expr/suggest.hpp"
