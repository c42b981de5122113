import {elementwise} from '../definition';
import {sigmoid} from '../math';

/** silu (swish): x·sigmoid(x). */
export const silu = elementwise({
  id: 'silu',
  keras: 'silu',
  aliases: ['swish'],
  doc: 'Sigmoid linear unit, also called swish.',
  formula: 'x·sigmoid(x)',
  forward: x => x === -Infinity ? -0 : x * sigmoid(x),
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
      if (x < -200.0) return -0.0;
      return ta_sigmoid_mul(x, x);`,
    derivative: `
      if (abs(x) > 200.0) return x > 0.0 ? 1.0 : 0.0;
      return rootfix_silu1(x, ta_sigmoid_mul(x, 1.0 + x * sigmoid(-x)));`,
    second: `
      if (abs(x) > 200.0) return 0.0;
      return rootfix_silu2(x, ta_dsigmoid_mul(x, 2.0 - x * tanhf(0.5 * x)));`,
  },
  tensorflow: {
    // float64; MulNoNan gives the limits at ±inf where a factor is exactly 0.
    forward(x, _u, n) {
      const X = n.f64(x);
      return n.mulNoNan(X, n.op('Sigmoid', [X]));
    },
    // dy·σ(x)·(1 + x·σ(−x))
    derivative(x, dy, _u, n) {
      const X = n.f64(x);
      const g = n.op('SoftplusGrad', [n.f64(dy), X]);
      return n.mulNoNan(n.add(n.mulNoNan(X, n.op('Sigmoid', [n.op('Neg', [X])])), 1), g);
    },
    // dy·σ'(x)·(2 − x·tanh(x/2))
    second(x, dy, _u, n) {
      const X = n.f64(x);
      const q = n.op('SoftplusGrad', [n.op('SoftplusGrad', [n.f64(dy), X]), n.op('Neg', [X])]);
      return n.mulNoNan(n.sub(2, n.mul(X, n.op('Tanh', [n.mul(X, 0.5)]))), q);
    },
  },
  wasm: {
    forward: `
      return x == -INF ? -0.0 : x * wm_sigmoid(x);`,
    derivative: `
      double e = wm_exp(-wm_abs(x)), r = 1 / (1 + e), s = x >= 0 ? r : e * r;
      double y = s + x * (e * r * r);
      return x == INF ? 1 : (x == -INF ? 0 : y);`,
    second: `
      double e = wm_exp(-wm_abs(x)), d = 1 + e;
      double y = (e / (d * d)) * (2 - x * wm_tanh(0.5 * x));
      return x == INF || x == -INF ? 0 : y;`,
  },
});
