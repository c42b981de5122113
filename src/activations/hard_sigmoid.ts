import {elementwise} from '../definition';

/**
 * Keras 3 hard_sigmoid: relu6(x + 3)/6 = clip(x/6 + 1/2, 0, 1). Not tfjs's
 * 'hardSigmoid' (the Keras 2 form clip(0.2x + 0.5, 0, 1)): as a layers id it
 * replaces tfjs's only after `useKeras3HardSigmoid()`.
 */
export const hardSigmoid = elementwise({
  id: 'hardSigmoid',
  keras: 'hard_sigmoid',
  doc: 'Keras 3 hard sigmoid (piecewise linear, slope 1/6).',
  formula: 'relu6(x + 3) / 6',
  forward: x => (x <= -3 ? 0 : x >= 3 ? 1 : (x + 3) / 6),
  derivative: x => (x > -3 && x < 3 ? 1 / 6 : 0),
  second: () => 0,
  glsl: {
    forward: `
      // (x + 3)/6 below −1.5 (no cancellation near −3), x/6 + 0.5 above; ·(1/6) instead of /6; both computed,
      // then selected (a ternary over expressions is a branch, src/backends/webgl.ts)
      float low = (x + 3.0) * 0.16666666666666666;
      float high = x * 0.16666666666666666 + 0.5;
      return clamp(x < -1.5 ? low : high, 0.0, 1.0);`,
    derivative: `
      return (x > -3.0 && x < 3.0) ? 1.0 / 6.0 : 0.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    forward: (x, _u, nat) => nat.div(nat.op('Relu6', [nat.add(x, 3)]), 6),
    // dy/6 inside (rounded once), dy/+inf outside: a zero takes dy's sign, as dy·(+0) on cpu; NaN for NaN x
    derivative: (x, dy, _u, nat) =>
      nat.div(dy, nat.select(nat.greaterEqual(nat.op('Abs', [x]), 3), Infinity, nat.clip(x, 6, 6))),
    second: (x, dy, _u, nat) => nat.mul(dy, nat.nanOf(nat.op('Abs', [x]))), // dy·(+0), as the definition
  },
  test: {
    kinks: () => [-3, 3],
  },
  budget: {webgl: {forward: 1, backward: 0}, tensorflowLaunches: [3, 5, 3]},
  bench: {
    composite: {
      what: 'clip(x/6 + 0.5, 0, 1) (tfjs-layers form, Keras 3 slope)',
      fn: (tf, x) => tf.clipByValue(tf.add(tf.mul(x, 1 / 6), 0.5), 0, 1),
    },
    piecewiseLinear: true,
  },
  note: 'A cheap sigmoid for mobile models (MobileNetV3) and quantised inference.',
  wgsl: {
    forward: `
      // (x + 3)/6 below −1.5 (no cancellation near −3), x/6 + 0.5 above, one division, as selects: on SwiftShader a
      // return from a branch costs
      let lo = x < -1.5;
      let q = select(x, x + 3.0, lo) / 6.0;
      return select(select(select(q + 0.5, q, lo), 1.0, x >= 3.0), 0.0, x <= -3.0);`,
    derivative: `
      return select(0.0, 1.0 / 6.0, x > -3.0 && x < 3.0);`,
    second: `
      return 0.0;`,
  },
  cpp: {
    forward: 'x <= -3 ? 0.0 : (x >= 3 ? 1.0 : (x + 3) / 6)',
    derivative: 'x > -3 && x < 3 ? 1.0 / 6 : 0.0',
    second: '0.0',
  },
  wasm: {
    // (x + 3)·fl(1/6) instead of the division: the same float32 as the JS loop's fround((x + 3)/6). That is the
    // correctly rounded (x + 3)/6 (x + 3 is exact for |x| ≥ 2^-26, and (x + 3)/6 then lies at least ulp(x)/6 ≥
    // 2^-51.6 from any float32 midpoint it is not on; below, both give 0.5); the product is within 1.5·2^-53 of it,
    // and on a midpoint m itself (x + 3 = 6m, m of 25 bits) it is m exactly, since 6·fl(1/6) = 1 − 2^-54: the same
    // ties to even. Checked for every float32 in (−3.5, 3.5). The product is monotone, +0 at −3 and 1 at 3 (1 − 2^-54
    // rounds to 1), so clamping it (one f64x2.pmin and one pmax) gives the JS loop's 0 and 1 outside.
    forward: `
      return wm_pmax(wm_pmin((x + 3) * (1.0 / 6), D{} + 1), D{});`,
    derivative: `
      return x > -3 && x < 3 ? 1.0 / 6 : 0.0;`,
    // (x + 3)/6 in float32: two roundings, within 2 ULP (the wasm backend only)
    float32: {
      ulp: 2,
      keepsNaN: true,
      // (x + 3)·fl(1/6) is monotone, 0 at −3 and 1 at 3: clamped by one f32x4.pmin and one pmax (NaN stays NaN)
      forward: `
      return wm_pmax(wm_pmin((x + 3) * (1.0f / 6), 1), 0);`,
    },
  },
});
