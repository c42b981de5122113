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
    forward: (x, _u, nat) => nat.op('Softplus', [nat.f64(x)]),
    derivative: (x, dy, _u, nat) => nat.op('SoftplusGrad', [nat.f64(dy), nat.f64(x)]),
    second(x, dy, _u, nat) {
      const X = nat.f64(x);
      return nat.op('SoftplusGrad', [nat.op('SoftplusGrad', [nat.f64(dy), X]), nat.op('Neg', [X])]);
    },
  },
  budget: {webgl: {forward: 2, backward: 3}, tensorflowLaunches: [3, 4, 6]},
  bench: {
    composite: {what: 'tf.softplus', fn: (tf, x) => tf.softplus(x)},
  },
  note: 'A smooth relu that is always positive: scales, variances and other positive parameters.',
  wgsl: {
    forward: `
      return softplus(x);`,
    derivative: `
      return sigmoid(x);`,
    second: `
      return ta_dsigmoid_mul(x, 1.0);`,
  },
  cpp: {
    forward: 'softplus(x)',
    derivative: 'sigmoid(x)',
    second: 'sigmoid(x) * sigmoid(-x)',
    // float32 lanes: max(x, 0) + log1p(exp(−|x|)) from tfa_math32.h's exp32_fast and log1p_unit32 (2 ULP, the same
    // results on every CPU path); |x| > 87 (a subnormal exp, ±inf) is redone in float64
    forward32: `
      return (x > 0 ? x : 0.0f) + log1p_unit32(exp32_fast(-std::fabs(x)));`,
    forward32Rare: 'std::fabs(x) > 87.0f',
    derivative32: `
      // σ(x) from e = exp(−|x|) as p·2^k in float64 (exp32_f64: range, the same results on every CPU path)
      const double e = exp32_f64(-std::fabs(x));
      const double r = 1 / (1 + e);
      return x >= 0 ? r : e * r;`,
    // dy·σ(x) in float32 lanes (tfa_math32.h's sigmoid32); |x| > 87 is redone in float64
    gradient32: 'dy * sigmoid32(x)',
    gradient32Rare: 'std::fabs(x) > 87.0f',
  },
  wasm: {
    forward: `
      return wm_softplus(x);`,
    derivative: `
      return wm_sigmoid(x);`,
    // float32 lanes (the wasm backend): the float32 exp, log1p series and sigmoid; |x| > 87: float64
    float32: {
      ulp: 3,
      derivativeUlp: 3,
      keepsNaN: true,
      fallback: 'wm_negabs(x) < -87.0f',
      forward: `
      return wm_softplus(x);`,
      derivative: `
      return dy * wm_sigmoid(x);`,
    },
  },
});
