#include "engine/vector.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "engine/workers.hpp"

namespace ns {
namespace {

std::span<double> data(N_Vector v) {
  return {NV_DATA_S(v), static_cast<std::size_t>(NV_LENGTH_S(v))};
}

thread_local Workers* vector_workers = nullptr;  // use_vector_threads()
constexpr std::size_t piece = 8192;               // elements per thread's piece

// f(from, to) over [0, n): in pieces on the vector workers of this thread when the vector
// is long enough to pay for them. Each element's value is computed as alone, so the
// pieces change no bit.
template <class F>
void each(std::size_t n, const F& f) {
  if (vector_workers && n >= 2 * piece)
    vector_workers->run((n + piece - 1) / piece, [&](std::size_t p) { f(p * piece, std::min(n, (p + 1) * piece)); });
  else
    f(0, n);
}

// z = a x + b y over [from, to), as linear_sum computes it (z may be x or y).
void sum_range(double a, const double* x, double b, const double* y, double* z, std::size_t from, std::size_t to) {
  if (a == b)
    for (std::size_t i = from; i < to; ++i) z[i] = a * (x[i] + y[i]);
  else if (a == -1 && b == 1)
    for (std::size_t i = from; i < to; ++i) z[i] = y[i] - x[i];
  else if (a == -b)
    for (std::size_t i = from; i < to; ++i) z[i] = a * (x[i] - y[i]);
  else
    for (std::size_t i = from; i < to; ++i) z[i] = a * x[i] + b * y[i];
}

// The library picks a kernel by the coefficients; all of them give a*x + b*y exactly
// (x*1 and -x are exact), except a == b and a == -b, where it factors a out, and
// (-1, 1), where y - x keeps the sign of a zero that -(x - y) would flip.
void linear_sum(double a, N_Vector x, double b, N_Vector y, N_Vector z) {
  const auto xd = data(x), yd = data(y), zd = data(z);
  each(zd.size(), [&](std::size_t from, std::size_t to) { sum_range(a, xd.data(), b, yd.data(), zd.data(), from, to); });
}

// The fused operations IDA uses on its history arrays (predictor, step completion,
// interpolation) as SUNDIALS' generic fallbacks compute them from nvscale and
// nvlinearsum, vector after vector, but element by element in one pass over the elements
// (and one dispatch to the workers, not one per vector): each element goes through the
// same operations in the same order, so the same bits (an output that is also an input
// is read as the vector-by-vector order would leave it). On a 10,000-neuron network
// these were a tenth of the run as separate passes.
int linear_combination(int count, double* c, N_Vector* X, N_Vector z) {
  const auto zd = data(z);
  const auto vectors = static_cast<std::size_t>(count);
  each(zd.size(), [&](std::size_t from, std::size_t to) {
    const double* x0 = NV_DATA_S(X[0]);
    for (std::size_t i = from; i < to; ++i) zd[i] = c[0] * x0[i];
    for (std::size_t k = 1; k < vectors; ++k) {
      sum_range(c[k], NV_DATA_S(X[k]), 1.0, zd.data(), zd.data(), from, to);
    }
  });
  return 0;
}

int scale_add_multi(int count, double* a, N_Vector x, N_Vector* Y, N_Vector* Z) {
  const auto xd = data(x);
  const auto vectors = static_cast<std::size_t>(count);
  each(xd.size(), [&](std::size_t from, std::size_t to) {
    for (std::size_t k = 0; k < vectors; ++k) {
      sum_range(a[k], xd.data(), 1.0, NV_DATA_S(Y[k]), NV_DATA_S(Z[k]), from, to);
    }
  });
  return 0;
}

int linear_sum_array(int count, double a, N_Vector* X, double b, N_Vector* Y, N_Vector* Z) {
  const auto vectors = static_cast<std::size_t>(count);
  if (vectors == 0) return 0;
  each(data(Z[0]).size(), [&](std::size_t from, std::size_t to) {
    for (std::size_t k = 0; k < vectors; ++k) sum_range(a, NV_DATA_S(X[k]), b, NV_DATA_S(Y[k]), NV_DATA_S(Z[k]), from, to);
  });
  return 0;
}

int scale_array(int count, double* c, N_Vector* X, N_Vector* Z) {
  const auto vectors = static_cast<std::size_t>(count);
  if (vectors == 0) return 0;
  each(data(Z[0]).size(), [&](std::size_t from, std::size_t to) {
    for (std::size_t k = 0; k < vectors; ++k) {
      const double* xk = NV_DATA_S(X[k]);
      double* zk = NV_DATA_S(Z[k]);
      for (std::size_t i = from; i < to; ++i) zk[i] = c[k] * xk[i];
    }
  });
  return 0;
}

void constant(double c, N_Vector z) {
  const auto zd = data(z);
  each(zd.size(), [&](std::size_t from, std::size_t to) { std::fill(zd.begin() + from, zd.begin() + to, c); });
}

void product(N_Vector x, N_Vector y, N_Vector z) {
  const auto xd = data(x), yd = data(y), zd = data(z);
  each(zd.size(), [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) zd[i] = xd[i] * yd[i];
  });
}

void quotient(N_Vector x, N_Vector y, N_Vector z) {
  const auto xd = data(x), yd = data(y), zd = data(z);
  each(zd.size(), [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) zd[i] = xd[i] / yd[i];
  });
}

void scale(double c, N_Vector x, N_Vector z) {
  const auto xd = data(x), zd = data(z);
  each(zd.size(), [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) zd[i] = c * xd[i];
  });
}

void absolute(N_Vector x, N_Vector z) {
  const auto xd = data(x), zd = data(z);
  each(zd.size(), [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) zd[i] = std::fabs(xd[i]);
  });
}

void inverse(N_Vector x, N_Vector z) {
  const auto xd = data(x), zd = data(z);
  each(zd.size(), [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) zd[i] = 1.0 / xd[i];
  });
}

void add_constant(N_Vector x, double b, N_Vector z) {
  const auto xd = data(x), zd = data(z);
  each(zd.size(), [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) zd[i] = xd[i] + b;
  });
}

// Reductions keep the library's order of summation (no reassociation at -O2).
double dot_product(N_Vector x, N_Vector y) {
  const auto xd = data(x), yd = data(y);
  double sum = 0;
  for (std::size_t i = 0; i < xd.size(); ++i) sum += xd[i] * yd[i];
  return sum;
}

double max_norm(N_Vector x) {
  double max = 0;
  for (double v : data(x))
    if (std::fabs(v) > max) max = std::fabs(v);
  return max;
}

double rms(double sum_of_squares, N_Vector x) {
  const double mean = sum_of_squares / static_cast<double>(NV_LENGTH_S(x));
  return mean <= 0 ? 0.0 : std::sqrt(mean);
}

double wrms_norm(N_Vector x, N_Vector w) {
  const auto xd = data(x), wd = data(w);
  double sum = 0;
  for (std::size_t i = 0; i < xd.size(); ++i) {
    const double p = xd[i] * wd[i];
    sum += p * p;
  }
  return rms(sum, x);
}

double wrms_norm_mask(N_Vector x, N_Vector w, N_Vector id) {
  const auto xd = data(x), wd = data(w), idd = data(id);
  double sum = 0;
  for (std::size_t i = 0; i < xd.size(); ++i)
    if (idd[i] > 0) {
      const double p = xd[i] * wd[i];
      sum += p * p;
    }
  return rms(sum, x);
}

double minimum(N_Vector x) {
  const auto xd = data(x);
  if (xd.empty()) return 0;
  double min = xd[0];
  for (std::size_t i = 1; i < xd.size(); ++i)
    if (xd[i] < min) min = xd[i];
  return min;
}

}  // namespace

void use_fast_operations(N_Vector v) {
  N_Vector_Ops ops = v->ops;
  ops->nvlinearsum = linear_sum;
  ops->nvconst = constant;
  ops->nvprod = product;
  ops->nvdiv = quotient;
  ops->nvscale = scale;
  ops->nvabs = absolute;
  ops->nvinv = inverse;
  ops->nvaddconst = add_constant;
  ops->nvdotprod = dot_product;
  ops->nvmaxnorm = max_norm;
  ops->nvwrmsnorm = wrms_norm;
  ops->nvwrmsnormmask = wrms_norm_mask;
  ops->nvmin = minimum;
  ops->nvlinearcombination = linear_combination;
  ops->nvscaleaddmulti = scale_add_multi;
  ops->nvlinearsumvectorarray = linear_sum_array;
  ops->nvscalevectorarray = scale_array;
}

void use_vector_threads(Workers* workers) { vector_workers = workers; }
Workers* vector_threads() { return vector_workers; }

N_Vector new_vector(sunindextype n, SUNContext context) {
  N_Vector v = N_VNew_Serial(n, context);
  if (v) use_fast_operations(v);
  return v;
}

}  // namespace ns
