import {elementwise} from '../definition';

/** Leaky relu: x ≥ 0 ? x : negative_slope·x. u = [negative_slope]. */
export const leakyRelu = elementwise({
  id: 'leakyRelu',
  keras: 'leaky_relu',
  doc: 'Leaky rectified linear unit.',
  formula: 'x ≥ 0 ? x : negative_slope·x',
  params: [
    {
      name: 'negativeSlope',
      keras: 'negative_slope',
      kind: 'number',
      default: 0.2,
      doc: "slope for x < 0 (the function default; Keras's LeakyReLU layer defaults to 0.3)",
    },
  ],
  constants: p => [p.negativeSlope as number],
  // slope 0 at −inf: the limit 0 (not 0·−inf = NaN)
  forward: (x, u) => (x >= 0 ? x : u[0] === 0 ? 0 * Math.max(x, -Number.MAX_VALUE) : u[0] * x),
  derivative: (x, u) => (x >= 0 ? 1 : u[0]),
  second: () => 0,
  glsl: {
    forward: `
      // one rounding of float32(slope)·x (within 1 ulp, one multiply); slope 0: −0 below 0 (0·x), down to −inf
      // (0·(−FLT_MAX)); ternaries over plain values only, so that they are selects, not branches (webgl.ts)
      float xm = max(x, -3.4028234663852886e38);
      return (u.x == 0.0 ? xm : x) * (x >= 0.0 ? 1.0 : u.x);`,
    derivative: `
      return x >= 0.0 ? 1.0 : u.x;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    // slope 0: −0 below 0 (0·x, as the definition; Relu gives +0); a negative slope: LeakyRelu's x·slope at
    // x = ±0 flips the zero's sign, so x ≥ 0 keeps x (the definition's x >= 0 ? x : slope·x)
    forward: (x, u, nat) =>
      u[0] > 0
        ? nat.op('LeakyRelu', [x], {alpha: {float: u[0]}})
        : nat.select(nat.less(x, 0), u[0] === 0 ? -0 : nat.mul(x, u[0]), x),
    // dy at x = ±0 itself, as the cpu definition and Keras (x >= 0); LeakyReluGrad would give slope·dy there.
    // dy·f′ (a zero takes the sign of dy·f′, as on cpu); clip(x, 1, 1) is 1, NaN for NaN x
    derivative: (x, dy, u, nat) => nat.mul(dy, nat.select(nat.less(x, 0), u[0], nat.clip(x, 1, 1))),
    second: (x, dy, _u, nat) => nat.mul(dy, nat.nanOf(nat.op('Abs', [x]))), // dy·(+0), as the definition
  },
  test: {
    variants: [{}, {negativeSlope: 0.01}, {negativeSlope: 1.5}, {negativeSlope: 0}, {negativeSlope: 0.3}],
    kinks: () => [0],
  },
  budget: {webgl: {forward: 1, backward: 0}, tensorflowLaunches: [3, 13, 3]},
  bench: {
    composite: {what: 'tf.leakyRelu', fn: (tf, x) => tf.leakyRelu(x, 0.2)},
    piecewiseLinear: true,
  },
  note: 'relu that never dies: a small slope keeps gradients flowing for negative inputs (GANs).',
  wgsl: {
    forward: `
      if (x >= 0.0) { return x; }
      // slope 0: −0 (0·x), down to −inf (the limit, not 0·(−inf) = NaN)
      if (u.x == 0.0) { return -0.0; }
      return u.x * x + ul.x * x;`,
    derivative: `
      return select(u.x, 1.0, x >= 0.0);`,
    second: `
      return 0.0;`,
  },
  cpp: {
    // slope 0: −0 below 0, −∞ included (the limit, as the cpu definition), not 0·(−∞)
    forward: 'x >= 0 ? x : (u[0] == 0 ? -0.0 : u[0] * x)',
    derivative: 'x >= 0 ? 1.0 : u[0]',
    second: '0.0',
    // float32 lanes: a float32 slope gives the exactly rounded product, as float64 does; another slope (the default
    // 0.2) is rounded to float32 first, within 1 ULP of the float64 product (half an ULP from the slope's rounding,
    // half from the product's; the product in float64 costs twice the time: the conversions are the bottleneck, not
    // memory). Slopes beyond float32's normal range keep the float64 product.
    forward32: 'x >= 0 ? x : (uf[0] == 0 ? -0.0f : uf[0] * x)',
    forward32When: 'static_cast<double>(uf[0]) == u[0] || (std::fabs(u[0]) >= 0x1p-100 && std::fabs(u[0]) <= 0x1p100)',
  },
  wasm: {
    // slope 0: −0 below 0, −∞ included (the limit, as the cpu definition)
    // 0 < slope ≤ 1: max(x, slope·x) (one f64x2.pmax; −0, −∞ and NaN kept), as the JS loop's x ≥ 0 ? x : slope·x
    forward: `
      if (u0 > 0 && u0 <= 1) return wm_pmax(x, u0 * x);
      return x >= 0 ? x : (u0 == 0 ? -0.0 : u0 * x);`,
    derivative: `
      return x >= 0 ? 1.0 : u0;`,
    // u·x with u rounded to float32: within 1 ULP (the wasm backend only; cpu keeps the float64 body)
    float32: {
      ulp: 1,
      keepsNaN: true,
      // 0 < slope ≤ 1 (in float32): x < slope·x ? slope·x : x, one f32x4.pmax (−0 and NaN kept; no 0·∞);
      // other slopes: float64
      when: '(float)u0 > 0 && u0 <= 1',
      forward: `
      return wm_pmax(x, (float)u0 * x);`,
    },
  },
  // f′ jumps at 0 unless the slope is 1
  subnormals: {'': [false, undefined, false]},
});
