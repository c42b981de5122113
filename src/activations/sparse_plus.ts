import {elementwise} from '../definition';

/** sparse_plus: 0 below −1, (x + 1)²/4 on (−1, 1), x from 1 on. */
export const sparsePlus = elementwise({
  id: 'sparsePlus',
  keras: 'sparse_plus',
  doc: 'Sparse plus: a softplus-like function that is exactly 0 below −1.',
  formula: 'x ≤ −1 ? 0 : (x < 1 ? (x + 1)²/4 : x)',
  forward: x => x <= -1 ? 0 : (x < 1 ? 0.25 * (x + 1) * (x + 1) : x),
  derivative: x => x <= -1 ? 0 : (x < 1 ? 0.5 * (x + 1) : 1),
  second: x => x > -1 && x < 1 ? 0.5 : 0,
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
    forward: (x, _u, n) => n.maximum(x, n.mul(n.op('SquaredDifference', [n.clip(x, -1, 1), -1]), 0.25)),
    derivative: (x, dy, _u, n) => n.mul(n.mul(dy, n.add(n.clip(x, -1, 1), 1)), 0.5),
    second: (x, dy, _u, n) => n.select(n.less(n.op('Abs', [x]), 1), n.mul(dy, 0.5), n.nanOf(x)),
  },
  wasm: {
    forward: `
      return x <= -1 ? 0 : (x < 1 ? 0.25 * (x + 1) * (x + 1) : x);`,
    derivative: `
      return x <= -1 ? 0 : (x < 1 ? 0.5 * (x + 1) : 1);`,
    second: `
      return x > -1 && x < 1 ? 0.5 : 0;`,
  },
});
