import {elementwise} from '../definition';

/** exponential: exp(x). */
export const exponential = elementwise({
  id: 'exponential',
  keras: 'exponential',
  doc: 'Exponential.',
  formula: 'exp(x)',
  forward: x => Math.exp(x),
  derivative: x => Math.exp(x),
  second: x => Math.exp(x),
  glsl: {
    forward: `
      return expf(x);`,
    derivative: `
      return expf(x);`,
    second: `
      return expf(x);`,
  },
  tensorflow: {
    // float32 Exp is within 1 ULP; the products with dy are formed in float64 (no overflow below the truth's).
    forward: (x, _u, n) => n.op('Exp', [x]),
    derivative: (x, dy, _u, n) => n.mul(n.f64(dy), n.op('Exp', [n.f64(x)])),
    second: (x, dy, _u, n) => n.mul(n.f64(dy), n.op('Exp', [n.f64(x)])),
  },
  wasm: {
    forward: `
      return wm_exp(x);`,
    derivative: `
      return wm_exp(x);`,
    second: `
      return wm_exp(x);`,
  },
});
