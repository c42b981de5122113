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
    derivative: (x, dy, _u, nat) => nat.select(nat.less(nat.op('Abs', [x]), 1), dy, nat.nanOf(x)),
    second: (x, dy, _u, nat) => nat.mul(dy, nat.nanOf(x)),
  },
  test: {
    kinks: () => [-1, 1],
  },
  budget: {webgl: {forward: 0, backward: 0}, tensorflowLaunches: [1, 4, 2]},
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
