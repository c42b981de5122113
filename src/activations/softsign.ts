import {elementwise} from '../definition';

/** softsign: x / (1 + |x|). */
export const softsign = elementwise({
  id: 'softsign',
  keras: 'softsign',
  doc: 'Softsign.',
  formula: 'x / (1 + abs(x))',
  forward: x => (x === Infinity || x === -Infinity ? Math.sign(x) : x / (1 + Math.abs(x))),
  derivative: x => {
    const d = 1 + Math.abs(x);
    return 1 / (d * d);
  },
  second: x => {
    const d = 1 + Math.abs(x);
    return (x > 0 ? -2 : x < 0 ? 2 : 0) / (d * d * d);
  },
  glsl: {
    forward: `
      if (abs(x) > 3.4028234e38) return sign(x);
      return x / (1.0 + abs(x));`,
    derivative: `
      float d = 1.0 + abs(x);
      return (1.0 / d) / d;`,
    second: `
      float d = 1.0 + abs(x);
      float s = x > 0.0 ? -2.0 : (x < 0.0 ? 2.0 : 0.0);
      return ((s / d) / d) / d;`,
  },
  tensorflow: {
    // float32 Softsign is within 1 ULP, but gives NaN at ±inf: clip to ±max float32 first.
    forward: (x, _u, nat) => nat.op('Softsign', [nat.clip(x, -3.4028234663852886e38, 3.4028234663852886e38)]),
    // float64, so (1 + |x|)² cannot overflow
    derivative: (x, dy, _u, nat) => nat.op('SoftsignGrad', [nat.f64(dy), nat.f64(x)]),
    second(x, dy, _u, nat) {
      const X = nat.f64(x);
      const g = nat.op('SoftsignGrad', [nat.f64(dy), X]);
      // sign(0 − x)·2 rather than sign(x)·(−2): +0 at x = ±0, so dy·(+0) there, as on cpu
      return nat.mul(nat.div(nat.mul(g, nat.op('Sign', [nat.sub(0, X)])), nat.add(nat.op('Abs', [X]), 1)), 2);
    },
  },
  test: {
    kinks: () => [0],
  },
  budget: {webgl: {forward: 1, backward: 3}, tensorflowLaunches: [2, 4, 19]},
  bench: {
    composite: {what: 'tfjs-layers softsign: x/(|x| + 1)', fn: (tf, x) => tf.div(x, tf.add(tf.abs(x), 1))},
  },
  note: 'A tanh-like squashing function with polynomial tails, cheaper and slower to saturate.',
  wgsl: {
    forward: `
      if (abs(x) > 3.4028234e38) { return sign(x); }
      return x / (1.0 + abs(x));`,
    derivative: `
      let d = 1.0 + abs(x);
      return (1.0 / d) / d;`,
    second: `
      let d = 1.0 + abs(x);
      let s = select(select(0.0, 2.0, x < 0.0), -2.0, x > 0.0);
      return ((s / d) / d) / d;`,
  },
  cpp: {
    forward: `
      const double r = x / (1 + std::fabs(x));
      return std::fabs(x) == INFINITY ? (x > 0 ? 1.0 : -1.0) : r;`,
    derivative: `
      const double d = 1 + std::fabs(x);
      return 1 / (d * d);`,
    second: `
      const double d = 1 + std::fabs(x);
      return (x > 0 ? -2.0 : x < 0 ? 2.0 : 0.0) / (d * d * d);`,
    // float32 lanes: two roundings, within 1 ULP of the float64 truth over every float32 (exhaustive check); ±inf → ±1,
    // subnormals exact (1 + |x| = 1), −0 and NaN pass through
    forward32: `
      const float y = x / (1.0f + std::fabs(x));
      return std::fabs(x) == INFINITY ? (x > 0 ? 1.0f : -1.0f) : y;`,
  },
  wasm: {
    forward: `
      return x == INF ? 1.0 : (x == -INF ? -1.0 : x / (1 + wm_abs(x)));`,
    derivative: `
      D d = 1 + wm_abs(x);
      return 1 / (d * d);`,
    // a division-bound loop: V8's scalar JS loop is as fast as f64x2 lanes plus the copies (docs/wasm.md)
    cpu: false,
    // the forward in float32 lanes (the wasm backend): two roundings
    float32: {
      ulp: 2,
      keepsNaN: true,
      forward: `
      F y = x / (1 + wm_abs(x));
      return x == INF ? F{} + 1 : (x == -INF ? F{} - 1 : y);`,
    },
  },
});
