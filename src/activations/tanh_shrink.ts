import {elementwise} from '../definition';
import {horner, type Fit} from '../backends/glsl_math';
import {sech2, tanh, tanhShrink as ts} from '../math';
import {wgslHorner} from '../backends/wgsl_math';

/** (x − tanh x)/x³ as a polynomial in x² on [0, 2.25]. */
const TANH_SHRINK: Fit = {
  m: 1.125,
  ih: 0.8888888955116272,
  lo: 4.373771123056258e-9,
  c: [
    -8.432118193013594e-6, 2.692582165764179e-5, -6.490046507678926e-5, 0.00020724315254483372, -0.0006802243879064918,
    0.0021721411030739546, -0.006929961033165455, 0.022136827930808067, -0.0708569586277008, 0.23024970293045044,
  ],
};

/** tanh_shrink: x − tanh(x), by its series near 0 where it cancels. */
export const tanhShrink = elementwise({
  id: 'tanhShrink',
  keras: 'tanh_shrink',
  doc: 'Tanh shrinkage.',
  formula: 'x − tanh(x)',
  forward: x => ts(x),
  derivative: x => {
    const t = tanh(x);
    return t * t;
  },
  second: x => 2 * tanh(x) * sech2(x),
  glsl: {
    forward: `
      return abs(x) < 1.5 ? ta_tanh_shrink_small(x) : x - tanhf(x);`,
    derivative: `
      float t = tanhf(x);
      return t * t;`,
    second: `
      return ta_sech2_mul(x, 2.0 * tanhf(x));`,
    helpers: `
// x − tanh(x) for |x| <= 1.5, as x³·P(x²).
float ta_tanh_shrink_small(float x) {
  float u = x * x;
  ${horner('u', TANH_SHRINK)}
  return (x * u) * p;
}`,
  },
  tensorflow: {
    // float64: x³/3 for |x| < 2.5e-4 (the next term is below 0.5 ULP), else x − tanh(x) (float64 cancels < 0.2 ULP there).
    forward(x, _u, nat) {
      const X = nat.f64(x),
        s = nat.op('Square', [X]);
      return nat.select(nat.less(s, 6.25e-8), nat.mul(nat.mul(s, X), 1 / 3), nat.sub(X, nat.op('Tanh', [X])));
    },
    derivative: (x, dy, _u, nat) => nat.mul(nat.f64(dy), nat.op('Square', [nat.op('Tanh', [nat.f64(x)])])),
    second(x, dy, _u, nat) {
      const X = nat.f64(x);
      return nat.mul(nat.div(nat.mul(nat.f64(dy), nat.op('Tanh', [X])), nat.op('Square', [nat.op('Cosh', [X])])), 2);
    },
  },
  budget: {webgl: {forward: 2, backward: 4}, tensorflowLaunches: [9, 6, 9]},
  bench: {
    composite: {what: 'x − tanh(x)', fn: (tf, x) => tf.sub(x, tf.tanh(x))},
  },
  note: 'Shrinks small values towards 0 smoothly while large ones pass almost unchanged.',
  wgsl: {
    forward: `
      return select(x - tanhf(x), ta_tanh_shrink_small(x), abs(x) < 1.5);`,
    derivative: `
      let t = tanhf(x);
      return t * t;`,
    second: `
      return ta_sech2_mul(x, 2.0 * tanhf(x));`,
    helpers: `
// x − tanh(x) for |x| <= 1.5, as x³·P(x²).
fn ta_tanh_shrink_small(x: f32) -> f32 {
  let v = x * x;
  ${wgslHorner('v', TANH_SHRINK)}
  return (x * v) * p;
}`,
  },
  cpp: {
    forward: 'tanh_shrink(x)',
    // float32 lanes (tanh_shrink32 in helpers32 below: a degree-7 polynomial below |x| = 1, (|x| − 1) + 2/(1 + e^{2|x|})
    // above; 3 ULP over every float32, the same results on every CPU path)
    forward32: 'tanh_shrink32(x)',
    derivative: `
      const double t = tanh_e(x);
      return t * t;`,
    second: '2 * tanh_e(x) * sech2(x)',
    // f′ = tanh² has no cancellation: dy·tanh² in float32 lanes, (dy·t)·t with t = tanh32(x) (the same results on
    // every CPU path; dy·t first, so that no subnormal t² loses what a large dy would keep)
    gradient32: `
      const float t = tanh32(x);
      return (dy * t) * t;`,
    // the float32 gradient costs about what the forward does (the float64 bodies' estimate, 5, split 64K over two
    // threads)
    cost: [3, 3],
    helpers32: `
// x − tanh(x): below |x| = 1, x·z·P(z), z = x², P of degree 7 (minimax relative to (x − tanh x)/x³ on z ≤ 1, 2^-27.5;
// no cancellation), Horner's steps as fused multiply-adds; from |x| = 1 on, (|x| − 1) + 2/(1 + e^{2|x|}) with e^{2|x|}
// from exp32_fma (|x| taken up to 40), where neither term is much larger than the sum; the sign of x. ±0 for ±0, ±inf
// for ±inf; NaN gives a number: callers select x there.
TFA_ALWAYS_INLINE float tanh_shrink32(float x) {
  const float a = std::fabs(x), z = x * x;
  float p = -1.42823940e-04f;
  p = __builtin_fmaf(p, z, 9.23609198e-04f);
  p = __builtin_fmaf(p, z, -3.20695356e-03f);
  p = __builtin_fmaf(p, z, 8.69795097e-03f);
  p = __builtin_fmaf(p, z, -2.18295855e-02f);
  p = __builtin_fmaf(p, z, 5.39634209e-02f);
  p = __builtin_fmaf(p, z, -1.33333107e-01f);
  p = __builtin_fmaf(p, z, -1.16960779e-08f) + 3.33333343e-01f;  // 1/3 as a float32 pair
  const float E = exp32_fma(2.0f * (a < 40.0f ? a : 40.0f));
  const float big = (a - 1.0f) + 2.0f / (1.0f + E);
  return a < 1.0f ? x * (z * p) : std::copysign(big, x);
}`,
  },
  wasm: {
    forward: `
      D x2 = x * x;
      D s = x * x2 * (1.0 / 3 + x2 * (-2.0 / 15 + x2 * (17.0 / 315 + x2 * (-62.0 / 2835 + x2 * (1382.0 / 155925)))));
      return wm_abs(x) < 0.1 ? s : x - wm_tanh(x);`,
    derivative: `
      D t = wm_tanh(x);
      return t * t;`,
    // float32 lanes for the derivative (the wasm backend): dy·tanh²(x) as (dy·t)·t with the float32 tanh (no
    // cancellation near 0, no overflow: |t| ≤ 1). The forward keeps float64 (x − tanh x cancels near 0).
    float32: {
      ulp: 0,
      derivativeUlp: 5,
      derivative: `
      F t = wm_tanh(x);
      return dy * t * t;`,
    },
  },
});
