import {elementwise} from '../definition';

/** exponential: exp(x). */
export const exponential = elementwise({
  id: 'exponential',
  keras: 'exponential',
  doc: 'Exponential.',
  formula: 'exp(x)',
  forward: x => Math.exp(x),
  derivative: x => Math.exp(x),
  second: x => Math.exp(x),
  glsl: {
    forward: `
      return expf(x);`,
    derivative: `
      return expf(x);`,
    second: `
      return expf(x);`,
    // exp(x) in float64 up to ln(DBL_MAX) = 709.78271289: the float32 709.7827 is above it
    finite64: 'x < 709.7827',
  },
  tensorflow: {
    // float32 Exp is within 1 ULP; the products with dy are formed in float64 (no overflow below the truth's).
    forward: (x, _u, nat) => nat.op('Exp', [x]),
    derivative: (x, dy, _u, nat) => nat.mul(nat.f64(dy), nat.op('Exp', [nat.f64(x)])),
    second: (x, dy, _u, nat) => nat.mul(nat.f64(dy), nat.op('Exp', [nat.f64(x)])),
  },
  budget: {webgl: {forward: 1, backward: 1}, tensorflowLaunches: [1, 5, 5]},
  bench: {
    composite: {what: 'tf.exp', fn: (tf, x) => tf.exp(x)},
  },
  note: 'Outputs that must be positive and grow multiplicatively (rates, scales); rarely a hidden activation.',
  wgsl: {
    forward: `
      return expf(x);`,
    derivative: `
      return expf(x);`,
    second: `
      return expf(x);`,
    // exp(x) in float64 up to ln(DBL_MAX) = 709.78271289: the float32 709.7827 is above it
    finite64: 'x < 709.7827',
  },
  cpp: {
    forward: 'exp(x)',
    derivative: 'exp(x)',
    second: 'exp(x)',
    // float32 lanes (tfa_math32.h's exp32_fast: 1 ULP, the same results on every CPU path); x outside [−87, 88]
    // (subnormal or infinite results) is redone in float64
    forward32: 'exp32_fast(x)',
    forward32Rare: '(x < -87.0f) | (x > 88.0f)',
    // e^x as p·2^k in float64 from float32 lanes (tfa_math32.h): dy·e^x rounded once, over float64's range (finite or
    // nonzero wherever the product is representable; 0·e^x NaN from x = 709.7827, as in float64)
    derivative32: 'exp32_f64(x)',
    // f′ = f: dy·y rounded once wherever y is a normal float32 (within 1 ULP more than y), as tf.exp's gradient; where
    // y is 0, subnormal or infinite (x below −87.3 or above 88.7), or NaN, from x as above
    gradientFromOutput: {
      when: 'std::fabs(y) >= 0x1p-126f && std::fabs(y) <= 0x1.fffffep127f',
      value: 'dy * y',
    },
  },
  wasm: {
    forward: `
      return wm_exp(x);`,
    derivative: `
      return wm_exp(x);`,
    // float32 lanes (the wasm backend) where eˣ is a normal float32; dy·eˣ rounded once. Elsewhere float64 (a
    // subnormal eˣ, or dy·eˣ finite where eˣ alone overflows)
    float32: {
      ulp: 1,
      // eˣ within 0.68 ULP, then rounded with dy: 2 ULP for some dy (test/wasm.test.ts, dy over the float32 range)
      derivativeUlp: 2,
      keepsNaN: true,
      fallback: 'x < -87.0f || x > 88.0f',
      forward: `
      return wm_expn(x);`,
      derivative: `
      return dy * wm_expn(x);`,
    },
  },
});
