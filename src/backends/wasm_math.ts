/**
 * C++ helpers of the WebAssembly SIMD module (`wm_*`) over `D`, two float64
 * lanes (f64x2), written without branches or tables (vector selects, bit
 * casts, polynomials) and with no data segment. Each is compiled once, out
 * of line (`WMC`): the loops call them, so the module holds one copy of exp,
 * not one per loop. Their relative error is below 1e-13, far under a
 * float32 ULP (6e-8): the activations' float32 results stay within the cpu
 * budget. Included in the generated module whole; unused helpers compile away.
 */
export const WASM_MATH = String.raw`

// exp(x): x = k·ln2 + r, |r| ≤ ln2/2, exp(r) by its Taylor polynomial to r¹² (Estrin), 2^k applied as two
// normal powers of two, 2^k1·2^k2 with k1 = k/2 rounded, so that results down to the subnormals are rounded once
// and x is clamped to [−745.2, 709.8] (pmin/pmax: NaN stays NaN), beyond which the product is 0 or ∞ by itself.
// Without i64x2.shr_s (several x64 instructions in V8) and compare-selects: 8.5 → 6.3 ms per 1M out of line, 4.4
// inline (wm_exp_i, for the loops that call it on every lane).
WM D wm_exp_i(D x) {
  const double shift = 6755399441055744.0;  // 1.5·2^52: adding it rounds to an integer
  D c = wm_pmax(wm_pmin(x, D{} + 709.8), D{} - 745.2);
  D k = (c * 1.4426950408889634 + shift) - shift;
  D r = (c - k * 0.6931471803691238) - k * 1.9082149292705877e-10;
  D r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  D p = (1 + r) + r2 * (1.0 / 2 + r * (1.0 / 6)) +
             r4 * ((1.0 / 24 + r * (1.0 / 120)) + r2 * (1.0 / 720 + r * (1.0 / 5040))) +
             r8 * ((1.0 / 40320 + r * (1.0 / 362880)) + r2 * (1.0 / 3628800 + r * (1.0 / 39916800)) +
                   r4 * (1.0 / 479001600));
  D k1 = (k * 0.5 + shift) - shift, k2 = k - k1;
  D s1 = (D)((I64)(k1 + (shift + 1023)) << 52), s2 = (D)((I64)(k2 + (shift + 1023)) << 52);
  return p * s1 * s2;
}
WMC D wm_exp(D x) { return wm_exp_i(x); }

// expm1(x): its Taylor polynomial to x¹³ for |x| < 0.25 (no cancellation), exp(x) − 1 beyond.
WMC D wm_expm1(D x) {
  D x2 = x * x, x4 = x2 * x2;
  D q = (1.0 / 2 + x * (1.0 / 6)) +
             x2 * ((1.0 / 24 + x * (1.0 / 120)) + x2 * (1.0 / 720 + x * (1.0 / 5040))) +
             x4 * x2 * ((1.0 / 40320 + x * (1.0 / 362880)) + x2 * (1.0 / 3628800 + x * (1.0 / 39916800)) +
                        x4 * (1.0 / 479001600 + x * (1.0 / 6227020800.0)));
  D p = x * (1 + x * q);  // a product with x: keeps expm1(−0) = −0
  D e = wm_exp(x) - 1;
  return wm_abs(x) < 0.25 ? p : e;
}

// log(1 + e) for 0 ≤ e ≤ 1: 2·atanh(s), s = e/(2 + e) ≤ 1/3, by its odd series to s²¹.
WMC D wm_log1p_unit(D e) {
  D s = e / (2 + e), z = s * s, z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
  return 2 * s * ((1 + z * (1.0 / 3) + z2 * (1.0 / 5 + z * (1.0 / 7))) +
                  z4 * (1.0 / 9 + z * (1.0 / 11) + z2 * (1.0 / 13 + z * (1.0 / 15))) +
                  z8 * (1.0 / 17 + z * (1.0 / 19) + z2 * (1.0 / 21)));
}

// sigmoid from one exp of −|x|: no overflow, no cancellation.
WMC D wm_sigmoid(D x) {
  D e = wm_exp(-wm_abs(x)), r = 1 / (1 + e);  // one division: both sides use it
  return x >= 0 ? r : e * r;
}

// softplus(x) = max(x, 0) + log1p(exp(−|x|)).
WMC D wm_softplus(D x) {
  D a = wm_abs(x);
  D y = (x > 0 ? x : 0) + wm_log1p_unit(wm_exp(-a));
  return a == INF ? (x > 0 ? x : 0) : y;
}

// tanh: odd series below |x| = 0.1, else sign(x)·(1 − 2e/(1 + e)), e = exp(−2|x|).
WMC D wm_tanh(D x) {
  D z = x * x;
  D s = x * (1 + z * (-1.0 / 3 + z * (2.0 / 15 + z * (-17.0 / 315 + z * (62.0 / 2835 + z * (-1382.0 / 155925 +
      z * (21844.0 / 6081075)))))));
  D e = wm_exp(-2 * wm_abs(x));
  D t = 1 - 2 * e / (1 + e);
  return wm_abs(x) < 0.1 ? s : (x < 0 ? -t : t);
}

// sech(x)² = 4e/(1 + e)², e = exp(−2|x|).
WMC D wm_sech2(D x) {
  D e = wm_exp(-2 * wm_abs(x)), d = 1 + e;
  return 4 * e / (d * d);
}
// Φ(x), the standard normal CDF, for a float32 x (gelu), and e = exp(−x²/2) (φ(x)·√(2π), for gelu′): x² is exact
// in float64. |x| ≤ 2.5: Φ = 1/2 + x·Q(x²), Q(v) = erf(√(v/2))/(2√v) by a degree-15 polynomial (Chebyshev fit on
// [0, 6.25], error 6e-18, 4e-16 with float64 rounding; Φ(−2.5) = 1/2 − 0.494 cancels only 80×). |x| > 2.5: the tail T = erfc(|x|/√2)/2 =
// (√2/2)·e·H(2/x²)/|x|, H(w) = t·erfc(t)·exp(t²) at t = 1/√w by a degree-13 polynomial in w (Chebyshev fit on
// [0, 0.32], relative error 6e-11, far under a float32 ULP: gelu and gelu′ there do not cancel); Φ = T for x < 0,
// 1 − T for x > 0. One exponential per pair; the tail only when some lane of the pair is in it (the same bits
// either way). The msun rational forms with their intervals chosen per pair took 24.5 ms per 1M. ±∞: Φ = 0, 1.
// Coefficients: scripts/wasm/fit-gelu.py.
WM D wm_gelu_cdf(D x, D &e) {
  D v = x * x, a = wm_abs(x);
  e = wm_exp_i(-0.5 * v);
  D v2 = v * v, v4 = v2 * v2, v8 = v4 * v4;
  D q = (((0.39894228040143265 + v * -0.06649038006690497) + v2 * (0.009973557010029386 + v * -0.0011873282154457702)) +
         v4 * ((0.00011543468751775447 + v * -9.444656090399606e-06) +
               v2 * (6.659691604839962e-07 + v * -4.122652447981191e-08))) +
        v8 * (((2.273445897197654e-09 + v * -1.1297730820322299e-10) +
               v2 * (5.1020075375787936e-12 + v * -2.0983459051994958e-13)) +
              v4 * ((7.746074198482044e-15 + v * -2.4316164965464783e-16) +
                    v2 * (5.685648139048188e-18 + v * -7.171405098191551e-20)));
  D c = 0.5 + x * q;
  I64 tail = a > 2.5;
  if (!wm_any(tail)) return c;
  D inv = 1 / a, w = 2 * inv * inv, w2 = w * w, w4 = w2 * w2, w8 = w4 * w4;
  D h = (((0.5641895835166915 + w * -0.28209475346978274) + w2 * (0.4231341497419955 + w * -1.057172231965047)) +
         w4 * ((3.6711382959207297 + w * -15.759193924795762) + w2 * (73.69908312098997 + w * -328.74717733006344))) +
        w8 * (((1252.8636532132346 + w * -3762.0214987463896) + w2 * (8326.301200007407 + w * -12602.411175954903)) +
              w4 * (11567.265330463995 + w * -4836.150854945715));
  D t = 0.7071067811865476 * e * h * inv;
  return tail ? (x < 0 ? t : 1 - t) : c;
}
// (exp(r) − 1)/r for |r| ≤ ln2/2: the degree-5 polynomial interpolating it at the Chebyshev nodes, float32
// coefficients (1 + r·q(r) is within 0.18 ULP of exp(r)). Evaluated in Estrin's form (three pairs, combined by r²):
// 8 dependent operations instead of Horner's 10, and the loops are bound by that chain, not by the operation count
// (elu′ 1.04 → 0.91 ms per 1M; the same error bound, other roundings).
WM F wm_expq(F r) {
  F r2 = r * r;
  return (1 + r * 0.5f) + r2 * ((0.16666505f + r * 0.041666467f) + r2 * (0.0083691487f + r * 0.0013933642f));
}
// float32 exp(r) for |r| ≤ ln2/2.
WM F wm_exp_poly(F r) { return 1 + r * wm_expq(r); }
// −|x|: the sign bit set (one v128.or).
WM F wm_negabs(F x) { return (F)((I32)x | (I32{} + (int)0x80000000u)); }
// float32 exp for the float32 bodies (four lanes): x = k·ln2 + r (ln2 split in two, k·ln2_hi exact), 2^k applied
// in two halves so that subnormal results are rounded once; x is clamped to [−120, 89] first, outside which the
// result is 0 or ∞ anyway (also times an m up to 120). NaN stays NaN (pmin/pmax return their first operand).
// Inline: a call per vector costs as much as the polynomial.
WM F wm_exp(F x, F m) {
  F c = wm_pmax(wm_pmin(x, 89.0f), -120.0f);
  const float shift = 12582912.0f;  // 1.5·2^23: adding it rounds to an integer
  F kd = c * 1.44269504f + shift;
  F k = kd - shift;
  F r = (c - k * 0.693359375f) - k * -2.12194440e-4f;
  I32 ki = (I32)kd - (I32)(F{} + shift);
  I32 k1 = ki >> 1, k2 = ki - k1;
  return wm_exp_poly(r) * m * (F)((k1 + 127) << 23) * (F)((k2 + 127) << 23);
}
// m·exp(x) above is rounded once (m normal): the product stays exact through a subnormal exp(x).
WM F wm_exp(F x) { return wm_exp(x, F{} + 1); }
// float32 exp where the result is a normal float32 (−87 ≤ x ≤ 88): 2^k in one step (the exponent bias is in the
// rounding constant), no clamps. Other lanes get some value (never a trap): bodies using it name those lanes in
// their fallback mask, where the float64 bodies run. NaN stays NaN.
// x = k·ln2 + r (ln2 split in two, k·ln2_hi exact) for wm_expn, wm_expn_d and wm_expm1: returns r, with kd, whose
// low bits are k + 127, in kd (2^k is (F)((I32)kd << 23) for a normal 2^k).
WM F wm_reduce_ln2(F x, F &kd) {
  const float shift = 12582912.0f + 127;  // 1.5·2^23 + the bias
  kd = x * 1.44269504f + shift;
  F k = kd - shift;
  return (x - k * 0.693359375f) - k * -2.12194440e-4f;
}
WM F wm_expn(F x) {
  F kd, r = wm_reduce_ln2(x, kd);
  return wm_exp_poly(r) * (F)((I32)kd << 23);
}
// wm_expn for derivative bodies (16 ULP budget): 1 + r + r²·(c2 + c3·r + c4·r² + c5·r³), the degree-5 minimax fit of
// scripts/wasm/fit-exp64.mjs 5 (relative error 2^-22.7 before rounding, against 2^-26.5 for wm_exp_poly's), two
// operations and one step of the chain fewer.
WM F wm_expn_d(F x) {
  F kd, r = wm_reduce_ln2(x, kd), r2 = r * r;
  F p = (1 + r) + r2 * ((0.49998995f + r * 0.16666523f) + r2 * (0.04191753f + r * 0.0083691510f));
  return p * (F)((I32)kd << 23);
}
// float32 expm1 for x ≤ 88 (bodies name larger x in their fallback): x = k·ln2 + r, expm1(x) = 2^k·(r·q(r)) +
// (2^k − 1), which is r·q(r) itself for k = 0 (no cancellation near 0); below −87 it is −1. expm1(x) has x's sign:
// x's sign bit is or-ed in (one v128.and and one v128.or; it keeps −0, where the sum gives +0).
WM F wm_expm1(F x) {
  F kd, r = wm_reduce_ln2(wm_pmax(x, -87.0f), kd);
  F s = (F)((I32)kd << 23);
  F y = s * (r * wm_expq(r)) + (s - 1);
  return (F)((I32)y | ((I32)x & (I32{} + (int)0x80000000u)));
}
// float32 expm1 for x ≤ 0 (elu, selu: the lanes x > 0 get some value, never a trap, which their select drops; NaN
// stays NaN): as wm_expm1, but ln2 as one float32 constant, since on (−∞, 0] the error of fl(k·ln2) is scaled by
// eˣ/(1 − eˣ) in the result (k = −1, −2: exact products; k = −3: under 0.3 ULP); and −0 kept by the order of the
// operations (k·(−ln2) is −0 for k = 0, and s·(r·q) − (1 − s) then −0 − 0), not by the sign bit: 4 operations fewer.
WM F wm_expm1_neg(F x) {
  F c = wm_pmax(x, -87.0f);
  const float shift = 12582912.0f + 127;
  F kd = c * 1.44269504f + shift;
  F k = kd - shift;
  F r = c + k * -0.693147182f;
  F s = (F)((I32)kd << 23);
  return s * (r * wm_expq(r)) - (1 - s);
}
// float32 log(1 + e) for 0 ≤ e ≤ 1: 2·atanh(s), s = e/(2 + e) ≤ 1/3, by its odd series to s¹³.
WM F wm_log1p_unit(F e) {
  F s = e / (2 + e), z = s * s;
  return 2 * s * (1 + z * (1.0f / 3 + z * (1.0f / 5 + z * (1.0f / 7 + z * (1.0f / 9 + z * (1.0f / 11 +
      z * (1.0f / 13)))))));
}
// float32 softplus(x) = max(x, 0) + log1p(exp(−|x|)) for |x| ≤ 87 (bodies name the other lanes in their fallback).
WM F wm_softplus(F x) {
  return wm_pmax(x, 0) + wm_log1p_unit(wm_expn(wm_negabs(x)));
}
// float32 sigmoid for |x| ≤ 87 (the same): 1/(1 + e^−x), one exp and one division (e^−x ≤ e^87 stays finite, and
// neither side cancels).
WM F wm_sigmoid(F x) { return 1 / (1 + wm_expn(-x)); }
// float32 tanh for the float32 bodies: (1 − e)/(1 + e) with e = exp(−2|x|), as −m/(2 + m), m = expm1(−2|x|) (no
// cancellation near 0; m = −1 beyond |x| = 43.5, where tanh is ±1), x's sign copied back (±0 kept). NaN stays NaN.
WM F wm_tanh(F x) {
  F m = wm_expm1(-2 * wm_abs(x));
  return (F)((I32)(-m / (2 + m)) | ((I32)x & (I32{} + (int)0x80000000u)));
}
`;
