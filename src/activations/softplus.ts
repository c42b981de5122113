import {elementwise} from '../definition';
import {sigmoid, softplus as sp} from '../math';

/** softplus: log(1 + exp(x)), computed without overflow. */
export const softplus = elementwise({
  id: 'softplus',
  keras: 'softplus',
  doc: 'Smooth approximation of relu.',
  formula: 'log(1 + exp(x))',
  forward: x => sp(x),
  derivative: x => sigmoid(x),
  second: x => sigmoid(x) * sigmoid(-x),
  glsl: {
    forward: `
      return softplus(x);`,
    derivative: `
      return sigmoid(x);`,
    second: `
      return ta_dsigmoid_mul(x, 1.0);`,
  },
  tensorflow: {
    // float64 (float32 Softplus is off by up to 7 ULP); SoftplusGrad(dy, x) = dy·σ(x).
    forward: (x, _u, n) => n.op('Softplus', [n.f64(x)]),
    derivative: (x, dy, _u, n) => n.op('SoftplusGrad', [n.f64(dy), n.f64(x)]),
    second(x, dy, _u, n) {
      const X = n.f64(x);
      return n.op('SoftplusGrad', [n.op('SoftplusGrad', [n.f64(dy), X]), n.op('Neg', [X])]);
    },
  },
  wasm: {
    forward: `
      return wm_softplus(x);`,
    derivative: `
      return wm_sigmoid(x);`,
    second: `
      double e = wm_exp(-wm_abs(x)), r = 1 / (1 + e);
      return e * r * r;`,
  },
});
