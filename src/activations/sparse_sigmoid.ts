import {elementwise} from '../definition';

/** sparse_sigmoid: clip((x + 1)/2, 0, 1). */
export const sparseSigmoid = elementwise({
  id: 'sparseSigmoid',
  keras: 'sparse_sigmoid',
  doc: 'Sparse sigmoid: piecewise linear, exactly 0 and 1 outside [−1, 1].',
  formula: 'clip((x + 1)/2, 0, 1)',
  forward: x => x <= -1 ? 0 : (x >= 1 ? 1 : 0.5 * (x + 1)),
  derivative: x => x > -1 && x < 1 ? 0.5 : 0,
  second: () => 0,
  glsl: {
    forward: `
      return x <= -1.0 ? 0.0 : (x >= 1.0 ? 1.0 : 0.5 * (x + 1.0));`,
    derivative: `
      return (x > -1.0 && x < 1.0) ? 0.5 : 0.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    forward: (x, _u, n) => n.mul(n.add(n.clip(x, -1, 1), 1), 0.5),
    derivative: (x, dy, _u, n) => n.select(n.less(n.op('Abs', [x]), 1), n.mul(dy, 0.5), n.nanOf(x)),
    second: (x, dy, _u, n) => n.mul(dy, n.nanOf(x)),
  },
  wasm: {
    forward: `
      return x <= -1 ? 0 : (x >= 1 ? 1 : 0.5 * (x + 1));`,
    derivative: `
      return x > -1 && x < 1 ? 0.5 : 0;`,
    second: `
      return 0;`,
    // 0.5(x + 1) in float32: one rounding, within 1 ULP (the wasm backend only)
    float32: {
      ulp: 1,
      keepsNaN: true,
      forward: `
      return x <= -1 ? 0 : (x >= 1 ? 1 : 0.5f * (x + 1));`,
      derivative: `
      return x > -1 && x < 1 ? 0.5f : 0;`,
    },
  },
});
