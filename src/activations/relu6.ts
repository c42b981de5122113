import {elementwise} from '../definition';

/** relu6: min(max(x, 0), 6). */
export const relu6 = elementwise({
  id: 'relu6',
  keras: 'relu6',
  doc: 'Rectified linear unit capped at 6.',
  formula: 'min(max(x, 0), 6)',
  forward: x => (x < 0 ? 0 : x > 6 ? 6 : x),
  derivative: x => (x > 0 && x < 6 ? 1 : 0),
  second: () => 0,
  glsl: {
    forward: `
      // x at −0 (the definition's x < 0 ? 0 : ...; clamp gives +0 there); a ternary over plain values is a
      // select, one over an expression (min(x, 6.0)) a branch (src/backends/webgl.ts)
      return min(x < 0.0 ? 0.0 : x, 6.0);`,
    derivative: `
      return (x > 0.0 && x < 6.0) ? 1.0 : 0.0;`,
    second: `
      return 0.0;`,
  },
  tensorflow: {
    // clip keeps −0 (Relu6 gives +0 there; the definition, x < 0 ? 0 : ..., gives −0)
    forward: (x, _u, nat) => nat.clip(x, 0, 6),
    // dy·f′ with f′ = +0 outside (0, 6) (a zero takes dy's sign, as on cpu); clip(x, 1, 1) is 1, NaN for NaN x
    derivative: (x, dy, _u, nat) =>
      nat.mul(dy, nat.select(nat.lessEqual(x, 0), 0, nat.select(nat.greaterEqual(x, 6), 0, nat.clip(x, 1, 1)))),
    second: (x, dy, _u, nat) => nat.mul(dy, nat.nanOf(nat.op('Abs', [x]))), // dy·(+0), as the definition
  },
  test: {
    kinks: () => [0, 6],
  },
  budget: {webgl: {forward: 0, backward: 0}, tensorflowLaunches: [1, 14, 3]},
  bench: {
    composite: {what: 'tf.relu6', fn: (tf, x) => tf.relu6(x)},
    piecewiseLinear: true,
  },
  note: 'relu capped at 6 for low-precision mobile models (MobileNet).',
  wgsl: {
    forward: `
      // x at −0 (the definition's x < 0 ? 0 : ...; clamp gives +0 there)
      return select(min(x, 6.0), 0.0, x < 0.0);`,
    derivative: `
      return select(0.0, 1.0, x > 0.0 && x < 6.0);`,
    second: `
      return 0.0;`,
  },
  cpp: {
    forward: 'x < 0 ? 0.0 : (x > 6 ? 6.0 : x)',
    derivative: 'x > 0 && x < 6 ? 1.0 : 0.0',
    second: '0.0',
    // (0 > x ? 0 : x, then 6 < a ? 6 : a: the operand order of the vector max and min, so each is one instruction;
    // −0 and NaN pass through)
    forward32: `
      const float a = 0.0f > x ? 0.0f : x;
      return 6.0f < a ? 6.0f : a;`,
    forward32KeepsNaN: true,
  },
  wasm: {
    forward: `
      return x < 0 ? 0 : (x > 6 ? 6 : x);`,
    derivative: `
      return x > 0 && x < 6 ? 1.0 : 0.0;`,
    float32: {
      keepsNaN: true,
      // pmin(x, 6) = 6 < x ? 6 : x, then pmax(y, 0) = y < 0 ? 0 : y (keeps −0 and NaN)
      forward: `
      return wm_pmax(wm_pmin(x, 6), 0);`,
      derivative: `
      return x > 0 && x < 6 ? 1.0f : 0.0f;`,
    },
  },
});
