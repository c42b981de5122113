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
function horner(arg: string, f: Fit): string {
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
  {b: 1.5, m: 1.0, ih: 2.0, lo: 9.070887374562631e-10, c: [4.408848781167762e-06, -2.3388725821860135e-05, 0.00010867579840123653, -0.000519348424859345, 0.0023483335971832275, -0.009903743863105774, 0.03859288617968559, -0.13660597801208496, 0.42758357524871826]},
  {b: 3.0, m: 2.25, ih: 1.3333333730697632, lo: 6.2327187855260036e-09, c: [3.234480345781776e-06, -1.5175251064647455e-05, 6.180591299198568e-05, -0.0002702934725675732, 0.0011451359605416656, -0.00464180763810873, 0.017995847389101982, -0.06636485457420349, 0.23108725249767303]},
  {b: 5.0, m: 4.0, ih: 1.0, lo: -4.4950831945556047e-10, c: [7.835106430320593e-07, -3.8529142329934984e-06, 1.6854153727763332e-05, -7.964727410580963e-05, 0.0003703668771777302, -0.0016812552930787206, 0.007465431932359934, -0.032383501529693604, 0.1369994580745697]},
  {b: 10.1, m: 7.550000190734863, ih: 0.3921568691730499, lo: -3.4899774181695875e-09, c: [1.1163409681103076e-06, -3.609732630138751e-06, 8.523643373337109e-06, -2.7053343728766777e-05, 8.831753802951425e-05, -0.0002765771932899952, 0.000858350598718971, -0.0026475628837943077, 0.008103094063699245, -0.024602271616458893, 0.07408816367387772]},
];

/** erf(z)/z as a polynomial in z² on [0, 0.25]. */
export const ERF_SMALL: Fit = {m: 0.125, ih: 8.0, lo: -4.7281712767244244e-08, c: [1.1521198075570283e-06, -4.765271660289727e-05, 0.0016130715375766158, -0.04364205151796341, 1.0830752849578857]};

/** (x − tanh x)/x³ as a polynomial in x² on [0, 2.25]. */
export const TANH_SHRINK: Fit = {m: 1.125, ih: 0.8888888955116272, lo: 4.373771123056258e-09, c: [-8.432118193013594e-06, 2.692582165764179e-05, -6.490046507678926e-05, 0.00020724315254483372, -0.0006802243879064918, 0.0021721411030739546, -0.006929961033165455, 0.022136827930808067, -0.0708569586277008, 0.23024970293045044]};

export interface Root extends Fit {
  /** The root in double-float and the window [a, b] around it. */
  rh: number;
  rl: number;
  a: number;
  b: number;
}

/** f(x) = (x − r)·Q(x) near roots of derivatives that cancel. */
export const ROOTS: Record<string, Root[]> = {
  silu1: [{rh: -1.2784645557403564, rl: 1.2979282537628478e-08, a: -2.2267358384410936, b: -0.7376786732079197, m: -1.4822072982788086, ih: 1.3431317806243896, lo: 2.0199639738649466e-09, c: [2.413173388049472e-05, 8.642615284770727e-05, -0.00015257220366038382, -0.00193492672406137, -0.004089939873665571, 0.014713018201291561, 0.10221251845359802, 0.18883396685123444]}],
  silu2: [
    {rh: -2.399357318878174, rl: 3.83627067890302e-08, a: -3.921054334705746, b: -1.531554713469884, m: -2.726304531097412, ih: 0.8369953036308289, lo: 2.3139135052474558e-09, c: [2.6202126264252e-06, 3.232348171877675e-05, 9.451744699617848e-05, 2.8772850782843307e-05, -0.0006411233334802091, -0.002447451464831829, -0.0038668252527713776, 0.003180329455062747, 0.03177877515554428, 0.0734385997056961, 0.0690145418047905]},
    {rh: 2.399357318878174, rl: -3.83627067890302e-08, a: 1.531554713469884, b: 3.921054334705746, m: 2.726304531097412, ih: 0.8369953036308289, lo: -2.3139135052474558e-09, c: [-2.6202126264252e-06, 3.232348171877675e-05, -9.451744699617848e-05, 2.8772850782843307e-05, 0.0006411233334802091, -0.002447451464831829, 0.0038668252527713776, 0.003180329455062747, -0.03177877515554428, 0.0734385997056961, -0.0690145418047905]},
  ],
  gelu1: [{rh: -0.7517915368080139, rl: 1.211444988769017e-08, a: -1.1914999246816682, b: -0.44338889979006446, m: -0.817444384098053, ih: 2.6733999252319336, lo: -1.0394155758319812e-08, c: [-1.830925384638249e-06, 1.4366646610142197e-05, 0.0001277105911867693, -0.00040744178113527596, -0.005721416790038347, 0.0005343476077541709, 0.14558950066566467, 0.4059554934501648]}],
  gelua1: [{rh: -0.7524614334106445, rl: 1.1339627903339533e-08, a: -1.19216982205912, b: -0.4440587971675163, m: -0.8181142807006836, ih: 2.6733999252319336, lo: -7.436834703611339e-09, c: [-3.8846584970997355e-07, -1.8906612240243703e-06, 1.71256633620942e-05, 0.0001274195674341172, -0.00044473365414887667, -0.005692307837307453, 0.0008640635060146451, 0.1451851725578308, 0.4049222767353058]}],
  gelua2: [
    {rh: -1.418503999710083, rl: -9.080745044798277e-09, a: -2.1895353497588155, b: -0.9380227679970277, m: -1.5637791156768799, ih: 1.5980662107467651, lo: -1.2894654233264191e-08, c: [-1.172819065686781e-05, -3.49441688740626e-05, 0.00011830400035250932, 0.0008753117872402072, 0.0005969234625808895, -0.010145699605345726, -0.030602240934967995, 0.027679160237312317, 0.2629691958427429, 0.3474181294441223]},
    {rh: 1.418503999710083, rl: 9.080745044798277e-09, a: 0.9380227679970277, b: 2.1895353497588155, m: 1.5637791156768799, ih: 1.5980662107467651, lo: 1.2894654233264191e-08, c: [-1.172819065686781e-05, 3.49441688740626e-05, 0.00011830400035250932, -0.0008753117872402072, 0.0005969234625808895, 0.010145699605345726, -0.030602240934967995, -0.027679160237312317, 0.2629691958427429, -0.3474181294441223]},
  ],
  mish1: [{rh: -1.1924312114715576, rl: -3.0439375464652585e-09, a: -2.140702510195515, b: -0.6673963897066078, m: -1.4040493965148926, ih: 1.357491135597229, lo: -3.323979758107498e-09, c: [-1.0608305274217855e-06, 1.0389054523329833e-06, 2.169698927900754e-05, 6.521846080431715e-05, -6.769564151909435e-06, -0.0008589122444391251, -0.003481518244370818, -0.0034091698471456766, 0.02760479599237442, 0.13615906238555908, 0.22566166520118713]}],
  mish2: [
    {rh: -2.2563765048980713, rl: 1.0853727872017771e-07, a: -3.7780734505510716, b: -1.3357246529821334, m: -2.556899070739746, ih: 0.8188838362693787, lo: -2.3674601168366394e-10, c: [-7.925372642603179e-07, -1.1647252904367633e-06, 3.8074904296081513e-06, 1.6180461898329668e-05, 3.573825233615935e-05, 4.6702403778908774e-05, -4.893606819678098e-05, -0.0005186012131161988, -0.0017463130643591285, -0.003487674053758383, -0.002431589877232909, 0.011202272959053516, 0.048955608159303665, 0.09496283531188965, 0.08226539194583893]},
    {rh: 1.490571141242981, rl: 3.82424474310028e-08, a: 0.9168514504764872, b: 2.438842475165448, m: 1.677846908569336, ih: 1.3140681982040405, lo: 3.5385137042709403e-09, c: [-1.6060985217336565e-06, -3.6792337141378084e-06, 3.126465526293032e-05, -3.216650657122955e-05, -0.00019047099340241402, 0.0007866859086789191, -0.0006281735841184855, -0.004343619104474783, 0.015798749402165413, -0.011488346382975578, -0.06097887083888054, 0.1871384233236313, -0.181180939078331]},
  ],
};

function rootHelper(name: string): Helper {
  const branches = ROOTS[name].map(r => `
  if (x > ${glslFloat(r.a)} && x < ${glslFloat(r.b)}) {
    float d = (x - ${glslFloat(r.rh)}) - (${glslFloat(r.rl)} + ta_z);
    ${horner('x', r)}
    return d * p;
  }`).join('');
  return {
    name: `rootfix_${name}`,
    code: `
// Near its roots, the value computed directly as \`direct\` is replaced by (x − r)·Q(x).
float rootfix_${name}(float x, float direct) {${branches}
  return direct;
}`,
  };
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
// 2^k for -126 <= k <= 127, exactly.
float ta_pow2i(int k) { return intBitsToFloat((k + 127) * 8388608); }
#else
bool ta_isnan(float x) { return !(x < 0.0 || x > 0.0 || x == 0.0); }
float ta_inf() { return exp2(256.0); }
float ta_nan() { return ta_inf() - ta_inf(); }
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
  if (a < -170.0) return f * 0.0;
  float k = floor(a * 1.4426950408889634 + 0.5);
  float hi = a - k * 6.93145751953125e-1;      // k·ln2_hi is exact
  float lo = k * 1.428606765330187e-6;
  float r = hi - lo;
  float c = ((hi - r) - lo) + alo;
  float p = ta_expm1_small(r);
  p = p + c * (1.0 + p);
  return ta_ldexp(f + f * p, int(k));
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
  {
    name: 'ta_tanh_shrink_small',
    code: `
// x − tanh(x) for |x| <= 1.5, as x³·P(x²).
float ta_tanh_shrink_small(float x) {
  float u = x * x;
  ${horner('u', TANH_SHRINK)}
  return (x * u) * p;
}`,
  },
  {
    name: 'ta_sqrt_sq_plus',
    code: `
// √(a² + b) for a >= 0, b >= 0 (hypot(a, √b)), without overflow or underflow.
float ta_sqrt_sq_plus(float a, float b) {
  if (a > 1e-18 && a < 1e18 && b < 1e36) return sqrt(a * a + b);
  float sb = sqrt(b), hi = max(a, sb), q = min(a, sb) / hi;
  return hi == 0.0 ? 0.0 : hi * sqrt(1.0 + q * q);
}`,
  },
  {
    name: 'ta_gelu_v',
    code: `
// gelu(approximate=True): v = 2C(x + Kx³) = 2C·x·(1 + K·x²) in double-float, |x| <= 11.
vec2 ta_gelu_v(float x) {
  vec2 q = ta_two_prod(x, x);
  float K = 0.044714998453855515 + ta_z;
  vec2 k = ta_two_prod(K, q.x);
  float kl = k.y + K * q.y + 1.5461444347053543e-9 * q.x;
  vec2 s = ta_two_sum(1.0 + ta_z, k.x);
  s = ta_fast_two_sum(s.x, s.y + kl);
  vec2 t = ta_two_prod(s.x, x);
  t.y += s.y * x;
  float C2 = 1.5957691669464111 + ta_z;
  vec2 v = ta_two_prod(t.x, C2);
  v.y += t.y * C2 - 4.534068054340423e-8 * t.x;
  return ta_fast_two_sum(v.x, v.y);
}`,
  },
  ...Object.keys(ROOTS).map(rootHelper),
];

/** Which helper defines which function names. */
const PROVIDES: Record<string, string[]> = {
  ta_isnan: ['ta_isnan', 'ta_inf', 'ta_nan', 'ta_pow2i', 'ta_ldexp', 'ta_gt', 'ta_lt'],
  ta_df: ['ta_split', 'ta_two_prod', 'ta_two_sum', 'ta_fast_two_sum'],
  ta_exp: ['ta_expm1_small', 'ta_expmul2', 'ta_expmul', 'expf', 'expm1', 'ta_expmul_negsqhalf', 'ta_expmul_negsq'],
  ta_log: ['logf', 'log1p'],
  sigmoid: ['sigmoid', 'ta_sigmoid_mul2', 'ta_sigmoid_mul', 'ta_dsigmoid_mul', 'softplus'],
  tanhf: ['tanhf', 'ta_sech2_mul', 'sech2'],
  erfc: ['ta_erfcx', 'ta_erf_small', 'erfc', 'erf', 'ta_ncdf_mul'],
  ta_tanh_shrink_small: ['ta_tanh_shrink_small'],
  ta_sqrt_sq_plus: ['ta_sqrt_sq_plus'],
  ta_gelu_v: ['ta_gelu_v'],
};
for (const name of Object.keys(ROOTS)) PROVIDES[`rootfix_${name}`] = [`rootfix_${name}`];

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
  needed.add(0);  // ta_isnan: the kernels' NaN test
  return HELPERS.filter((_, i) => needed.has(i)).map(h => h.code).join('\n');
}
