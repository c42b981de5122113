import {elementwise} from '../definition';

/** softsign: x / (1 + |x|). */
export const softsign = elementwise({
  id: 'softsign',
  keras: 'softsign',
  doc: 'Softsign.',
  formula: 'x / (1 + abs(x))',
  forward: x => x === Infinity || x === -Infinity ? Math.sign(x) : x / (1 + Math.abs(x)),
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
    forward: (x, _u, n) => n.op('Softsign', [n.clip(x, -3.4028234663852886e38, 3.4028234663852886e38)]),
    // float64, so (1 + |x|)² cannot overflow
    derivative: (x, dy, _u, n) => n.op('SoftsignGrad', [n.f64(dy), n.f64(x)]),
    second(x, dy, _u, n) {
      const X = n.f64(x);
      const g = n.op('SoftsignGrad', [n.f64(dy), X]);
      return n.mul(n.div(n.mul(g, n.op('Sign', [X])), n.add(n.op('Abs', [X]), 1)), -2);
    },
  },
  wasm: {
    forward: `
      if (x == INF || x == -INF) return x > 0 ? 1 : -1;
      return x / (1 + wm_abs(x));`,
    derivative: `
      double d = 1 + wm_abs(x);
      return 1 / (d * d);`,
    second: `
      double d = 1 + wm_abs(x);
      return (x > 0 ? -2 : x < 0 ? 2 : 0) / (d * d * d);`,
    // a division-bound loop: V8's scalar JS loop is as fast as f64x2 lanes plus the copies (docs/wasm.md)
    cpu: false,
  },
});
