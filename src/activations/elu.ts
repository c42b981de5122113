import {elementwise} from '../definition';

/** elu: x > 0 ? x : alpha·expm1(x). u = [alpha]. */
export const elu = elementwise({
  id: 'elu',
  keras: 'elu',
  doc: "Exponential linear unit, with any alpha (tfjs's own supports alpha = 1 only).",
  formula: 'x > 0 ? x : alpha·expm1(x)',
  params: [{name: 'alpha', keras: 'alpha', kind: 'number', default: 1, doc: 'scale of the negative part'}],
  constants: p => [p.alpha as number],
  forward: (x, u) => (x > 0 ? x : u[0] * Math.expm1(x)),
  derivative: (x, u) => (x > 0 ? 1 : u[0] * Math.exp(x)),
  second: (x, u) => (x > 0 ? 0 : u[0] * Math.exp(x)),
  glsl: {
    forward: `
      if (x > 0.0) return x;
      float e = expm1(x);
      return u.x * e + ul.x * e;  // alpha = u.x + ul.x`,
    derivative: `
      return x > 0.0 ? 1.0 : ta_zsign(ta_expmul(x, u.x) + ta_expmul(x, ul.x), u.x);`,
    second: `
      return x > 0.0 ? 0.0 : ta_zsign(ta_expmul(x, u.x) + ta_expmul(x, ul.x), u.x);`,
  },
  tensorflow: {
    // float64 expm1 (libtensorflow's Elu computes exp(x) − 1, 0 for |x| < 3e-8; its float32 Expm1 is off by 5 ULP).
    forward(x, u, nat) {
      // (a select, not max(x, expm1(min(x, 0))), which gives +0 at x = −0 where the definition gives −0)
      if (u[0] === 1) return nat.select(nat.greater(x, 0), x, nat.f32(nat.op('Expm1', [nat.f64(x)])));
      return nat.select(nat.greater(x, 0), x, nat.f32(nat.mul(nat.op('Expm1', [nat.f64(x)]), u[0])));
    },
    derivative(x, dy, u, nat) {
      if (u[0] === 1) return nat.mul(nat.f64(dy), nat.op('Exp', [nat.minimum(nat.f64(x), 0)]));
      return nat.select(
        nat.greater(x, 0),
        dy,
        nat.f32(nat.mul(nat.mul(nat.f64(dy), nat.op('Exp', [nat.f64(x)])), u[0])),
      );
    },
    second(x, dy, u, nat) {
      const g = nat.mul(nat.f64(dy), nat.op('Exp', [nat.f64(x)]));
      return nat.select(nat.greater(x, 0), nat.mul(dy, 0), nat.f32(u[0] === 1 ? g : nat.mul(g, u[0]))); // dy·(+0) above 0
    },
  },
  test: {
    variants: [{}, {alpha: 0.5}, {alpha: 2}, {alpha: -0.3}, {alpha: 1.7}],
    kinks: () => [0],
    // webgl: f′ and f″ 2 ULP (budget 1) for a negative α near x = −8
    knownIssues: {webgl: [{alpha: -0.3}]},
  },
  budget: {webgl: {forward: 2, backward: 1}, tensorflowLaunches: [6, 16, 17]},
  bench: {
    composite: {what: 'tf.elu', fn: (tf, x) => tf.elu(x)},
  },
  note: 'Smooth negative side with mean activations near 0; a drop-in for relu in deeper nets.',
  wgsl: {
    forward: `
      let e = expm1(select(x, 0.0, x > 0.0));  // not min(x, 0.0): it may turn −0 into +0
      return select(u.x * e + ul.x * e, x, x > 0.0);  // alpha = u.x + ul.x`,
    derivative: `
      if (x > 0.0) { return 1.0; }
      return ta_zsign(ta_expmul(x, u.x) + ta_expmul(x, ul.x), u.x);`,
    second: `
      if (x > 0.0) { return 0.0; }
      return ta_zsign(ta_expmul(x, u.x) + ta_expmul(x, ul.x), u.x);`,
  },
  cpp: {
    forward: `
      const double e = expm1(x);
      return x > 0 ? x : u[0] * e;`,
    derivative: `
      const double e = exp(x);
      return x > 0 ? 1.0 : u[0] * e;`,
    second: `
      const double e = exp(x);
      return x > 0 ? 0.0 : u[0] * e;`,
    // float32 lanes for α ≥ 0: expm1 from tfa_math32.h's expm1_neg32 (1 ULP, the same results on every CPU path; x ≥ 0
    // is x itself, −0 included); α·e is the rounded exact product for a float32 α, and within 1 ULP more for another
    // α in [2^-100, 2^100], rounded to float32 first (as leaky_relu's slope)
    forward32: `
      const float e = expm1_neg32(x < -87.0f ? -87.0f : x);
      return x >= 0 ? x : uf[0] * e;`,
    forward32When: 'u[0] >= 0 && (static_cast<double>(uf[0]) == u[0] || (u[0] >= 0x1p-100 && u[0] <= 0x1p100))',
    derivative32: `
      // exp(x) as p·2^k in float64 from float32 lanes (exp32_f64, tfa_math32.h: float64's range, so dy·exp(x) is not
      // flushed for x < −87; the same results on every CPU path)
      const double e = exp32_f64(x);
      return x > 0 ? 1.0 : u[0] * e;`,
    // dy·f′ in float32 lanes for α = 0 or in [2^-20, 2^20] (rounded to float32): dy·(α·e), e = exp32_fast(x) (≤ 2 ULP
    // with α = 1: α·e exact; 3 otherwise); x < −64 (where α·e could leave float32's normal range) is redone in float64
    gradient32: `
      const float e = exp32_fast(x);
      return x > 0 ? dy : dy * (uf[0] * e);`,
    gradient32Rare: 'x < -64.0f',
    gradient32When: 'u[0] == 0 || (u[0] >= 0x1p-20 && u[0] <= 0x1p20)',
  },
  wasm: {
    forward: `
      return x > 0 ? x : u0 * wm_expm1(x);`,
    derivative: `
      return x > 0 ? 1 : u0 * wm_exp(x);`,
    // float32 lanes (the wasm backend) for 2^-32 ≤ |α| ≤ 2^32 (rounded once): dy·f′ as dy·(α·eˣ), rounded twice;
    // α·eˣ is a normal float32 wherever x ≥ −87 (|α| ≥ 1) or x ≥ −65 (|α| ≥ 2^-32), so that the product with dy
    // is rounded once, subnormal or not, with no range test on dy; lanes below: float64 (dy·α·eˣ rounded once).
    // eˣ by the derivatives' degree-5 exp (wm_expn_d): elu′ 0.83 → 0.70 ms per 1M, 3 → 5 ULP
    float32: {
      ulp: 2,
      // 5 in a random search over dy from 2^-149 to 2^127 and α from 2^-30 to 2^30; 4 over every 16th float32 in
      // [−87, 0] (α = 1, 0.5) with dy 1 or random
      derivativeUlp: 6,
      keepsNaN: true,
      derivativeKeepsNaN: true,
      when: '__builtin_fabs(u0) >= 0x1p-32 && __builtin_fabs(u0) <= 0x1p32',
      fallback: {derivative: 'x < (__builtin_fabs(u0) >= 1 ? -87.0f : -65.0f)'},
      forward: `
      return x > 0 ? x : (float)u0 * wm_expm1_neg(x);`,
      derivative: `
      return x > 0 ? dy : dy * ((float)u0 * wm_expn_d(x));`,
      // α = 1 (Keras's default): dy·e^min(x, 0), exactly dy for x > 0, without the select (elu′ 0.98 → 0.83 ms per 1M)
      derivativeIf: {
        when: 'u0 == 1',
        derivative: `
      return dy * wm_expn_d(wm_pmin(x, 0));`,
      },
    },
  },
  // f is continuous at 0 for every alpha; f′ and f″ jump unless alpha is 1 (f′) or 0
  subnormals: {'': [false, undefined, undefined]},
});
