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
  forward: (x, u) => x > u[0] ? x : u[1],
  derivative: (x, u) => x > u[0] ? 1 : 0,
  second: () => 0,
  glsl: {
    forward: `
      return ta_gt(x, u.x, ul.x) ? x : u.y;`,
    derivative: `
      return ta_gt(x, u.x, ul.x) ? 1.0 : 0.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    forward: (x, u, n) => n.select(n.lessEqual(x, u[0]), u[1], x),
    derivative: (x, dy, u, n) => n.select(n.greater(x, u[0]), dy, n.nanOf(x)),
    second: (x, dy, _u, n) => n.mul(dy, n.nanOf(x)),
  },
  wasm: {
    forward: `
      return x > u0 ? x : u1;`,
    derivative: `
      return x > u0 ? 1 : 0;`,
    second: `
      return 0;`,
    // compared with the largest float32 ≤ threshold: the same decisions as in float64; default_value rounded once
    float32: {
      forward: `
      return x > wm_rd32(u0) ? x : (float)u1;`,
      derivative: `
      return x > wm_rd32(u0) ? 1 : 0;`,
    },
  },
});
