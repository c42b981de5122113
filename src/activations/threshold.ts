import {elementwise} from '../definition';

/** threshold: x > threshold ? x : default_value. Both are required, as in Keras. */
export const threshold = elementwise({
  id: 'threshold',
  keras: 'threshold',
  doc: 'Thresholded identity: values at or below the threshold are replaced.',
  formula: 'x > threshold ? x : default_value',
  params: [
    {name: 'threshold', keras: 'threshold', kind: 'number', doc: 'cut-off (required)'},
    {name: 'defaultValue', keras: 'default_value', kind: 'number', doc: 'replacement value (required)'},
  ],
  constants: p => [p.threshold as number, p.defaultValue as number],
  forward: (x, u) => (x > u[0] ? x : u[1]),
  derivative: (x, u) => (x > u[0] ? 1 : 0),
  second: () => 0,
  glsl: {
    // x > ug.x is ta_gt(x, u.x, ul.x) in one compare
    forward: `
      return x > ug.x ? x : u.y;`,
    derivative: `
      return x > ug.x ? 1.0 : 0.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    forward: (x, u, nat) => nat.select(nat.lessEqual(x, u[0]), u[1], x),
    // dy·f′ with f′ = +0 at or below the threshold (a zero takes dy's sign, as on cpu); NaN for NaN x
    derivative: (x, dy, u, nat) => nat.mul(dy, nat.select(nat.lessEqual(x, u[0]), 0, nat.clip(x, 1, 1))),
    second: (x, dy, _u, nat) => nat.mul(dy, nat.nanOf(nat.op('Abs', [x]))), // dy·(+0), as the definition
  },
  test: {
    variants: [
      {threshold: 0, defaultValue: 0},
      {threshold: 1, defaultValue: -1},
      {threshold: -2, defaultValue: 5},
      {threshold: 0.1, defaultValue: 0.7},
      {threshold: 0.7, defaultValue: -2},
    ],
    kinks: p => [p.threshold as number],
  },
  budget: {webgl: {forward: 0, backward: 0}, tensorflowLaunches: [2, 12, 3]},
  bench: {
    composite: {
      what: 'd + step(x − t)·(x − d)',
      fn: (tf, x) => tf.add(-1, tf.mul(tf.step(tf.sub(x, 0.1)), tf.sub(x, -1))),
    },
    params: {threshold: 0.1, defaultValue: -1},
    piecewiseLinear: true,
  },
  note: 'A step at a chosen threshold: below it every value is replaced by a constant.',
  wgsl: {
    forward: `
      return select(u.y, x, x > ug.x);`,
    derivative: `
      return select(0.0, 1.0, x > ug.x);`,
    second: `
      return 0.0;`,
  },
  cpp: {
    forward: 'x > u[0] ? x : u[1]',
    derivative: 'x > u[0] ? 1.0 : 0.0',
    second: '0.0',
  },
  wasm: {
    forward: `
      return x > u0 ? x : u1;`,
    derivative: `
      return x > u0 ? 1.0 : 0.0;`,
    // compared with the largest float32 ≤ threshold: the same decisions as in float64; default_value rounded once
    // x <= t ? default_value : x keeps NaN itself (a NaN threshold: every x at or below +∞)
    float32: {
      keepsNaN: true,
      forward: `
      float t = u0 == u0 ? wm_rd32(u0) : INF;
      return x <= t ? (float)u1 : x;`,
      derivative: `
      return x > wm_rd32(u0) ? 1.0f : 0.0f;`,
    },
  },
  // f and f′ jump at 0 when the threshold is 0 (subnormal inputs are then read as ±MIN_NORMAL), else not: the
  // uniform decides per call
  subnormals: {'': [undefined, undefined, false]},
});
