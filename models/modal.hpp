#pragma once
// The modes of a uniform multiconductor line (models/cpl.cpp): with per-metre matrices
// L and C (symmetric, positive definite), voltages V = Tv v and currents I = Ti i with
// Ti = Tv^-T turn -dV/dx = L dI/dt, -dI/dx = C dV/dt into m uncoupled lossless lines,
// mode k of inductance l_k and capacitance c_k per metre:
//
//     Tv^-1 L Tv^-T = diag(l),   Tv^T C Tv = diag(c).
//
// Found as C = Q diag(lambda) Q^T, S = C^(1/2), S L S = W diag(mu) W^T, Tv = S^-1 W (then
// c = 1 and l = mu), each column then scaled so that the largest weight of a conductor's
// voltage in a mode voltage (a row of Tv^-1) is 1, which keeps the modes' voltages and
// currents of the conductors' size. The loss, R and G, is carried by the modes exactly
// when Tv^-1 R Tv^-T and Tv^T G Tv are diagonal too (R a multiple of I with L and C
// commuting, as on a symmetric pair or the corpus's Toeplitz 4-line cards);
// `coupled_loss` says how far from that they are.
#include <cstddef>
#include <optional>
#include <vector>

namespace ns {

struct Modes {
  std::size_t m = 0;
  std::vector<double> tv_inverse;  // m x m, row-major: mode voltage k = sum_j row k, j V_j
  std::vector<double> ti;          // m x m: conductor current j = sum_k ti[j][k] i_k
  std::vector<double> l, c, r, g;  // per mode, per metre
  // The largest off-diagonal modal loss relative to its diagonal,
  // |Rm_kj| / sqrt(Rm_kk Rm_jj) (and G's), 0 when both are diagonal.
  double coupled_loss = 0;
};

// Symmetric m x m matrices, row-major. nullopt when L or C is not positive definite.
std::optional<Modes> line_modes(std::size_t m, const std::vector<double>& r, const std::vector<double>& l,
                                const std::vector<double>& g, const std::vector<double>& c);

}  // namespace ns
