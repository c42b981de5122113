import {elementwise} from '../definition';
import {rootfix, type Root} from '../backends/glsl_math';
import {sigmoid} from '../math';
import {wgslRootfix} from '../backends/wgsl_math';
import {cppRootfix} from '../backends/cpp_math';

/** silu′ and silu″ near their roots, f = (x − r)·Q(x) (test/browser/tools/glsl_coefficients.py). */
const SILU1: Root[] = [
  {
    rh: -1.2784645557403564,
    rl: 1.2979282537628478e-8,
    a: -2.2267358384410936,
    b: -0.7376786732079197,
    m: -1.4822072982788086,
    ih: 1.3431317806243896,
    lo: 2.0199639738649466e-9,
    c: [
      2.413173388049472e-5, 8.642615284770727e-5, -0.00015257220366038382, -0.00193492672406137, -0.004089939873665571,
      0.014713018201291561, 0.10221251845359802, 0.18883396685123444,
    ],
  },
];
const SILU2: Root[] = [
  {
    rh: -2.399357318878174,
    rl: 3.83627067890302e-8,
    a: -3.921054334705746,
    b: -1.531554713469884,
    m: -2.726304531097412,
    ih: 0.8369953036308289,
    lo: 2.3139135052474558e-9,
    c: [
      2.6202126264252e-6, 3.232348171877675e-5, 9.451744699617848e-5, 2.8772850782843307e-5, -0.0006411233334802091,
      -0.002447451464831829, -0.0038668252527713776, 0.003180329455062747, 0.03177877515554428, 0.0734385997056961,
      0.0690145418047905,
    ],
  },
  {
    rh: 2.399357318878174,
    rl: -3.83627067890302e-8,
    a: 1.531554713469884,
    b: 3.921054334705746,
    m: 2.726304531097412,
    ih: 0.8369953036308289,
    lo: -2.3139135052474558e-9,
    c: [
      -2.6202126264252e-6, 3.232348171877675e-5, -9.451744699617848e-5, 2.8772850782843307e-5, 0.0006411233334802091,
      -0.002447451464831829, 0.0038668252527713776, 0.003180329455062747, -0.03177877515554428, 0.0734385997056961,
      -0.0690145418047905,
    ],
  },
];

/** silu (swish): x·sigmoid(x). */
export const silu = elementwise({
  id: 'silu',
  keras: 'silu',
  aliases: ['swish'],
  doc: 'Sigmoid linear unit, also called swish.',
  formula: 'x·sigmoid(x)',
  forward: x => (x === -Infinity ? -0 : x * sigmoid(x)),
  derivative: x => {
    if (x === Infinity || x === -Infinity) return x > 0 ? 1 : 0;
    const s = sigmoid(x);
    return s + x * s * sigmoid(-x);
  },
  second: x => {
    // d/dx [s + x s'] = 2 s' + x s'(1 − 2s), with 1 − 2s = −tanh(x/2)
    if (x === Infinity || x === -Infinity) return 0;
    const ds = sigmoid(x) * sigmoid(-x);
    return ds * (2 - x * Math.tanh(0.5 * x));
  },
  glsl: {
    forward: `
      if (x <= -200.0) return -0.0;
      return ta_sigmoid_mul(x, x);`,
    derivative: `
      // below, f′ = s(x)(1 + x·s(−x)) < 0 underflows to −0; cpu's float64 s(x) is 0 below −745.1332 (+0 there)
      if (abs(x) > 200.0) return x > 0.0 ? 1.0 : x >= -745.1332 ? -0.0 : 0.0;
      return rootfix_silu1(x, ta_sigmoid_mul(x, 1.0 + x * sigmoid(-x)));`,
    second: `
      // f″ = s(x)s(−x)(2 − x·tanh(x/2)) < 0 underflows to −0 (cpu's +0 at ±inf)
      if (abs(x) > 200.0) return abs(x) <= 3.4028234e38 ? -0.0 : 0.0;
      return rootfix_silu2(x, ta_dsigmoid_mul(x, 2.0 - x * tanhf(0.5 * x)));`,
    helpers: rootfix('silu1', SILU1) + rootfix('silu2', SILU2),
  },
  tensorflow: {
    // float64; MulNoNan gives the limits at ±inf where a factor is exactly 0.
    forward(x, _u, nat) {
      const X = nat.f64(x);
      return nat.op('Neg', [nat.mulNoNan(nat.op('Neg', [X]), nat.op('Sigmoid', [X]))]); // −((−x)·σ(x)): −0 for x ≪ 0
    },
    // dy·f′ with f′ = σ(x)·(1 + x·σ(−x)) formed first, as cpu does: its zeros then carry cpu's signs (f′ is +0
    // where σ(x) underflows, and dy = ±0 gives ±0·f′)
    derivative(x, dy, _u, nat) {
      const X = nat.f64(x);
      const d = nat.mulNoNan(
        nat.add(nat.mulNoNan(X, nat.op('Sigmoid', [nat.op('Neg', [X])])), 1),
        nat.op('Sigmoid', [X]),
      );
      return nat.mul(nat.f64(dy), d);
    },
    // dy·f″, f″ = σ(x)σ(−x)·(2 − x·tanh(x/2)): −0 where σ(x)σ(−x) underflows, cpu's +0 at ±inf
    second(x, dy, _u, nat) {
      const X = nat.f64(x);
      const ds = nat.mul(nat.op('Sigmoid', [X]), nat.op('Sigmoid', [nat.op('Neg', [X])]));
      const d2 = nat.mul(ds, nat.sub(2, nat.mul(X, nat.op('Tanh', [nat.mul(X, 0.5)]))));
      return nat.mul(nat.f64(dy), nat.select(nat.op('IsInf', [X]), 0, d2));
    },
  },
  budget: {webgl: {forward: 2, backward: 5}, tensorflowLaunches: [6, 10, 15]},
  bench: {
    composite: {what: 'tfjs-layers swish: sigmoid(x·1)·x', fn: (tf, x) => tf.mul(tf.sigmoid(tf.mul(x, 1)), x)},
  },
  note: 'A smooth relu (swish) used in EfficientNet and many LLMs (SwiGLU); a good general default.',
  wgsl: {
    forward: `
      // −0 below −170 (ta_sigmoid_mul's zero takes the sign of f = x), so no branch for it
      return ta_sigmoid_mul(x, x);`,
    derivative: `
      // below, f′ = s(x)(1 + x·s(−x)) < 0 underflows to −0; cpu's float64 s(x) is 0 below −745.1332 (+0 there)
      if (abs(x) > 200.0) { return select(select(0.0, -0.0, x >= -745.1332), 1.0, x > 0.0); }
      return rootfix_silu1(x, ta_sigmoid_mul(x, 1.0 + x * sigmoid(-x)));`,
    second: `
      // f″ = s(x)s(−x)(2 − x·tanh(x/2)) < 0 underflows to −0 (cpu's +0 at ±inf)
      if (abs(x) > 200.0) { return select(0.0, -0.0, abs(x) <= 3.4028234e38); }
      return rootfix_silu2(x, ta_dsigmoid_mul(x, 2.0 - x * tanhf(0.5 * x)));`,
    helpers: wgslRootfix('silu1', SILU1) + wgslRootfix('silu2', SILU2),
  },
  cpp: {
    forward: `
      const double r = x * sigmoid(x);
      return x == -INFINITY ? -0.0 : r;`,
    // float32 lanes: x·σ(x) as (x·1 or x·e)/(1 + e), e = exp32_fast(−|x|) (the same results on every CPU path); |x| > 87
    // (a subnormal e, ±inf) is redone in float64
    forward32: `
      const float e = exp32_fast(-std::fabs(x));
      return (x * (x >= 0 ? 1.0f : e)) / (1.0f + e);`,
    forward32Rare: 'std::fabs(x) > 87.0f',
    derivative: `
      const double s = sigmoid(x), r = s + x * s * sigmoid(-x);
      return std::fabs(x) == INFINITY ? (x > 0 ? 1.0 : 0.0) : r;`,
    second: `
      // d/dx [s + x s'] = 2 s' + x s'(1 − 2s), with 1 − 2s = −tanh(x/2)
      const double ds = sigmoid(x) * sigmoid(-x), r = ds * (2 - x * tanh(0.5 * x));
      return std::fabs(x) == INFINITY ? 0.0 : r;`,
    // dy·f′ in float32 lanes (silu_d32 in helpers32 below: the wasm body's ((1 + x) + e)·e/(1 + e)² form, the GLSL fit
    // (x − r)·P(x) around f′'s root at −1.2785, where that form cancels; 6 ULP over every float32 with |x| ≤ 87, the
    // same results on every CPU path); |x| > 87 (a subnormal e) is redone in float64
    gradient32: 'dy * silu_d32(x)',
    gradient32Rare: 'std::fabs(x) > 87.0f',
    // the float32 gradient costs about what the forward does (the float64 bodies' estimate, 7, split 64K over two
    // threads)
    cost: [3, 3],
    // silu′ in float32 lanes; the root fit is SILU1's numbers as float32 literals
    helpers32: `${cppRootfix('silu1', SILU1)}
// silu′(x) = σ(x)·(1 + x·σ(−x)) for |x| ≤ 87 (NaN gives a number: callers select x there; |x| > 87, a subnormal
// e^(−|x|), is the caller's float64 pass): with e = exp32_fast(−|x|) and r = 1/(1 + e), ((1 + e) + x·e)·r² for
// x ≥ 0 and ((1 + x) + e)·e·r² for x < 0 (1 + x exact near the root, by Sterbenz); near the root of f′ (x ≈ −1.2785,
// where (1 + x) + e cancels) (x − r)·P(x) instead, with r as a pair and P of degree 7 on [−2.2267, −0.7377] (SILU1
// above, the GLSL body's fit; its Horner steps as FMAs). 6 ULP over every float32 with |x| ≤ 87
// (scripts/native/ulp32.cc).
TFA_ALWAYS_INLINE float silu_d32(float x) {
  const float e = exp32_fast(-std::fabs(x)), r = 1.0f / (1.0f + e);
  const float num = x >= 0 ? (1.0f + e) + x * e : ((1.0f + x) + e) * e;
  const float direct = (r * r) * num;
  return rootfix_silu1(x, direct);
}`,
  },
  wasm: {
    forward: `
      return x == -INF ? -0.0 : x * wm_sigmoid(x);`,
    derivative: `
      D e = wm_exp(-wm_abs(x)), r = 1 / (1 + e), s = x >= 0 ? r : e * r;
      D y = s + x * (e * r * r);
      return x == INF ? 1.0 : (x == -INF ? 0.0 : y);`,
    // float32 lanes (the wasm backend). f′ = (1 + e + x·e)/(1 + e)² for x ≥ 0 and e·((1 + x) + e)/(1 + e)² for
    // x < 0, e = exp(−|x|): f′ crosses 0 near x = −1.2785, where 1 + x is exact (Sterbenz) and only e's error
    // (a few 1e-8) is left in the sum; within 0.05 of the root that would be amplified past the budget, so the
    // band [−1.35, −1.2] takes the float64 body, as do |x| > 87 (a subnormal e)
    float32: {
      ulp: 3,
      derivativeUlp: 4,
      keepsNaN: true,
      fallback: {
        forward: 'wm_negabs(x) < -87.0f',
        derivative: 'wm_negabs(x) < -87.0f || (x > -1.35f && x < -1.2f)',
      },
      forward: `
      F e = wm_expn(wm_negabs(x));
      return (x >= 0 ? x : x * e) / (1 + e);`,
      derivative: `
      F e = wm_expn(wm_negabs(x)), r = 1 / (1 + e);
      F num = x >= 0 ? (1 + e) + x * e : ((1 + x) + e) * e;
      return dy * (r * r) * num;`,
    },
  },
});
