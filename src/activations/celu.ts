import {elementwise, nonZero} from '../definition';

/** celu: max(x, 0) + alpha·expm1(min(x, 0)/alpha). u = [alpha]. */
export const celu = elementwise({
  id: 'celu',
  keras: 'celu',
  doc: 'Continuously differentiable exponential linear unit.',
  formula: 'max(x, 0) + alpha·expm1(min(x, 0)/alpha)',
  params: [
    {name: 'alpha', keras: 'alpha', kind: 'number', default: 1, doc: 'scale of the negative part', check: nonZero},
  ],
  constants: p => [p.alpha as number],
  forward: (x, u) => (x > 0 ? x : u[0] * Math.expm1(x / u[0])),
  derivative: (x, u) => (x > 0 ? 1 : Math.exp(x / u[0])),
  second: (x, u) => (x > 0 ? 0 : Math.exp(x / u[0]) / u[0]),
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
    // exp(x/alpha) in float64 up to ln(DBL_MAX) = 709.78271289 (x/alpha rounded to float32 here)
    finite64: 'x / u.x < 709.7827',
  },
  tensorflow: {
    // float64 (libtensorflow's float32 Expm1 is off by up to 5 ULP): x > 0 ? x : α·expm1(x/α).
    forward(x, u, nat) {
      const a = u[0],
        X = nat.f64(x);
      // (a select, not max(x, expm1(min(x, 0))), which gives +0 at x = −0 where the definition gives −0)
      if (a === 1) return nat.select(nat.greater(x, 0), x, nat.f32(nat.op('Expm1', [X])));
      return nat.select(nat.greater(x, 0), x, nat.f32(nat.mul(nat.op('Expm1', [nat.div(X, a)]), a)));
    },
    // f' = exp(min(x, 0)/α), continuous at 0.
    derivative(x, dy, u, nat) {
      const m = nat.minimum(nat.f64(x), 0);
      return nat.mul(nat.f64(dy), nat.op('Exp', [u[0] === 1 ? m : nat.div(m, u[0])]));
    },
    second(x, dy, u, nat) {
      const X = nat.f64(x),
        e = nat.op('Exp', [u[0] === 1 ? X : nat.div(X, u[0])]);
      const g = nat.mul(nat.f64(dy), e);
      return nat.select(nat.greater(x, 0), nat.mul(dy, 0), nat.f32(u[0] === 1 ? g : nat.div(g, u[0]))); // dy·(+0) above 0
    },
  },
  test: {
    variants: [{}, {alpha: 0.5}, {alpha: 3}, {alpha: -2}, {alpha: 0.001}, {alpha: 1.7}],
    kinks: () => [0],
    // webgl: f″ = exp(x/α)/α flushes to 0 for small α where the result is a normal float (6.8e-36 at x = −0.088)
    knownIssues: {webgl: [{alpha: 0.001}]},
  },
  budget: {webgl: {forward: 2, backward: 2}, tensorflowLaunches: [7, 7, 18]},
  bench: {
    composite: {
      what: 'relu(x) + expm1(min(x, 0)) (α = 1 folded)',
      fn: (tf, x) => tf.add(tf.relu(x), tf.expm1(tf.minimum(x, 0))),
    },
  },
  note: 'Like elu but continuously differentiable for every alpha; pick it when you tune alpha.',
  wgsl: {
    forward: `
      let q = x / u.x;
      let p = ta_two_prod(q, u.x);
      // x/alpha = q + ql, alpha = u.x + ul.x (the correction through 1/u.x)
      let iu = 1.0 / u.x;
      let ql = ((x - p.x) - p.y) * iu - q * (ul.x * iu);
      let e = expm1(q);
      let y = e + ql * (1.0 + e);
      let r = select(select(u.x * y + ul.x * y, -u.x - ul.x, q < -20.0), x, abs(q) < 1e-10);
      return select(select(r, u.x * ta_inf(), q > 88.8), x, x > 0.0);`,
    derivative: `
      if (x > 0.0) { return 1.0; }
      let q = x / u.x;
      if (abs(q) > 100.0) { return expf(q); }
      let p = ta_two_prod(q, u.x);
      return ta_expmul2(q, ((x - p.x) - p.y) / u.x - q * (ul.x / u.x), 1.0);`,
    second: `
      if (x > 0.0) { return 0.0; }
      let q = x / u.x;
      if (abs(q) > 100.0) { return expf(q) / u.x; }
      let p = ta_two_prod(q, u.x);
      let r = ul.x / u.x;
      return ta_expmul2(q, ((x - p.x) - p.y) / u.x - q * r, 1.0 - r) / u.x;`,
    // exp(x/alpha) in float64 up to ln(DBL_MAX) = 709.78271289 (x/alpha rounded to float32 here)
    finite64: 'x / u.x < 709.7827',
  },
  cpp: {
    forward: `
      const double e = expm1(x / u[0]);
      return x > 0 ? x : u[0] * e;`,
    derivative: `
      const double e = exp(x / u[0]);
      return x > 0 ? 1.0 : e;`,
    second: `
      const double e = exp(x / u[0]);
      return x > 0 ? 0.0 : e / u[0];`,
  },
  wasm: {
    forward: `
      return x > 0 ? x : u0 * wm_expm1(x / u0);`,
    derivative: `
      return x > 0 ? 1 : wm_exp(x / u0);`,
    // the forward in float32 lanes (the wasm backend) for an alpha that is a normal float32: an error in
    // x/alpha is not amplified by expm1 on x < 0
    float32: {
      ulp: 2,
      keepsNaN: true,
      when: '__builtin_fabs(u0) >= 0x1p-126 && __builtin_fabs(u0) <= 0x1p127',
      // (x/α > 88, for a negative α: the float32 expm1 stops at 88)
      fallback: {forward: 'x > 0 ? 0 : x / (float)u0 > 88.0f'},
      // |x/α| < 2^-24: celu(x) = x·(1 + x/(2α) + …) rounds to x (and x/α may have underflowed to ±0)
      forward: `
      float a = (float)u0;
      F t = x / a;
      return x > 0 || wm_abs(t) < 0x1p-24f ? x : a * wm_expm1(t);`,
    },
  },
  // f and f′ are continuous at 0 for every alpha; f″ jumps from 1/alpha to 0
  subnormals: {'': [false, false, undefined]},
});
