import {elementwise} from '../definition';

/** relu6: min(max(x, 0), 6). */
export const relu6 = elementwise({
  id: 'relu6',
  keras: 'relu6',
  doc: 'Rectified linear unit capped at 6.',
  formula: 'min(max(x, 0), 6)',
  forward: x => x < 0 ? 0 : (x > 6 ? 6 : x),
  derivative: x => x > 0 && x < 6 ? 1 : 0,
  second: () => 0,
  glsl: {
    forward: `
      return x < 0.0 ? 0.0 : (x > 6.0 ? 6.0 : x);`,
    derivative: `
      return (x > 0.0 && x < 6.0) ? 1.0 : 0.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    forward: (x, _u, n) => n.op('Relu6', [x]),
    derivative: (x, dy, _u, n) => n.add(n.op('Relu6Grad', [dy, x]), n.nanOf(x)),
    second: (x, dy, _u, n) => n.mul(dy, n.nanOf(x)),
  },
  wasm: {
    forward: `
      return x < 0 ? 0 : (x > 6 ? 6 : x);`,
    derivative: `
      return x > 0 && x < 6 ? 1 : 0;`,
    second: `
      return 0;`,
    float32: {
      keepsNaN: true,
      forward: `
      return x < 0 ? 0 : (x > 6 ? 6 : x);`,
      derivative: `
      return x > 0 && x < 6 ? 1 : 0;`,
    },
  },
});
