import {elementwise} from '../definition';
import {rootfix, type Root} from '../backends/glsl_math';
import {sigmoid} from '../math';
import {wgslRootfix} from '../backends/wgsl_math';

/** mish′ and mish″ near their roots, f = (x − r)·Q(x) (test/browser/tools/glsl_coefficients.py). */
const MISH1: Root[] = [
  {
    rh: -1.1924312114715576,
    rl: -3.0439375464652585e-9,
    a: -2.140702510195515,
    b: -0.6673963897066078,
    m: -1.4040493965148926,
    ih: 1.357491135597229,
    lo: -3.323979758107498e-9,
    c: [
      -1.0608305274217855e-6, 1.0389054523329833e-6, 2.169698927900754e-5, 6.521846080431715e-5, -6.769564151909435e-6,
      -0.0008589122444391251, -0.003481518244370818, -0.0034091698471456766, 0.02760479599237442, 0.13615906238555908,
      0.22566166520118713,
    ],
  },
];
const MISH2: Root[] = [
  {
    rh: -2.2563765048980713,
    rl: 1.0853727872017771e-7,
    a: -3.7780734505510716,
    b: -1.3357246529821334,
    m: -2.556899070739746,
    ih: 0.8188838362693787,
    lo: -2.3674601168366394e-10,
    c: [
      -7.925372642603179e-7, -1.1647252904367633e-6, 3.8074904296081513e-6, 1.6180461898329668e-5, 3.573825233615935e-5,
      4.6702403778908774e-5, -4.893606819678098e-5, -0.0005186012131161988, -0.0017463130643591285,
      -0.003487674053758383, -0.002431589877232909, 0.011202272959053516, 0.048955608159303665, 0.09496283531188965,
      0.08226539194583893,
    ],
  },
  {
    rh: 1.490571141242981,
    rl: 3.82424474310028e-8,
    a: 0.9168514504764872,
    b: 2.438842475165448,
    m: 1.677846908569336,
    ih: 1.3140681982040405,
    lo: 3.5385137042709403e-9,
    c: [
      -1.6060985217336565e-6, -3.6792337141378084e-6, 3.126465526293032e-5, -3.216650657122955e-5,
      -0.00019047099340241402, 0.0007866859086789191, -0.0006281735841184855, -0.004343619104474783,
      0.015798749402165413, -0.011488346382975578, -0.06097887083888054, 0.1871384233236313, -0.181180939078331,
    ],
  },
];

/**
 * mish: x·tanh(softplus(x)) with one exp: with e = exp(x) and
 * n = e(e + 2), tanh(softplus(x)) = n/(n + 2), 1 − tanh² = 4(n + 1)/(n + 2)²
 * and σ(x) = e/(1 + e). Above x = 40, tanh(softplus(x)) is 1 in float64 and
 * 1 − tanh² ≈ 4exp(−2x). (Written out in each function, with no helper
 * returning a pair: the cpu kernel runs them once per element.)
 */

export const mish = elementwise({
  id: 'mish',
  keras: 'mish',
  doc: 'Mish, a smooth self-gated activation.',
  formula: 'x·tanh(softplus(x))',
  forward: x => {
    if (x > 40) return x;
    if (x === -Infinity) return -0;
    const e = Math.exp(x),
      n = e * (e + 2);
    return x * (n / (n + 2));
  },
  derivative: x => {
    if (x === Infinity || x === -Infinity) return x > 0 ? 1 : 0;
    if (x > 40) return 1 + x * (4 * Math.exp(-2 * x)) * sigmoid(x);
    const e = Math.exp(x),
      n = e * (e + 2),
      d = n + 2;
    return n / d + x * ((4 * (n + 1)) / (d * d)) * (e / (1 + e));
  },
  second: x => {
    if (x === Infinity || x === -Infinity) return 0;
    // T' = S σ, T'' = S(σ(1 − σ) − 2Tσ²); f'' = 2T' + xT''
    if (x > 40) {
      const s2 = 4 * Math.exp(-2 * x),
        s = sigmoid(x);
      return 2 * s2 * s + x * s2 * (s * sigmoid(-x) - 2 * s * s);
    }
    const e = Math.exp(x),
      n = e * (e + 2),
      d = n + 2;
    const t = n / d,
      s2 = (4 * (n + 1)) / (d * d),
      s = e / (1 + e);
    return 2 * s2 * s + x * s2 * (s * (1 / (1 + e)) - 2 * t * s * s);
  },
  glsl: {
    forward: `
      if (x > 15.0) return x;
      if (x < -100.0) return -0.0;
      float e = expf(x);
      if (x >= 0.0) return x * (1.0 - 2.0 / (e * (e + 2.0) + 2.0));
      // x·e(e + 2)/(e(e + 2) + 2) with the factor e applied last
      return ta_expmul(x, x * (e + 2.0) / (e * (e + 2.0) + 2.0));`,
    derivative: `
      if (x > 15.0) return 1.0;
      // f′ < 0 below: −0, down to cpu's float64 underflow of exp(x) at −745.1332 (+0 there)
      if (x < -100.0) return x >= -745.1332 ? -0.0 : 0.0;
      float e = expf(x);
      float n = e * (e + 2.0), d = n + 2.0;
      float s2 = 4.0 * (n + 1.0) / (d * d);  // 1 − tanh²(softplus x)
      float r = x >= 0.0 ? n / d + x * s2 * sigmoid(x)
                         : ta_expmul(x, (e + 2.0) / d + x * s2 / (1.0 + e));
      return rootfix_mish1(x, r);`,
    second: `
      // f″ < 0 beyond: −0, up to cpu's float64 underflow of exp(−2|x|) or exp(x) (+0 there)
      if (x > 60.0) return x <= 372.5666 ? -0.0 : 0.0;
      if (x < -100.0) return x >= -745.1332 ? -0.0 : 0.0;
      float s = sigmoid(x);
      if (x > 20.0) return ta_expmul(-2.0 * x, 4.0 * s * (2.0 + x * (sigmoid(-x) - 2.0 * s)));
      float e = expf(x);
      float n = e * (e + 2.0), d = n + 2.0;
      float s2 = 4.0 * (n + 1.0) / (d * d);
      float b = 2.0 + x * (sigmoid(-x) - 2.0 * (n / d) * s);
      float r = x >= 0.0 ? s2 * s * b : ta_expmul(x, s2 / (1.0 + e) * b);
      return rootfix_mish2(x, r);`,
    helpers: rootfix('mish1', MISH1) + rootfix('mish2', MISH2),
  },
  tensorflow: {
    // float64; T = tanh(softplus(x)), S = sech²(softplus(x)).
    forward(x, _u, nat) {
      const X = nat.f64(x);
      return nat.op('Neg', [nat.mulNoNan(nat.op('Neg', [X]), nat.op('Tanh', [nat.op('Softplus', [X])]))]); // −0 for x ≪ 0
    },
    // dy·f′ with f′ = T + x·σ(x)·S formed first, as cpu does, so that its zeros carry cpu's signs (f′ is +0
    // where σ(x) underflows; dy = ±0 gives ±0·f′); S as 1 − T² (its loss for x > 19 is below f′'s precision)
    derivative(x, dy, _u, nat) {
      const X = nat.f64(x);
      const t = nat.op('Tanh', [nat.op('Softplus', [X])]);
      const s = nat.sub(1, nat.op('Square', [t]));
      const d = nat.add(t, nat.mulNoNan(X, nat.mul(nat.op('Sigmoid', [X]), s)));
      return nat.mul(nat.f64(dy), d);
    },
    // dy·f″, f″ = 2·σ(x)S + x·σ(x)S·(σ(−x) − 2Tσ(x)) as a sum (cpu's +0 where σ(x)S underflows, and at ±inf);
    // S = (1/cosh(softplus(x)))², which underflows where cpu's 4·exp(−2x) does
    second(x, dy, _u, nat) {
      const X = nat.f64(x);
      const sp = nat.op('Softplus', [X]);
      const sig = nat.op('Sigmoid', [X]);
      const w = nat.sub(nat.op('Sigmoid', [nat.op('Neg', [X])]), nat.mul(nat.mul(nat.op('Tanh', [sp]), sig), 2));
      const ss = nat.mul(nat.op('Square', [nat.op('Reciprocal', [nat.op('Cosh', [sp])])]), sig);
      const d2 = nat.add(nat.mul(ss, 2), nat.mulNoNan(X, nat.mul(ss, w)));
      return nat.mul(nat.f64(dy), d2);
    },
  },
  budget: {webgl: {forward: 3, backward: 7}, tensorflowLaunches: [7, 12, 20]},
  bench: {
    composite: {what: 'tfjs-layers mish: x·tanh(softplus(x))', fn: (tf, x) => tf.mul(x, tf.tanh(tf.softplus(x)))},
  },
  note: 'A smooth, non-monotonic relu alternative that helped some vision models (YOLOv4).',
  wgsl: {
    forward: `
      // one exp: e = exp(x) = (1 + p)·2^k; x·(1 − 2/(e(e + 2) + 2)) for x >= 0, below
      // x·e(e + 2)/(e(e + 2) + 2) with the factor e applied last
      let pk = ta_exp_pk(clamp(x, -100.0, 15.0), 0.0);
      let e = ta_scale(1.0 + pk.x, pk.y);
      let r = select(2.0, x * (e + 2.0), x < 0.0) / (e * (e + 2.0) + 2.0);
      let y = select(x * (1.0 - r), ta_scale(r + r * pk.x, pk.y), x < 0.0);
      return select(select(y, x, x > 15.0), -0.0, x < -100.0);`,
    derivative: `
      if (x > 15.0) { return 1.0; }
      // f′ < 0 below: −0, down to cpu's float64 underflow of exp(x) at −745.1332 (+0 there)
      if (x < -100.0) { return select(0.0, -0.0, x >= -745.1332); }
      let e = expf(x);
      let n = e * (e + 2.0);
      let d = n + 2.0;
      let s2 = 4.0 * (n + 1.0) / (d * d);  // 1 − tanh²(softplus x)
      var r: f32;
      if (x >= 0.0) {
        r = n / d + x * s2 * sigmoid(x);
      } else {
        r = ta_expmul(x, (e + 2.0) / d + x * s2 / (1.0 + e));
      }
      return rootfix_mish1(x, r);`,
    second: `
      // f″ < 0 beyond: −0, up to cpu's float64 underflow of exp(−2|x|) or exp(x) (+0 there)
      if (x > 60.0) { return select(0.0, -0.0, x <= 372.5666); }
      if (x < -100.0) { return select(0.0, -0.0, x >= -745.1332); }
      let s = sigmoid(x);
      if (x > 20.0) { return ta_expmul(-2.0 * x, 4.0 * s * (2.0 + x * (sigmoid(-x) - 2.0 * s))); }
      let e = expf(x);
      let n = e * (e + 2.0);
      let d = n + 2.0;
      let s2 = 4.0 * (n + 1.0) / (d * d);
      let b = 2.0 + x * (sigmoid(-x) - 2.0 * (n / d) * s);
      var r: f32;
      if (x >= 0.0) {
        r = s2 * s * b;
      } else {
        r = ta_expmul(x, s2 / (1.0 + e) * b);
      }
      return rootfix_mish2(x, r);`,
    helpers: wgslRootfix('mish1', MISH1) + wgslRootfix('mish2', MISH2),
  },
  cpp: {
    forward: `
      const double e = exp(x), n = e * (e + 2), r = x * (n / (n + 2));
      return x > 40 ? x : (x == -INFINITY ? -0.0 : r);`,
    derivative: `
      // one exp for both sides: above 40, σ(x) is 1 in float64 and exp(−2x) = 1/e² (0 once e² overflows, where
      // 4x·exp(−2x) is far below float64's half ULP of 1 anyway)
      const double e = exp(x), n = e * (e + 2), d = n + 2;
      const double big = 1 + x * (4 / (e * e));
      const double r = n / d + x * (4 * (n + 1) / (d * d)) * (e / (1 + e));
      return std::fabs(x) == INFINITY ? (x > 0 ? 1.0 : 0.0) : (x > 40 ? big : r);`,
    second: `
      // T' = S σ, T'' = S(σ(1 − σ) − 2Tσ²); f'' = 2T' + xT''
      const double b2 = 4 * exp(-2 * x), bs = sigmoid(x);
      const double big = 2 * b2 * bs + x * b2 * (bs * sigmoid(-x) - 2 * bs * bs);
      const double e = exp(x), n = e * (e + 2), d = n + 2;
      const double t = n / d, s2 = 4 * (n + 1) / (d * d), s = e / (1 + e);
      const double r = 2 * s2 * s + x * s2 * (s * (1 / (1 + e)) - 2 * t * s * s);
      return std::fabs(x) == INFINITY ? 0.0 : (x > 40 ? big : r);`,
  },
  wasm: {
    forward: `
      D e = wm_exp(x), n = e * (e + 2);
      D y = x * (n / (n + 2));
      return x > 40 ? x : (x == -INF ? -0.0 : y);`,
    derivative: `
      D e = wm_exp(x), n = e * (e + 2), d = n + 2;
      D y = n / d + x * (4 * (n + 1) / (d * d)) * (e / (1 + e));
      I64 far = x > 40;  // (its two exponentials only when some lane needs them)
      if (wm_any(far)) y = far ? 1 + x * (4 * wm_exp(-2 * x)) * wm_sigmoid(x) : y;
      return x == INF ? 1.0 : (x == -INF ? 0.0 : y);`,
  },
});
