import {elementwise} from '../src/definition';

/** sparse_plus: 0 below −1, (x + 1)²/4 on (−1, 1), x from 1 on. */
export const sparsePlus = elementwise({
  id: 'sparsePlus',
  keras: 'sparse_plus',
  doc: 'Sparse plus: a softplus-like function that is exactly 0 below −1.',
  formula: 'x ≤ −1 ? 0 : (x < 1 ? (x + 1)²/4 : x)',
  forward: x => x <= -1 ? 0 : (x < 1 ? 0.25 * (x + 1) * (x + 1) : x),
  derivative: x => x <= -1 ? 0 : (x < 1 ? 0.5 * (x + 1) : 1),
  second: x => x > -1 && x < 1 ? 0.5 : 0,
});
