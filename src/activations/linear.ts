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
    // dy·1 (clip(x, 1, 1) is 1, NaN for NaN x): dy's own sign, also for dy = −0
    derivative: (x, dy, _u, nat) => nat.mul(dy, nat.clip(x, 1, 1)),
    second: (x, dy, _u, nat) => nat.mul(dy, nat.nanOf(nat.op('Abs', [x]))), // dy·(+0), as the definition
  },
  budget: {webgl: {forward: 0, backward: 0}, tensorflowLaunches: [0, 0, 3]},
  bench: {
    composite: {what: 'tf.clone (Identity kernel)', fn: (tf, x) => tf.clone(x)},
    piecewiseLinear: true,
  },
  note: 'No activation: regression outputs, logits fed to a loss, or a layer before a norm.',
  wgsl: {
    forward: `
      return x;`,
    derivative: `
      return 1.0;`,
    second: `
      return 0.0;`,
  },
  cpp: {
    forward: 'x',
    derivative: '1.0',
    second: '0.0',
  },
  wasm: {
    forward: `
      return x;`,
    derivative: `
      return D{} + 1;`,
    float32: {
      derivative: `
      return F{} + 1;`,
    },
  },
});
