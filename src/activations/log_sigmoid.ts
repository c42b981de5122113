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
    forward: (x, _u, nat) => nat.op('Neg', [nat.op('Softplus', [nat.op('Neg', [nat.f64(x)])])]),
    derivative: (x, dy, _u, nat) => nat.op('SoftplusGrad', [nat.f64(dy), nat.op('Neg', [nat.f64(x)])]),
    // −dy·σ(x)σ(−x)
    second(x, dy, _u, nat) {
      const X = nat.f64(x);
      const q = nat.op('SoftplusGrad', [nat.op('SoftplusGrad', [nat.f64(dy), X]), nat.op('Neg', [X])]);
      return nat.op('Neg', [q]);
    },
  },
  budget: {webgl: {forward: 2, backward: 3}, tensorflowLaunches: [5, 5, 7]},
  bench: {
    composite: {what: 'tf.logSigmoid', fn: (tf, x) => tf.logSigmoid(x)},
  },
  note: 'Log-probabilities of a binary event without overflow; losses and log-likelihoods.',
  wgsl: {
    forward: `
      return -softplus(-x);`,
    derivative: `
      return sigmoid(-x);`,
    second: `
      return -ta_dsigmoid_mul(x, 1.0);`,
  },
  cpp: {
    forward: '-softplus(-x)',
    derivative: 'sigmoid(-x)',
    second: '-sigmoid(x) * sigmoid(-x)',
    // float32 lanes: min(x, 0) − log1p(exp(−|x|)) from tfa_math32.h's exp32_fast and log1p_unit32 (softplus's form;
    // the same results on every CPU path); |x| > 87 (a subnormal exp, ±inf) is redone in float64
    forward32: `
      return (x < 0 ? x : 0.0f) - log1p_unit32(exp32_fast(-std::fabs(x)));`,
    forward32Rare: 'std::fabs(x) > 87.0f',
    // σ(−x) from e = exp(−|x|) as p·2^k in float64 from float32 lanes (exp32_f64, tfa_math32.h: the same results on
    // every CPU path)
    derivative32: `
      const double e = exp32_f64(-std::fabs(x)), r = 1 / (1 + e);
      return x <= 0 ? r : e * r;`,
    // dy·σ(−x) in float32 lanes (tfa_math32.h's sigmoid32); |x| > 87 is redone in float64
    gradient32: 'dy * sigmoid32(-x)',
    gradient32Rare: 'std::fabs(x) > 87.0f',
  },
  wasm: {
    forward: `
      return -wm_softplus(-x);`,
    derivative: `
      return wm_sigmoid(-x);`,
    // float32 lanes (the wasm backend): the float32 softplus and sigmoid; |x| > 87: float64
    float32: {
      ulp: 3,
      derivativeUlp: 3,
      keepsNaN: true,
      fallback: 'wm_negabs(x) < -87.0f',
      forward: `
      return -wm_softplus(-x);`,
      derivative: `
      return dy * wm_sigmoid(-x);`,
    },
  },
});
