import {elementwise} from '../definition';

/**
 * Keras 3 relu with its three parameters. Keras computes, in order:
 * x if x > threshold else 0; then clip to [0, max_value] when max_value is
 * set; then subtract negative_slope * max(threshold - x, 0).
 * Constants: u = [negative_slope, max_value (NaN when None), threshold].
 */
export const relu = elementwise({
  id: 'relu',
  keras: 'relu',
  doc: "Rectified linear unit, with Keras's optional slope, ceiling and threshold.",
  formula: 'x > t ? x : 0, clipped to [0, max_value] if set, minus negative_slope·max(t − x, 0)',
  params: [
    {name: 'negativeSlope', keras: 'negative_slope', kind: 'number', default: 0, doc: 'slope below the threshold'},
    {
      name: 'maxValue',
      keras: 'max_value',
      kind: 'optionalNumber',
      default: null,
      doc: 'saturation value, or null for none',
      check: (v: number) => (v >= 0 ? undefined : `must be >= 0 (or null), got ${v}`),
    },
    {name: 'threshold', keras: 'threshold', kind: 'number', default: 0, doc: 'values at or below it are cut'},
  ],
  constants: p => [
    p.negativeSlope as number,
    p.maxValue === null ? NaN : (p.maxValue as number),
    p.threshold as number,
  ],
  forward(x, u) {
    const t = u[2],
      m = u[1];
    // plain relu (the defaults) without a data-dependent branch: x + |x| is 2x or +0, exactly
    if (t === 0 && u[0] === 0 && m !== m) return x === -Infinity ? 0 : 0.5 * (x + Math.abs(x));
    let y = x > t ? x : 0;
    if (m === m) y = y < 0 ? 0 : y > m ? m : y;
    return x < t && u[0] !== 0 ? y - u[0] * (t - x) : y;
  },
  derivative(x, u) {
    const t = u[2],
      m = u[1];
    let d = x > t ? 1 : 0;
    if (m === m && (x < 0 || x > m)) d = 0;
    return x < t ? d + u[0] : d;
  },
  second: () => 0,
  glsl: {
    forward: `
      // the constants as float32 u plus remainder ul, compared and subtracted exactly
      float t = u.z, tl = ul.z, m = u.y;
      float y = ta_gt(x, t, tl) ? x : 0.0;
      if (!ta_isnan(m)) y = y < 0.0 ? 0.0 : (ta_gt(y, m, ul.y) ? m + ul.y : y);
      if (!ta_lt(x, t, tl) || u.x == 0.0) return y;
      float d = (t - x) + tl;
      return y - (u.x * d + ul.x * d);`,
    derivative: `
      float t = u.z, tl = ul.z, m = u.y;
      float d = ta_gt(x, t, tl) ? 1.0 : 0.0;
      if (!ta_isnan(m) && (x < 0.0 || ta_gt(x, m, ul.y))) d = 0.0;
      return ta_lt(x, t, tl) ? (d + u.x) + ul.x : d;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    forward(x, u, nat) {
      const s = u[0],
        m = u[1],
        t = u[2],
        hasMax = m === m;
      if (t === 0) {
        // with threshold 0 a zero result is +0 (x > 0 ? x : 0): + 0 turns −0 into +0 (before the op, or after it
        // where a negative slope would turn +0 into s·(+0) = −0)
        if (s < 0) {
          if (!hasMax) return nat.add(nat.op('LeakyRelu', [x], {alpha: {float: s}}), 0);
          return nat.add(nat.select(nat.greater(x, 0), nat.minimum(x, m), nat.mul(x, s)), 0);
        }
        const p = nat.add(x, 0);
        if (!hasMax) return s === 0 ? nat.op('Relu', [p]) : nat.op('LeakyRelu', [p], {alpha: {float: s}});
        if (s === 0) return m === 6 ? nat.op('Relu6', [p]) : nat.clip(p, 0, m);
        return nat.minimum(nat.op('LeakyRelu', [p], {alpha: {float: s}}), m);
      }
      const above = hasMax ? nat.clip(x, 0, m) : x;
      if (s === 0) return nat.select(nat.lessEqual(x, t), 0, above);
      // below t: s·(x − t) in float64 (t need not be a float32, and x − t must not overflow)
      return nat.select(nat.greater(x, t), above, nat.f32(nat.mul(nat.sub(nat.f64(x), t), s)));
    },
    // dy·f′ with f′ as the definition (0 at the kinks themselves, Keras's autodiff), so that a zero takes the
    // sign of dy·f′ as on cpu; clip(x, 1, 1) is 1, NaN for NaN x (no comparison below is true for NaN).
    derivative(x, dy, u, nat) {
      const s = u[0],
        m = u[1],
        t = u[2];
      let d = nat.select(nat.lessEqual(x, t), 0, nat.clip(x, 1, 1));
      if (m === m) d = nat.select(nat.op('LogicalOr', [nat.less(x, 0), nat.greater(x, m)]), 0, d);
      if (s !== 0) d = nat.select(nat.less(x, t), s, d);
      return nat.mul(dy, d);
    },
    second: (x, dy, _u, nat) => nat.mul(dy, nat.nanOf(nat.op('Abs', [x]))), // dy·(+0), as the definition
  },
  test: {
    variants: [
      {},
      {negativeSlope: 0.1},
      {maxValue: 6},
      {maxValue: 2.5},
      {threshold: 0.5},
      {threshold: -1},
      {negativeSlope: 0.2, maxValue: 6, threshold: 1},
      {negativeSlope: -0.5, maxValue: 3},
      {negativeSlope: 0.3, maxValue: 4},
      {threshold: 0.3, maxValue: 1.7},
      {negativeSlope: 0.1, threshold: 0.1},
      {negativeSlope: 0.1, maxValue: 6, threshold: 0.5},
      {negativeSlope: 0.2, maxValue: 4, threshold: 0.5},
    ],
    kinks: p => [0, p.threshold as number, ...(p.maxValue !== null ? [p.maxValue as number] : [])],
  },
  budget: {webgl: {forward: 1, backward: 0}, tensorflowLaunches: [7, 18, 3]},
  bench: {
    composite: {what: 'tf.relu', fn: (tf, x) => tf.relu(x)},
    piecewiseLinear: true,
  },
  note: 'The default hidden activation: fast, sparse, no saturation for positive inputs.',
  wgsl: {
    forward: `
      // the constants as float32 u plus remainder ul, compared and subtracted exactly
      let t = u.z;
      let tl = ul.z;
      let m = u.y;
      var y = select(0.0, x, ta_gt(x, t, tl));
      if (!ta_isnan(m)) {
        if (y < 0.0) {
          y = 0.0;
        } else if (ta_gt(y, m, ul.y)) {
          y = m + ul.y;
        }
      }
      if (!ta_lt(x, t, tl) || u.x == 0.0) { return y; }
      let d = (t - x) + tl;
      return y - (u.x * d + ul.x * d);`,
    derivative: `
      let t = u.z;
      let tl = ul.z;
      let m = u.y;
      var d = select(0.0, 1.0, ta_gt(x, t, tl));
      if (!ta_isnan(m) && (x < 0.0 || ta_gt(x, m, ul.y))) { d = 0.0; }
      if (ta_lt(x, t, tl)) { return (d + u.x) + ul.x; }
      return d;`,
    second: `
      return 0.0;`,
  },
  // Which of negative_slope, max_value and threshold are in use picks the shader (their values stay uniforms):
  // relu with the defaults runs a plain max, as tf.relu does.
  variants: {
    key: u => (u[2] !== 0 ? '' : u[1] === u[1] ? (u[0] === 0 ? 'cap' : '') : u[0] === 0 ? 'plain' : 'slope'),
    glsl: {
      plain: {
        forward: `
      return x > 0.0 ? x : 0.0;`,
        derivative: `
      return x > 0.0 ? 1.0 : 0.0;`,
        second: `
      return 0.0;`,
      },
      slope: {
        // values computed first: a ternary over expressions is a branch, over plain values a select (webgl.ts)
        forward: `
      float n = u.x * x + ul.x * x;
      float y = x < 0.0 ? n : 0.0;  // +0 at ±0, as the definition
      return x > 0.0 ? x : y;`,
        derivative: `
      float d = u.x + ul.x;
      float y = x < 0.0 ? d : 0.0;
      return x > 0.0 ? 1.0 : y;`,
        second: `
      return 0.0;`,
      },
      // min(x, m) is exact: m + ul rounds to m
      cap: {
        forward: `
      return clamp(x, 0.0, u.y);`,
        derivative: `
      return (x > 0.0 && !ta_gt(x, u.y, ul.y)) ? 1.0 : 0.0;`,
        second: `
      return 0.0;`,
      },
    },
    wgsl: {
      plain: {
        forward: `
      return select(0.0, x, x > 0.0);`,
        derivative: `
      return select(0.0, 1.0, x > 0.0);`,
        second: `
      return 0.0;`,
      },
      slope: {
        forward: `
      if (x > 0.0) { return x; }
      return select(0.0, u.x * x + ul.x * x, x < 0.0);  // +0 at ±0, as the definition`,
        derivative: `
      if (x > 0.0) { return 1.0; }
      return select(0.0, u.x + ul.x, x < 0.0);`,
        second: `
      return 0.0;`,
      },
      cap: {
        forward: `
      return clamp(x, 0.0, u.y);`,
        derivative: `
      return select(0.0, 1.0, x > 0.0 && !ta_gt(x, u.y, ul.y));`,
        second: `
      return 0.0;`,
      },
    },
  },
  cpp: {
    forward: `
      const double t = u[2], m = u[1];
      if (t == 0 && u[0] == 0 && m != m) return x == -INFINITY ? 0.0 : 0.5 * (x + std::fabs(x));
      double y = x > t ? x : 0.0;
      if (m == m) y = y < 0 ? 0.0 : (y > m ? m : y);
      return x < t && u[0] != 0 ? y - u[0] * (t - x) : y;`,
    derivative: `
      const double t = u[2], m = u[1];
      double d = x > t ? 1.0 : 0.0;
      if (m == m && (x < 0 || x > m)) d = 0.0;
      return x < t ? d + u[0] : d;`,
    second: '0.0',
    // the defaults in float32 (exact: a copy or +0); other parameters in float64
    forward32: 'x > 0 ? x : 0.0f',
    forward32When: 'u[2] == 0 && u[0] == 0 && u[1] != u[1]',
  },
  wasm: {
    forward: `
      double t = u2, m = u1;
      if (t == 0 && u0 == 0 && m != m) return x == -INF ? 0 : 0.5 * (x + wm_abs(x));
      D y = x > t ? x : 0;
      if (m == m) y = y < 0 ? 0 : (y > m ? m : y);
      return x < t && u0 != 0 ? y - u0 * (t - x) : y;`,
    derivative: `
      double t = u2, m = u1;
      D d = x > t ? 1.0 : 0.0;
      if (m == m) d = x < 0 || x > m ? 0 : d;
      return x < t ? d + u0 : d;`,
    // the defaults (no slope, no ceiling, threshold 0): x or +0, and a derivative of 0 or 1
    float32: {
      when: 'u0 == 0 && u2 == 0 && u1 != u1',
      keepsNaN: true, // NaN <= 0 is false: NaN out
      forward: `
      return wm_andnot(x, x <= 0);`,
      derivative: `
      return x > 0 ? 1.0f : 0.0f;`,
    },
  },
  // f is continuous at 0 in every variant; f′ jumps there without a threshold (with a cap, unless it is 0)
  subnormals: {
    plain: [false, true, false],
    slope: [false, true, false],
    cap: [false, undefined, false],
    '': [false, undefined, false],
  },
});
