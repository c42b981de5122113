import {elementwise} from '../src/definition';

/** exponential: exp(x). */
export const exponential = elementwise({
  id: 'exponential',
  keras: 'exponential',
  doc: 'Exponential.',
  formula: 'exp(x)',
  forward: x => Math.exp(x),
  derivative: x => Math.exp(x),
  second: x => Math.exp(x),
});
