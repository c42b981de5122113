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
    forward: (x, _u, nat) => nat.op('Tanh', [nat.f64(x)]),
    derivative(x, dy, _u, nat) {
      return nat.div(nat.f64(dy), nat.op('Square', [nat.op('Cosh', [nat.f64(x)])]));
    },
    second(x, dy, _u, nat) {
      const X = nat.f64(x);
      return nat.mul(nat.div(nat.mul(nat.f64(dy), nat.op('Tanh', [X])), nat.op('Square', [nat.op('Cosh', [X])])), -2);
    },
  },
  budget: {webgl: {forward: 2, backward: 4}, tensorflowLaunches: [3, 6, 9]},
  bench: {
    composite: {what: 'tf.tanh', fn: (tf, x) => tf.tanh(x)},
  },
  note: 'Bounded, zero-centred outputs in [−1, 1]: RNN states, normalised outputs.',
  wgsl: {
    forward: `
      return tanhf(x);`,
    derivative: `
      return sech2(x);`,
    second: `
      return ta_sech2_mul(x, -2.0 * tanhf(x));`,
  },
  cpp: {
    forward: 'tanh(x)',
    derivative: 'sech2(x)',
    second: '-2 * tanh(x) * sech2(x)',
    // float32 lanes: tfa_math32.h's tanh32, −m/(2 + m), m = expm1 with explicit FMAs (2 ULP, the same bits on every path)
    forward32: 'tanh32(x)',
    derivative32: `
      // sech² = 4e/(1 + e)², e = exp(−2|x|) as p·2^k in float64 (exp32_f64: range, the same results on every path)
      const double e = exp32_f64(-2 * std::fabs(x));
      const double d = 1 + e;
      return 4 * e / (d * d);`,
    // dy·f′ in float32 lanes: dy·(4e/(1 + e)²), e = exp32_fast(−2|x|); |x| > 43.5 (a subnormal e) is redone in float64
    gradient32: `
      const float e = exp32_fast(-2.0f * std::fabs(x)), d = 1.0f + e;
      return dy * ((4.0f * e) / (d * d));`,
    gradient32Rare: 'std::fabs(x) > 43.5f',
  },
  wasm: {
    forward: `
      return wm_tanh(x);`,
    derivative: `
      return wm_sech2(x);`,
    // float32 lanes (the wasm backend): the float32 tanh, −m/(2 + m) with m = expm1(−2|x|), sign copied back; dy·f′
    // as (dy·r²)·4e, e = exp(−2|x|), r = 1/(1 + e): no cancellation, nothing rounded alone into the subnormals;
    // |x| > 43.5 (a subnormal e): the float64 body for f′.
    float32: {
      ulp: 2,
      derivativeUlp: 4,
      fallback: {derivative: 'wm_negabs(x) < -43.5f'},
      forward: `
      return wm_tanh(x);`,
      derivative: `
      F e = wm_expn(-2 * wm_abs(x)), r = 1 / (1 + e);
      return dy * (r * r) * (4 * e);`,
    },
  },
});
