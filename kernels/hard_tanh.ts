import {elementwise} from '../src/definition';

/** hard_tanh: clip(x, −1, 1). */
export const hardTanh = elementwise({
  id: 'hardTanh',
  keras: 'hard_tanh',
  doc: 'Hard hyperbolic tangent.',
  formula: 'clip(x, −1, 1)',
  forward: x => x < -1 ? -1 : (x > 1 ? 1 : x),
  derivative: x => x > -1 && x < 1 ? 1 : 0,
  second: () => 0,
});
