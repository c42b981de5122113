import {elementwise} from '../definition';

/** hard_tanh: clip(x, −1, 1). */
export const hardTanh = elementwise({
  id: 'hardTanh',
  keras: 'hard_tanh',
  doc: 'Hard hyperbolic tangent.',
  formula: 'clip(x, −1, 1)',
  forward: x => x < -1 ? -1 : (x > 1 ? 1 : x),
  derivative: x => x > -1 && x < 1 ? 1 : 0,
  second: () => 0,
  glsl: {
    forward: `
      return x < -1.0 ? -1.0 : (x > 1.0 ? 1.0 : x);`,
    derivative: `
      return (x > -1.0 && x < 1.0) ? 1.0 : 0.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    forward: (x, _u, n) => n.clip(x, -1, 1),
    derivative: (x, dy, _u, n) => n.select(n.less(n.op('Abs', [x]), 1), dy, n.nanOf(x)),
    second: (x, dy, _u, n) => n.mul(dy, n.nanOf(x)),
  },
  wasm: {
    forward: `
      return x < -1 ? -1 : (x > 1 ? 1 : x);`,
    derivative: `
      return x > -1 && x < 1 ? 1 : 0;`,
    second: `
      return 0;`,
    float32: {
      keepsNaN: true,
      forward: `
      return x < -1 ? -1 : (x > 1 ? 1 : x);`,
      derivative: `
      return x > -1 && x < 1 ? 1 : 0;`,
    },
  },
});
