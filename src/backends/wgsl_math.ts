/**
 * WGSL helpers for the webgpu kernels: the float32 math of `glsl_math.ts`
 * (same reductions, polynomials, fitted coefficients and double-float
 * tricks, see there for the reasons), written in WGSL and arranged for
 * SwiftShader, which compiles a shader to CPU code that runs 4 invocations
 * in SIMD lanes, so that every operation costs and both sides of a branch
 * run when the lanes disagree:
 * - selects instead of branches; ranges handled by clamping the argument
 *   and selecting the special values at the end;
 * - no integer division and no float-to-int conversion (2^k from a float
 *   integer's bits, `ta_exp_pk`/`ta_scale`; log's exponent by shifts);
 * - one reduction shared where a formula needs exp(x) twice (sigmoid,
 *   f·sigmoid, sigmoid′, tanh, mish: exp and expm1 of the same argument);
 * - exp's Taylor polynomial to r^8 (the r^9 term is below 6e-10 relative);
 *   erfcx's two inner fits as one Horner whose coefficients are selected
 *   by interval, the outer ones (rarely needed) in branches.
 * The measured ULP maxima are those of the GLSL helpers (docs/webgpu.md).
 *
 * WGSL differences that matter here:
 * - Constant expressions are evaluated at shader creation in higher
 *   precision, and a literal chain could be folded; as in GLSL, every
 *   constant inside an error-compensation chain is written `c + ta_z`, where
 *   `ta_z` is a private variable set from a uniform that is always 0.
 * - Infinity and NaN cannot be written as constants (a constant expression
 *   that overflows is a shader-creation error): `ta_inf()`/`ta_nan()` build
 *   them at run time from `ta_z`'s bits.
 * - The shader may not assume anything about NaN: NaN tests are bit tests.
 *
 * Kernels declare `var<private> u`, `ul` (vec4<f32>) and `ta_z` (f32) and
 * set them from the uniforms before calling any helper.
 */
import {ERF_SMALL, ERFCX, glslFloat as wgslFloat, type Fit, type Root} from './glsl_math';

export {wgslFloat};

interface Helper {
  name: string;
  code: string;
}

/** Horner's rule in t = (arg − m)·ih, the constant term added as hi + lo last (defines `p`). */
export function wgslHorner(arg: string, f: Fit): string {
  const lines = [`let t = ((${arg}) - ${wgslFloat(f.m)}) * ${wgslFloat(f.ih)};`, `var p: f32 = ${wgslFloat(f.c[0])};`];
  for (const c of f.c.slice(1, -1)) lines.push(`p = p * t + ${wgslFloat(c)};`);
  lines.push(`p = (p * t + (${wgslFloat(f.lo)} + ta_z)) + ${wgslFloat(f.c[f.c.length - 1])};`);
  return lines.join('\n    ');
}

/**
 * `fn rootfix_<name>(x: f32, direct: f32) -> f32`: near the given roots, the
 * value computed directly as `direct` is replaced by (x − r)·Q(x). For a
 * definition's `wgsl.helpers` (the WGSL twin of glsl_math.ts's `rootfix`).
 */
export function wgslRootfix(name: string, roots: readonly Root[]): string {
  const branches = roots
    .map(
      r => `
  if (x > ${wgslFloat(r.a)} && x < ${wgslFloat(r.b)}) {
    let d = (x - ${wgslFloat(r.rh)}) - (${wgslFloat(r.rl)} + ta_z);
    ${wgslHorner('x', r)}
    return d * p;
  }`,
    )
    .join('');
  return `
fn rootfix_${name}(x: f32, direct: f32) -> f32 {${branches}
  return direct;
}`;
}

/**
 * The body of `ta_erfcx_fit`: ERFCX's first two fits (z < 3, most
 * arguments) as two Horners, the result chosen by `select`; the other two
 * likewise in one block taken when a lane has z >= 3. On SwiftShader this
 * ran about 1.2× faster than one Horner whose coefficients were each
 * selected by interval with the outer fits in branches that return early
 * (selects of constants and returns from divergent branches cost there),
 * with the same results.
 */
function erfcxFit(): string {
  const horner = (f: Fit, v: number) => wgslHorner('z', f).replace(/\bt\b/g, `t${v}`).replace(/\bp\b/g, `p${v}`);
  const [f0, f1, f2, f3] = ERFCX;
  if (ERFCX.length !== 4) throw new Error('ta_erfcx_fit expects four fits');
  return `
  ${horner(f0, 0)}
  ${horner(f1, 1)}
  var r = select(p0, p1, z >= ${wgslFloat(f0.b)});
  if (z >= ${wgslFloat(f1.b)}) {
    ${horner(f2, 2)}
    ${horner(f3, 3)}
    r = select(p2, p3, z >= ${wgslFloat(f2.b)});
  }
  return r;`;
}

const HELPERS: Helper[] = [
  {
    name: 'ta_isnan',
    code: `
fn ta_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn ta_inf() -> f32 { return bitcast<f32>(bitcast<u32>(ta_z) | 0x7f800000u); }
fn ta_nan() -> f32 { return bitcast<f32>(bitcast<u32>(ta_z) | 0x7fc00000u); }
// y, or the zero with the sign of s where y is ±0 (a product s·(positive) that underflowed or was folded to +0).
fn ta_zsign(y: f32, s: f32) -> f32 {
  return select(y, bitcast<f32>(bitcast<u32>(s) & 0x80000000u), (bitcast<u32>(y) & 0x7fffffffu) == 0u);
}
// 2^k for -126 <= k <= 127, exactly.
fn ta_pow2i(k: i32) -> f32 { return bitcast<f32>((k + 127) << 23u); }
// x > h + l and x < h + l for a constant given as float32 h plus remainder l.
fn ta_gt(x: f32, h: f32, l: f32) -> bool { return x > h || (x == h && l < 0.0); }
fn ta_lt(x: f32, h: f32, l: f32) -> bool { return x < h || (x == h && l > 0.0); }
// y·2^k for |k| <= 252, in two exact steps (only the last can round).
fn ta_ldexp(y: f32, k: i32) -> f32 {
  let h = k >> 1u;
  return y * ta_pow2i(h) * ta_pow2i(k - h);
}`,
  },
  {
    name: 'ta_df',
    code: `
fn ta_split(a: f32) -> vec2<f32> {
  let c = (4097.0 + ta_z) * a;
  let h = c - (c - a);
  return vec2<f32>(h, a - h);
}
// a·b = p + e exactly (|a|, |b| < 1e34).
fn ta_two_prod(a: f32, b: f32) -> vec2<f32> {
  let p = a * b;
  let A = ta_split(a);
  let B = ta_split(b);
  let e = ((A.x * B.x - p) + A.x * B.y + A.y * B.x) + A.y * B.y;
  return vec2<f32>(p, e);
}
// a + b = s + e exactly.
fn ta_two_sum(a: f32, b: f32) -> vec2<f32> {
  let s = a + b;
  let bb = s - a;
  return vec2<f32>(s, (a - (s - bb)) + (b - bb));
}
fn ta_fast_two_sum(a: f32, b: f32) -> vec2<f32> {
  let s = a + b;
  return vec2<f32>(s, b - (s - a));
}`,
  },
  {
    name: 'ta_exp',
    code: `
// expm1(r) for |r| <= 0.35: Taylor to r^8 (the remainder is below 6e-10 relative).
fn ta_expm1_small(r: f32) -> f32 {
  var p: f32 = 2.4801587e-5;
  p = p * r + 1.9841270e-4;
  p = p * r + 1.3888889e-3;
  p = p * r + 8.3333333e-3;
  p = p * r + 4.1666668e-2;
  p = p * r + 1.6666667e-1;
  p = p * r + 0.5;
  return r + (r * r) * p;
}
// exp(a + alo) = (1 + p)·2^k for |a| <= 170 (|alo| tiny): returns (p, t) where t = k + 1.5·2^23, so that
// k is in t's low bits (ta_scale) without a float-to-int conversion; the reduction a − k·ln 2 is exact.
// (k itself comes from floor: a shifter subtracted again, (y + 1.5·2^23) − 1.5·2^23, is folded to y here.)
fn ta_exp_pk(a: f32, alo: f32) -> vec2<f32> {
  let k = floor(a * 1.4426950408889634 + 0.5);
  let t = k + 12582912.0;
  let hi = a - k * 6.93145751953125e-1;
  let lo = k * 1.428606765330187e-6;
  let r = hi - lo;
  let c = ((hi - r) - lo) + alo;
  let p = ta_expm1_small(r);
  return vec2<f32>(p + c * (1.0 + p), t);
}
// y·2^k for the t of ta_exp_pk.
fn ta_scale(y: f32, t: f32) -> f32 { return ta_ldexp(y, bitcast<i32>(t) - 0x4b400000); }
// f·exp(a + alo) (|alo| tiny), rounding before the final exact scaling by 2^k.
fn ta_expmul2(a: f32, alo: f32, f: f32) -> f32 {
  let e = ta_exp_pk(clamp(a, -170.0, 170.0), alo);
  let y = ta_scale(f + f * e.x, e.y);
  let over = select(f * ta_inf(), 0.0, f == 0.0);
  return select(select(ta_zsign(select(y, ta_z, a < -170.0), f), over, a > 170.0), a, ta_isnan(a));
}
fn ta_expmul(a: f32, f: f32) -> f32 { return ta_expmul2(a, 0.0, f); }
// ta_expmul2 for −170 <= a <= 170 (no range or NaN handling).
fn ta_expmul2_in(a: f32, alo: f32, f: f32) -> f32 {
  let e = ta_exp_pk(a, alo);
  return ta_scale(f + f * e.x, e.y);
}
// exp(x): below −104 the result rounds to 0, above 89 to +inf, through the same scaling.
fn expf(x: f32) -> f32 {
  let b = clamp(x, -104.0, 89.0);
  let k = floor(b * 1.4426950408889634 + 0.5);
  let t = k + 12582912.0;
  let r = (b - k * 6.93145751953125e-1) - k * 1.428606765330187e-6;
  return select(ta_scale(1.0 + ta_expm1_small(r), t), x, ta_isnan(x));
}
// expm1(x) = 2^k·p + (2^k − 1) (the last step exact) for k <= 24, 2^k·(1 + p) above; for |x| < ln 2/2,
// k = 0 and this is ta_expm1_small(x); below −100 the result is −1 anyway.
fn expm1(x: f32) -> f32 {
  let e = ta_exp_pk(clamp(x, -100.0, 88.8), 0.0);
  let ki = bitcast<i32>(e.y) - 0x4b400000;
  let tk = ta_pow2i(clamp(ki, -126, 24));
  let y = select(tk * e.x + (tk - 1.0), ta_scale(1.0 + e.x, e.y), ki > 24);
  // x = ±0 keeps its sign (expm1(−0) = −0); +inf above the float range; NaN passes
  return select(select(select(y, x, x == 0.0), ta_inf(), x > 88.72284), x, ta_isnan(x));
}
// a² = p + e exactly (a >= 0, a² normal), the halves of a cut from its bits (12 + 12 significant bits).
fn ta_two_sq(a: f32) -> vec2<f32> {
  let p = a * a;
  let h = bitcast<f32>(bitcast<u32>(a) & 0xfffff000u);
  let l = a - h;
  return vec2<f32>(p, ((h * h - p) + 2.0 * h * l) + l * l);
}
// f·exp(−x²/2) with x² split exactly; 0 from |x| = 18.4 on.
fn ta_expmul_negsqhalf(x: f32, f: f32) -> f32 {
  let a = min(abs(x), 18.4);
  let q = ta_two_sq(a);
  return select(ta_expmul2_in(-0.5 * q.x, -0.5 * q.y, f), f * 0.0, abs(x) > 18.4);
}
// f·exp(−x²).
fn ta_expmul_negsq(x: f32, f: f32) -> f32 {
  let q = ta_two_prod(x, x);
  return ta_expmul2(-q.x, -q.y, f);
}`,
  },
  {
    name: 'ta_log',
    code: `
fn logf(x: f32) -> f32 {
  // x = 2^k·m, m in [0.75, 1.5), by bit operations (a subnormal x scaled by 2^25 first)
  let sub = x < 1.17549435e-38;
  let ix = bitcast<i32>(select(x, x * 33554432.0, sub));
  let big = (ix & 0x7fffff) > 3474675;
  let mf = bitcast<f32>((ix & 0x7fffff) | select(0x3f800000, 0x3f000000, big));
  let dk = f32((ix >> 23u) - select(127, 152, sub) + select(0, 1, big));
  let f = mf - 1.0;
  let s = f / (2.0 + f);
  let z = s * s;
  let w = z * z;
  let R = z * (0.6666666666666666 + w * (0.2857142857142857 + w * 0.18181818181818182)) +
          w * (0.4 + w * 0.2222222222222222);
  let hfsq = 0.5 * f * f;
  let y = dk * 6.93145751953125e-1 - ((hfsq - (s * (hfsq + R) + dk * 1.428606765330187e-6)) - f);
  // +inf and NaN pass through, log(0) = −inf, log(x < 0) = NaN
  return select(select(select(y, x, x > 3.4028234e38), -ta_inf(), x == 0.0), ta_nan(), x < 0.0);
}
// log(1 + x), correcting for the rounding of 1 + x.
fn log1p(x: f32) -> f32 {
  let one = 1.0 + ta_z;
  let v = one + x;
  // v = x for x > 2^24, where the correction is 0 (not NaN: v is finite below +inf)
  let y = logf(v) + select((x - (v - one)) / v, 0.0, v > 16777216.0);
  return select(select(y, x, v == 1.0), -ta_inf(), x == -1.0);
}`,
  },
  {
    name: 'sigmoid',
    code: `
fn sigmoid(x: f32) -> f32 {
  // e = exp(−|x|): 1/(1 + e) for x >= 0, e/(1 + e) below, one exp and one division
  let e = expf(-abs(x));
  return select(e, 1.0, x >= 0.0) / (1.0 + e);
}
// f·sigmoid(a + alo), one exp, without a subnormal intermediate when a << 0.
fn ta_sigmoid_mul2(a: f32, alo: f32, f: f32) -> f32 {
  // exp(−|a + alo|) = (1 + p)·2^k
  let neg = a < 0.0;
  let e = ta_exp_pk(-min(abs(a), 170.0), select(-alo, alo, neg));
  let d = 1.0 + ta_scale(1.0 + e.x, e.y);
  let num = select(f, ta_scale(f + f * e.x, e.y), neg);
  return select(ta_zsign(select(num / d, ta_z, a < -170.0), f), a, ta_isnan(a));
}
fn ta_sigmoid_mul(a: f32, f: f32) -> f32 { return ta_sigmoid_mul2(a, 0.0, f); }
// sigmoid(x)·sigmoid(−x)·f = f·e/(1 + e)², e = exp(−|x|), the factor e applied last.
fn ta_dsigmoid_mul(x: f32, f: f32) -> f32 {
  let e = ta_exp_pk(-min(abs(x), 170.0), 0.0);
  let d = 1.0 + ta_scale(1.0 + e.x, e.y);
  let g = (f / d) / d;
  return ta_zsign(select(ta_scale(g + g * e.x, e.y), ta_z, abs(x) > 170.0), f);
}
// log(1 + exp(x)) = max(x, 0) + log1p(exp(−|x|)).
fn softplus(x: f32) -> f32 {
  return max(x, 0.0) + log1p(expf(-abs(x)));
}`,
  },
  {
    name: 'tanhf',
    code: `
// tanh|x| from one reduction of −2|x| = k·ln 2 + r: m = expm1(−2|x|) = 2^k·p + (2^k − 1) and
// e = exp(−2|x|) = 2^k + 2^k·p; −m/(2 + m) up to 0.55 (no cancellation near 0), 1 − 2e/(1 + e) above
// (the small term rounded, then 1 − it); 1 from |x| = 9.1 on.
fn tanhf(x: f32) -> f32 {
  let a = min(abs(x), 9.1);
  let r = ta_exp_pk(-2.0 * a, 0.0);
  let tk = ta_pow2i(bitcast<i32>(r.y) - 0x4b400000);
  let m = tk * r.x + (tk - 1.0);
  let e = tk + tk * r.x;
  let big = a > 0.55;
  let q = select(-m, 2.0 * e, big) / select(2.0 + m, 1.0 + e, big);
  let t = select(q, 1.0 - q, big);
  return select(select(t, -t, x < 0.0), x, abs(x) < 2e-4);
}
// f·sech²(x) = f·4e/(1 + e)², e = exp(−2|x|).
fn ta_sech2_mul(x: f32, f: f32) -> f32 {
  let a = abs(x);
  let e = expf(-2.0 * a);
  let d = 1.0 + e;
  return ta_expmul(-2.0 * a, (4.0 * f / d) / d);
}
fn sech2(x: f32) -> f32 { return ta_sech2_mul(x, 1.0); }`,
  },
  {
    name: 'erfc',
    code: `
// exp(z²)·erfc(z) for z >= 0.5: one Horner whose coefficients are selected by interval (no branches).
fn ta_erfcx_fit(z: f32) -> f32 {${erfcxFit()}
}
fn ta_erfcx(z: f32) -> f32 {
  let p = ta_erfcx_fit(min(z, ${wgslFloat(ERFCX[ERFCX.length - 1].b)}));
  // above the fits, the asymptotic series (one division)
  let iz = 1.0 / z;
  let w = iz * iz;
  let s = 1.0 + w * (-0.5 + w * (0.75 + w * (-1.875 + w * 6.5625)));
  return select(p, 0.5641895835477563 * iz * s, z >= ${wgslFloat(ERFCX[ERFCX.length - 1].b)});
}
// erf(z) for |z| < 0.5.
fn ta_erf_small(z: f32) -> f32 {
  let v = z * z;
  ${wgslHorner('v', ERF_SMALL)}
  return z * p;
}
fn ta_erfc_tail(a: f32) -> f32 {
  if (a > 10.5) { return 0.0; }
  return ta_expmul_negsq(a, ta_erfcx(a));
}
fn erfc(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.5) { return 1.0 - ta_erf_small(x); }
  let q = ta_erfc_tail(a);
  return select(2.0 - q, q, x > 0.0);
}
fn erf(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.5) { return ta_erf_small(x); }
  let q = ta_erfc_tail(a);
  return select(q - 1.0, 1.0 - q, x > 0.0);
}
// f·Φ(x), Φ the standard normal cdf, accurate in both tails.
fn ta_ncdf_mul(x: f32, f: f32) -> f32 {
  let z = abs(x) * 0.7071067811865476;
  // (x/√2 clamped to ±0.5: the same value as ±min(z, 0.5), without a select of constants, which costs on SwiftShader)
  let near = f * (0.5 + 0.5 * ta_erf_small(clamp(x * 0.7071067811865476, -0.5, 0.5)));
  // below x = −15 the result is f·0; between −15 and −14.28 (z > 10.1, past the fits) it is below
  // 1e-44·|f| (exp(−x²/2) < 1e-44), so the last fit's value at 10.1 serves there; exp(−x²/2) as in
  // ta_expmul_negsqhalf, whose cut-off at |x| = 18.4 is not needed here (x > 18.4 gives q = 0 either way)
  let a = min(abs(max(x, -15.0)), 18.4);
  let sq = ta_two_sq(a);
  let q = ta_expmul2_in(-0.5 * sq.x, -0.5 * sq.y, 0.5 * ta_erfcx_fit(clamp(z, 0.5, 10.1)) * f);
  return select(select(select(f - q, q, x < 0.0), f * 0.0, x < -15.0), near, z < 0.5);
}`,
  },
  {
    name: 'ta_sqrt_sq_plus',
    code: `
// √(a² + b) for a >= 0, b >= 0, without overflow or underflow.
fn ta_sqrt_sq_plus(a: f32, b: f32) -> f32 {
  if (a > 1e-18 && a < 1e18 && b < 1e36) { return sqrt(a * a + b); }
  let sb = sqrt(b);
  let hi = max(a, sb);
  if (hi == 0.0) { return 0.0; }
  let q = min(a, sb) / hi;
  return hi * sqrt(1.0 + q * q);
}`,
  },
  {
    name: 'ta_gelu_v',
    code: `
// gelu(approximate=True): v = 2C·x·(1 + K·x²) in double-float, |x| <= 11.
fn ta_gelu_v(x: f32) -> vec2<f32> {
  let q = ta_two_prod(x, x);
  let K = 0.044714998453855515 + ta_z;
  let k = ta_two_prod(K, q.x);
  let kl = k.y + K * q.y + 1.5461444347053543e-9 * q.x;
  var s = ta_two_sum(1.0 + ta_z, k.x);
  s = ta_fast_two_sum(s.x, s.y + kl);
  var t = ta_two_prod(s.x, x);
  t.y += s.y * x;
  let C2 = 1.5957691669464111 + ta_z;
  var v = ta_two_prod(t.x, C2);
  v.y += t.y * C2 - 4.534068054340423e-8 * t.x;
  return ta_fast_two_sum(v.x, v.y);
}`,
  },
];

const PROVIDES: Record<string, string[]> = {
  ta_isnan: ['ta_isnan', 'ta_inf', 'ta_nan', 'ta_zsign', 'ta_pow2i', 'ta_ldexp', 'ta_gt', 'ta_lt'],
  ta_df: ['ta_split', 'ta_two_prod', 'ta_two_sum', 'ta_fast_two_sum'],
  ta_exp: [
    'ta_expm1_small',
    'ta_exp_pk',
    'ta_scale',
    'ta_expmul2',
    'ta_expmul2_in',
    'ta_expmul',
    'expf',
    'expm1',
    'ta_two_sq',
    'ta_expmul_negsqhalf',
    'ta_expmul_negsq',
  ],
  ta_log: ['logf', 'log1p'],
  sigmoid: ['sigmoid', 'ta_sigmoid_mul2', 'ta_sigmoid_mul', 'ta_dsigmoid_mul', 'softplus'],
  tanhf: ['tanhf', 'ta_sech2_mul', 'sech2'],
  erfc: ['ta_erfcx_fit', 'ta_erfcx', 'ta_erf_small', 'ta_erfc_tail', 'erfc', 'erf', 'ta_ncdf_mul'],
  ta_sqrt_sq_plus: ['ta_sqrt_sq_plus'],
  ta_gelu_v: ['ta_gelu_v'],
};

function uses(code: string, fn: string): boolean {
  return new RegExp(`\\b${fn}\\s*\\(`).test(code);
}

/**
 * The helpers that `snippets` call, directly or through other helpers, in
 * dependency order (ta_isnan always: the kernels' NaN test).
 */
export function wgslHelpers(...snippets: string[]): string {
  const needed = new Set<number>([0]);
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
  return HELPERS.filter((_, i) => needed.has(i))
    .map(h => h.code)
    .join('\n');
}
