#pragma once
// The serial N_Vector IDA works on, with the per-step vector operations compiled here.
//
// Debian 12's SUNDIALS 6.4.1 libraries are built without optimisation (-O0: every loop
// variable goes through the stack), and IDA's vector operations (linear sums, weighted
// RMS norms, scalings) were 35-50 % of a transient's time. IDA clones every vector it
// needs from the ones it is given, and a clone copies the operation table, so replacing
// the table's entries on our vectors is enough. Each replacement does the same floating-
// point operations in the same order as the serial one it replaces: results are
// bit-for-bit those of the library (tests/engine/vector_test.cpp checks each).
#include <nvector/nvector_serial.h>

namespace ns {

// A serial vector of length n whose operations are ours (see above).
N_Vector new_vector(sunindextype n, SUNContext context);

// Replaces the operations of serial vector v (and so of its clones) with ours.
void use_fast_operations(N_Vector v);

class Workers;  // workers.hpp
// The element-wise operations (all but the reductions) called from this thread run on
// `workers` (null: none again) for long vectors: a transient's threads (-j). Each element
// is computed as alone, so the results are the same bits.
void use_vector_threads(Workers* workers);
// This thread's workers of use_vector_threads (null: none).
Workers* vector_threads();

}  // namespace ns
