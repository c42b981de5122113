/**
 * GLSL ES helpers for the webgl kernels: float32 math that stays within a
 * few ulp of the float64 definitions over the whole float32 range.
 *
 * GLSL ES 3.0 has no expm1, log1p or erf, and the built-in exp, log and
 * tanh of real drivers are not accurate enough (SwiftShader's exp is off by
 * up to ~60 ulp for |x| near 80, log by ~70 ulp near 1, and tanh overflows
 * to NaN above |x| ≈ 89). Everything here is built from + − × ÷ and sqrt,
 * which are correctly rounded, plus bit casts:
 *
 * - `expf`, `expm1`: Cody–Waite reduction x = k·ln2 + r (ln2 split so that
 *   k·ln2_hi is exact), a degree-9 Taylor polynomial for expm1(r) on
 *   |r| ≤ ln2/2, and an exact 2^k built from its bits. `ta_expmul(a, f)`
 *   returns f·exp(a) with the 2^k applied last, so f·exp(a) keeps its
 *   accuracy when exp(a) alone would be subnormal (GPUs flush subnormals).
 * - `logf`, `log1p`: x = 2^k·m with m in [√½, √2), log m = 2·atanh(s),
 *   s = f/(2 + f), f = m − 1 exact; log1p corrects the rounding of 1 + x.
 * - `erfc`: erfc(z) = exp(−z²)·erfcx(z) for z ≥ 0.5 with z² split exactly
 *   (Dekker), erfcx fitted in four pieces; erf(z)/z fitted for z < 0.5.
 *   `ta_ncdf` is Φ(x) = erfc(−x/√2)/2 with exp(−x²/2) from the exact x, so
 *   gelu keeps its relative accuracy down to where it underflows.
 * - Near a root of a derivative that is computed as a sum that cancels
 *   (silu′ at −1.278…, gelu′ at −0.7518…, mish″ at 1.4906…, …), the
 *   `rootfix_*` helpers evaluate (x − r)·Q(x) with r in double-float and Q
 *   fitted on the window where the direct sum would lose more than a factor
 *   3. The coefficients come from test/browser/tools/glsl_coefficients.py.
 *
 * Compilers fold chains of literal constants (ANGLE/SPIR-V turns
 * x − ((1 + x) − 1) into 0), which destroys error-compensation terms; every
 * constant inside such a chain is written `c + ta_z`, where `ta_z` is a
 * uniform that the kernels always set to 0.
 *
 * NaN inputs never reach these functions (the kernels test `ta_isnan`
 * first, with a bit test the compiler cannot fold away).
 *
 * WebGL 1 (GLSL ES 1.0) has no bit casts: there the helpers fall back on
 * the built-in exp2/log with reduced accuracy.
 */

interface Helper {
  name: string;
  code: string;
}

/** A float as a GLSL literal that rounds to the same float32. */
export function glslFloat(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`glslFloat: ${v} is not finite`);
  const s = String(v);
  return /[.eE]/.test(s) ? s : s + '.0';
}

/**
 * A JS constant for GLSL as a float32 literal and the float32 of its
 * remainder (v ≈ hi + lo), so that a definition writes the number once.
 */
export function glslSplit(v: number): [hi: string, lo: string] {
  const hi = Math.fround(v);
  return [glslFloat(hi), glslFloat(Math.fround(v - hi))];
}

/** A JS constant for GLSL, rounded to float32. */
export function glslF32(v: number): string {
  return glslFloat(Math.fround(v));
}

export interface Fit {
  /** Centre and inverse half-width of the interval: t = (x − m)·ih. */
  m: number;
  ih: number;
  /** Coefficients in t, highest degree first. */
  c: number[];
  /** Low part of the constant term. */
  lo: number;
}

/** Horner's rule in t = (arg − m)·ih, the constant term added as hi + lo last. */
export function horner(arg: string, f: Fit): string {
  const t = `((${arg}) - ${glslFloat(f.m)}) * ${glslFloat(f.ih)}`;
  const lines = [`float t = ${t};`, `float p = ${glslFloat(f.c[0])};`];
  for (const c of f.c.slice(1, -1)) lines.push(`p = p * t + ${glslFloat(c)};`);
  lines.push(`p = (p * t + (${glslFloat(f.lo)} + ta_z)) + ${glslFloat(f.c[f.c.length - 1])};`);
  return lines.join('\n    ');
}

// ---------------------------------------------------------------------------
// Fitted coefficients (test/browser/tools/glsl_coefficients.py).

/** erfcx(z) = exp(z²)·erfc(z) on [0.5, 1.5], [1.5, 3], [3, 5], [5, 10.1]. */
export const ERFCX: Array<Fit & {b: number}> = [
  {
    b: 1.5,
    m: 1.0,
    ih: 2.0,
    lo: 9.070887374562631e-10,
    c: [
      4.408848781167762e-6, -2.3388725821860135e-5, 0.00010867579840123653, -0.000519348424859345,
      0.0023483335971832275, -0.009903743863105774, 0.03859288617968559, -0.13660597801208496, 0.42758357524871826,
    ],
  },
  {
    b: 3.0,
    m: 2.25,
    ih: 1.3333333730697632,
    lo: 6.2327187855260036e-9,
    c: [
      3.234480345781776e-6, -1.5175251064647455e-5, 6.180591299198568e-5, -0.0002702934725675732, 0.0011451359605416656,
      -0.00464180763810873, 0.017995847389101982, -0.06636485457420349, 0.23108725249767303,
    ],
  },
  {
    b: 5.0,
    m: 4.0,
    ih: 1.0,
    lo: -4.4950831945556047e-10,
    c: [
      7.835106430320593e-7, -3.8529142329934984e-6, 1.6854153727763332e-5, -7.964727410580963e-5, 0.0003703668771777302,
      -0.0016812552930787206, 0.007465431932359934, -0.032383501529693604, 0.1369994580745697,
    ],
  },
  {
    b: 10.1,
    m: 7.550000190734863,
    ih: 0.3921568691730499,
    lo: -3.4899774181695875e-9,
    c: [
      1.1163409681103076e-6, -3.609732630138751e-6, 8.523643373337109e-6, -2.7053343728766777e-5, 8.831753802951425e-5,
      -0.0002765771932899952, 0.000858350598718971, -0.0026475628837943077, 0.008103094063699245, -0.024602271616458893,
      0.07408816367387772,
    ],
  },
];

/** erf(z)/z as a polynomial in z² on [0, 0.25]. */
export const ERF_SMALL: Fit = {
  m: 0.125,
  ih: 8.0,
  lo: -4.7281712767244244e-8,
  c: [1.1521198075570283e-6, -4.765271660289727e-5, 0.0016130715375766158, -0.04364205151796341, 1.0830752849578857],
};

/** A root of a derivative that cancels, with the fit of Q on its window (test/browser/tools/glsl_coefficients.py). */
export interface Root extends Fit {
  /** The root in double-float and the window [a, b] around it. */
  rh: number;
  rl: number;
  a: number;
  b: number;
}

/**
 * `float rootfix_<name>(float x, float direct)`: near the given roots, the
 * value computed directly as `direct` is replaced by (x − r)·Q(x). For a
 * definition's `glsl.helpers`.
 */
export function rootfix(name: string, roots: readonly Root[]): string {
  const branches = roots
    .map(
      r => `
  if (x > ${glslFloat(r.a)} && x < ${glslFloat(r.b)}) {
    float d = (x - ${glslFloat(r.rh)}) - (${glslFloat(r.rl)} + ta_z);
    ${horner('x', r)}
    return d * p;
  }`,
    )
    .join('');
  return `
// Near its roots, the value computed directly as \`direct\` is replaced by (x − r)·Q(x).
float rootfix_${name}(float x, float direct) {${branches}
  return direct;
}`;
}

// ---------------------------------------------------------------------------

const HELPERS: Helper[] = [
  {
    name: 'ta_isnan',
    code: `
#if __VERSION__ >= 300
bool ta_isnan(float x) { return (floatBitsToUint(x) & 0x7fffffffu) > 0x7f800000u; }
float ta_inf() { return uintBitsToFloat(0x7f800000u); }
float ta_nan() { return uintBitsToFloat(0x7fc00000u); }
// y, or the zero with the sign of s where y is ±0 (a product s·(positive) that underflowed or was folded to +0).
float ta_zsign(float y, float s) {
  return (floatBitsToUint(y) & 0x7fffffffu) == 0u ? uintBitsToFloat(floatBitsToUint(s) & 0x80000000u) : y;
}
// 2^k for -126 <= k <= 127, exactly.
float ta_pow2i(int k) { return intBitsToFloat((k + 127) * 8388608); }
#else
bool ta_isnan(float x) { return !(x < 0.0 || x > 0.0 || x == 0.0); }
float ta_inf() { return exp2(256.0); }
float ta_nan() { return ta_inf() - ta_inf(); }
float ta_zsign(float y, float s) { return y; }
float ta_pow2i(int k) { return exp2(float(k)); }
#endif
// x > h + l and x < h + l for a constant given as float32 h plus remainder l.
bool ta_gt(float x, float h, float l) { return x > h || (x == h && l < 0.0); }
bool ta_lt(float x, float h, float l) { return x < h || (x == h && l > 0.0); }
// y·2^k for |k| <= 252, in two exact steps (only the last can round).
float ta_ldexp(float y, int k) {
  int h = k / 2;
  return y * ta_pow2i(h) * ta_pow2i(k - h);
}`,
  },
  {
    name: 'ta_df',
    code: `
// Double-float helpers (Dekker): no fused multiply-add needed.
vec2 ta_split(float a) {
  float c = 4097.0 * a;
  float h = c - (c - a);
  return vec2(h, a - h);
}
// a·b = p + e exactly (|a|, |b| < 1e34).
vec2 ta_two_prod(float a, float b) {
  float p = a * b;
  vec2 A = ta_split(a), B = ta_split(b);
  float e = ((A.x * B.x - p) + A.x * B.y + A.y * B.x) + A.y * B.y;
  return vec2(p, e);
}
// a + b = s + e exactly.
vec2 ta_two_sum(float a, float b) {
  float s = a + b;
  float bb = s - a;
  return vec2(s, (a - (s - bb)) + (b - bb));
}
vec2 ta_fast_two_sum(float a, float b) {
  float s = a + b;
  return vec2(s, b - (s - a));
}`,
  },
  {
    name: 'ta_exp',
    code: `
// expm1(r) for |r| <= 0.35: Taylor to r^9 (truncation < 3e-11 relative).
float ta_expm1_small(float r) {
  float p = 2.7557319e-6;
  p = p * r + 2.4801587e-5;
  p = p * r + 1.9841270e-4;
  p = p * r + 1.3888889e-3;
  p = p * r + 8.3333333e-3;
  p = p * r + 4.1666668e-2;
  p = p * r + 1.6666667e-1;
  p = p * r + 0.5;
  return r + (r * r) * p;
}
#if __VERSION__ >= 300
// f·exp(a + alo) (|alo| tiny), rounding before the final exact scaling by 2^k.
float ta_expmul2(float a, float alo, float f) {
  if (ta_isnan(a)) return a;
  if (a > 170.0) return f == 0.0 ? 0.0 : f * ta_inf();
  if (a < -170.0) return ta_zsign(0.0, f);
  float k = floor(a * 1.4426950408889634 + 0.5);
  float hi = a - k * 6.93145751953125e-1;      // k·ln2_hi is exact
  float lo = k * 1.428606765330187e-6;
  float r = hi - lo;
  float c = ((hi - r) - lo) + alo;
  float p = ta_expm1_small(r);
  p = p + c * (1.0 + p);
  return ta_zsign(ta_ldexp(f + f * p, int(k)), f);
}
#else
float ta_expmul2(float a, float alo, float f) {
  if (a > 170.0) return f == 0.0 ? 0.0 : f * ta_inf();
  if (a < -170.0) return f * 0.0;
  float k = floor(a * 1.4426950408889634 + 0.5);
  float r = (a - k * 6.93145751953125e-1) - k * 1.428606765330187e-6 + alo;
  float p = ta_expm1_small(r);
  return ta_ldexp(f + f * p, int(k));
}
#endif
float ta_expmul(float a, float f) { return ta_expmul2(a, 0.0, f); }
float expf(float x) { return ta_expmul2(x, 0.0, 1.0); }
float expm1(float x) {
  if (x == 0.0) return x;  // keeps the sign of zero: expm1(−0) = −0 (elu, celu, selu at −0)
  if (abs(x) < 0.34657359) return ta_expm1_small(x);
  if (x < -17.5) return -1.0;
  if (x > 88.72284) return ta_inf();
  float k = floor(x * 1.4426950408889634 + 0.5);
  float hi = x - k * 6.93145751953125e-1;
  float lo = k * 1.428606765330187e-6;
  float r = hi - lo;
  float c = (hi - r) - lo;
  float p = ta_expm1_small(r);
  p = p + c * (1.0 + p);
  int ki = int(k);
  if (ki > 24) return ta_ldexp(1.0 + p, ki);
  float tk = ta_pow2i(ki);
  return tk * p + (tk - 1.0);
}
// f·exp(−x²/2) with x² split exactly (no loss for large |x|).
float ta_expmul_negsqhalf(float x, float f) {
  vec2 q = ta_two_prod(x, x);
  return ta_expmul2(-0.5 * q.x, -0.5 * q.y, f);
}
// f·exp(−x²).
float ta_expmul_negsq(float x, float f) {
  vec2 q = ta_two_prod(x, x);
  return ta_expmul2(-q.x, -q.y, f);
}`,
  },
  {
    name: 'ta_log',
    code: `
#if __VERSION__ >= 300
float logf(float x) {
  if (x < 0.0) return ta_nan();
  if (x == 0.0) return -ta_inf();
  if (x > 3.4028234e38) return x;
  int ix = floatBitsToInt(x);
  int k = ix / 8388608 - 127;
  if (k == -127) {                    // subnormal input
    ix = floatBitsToInt(x * 33554432.0);
    k = ix / 8388608 - 152;
  }
  int m = ix - (ix / 8388608) * 8388608;
  float mf;
  if (m > 3474675) {                  // mantissa above sqrt(2): use m/2
    mf = intBitsToFloat(m + 1056964608);
    k += 1;
  } else {
    mf = intBitsToFloat(m + 1065353216);
  }
  float f = mf - 1.0;                 // exact, in [sqrt(1/2) - 1, sqrt(2) - 1)
  float s = f / (2.0 + f);
  float z = s * s;
  float w = z * z;
  // 2·atanh(s) = 2s + s·R(z), R = 2z/3 + 2z²/5 + 2z³/7 + 2z⁴/9 + 2z⁵/11
  float R = z * (0.6666666666666666 + w * (0.2857142857142857 + w * 0.18181818181818182)) +
            w * (0.4 + w * 0.2222222222222222);
  float hfsq = 0.5 * f * f;
  float dk = float(k);
  return dk * 6.93145751953125e-1 - ((hfsq - (s * (hfsq + R) + dk * 1.428606765330187e-6)) - f);
}
#else
float logf(float x) { return log(x); }
#endif
// log(1 + x), correcting for the rounding of 1 + x.
float log1p(float x) {
  if (x == -1.0) return -ta_inf();
  if (x > 1e30) return logf(x);
  float one = 1.0 + ta_z;
  float u = one + x;
  if (u == 1.0) return x;
  return logf(u) + (x - (u - one)) / u;
}`,
  },
  {
    name: 'sigmoid',
    code: `
float sigmoid(float x) {
  if (x >= 0.0) return 1.0 / (1.0 + expf(-x));
  float e = expf(x);
  return e / (1.0 + e);
}
// f·sigmoid(a + alo), without a subnormal intermediate when a << 0.
float ta_sigmoid_mul2(float a, float alo, float f) {
  if (a >= 0.0) return f / (1.0 + ta_expmul2(-a, -alo, 1.0));
  return ta_expmul2(a, alo, f) / (1.0 + ta_expmul2(a, alo, 1.0));
}
float ta_sigmoid_mul(float a, float f) { return ta_sigmoid_mul2(a, 0.0, f); }
// sigmoid(x)·sigmoid(−x)·f.
float ta_dsigmoid_mul(float x, float f) {
  float a = abs(x);
  return ta_sigmoid_mul(-a, f * sigmoid(a));
}
// log(1 + exp(x)).
float softplus(float x) {
  if (x > 0.0) return x + log1p(expf(-x));
  return log1p(expf(x));
}`,
  },
  {
    name: 'tanhf',
    code: `
float tanhf(float x) {
  float a = abs(x);
  if (a < 2e-4) return x;              // tanh x = x(1 − x²/3 + …) rounds to x
  if (a > 9.1) return x > 0.0 ? 1.0 : -1.0;
  float t;
  if (a > 0.55) {
    t = 1.0 - 2.0 / (expf(2.0 * a) + 1.0);
  } else {
    float e = expm1(-2.0 * a);         // in (−0.67, 0]
    t = -e / (2.0 + e);
  }
  return x < 0.0 ? -t : t;
}
// f·sech²(x) = f·4e/(1 + e)², e = exp(−2|x|).
float ta_sech2_mul(float x, float f) {
  float a = abs(x);
  float e = expf(-2.0 * a);
  float d = 1.0 + e;
  return ta_expmul(-2.0 * a, (4.0 * f / d) / d);
}
float sech2(float x) { return ta_sech2_mul(x, 1.0); }`,
  },
  {
    name: 'erfc',
    code: `
// exp(z²)·erfc(z) for z >= 0.5.
float ta_erfcx(float z) {
  if (z < ${glslFloat(ERFCX[0].b)}) {
    ${horner('z', ERFCX[0])}
    return p;
  }
  if (z < ${glslFloat(ERFCX[1].b)}) {
    ${horner('z', ERFCX[1])}
    return p;
  }
  if (z < ${glslFloat(ERFCX[2].b)}) {
    ${horner('z', ERFCX[2])}
    return p;
  }
  if (z < ${glslFloat(ERFCX[3].b)}) {
    ${horner('z', ERFCX[3])}
    return p;
  }
  // asymptotic series, relative error < 3e-9 from z = 10.1 on
  float w = 1.0 / (z * z);
  float s = 1.0 + w * (-0.5 + w * (0.75 + w * (-1.875 + w * 6.5625)));
  return 0.5641895835477563 / z * s;
}
// erf(z) for |z| < 0.5.
float ta_erf_small(float z) {
  float u = z * z;
  ${horner('u', ERF_SMALL)}
  return z * p;
}
float erfc(float x) {
  float a = abs(x);
  if (a < 0.5) return 1.0 - ta_erf_small(x);
  float q = a > 10.5 ? 0.0 : ta_expmul_negsq(a, ta_erfcx(a));
  return x > 0.0 ? q : 2.0 - q;
}
float erf(float x) {
  float a = abs(x);
  if (a < 0.5) return ta_erf_small(x);
  float q = a > 10.5 ? 0.0 : ta_expmul_negsq(a, ta_erfcx(a));
  return x > 0.0 ? 1.0 - q : q - 1.0;
}
// f·Φ(x), Φ the standard normal cdf, accurate in both tails.
float ta_ncdf_mul(float x, float f) {
  float z = abs(x) * 0.7071067811865476;
  if (z < 0.5) return f * (0.5 + 0.5 * ta_erf_small(x * 0.7071067811865476));
  if (x < -15.0) return f * 0.0;
  // Φ(x) = erfc(z)/2 = exp(−x²/2)·erfcx(z)/2 for x < 0
  float q = ta_expmul_negsqhalf(x, 0.5 * ta_erfcx(z) * f);
  return x < 0.0 ? q : f - q;
}`,
  },
];

/** Which helper defines which function names. */
const PROVIDES: Record<string, string[]> = {
  ta_isnan: ['ta_isnan', 'ta_inf', 'ta_nan', 'ta_zsign', 'ta_pow2i', 'ta_ldexp', 'ta_gt', 'ta_lt'],
  ta_df: ['ta_split', 'ta_two_prod', 'ta_two_sum', 'ta_fast_two_sum'],
  ta_exp: ['ta_expm1_small', 'ta_expmul2', 'ta_expmul', 'expf', 'expm1', 'ta_expmul_negsqhalf', 'ta_expmul_negsq'],
  ta_log: ['logf', 'log1p'],
  sigmoid: ['sigmoid', 'ta_sigmoid_mul2', 'ta_sigmoid_mul', 'ta_dsigmoid_mul', 'softplus'],
  tanhf: ['tanhf', 'ta_sech2_mul', 'sech2'],
  erfc: ['ta_erfcx', 'ta_erf_small', 'erfc', 'erf', 'ta_ncdf_mul'],
};

function uses(code: string, fn: string): boolean {
  return new RegExp(`\\b${fn}\\s*\\(`).test(code);
}

/**
 * The helpers that `snippets` call, directly or through other helpers, in
 * dependency order (helpers only call helpers listed before them).
 */
export function glslHelpers(...snippets: string[]): string {
  const needed = new Set<number>();
  const visit = (code: string) => {
    HELPERS.forEach((h, i) => {
      if (needed.has(i)) return;
      if (PROVIDES[h.name].some(fn => uses(code, fn))) {
        needed.add(i);
        visit(h.code);
      }
    });
  };
  visit(snippets.join('\n'));
  needed.add(0); // ta_isnan: the kernels' NaN test
  return HELPERS.filter((_, i) => needed.has(i))
    .map(h => h.code)
    .join('\n');
}
