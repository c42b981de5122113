import {elementwise} from '../definition';

/** hard_silu (hard_swish): x·relu6(x + 3)/6. Gives −0 at x = −3, as Keras. */
export const hardSilu = elementwise({
  id: 'hardSilu',
  keras: 'hard_silu',
  aliases: ['hard_swish'],
  doc: 'Hard sigmoid linear unit, also called hard swish.',
  formula: 'x·relu6(x + 3) / 6',
  forward: x => x <= -3 ? -0 : x * (x >= 3 ? 1 : (x + 3) / 6),
  derivative: x => x < -3 ? 0 : (x > 3 ? 1 : (2 * x + 3) / 6),
  second: x => x > -3 && x < 3 ? 1 / 3 : 0,
  glsl: {
    forward: `
      return x <= -3.0 ? -0.0 : x * (x >= 3.0 ? 1.0 : (x < -1.5 ? (x + 3.0) / 6.0 : x / 6.0 + 0.5));`,
    derivative: `
      return x < -3.0 ? 0.0 : (x > 3.0 ? 1.0 : (2.0 * x + 3.0) / 6.0);`,
    second: `
      return (x > -3.0 && x < 3.0) ? 1.0 / 3.0 : 0.0;`,
  },
  tensorflow: {
    // x·(relu6(x + 3)/6): the factor is ≤ 1, so no overflow; MulNoNan gives 0 at x = −inf.
    forward: (x, _u, n) => n.mulNoNan(x, n.div(n.op('Relu6', [n.add(x, 3)]), 6)),
    derivative(x, dy, _u, n) {
      const inner = n.select(n.greater(x, 3), 1, n.div(n.add(n.mul(x, 2), 3), 6));
      return n.mul(dy, n.select(n.less(x, -3), 0, inner));
    },
    second: (x, dy, _u, n) => n.select(n.less(n.op('Abs', [x]), 3), n.div(dy, 3), n.nanOf(x)),
  },
  wasm: {
    forward: `
      return x <= -3 ? -0.0 : x * (x >= 3 ? 1 : (x + 3) / 6);`,
    derivative: `
      return x < -3 ? 0 : (x > 3 ? 1 : (2 * x + 3) / 6);`,
    second: `
      return x > -3 && x < 3 ? 1.0 / 3 : 0;`,
    // x(x + 3)/6 in float32: three roundings, within 3 ULP (the wasm backend only)
    float32: {
      ulp: 3,
      keepsNaN: true,
      forward: `
      return x <= -3 ? -0.0f : x * (x >= 3 ? 1 : (x + 3) / 6);`,
      derivative: `
      return x < -3 ? 0 : (x > 3 ? 1 : (2 * x + 3) / 6);`,
    },
  },
});
