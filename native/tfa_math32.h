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

#include <cmath>
#include <cstdint>

namespace tfa {

// exp(r) − 1 for float32 |r| ≤ ln 2/2 plus a tiny rl (|rl| ≤ 2^-24·|r|): r + (r²·q(r) + rl) with q the Taylor
// series of (exp(r) − 1 − r)/r², so exp(r) to r⁷ (the first term left out, r⁸/8!, is below 2^-27 relative).
// expm1_reduced_fma: the same with fused multiply-adds (exp_shift32_f64 in tfa_ops.h).
constexpr float EXPM1_TAYLOR[6] = {1.98412698e-04f, 1.38888889e-03f, 8.33333333e-03f,
                                   4.16666667e-02f, 1.66666667e-01f, 0.5f};  // 1/7!, ..., 1/2!
static inline float expm1_reduced(float r, float rl) {
  float q = EXPM1_TAYLOR[0];
  for (int i = 1; i < 6; i++) q = q * r + EXPM1_TAYLOR[i];
  return r + ((r * r) * q + rl);
}
static inline float expm1_reduced_fma(float r, float rl) {
  float q = EXPM1_TAYLOR[0];
  for (int i = 1; i < 6; i++) q = __builtin_fmaf(q, r, EXPM1_TAYLOR[i]);
  return r + __builtin_fmaf(r * r, q, rl);
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
// (Sterbenz), and rl is the rounding error of r + k·L2 (Fast2Sum). For |x| ≤ 710. reduce32_fma: k from a fused
// multiply-add (exp_shift32_f64 in tfa_ops.h), the rest the same.
constexpr float R32_LOG2E = 1.44269504088896341f, R32_MAGIC = 12582912.0f;  // 1.5·2^23: adding it rounds to an integer
constexpr float R32_L1 = 0.693359375f, R32_L2 = -2.12194440e-4f;            // ln 2 = L1 + L2 (to 2^-35)
static inline void reduce32_from_k(float x, float kk, float* k, float* r, float* rl) {
  const float r0 = x - kk * R32_L1;
  const float c = -(kk * R32_L2);
  const float s = r0 + c;
  *k = kk;
  *r = s;
  *rl = (r0 - s) + c;
}
static inline void reduce32(float x, float* k, float* r, float* rl) {
  reduce32_from_k(x, (x * R32_LOG2E + R32_MAGIC) - R32_MAGIC, k, r, rl);
}
static inline void reduce32_fma(float x, float* k, float* r, float* rl) {
  reduce32_from_k(x, __builtin_fmaf(x, R32_LOG2E, R32_MAGIC) - R32_MAGIC, k, r, rl);
}

// d + dl = a − b exactly (TwoSum): d the rounded difference, dl its rounding error (a float32 a − b is not exact).
// Inf or NaN operands give a NaN dl. For the shifted exponentials exp(a − max) of the softmax rows (tfa_ops.h).
static inline float two_diff32(float a, float b, float* dl) {
  const float d = a - b;
  const float bv = d - a, av = d - bv;
  *dl = (a - av) + (-b - bv);
  return d;
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


// ------------------------------------------------------------ hot-path forms for the elementwise forwards
// Short, branch-free float32 forms for the forwards of sigmoid, softplus, exponential, elu, selu and tanh: no clamp
// or two-step scaling where a caller can redo the rare lanes (cpp.forward32Rare: the generated loop ORs a per-lane
// condition and recomputes those lanes with the float64 body in a second pass), polynomials fitted by minimax
// (Remez) on the reduced interval, so that they cost fewer operations than libmvec's float32 functions without
// FMA. Every CPU path computes the same operations and gives the same bits (no FMA contraction, no reciprocal
// estimates). Measured over every float32 with scripts/native/ulp32.cc (docs/tensorflow-backend.md).

// ln 2 = EXP_L1 + EXP_L2 with EXP_L2 > 0 (k·EXP_L1 exact for |k| < 2^8; x − k·EXP_L1 − k·EXP_L2 keeps −0 for k = 0).
constexpr float EXP_LOG2E = 1.44269504088896341f, EXP_MAGIC = 12582912.0f;  // 1.5·2^23: adding it rounds to an integer
constexpr float EXP_L1 = 0.693145751953125f, EXP_L2 = 1.42860676533018704e-06f;

// 2^k for the float32 t = x·log2(e) + 1.5·2^23 (its low mantissa bits hold the integer k), k in [−126, 127].
static inline float pow2_from_magic(float t) {
  uint32_t b;
  __builtin_memcpy(&b, &t, 4);
  b = (b << 23) + (127u << 23);
  float s;
  __builtin_memcpy(&s, &b, 4);
  return s;
}

// Cody–Waite reduction x = k·ln 2 + r for the functions below: returns r, with t = x·log2(e) + 1.5·2^23 (for
// pow2_from_magic) in *t. reduce_ln2_fma is the same with fused multiply-adds (tanh32, exp32_fma).
static inline float reduce_ln2(float x, float* t) {
  *t = x * EXP_LOG2E + EXP_MAGIC;
  const float k = *t - EXP_MAGIC;
  return (x - k * EXP_L1) - k * EXP_L2;
}
static inline float reduce_ln2_fma(float x, float* t) {
  *t = __builtin_fmaf(x, EXP_LOG2E, EXP_MAGIC);
  const float k = *t - EXP_MAGIC;
  return __builtin_fmaf(-k, EXP_L2, __builtin_fmaf(-k, EXP_L1, x));
}

// r + r²·q(r) with q(r) = c0 + c1·r + c2·r² + c3·r³ + c4·r⁴ (minimax on |r| ≤ 0.35): q in Estrin's form, a shorter
// dependency chain than Horner's with the same operation count. Two fits: EXP_Q for exp(r) = 1 + (r + r²·q)
// (relative to exp, 2^-28) and EXPM1_Q for expm1(r) (relative to expm1, 2^-26). expm1_poly_fma: the same as fused
// multiply-adds.
struct ExpPoly {
  float c0, c1, c2, c3, c4;
};
constexpr ExpPoly EXP_Q = {4.99999931e-01f, 1.66665148e-01f, 4.16684568e-02f, 8.36941883e-03f, 1.38131446e-03f};
constexpr ExpPoly EXPM1_Q = {4.99999980e-01f, 1.66665387e-01f, 4.16672213e-02f, 8.36718085e-03f, 1.38823959e-03f};
static inline float expm1_poly(float r, const ExpPoly& c) {
  const float r2 = r * r;
  const float qa = c.c1 * r + c.c0, qb = c.c3 * r + c.c2;
  const float q = qa + r2 * (qb + r2 * c.c4);
  return r + r2 * q;
}
static inline float expm1_poly_fma(float r, const ExpPoly& c) {
  const float r2 = r * r;
  const float qa = __builtin_fmaf(c.c1, r, c.c0), qb = __builtin_fmaf(c.c3, r, c.c2);
  const float q = __builtin_fmaf(r2, __builtin_fmaf(r2, c.c4, qb), qa);
  return __builtin_fmaf(r2, q, r);
}

// exp(x) for x in [−87.3, 88.3] (a normal float32 result; NaN gives NaN), within 1 ULP: one Cody–Waite reduction,
// exp(r) = 1 + (r + r²·q(r)) with q of degree 4 (minimax on |r| ≤ 0.35, relative error 2^-28), times 2^k. Outside
// that interval the result is wrong: the caller redoes those lanes (sigmoid, softplus, exponential).
static inline float exp32_fast(float x) {
  float t;
  const float r = reduce_ln2(x, &t);
  return (1.0f + expm1_poly(r, EXP_Q)) * pow2_from_magic(t);
}

// σ(x) for |x| ≤ 87 (e = exp32_fast(−|x|) a normal float32; NaN gives NaN), within 2 ULP: 1/(1 + e) or e/(1 + e),
// one division. For sigmoid's forward, softplus′, log_sigmoid′ (σ(−x)) and glu.
static inline float sigmoid32(float x) {
  const float e = exp32_fast(-std::fabs(x));
  return (x >= 0 ? 1.0f : e) / (1.0f + e);
}

// expm1(x) for x in [−87, 0] (NaN gives NaN; elsewhere the value is unspecified), within 1 ULP: reduced as in
// exp32_fast, expm1(r) = r + r²·q(r) (q of degree 4, minimax relative to expm1 on |r| ≤ 0.35, 2^-26), and
// expm1(x) = 2^k·expm1(r) + (2^k − 1) (both terms exact for k ≥ −24, one rounding). expm1(−0) is +0 here: callers
// that need −0 select x there.
static inline float expm1_neg32(float x) {
  float t;
  const float em = expm1_poly(reduce_ln2(x, &t), EXPM1_Q);
  const float s = pow2_from_magic(t);
  return s * em + (s - 1.0f);
}

// tanh(x) = sign(x)·(−m/(2 + m)) with m = expm1(−2|x|) (|x| taken up to 9.5, where tanh is 1 in float32): no
// cancellation near 0, ±0 for ±0. NaN gives a number: callers select x there. expm1 as in expm1_neg32 but with
// explicit fused multiply-adds (__builtin_fmaf: one rounding each, the same bits on every CPU path; a hardware
// instruction in the x86-64-v3 and -v4 clones and on aarch64, glibc's correctly rounded fmaf in the portable x86-64
// clone, which is therefore several times slower): 7 FMAs instead of 14 operations, about 24 % less time per
// element than the unfused form on AVX-512 (tf.tanh's Eigen rational function uses FMA too). 2 ULP over every float32.
static inline float tanh32(float x) {
  const float a = std::fabs(x);
  const float u = -2.0f * (a < 9.5f ? a : 9.5f);
  float t;
  const float em = expm1_poly_fma(reduce_ln2_fma(u, &t), EXPM1_Q);
  const float s = pow2_from_magic(t);
  const float m = __builtin_fmaf(s, em, s - 1.0f);
  return std::copysign(-m / (2.0f + m), x);
}

// log1p(e) for e in [0, 1] (softplus's log1p(exp(−|x|))): log(1 + e) = j·ln 2 + log(1 + f) with f = e exactly
// (j = 0, e ≤ 1/2) or f = (e − 1)/2 exactly (j = 1), and log(1 + f) = 2·atanh(s), s = f/(2 + f), written
// f − s·(f − s²·R(s²)) (2s = f − s·f), so that the rounding of s is damped by s (R of degree 2, minimax on
// |s| ≤ 0.2, 2^-28 relative).
static inline float log1p_unit32(float e) {
  const bool hi = e > 0.5f;
  const float f = hi ? (e - 1.0f) * 0.5f : e;
  const float s = f / (2.0f + f);
  const float z = s * s;
  float R = 3.03652488e-01f;
  R = R * z + 3.99576078e-01f;
  R = R * z + 6.66669495e-01f;
  const float l = f - s * (f - z * R);
  return hi ? 6.93147182e-01f + (l + -1.90465421e-09f) : l;
}

// exp32_fast with explicit fused multiply-adds (as tanh32: the same bits on every CPU path, glibc's fmaf in the
// portable clone): the same reduction and polynomial, 6 FMAs instead of 12 operations. For tanh_shrink's
// float32 form (src/activations/tanh_shrink.ts).
static inline float exp32_fma(float x) {
  float t;
  const float r = reduce_ln2_fma(x, &t);
  return (1.0f + expm1_poly_fma(r, EXP_Q)) * pow2_from_magic(t);
}

// The activations' own float32 forms (their definitions' cpp.helpers32, emitted into each one's namespace by
// scripts/native/generate.mjs) are always inlined: GCC would otherwise keep a large body (gelu's) out of line, compiled
// for the baseline target only (glibc's fmaf per element) instead of in each target clone of the caller's loop.
#define TFA_ALWAYS_INLINE static inline __attribute__((always_inline))

}  // namespace tfa

#endif  // TFA_MATH32_H_
