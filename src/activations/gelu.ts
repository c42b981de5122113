import {elementwise, type NativeOps, type NativeTensor, type ShaderBodies} from '../definition';
import {glslFloat, glslSplit, rootfix, type Root} from '../backends/glsl_math';
import {normalCdf, normalPdf, sigmoid} from '../math';
import {wgslRootfix} from '../backends/wgsl_math';

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
    // The exact form in float32 lanes (tfa_math32.h's gelu32 and gelu_d32: Φ from a fitted erfcx and an exponential
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
