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
    forward: (x, _u, nat) => nat.op('Sigmoid', [nat.f64(x)]),
    derivative(x, dy, _u, nat) {
      const X = nat.f64(x);
      return nat.op('SoftplusGrad', [nat.op('SoftplusGrad', [nat.f64(dy), X]), nat.op('Neg', [X])]);
    },
    second(x, dy, _u, nat) {
      const X = nat.f64(x),
        nx = nat.op('Neg', [X]);
      const q = nat.op('SoftplusGrad', [nat.op('SoftplusGrad', [nat.f64(dy), X]), nx]);
      return nat.mul(q, nat.op('Tanh', [nat.mul(nx, 0.5)]));
    },
  },
  budget: {webgl: {forward: 2, backward: 4}, tensorflowLaunches: [3, 6, 9]},
  bench: {
    composite: {what: 'tf.sigmoid', fn: (tf, x) => tf.sigmoid(x)},
  },
  note: 'Binary probabilities and gates (LSTM, GRU, attention gates); avoid in deep hidden stacks.',
  wgsl: {
    forward: `
      return sigmoid(x);`,
    derivative: `
      return ta_dsigmoid_mul(x, 1.0);`,
    second: `
      return -ta_dsigmoid_mul(x, tanhf(0.5 * x));`,
  },
  cpp: {
    forward: 'sigmoid(x)',
    derivative: 'sigmoid(x) * sigmoid(-x)',
    second: '-sigmoid(x) * sigmoid(-x) * tanh(0.5 * x)',
    // float32 lanes (tfa_math32.h's sigmoid32: 1/(1 + e) or e/(1 + e), e = exp32_fast(−|x|), one division; the same
    // results on every CPU path; 2 ULP); |x| > 87 (a subnormal e, ±inf) is redone in float64
    forward32: 'sigmoid32(x)',
    forward32Rare: 'std::fabs(x) > 87.0f',
    derivative32: `
      // s(x)·s(−x) = e/(1 + e)², e = exp(−|x|) as p·2^k in float64 (exp32_f64: range, the same results on every path)
      const double e = exp32_f64(-std::fabs(x));
      const double d = 1 + e;
      return e / (d * d);`,
    // dy·f′ in float32 lanes: dy·(e/(1 + e)²), e = exp32_fast(−|x|); |x| > 87 (a subnormal e) is redone in float64
    gradient32: `
      const float e = exp32_fast(-std::fabs(x)), d = 1.0f + e;
      return dy * (e / (d * d));`,
    gradient32Rare: 'std::fabs(x) > 87.0f',
  },
  wasm: {
    forward: `
      return wm_sigmoid(x);`,
    derivative: `
      D e = wm_exp(-wm_abs(x)), r = 1 / (1 + e);
      return e * r * r;`,
    // float32 lanes (the wasm backend): the float32 exp and one division; dy·f′ as (dy·r²)·e, never rounding f′
    // alone into the subnormals. |x| > 87 (a subnormal e): the float64 bodies. The derivative's e by the degree-5
    // exp (wm_expn_d): sigmoid′ 0.99 → 0.86 ms per 1M
    float32: {
      ulp: 2,
      // 5 in the random search over dy; 7 over every 16th float32 in [−87, 87] with dy 1 or random (5 before wm_expn_d)
      derivativeUlp: 8,
      keepsNaN: true,
      derivativeKeepsNaN: true,
      fallback: 'wm_negabs(x) < -87.0f',
      forward: `
      return wm_sigmoid(x);`,
      derivative: `
      F e = wm_expn_d(wm_negabs(x)), d = 1 + e;
      return dy * e / (d * d);`,
    },
  },
});
