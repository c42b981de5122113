import {elementwise} from '../definition';

/** sparse_plus: 0 below −1, (x + 1)²/4 on (−1, 1), x from 1 on. */
export const sparsePlus = elementwise({
  id: 'sparsePlus',
  keras: 'sparse_plus',
  doc: 'Sparse plus: a softplus-like function that is exactly 0 below −1.',
  formula: 'x ≤ −1 ? 0 : (x < 1 ? (x + 1)²/4 : x)',
  forward: x => (x <= -1 ? 0 : x < 1 ? 0.25 * (x + 1) * (x + 1) : x),
  derivative: x => (x <= -1 ? 0 : x < 1 ? 0.5 * (x + 1) : 1),
  second: x => (x > -1 && x < 1 ? 0.5 : 0),
  glsl: {
    forward: `
      return x <= -1.0 ? 0.0 : (x < 1.0 ? 0.25 * (x + 1.0) * (x + 1.0) : x);`,
    derivative: `
      return x <= -1.0 ? 0.0 : (x < 1.0 ? 0.5 * (x + 1.0) : 1.0);`,
    second: `
      return (x > -1.0 && x < 1.0) ? 0.5 : 0.0;`,
  },
  tensorflow: {
    // max(x, (clip(x, −1, 1) + 1)²/4): equal to the three pieces, since (x + 1)²/4 ≥ x.
    forward: (x, _u, nat) => nat.maximum(x, nat.mul(nat.op('SquaredDifference', [nat.clip(x, -1, 1), -1]), 0.25)),
    derivative: (x, dy, _u, nat) => nat.mul(nat.mul(dy, nat.add(nat.clip(x, -1, 1), 1)), 0.5),
    // dy·f″ with f″ = +0 outside (a zero takes dy's sign, as on cpu); clip(x, ½, ½) is ½, NaN for NaN x
    second: (x, dy, _u, nat) =>
      nat.mul(dy, nat.select(nat.greaterEqual(nat.op('Abs', [x]), 1), 0, nat.clip(x, 0.5, 0.5))),
  },
  test: {
    kinks: () => [-1, 1],
  },
  budget: {webgl: {forward: 1, backward: 0}, tensorflowLaunches: [4, 4, 5]},
  bench: {
    composite: {
      what: '(clip(x, −1, 1) + 1)²/4 + relu(x − 1)',
      fn: (tf, x) => tf.add(tf.mul(tf.square(tf.add(tf.clipByValue(x, -1, 1), 1)), 0.25), tf.relu(tf.sub(x, 1))),
    },
  },
  note: 'A softplus made of pieces: exactly 0 below −1, exactly x above 1.',
  wgsl: {
    forward: `
      if (x <= -1.0) { return 0.0; }
      if (x < 1.0) { return 0.25 * (x + 1.0) * (x + 1.0); }
      return x;`,
    derivative: `
      if (x <= -1.0) { return 0.0; }
      if (x < 1.0) { return 0.5 * (x + 1.0); }
      return 1.0;`,
    second: `
      return select(0.0, 0.5, x > -1.0 && x < 1.0);`,
  },
  cpp: {
    forward: 'x <= -1 ? 0.0 : (x < 1 ? 0.25 * (x + 1) * (x + 1) : x)',
    derivative: 'x <= -1 ? 0.0 : (x < 1 ? 0.5 * (x + 1) : 1.0)',
    second: 'x > -1 && x < 1 ? 0.5 : 0.0',
  },
  wasm: {
    forward: `
      return x <= -1 ? 0 : (x < 1 ? 0.25 * (x + 1) * (x + 1) : x);`,
    derivative: `
      return x <= -1 ? 0 : (x < 1 ? 0.5 * (x + 1) : 1);`,
  },
});
