import {elementwise} from '../definition';
import {sigmoid as s} from '../math';

/** sigmoid: 1/(1 + exp(−x)), without overflow. */
export const sigmoid = elementwise({
  id: 'sigmoid',
  keras: 'sigmoid',
  doc: 'Logistic sigmoid.',
  formula: '1 / (1 + exp(−x))',
  forward: x => s(x),
  derivative: x => s(x) * s(-x),
  // s'(1 − 2s) with 1 − 2s = −tanh(x/2): no cancellation for large |x|
  second: x => -s(x) * s(-x) * Math.tanh(0.5 * x),
  glsl: {
    forward: `
      return sigmoid(x);`,
    derivative: `
      return ta_dsigmoid_mul(x, 1.0);`,
    second: `
      return -ta_dsigmoid_mul(x, tanhf(0.5 * x));`,
  },
  tensorflow: {
    // float64 (float32 Sigmoid is off by up to 6 ULP). σ' = σ(x)σ(−x) as two SoftplusGrads (dy·σ(·)).
    forward: (x, _u, n) => n.op('Sigmoid', [n.f64(x)]),
    derivative(x, dy, _u, n) {
      const X = n.f64(x);
      return n.op('SoftplusGrad', [n.op('SoftplusGrad', [n.f64(dy), X]), n.op('Neg', [X])]);
    },
    second(x, dy, _u, n) {
      const X = n.f64(x), nx = n.op('Neg', [X]);
      const q = n.op('SoftplusGrad', [n.op('SoftplusGrad', [n.f64(dy), X]), nx]);
      return n.mul(q, n.op('Tanh', [n.mul(nx, 0.5)]));
    },
  },
  wasm: {
    forward: `
      return wm_sigmoid(x);`,
    derivative: `
      double e = wm_exp(-wm_abs(x)), r = 1 / (1 + e);
      return e * r * r;`,
    second: `
      double e = wm_exp(-wm_abs(x)), d = 1 + e;
      return -(e / (d * d)) * wm_tanh(0.5 * x);`,
  },
});
