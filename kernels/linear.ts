import {elementwise} from '../src/definition';

/** linear: the identity. */
export const linear = elementwise({
  id: 'linear',
  keras: 'linear',
  doc: 'Identity.',
  formula: 'x',
  forward: x => x,
  derivative: () => 1,
  second: () => 0,
});
