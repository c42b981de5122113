import {elementwise} from '../definition';
import {sigmoid, softplus} from '../math';

/** log_sigmoid: −softplus(−x), without overflow. */
export const logSigmoid = elementwise({
  id: 'logSigmoid',
  keras: 'log_sigmoid',
  doc: 'Logarithm of the sigmoid.',
  formula: '−softplus(−x) = −log(1 + exp(−x))',
  forward: x => -softplus(-x),
  derivative: x => sigmoid(-x),
  second: x => -sigmoid(x) * sigmoid(-x),
  glsl: {
    forward: `
      return -softplus(-x);`,
    derivative: `
      return sigmoid(-x);`,
    second: `
      return -ta_dsigmoid_mul(x, 1.0);`,
  },
  tensorflow: {
    // float64 (float32 Softplus is off by up to 7 ULP).
    forward: (x, _u, n) => n.op('Neg', [n.op('Softplus', [n.op('Neg', [n.f64(x)])])]),
    derivative: (x, dy, _u, n) => n.op('SoftplusGrad', [n.f64(dy), n.op('Neg', [n.f64(x)])]),
    // −dy·σ(x)σ(−x)
    second(x, dy, _u, n) {
      const X = n.f64(x);
      const q = n.op('SoftplusGrad', [n.op('SoftplusGrad', [n.f64(dy), X]), n.op('Neg', [X])]);
      return n.op('Neg', [q]);
    },
  },
  wasm: {
    forward: `
      return -wm_softplus(-x);`,
    derivative: `
      return wm_sigmoid(-x);`,
    second: `
      double e = wm_exp(-wm_abs(x)), r = 1 / (1 + e);
      return -(e * r * r);`,
  },
});
