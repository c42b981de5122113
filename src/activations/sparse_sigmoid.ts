import {elementwise} from '../definition';

/** sparse_sigmoid: clip((x + 1)/2, 0, 1). */
export const sparseSigmoid = elementwise({
  id: 'sparseSigmoid',
  keras: 'sparse_sigmoid',
  doc: 'Sparse sigmoid: piecewise linear, exactly 0 and 1 outside [−1, 1].',
  formula: 'clip((x + 1)/2, 0, 1)',
  forward: x => (x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1)),
  derivative: x => (x > -1 && x < 1 ? 0.5 : 0),
  second: () => 0,
  glsl: {
    forward: `
      return clamp(0.5 * (x + 1.0), 0.0, 1.0);  // 0.5·round(x + 1) = round((x + 1)/2)`,
    derivative: `
      return (x > -1.0 && x < 1.0) ? 0.5 : 0.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    forward: (x, _u, nat) => nat.mul(nat.add(nat.clip(x, -1, 1), 1), 0.5),
    // dy·f′ with f′ = +0 outside (a zero takes dy's sign, as on cpu); clip(x, ½, ½) is ½, NaN for NaN x
    derivative: (x, dy, _u, nat) =>
      nat.mul(dy, nat.select(nat.greaterEqual(nat.op('Abs', [x]), 1), 0, nat.clip(x, 0.5, 0.5))),
    second: (x, dy, _u, nat) => nat.mul(dy, nat.nanOf(nat.op('Abs', [x]))), // dy·(+0), as the definition
  },
  test: {
    kinks: () => [-1, 1],
  },
  budget: {webgl: {forward: 0, backward: 0}, tensorflowLaunches: [3, 5, 3]},
  bench: {
    composite: {what: 'clip((x + 1)·0.5, 0, 1)', fn: (tf, x) => tf.clipByValue(tf.mul(tf.add(x, 1), 0.5), 0, 1)},
    piecewiseLinear: true,
  },
  note: 'A sigmoid made of pieces: exactly 0 and 1 outside [−1, 1], as in sparse attention.',
  wgsl: {
    forward: `
      return clamp(0.5 * (x + 1.0), 0.0, 1.0);`,
    derivative: `
      return select(0.0, 0.5, x > -1.0 && x < 1.0);`,
    second: `
      return 0.0;`,
  },
  cpp: {
    forward: 'x <= -1 ? 0.0 : (x >= 1 ? 1.0 : 0.5 * (x + 1))',
    derivative: 'x > -1 && x < 1 ? 0.5 : 0.0',
    second: '0.0',
  },
  wasm: {
    forward: `
      return x <= -1 ? 0 : (x >= 1 ? 1 : 0.5 * (x + 1));`,
    derivative: `
      return x > -1 && x < 1 ? 0.5 : 0.0;`,
    // 0.5(x + 1) in float32, bit-identical to the JS loop's fround(0.5·(x + 1)): x + 1 is exact in float64 for
    // |x| ≥ 2^-29 (one rounding to float32 either way; the halving is exact), and rounds to 1 in both below
    float32: {
      keepsNaN: true,
      // 0.5(x + 1) is monotone, 0 at −1 and 1 at 1: clamped by one f32x4.pmin and one pmax (NaN stays NaN)
      forward: `
      return wm_pmax(wm_pmin(0.5f * (x + 1), 1), 0);`,
    },
  },
});
