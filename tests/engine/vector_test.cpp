// Our N_Vector operations against the SUNDIALS serial ones they replace: the same bits for
// every coefficient case the library treats specially, with and without aliasing.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <deque>
#include <functional>
#include <random>
#include <vector>

#include "engine/vector.hpp"

namespace ns {
namespace {

constexpr sunindextype n = 1001;

class VectorOps : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(SUNContext_Create(nullptr, &context_), 0);
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> mantissa(-1, 1);
    std::uniform_int_distribution<int> exponent(-12, 6);
    for (auto& v : inputs_) {
      v.resize(n);
      for (double& x : v) x = std::ldexp(mantissa(random), exponent(random));
      v[3] = 0;  // exact zeros: inverse, quotient, mask
    }
  }
  void TearDown() override { SUNContext_Free(&context_); }

  // The library's vector (reference) and ours, both filled with inputs k.
  N_Vector library(int k) { return keep(N_VMake_Serial(n, copy(k), context_)); }
  N_Vector ours(int k) {
    N_Vector v = library(k);
    use_fast_operations(v);
    return v;
  }
  static bool same_bits(N_Vector a, N_Vector b) {
    return std::memcmp(N_VGetArrayPointer(a), N_VGetArrayPointer(b), n * sizeof(double)) == 0;
  }
  static bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

  ~VectorOps() override {
    for (N_Vector v : vectors_) N_VDestroy(v);
  }

private:
  double* copy(int k) {
    storage_.push_back(inputs_[k]);
    return storage_.back().data();
  }
  N_Vector keep(N_Vector v) {
    vectors_.push_back(v);
    return v;
  }
  SUNContext context_ = nullptr;
  std::vector<double> inputs_[3];
  std::deque<std::vector<double>> storage_;
  std::vector<N_Vector> vectors_;
};

TEST_F(VectorOps, LinearSumEveryCoefficientCaseAndAliasing) {
  const double c = 0.3712, d = -2.75e-3;
  const std::pair<double, double> cases[] = {{1, 1},  {1, -1}, {-1, 1}, {-1, -1}, {1, c},  {c, 1},
                                             {-1, c}, {c, -1}, {c, c},  {c, -c},  {c, d},  {0, c},
                                             {c, 0},  {0, 0},  {d, 1},  {1, d}};
  for (auto [a, b] : cases)
    for (int alias = 0; alias < 3; ++alias) {  // z separate, z == x, z == y
      N_Vector x0 = library(0), y0 = library(1), x1 = ours(0), y1 = ours(1);
      N_Vector z0 = alias == 1 ? x0 : alias == 2 ? y0 : library(2);
      N_Vector z1 = alias == 1 ? x1 : alias == 2 ? y1 : ours(2);
      N_VLinearSum_Serial(a, x0, b, y0, z0);
      N_VLinearSum(a, x1, b, y1, z1);
      EXPECT_TRUE(same_bits(z0, z1)) << "a = " << a << ", b = " << b << ", alias " << alias;
    }
}

TEST_F(VectorOps, ElementwiseOperations) {
  for (double c : {1.0, -1.0, 0.0, 3.3e-4})
    for (bool in_place : {false, true}) {
      N_Vector x0 = library(0), x1 = ours(0);
      N_Vector z0 = in_place ? x0 : library(2), z1 = in_place ? x1 : ours(2);
      N_VScale_Serial(c, x0, z0);
      N_VScale(c, x1, z1);
      EXPECT_TRUE(same_bits(z0, z1)) << "scale by " << c;
    }
  using Unary = std::function<void(N_Vector, N_Vector)>;
  const std::pair<Unary, Unary> unary[] = {
      {N_VAbs_Serial, N_VAbs},
      {N_VInv_Serial, N_VInv},
      {[](N_Vector x, N_Vector z) { N_VAddConst_Serial(x, -0.125, z); },
       [](N_Vector x, N_Vector z) { N_VAddConst(x, -0.125, z); }},
      {[](N_Vector, N_Vector z) { N_VConst_Serial(2.5e-9, z); },
       [](N_Vector, N_Vector z) { N_VConst(2.5e-9, z); }},
      {[](N_Vector x, N_Vector z) { N_VProd_Serial(x, x, z); },
       [](N_Vector x, N_Vector z) { N_VProd(x, x, z); }}};
  for (const auto& [reference, operation] : unary) {
    N_Vector z0 = library(2), z1 = ours(2);
    reference(library(0), z0);
    operation(ours(0), z1);
    EXPECT_TRUE(same_bits(z0, z1));
  }
  N_Vector z0 = library(2), z1 = ours(2);
  N_VDiv_Serial(library(1), library(0), z0);  // x has a zero: inf, as the library gives
  N_VDiv(ours(1), ours(0), z1);
  EXPECT_TRUE(same_bits(z0, z1));
}

TEST_F(VectorOps, ReductionsKeepTheLibrarysOrder) {
  EXPECT_TRUE(same_bits(N_VWrmsNorm_Serial(library(0), library(1)), N_VWrmsNorm(ours(0), ours(1))));
  EXPECT_TRUE(same_bits(N_VWrmsNormMask_Serial(library(0), library(1), library(2)),
                        N_VWrmsNormMask(ours(0), ours(1), ours(2))));
  EXPECT_TRUE(same_bits(N_VDotProd_Serial(library(0), library(1)), N_VDotProd(ours(0), ours(1))));
  EXPECT_TRUE(same_bits(N_VMaxNorm_Serial(library(2)), N_VMaxNorm(ours(2))));
  EXPECT_TRUE(same_bits(N_VMin_Serial(library(1)), N_VMin(ours(1))));
  // And they are what they claim: the weighted RMS norm of a constant vector.
  N_Vector ones = ours(0), weights = ours(1);
  N_VConst(2.0, ones);
  N_VConst(0.5, weights);
  EXPECT_EQ(N_VWrmsNorm(ones, weights), 1.0);
}

TEST_F(VectorOps, ClonesCarryTheOperations) {
  N_Vector v = ours(0);
  N_Vector clone = N_VClone(v);
  EXPECT_EQ(clone->ops->nvlinearsum, v->ops->nvlinearsum);
  EXPECT_NE(clone->ops->nvlinearsum, library(0)->ops->nvlinearsum);
  N_VDestroy(clone);
}

}  // namespace
}  // namespace ns
