import {elementwise} from '../definition';

/** elu: x > 0 ? x : alpha·expm1(x). u = [alpha]. */
export const elu = elementwise({
  id: 'elu',
  keras: 'elu',
  doc: 'Exponential linear unit, with any alpha (tfjs\'s own supports alpha = 1 only).',
  formula: 'x > 0 ? x : alpha·expm1(x)',
  params: [{name: 'alpha', keras: 'alpha', kind: 'number', default: 1, doc: 'scale of the negative part'}],
  constants: p => [p.alpha as number],
  forward: (x, u) => x > 0 ? x : u[0] * Math.expm1(x),
  derivative: (x, u) => x > 0 ? 1 : u[0] * Math.exp(x),
  second: (x, u) => x > 0 ? 0 : u[0] * Math.exp(x),
  glsl: {
    forward: `
      if (x > 0.0) return x;
      float e = expm1(x);
      return u.x * e + ul.x * e;  // alpha = u.x + ul.x`,
    derivative: `
      return x > 0.0 ? 1.0 : ta_expmul(x, u.x) + ta_expmul(x, ul.x);`,
    second: `
      return x > 0.0 ? 0.0 : ta_expmul(x, u.x) + ta_expmul(x, ul.x);`,
  },
  tensorflow: {
    // float64 expm1 (libtensorflow's Elu computes exp(x) − 1, 0 for |x| < 3e-8; its float32 Expm1 is off by 5 ULP).
    forward(x, u, n) {
      if (u[0] === 1) return n.maximum(x, n.f32(n.op('Expm1', [n.minimum(n.f64(x), 0)])));
      return n.select(n.greater(x, 0), x, n.f32(n.mul(n.op('Expm1', [n.f64(x)]), u[0])));
    },
    derivative(x, dy, u, n) {
      if (u[0] === 1) return n.mul(n.f64(dy), n.op('Exp', [n.minimum(n.f64(x), 0)]));
      return n.select(n.greater(x, 0), dy, n.f32(n.mul(n.mul(n.f64(dy), n.op('Exp', [n.f64(x)])), u[0])));
    },
    second(x, dy, u, n) {
      const g = n.mul(n.f64(dy), n.op('Exp', [n.f64(x)]));
      return n.select(n.greater(x, 0), 0, n.f32(u[0] === 1 ? g : n.mul(g, u[0])));
    },
  },
  wasm: {
    forward: `
      return x > 0 ? x : u0 * wm_expm1(x);`,
    derivative: `
      return x > 0 ? 1 : u0 * wm_exp(x);`,
    second: `
      return x > 0 ? 0 : u0 * wm_exp(x);`,
  },
});
