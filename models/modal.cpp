#include "modal.hpp"

#include <algorithm>
#include <cmath>

namespace ns {
namespace {

using Matrix = std::vector<double>;

Matrix multiply(std::size_t m, const Matrix& a, const Matrix& b) {
  Matrix c(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t k = 0; k < m; ++k)
      for (std::size_t j = 0; j < m; ++j) c[i * m + j] += a[i * m + k] * b[k * m + j];
  return c;
}

Matrix transpose(std::size_t m, const Matrix& a) {
  Matrix t(m * m);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j) t[j * m + i] = a[i * m + j];
  return t;
}

// Cyclic Jacobi rotations: a = v diag(values) v^T for symmetric a (m is a handful).
void eigen(std::size_t m, Matrix a, std::vector<double>& values, Matrix& v) {
  v.assign(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i) v[i * m + i] = 1;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0, scale = 0;
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < m; ++j) (i == j ? scale : off) += a[i * m + j] * a[i * m + j];
    if (off <= 1e-30 * scale) break;
    for (std::size_t p = 0; p < m; ++p)
      for (std::size_t q = p + 1; q < m; ++q) {
        const double apq = a[p * m + q];
        if (apq == 0) continue;
        const double theta = (a[q * m + q] - a[p * m + p]) / (2 * apq);
        const double t = (theta >= 0 ? 1 : -1) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (std::size_t k = 0; k < m; ++k) {  // a = J^T a J, columns then rows
          const double akp = a[k * m + p], akq = a[k * m + q];
          a[k * m + p] = c * akp - s * akq;
          a[k * m + q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < m; ++k) {
          const double apk = a[p * m + k], aqk = a[q * m + k];
          a[p * m + k] = c * apk - s * aqk;
          a[q * m + k] = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < m; ++k) {
          const double vkp = v[k * m + p], vkq = v[k * m + q];
          v[k * m + p] = c * vkp - s * vkq;
          v[k * m + q] = s * vkp + c * vkq;
        }
      }
  }
  values.resize(m);
  for (std::size_t i = 0; i < m; ++i) values[i] = a[i * m + i];
}

}  // namespace

std::optional<Modes> line_modes(std::size_t m, const Matrix& r, const Matrix& l, const Matrix& g, const Matrix& c) {
  std::vector<double> lambda, mu;
  Matrix q, w;
  eigen(m, c, lambda, q);
  if (*std::min_element(lambda.begin(), lambda.end()) <= 0) return std::nullopt;
  Matrix s(m * m, 0.0), s_inverse(m * m, 0.0);  // C^(1/2), C^(-1/2)
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j)
      for (std::size_t k = 0; k < m; ++k) {
        s[i * m + j] += q[i * m + k] * std::sqrt(lambda[k]) * q[j * m + k];
        s_inverse[i * m + j] += q[i * m + k] / std::sqrt(lambda[k]) * q[j * m + k];
      }
  eigen(m, multiply(m, s, multiply(m, l, s)), mu, w);
  if (*std::min_element(mu.begin(), mu.end()) <= 0) return std::nullopt;
  Matrix tv = multiply(m, s_inverse, w), tv_inverse = multiply(m, transpose(m, w), s);
  // Scale mode k by d_k: Tv's column k times d_k, Tv^-1's row k over d_k, with d_k the
  // largest |entry| of that row, so that the row's largest weight is 1.
  Modes modes;
  modes.m = m;
  std::vector<double> d(m);
  for (std::size_t k = 0; k < m; ++k) {
    d[k] = 0;
    for (std::size_t j = 0; j < m; ++j) d[k] = std::max(d[k], std::abs(tv_inverse[k * m + j]));
    for (std::size_t j = 0; j < m; ++j) tv_inverse[k * m + j] /= d[k], tv[j * m + k] *= d[k];
  }
  const Matrix ti = transpose(m, tv_inverse);
  const Matrix rm = multiply(m, tv_inverse, multiply(m, r, ti)), gm = multiply(m, transpose(m, tv), multiply(m, g, tv));
  const Matrix lm = multiply(m, tv_inverse, multiply(m, l, ti)), cm = multiply(m, transpose(m, tv), multiply(m, c, tv));
  for (std::size_t k = 0; k < m; ++k) {
    modes.l.push_back(lm[k * m + k]);
    modes.c.push_back(cm[k * m + k]);
    modes.r.push_back(rm[k * m + k]);
    modes.g.push_back(gm[k * m + k]);
    for (std::size_t j = 0; j < m; ++j) {
      if (j == k) continue;
      for (const Matrix* x : {&rm, &gm}) {
        const double diagonal = std::sqrt(std::abs((*x)[k * m + k] * (*x)[j * m + j]));
        if ((*x)[k * m + j] != 0)
          modes.coupled_loss = std::max(modes.coupled_loss, diagonal > 0 ? std::abs((*x)[k * m + j]) / diagonal : INFINITY);
      }
    }
  }
  modes.tv_inverse = std::move(tv_inverse);
  modes.ti = ti;
  return modes;
}

}  // namespace ns
