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
  doc: 'Rectified linear unit, with Keras\'s optional slope, ceiling and threshold.',
  formula: 'x > t ? x : 0, clipped to [0, max_value] if set, minus negative_slope·max(t − x, 0)',
  params: [
    {name: 'negativeSlope', keras: 'negative_slope', kind: 'number', default: 0,
     doc: 'slope below the threshold'},
    {name: 'maxValue', keras: 'max_value', kind: 'optionalNumber', default: null,
     doc: 'saturation value, or null for none',
     check: (v: number) => v >= 0 ? undefined : `must be >= 0 (or null), got ${v}`},
    {name: 'threshold', keras: 'threshold', kind: 'number', default: 0,
     doc: 'values at or below it are cut'},
  ],
  constants: p => [p.negativeSlope as number, p.maxValue === null ? NaN : p.maxValue as number,
                   p.threshold as number],
  forward(x, u) {
    const t = u[2], m = u[1];
    // plain relu (the defaults) without a data-dependent branch: x + |x| is 2x or +0, exactly
    if (t === 0 && u[0] === 0 && m !== m) return x === -Infinity ? 0 : 0.5 * (x + Math.abs(x));
    let y = x > t ? x : 0;
    if (m === m) y = y < 0 ? 0 : (y > m ? m : y);
    return x < t && u[0] !== 0 ? y - u[0] * (t - x) : y;
  },
  derivative(x, u) {
    const t = u[2], m = u[1];
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
    forward(x, u, n) {
      const s = u[0], m = u[1], t = u[2], hasMax = m === m;
      if (t === 0) {
        if (!hasMax) return s === 0 ? n.op('Relu', [x]) : n.op('LeakyRelu', [x], {alpha: {float: s}});
        if (s === 0) return m === 6 ? n.op('Relu6', [x]) : n.clip(x, 0, m);
        if (s > 0) return n.minimum(n.op('LeakyRelu', [x], {alpha: {float: s}}), m);
        return n.select(n.greater(x, 0), n.minimum(x, m), n.mul(x, s));
      }
      const above = hasMax ? n.clip(x, 0, m) : x;
      if (s === 0) return n.select(n.lessEqual(x, t), 0, above);
      // below t: s·(x − t) in float64 (t need not be a float32, and x − t must not overflow)
      return n.select(n.greater(x, t), above, n.f32(n.mul(n.sub(n.f64(x), t), s)));
    },
    // ReluGrad/LeakyReluGrad/Relu6Grad follow TensorFlow at the kinks themselves (x = 0 gives slope·dy, x = 6 gives 0).
    derivative(x, dy, u, n) {
      const s = u[0], m = u[1], t = u[2], hasMax = m === m;
      if (t === 0) {
        if (s === 0 && m === 6) return n.add(n.op('Relu6Grad', [dy, x]), n.nanOf(x));
        const g = s === 0 ? n.op('ReluGrad', [dy, x]) : n.op('LeakyReluGrad', [dy, x], {alpha: {float: s}});
        const r = n.add(g, n.nanOf(x));
        return hasMax ? n.select(n.greater(x, m), 0, r) : r;
      }
      // [x > t and (no max or 0 ≤ x ≤ m)]·dy + [x < t]·s·dy
      let inside = n.greater(x, t);
      if (hasMax) inside = n.op('LogicalAnd', [inside, n.op('LogicalAnd', [n.greaterEqual(x, 0), n.lessEqual(x, m)])]);
      return n.select(inside, dy, s === 0 ? n.nanOf(x) : n.select(n.less(x, t), n.mul(dy, s), n.nanOf(x)));
    },
    second: (x, dy, _u, n) => n.mul(dy, n.nanOf(x)),
  },
  wasm: {
    forward: `
      double t = u2, m = u1;
      if (t == 0 && u0 == 0 && m != m) return x == -INF ? 0 : 0.5 * (x + wm_abs(x));
      double y = x > t ? x : 0;
      if (m == m) y = y < 0 ? 0 : (y > m ? m : y);
      return x < t && u0 != 0 ? y - u0 * (t - x) : y;`,
    derivative: `
      double t = u2, m = u1;
      double d = x > t ? 1 : 0;
      if (m == m && (x < 0 || x > m)) d = 0;
      return x < t ? d + u0 : d;`,
    second: `
      return 0;`,
    // the defaults (no slope, no ceiling, threshold 0): x or +0, and a derivative of 0 or 1
    float32: {
      when: 'u0 == 0 && u2 == 0 && u1 != u1',
      keepsNaN: true,  // NaN <= 0 is false: NaN out
      forward: `
      return x <= 0 ? 0 : x;`,
      derivative: `
      return x > 0 ? 1 : 0;`,
    },
  },
});
