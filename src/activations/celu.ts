import {elementwise, nonZero} from '../definition';

/** celu: max(x, 0) + alpha·expm1(min(x, 0)/alpha). u = [alpha]. */
export const celu = elementwise({
  id: 'celu',
  keras: 'celu',
  doc: 'Continuously differentiable exponential linear unit.',
  formula: 'max(x, 0) + alpha·expm1(min(x, 0)/alpha)',
  params: [{name: 'alpha', keras: 'alpha', kind: 'number', default: 1,
            doc: 'scale of the negative part', check: nonZero}],
  constants: p => [p.alpha as number],
  forward: (x, u) => x > 0 ? x : u[0] * Math.expm1(x / u[0]),
  derivative: (x, u) => x > 0 ? 1 : Math.exp(x / u[0]),
  second: (x, u) => x > 0 ? 0 : Math.exp(x / u[0]) / u[0],
  glsl: {
    forward: `
      if (x > 0.0) return x;
      float q = x / u.x;
      if (abs(q) < 1e-10) return x;
      if (q < -20.0) return -u.x - ul.x;
      if (q > 88.8) return u.x * ta_inf();
      vec2 p = ta_two_prod(q, u.x);
      // x/alpha = q + ql, alpha = u.x + ul.x
      float ql = ((x - p.x) - p.y) / u.x - q * (ul.x / u.x);
      float e = expm1(q);
      float y = e + ql * (1.0 + e);
      return u.x * y + ul.x * y;`,
    derivative: `
      if (x > 0.0) return 1.0;
      float q = x / u.x;
      if (abs(q) > 100.0) return expf(q);
      vec2 p = ta_two_prod(q, u.x);
      return ta_expmul2(q, ((x - p.x) - p.y) / u.x - q * (ul.x / u.x), 1.0);`,
    second: `
      if (x > 0.0) return 0.0;
      float q = x / u.x;
      if (abs(q) > 100.0) return expf(q) / u.x;
      vec2 p = ta_two_prod(q, u.x);
      float r = ul.x / u.x;
      return ta_expmul2(q, ((x - p.x) - p.y) / u.x - q * r, 1.0 - r) / u.x;`,
  },
  tensorflow: {
    // float64 (libtensorflow's float32 Expm1 is off by up to 5 ULP): x > 0 ? x : α·expm1(x/α).
    forward(x, u, n) {
      const a = u[0], X = n.f64(x);
      if (a === 1) return n.maximum(x, n.f32(n.op('Expm1', [n.minimum(X, 0)])));
      return n.select(n.greater(x, 0), x, n.f32(n.mul(n.op('Expm1', [n.div(X, a)]), a)));
    },
    // f' = exp(min(x, 0)/α), continuous at 0.
    derivative(x, dy, u, n) {
      const m = n.minimum(n.f64(x), 0);
      return n.mul(n.f64(dy), n.op('Exp', [u[0] === 1 ? m : n.div(m, u[0])]));
    },
    second(x, dy, u, n) {
      const X = n.f64(x), e = n.op('Exp', [u[0] === 1 ? X : n.div(X, u[0])]);
      const g = n.mul(n.f64(dy), e);
      return n.select(n.greater(x, 0), 0, n.f32(u[0] === 1 ? g : n.div(g, u[0])));
    },
  },
  wasm: {
    forward: `
      return x > 0 ? x : u0 * wm_expm1(x / u0);`,
    derivative: `
      return x > 0 ? 1 : wm_exp(x / u0);`,
    second: `
      return x > 0 ? 0 : wm_exp(x / u0) / u0;`,
  },
});
