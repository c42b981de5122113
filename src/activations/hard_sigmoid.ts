import {elementwise} from '../definition';

/**
 * Keras 3 hard_sigmoid: relu6(x + 3)/6 = clip(x/6 + 1/2, 0, 1). Not tfjs's
 * 'hardSigmoid' (the Keras 2 form clip(0.2x + 0.5, 0, 1)): as a layers id it
 * replaces tfjs's only after `useKeras3HardSigmoid()`.
 */
export const hardSigmoid = elementwise({
  id: 'hardSigmoid',
  keras: 'hard_sigmoid',
  doc: 'Keras 3 hard sigmoid (piecewise linear, slope 1/6).',
  formula: 'relu6(x + 3) / 6',
  forward: x => x <= -3 ? 0 : (x >= 3 ? 1 : (x + 3) / 6),
  derivative: x => x > -3 && x < 3 ? 1 / 6 : 0,
  second: () => 0,
  glsl: {
    forward: `
      return x <= -3.0 ? 0.0 : (x >= 3.0 ? 1.0 : (x < -1.5 ? (x + 3.0) / 6.0 : x / 6.0 + 0.5));`,
    derivative: `
      return (x > -3.0 && x < 3.0) ? 1.0 / 6.0 : 0.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    forward: (x, _u, n) => n.div(n.op('Relu6', [n.add(x, 3)]), 6),
    derivative: (x, dy, _u, n) => n.select(n.less(n.op('Abs', [x]), 3), n.div(dy, 6), n.nanOf(x)),
    second: (x, dy, _u, n) => n.mul(dy, n.nanOf(x)),
  },
  wasm: {
    forward: `
      return x <= -3 ? 0 : (x >= 3 ? 1 : (x + 3) / 6);`,
    derivative: `
      return x > -3 && x < 3 ? 1.0 / 6 : 0;`,
    second: `
      return 0;`,
    // (x + 3)/6 in float32: two roundings, within 2 ULP (the wasm backend only)
    float32: {
      ulp: 2,
      keepsNaN: true,
      forward: `
      return x <= -3 ? 0 : (x >= 3 ? 1 : (x + 3) / 6);`,
      derivative: `
      return x > -3 && x < 3 ? 1.0f / 6 : 0;`,
    },
  },
});
