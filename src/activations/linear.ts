import {elementwise} from '../definition';

/** linear: the identity. */
export const linear = elementwise({
  id: 'linear',
  keras: 'linear',
  doc: 'Identity.',
  formula: 'x',
  forward: x => x,
  derivative: () => 1,
  identity: true,
  second: () => 0,
  glsl: {
    forward: `
      return x;`,
    derivative: `
      return 1.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    forward: x => x,
    derivative: (x, dy, _u, n) => n.add(dy, n.nanOf(x)),
    second: (x, dy, _u, n) => n.mul(dy, n.nanOf(x)),
  },
  wasm: {
    forward: `
      return x;`,
    derivative: `
      return 1;`,
    second: `
      return 0;`,
    float32: {
      derivative: `
      return 1;`,
    },
  },
});
