// Float32 vector math for the native op library's float32 forms: inline, branch-free, so that GCC vectorises the
// loops that call them on every CPU path (16 float32 lanes on AVX-512, twice the lanes of float64). No FMA
// contraction (-ffp-contract=off): every path rounds the same operations and gives the same results.
//
// Measured with scripts/native/ulp32.cc (every float32, against the float64 libm rounded once; subnormal results
// counted in units of 2^-149):
//   exp32 ≤ 1 ULP (18.0 M of the 4.28 G non-NaN inputs, 0.42 %, 1 ULP off); softmax and log_softmax use its shifted form
//   (exp_shift32 in tfa_ops.h).
#ifndef TFA_MATH32_H_
#define TFA_MATH32_H_

#include <cstdint>

namespace tfa {

// exp(r) − 1 for float32 |r| ≤ ln 2/2 plus a tiny rl (|rl| ≤ 2^-24·|r|): r + (r²·q(r) + rl) with q the Taylor
// series of (exp(r) − 1 − r)/r², so exp(r) to r⁷ (the first term left out, r⁸/8!, is below 2^-27 relative).
static inline float expm1_reduced(float r, float rl) {
  float q = 1.98412698e-04f;  // 1/7!
  q = q * r + 1.38888889e-03f;
  q = q * r + 8.33333333e-03f;
  q = q * r + 4.16666667e-02f;
  q = q * r + 1.66666667e-01f;
  q = q * r + 0.5f;
  return r + ((r * r) * q + rl);
}

// p·2^k for an integral float32 k in [−150, 129]: 2^k applied in two exact halves (integer exponent arithmetic), so
// that a subnormal result is rounded once and 2^128 does not overflow before the product.
static inline float scale2k(float p, float k) {
  const int32_t ki = static_cast<int32_t>(k);
  const int32_t k1 = ki >> 1, k2 = ki - k1;  // each in [−75, 65]
  const uint32_t b1 = (static_cast<uint32_t>(k1) + 127u) << 23, b2 = (static_cast<uint32_t>(k2) + 127u) << 23;
  float s1, s2;
  __builtin_memcpy(&s1, &b1, 4);
  __builtin_memcpy(&s2, &b2, 4);
  return (p * s1) * s2;
}

// The reduction x = k·ln 2 + r + rl, |r| ≤ ln 2/2: k·L1 is exact (L1 has 9 bits, |k| < 2^11), x − k·L1 is exact
// (Sterbenz), and rl is the rounding error of r + k·L2 (Fast2Sum). For |x| ≤ 710.
static inline void reduce32(float x, float* k, float* r, float* rl) {
  const float LOG2E = 1.44269504088896341f, MAGIC = 12582912.0f;  // 1.5·2^23: adding it rounds to an integer
  const float L1 = 0.693359375f, L2 = -2.12194440e-4f;              // ln 2 = L1 + L2 (to 2^-35)
  const float kk = (x * LOG2E + MAGIC) - MAGIC;
  const float r0 = x - kk * L1;
  const float c = -(kk * L2);
  const float s = r0 + c;
  *k = kk;
  *r = s;
  *rl = (r0 - s) + c;
}

// exp(x) in float32, within 1 ULP, subnormal results rounded once (2^k applied in two exact halves), +inf above
// 88.72, 0 below −103.98, NaN for NaN.
static inline float exp32(float x) {
  x = x < -104.0f ? -104.0f : x;  // NaN passes both
  x = x > 89.0f ? 89.0f : x;
  float k, r, rl;
  reduce32(x, &k, &r, &rl);
  return scale2k(1.0f + expm1_reduced(r, rl), k);
}

// e^x in float64 as the exact product p·2^k of a float32 p = exp(r) (r the reduced argument, within 1 ULP as exp32) and
// 2^k built in float64: float64's range from float32 lanes, for gradients dy·e^x that the caller rounds once to
// float32 (dy·p is exact in float64, the power of 2 too). x is clamped to [−700, 709.75] (e^−700 ≈ 1e−304 and
// e^709.75 ≈ 1.7e308 take every float32 dy·e^x to ±0 and ±inf as e^x would); +inf from x = 709.7827 up, where
// float64's exp overflows (so that 0·e^x is NaN there, as in float64); NaN for NaN.
static inline double exp32_f64(float x) {
  const float xc = x < -700.0f ? -700.0f : (x > 709.75f ? 709.75f : x);  // NaN passes both
  float k, r, rl;
  reduce32(xc, &k, &r, &rl);
  const float p = 1.0f + expm1_reduced(r, rl);
  const double t = static_cast<double>(k) + 4503599627371518.0;  // 2^52 + 1022 + k: its low bits are (k − 1) + 1023
  uint64_t bits;
  __builtin_memcpy(&bits, &t, 8);
  bits <<= 52;
  double half_scale;  // 2^(k − 1): a normal float64 for k in [−1009, 1024]
  __builtin_memcpy(&half_scale, &bits, 8);
  const double e = (static_cast<double>(p) * 2.0) * half_scale;
  return x >= 709.7827f ? __builtin_huge_val() : e;
}

}  // namespace tfa

#endif  // TFA_MATH32_H_
