import {elementwise} from '../src/definition';
import {sech2} from '../src/math';

/** tanh, with its derivative as sech² (no cancellation in 1 − tanh²). */
export const tanh = elementwise({
  id: 'tanh',
  keras: 'tanh',
  doc: 'Hyperbolic tangent.',
  formula: 'tanh(x)',
  forward: x => Math.tanh(x),
  derivative: x => sech2(x),
  second: x => -2 * Math.tanh(x) * sech2(x),
});
