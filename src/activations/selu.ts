import {elementwise} from '../definition';

const ALPHA = 1.6732632423543772;
const SCALE = 1.0507009873554805;

/** selu: scale·elu(x, alpha) with Klambauer et al.'s constants. */
export const selu = elementwise({
  id: 'selu',
  keras: 'selu',
  doc: 'Scaled exponential linear unit.',
  formula: 'scale·(x > 0 ? x : alpha·expm1(x)), alpha = 1.67326324, scale = 1.05070099',
  forward: x => x > 0 ? SCALE * x : (SCALE * ALPHA) * Math.expm1(x),
  derivative: x => x > 0 ? SCALE : (SCALE * ALPHA) * Math.exp(x),
  second: x => x > 0 ? 0 : (SCALE * ALPHA) * Math.exp(x),
  glsl: {
    forward: `
      if (x > 3.4028234e38) return x;
      if (x > 0.0) return x * 1.0507010221481323 - x * 3.479265231476347e-8;
      float e = expm1(x);
      return e * 1.7580993175506592 + e * 2.3296717444054593e-8;`,
    derivative: `
      return x > 0.0 ? 1.0507009873554805 : ta_expmul(x, 1.7580993175506592) + ta_expmul(x, 2.3296717444054593e-8);`,
    second: `
      return x > 0.0 ? 0.0 : ta_expmul(x, 1.7580993175506592) + ta_expmul(x, 2.3296717444054593e-8);`,
  },
  tensorflow: {
    // float64 expm1/exp for x ≤ 0 (libtensorflow's Selu computes exp(x) − 1; its SeluGrad cancels for x ≪ 0).
    forward: (x, _u, n) =>
      n.select(n.greater(x, 0), n.mul(x, SCALE), n.f32(n.mul(n.op('Expm1', [n.f64(x)]), SCALE * ALPHA))),
    derivative: (x, dy, _u, n) => n.select(n.greater(x, 0), n.mul(dy, SCALE),
                                           n.f32(n.mul(n.mul(n.f64(dy), n.op('Exp', [n.f64(x)])), SCALE * ALPHA))),
    second: (x, dy, _u, n) =>
      n.select(n.greater(x, 0), 0, n.f32(n.mul(n.mul(n.f64(dy), n.op('Exp', [n.f64(x)])), SCALE * ALPHA))),
  },
  wasm: {
    forward: `
      return x > 0 ? 1.0507009873554805 * x : (1.0507009873554805 * 1.6732632423543772) * wm_expm1(x);`,
    derivative: `
      return x > 0 ? 1.0507009873554805 : (1.0507009873554805 * 1.6732632423543772) * wm_exp(x);`,
    second: `
      return x > 0 ? 0 : (1.0507009873554805 * 1.6732632423543772) * wm_exp(x);`,
  },
});
