/**
 * C helpers of the WebAssembly SIMD module (`wm_*`), in float64 and written
 * without branches or tables (selects, bit casts, polynomials) so that clang
 * vectorizes the loops that inline them into f64x2 code, with no data
 * segment. Their relative error is below 1e-13, far under a float32 ULP
 * (6e-8): the activations' float32 results stay within the cpu budget.
 * Included in the generated module whole; unused helpers compile away.
 */
export const WASM_MATH = String.raw`
typedef unsigned long long wm_u64;
typedef long long wm_i64;
static inline wm_u64 wm_bits(double x) { return __builtin_bit_cast(wm_u64, x); }
static inline double wm_double(wm_u64 b) { return __builtin_bit_cast(double, b); }

// exp(x): x = k·ln2 + r, |r| ≤ ln2/2, exp(r) by its Taylor polynomial to r¹²
// (Estrin), 2^k applied as two normal powers of two so that results down to
// the subnormals and up to the overflow threshold are formed correctly.
static inline double wm_exp(double x) {
  double c = x > 709.8 ? 709.8 : (x < -745.2 ? -745.2 : x);
  const double shift = 6755399441055744.0;  // 1.5·2^52: adding it rounds to an integer
  double kd = c * 1.4426950408889634 + shift;
  double k = kd - shift;
  double r = (c - k * 0.6931471803691238) - k * 1.9082149292705877e-10;
  double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  double p = (1 + r) + r2 * (1.0 / 2 + r * (1.0 / 6)) +
             r4 * ((1.0 / 24 + r * (1.0 / 120)) + r2 * (1.0 / 720 + r * (1.0 / 5040))) +
             r8 * ((1.0 / 40320 + r * (1.0 / 362880)) + r2 * (1.0 / 3628800 + r * (1.0 / 39916800)) +
                   r4 * (1.0 / 479001600));
  wm_i64 ki = (wm_i64)(wm_bits(kd) - wm_bits(shift));
  wm_i64 k1 = ki >> 1, k2 = ki - k1;
  double s1 = wm_double((wm_u64)(k1 + 1023) << 52), s2 = wm_double((wm_u64)(k2 + 1023) << 52);
  double y = p * s1 * s2;
  return x > 709.782712893384 ? INF : (x < -745.1332191019412 ? 0 : y);
}

// expm1(x): its Taylor polynomial to x¹³ for |x| < 0.25 (no cancellation), exp(x) − 1 beyond.
static inline double wm_expm1(double x) {
  double x2 = x * x, x4 = x2 * x2, x8 = x4 * x4;
  double p = x + x2 * (1.0 / 2 + x * (1.0 / 6)) +
             x4 * ((1.0 / 24 + x * (1.0 / 120)) + x2 * (1.0 / 720 + x * (1.0 / 5040))) +
             x8 * ((1.0 / 40320 + x * (1.0 / 362880)) + x2 * (1.0 / 3628800 + x * (1.0 / 39916800)) +
                   x4 * (1.0 / 479001600 + x * (1.0 / 6227020800.0)));
  double e = wm_exp(x) - 1;
  return wm_abs(x) < 0.25 ? p : e;
}

// log(1 + e) for 0 ≤ e ≤ 1: 2·atanh(s), s = e/(2 + e) ≤ 1/3, by its odd series to s²¹.
static inline double wm_log1p_unit(double e) {
  double s = e / (2 + e), z = s * s, z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
  return 2 * s * ((1 + z * (1.0 / 3) + z2 * (1.0 / 5 + z * (1.0 / 7))) +
                  z4 * (1.0 / 9 + z * (1.0 / 11) + z2 * (1.0 / 13 + z * (1.0 / 15))) +
                  z8 * (1.0 / 17 + z * (1.0 / 19) + z2 * (1.0 / 21)));
}

// sigmoid from one exp of −|x|: no overflow, no cancellation.
static inline double wm_sigmoid(double x) {
  double e = wm_exp(-wm_abs(x)), d = 1 + e;
  return x >= 0 ? 1 / d : e / d;
}

// softplus(x) = max(x, 0) + log1p(exp(−|x|)).
static inline double wm_softplus(double x) {
  double a = wm_abs(x);
  double y = (x > 0 ? x : 0) + wm_log1p_unit(wm_exp(-a));
  return a == INF ? (x > 0 ? x : 0) : y;
}

// tanh: odd series below |x| = 0.1, else sign(x)·(1 − 2e/(1 + e)), e = exp(−2|x|).
static inline double wm_tanh(double x) {
  double z = x * x;
  double s = x * (1 + z * (-1.0 / 3 + z * (2.0 / 15 + z * (-17.0 / 315 + z * (62.0 / 2835 + z * (-1382.0 / 155925 +
      z * (21844.0 / 6081075)))))));
  double e = wm_exp(-2 * wm_abs(x));
  double t = 1 - 2 * e / (1 + e);
  return wm_abs(x) < 0.1 ? s : (x < 0 ? -t : t);
}

// sech(x)² = 4e/(1 + e)², e = exp(−2|x|).
static inline double wm_sech2(double x) {
  double e = wm_exp(-2 * wm_abs(x)), d = 1 + e;
  return 4 * e / (d * d);
}
`;
