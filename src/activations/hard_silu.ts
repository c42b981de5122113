import {elementwise} from '../definition';

/** hard_silu (hard_swish): x·relu6(x + 3)/6. Gives −0 at x = −3, as Keras. */
export const hardSilu = elementwise({
  id: 'hardSilu',
  keras: 'hard_silu',
  aliases: ['hard_swish'],
  doc: 'Hard sigmoid linear unit, also called hard swish.',
  formula: 'x·relu6(x + 3) / 6',
  forward: x => (x <= -3 ? -0 : x * (x >= 3 ? 1 : (x + 3) / 6)),
  derivative: x => (x < -3 ? 0 : x > 3 ? 1 : (2 * x + 3) / 6),
  second: x => (x > -3 && x < 3 ? 1 / 3 : 0),
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
    // formed as −((−x)·factor) so that the zero below −3 is −0, as the definition
    forward: (x, _u, nat) =>
      nat.op('Neg', [nat.mulNoNan(nat.op('Neg', [x]), nat.div(nat.op('Relu6', [nat.add(x, 3)]), 6))]),
    derivative(x, dy, _u, nat) {
      const inner = nat.select(nat.greater(x, 3), 1, nat.div(nat.add(nat.mul(x, 2), 3), 6));
      return nat.mul(dy, nat.select(nat.less(x, -3), 0, inner));
    },
    // dy/3 inside, dy/+inf = dy·(+0) outside (a zero takes dy's sign, as on cpu); clip(x, 3, 3) is 3, NaN for NaN x
    second: (x, dy, _u, nat) =>
      nat.div(dy, nat.select(nat.greaterEqual(nat.op('Abs', [x]), 3), Infinity, nat.clip(x, 3, 3))),
  },
  test: {
    kinks: () => [-3, 3],
  },
  budget: {webgl: {forward: 1, backward: 1}, tensorflowLaunches: [6, 8, 5]},
  bench: {
    composite: {
      what: 'x·clip(x/6 + 0.5, 0, 1)',
      fn: (tf, x) => tf.mul(x, tf.clipByValue(tf.add(tf.mul(x, 1 / 6), 0.5), 0, 1)),
    },
  },
  note: "MobileNetV3's cheap swish: silu's shape with only a clip and a product.",
  wgsl: {
    forward: `
      // x·(x + 3)/6 below −1.5, x·(x/6 + 0.5) above, as selects (on SwiftShader a return from a branch costs)
      let lo = x < -1.5;
      let q = select(x, x + 3.0, lo) / 6.0;
      return select(select(x * select(q + 0.5, q, lo), x, x >= 3.0), -0.0, x <= -3.0);`,
    derivative: `
      if (x < -3.0) { return 0.0; }
      if (x > 3.0) { return 1.0; }
      return (2.0 * x + 3.0) / 6.0;`,
    second: `
      return select(0.0, 1.0 / 3.0, x > -3.0 && x < 3.0);`,
  },
  cpp: {
    forward: 'x <= -3 ? -0.0 : x * (x >= 3 ? 1.0 : (x + 3) / 6)',
    derivative: 'x < -3 ? 0.0 : (x > 3 ? 1.0 : (2 * x + 3) / 6)',
    second: 'x > -3 && x < 3 ? 1.0 / 3 : 0.0',
  },
  wasm: {
    forward: `
      return x <= -3 ? -0.0 : x * (x >= 3 ? 1 : (x + 3) / 6);`,
    derivative: `
      return x < -3 ? 0 : (x > 3 ? 1 : (2 * x + 3) / 6);`,
    // the forward in float32 (the wasm backend): x·min((x + 3)/6, 1), three roundings
    float32: {
      ulp: 3,
      keepsNaN: true,
      forward: `
      return x <= -3 ? -0.0f : x * wm_pmin((x + 3) / 6, 1);`,
    },
  },
});
