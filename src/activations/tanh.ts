import {elementwise} from '../definition';
import {sech2, tanh as th} from '../math';

/** tanh, with its derivative as sech² (no cancellation in 1 − tanh²). */
export const tanh = elementwise({
  id: 'tanh',
  keras: 'tanh',
  doc: 'Hyperbolic tangent.',
  formula: 'tanh(x)',
  forward: x => th(x),
  derivative: x => sech2(x),
  second: x => -2 * th(x) * sech2(x),
  glsl: {
    forward: `
      return tanhf(x);`,
    derivative: `
      return sech2(x);`,
    second: `
      return ta_sech2_mul(x, -2.0 * tanhf(x));`,
  },
  tensorflow: {
    // float64 (float32 Tanh is off by up to 5 ULP); sech² as 1/cosh² (TanhGrad's 1 − y² cancels).
    forward: (x, _u, n) => n.op('Tanh', [n.f64(x)]),
    derivative(x, dy, _u, n) {
      return n.div(n.f64(dy), n.op('Square', [n.op('Cosh', [n.f64(x)])]));
    },
    second(x, dy, _u, n) {
      const X = n.f64(x);
      return n.mul(n.div(n.mul(n.f64(dy), n.op('Tanh', [X])), n.op('Square', [n.op('Cosh', [X])])), -2);
    },
  },
  wasm: {
    forward: `
      return wm_tanh(x);`,
    derivative: `
      return wm_sech2(x);`,
    second: `
      return -2 * wm_tanh(x) * wm_sech2(x);`,
  },
});
