import {elementwise, type NativeOps, type NativeTensor, type ShaderBodies} from '../definition';
import {glslFloat, glslSplit, rootfix, type Root} from '../backends/glsl_math';
import {normalCdf, normalPdf, sigmoid} from '../math';
import {wgslRootfix} from '../backends/wgsl_math';
import {cppRootfix} from '../backends/cpp_math';

const C = 0.7978845608028654; // sqrt(2/pi)
const K = 0.044715;

/** GLSL literals of these constants (float32, and remainders where a body needs them exactly). */
const [K_HI, K_LO] = glslSplit(K);
const [C2_HI, C2_LO] = glslSplit(2 * C);
const C2_LO_NEG = glslFloat(-Number(C2_LO)); // negative: written as a subtraction

/** gelu′ and gelu″ (both forms) near their roots, f = (x − r)·Q(x) (test/browser/tools/glsl_coefficients.py). */
const GELU1: Root[] = [
  {
    rh: -0.7517915368080139,
    rl: 1.211444988769017e-8,
    a: -1.1914999246816682,
    b: -0.44338889979006446,
    m: -0.817444384098053,
    ih: 2.6733999252319336,
    lo: -1.0394155758319812e-8,
    c: [
      -1.830925384638249e-6, 1.4366646610142197e-5, 0.0001277105911867693, -0.00040744178113527596,
      -0.005721416790038347, 0.0005343476077541709, 0.14558950066566467, 0.4059554934501648,
    ],
  },
];
const GELUA1: Root[] = [
  {
    rh: -0.7524614334106445,
    rl: 1.1339627903339533e-8,
    a: -1.19216982205912,
    b: -0.4440587971675163,
    m: -0.8181142807006836,
    ih: 2.6733999252319336,
    lo: -7.436834703611339e-9,
    c: [
      -3.8846584970997355e-7, -1.8906612240243703e-6, 1.71256633620942e-5, 0.0001274195674341172,
      -0.00044473365414887667, -0.005692307837307453, 0.0008640635060146451, 0.1451851725578308, 0.4049222767353058,
    ],
  },
];
const GELUA2: Root[] = [
  {
    rh: -1.418503999710083,
    rl: -9.080745044798277e-9,
    a: -2.1895353497588155,
    b: -0.9380227679970277,
    m: -1.5637791156768799,
    ih: 1.5980662107467651,
    lo: -1.2894654233264191e-8,
    c: [
      -1.172819065686781e-5, -3.49441688740626e-5, 0.00011830400035250932, 0.0008753117872402072, 0.0005969234625808895,
      -0.010145699605345726, -0.030602240934967995, 0.027679160237312317, 0.2629691958427429, 0.3474181294441223,
    ],
  },
  {
    rh: 1.418503999710083,
    rl: 9.080745044798277e-9,
    a: 0.9380227679970277,
    b: 2.1895353497588155,
    m: 1.5637791156768799,
    ih: 1.5980662107467651,
    lo: 1.2894654233264191e-8,
    c: [
      -1.172819065686781e-5, 3.49441688740626e-5, 0.00011830400035250932, -0.0008753117872402072, 0.0005969234625808895,
      0.010145699605345726, -0.030602240934967995, -0.027679160237312317, 0.2629691958427429, -0.3474181294441223,
    ],
  },
];

/** The tanh form on tensorflow: s = x², z2 = 2C(x + Kx³) and z2' = 2C(1 + 3Kx²), from float64 x. */
function tanhFormArgs(X: NativeTensor, nat: NativeOps): {s: NativeTensor; z2: NativeTensor; dz2: NativeTensor} {
  const s = nat.op('Square', [X]);
  const z2 = nat.mul(X, nat.add(nat.mul(s, 2 * C * K), 2 * C));
  return {s, z2, dz2: nat.add(nat.mul(s, 6 * C * K), 2 * C)};
}

/** WGSL bodies of the exact form (the `exact` variant). */
const WGSL_EXACT = {
  forward: `
      return select(select(ta_ncdf_mul(x, x), x, x > 6.0), -0.0, x < -15.0);`,
  derivative: `
      if (x > 15.0) { return 1.0; }
      // f′ < 0 below: −0 down to cpu's float64 underflow (+0 below −38.5755)
      if (x < -15.0) { return select(0.0, -0.0, x >= -38.5755); }
      let z = abs(x) * 0.7071067811865476;
      var d: f32;
      if (z < 0.5) {
        d = 0.5 + 0.5 * ta_erf_small(x * 0.7071067811865476) + x * 0.3989422804014327 * expf(-0.5 * x * x);
      } else if (x < 0.0) {
        d = ta_expmul_negsqhalf(x, 0.5 * ta_erfcx(z) + x * 0.3989422804014327);
      } else {
        d = 1.0 + ta_expmul_negsqhalf(x, x * 0.3989422804014327 - 0.5 * ta_erfcx(z));
      }
      return rootfix_gelu1(x, d);`,
  second: `
      let a = abs(x);
      if (a > 15.0) { return select(0.0, -0.0, a <= 3.4028234e38); }  // cpu's +0 at ±inf
      let lo = 2.4203234971764687e-8 + ta_z;  // not folded into the constant
      let t = ((1.4142135381698608 - a) + lo) * ((1.4142135381698608 + a) + lo);
      return ta_expmul_negsqhalf(x, 0.3989422804014327 * t);`,
};

/** WGSL bodies of the tanh form (the `approximate` variant). */
const WGSL_APPROX = {
  forward: `
        let v = ta_gelu_v(clamp(x, -10.6, 10.0));
        return select(select(ta_sigmoid_mul2(v.x, v.y, x), x, x > 10.0), -0.0, x < -10.6);`,
  derivative: `
        if (x > 10.0) { return 1.0; }
        // f′ < 0 below: −0 down to cpu's float64 underflow (+0 below −21.51663)
        if (x < -10.6) { return select(0.0, -0.0, x >= -21.516628); }
        let v = ta_gelu_v(x);
        let dv = 1.5957691669464111 * (1.0 + 0.13414500653743744 * x * x);
        return rootfix_gelua1(x, ta_sigmoid_mul2(v.x, v.y, 1.0 + x * sigmoid(-v.x) * dv));`,
  second: `
        if (abs(x) > 10.6) { return select(0.0, -0.0, abs(x) <= 21.516628); }  // cpu's float64 underflow
        let v = ta_gelu_v(x);
        let dv = 1.5957691669464111 * (1.0 + 0.13414500653743744 * x * x);
        let ddv = 0.4281288981437683 * x;
        let b = 2.0 * dv + x * (ddv - tanhf(0.5 * v.x) * dv * dv);
        let a = abs(v.x);
        let alo = select(v.y, -v.y, v.x < 0.0);
        return rootfix_gelua2(x, ta_sigmoid_mul2(-a, -alo, sigmoid(a) * b));`,
};

/** GLSL bodies of the exact form (the `exact` variant). */
const GLSL_EXACT = {
  forward: `
      if (x > 6.0) return x;
      if (x < -15.0) return -0.0;
      return ta_ncdf_mul(x, x);`,
  derivative: `
      if (x > 15.0) return 1.0;
      // f′ < 0 below: −0 down to cpu's float64 underflow (+0 below −38.5755)
      if (x < -15.0) return x >= -38.5755 ? -0.0 : 0.0;
      float z = abs(x) * 0.7071067811865476;
      float d;
      if (z < 0.5) {
        d = 0.5 + 0.5 * ta_erf_small(x * 0.7071067811865476) + x * 0.3989422804014327 * expf(-0.5 * x * x);
      } else if (x < 0.0) {
        d = ta_expmul_negsqhalf(x, 0.5 * ta_erfcx(z) + x * 0.3989422804014327);
      } else {
        d = 1.0 + ta_expmul_negsqhalf(x, x * 0.3989422804014327 - 0.5 * ta_erfcx(z));
      }
      return rootfix_gelu1(x, d);`,
  second: `
      float a = abs(x);
      if (a > 15.0) return a <= 3.4028234e38 ? -0.0 : 0.0;  // cpu's +0 at ±inf
      float lo = 2.4203234971764687e-8 + ta_z;  // not folded into the constant
      float t = ((1.4142135381698608 - a) + lo) * ((1.4142135381698608 + a) + lo);
      return ta_expmul_negsqhalf(x, 0.3989422804014327 * t);`,
};

/** GLSL bodies of the tanh form (the `approximate` variant). */
const GLSL_APPROX = {
  forward: `
      if (x > 10.0) return x;
      if (x < -10.6) return -0.0;
      vec2 v = ta_gelu_v(x);
      return ta_sigmoid_mul2(v.x, v.y, x);`,
  derivative: `
      if (x > 10.0) return 1.0;
      // f′ < 0 below: −0 down to cpu's float64 underflow (+0 below −21.51663)
      if (x < -10.6) return x >= -21.516628 ? -0.0 : 0.0;
      vec2 v = ta_gelu_v(x);
      float dv = 1.5957691669464111 * (1.0 + 0.13414500653743744 * x * x);
      return rootfix_gelua1(x, ta_sigmoid_mul2(v.x, v.y, 1.0 + x * sigmoid(-v.x) * dv));`,
  second: `
      if (abs(x) > 10.6) return abs(x) <= 21.516628 ? -0.0 : 0.0;  // cpu's float64 underflow
      vec2 v = ta_gelu_v(x);
      float dv = 1.5957691669464111 * (1.0 + 0.13414500653743744 * x * x);
      float ddv = 0.4281288981437683 * x;
      float b = 2.0 * dv + x * (ddv - tanhf(0.5 * v.x) * dv * dv);
      float a = abs(v.x), alo = v.x < 0.0 ? -v.y : v.y;
      return rootfix_gelua2(x, ta_sigmoid_mul2(-a, -alo, sigmoid(a) * b));`,
};

/**
 * The general bodies (u.x = approximate) from the two variants' texts: the
 * variants are what runs, these only make the definition complete.
 */
function generalBodies(exact: ShaderBodies, approx: ShaderBodies): ShaderBodies {
  const pick = (a?: string, e?: string) => `
      if (u.x != 0.0) {${a}
      }${e}`;
  return {
    forward: pick(approx.forward, exact.forward),
    derivative: pick(approx.derivative, exact.derivative),
    second: pick(approx.second, exact.second),
  };
}

/**
 * gelu. Exact: x·Φ(x) with Φ from erfc, so the x < −5 tail keeps its
 * relative accuracy. Approximate: 0.5x(1 + tanh(z)), z = C(x + Kx³),
 * rewritten as x·sigmoid(2z), which does not cancel for x ≪ 0.
 * u = [approximate ? 1 : 0].
 */
export const gelu = elementwise({
  id: 'gelu',
  keras: 'gelu',
  doc: 'Gaussian error linear unit, exact (erf) by default or the tanh approximation.',
  formula: 'exact: x·(1 + erf(x/√2))/2; approximate: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))',
  params: [
    {name: 'approximate', keras: 'approximate', kind: 'boolean', default: false, doc: 'use the tanh approximation'},
  ],
  constants: p => [p.approximate ? 1 : 0],
  forward(x, u) {
    if (x === -Infinity) return -0;
    if (u[0]) return x * sigmoid(2 * C * (x + K * x * x * x));
    return x * normalCdf(x);
  },
  derivative(x, u) {
    if (x === Infinity || x === -Infinity) return x > 0 ? 1 : 0;
    if (u[0]) {
      const z2 = 2 * C * (x + K * x * x * x);
      const s = sigmoid(z2),
        dz2 = 2 * C * (1 + 3 * K * x * x);
      return s + x * s * sigmoid(-z2) * dz2;
    }
    return normalCdf(x) + x * normalPdf(x);
  },
  second(x, u) {
    if (x === Infinity || x === -Infinity) return 0;
    if (u[0]) {
      const z2 = 2 * C * (x + K * x * x * x);
      const s = sigmoid(z2),
        q = s * sigmoid(-z2);
      const dz2 = 2 * C * (1 + 3 * K * x * x),
        ddz2 = 12 * C * K * x;
      // f = x s(z2); f'' = 2 s' + x s'', s' = q dz2, s'' = q(1 − 2s) dz2² + q ddz2
      return 2 * q * dz2 + x * (-q * Math.tanh(0.5 * z2) * dz2 * dz2 + q * ddz2);
    }
    return normalPdf(x) * (2 - x * x);
  },
  // The general bodies never run (variants.key always picks a variant); they are the two variants' texts.
  glsl: {
    ...generalBodies(GLSL_EXACT, GLSL_APPROX),
    helpers:
      `
// gelu(approximate=True): v = 2C(x + Kx³) = 2C·x·(1 + K·x²) in double-float, |x| <= 11.
vec2 ta_gelu_v(float x) {
  vec2 q = ta_two_prod(x, x);
  float K = ${K_HI} + ta_z;
  vec2 k = ta_two_prod(K, q.x);
  float kl = k.y + K * q.y + ${K_LO} * q.x;
  vec2 s = ta_two_sum(1.0 + ta_z, k.x);
  s = ta_fast_two_sum(s.x, s.y + kl);
  vec2 t = ta_two_prod(s.x, x);
  t.y += s.y * x;
  float C2 = ${C2_HI} + ta_z;
  vec2 v = ta_two_prod(t.x, C2);
  v.y += t.y * C2 - ${C2_LO_NEG} * t.x;
  return ta_fast_two_sum(v.x, v.y);
}` +
      rootfix('gelu1', GELU1) +
      rootfix('gelua1', GELUA1) +
      rootfix('gelua2', GELUA2),
  },
  tensorflow: {
    // float64: exact x·erfc(−x/√2)/2; approximate x·σ(2C(x + Kx³)). MulNoNan gives the limit 0 at x = −inf;
    // it is formed as −((−x)·y) so that a zero keeps x's sign (−0 for x ≪ 0, as on cpu).
    forward(x, u, nat) {
      const X = nat.f64(x);
      if (u[0]) {
        const z2 = nat.mul(X, nat.add(nat.mul(nat.op('Square', [X]), 2 * C * K), 2 * C));
        return nat.op('Neg', [nat.mulNoNan(nat.op('Neg', [X]), nat.op('Sigmoid', [z2]))]);
      }
      return nat.mul(nat.mulNoNan(nat.op('Neg', [X]), nat.op('Erfc', [nat.mul(X, -Math.SQRT1_2)])), -0.5);
    },
    derivative(x, dy, u, nat) {
      const X = nat.f64(x),
        DY = nat.f64(dy);
      if (u[0]) {
        // dy·f′, f′ = σ(z2)·(1 + x·σ(−z2)·z2') formed first, as cpu does (+0 where σ(z2) underflows)
        const {z2, dz2} = tanhFormArgs(X, nat);
        const t = nat.mulNoNan(X, nat.mulNoNan(dz2, nat.op('Sigmoid', [nat.op('Neg', [z2])])));
        return nat.mul(DY, nat.mulNoNan(nat.add(t, 1), nat.op('Sigmoid', [z2])));
      }
      // Φ(x) + xφ(x) = (erfc(z) − z·e^(−z²)·2/√π)/2, z = −x/√2
      const z = nat.mul(X, -Math.SQRT1_2);
      const q = nat.op('Exp', [nat.sub(Math.log(2 / Math.sqrt(Math.PI)), nat.op('Square', [z]))]);
      return nat.mul(nat.mul(DY, nat.sub(nat.op('Erfc', [z]), nat.mulNoNan(z, q))), 0.5);
    },
    second(x, dy, u, nat) {
      const X = nat.f64(x),
        DY = nat.f64(dy);
      if (u[0]) {
        // dy·f″, f'' = σ'(z2)·(2z2' + x·z2'' − x·tanh(z2/2)·z2'²), z2'' = 12CKx: +0 where σ'(z2) underflows
        const {s, z2, dz2} = tanhFormArgs(X, nat);
        const q = nat.mul(nat.op('Sigmoid', [z2]), nat.op('Sigmoid', [nat.op('Neg', [z2])]));
        const th = nat.op('Tanh', [nat.mul(z2, 0.5)]);
        const bracket = nat.sub(
          nat.add(nat.mul(s, 24 * C * K), 4 * C),
          nat.mul(X, nat.mul(th, nat.op('Square', [dz2]))),
        );
        return nat.mul(DY, nat.mulNoNan(bracket, q));
      }
      // φ(x)(2 − x²) = (1 − s)·e^(−s)·2/√(2π), s = x²/2: −0 where e^(−s) underflows, cpu's +0 at ±inf
      const s = nat.op('Square', [nat.mul(X, Math.SQRT1_2)]);
      const e = nat.op('Exp', [nat.sub(Math.log(2 / Math.sqrt(2 * Math.PI)), s)]);
      return nat.mul(DY, nat.select(nat.op('IsInf', [X]), 0, nat.mul(nat.sub(1, s), e)));
    },
  },
  test: {
    variants: [{}, {approximate: true}],
  },
  budget: {webgl: {forward: 3, backward: 9}, tensorflowLaunches: [10, 17, 23]},
  bench: {
    composite: {
      what: 'tfjs-layers gelu: x·0.5(1 + erf(x/√2))',
      fn: (tf, x) => tf.mul(x, tf.mul(0.5, tf.add(1, tf.erf(tf.div(x, Math.SQRT2))))),
    },
  },
  note: 'The default in Transformers (BERT, GPT, ViT): a smooth relu weighted by the normal CDF.',
  wgsl: {
    ...generalBodies(WGSL_EXACT, WGSL_APPROX),
    helpers: wgslRootfix('gelu1', GELU1) + wgslRootfix('gelua1', GELUA1) + wgslRootfix('gelua2', GELUA2),
  },

  // exact or approximate picks the shader: each runs only its own formula
  variants: {
    key: u => (u[0] ? 'approximate' : 'exact'),
    glsl: {exact: GLSL_EXACT, approximate: GLSL_APPROX},
    wgsl: {exact: WGSL_EXACT, approximate: WGSL_APPROX},
  },
  cpp: {
    forward: `
      const bool minf = x == -INFINITY;
      if (u[0] != 0) {
        const double r = x * sigmoid(2 * 0.7978845608028654 * (x + 0.044715 * x * x * x));
        return minf ? -0.0 : r;
      }
      const double r = x * normal_cdf(x);
      return minf ? -0.0 : r;`,
    derivative: `
      const bool inf = std::fabs(x) == INFINITY;
      const double at_inf = x > 0 ? 1.0 : 0.0;
      if (u[0] != 0) {
        const double z2 = 2 * 0.7978845608028654 * (x + 0.044715 * x * x * x);
        const double s = sigmoid(z2), dz2 = 2 * 0.7978845608028654 * (1 + 3 * 0.044715 * x * x);
        const double r = s + x * s * sigmoid(-z2) * dz2;
        return inf ? at_inf : r;
      }
      const double r = normal_cdf(x) + x * normal_pdf(x);
      return inf ? at_inf : r;`,
    second: `
      const bool inf = std::fabs(x) == INFINITY;
      if (u[0] != 0) {
        const double z2 = 2 * 0.7978845608028654 * (x + 0.044715 * x * x * x);
        const double s = sigmoid(z2), q = s * sigmoid(-z2);
        const double dz2 = 2 * 0.7978845608028654 * (1 + 3 * 0.044715 * x * x), ddz2 = 12 * 0.7978845608028654 * 0.044715 * x;
        const double r = 2 * q * dz2 + x * (-q * tanh(0.5 * z2) * dz2 * dz2 + q * ddz2);
        return inf ? 0.0 : r;
      }
      const double r = normal_pdf(x) * (2 - x * x);
      return inf ? 0.0 : r;`,
    // The exact form in float32 lanes (gelu32 and gelu_d32 in helpers32 below: Φ from a fitted erfcx and an exponential
    // of the exactly split −x²/2, 3 ULP forward and 5 ULP f′ over every float32 ≥ −12, the same results on every CPU
    // path); x < −12, where gelu and gelu′ near the subnormals, is redone in float64. The approximate form stays in
    // float64.
    forward32: 'gelu32(x)',
    forward32When: 'u[0] == 0',
    forward32Rare: 'x < -12.0f',
    gradient32: 'dy * gelu_d32(x)',
    gradient32When: 'u[0] == 0',
    gradient32Rare: 'x < -12.0f',
    // about 3 cycles per element in float32 lanes (the float64 bodies' estimate, 5 and 7, split 64K over two threads,
    // which took 0.13 ms against 0.08 ms on one)
    cost: [3, 3],
    // gelu's float32 forms (the exact form): Φ(−a) = E·G for a = |x| ≤ 12, E = e^(−a²/2) and G(a) = erfcx(a/√2)/2,
    // which falls smoothly from 1/2 to 0.033, so that neither the exponential's range nor its argument's rounding
    // reaches G. Explicit fused multiply-adds throughout (rounded once: the same bits on every CPU path).
    // Coefficients of G and Q: scripts/native/fit-gelu32.py; the root fit is GELU1's numbers as float32 literals.
    helpers32: `${cppRootfix('gelu1', GELU1)}
// e^(−a²/2) for a in [0, 12] (a normal float32; at most 1.2 ULP from the exact value, measured over every float32 in
// [0, 13]): a² = s + sl exactly (an FMA gives the product's
// rounding error), e^(−s/2) reduced as in exp32_fma, −sl/2 added to the reduced argument.
TFA_ALWAYS_INLINE float exp_neg_half_sq32(float a) {
  const float s = a * a, sl = __builtin_fmaf(a, a, -s);
  float t;
  const float r = reduce_ln2_fma(-0.5f * s, &t) - 0.5f * sl;
  return (1.0f + expm1_poly_fma(r, EXP_Q)) * pow2_from_magic(t);
}

// G(a) = erfcx(a/√2)/2 for a in [0.75, 12] (the callers take Φ from gelu_q32 there): t·R(τ) with t = 1/(1 + a/4)
// and τ = 2t − 1, R of degree 9 (relative 1.6e-9). t's rounding would cost up to 3 ULP (G's slope), so t = t0 + dt
// to twice the precision: d + dl = 1 + a/4 exactly (d − 1 is exact for d in [1, 4], so dl is the sum's rounding
// error), 1 − t0·d exactly (an FMA), dt = t0·((1 − t0·d) − dl·t0); 2t0 − 1 is exact (Sterbenz).
TFA_ALWAYS_INLINE float gelu_g32(float a) {
  const float q = 0.25f * a, d = 1.0f + q;
  const float dl = q - (d - 1.0f);
  const float t0 = 1.0f / d;
  const float dt = t0 * (__builtin_fmaf(-t0, d, 1.0f) - dl * t0);
  const float tau = (2.0f * t0 - 1.0f) + 2.0f * dt;
  float p = 4.53776847e-05f;
  p = __builtin_fmaf(p, tau, 3.43258434e-05f);
  p = __builtin_fmaf(p, tau, -4.01596306e-04f);
  p = __builtin_fmaf(p, tau, -8.70528340e-04f);
  p = __builtin_fmaf(p, tau, 1.88371842e-03f);
  p = __builtin_fmaf(p, tau, 1.50992433e-02f);
  p = __builtin_fmaf(p, tau, 4.66305912e-02f);
  p = __builtin_fmaf(p, tau, 9.67843458e-02f);
  p = __builtin_fmaf(p, tau, 1.51974156e-01f);
  p = __builtin_fmaf(p, tau, -3.36525607e-09f) + 1.88821286e-01f;  // the constant as a float32 pair
  return __builtin_fmaf(t0, p, dt * p);
}

// Q(z) = erf(√(z/2))/(2√z) for z = x² ≤ 0.5625, so that Φ(x) = 1/2 + x·Q(x²) for |x| ≤ 0.75: degree 4 (Chebyshev fit,
// 7.6e-9 relative with the constant as a float32 pair).
TFA_ALWAYS_INLINE float gelu_q32(float z) {
  float q = 1.02970516e-04f;
  q = __builtin_fmaf(q, z, -1.18131889e-03f);
  q = __builtin_fmaf(q, z, 9.97236092e-03f);
  q = __builtin_fmaf(q, z, -6.64903000e-02f);
  return __builtin_fmaf(q, z, -1.22765504e-08f) + 3.98942292e-01f;
}

// gelu(x) = x·Φ(x) for x ≥ −12 (NaN gives a number: callers select x there; x < −12, where the result nears the
// subnormals, is the caller's float64 pass). |x| < 0.75: x·(1/2 + x·Q(x²)); Φ there is 0.23–0.77, so the sum hardly
// cancels. Otherwise from the tail: p = x·G·E rounded once (x·G as an exact pair), x·Φ = p for x < 0 and x − p for
// x > 0 (x from x = 6 on, +inf included: x is capped at 12 in p). ±0 for ±0; a subnormal x gives x/2 rounded once.
// 3 ULP over every float32 ≥ −12 (scripts/native/ulp32.cc).
TFA_ALWAYS_INLINE float gelu32(float x) {
  const float a = std::fabs(x), ac = a < 12.0f ? a : 12.0f, z = x * x;
  const float xc = x < 12.0f ? x : 12.0f;  // x − xc·T is x from x = 6 on (T < 2^-27), +inf included
  const float central = x * __builtin_fmaf(x, gelu_q32(z), 0.5f);
  const float g = gelu_g32(ac), e = exp_neg_half_sq32(ac);
  const float ph = xc * g, pl = __builtin_fmaf(xc, g, -ph);
  const float p = __builtin_fmaf(ph, e, pl * e);
  const float tail = x > 0.0f ? x - p : p;
  return a < 0.75f ? central : tail;
}

// gelu′(x) = Φ(x) + x·φ(x) for x ≥ −12 (NaN gives a number, as gelu32): |x| < 0.75: 1/2 + x·(Q(x²) + E/√(2π));
// otherwise from the tail, Φ(−a) − a·φ(a) = E·(G − a/√(2π)) for x < 0 and 1 − E·(G − a/√(2π)) for x > 0 (1/√(2π) as
// a float32 pair); near the root of f′ (x ≈ −0.7518, where both forms cancel) (x − r)·P(x) instead, with r as a pair
// and P of degree 7 on [−1.1915, −0.4434] (GELU1 above, the GLSL body's fit). 1 for x = +inf.
// 5 ULP over every float32 ≥ −12 (scripts/native/ulp32.cc).
TFA_ALWAYS_INLINE float gelu_d32(float x) {
  const float a = std::fabs(x), ac = a < 12.0f ? a : 12.0f;
  const float e = exp_neg_half_sq32(ac);
  const float b = gelu_g32(ac) - __builtin_fmaf(ac, 3.98942292e-01f, ac * -1.13351701e-08f);
  const float tail = x > 0.0f ? __builtin_fmaf(-e, b, 1.0f) : e * b;
  // at most a twofold cancellation outside the root's window
  const float central = __builtin_fmaf(x, __builtin_fmaf(e, 3.98942292e-01f, gelu_q32(x * x)), 0.5f);
  const float direct = a < 0.75f ? central : tail;
  return rootfix_gelu1(x, direct);
}`,
  },
  wasm: {
    // u0 (approximate) is one scalar for the whole loop: only the form in use is computed
    forward: `
      D y;
      if (u0 != 0) {
        // σ(z) inline (wm_sigmoid's form): a call in the loop would cost the exact form too (V8 then keeps its
        // constants on the stack)
        D z = 2 * 0.7978845608028654 * (x + 0.044715 * x * x * x);
        D e = wm_exp_i(-wm_abs(z)), r = 1 / (1 + e);
        y = x * (z >= 0 ? r : e * r);
      } else {
        D e;
        y = x * wm_gelu_cdf(x, e);
      }
      return x == -INF ? -0.0 : y;`,
    derivative: `
      D y;
      if (u0 != 0) {
        D z2 = 2 * 0.7978845608028654 * (x + 0.044715 * x * x * x);
        D e = wm_exp_i(-wm_abs(z2)), r = 1 / (1 + e), s = z2 >= 0 ? r : e * r;
        D dz2 = 2 * 0.7978845608028654 * (1 + 3 * 0.044715 * x * x);
        y = s + x * (e * r * r) * dz2;
      } else {
        D e, c = wm_gelu_cdf(x, e);
        y = c + x * (0.3989422804014327 * e);
      }
      return x == INF ? 1.0 : (x == -INF ? 0.0 : y);`,
  },
  // smooth everywhere
  subnormals: {exact: [false, false, false], approximate: [false, false, false]},
});
