import {elementwise} from '../definition';

/** hard_tanh: clip(x, −1, 1). */
export const hardTanh = elementwise({
  id: 'hardTanh',
  keras: 'hard_tanh',
  doc: 'Hard hyperbolic tangent.',
  formula: 'clip(x, −1, 1)',
  forward: x => (x < -1 ? -1 : x > 1 ? 1 : x),
  derivative: x => (x > -1 && x < 1 ? 1 : 0),
  second: () => 0,
  glsl: {
    forward: `
      return clamp(x, -1.0, 1.0);`,
    derivative: `
      return (x > -1.0 && x < 1.0) ? 1.0 : 0.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    forward: (x, _u, nat) => nat.clip(x, -1, 1),
    // dy·f′ with f′ = +0 outside (so a zero takes dy's sign, as on cpu); clip(x, 1, 1) is 1, NaN for NaN x
    derivative: (x, dy, _u, nat) =>
      nat.mul(dy, nat.select(nat.greaterEqual(nat.op('Abs', [x]), 1), 0, nat.clip(x, 1, 1))),
    second: (x, dy, _u, nat) => nat.mul(dy, nat.nanOf(nat.op('Abs', [x]))), // dy·(+0), as the definition
  },
  test: {
    kinks: () => [-1, 1],
  },
  budget: {webgl: {forward: 0, backward: 0}, tensorflowLaunches: [1, 5, 3]},
  bench: {
    composite: {what: 'tf.clipByValue', fn: (tf, x) => tf.clipByValue(x, -1, 1)},
    piecewiseLinear: true,
  },
  note: 'A cheap bounded tanh; quantisation-friendly recurrent or output layers.',
  wgsl: {
    forward: `
      return clamp(x, -1.0, 1.0);`,
    derivative: `
      return select(0.0, 1.0, x > -1.0 && x < 1.0);`,
    second: `
      return 0.0;`,
  },
  cpp: {
    forward: 'x < -1 ? -1.0 : (x > 1 ? 1.0 : x)',
    derivative: 'x > -1 && x < 1 ? 1.0 : 0.0',
    second: '0.0',
    // float32 lanes: the same values (a copy or ±1), as one vector max and one min (NaN passes through)
    forward32: `
      const float a = -1.0f > x ? -1.0f : x;
      return 1.0f < a ? 1.0f : a;`,
    forward32KeepsNaN: true,
  },
  wasm: {
    forward: `
      return x < -1 ? -1 : (x > 1 ? 1 : x);`,
    derivative: `
      return x > -1 && x < 1 ? 1.0 : 0.0;`,
    float32: {
      keepsNaN: true,
      // pmin(x, 1) = 1 < x ? 1 : x, then pmax(y, −1) = y < −1 ? −1 : y: one f32x4.pmin and one pmax
      forward: `
      return wm_pmax(wm_pmin(x, 1), -1);`,
      derivative: `
      return x > -1 && x < 1 ? 1.0f : 0.0f;`,
    },
  },
});
