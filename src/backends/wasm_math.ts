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

// exp(x): x = k·ln2 + r, |r| ≤ ln2/2, exp(r) by its Taylor polynomial to r¹²
// (Estrin), 2^k applied as two normal powers of two so that results down to
// the subnormals and up to the overflow threshold are formed correctly.
WMC D wm_exp(D x) {
  D c = x > 709.8 ? 709.8 : (x < -745.2 ? -745.2 : x);
  const double shift = 6755399441055744.0;  // 1.5·2^52: adding it rounds to an integer
  D kd = c * 1.4426950408889634 + shift;
  D k = kd - shift;
  D r = (c - k * 0.6931471803691238) - k * 1.9082149292705877e-10;
  D r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  D p = (1 + r) + r2 * (1.0 / 2 + r * (1.0 / 6)) +
             r4 * ((1.0 / 24 + r * (1.0 / 120)) + r2 * (1.0 / 720 + r * (1.0 / 5040))) +
             r8 * ((1.0 / 40320 + r * (1.0 / 362880)) + r2 * (1.0 / 3628800 + r * (1.0 / 39916800)) +
                   r4 * (1.0 / 479001600));
  I64 ki = (I64)kd - (I64)(D){shift, shift};
  I64 k1 = ki >> 1, k2 = ki - k1;
  D s1 = (D)((k1 + 1023) << 52), s2 = (D)((k2 + 1023) << 52);
  D y = p * s1 * s2;
  return x > 709.782712893384 ? INF : (x < -745.1332191019412 ? 0 : y);
}

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
// erf and erfc from the rational approximations of FreeBSD's msun s_erf.c (the same as src/math.ts),
// every interval evaluated and the right one selected.
WMC D wm_erf_small(D z) {
  return (1.28379167095512558561e-01 + z * (-3.25042107247001499370e-01 + z * (-2.84817495755985104766e-02 +
      z * (-5.77027029648944159157e-03 + z * (-2.37630166566501626084e-05))))) /
         (1 + z * (3.97917223959155352819e-01 + z * (6.50222499887672944485e-02 + z * (5.08130628187576562776e-03 +
             z * (1.32494738004321644526e-04 + z * (-3.96022827877536812320e-06))))));
}
WMC D wm_erf_near_one(D a) {
  D s = a - 1;
  return (-2.36211856075265944077e-03 + s * (4.14856118683748331666e-01 + s * (-3.72207876035701323847e-01 +
      s * (3.18346619901161753674e-01 + s * (-1.10894694282396677476e-01 + s * (3.54783043256182359371e-02 +
      s * (-2.16637559486879084300e-03))))))) /
         (1 + s * (1.06420880400844228286e-01 + s * (5.40397917702171048937e-01 + s * (7.18286544141962662868e-02 +
             s * (1.26171219808761642112e-01 + s * (1.36370839120290507362e-02 +
             s * (1.19844998467991074170e-02)))))));
}
WMC D wm_erfc_tail(D a) {
  D s = 1 / (a * a), q = D{};
  I64 near = a < 1 / 0.35;
  if (wm_any(near)) {
  D ra = -9.86494403484714822705e-03 + s * (-6.93858572707181764372e-01 + s * (-1.05586262253232909814e+01 +
      s * (-6.23753324503260060396e+01 + s * (-1.62396669462573470355e+02 + s * (-1.84605092906711035994e+02 +
      s * (-8.12874355063065934246e+01 + s * (-9.81432934416914548592e+00)))))));
  D sa = 1 + s * (1.96512716674392571292e+01 + s * (1.37657754143519042600e+02 +
      s * (4.34565877475229228821e+02 + s * (6.45387271733267880336e+02 + s * (4.29008140027567833386e+02 +
      s * (1.08635005541779435134e+02 + s * (6.57024977031928170135e+00 + s * (-6.04244152148580987438e-02))))))));
  q = ra / sa;
  }
  if (wm_any(~near)) {
  D rb = -9.86494292470009928597e-03 + s * (-7.99283237680523006574e-01 + s * (-1.77579549177547519889e+01 +
      s * (-1.60636384855821916062e+02 + s * (-6.37566443368389627722e+02 + s * (-1.02509513161107724954e+03 +
      s * (-4.83519191608651397019e+02))))));
  D sb = 1 + s * (3.03380607434824582924e+01 + s * (3.25792512996573918826e+02 +
      s * (1.53672958608443695994e+03 + s * (3.19985821950859553908e+03 + s * (2.55305040643316442583e+03 +
      s * (4.74528541206955367215e+02 + s * (-2.24409524465858183362e+01)))))));
  q = near ? q : rb / sb;
  }
  return wm_exp(-a * a - 0.5625 + q) / a;
}
// erfc(x) for |x| ≥ 0.84375 (other lanes get some value: wm_normal_cdf takes erf's central form there). Each
// interval's form is evaluated only when some lane is in it (the selects pick the same values as evaluating all
// of them: the results are the same bits).
WMC D wm_erfc_far(D x) {
  D a = wm_abs(x), r = D{};
  I64 lo = a < 0.84375, mid = a < 1.25, far = a < 28;
  if (wm_any(mid & ~lo)) r = 1 - 8.45062911510467529297e-01 - wm_erf_near_one(a);
  if (wm_any(far & ~mid)) r = mid ? r : wm_erfc_tail(a);
  r = far ? r : 0;
  return x < 0 ? 2 - r : r;
}
// Φ(x) = erfc(−x/√2)/2, from erf's central rational form where Φ is in [0.2, 0.8].
WMC D wm_normal_cdf(D x) {
  D t = x * 0.7071067811865476, c = D{};
  I64 lo = wm_abs(t) < 0.84375;
  if (wm_any(lo)) c = 0.5 + 0.5 * (t + t * wm_erf_small(t * t));
  if (wm_any(~lo)) c = lo ? c : 0.5 * wm_erfc_far(-t);
  return c;
}
// (exp(r) − 1)/r for |r| ≤ ln2/2: the degree-5 polynomial interpolating it at the Chebyshev nodes, float32
// coefficients (1 + r·q(r) is within 0.18 ULP of exp(r)).
WM F wm_expq(F r) {
  return 1 + r * (0.5f + r * (0.16666505f + r * (0.041666467f + r * (0.0083691487f + r * 0.0013933642f))));
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
WM F wm_expn(F x) {
  const float shift = 12582912.0f + 127;  // 1.5·2^23 + the bias: kd's low bits are k + 127
  F kd = x * 1.44269504f + shift;
  F k = kd - shift;
  F r = (x - k * 0.693359375f) - k * -2.12194440e-4f;
  return wm_exp_poly(r) * (F)((I32)kd << 23);
}
// float32 expm1 for x ≤ 88 (bodies name larger x in their fallback): x = k·ln2 + r, expm1(x) = 2^k·(r·q(r)) +
// (2^k − 1), which is r·q(r) itself for k = 0 (no cancellation near 0); below −87 it is −1. expm1(x) has x's sign:
// x's sign bit is or-ed in (one v128.and and one v128.or; it keeps −0, where the sum gives +0).
WM F wm_expm1(F x) {
  F c = wm_pmax(x, -87.0f);
  const float shift = 12582912.0f + 127;
  F kd = c * 1.44269504f + shift;
  F k = kd - shift;
  F r = (c - k * 0.693359375f) - k * -2.12194440e-4f;
  F s = (F)((I32)kd << 23);
  F y = s * (r * wm_expq(r)) + (s - 1);
  return (F)((I32)y | ((I32)x & (I32{} + (int)0x80000000u)));
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
WMC D wm_normal_pdf(D x) {
  return 0.3989422804014327 * wm_exp(-0.5 * x * x);
}
`;
