import {elementwise} from '../definition';
import {glslFloat, glslSplit} from '../backends/glsl_math';

const ALPHA = 1.6732632423543772;
const SCALE = 1.0507009873554805;

/** The constants as GLSL float32 literals plus remainders: scale and scale·alpha. */
const [S_HI, S_LO] = glslSplit(SCALE);
const [SA_HI, SA_LO] = glslSplit(SCALE * ALPHA);
const S_LO_NEG = glslFloat(-Number(S_LO)); // the remainder is negative: written as a subtraction

/** selu: scale·elu(x, alpha) with Klambauer et al.'s constants. */
export const selu = elementwise({
  id: 'selu',
  keras: 'selu',
  doc: 'Scaled exponential linear unit.',
  formula: 'scale·(x > 0 ? x : alpha·expm1(x)), alpha = 1.67326324, scale = 1.05070099',
  forward: x => (x > 0 ? SCALE * x : SCALE * ALPHA * Math.expm1(x)),
  derivative: x => (x > 0 ? SCALE : SCALE * ALPHA * Math.exp(x)),
  second: x => (x > 0 ? 0 : SCALE * ALPHA * Math.exp(x)),
  glsl: {
    forward: `
      if (x > 3.4028234e38) return x;
      if (x > 0.0) return x * ${S_HI} - x * ${S_LO_NEG};
      float e = expm1(x);
      return e * ${SA_HI} + e * ${SA_LO};`,
    derivative: `
      return x > 0.0 ? ${glslFloat(SCALE)} : ta_expmul(x, ${SA_HI}) + ta_expmul(x, ${SA_LO});`,
    second: `
      return x > 0.0 ? 0.0 : ta_expmul(x, ${SA_HI}) + ta_expmul(x, ${SA_LO});`,
  },
  tensorflow: {
    // float64 expm1/exp for x ≤ 0 (libtensorflow's Selu computes exp(x) − 1; its SeluGrad cancels for x ≪ 0).
    forward: (x, _u, nat) =>
      nat.select(nat.greater(x, 0), nat.mul(x, SCALE), nat.f32(nat.mul(nat.op('Expm1', [nat.f64(x)]), SCALE * ALPHA))),
    derivative: (x, dy, _u, nat) =>
      nat.select(
        nat.greater(x, 0),
        nat.mul(dy, SCALE),
        nat.f32(nat.mul(nat.mul(nat.f64(dy), nat.op('Exp', [nat.f64(x)])), SCALE * ALPHA)),
      ),
    second: (x, dy, _u, nat) =>
      nat.select(
        nat.greater(x, 0),
        nat.mul(dy, 0), // dy·(+0), as on cpu
        nat.f32(nat.mul(nat.mul(nat.f64(dy), nat.op('Exp', [nat.f64(x)])), SCALE * ALPHA)),
      ),
  },
  test: {
    kinks: () => [0],
  },
  budget: {webgl: {forward: 2, backward: 1}, tensorflowLaunches: [7, 17, 17]},
  bench: {
    composite: {what: 'tf.selu', fn: (tf, x) => tf.selu(x)},
  },
  note: 'Self-normalising networks: deep plain MLPs with lecun_normal init and AlphaDropout.',
  wgsl: {
    forward: `
      let e = expm1(select(x, 0.0, x > 0.0));  // not min(x, 0.0): it may turn −0 into +0
      let y = select(e * 1.7580993175506592 + e * 2.3296717444054593e-8, x * 1.0507010221481323 - x * 3.479265231476347e-8, x > 0.0);
      return select(y, x, x > 3.4028234e38);`,
    derivative: `
      if (x > 0.0) { return 1.0507009873554805; }
      return ta_expmul(x, 1.7580993175506592) + ta_expmul(x, 2.3296717444054593e-8);`,
    second: `
      if (x > 0.0) { return 0.0; }
      return ta_expmul(x, 1.7580993175506592) + ta_expmul(x, 2.3296717444054593e-8);`,
  },
  cpp: {
    forward: `
      const double e = expm1(x);
      return x > 0 ? 1.0507009873554805 * x : (1.0507009873554805 * 1.6732632423543772) * e;`,
    derivative: `
      const double e = exp(x);
      return x > 0 ? 1.0507009873554805 : (1.0507009873554805 * 1.6732632423543772) * e;`,
    second: `
      const double e = exp(x);
      return x > 0 ? 0.0 : (1.0507009873554805 * 1.6732632423543772) * e;`,
    // float32 lanes: expm1 from tfa_math32.h's expm1_neg32 (the same results on every CPU path; 2 ULP); the scale as
    // a float32 pair below it, hi + lo, so that scale·x neither rounds 1 ULP off nor overflows where float64 does not
    forward32: `
      const float e = expm1_neg32(x < -87.0f ? -87.0f : x);
      return x >= 0 ? x * 0x1.0cfabcp+0f + x * 0x1.6a9114p-24f : 1.75809932f * e;`,
    derivative32: `
      // exp(x) as p·2^k in float64 (exp32_f64: range, and the same results on every CPU path)
      const double e = exp32_f64(x);
      return x > 0 ? 1.0507009873554805 : (1.0507009873554805 * 1.6732632423543772) * e;`,
    // dy·f′ in float32 lanes: e = exp32_fast(x), the scale as hi + lo (as forward32), scale·α rounded to float32;
    // x < −87 is redone in float64
    gradient32: `
      const float e = exp32_fast(x);
      return x > 0 ? dy * 0x1.0cfabcp+0f + dy * 0x1.6a9114p-24f : dy * (1.75809932f * e);`,
    gradient32Rare: 'x < -87.0f',
  },
  wasm: {
    forward: `
      return x > 0 ? 1.0507009873554805 * x : (1.0507009873554805 * 1.6732632423543772) * wm_expm1(x);`,
    derivative: `
      return x > 0 ? 1.0507009873554805 : (1.0507009873554805 * 1.6732632423543772) * wm_exp(x);`,
    // the forward in float32 lanes (the wasm backend): the constants rounded once, the float32 expm1
    // dy·f′ as dy·(λα·eˣ) in float32 (rounded twice); lanes where eˣ is subnormal: float64
    float32: {
      ulp: 2,
      derivativeUlp: 3, // 3 in a random search over dy from 2^-149 to 2^127 and α from 2^-30 to 2^30
      keepsNaN: true,
      // (λα·eˣ is a normal float32 for x ≥ −87: its product with dy is rounded once, subnormal or not, with no range
      // test on dy)
      fallback: {derivative: 'x < -87.0f'},
      forward: `
      return x > 0 ? 1.05070102f * x : 1.75809932f * wm_expm1_neg(x);`,
      derivative: `
      return x > 0 ? dy * 1.05070102f : dy * (1.75809932f * wm_expn(x));`,
    },
  },
});
